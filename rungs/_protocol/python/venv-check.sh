#!/bin/sh
# The check of a Python-hosted rung: venv-check.sh MODULE [PACKAGE]
# Exits 0 when the rungs' venv (LADDER_VENV, default LADDER_ROOT/build/venv, made by
# rungs/setup-python.sh) imports MODULE; otherwise prints one line saying why and exits 1.
# contenders/venv-check.sh runs this for its own venv, named in messages as LADDER_VENV_SHOWN.
venv="${LADDER_VENV:-$LADDER_ROOT/build/venv}"
shown="${LADDER_VENV_SHOWN:-$venv}"
mod="$1"
pkg="${2:-$1}"
if [ ! -x "$venv/bin/python" ]; then
    echo "no Python venv at $shown (run ./setup.sh)"
    exit 1
fi
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
