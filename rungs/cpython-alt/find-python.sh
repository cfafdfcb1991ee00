#!/bin/sh
# Prints the path of the cpython-alt rung's interpreter: a second CPython, other than LADDER_PYTHON.
#   LADDER_PYTHON_ALT set: that interpreter (it must be a CPython >= 3.9, and not LADDER_PYTHON
#                          itself; the same version in another build is allowed)
#   otherwise, discovery:  python3.9 .. python3.14 on PATH, /usr/bin and /usr/local/bin's python3*,
#                          pyenv's versions (PYENV_ROOT, default ~/.pyenv), uv's managed Pythons;
#                          among the CPythons >= 3.9 whose version differs from LADDER_PYTHON's,
#                          the newest wins (so the rung shows what upgrading CPython buys).
# On failure prints one line saying why (the check's reason) and exits 1.
# >= 3.9 because the rung runs rungs/cpython/bench.py, which must stay valid Python 3.9.
base="${LADDER_PYTHON:-python3}"
probe='import sys, platform; print(sys.implementation.name, platform.python_version(), sys.version_info >= (3, 9), sys.executable)'

# probe PATH: prints "NAME VERSION OK EXECUTABLE", or nothing when PATH does not run
describe() { "$1" -c "$probe" 2>/dev/null | head -n 1; }

base_info="$(describe "$base")"
if [ -z "$base_info" ]; then
    echo "LADDER_PYTHON=$base does not run, so there is no first CPython to differ from"
    exit 1
fi
set -- $base_info
base_version="$2"
base_exe="${base_info#* * * }"  # the rest of the line: the path may hold spaces
base_exe="$(readlink -f "$base_exe" 2>/dev/null || echo "$base_exe")"

if [ -n "${LADDER_PYTHON_ALT:-}" ]; then
    info="$(describe "$LADDER_PYTHON_ALT")"
    if [ -z "$info" ]; then
        echo "LADDER_PYTHON_ALT=$LADDER_PYTHON_ALT does not run"
        exit 1
    fi
    set -- $info
    if [ "$1" != cpython ]; then
        echo "LADDER_PYTHON_ALT=$LADDER_PYTHON_ALT is $1, not CPython"
        exit 1
    fi
    if [ "$3" != True ]; then
        echo "LADDER_PYTHON_ALT=$LADDER_PYTHON_ALT is CPython $2; the rung needs 3.9 or newer"
        exit 1
    fi
    exe="${info#* * * }"
    if [ "$(readlink -f "$exe" 2>/dev/null || echo "$exe")" = "$base_exe" ]; then
        echo "LADDER_PYTHON_ALT=$LADDER_PYTHON_ALT is the same interpreter as LADDER_PYTHON ($base_exe)"
        exit 1
    fi
    command -v "$LADDER_PYTHON_ALT"
    exit 0
fi

list="$(mktemp)" || exit 1
trap 'rm -f "$list"' EXIT
{
    for v in 3.14 3.13 3.12 3.11 3.10 3.9; do command -v "python$v"; done
    for p in /usr/bin/python3 /usr/bin/python3.* /usr/local/bin/python3 /usr/local/bin/python3.* \
             "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/python3 \
             "${XDG_DATA_HOME:-$HOME/.local/share}"/uv/python/cpython-*/bin/python3; do
        case "$p" in *-config|*m-config) continue ;; esac
        [ -x "$p" ] && echo "$p"
    done
} 2>/dev/null | while IFS= read -r cand; do
    info="$(describe "$cand")"
    [ -n "$info" ] || continue  # e.g. a pyenv shim for a version that is not selected
    set -- $info
    [ "$1" = cpython ] && [ "$3" = True ] && [ "$2" != "$base_version" ] || continue
    printf '%s %s\n' "$2" "$cand"
done | sort -t ' ' -k 1,1 -V -r -s > "$list"
best="$(head -n 1 "$list" | cut -d' ' -f2-)"
if [ -z "$best" ]; then
    echo "no second CPython found (>= 3.9, not $base_version): set LADDER_PYTHON_ALT=/path/to/python3.X"
    exit 1
fi
echo "$best"
