#!/bin/sh
# Builds the rust-pyo3 rung: maturin compiles the crate against the venv's Python (Cargo.lock
# pinned, --locked), then the wheel's module is unpacked into $LADDER_BUILD_DIR/site, which
# bench.py puts first on sys.path: nothing is installed into the venv.
set -eu
py="${LADDER_VENV:-$LADDER_ROOT/build/venv}/bin/python"
export CARGO_TARGET_DIR="$LADDER_BUILD_DIR/target"
export RUSTFLAGS="-C target-cpu=native"
rm -rf "$LADDER_BUILD_DIR/wheel" "$LADDER_BUILD_DIR/site"
"$py" -m maturin build --release --locked --compatibility linux --interpreter "$py" --out "$LADDER_BUILD_DIR/wheel" >&2
"$py" -m zipfile -e "$LADDER_BUILD_DIR"/wheel/ladder_pyo3-*.whl "$LADDER_BUILD_DIR/site"
