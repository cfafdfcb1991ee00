#!/bin/sh
# Puts yyjson's C sources (yyjson.c, yyjson.h: yyjson 0.10.0, MIT) into DIR, from the sdist of
# PyPI's `yyjson` package (Python bindings that ship them), pinned by version and SHA-256. The sdist
# is downloaded once into ~/.cache/ladder with the rungs' venv's pip; later builds read the cache.
#   fetch.sh [DIR]      without DIR, only the download (./setup.sh); exit 1 with one line saying
#                       why when the sdist cannot be had
set -u
version=4.0.6
sha256=fcd4dc15c1e39a30bf9fa85d56903029111506860fc3080ab0d81c6c6dacaa8c
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ladder"
sdist="$cache/yyjson-$version.tar.gz"
out="${1:-}"
venv="${LADDER_VENV:-${LADDER_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/build/venv}"
if [ ! -f "$sdist" ]; then
    [ -x "$venv/bin/python" ] || { echo "no Python venv at $venv to download the yyjson sdist with (run ./setup.sh)"; exit 1; }
    mkdir -p "$cache"
    tmp="$(mktemp -d "$cache/yyjson-XXXXXX")"
    if ! err="$("$venv/bin/python" -m pip download -q --no-deps --no-binary :all: "yyjson==$version" -d "$tmp" 2>&1)"; then
        rm -rf "$tmp"
        echo "pip download yyjson==$version failed: $(printf '%s\n' "$err" | grep -v '^ *$' | tail -n 1 | cut -c1-200)"
        exit 1
    fi
    mv "$tmp/yyjson-$version.tar.gz" "$sdist" && rm -rf "$tmp"
fi
if [ "$(sha256sum "$sdist" | cut -d' ' -f1)" != "$sha256" ]; then
    echo "$sdist does not have the pinned SHA-256 (remove it to download again)"
    exit 1
fi
[ -n "$out" ] || exit 0
mkdir -p "$out" && tar -xzf "$sdist" -C "$out" --strip-components=2 \
    "yyjson-$version/yyjson/yyjson.c" "yyjson-$version/yyjson/yyjson.h" || { echo "cannot unpack $sdist"; exit 1; }
