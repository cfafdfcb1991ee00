#!/usr/bin/env bash
# Creates a virtual environment and installs a pinned requirements file into it; the rungs, the HTTP
# contenders and the catalog peer each have one (their setup scripts call this).
#   scripts/setup-venv.sh REQUIREMENTS VENV
# PYTHON picks the interpreter the venv is made from (default python3; Debian needs python3-venv).
# Idempotent: when VENV/.ladder-requirements.sha256 equals the requirements file's hash, nothing runs.
# Lines without a marker are core and installed together (a failure there is an error, exit 1); every
# "# optional" line is installed on its own, and one that fails is skipped with its reason, written to
# VENV/.ladder-skipped ("package: reason" a line) so a check can say why; "# dep" lines only pin, as
# constraints. A run that skipped something leaves no stamp, so the next run tries again.
# Progress goes to stderr.
set -euo pipefail

req="${1:?usage: setup-venv.sh REQUIREMENTS VENV}"
venv="${2:?usage: setup-venv.sh REQUIREMENTS VENV}"
python="${PYTHON:-python3}"
say() { echo "setup-venv ($(basename "$venv")): $*" >&2; }

[ -f "$req" ] || { say "missing $req"; exit 1; }
hash="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.ladder-requirements.sha256"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  say "$venv is up to date with $req"
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
rm -f "$stamp"
if [ -s "$work/core.txt" ]; then
  say "installing core packages: $(tr '\n' ' ' < "$work/core.txt")"
  if ! "$vpy" -m pip install --quiet -r "$work/core.txt" -c "$work/constraints.txt" >&2; then
    say "core packages failed to install (see pip's message above)"
    exit 1
  fi
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
# a run with failures leaves no stamp, so the next run tries those packages again
if [ -s "$work/skipped" ]; then
  say "skipped: $(cut -d: -f1 "$work/skipped" | tr '\n' ' ')"
else
  echo "$hash" > "$stamp"
fi
say "done in $((SECONDS - start)) s; $(du -sh "$venv" | cut -f1) in $venv"
