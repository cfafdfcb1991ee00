#!/bin/sh
# Builds the C rung: build.sh CC OUTPUT (the same script serves the gcc and clang rungs).
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 CC OUTPUT" >&2
    exit 2
fi
cc=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$(dirname "$out")"
# $cc is unquoted on purpose: it may carry words, e.g. "zig cc".
exec $cc -std=c17 -O3 -march=native -ffp-contract=off -pthread -D_GNU_SOURCE \
    -I"$root/src" -I"$root/src/kernels" -I"$root/rungs/_protocol/c" \
    "$root"/src/kernels/*.c "$root"/src/pipeline/*.c "$root"/src/json/*.c \
    "$root/rungs/_protocol/c/ladder_rung.c" "$root/rungs/c/main.c" \
    -o "$out" -lm
