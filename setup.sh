#!/usr/bin/env bash
# Installs what ladder needs (Debian packages, as root or through sudo), builds it into build/,
# installs the rungs' pinned Python packages into build/venv and builds the rungs.
# Idempotent: packages already present are not touched, the build is incremental, and the venv is
# only rebuilt when rungs/requirements.txt changes.
#   ./setup.sh          what `build/ladder run` needs
#   ./setup.sh --test   also what ./test.sh needs (clang's libFuzzer, Chromium for the HTML check),
#                       without building the rungs (the tests build them in their own folders)
set -euo pipefail
cd "$(dirname "$0")"

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

# the C build and rungs (clang is a rung too), the Python-hosted rungs, the framework benchmark,
# the catalog (SQLite, PostgreSQL client and server) and the lifecycle client (libcurl, namespaces)
packages=(build-essential cmake ninja-build pkg-config libssl-dev python3 clang
          python3-venv python3-dev pypy3 wrk
          libsqlite3-dev libpq-dev postgresql libcurl4-openssl-dev iproute2 libsimdjson-dev libapr1-dev)
if [ "$want_test" = 1 ]; then
  packages+=(libclang-rt-14-dev lld chromium valgrind)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "setup.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build >&2
echo "setup.sh: built build/ladder" >&2

# Optional rungs and HTTP contenders: a package that will not install only skips its rung or
# contender (with the reason).
rungs/setup-python.sh build/venv
rungs/graalpy/setup.sh || true  # says why on stderr; the rung's check repeats it
LADDER_VENV="$PWD/build/venv" sh rungs/cython-yyjson/fetch.sh >&2 || echo "setup.sh: the cython-yyjson rung will be skipped" >&2
contenders/setup.sh build
contenders/catalog-fastapi/setup.sh || echo "setup.sh: the FastAPI catalog peer will be skipped" >&2

# The rungs' own builds (C, Cython, mypyc, Rust, Codon, ...), so the first `build/ladder run` times
# instead of building; a rung that fails to build only fails its rows, with the reason. Not with
# --test: ./test.sh builds ladder in folders of its own, where its tests build the rungs again.
if [ "$want_test" = 0 ]; then
  build/ladder build >&2 || echo "setup.sh: some rungs did not build (their rows will say why)" >&2
fi
