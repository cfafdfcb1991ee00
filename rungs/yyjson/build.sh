#!/bin/sh
# Builds the yyjson rung into LADDER_BUILD_DIR: yyjson's C sources from the pinned PyPI sdist
# (../cython-yyjson/fetch.sh, cached in ~/.cache/ladder; nothing of yyjson is kept here), the
# rung and the C protocol helper, all with gcc -O3.
set -e
sh ../cython-yyjson/fetch.sh "$LADDER_BUILD_DIR/yyjson"
gcc -std=c17 -O3 -march=native -D_GNU_SOURCE -I"$LADDER_BUILD_DIR/yyjson" -I../_protocol/c \
    main.c ../_protocol/c/ladder_rung.c "$LADDER_BUILD_DIR/yyjson/yyjson.c" -o "$LADDER_BUILD_DIR/yyjson-rung"
