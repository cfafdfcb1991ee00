#!/usr/bin/env bash
# Creates the virtual environment of ladder's Python-hosted rungs and installs rungs/requirements.txt.
#   rungs/setup-python.sh [VENV]      VENV defaults to build/venv under the repository root
# PYTHON picks the interpreter the venv is made from (default python3; Debian needs python3-venv).
# Idempotent: when VENV/.ladder-requirements.sha256 equals the requirements file's hash, nothing runs.
# Core packages are installed together (a failure there is an error); every "# optional" package is
# installed on its own, and one that fails is skipped with its reason, written to
# VENV/.ladder-skipped (one "package: reason" a line) so the rung's check can say why.
# Progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
req="$here/requirements.txt"
venv="${1:-$root/build/venv}"
python="${PYTHON:-python3}"
say() { echo "setup-python: $*" >&2; }

[ -f "$req" ] || { say "missing $req"; exit 1; }
hash="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.ladder-requirements.sha256"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  say "$venv is up to date with rungs/requirements.txt"
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

# constraints: every pinned line, extras dropped (pip refuses extras in a constraints file)
sed -e 's/#.*//' -e 's/\[[^]]*\]//' -e 's/[[:space:]]*$//' "$req" | grep -v '^$' > "$work/constraints.txt"
# core: requirement lines without an "optional" or "dep" marker
grep -v -E -e '^[[:space:]]*(#|$)' -e '#[[:space:]]*(optional|dep)\b' "$req" \
  | sed -e 's/#.*//' -e 's/[[:space:]]*$//' > "$work/core.txt" || true
# optional: one requirement per line
grep -E '#[[:space:]]*optional' "$req" | sed -e 's/#.*//' -e 's/[[:space:]]*$//' > "$work/optional.txt" || true

start=$SECONDS
say "installing core packages: $(tr '\n' ' ' < "$work/core.txt")"
if ! "$vpy" -m pip install --quiet -r "$work/core.txt" -c "$work/constraints.txt" >&2; then
  say "core packages failed to install (see pip's message above)"
  exit 1
fi

: > "$work/skipped"
while IFS= read -r spec; do
  [ -n "$spec" ] || continue
  name="${spec%%[=\[<>]*}"
  say "installing $spec"
  if ! "$vpy" -m pip install --quiet "$spec" -c "$work/constraints.txt" > "$work/log" 2>&1; then
    reason="$(grep -E 'ERROR|error' "$work/log" | head -n 1 | cut -c1-200)"
    [ -n "$reason" ] || reason="$(tail -n 1 "$work/log" | cut -c1-200)"
    echo "skipping $name: ${reason:-pip failed}" >&2
    echo "$name: pip install $spec failed: ${reason:-pip failed}" >> "$work/skipped"
  fi
done < "$work/optional.txt"

cp "$work/skipped" "$venv/.ladder-skipped"
echo "$hash" > "$stamp"
say "done in $((SECONDS - start)) s; $(du -sh "$venv" | cut -f1) in $venv"
if [ -s "$venv/.ladder-skipped" ]; then
  say "skipped: $(cut -d: -f1 "$venv/.ladder-skipped" | tr '\n' ' ')"
fi
