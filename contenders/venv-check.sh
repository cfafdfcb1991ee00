#!/bin/sh
# The check of a Python-hosted contender: venv-check.sh PACKAGE[:MODULE]...
# Exits 0 when the contenders' venv (LADDER_HTTP_VENV, default LADDER_ROOT/build/venv-http, made by
# contenders/setup-python.sh) imports every MODULE (default: the PACKAGE's name); otherwise prints
# one line saying why and exits 1.
venv="${LADDER_HTTP_VENV:-$LADDER_ROOT/build/venv-http}"
shown="$venv"
[ "$venv" = "$LADDER_ROOT/build/venv-http" ] && shown="build/venv-http"
if [ ! -x "$venv/bin/python" ]; then
    echo "no Python venv at $shown (run ./setup.sh)"
    exit 1
fi
for spec in "$@"; do
    pkg="${spec%%:*}"
    mod="${spec#*:}"
    if ! err="$("$venv/bin/python" -c "import $mod" 2>&1)"; then
        skipped="$(grep "^$pkg:" "$venv/.ladder-skipped" 2>/dev/null | head -n 1)"
        if [ -n "$skipped" ]; then
            echo "$pkg could not be installed in $shown: ${skipped#*: }"
        elif printf '%s\n' "$err" | grep -q "No module named '$mod'"; then
            echo "$pkg not installed in $shown (run ./setup.sh)"
        else
            echo "$pkg does not import: $(printf '%s\n' "$err" | tail -n 1 | cut -c1-160)"
        fi
        exit 1
    fi
done
