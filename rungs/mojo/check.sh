#!/bin/sh
# The mojo rung's check: the venv's `mojo` compiler (PyPI's mojo package, an optional line of
# rungs/requirements.txt) must exist and run. Otherwise one line says why, and exit 1.
venv="${LADDER_VENV:-$LADDER_ROOT/build/venv}"
mojo="$venv/bin/mojo"
if [ ! -x "$venv/bin/python" ]; then
    echo "no Python venv at $venv (run ./setup.sh)"
    exit 1
fi
if [ ! -x "$mojo" ]; then
    skipped="$(grep '^mojo:' "$venv/.ladder-skipped" 2>/dev/null | head -n 1)"
    if [ -n "$skipped" ]; then
        echo "mojo could not be installed in $venv: ${skipped#*: }"
    else
        echo "mojo not installed in $venv (run ./setup.sh)"
    fi
    exit 1
fi
if ! out="$("$mojo" --version 2>&1)"; then
    echo "mojo does not run: $(printf '%s\n' "$out" | grep -v Crashpad | tail -n 1 | cut -c1-160)"
    exit 1
fi
