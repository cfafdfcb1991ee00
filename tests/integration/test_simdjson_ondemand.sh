#!/usr/bin/env bash
# The simdjson-ondemand rung (the pipeline on simdjson's On-Demand API), built by its manifest's
# own command: the same summary as ladder's C pipeline on generated logs and on awkward strings,
# and on bad input the same verdict, each rule of docs/specs/pipeline.md in turn, with the byte
# offset and event where simdjson can say them; the places where On-Demand is looser by design
# (values the walk skips) are checked too, so that a change there is noticed.
source "$(dirname "$0")/lib.sh"
RUNG=$ROOT/rungs/simdjson-ondemand
if ! (cd "$RUNG" && sh -c "$(json_query "$RUNG/rung.json" "d['check']")") >/dev/null 2>&1; then
  echo "$(basename "$0"): skipped, the rung's check fails: $(cd "$RUNG" && sh -c "$(json_query "$RUNG/rung.json" "d['check']")" 2>&1 | tail -n 1)"
  exit 0
fi
mkdir -p "$SCRATCH/build"
expect_exit 0 "build" -- env LADDER_BUILD_DIR="$SCRATCH/build" sh -c "cd '$RUNG' && $(json_query "$RUNG/rung.json" "d['build']")"
BIN=$SCRATCH/build/simdjson-ondemand-rung

sj() { LADDER_INPUT=$1 "$BIN" pipeline 1; }

for args in "42 3000 50" "9 20000 300" "11 5000 1" "5 1 1" "6 0 10"; do
  set -- $args
  "$LADDER" gen events --seed "$1" --events "$2" --users "$3" -o "$SCRATCH/ev.json"
  "$LADDER" pipeline "$SCRATCH/ev.json" >"$SCRATCH/c.txt"
  expect_exit 0 "simdjson-ondemand $args" -- sj "$SCRATCH/ev.json"
  cmp -s "$SCRATCH/c.txt" "$SCRATCH/out" && pass || fail "simdjson-ondemand $args differs from ladder's pipeline"
done

# LADDER_SIMD picks simdjson's kernel for the pipeline too (sse2: westmere, on every x86-64 CPU),
# and the rung says the level it ran at; a level that does not exist is an error.
"$LADDER" gen events --seed 9 --events 20000 --users 300 -o "$SCRATCH/ev.json"
"$LADDER" pipeline "$SCRATCH/ev.json" >"$SCRATCH/c.txt"
if [ "$(uname -m)" = x86_64 ]; then
  LADDER_SIMD=sse2 LADDER_TIMING_FD=3 LADDER_INPUT="$SCRATCH/ev.json" "$BIN" pipeline 1 \
    3>"$SCRATCH/timing" >"$SCRATCH/out" && pass || fail "simdjson-ondemand pipeline at sse2 failed"
  grep -qx "simd sse2" "$SCRATCH/timing" && pass || fail "no 'simd sse2' line: $(cat "$SCRATCH/timing")"
  cmp -s "$SCRATCH/c.txt" "$SCRATCH/out" && pass || fail "simdjson-ondemand at sse2 differs from ladder's pipeline"
fi
expect_exit 2 "simdjson-ondemand pipeline at a level that does not exist" -- \
  env LADDER_SIMD=sse3 LADDER_INPUT="$SCRATCH/ev.json" "$BIN" pipeline 1
expect_contains "$ERR" "LADDER_SIMD=sse3 is not a level" "simdjson-ondemand pipeline at sse3"

# Pages with escapes, non-ASCII, brackets and quotes; keys written with escapes; duplicate keys
# (the last wins); fields in another order; whitespace between tokens.
cat >"$SCRATCH/awkward.json" <<'JSON'
[ {"user_id": 7, "event_type": "click", "timestamp": "2025-04-01T10:00:00Z", "metadata": {"page": "/a\"b}, {\\", "x": [1, {"y": "]"}]}},
  {"metadata": {"p\u0061ge": "/caf\u00e9 \ud83d\ude00", "amount": 150.5}, "timestamp": "2025-04-02 11:00:00-02:30", "event_type": "purchase", "user\u005fid": 7},
  {"user_id": 3, "user_id": 2, "event_type": "search", "timestamp": "2025-05-01T00:00:00+01:00", "metadata": {"page": "/x", "page": "/y", "amount": 1e2}},
  {"user_id": -4, "event_type": "add_to_cart", "timestamp": "2025-09-30T23:59:59Z", "metadata": {"amount": 0.005}},
  {"user_id": 5, "event_type": "signup", "timestamp": "2025-05-01T00:00:00Z", "metadata": {}},
  {"user_id": 5, "event_type": "click", "timestamp": "2025-10-01T00:00:00Z", "metadata": {}}
]
JSON
"$LADDER" pipeline "$SCRATCH/awkward.json" >"$SCRATCH/c.txt"
expect_exit 0 "simdjson-ondemand awkward" -- sj "$SCRATCH/awkward.json"
cmp -s "$SCRATCH/c.txt" "$SCRATCH/out" && pass || fail "simdjson-ondemand awkward differs: $OUT vs $(cat "$SCRATCH/c.txt")"

# Bad input: exit 1, one line, no summary; NEEDLE is what the line must hold.
ev='{"user_id": 1, "event_type": "click", "timestamp": "2025-03-01T00:00:00+00:00", "metadata": {"page": "/a"}}'
bad() { # NAME CONTENT NEEDLE
  printf '%s' "$2" >"$SCRATCH/$1.json"
  expect_exit 1 "simdjson-ondemand $1" -- sj "$SCRATCH/$1.json"
  expect_contains "$ERR" "$3" "simdjson-ondemand $1"
  [ "$(wc -l <<<"$ERR")" = 1 ] && pass || fail "simdjson-ondemand $1: error is not one line: $ERR"
  [ -z "$OUT" ] && pass || fail "simdjson-ondemand $1 printed a summary"
}
bad truncated "[$ev, $ev" "ended early"
bad truncated_inside "[$ev, {\"user_id\": 1, \"event_t" "never closed"
bad invalid "[$ev, {\"user_id\": 1,, }]" "(byte 124, event 1): The JSON document has an improper structure"
bad missing "[$ev, {\"user_id\": 2, \"timestamp\": \"2025-03-01T00:00:00+00:00\", \"metadata\": {}}]" \
  "(byte 110, event 1): missing field 'event_type'"
bad mistyped "[$ev, {\"user_id\": \"2\", \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": {}}]" \
  "(byte 122, event 1): user_id must be an integer, not a string"
bad fraction "[{\"user_id\": 2.0, \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": {}}]" \
  "(byte 13, event 0): user_id must be an integer (no fraction or exponent) that fits 64 bits"
bad too_big "[{\"user_id\": 9223372036854775808, \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": {}}]" \
  "user_id must be an integer"
bad timestamp "[$ev, {\"user_id\": 2, \"event_type\": \"click\", \"timestamp\": \"2025-03-01\", \"metadata\": {}}]" \
  "(byte 161, event 1): bad timestamp \"2025-03-01\""
bad day "[{\"user_id\": 2, \"event_type\": \"signup\", \"timestamp\": \"2025-02-29T00:00:00Z\", \"metadata\": {}}]" \
  "day out of range"
bad offset "[{\"user_id\": 2, \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00+24:00\", \"metadata\": {}}]" \
  "UTC offset out of range"
bad type "[{\"user_id\": 2, \"event_type\": 5, \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": {}}]" \
  "event_type must be a string, not a number"
bad metadata "[{\"user_id\": 2, \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": []}]" \
  "metadata must be an object, not an array"
bad page "[{\"user_id\": 2, \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": {\"page\": null}}]" \
  "metadata.page must be a string, not null"
bad amount "[{\"user_id\": 2, \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": {\"amount\": \"5\"}}]" \
  "metadata.amount must be a number, not a string"
bad amount_range "[{\"user_id\": 2, \"event_type\": \"click\", \"timestamp\": \"2025-03-01T00:00:00Z\", \"metadata\": {\"amount\": 1e400}}]" \
  "metadata.amount"
bad event "[$ev, 5]" "event must be an object, not a number"
bad not_array '{"events": []}' "(byte 0): the input must be a JSON array of events"
bad empty '' "no JSON found"
bad trailing "[$ev] [1]" "unexpected text after the array"
bad utf8 "$(printf '[{"user_id": 2, "event_type": "click", "timestamp": "2025-03-01T00:00:00Z", "metadata": {"x": "\xff"}}]')" \
  "not valid UTF-8"
bad control "$(printf '[{"user_id": 2, "event_type": "click", "timestamp": "2025-03-01T00:00:00Z", "metadata": {"x": "a\tb"}}]')" \
  "unescaped characters"

# Looser than ladder's reader, by On-Demand's design: a value the walk skips is checked for
# structure and UTF-8 only. ladder's pipeline rejects both; this rung reads them as valid.
for skipped in '"x": tru' '"x": 01' '"x": -'; do
  printf '[{"user_id": 2, "event_type": "click", "timestamp": "2025-03-01T00:00:00Z", "metadata": {%s}}]' "$skipped" >"$SCRATCH/loose.json"
  expect_exit 1 "ladder pipeline rejects a skipped $skipped" -- "$LADDER" pipeline "$SCRATCH/loose.json"
  expect_exit 0 "simdjson-ondemand skips $skipped unchecked" -- sj "$SCRATCH/loose.json"
done

finish
