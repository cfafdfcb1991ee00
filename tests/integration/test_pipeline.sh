#!/usr/bin/env bash
# ladder gen and ladder pipeline: the CPython-identical event log, the C pipeline's summary equal
# to the CPython rung's, atomic output, and one-line errors with exit codes for bad input.
source "$(dirname "$0")/lib.sh"
PY=${LADDER_PYTHON:-python3}

for cmd in gen pipeline; do
  expect_exit 0 "ladder $cmd --help" -- "$LADDER" $cmd --help
  expect_contains "$OUT" "usage: ladder $cmd" "ladder $cmd --help"
done

# The default file is the experiments' file, byte for byte.
expect_exit 0 "gen default" -- "$LADDER" gen events -o "$SCRATCH/default.json"
sum=$(sha256sum "$SCRATCH/default.json" | cut -d' ' -f1)
[ "$sum" = bb1d037e7c5740610883a5e1d36089f00ac37312edb3d16a56187ea51d891e07 ] && pass || fail "default file's SHA-256 is $sum"
[ "$(wc -c <"$SCRATCH/default.json")" = 14308497 ] && pass || fail "default file's size"
ls "$SCRATCH" | grep -q '\.tmp\.' && fail "gen -o left a temporary file" || pass
"$LADDER" gen events | cmp -s - "$SCRATCH/default.json" && pass || fail "gen to stdout differs from gen -o"

# Other seeds and sizes against CPython itself.
for args in "7 2000 50" "-3 500 1" "1099511627779 300 4294967295" "0 0 10"; do
  set -- $args
  "$PY" "$ROOT/tests/pipeline/gen_events.py" "$1" "$2" "$3" >"$SCRATCH/want.json"
  expect_exit 0 "gen $args" -- "$LADDER" gen events --seed "$1" --events "$2" --users "$3" -o "$SCRATCH/got.json"
  cmp -s "$SCRATCH/want.json" "$SCRATCH/got.json" && pass || fail "gen $args differs from CPython's"
done

# The C pipeline's summary is the CPython rung's, byte for byte.
cpython_summary() { # FILE N
  (cd "$ROOT/rungs/cpython" && LADDER_INPUT=$1 "$PY" bench.py pipeline "$2")
}
for args in "42 100000 5000" "9 20000 300" "11 5000 1"; do
  set -- $args
  "$LADDER" gen events --seed "$1" --events "$2" --users "$3" -o "$SCRATCH/ev.json"
  expect_exit 0 "pipeline $args" -- "$LADDER" pipeline "$SCRATCH/ev.json"
  printf '%s' "$OUT" >"$SCRATCH/c.txt"
  cpython_summary "$SCRATCH/ev.json" "$2" >"$SCRATCH/py.txt"
  cmp -s "$SCRATCH/c.txt" "$SCRATCH/py.txt" && pass || fail "pipeline $args differs from the CPython rung"
done
"$LADDER" pipeline "$SCRATCH/default.json" | cmp -s - "$ROOT/problems/pipeline/ref/100000.txt" && pass ||
  fail "pipeline of the default file differs from problems/pipeline/ref/100000.txt"
# Split over threads: the same summary (the default file is split; --threads 0 is every CPU).
for t in 2 3 0; do
  "$LADDER" pipeline "$SCRATCH/default.json" --threads $t | cmp -s - "$ROOT/problems/pipeline/ref/100000.txt" && pass ||
    fail "pipeline --threads $t of the default file differs from problems/pipeline/ref/100000.txt"
done
# ... and the same error when a key of a split file is damaged, in the first or a later chunk.
for at in 1000000 7000000 13000000; do
  cp "$SCRATCH/default.json" "$SCRATCH/damaged.json"
  python3 -c 'import sys; p, at = sys.argv[1], int(sys.argv[2]); b = bytearray(open(p, "rb").read())
i = b.index(b"\"user_id\"", at); b[i] = ord("#"); open(p, "wb").write(b)' "$SCRATCH/damaged.json" "$at"
  expect_exit 1 "pipeline --threads 2 of a file damaged at $at" -- "$LADDER" pipeline "$SCRATCH/damaged.json" --threads 2
  threaded=$ERR
  expect_exit 1 "pipeline of a file damaged at $at" -- "$LADDER" pipeline "$SCRATCH/damaged.json"
  [ "$threaded" = "$ERR" ] && pass || fail "damaged at $at: --threads 2 says '$threaded', one thread '$ERR'"
done
expect_exit 2 "pipeline --threads 65" -- "$LADDER" pipeline "$SCRATCH/default.json" --threads 65
expect_exit 0 "pipeline --repeat" -- "$LADDER" pipeline "$SCRATCH/default.json" --repeat 3
expect_contains "$ERR" "3 runs over 14308497 bytes" "pipeline --repeat reports times"

# The C rungs' pipeline reads at LADDER_SIMD's level, verified, and says so; without it, at the
# best this CPU has (sse2 and the others on x86-64 only).
if [ "$(uname -m)" = x86_64 ]; then
  for level in sse2 scalar; do
    LADDER_SIMD=$level expect_exit 0 "pipeline rungs at $level" -- "$LADDER" run pipeline -r c -r c-mt --size quick \
      --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/lv-$level" -q
    rows=$(json_query "$SCRATCH/lv-$level/results.json" "sorted((r['rung'], r['status'], r['verified'], r['simd']) for r in d['rows'])")
    [ "$rows" = "[('c', 'ok', True, '$level'), ('c-mt', 'ok', True, '$level')]" ] && pass || fail "pipeline at $level: $rows"
  done
fi

# Bad input: one line naming the position (and event), exit 1.
ev='{"user_id": 1, "event_type": "click", "timestamp": "2025-03-01T00:00:00+00:00", "metadata": {"page": "/a"}}'
bad() { # NAME CONTENT EXPECTED-SUBSTRING
  printf '%s' "$2" >"$SCRATCH/$1.json"
  expect_exit 1 "pipeline $1 --threads 4" -- "$LADDER" pipeline "$SCRATCH/$1.json" --threads 4
  local threaded=$ERR
  expect_exit 1 "pipeline $1" -- "$LADDER" pipeline "$SCRATCH/$1.json"
  [ "$threaded" = "$ERR" ] && pass || fail "pipeline $1: --threads 4 says '$threaded', one thread '$ERR'"
  expect_contains "$ERR" "$3" "pipeline $1"
  [ "$(wc -l <<<"$ERR")" = 1 ] && pass || fail "pipeline $1: error is not one line: $ERR"
  [ -z "$OUT" ] && pass || fail "pipeline $1 printed a summary"
}
bad truncated "[$ev, $ev" "truncated.json:1:218 (byte 217, after event 1): unexpected end of input"
bad truncated_inside "[$ev, {\"user_id\": 1, \"event_t" "(byte 125, event 1): unterminated string"
bad invalid "[$ev, {\"user_id\": 1,, }]" "(byte 124, event 1): expected a string key"
bad missing "[$ev, {\"user_id\": 2, \"timestamp\": \"2025-03-01T00:00:00+00:00\", \"metadata\": {}}]" \
  "(byte 110, event 1): missing field 'event_type'"
bad mistyped "[$ev, {\"user_id\": \"2\", \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": {}}]" \
  "(byte 122, event 1): user_id must be an integer, not a string"
bad timestamp "[$ev, {\"user_id\": 2, \"event_type\": \"click\", \"timestamp\": \"2025-03-01\", \"metadata\": {}}]" \
  "event 1): bad timestamp \"2025-03-01\""
bad not_array '{"events": []}' "not_array.json:1:1 (byte 0): the input must be a JSON array of events"
bad empty '' "empty input"
expect_exit 1 "pipeline of a missing file" -- "$LADDER" pipeline "$SCRATCH/none.json"
expect_contains "$ERR" "cannot open" "pipeline of a missing file"

# Usage errors: exit 2, and gen writes nothing on failure.
expect_exit 2 "pipeline without a file" -- "$LADDER" pipeline
expect_exit 2 "gen without a data set" -- "$LADDER" gen
expect_exit 2 "gen unknown data set" -- "$LADDER" gen users
expect_contains "$ERR" "unknown data set 'users'" "gen unknown data set"
expect_exit 2 "gen bad events" -- "$LADDER" gen events --events -5
expect_exit 2 "gen bad users" -- "$LADDER" gen events --users 0
expect_exit 2 "gen bad seed" -- "$LADDER" gen events --seed 12x
expect_exit 1 "gen into a missing folder" -- "$LADDER" gen events --events 10 -o "$SCRATCH/no/such/dir/x.json"
expect_contains "$ERR" "cannot write" "gen into a missing folder"
[ "$(wc -l <<<"$ERR")" = 1 ] && pass || fail "gen error is not one line: $ERR"

finish
