#!/bin/sh
# Builds ladder_yyjson into LADDER_BUILD_DIR: yyjson's C sources from the pinned sdist (fetch.sh),
# the .pyx through Cython, both compiled by gcc with the flags every extension rung gets.
set -e
PY="${LADDER_VENV:-$LADDER_ROOT/build/venv}/bin/python"
sh ./fetch.sh "$LADDER_BUILD_DIR/yyjson"
"$PY" -m cython -3 ladder_yyjson.pyx -o "$LADDER_BUILD_DIR/ladder_yyjson.c"
"$PY" ../_protocol/python/build_ext.py --cc gcc --name ladder_yyjson --out "$LADDER_BUILD_DIR" \
    --cflags="-I$LADDER_BUILD_DIR/yyjson" "$LADDER_BUILD_DIR/ladder_yyjson.c" "$LADDER_BUILD_DIR/yyjson/yyjson.c"
