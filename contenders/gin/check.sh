#!/bin/sh
# The gin contender's check: a Go toolchain that can build go.mod's `go` version, and gin's modules
# already in the module cache (contenders/setup.sh downloads them), so the build needs no network.
PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
    echo "go not found (Debian: apt-get install golang-go, or install Go under /usr/local/go)"
    exit 1
fi
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
if ! err="$(GOPROXY=off go list -deps . 2>&1 >/dev/null)"; then
    if printf '%s\n' "$err" | grep -q -e 'GOPROXY=off' -e 'cannot find module' -e 'missing go.sum'; then
        echo "gin's Go modules are not downloaded (run ./setup.sh)"
    else
        echo "go cannot load gin: $(printf '%s\n' "$err" | tail -n 1 | cut -c1-160)"
    fi
    exit 1
fi
