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
# binary-trees allocates every node from an APR pool, as the Benchmarks Game's C programs do.
if ! apr=$(pkg-config --cflags --libs apr-1 2>/dev/null); then
    echo "libapr-1 not found by pkg-config (Debian: apt-get install libapr1-dev):" \
        "binary-trees allocates its nodes from APR pools" >&2
    exit 1
fi
# -fno-plt: apr_palloc, called once per node, through the GOT without a PLT stub.
# $cc and $apr are unquoted on purpose: they may carry words, e.g. "zig cc".
exec $cc -std=c17 -O3 -march=native -ffp-contract=off -fno-plt -pthread -D_GNU_SOURCE -DLADDER_HAVE_APR $apr \
    -I"$root/src" -I"$root/src/kernels" -I"$root/rungs/_protocol/c" \
    "$root"/src/kernels/*.c "$root"/src/pipeline/*.c "$root"/src/json/*.c \
    "$root/rungs/_protocol/c/ladder_rung.c" "$root/rungs/c/main.c" \
    -o "$out" $apr -lm
