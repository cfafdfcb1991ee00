#!/usr/bin/env bash
# The venv of the Python-hosted HTTP contenders: contenders/requirements.txt into VENV
# (default build/venv-http).
#   contenders/setup-python.sh [VENV]   (see scripts/setup-venv.sh for how lines are installed)
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../scripts/setup-venv.sh" "$here/requirements.txt" "${1:-$here/../build/venv-http}"
