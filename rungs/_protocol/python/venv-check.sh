#!/bin/sh
# The check of a Python-hosted rung: venv-check.sh MODULE [PACKAGE]
# Exits 0 when the rungs' venv (LADDER_VENV, default LADDER_ROOT/build/venv, made by
# rungs/setup-python.sh) imports MODULE; otherwise prints one line saying why and exits 1.
venv="${LADDER_VENV:-$LADDER_ROOT/build/venv}"
mod="$1"
pkg="${2:-$1}"
if [ ! -x "$venv/bin/python" ]; then
    echo "no Python venv at $venv (run ./setup.sh)"
    exit 1
fi
if ! err="$("$venv/bin/python" -c "import $mod" 2>&1)"; then
    skipped="$(grep "^$pkg:" "$venv/.ladder-skipped" 2>/dev/null | head -n 1)"
    if [ -n "$skipped" ]; then
        echo "$pkg could not be installed in $venv: ${skipped#*: }"
    elif printf '%s\n' "$err" | grep -q "No module named '$mod'"; then
        echo "$pkg not installed in $venv (run ./setup.sh)"
    else
        echo "$pkg does not import: $(printf '%s\n' "$err" | tail -n 1 | cut -c1-160)"
    fi
    exit 1
fi
