#!/bin/sh
# The elysia contender's check: npm to install it, and Elysia and Bun either installed in the build
# folder already or in npm's cache (contenders/setup.sh puts them there), so the build needs no network.
command -v npm >/dev/null 2>&1 || { echo "npm not found (Debian: apt-get install npm)"; exit 1; }
pkg="$(sh ./bun.sh package)" || { echo "$pkg"; exit 1; }
sh ./bun.sh "$LADDER_BUILD_DIR/node_modules" >/dev/null 2>&1 && exit 0
bun_version="$(sed -n 's/^ *"bun": "\(.*\)",*$/\1/p' package.json)"
elysia_version="$(sed -n 's/^ *"elysia": "\(.*\)",*$/\1/p' package.json)"
for spec in "elysia@$elysia_version" "$pkg@$bun_version"; do
    if ! npm view "$spec" version --offline >/dev/null 2>&1; then
        echo "$spec is not in npm's cache (run ./setup.sh)"
        exit 1
    fi
done
