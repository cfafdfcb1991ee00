# Shared by the integration tests: LADDER (the binary under test), a scratch folder, assertions.
set -u
LADDER=${1:?usage: test.sh LADDER BUILD_DIR}
BUILD_DIR=${2:?usage: test.sh LADDER BUILD_DIR}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FIXTURES=$ROOT/tests/fixtures/rungs
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ladder-it-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
failures=0
checks=0

pass() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE DESCRIPTION -- COMMAND...: runs COMMAND, keeps its stdout/stderr in $OUT/$ERR.
expect_exit() {
  local want=$1 what=$2; shift 3
  "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
  local got=$?
  OUT=$(cat "$SCRATCH/out"); ERR=$(cat "$SCRATCH/err")
  if [ "$got" = "$want" ]; then pass; else fail "$what: exit $got, expected $want; stderr: $ERR"; fi
}

expect_contains() { # HAYSTACK NEEDLE DESCRIPTION
  if grep -qF -- "$2" <<<"$1"; then pass; else fail "$3: '$2' not in: ${1:0:400}"; fi
}

# json_query FILE PYTHON-EXPRESSION: evaluates an expression over the parsed document `d`.
json_query() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# alive PID: the process exists and has not died. A killed orphan stays a zombie until PID 1 reaps
# it, which some container inits do late or never, so `kill -0` alone would call it alive.
alive() {
  local st
  st=$(sed -E 's/^[0-9]+ \(.*\) //' "/proc/$1/stat" 2>/dev/null) || return 1
  case ${st%% *} in Z | X | x | '') return 1 ;; esac
}

finish() {
  echo "$(basename "$0"): $checks checks, $failures failed"
  [ "$failures" = 0 ]
  exit $?
}
