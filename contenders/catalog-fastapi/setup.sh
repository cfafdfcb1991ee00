#!/usr/bin/env bash
# The catalog peer's venv: requirements.txt (every package pinned) into VENV (default build/venv-catalog).
#   contenders/catalog-fastapi/setup.sh [VENV]   (see scripts/setup-venv.sh)
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../../scripts/setup-venv.sh" "$here/requirements.txt" "${1:-$here/../../build/venv-catalog}"
