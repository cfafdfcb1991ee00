#!/usr/bin/env bash
# The measurements docs/EXPERIMENTS.md cites still build, verify their output and refuse bad input.
source "$(dirname "$0")/lib.sh"

expect_exit 0 "spectral_inorder 100" -- "$BUILD_DIR/spectral_inorder" 100
[ "$OUT" = "$(cat "$ROOT/problems/spectral-norm/ref/100.txt")" ] && pass || fail "spectral_inorder 100 printed '$OUT'"
expect_contains "$ERR" "ns per matrix element" "spectral_inorder timing line"
expect_exit 2 "spectral_inorder without N" -- "$BUILD_DIR/spectral_inorder"
expect_exit 2 "spectral_inorder 12x" -- "$BUILD_DIR/spectral_inorder" 12x
expect_contains "$ERR" "usage: spectral_inorder N" "spectral_inorder usage"

expect_exit 0 "read_bandwidth 1" -- "$BUILD_DIR/read_bandwidth" 1
expect_contains "$OUT" "1 MiB: best of 20 passes" "read_bandwidth line"
expect_exit 2 "read_bandwidth 0" -- "$BUILD_DIR/read_bandwidth" 0
expect_exit 2 "read_bandwidth -5" -- "$BUILD_DIR/read_bandwidth" -5

for py in python3 pypy3; do
  command -v "$py" >/dev/null || { echo "test_explain: $py not installed, its nbody_forms run skipped"; continue; }
  expect_exit 0 "$py nbody_forms.py 1000" -- "$py" "$ROOT/docs/explain/nbody_forms.py" 1000 1
  for form in bg1-pow ladder flat; do
    expect_contains "$OUT" "$form" "$py nbody_forms $form row"
  done
  [ "$(grep -c 'verified' <<<"$OUT")" = 3 ] && pass || fail "$py nbody_forms: expected 3 verified rows: $OUT"
done
expect_exit 2 "nbody_forms.py with no reference for N" -- python3 "$ROOT/docs/explain/nbody_forms.py" 7 1
expect_contains "$ERR" "no reference for N=7" "nbody_forms missing reference"

VENV_PY=$ROOT/build/venv/bin/python
if [ -x "$VENV_PY" ] && "$VENV_PY" -c 'import mypyc' 2>/dev/null; then
  expect_exit 0 "mypyc_forms.py 1000" -- "$VENV_PY" "$ROOT/docs/explain/mypyc_forms.py" 1000 1
  expect_contains "$OUT" "typed-lists, interpreted" "mypyc_forms interpreted row"
  expect_contains "$OUT" "verified, source" "mypyc_forms: the interpreted row ran the source"
  expect_contains "$OUT" "verified, compiled" "mypyc_forms: the mypyc row ran the compiled module"
else
  echo "test_explain: no mypyc in build/venv, mypyc_forms skipped"
fi
finish
