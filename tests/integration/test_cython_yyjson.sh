#!/usr/bin/env bash
# The cython-yyjson rung: skipped with one line while yyjson's sdist is not downloaded; where it is,
# its pipeline output equals the cpython rung's (the reference) and bad input fails with the byte
# offset and line, or with the event's index.
source "$(dirname "$0")/lib.sh"

expect_exit 0 "list without the sdist" -- env XDG_CACHE_HOME="$SCRATCH/cache" "$LADDER" list
expect_contains "$(grep -A1 '^  cython-yyjson ' <<<"$OUT")" "yyjson's sdist is not in $SCRATCH/cache/ladder" \
  "the check names the missing sdist"

venv=${LADDER_VENV:-$ROOT/build/venv}
if (cd "$ROOT/rungs/cython-yyjson" && LADDER_ROOT=$ROOT eval "$(json_query rungs/cython-yyjson/rung.json "d['check']")") \
     >/dev/null 2>&1; then
  expect_exit 0 "run beside the reference" -- "$LADDER" run pipeline --size 2000 -r cpython -r cython-yyjson \
    --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/res" -q
  R=$SCRATCH/res/results.json
  [ "$(json_query "$R" "sorted((r['rung'], r['status'], r['verified']) for r in d['rows'])")" = \
    "[('cpython', 'ok', True), ('cython-yyjson', 'ok', True)]" ] && pass \
    || fail "rows: $(json_query "$R" "[(r['rung'], r['status'], r['reason']) for r in d['rows']]")"
  so=$(ls "$BUILD_DIR"/rungs/cython-yyjson/ladder_yyjson*.so 2>/dev/null | head -n 1)
  if [ -n "$so" ]; then
    bad() {  # BYTES: the error the rung's pipeline gives on them
      printf '%s' "$1" >"$SCRATCH/bad.json"
      (cd "$ROOT/rungs/cython-yyjson" && LADDER_BUILD_DIR=$(dirname "$so") LADDER_INPUT=$SCRATCH/bad.json \
        "$venv/bin/python" bench.py pipeline 1 2>&1 | tail -n 1)
    }
    expect_contains "$(bad $'[\n {"user_id": 1,')" "invalid JSON at byte 17 (line 2, column 16)" "a parse error's place"
    expect_contains "$(bad '[{"user_id": 1}]')" "event 0: no 'event_type' field" "a missing field names the event"
    expect_contains "$(bad '{"a": 1}')" "not a JSON array of events" "the root must be an array"
  else
    fail "no ladder_yyjson module under $BUILD_DIR/rungs/cython-yyjson after the run"
  fi
else
  echo "test_cython_yyjson: the rung is unavailable here; only its check was tested"
fi

finish
