#!/bin/sh
# The check of a Python-hosted contender: venv-check.sh PACKAGE[:MODULE]...
# Exits 0 when the contenders' venv (LADDER_HTTP_VENV, default LADDER_ROOT/build/venv-http, made by
# contenders/setup-python.sh) imports every MODULE (default: the PACKAGE's name); otherwise prints
# one line saying why and exits 1. Each import is checked by the rungs' venv-check.sh.
venv="${LADDER_HTTP_VENV:-$LADDER_ROOT/build/venv-http}"
shown="$venv"
[ "$venv" = "$LADDER_ROOT/build/venv-http" ] && shown="build/venv-http"
check="$(dirname "$0")/../rungs/_protocol/python/venv-check.sh"
for spec in "$@"; do
    LADDER_VENV="$venv" LADDER_VENV_SHOWN="$shown" sh "$check" "${spec#*:}" "${spec%%:*}" || exit 1
done
