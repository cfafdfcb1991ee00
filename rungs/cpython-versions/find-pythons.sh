#!/bin/sh
# Lists every CPython >= 3.9 on the machine, one per line: "ID<TAB>PATH<TAB>TITLE", oldest first.
# The harness turns each line into a rung cpython-ID (rung.json: per_interpreter) that runs
# rungs/cpython/bench.py unchanged on PATH. ID is the minor version ("3.12"), with "t" for a
# free-threaded build ("3.13t"); one interpreter per ID: one named by the user first (--python
# repeated, or LADDER_PYTHONS=a:b), then the newest patch release found.
# Where it looks: LADDER_PYTHONS, LADDER_PYTHON (the baseline's own version is a row too, so the
# table has every version), python3.9 .. python3.14(t) on PATH, /usr/bin and /usr/local/bin's
# python3.*, pyenv's versions (PYENV_ROOT, default ~/.pyenv), uv's managed Pythons.
# Finding none: a line saying so on stderr, exit 1 (the template rung's check shows it).
# >= 3.9 because rungs/cpython/bench.py must stay valid Python 3.9.
probe='import sys, sysconfig, platform
ft = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
print(sys.implementation.name, platform.python_version(), "%d.%d%s" % (sys.version_info[0], sys.version_info[1], "t" if ft else ""), int(sys.version_info >= (3, 9)), int(ft), sys.executable)'

list="$(mktemp)" || exit 1
trap 'rm -f "$list"' EXIT
{
    # rank 0: named by the user; rank 1: found
    IFS=:
    for p in ${LADDER_PYTHONS:-}; do [ -n "$p" ] && printf '0 %s\n' "$p"; done
    unset IFS
    for v in 3.9 3.10 3.11 3.12 3.13 3.14 3.13t 3.14t; do
        p="$(command -v "python$v" 2>/dev/null)" && printf '1 %s\n' "$p"
    done
    [ -n "${LADDER_PYTHON:-}" ] && p="$(command -v "$LADDER_PYTHON" 2>/dev/null)" && printf '1 %s\n' "$p"
    for p in /usr/bin/python3.* /usr/local/bin/python3.* \
             "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/python3 \
             "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/python3.*t \
             "${XDG_DATA_HOME:-$HOME/.local/share}"/uv/python/cpython-*/bin/python3 \
             "${XDG_DATA_HOME:-$HOME/.local/share}"/uv/python/cpython-*/bin/python3.*t; do
        case "$p" in *-config) continue ;; esac
        [ -x "$p" ] && [ ! -d "$p" ] && printf '1 %s\n' "$p"
    done
} | while read -r rank cand; do
    info="$("$cand" -I -S -c "$probe" 2>/dev/null | head -n 1)"
    [ -n "$info" ] || continue  # e.g. a pyenv shim for a version that is not selected
    set -- $info
    [ "$1" = cpython ] && [ "$4" = 1 ] || continue
    exe="${info#* * * * * }"  # sys.executable (a shim or a venv resolves to its interpreter); may hold spaces
    exe="$(readlink -f "$exe" 2>/dev/null || echo "$exe")"
    # ID, rank, version (for "newest patch first"), then the path and the title
    if [ "$5" = 1 ]; then title="CPython $2 free-threaded"; else title="CPython $2"; fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$3" "$rank" "$2" "$exe" "$title"
done | sort -t "$(printf '\t')" -k1,1V -k2,2n -k3,3Vr -u > "$list"

# first line per ID wins (the user's, else the newest patch)
out="$(awk -F '\t' '!seen[$1]++ { print $1 "\t" $4 "\t" $5 }' "$list")"
if [ -z "$out" ]; then
    echo "no CPython >= 3.9 found (pyenv, uv, /usr/bin, PATH): name one with --python PATH (repeated) or LADDER_PYTHONS" >&2
    exit 1
fi
printf '%s\n' "$out"
