#!/bin/sh
# bun.sh package          prints the npm package that holds Bun's binary for this machine
# bun.sh NODE_MODULES     prints the path of that binary under NODE_MODULES
# Either way, exits 1 with one line saying why when there is none.
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=@oven/bun-linux-x64 ;;
    Linux-aarch64) pkg=@oven/bun-linux-aarch64 ;;
    *) echo "no Bun build on npm for $(uname -s) $(uname -m)"; exit 1 ;;
esac
if ls /lib/ld-musl-* >/dev/null 2>&1 && ! ls /lib*/ld-linux* /lib/*/ld-linux* >/dev/null 2>&1; then
    pkg="$pkg-musl"
fi
if [ "$1" = package ]; then
    echo "$pkg"
    exit 0
fi
bin="$1/$pkg/bin/bun"
if [ ! -x "$bin" ]; then
    echo "Bun is not installed in $1 (run ./setup.sh)"
    exit 1
fi
echo "$bin"
