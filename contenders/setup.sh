#!/usr/bin/env bash
# Installs what the HTTP contenders of `ladder http` need, one after another:
#   Debian packages   nginx (the reference row), wrk (the load generator), python3-venv, and golang-go
#                     or npm only when no go or npm is found (as root or through sudo; --no-apt skips)
#   gin               its Go modules, into Go's module cache (go mod download), so builds run offline
#   elysia            Elysia and Bun from npm, into build/contenders/elysia (and npm's cache)
#   python            build/venv-http with contenders/requirements.txt (contenders/setup-python.sh)
#   oha               the constant-rate load generator of `ladder http --latency`, from crates.io with
#                     cargo into BUILD_DIR/tools (pinned version; skipped when cargo is missing)
# Idempotent, and tolerant: a part that fails is reported on stderr and skipped, and the contenders
# that need it are skipped by `ladder http` with the reason. Exits 0 unless the options are wrong.
#   contenders/setup.sh [--no-apt] [BUILD_DIR]     BUILD_DIR defaults to build/ under the repository root
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
apt=1
build="$root/build"
for arg in "$@"; do
  case "$arg" in
    --no-apt) apt=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "contenders/setup.sh: unknown option '$arg'" >&2; exit 2 ;;
    *) build="$arg" ;;
  esac
done
# Every install below runs from its contender's folder: a relative build folder would land there.
mkdir -p "$build" && build="$(cd "$build" && pwd)"
say() { echo "contenders/setup: $*" >&2; }
failed=()
PATH="$PATH:/usr/local/go/bin:/usr/sbin"

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if [ "$apt" = 1 ] && command -v dpkg-query >/dev/null; then
  packages=(nginx wrk python3-venv)
  command -v go >/dev/null || packages+=(golang-go)
  command -v npm >/dev/null || packages+=(npm)
  missing=()
  for p in "${packages[@]}"; do have_pkg "$p" || missing+=("$p"); done
  # python3-venv matters only for Debian's own python3; another python3 (pyenv, ...) brings venv
  if [[ " ${missing[*]} " == *" python3-venv "* ]] && python3 -c 'import ensurepip, venv' 2>/dev/null; then
    missing=("${missing[@]/python3-venv}")
  fi
  read -r -a missing <<<"${missing[*]}"
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    if [ -n "$sudo" ] && ! command -v sudo >/dev/null; then
      say "need root (or sudo) to install: ${missing[*]}; skipping them"
      failed+=("apt")
    else
      say "installing Debian packages: ${missing[*]}"
      if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
             --no-install-recommends "${missing[@]}"; } >&2; then
        say "apt-get failed for: ${missing[*]}; going on without them"
        failed+=("apt")
      fi
    fi
  fi
fi

# gin: download the pinned modules once; the build then needs no network
start=$SECONDS
if ! command -v go >/dev/null; then
  say "gin: go not found (Debian: apt-get install golang-go); skipping"
  failed+=("gin")
elif (cd "$here/gin" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go mod download >&2 && \
      GOTOOLCHAIN=local GOFLAGS=-mod=readonly GOPROXY=off go list -deps . >/dev/null); then
  say "gin: Go modules ready ($(go env GOVERSION), $((SECONDS - start)) s)"
else
  say "gin: downloading or loading its Go modules failed (see above); skipping"
  failed+=("gin")
fi

# elysia: the same npm ci as its build, into the default build folder; npm's cache keeps the
# packages for any other build folder
start=$SECONDS
eb="$build/contenders/elysia"
if ! command -v npm >/dev/null; then
  say "elysia: npm not found (Debian: apt-get install npm); skipping"
  failed+=("elysia")
elif (cd "$here/elysia" && mkdir -p "$eb" && cp package.json package-lock.json server.ts "$eb/" && \
      npm ci --prefix "$eb" --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >&2 && \
      sh ./bun.sh "$eb/node_modules" >/dev/null); then
  say "elysia: Elysia and Bun installed in $eb ($((SECONDS - start)) s, $(du -sh "$eb" | cut -f1))"
else
  say "elysia: npm ci failed (see above); skipping"
  failed+=("elysia")
fi

# the Python contenders: one venv
if ! "$here/setup-python.sh" "$build/venv-http"; then
  say "python: the venv could not be made (see above); skipping blacksheep, blacksheep-granian-orjson, fastapi"
  failed+=("python")
elif [ -s "$build/venv-http/.ladder-skipped" ]; then
  failed+=("python (some packages)")
fi

# oha: `ladder http --latency` offers fixed rates with it (constant rate, coordinated-omission
# correction, HDR histograms). Pinned; TLS through Debian's OpenSSL (native-tls): oha needs one TLS
# feature to compile, and native-tls needs no C/asm toolchain beyond what ladder's build has.
oha_version=1.16.0
oha="$build/tools/bin/oha"
# Compiled once per machine (it takes minutes), outside any one checkout's build folder, and
# linked into this one: a fresh clone reuses it.
oha_home="${XDG_CACHE_HOME:-$HOME/.cache}/ladder/oha-$oha_version"
start=$SECONDS
is_oha() { [ -x "$1" ] && [ "$("$1" --version 2>/dev/null)" = "oha $oha_version" ]; }
if is_oha "$oha"; then
  say "oha: $oha_version already in $build/tools"
elif ! is_oha "$oha_home/bin/oha" && ! command -v cargo >/dev/null; then
  say "oha: cargo not found (rustup, or Debian: apt-get install cargo); ladder http --latency will be unavailable"
  failed+=("oha")
elif ! is_oha "$oha_home/bin/oha" && ! cargo install oha --version "$oha_version" --locked \
       --no-default-features --features native-tls --root "$oha_home" >&2; then
  say "oha: cargo install failed (see above); ladder http --latency will be unavailable"
  failed+=("oha")
elif mkdir -p "$build/tools/bin" && ln -sf "$oha_home/bin/oha" "$oha"; then
  say "oha: $oha_version in $oha_home, linked into $build/tools ($((SECONDS - start)) s)"
else
  say "oha: cannot link $oha_home/bin/oha into $build/tools; ladder http --latency will be unavailable"
  failed+=("oha")
fi

if [ "${#failed[@]}" -gt 0 ]; then
  say "done; not ready: ${failed[*]} (those contenders are skipped by ladder http)"
else
  say "done; every contender is installed"
fi
exit 0
