#!/usr/bin/env bash
# Creates the catalog peer's virtual environment and installs requirements.txt (every package pinned).
#   contenders/catalog-fastapi/setup.sh [VENV]   VENV defaults to build/venv-catalog under the repository root
# PYTHON picks the interpreter the venv is made from (default python3; Debian needs python3-venv).
# Idempotent: when VENV/.ladder-requirements.sha256 equals the requirements file's hash, nothing runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
req="$here/requirements.txt"
venv="${1:-$root/build/venv-catalog}"
python="${PYTHON:-python3}"
say() { echo "catalog-fastapi setup: $*" >&2; }

hash="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.ladder-requirements.sha256"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  say "$venv is up to date"
  exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
  command -v "$python" >/dev/null || { say "$python not found on PATH"; exit 1; }
  mkdir -p "$(dirname "$venv")"
  if ! "$python" -m venv "$venv" >&2; then
    rm -rf "$venv"
    say "'$python -m venv' failed (on Debian: apt-get install python3-venv)"
    exit 1
  fi
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$(dirname "$venv")/pip-cache}"
rm -f "$stamp"
start=$SECONDS
"$venv/bin/python" -m pip install --quiet -r "$req" >&2
echo "$hash" > "$stamp"
say "done in $((SECONDS - start)) s: $venv"
