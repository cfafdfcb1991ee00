#!/usr/bin/env bash
# Creates the virtual environment of the Python-hosted HTTP contenders and installs
# contenders/requirements.txt into it.
#   contenders/setup-python.sh [VENV]     VENV defaults to build/venv-http under the repository root
# PYTHON picks the interpreter the venv is made from (default python3; Debian needs python3-venv).
# Idempotent: when VENV/.ladder-requirements.sha256 equals the requirements file's hash, nothing runs.
# Every "# optional" line is installed on its own with every pin as a constraint; one that fails is
# reported and recorded in VENV/.ladder-skipped ("package: reason" a line), where the contenders'
# check (venv-check.sh) finds it. Exits 1 only when the venv itself cannot be made.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
req="$here/requirements.txt"
venv="${1:-$root/build/venv-http}"
python="${PYTHON:-python3}"
say() { echo "setup-python: $*" >&2; }

[ -f "$req" ] || { say "missing $req"; exit 1; }
hash="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.ladder-requirements.sha256"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  say "$venv is up to date with contenders/requirements.txt"
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  command -v "$python" >/dev/null || { say "$python not found on PATH"; exit 1; }
  say "creating $venv with $("$python" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
  mkdir -p "$(dirname "$venv")"
  if ! "$python" -m venv "$venv" >&2; then
    rm -rf "$venv"
    say "'$python -m venv' failed (on Debian: apt-get install python3-venv)"
    exit 1
  fi
fi
vpy="$venv/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$(dirname "$venv")/pip-cache}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# every pin is a constraint; each "# optional" line is one install
sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$req" | grep -v '^$' > "$work/constraints.txt"
grep -E '#[[:space:]]*optional' "$req" | sed -e 's/#.*//' -e 's/[[:space:]]*$//' > "$work/optional.txt" || true

start=$SECONDS
: > "$work/skipped"
while IFS= read -r spec; do
  [ -n "$spec" ] || continue
  name="${spec%%[=<>\[]*}"
  say "installing $spec"
  if ! "$vpy" -m pip install --quiet "$spec" -c "$work/constraints.txt" > "$work/log" 2>&1; then
    reason="$(grep -E 'ERROR|error' "$work/log" | head -n 1 | cut -c1-200)"
    [ -n "$reason" ] || reason="$(tail -n 1 "$work/log" | cut -c1-200)"
    say "skipping $name: ${reason:-pip failed}"
    echo "$name: pip install $spec failed: ${reason:-pip failed}" >> "$work/skipped"
  fi
done < "$work/optional.txt"

cp "$work/skipped" "$venv/.ladder-skipped"
# a run with failures leaves no stamp, so the next run tries those packages again
if [ -s "$work/skipped" ]; then
  say "skipped: $(cut -d: -f1 "$work/skipped" | tr '\n' ' ')"
  rm -f "$stamp"
else
  echo "$hash" > "$stamp"
fi
say "done in $((SECONDS - start)) s; $(du -sh "$venv" | cut -f1) in $venv"
