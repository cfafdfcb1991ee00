#!/usr/bin/env bash
# ladder build: every named rung checked and built as a run would, one line each, exit 1 when a
# build failed; a second call finds the cache; unknown rungs are usage errors. A build folder of
# its own (LADDER_BUILD) so the other tests' fixture builds are not raced.
source "$(dirname "$0")/lib.sh"
export LADDER_BUILD=$SCRATCH/build

expect_exit 1 "build with a failing rung" -- "$LADDER" build --rungs-dir "$FIXTURES" fixture-built fixture-build-fails \
  fixture-unavailable fixture-ok
expect_contains "$OUT" "fixture-built          built in" "fixture-built built"
expect_contains "$OUT" "fixture-build-fails    FAILED:" "fixture-build-fails failed"
expect_contains "$OUT" "deliberate build failure" "the failure's reason"
expect_contains "$OUT" "fixture-unavailable    unavailable: fixture-tool 9.9 is not installed" "unavailable with its reason"
expect_contains "$OUT" "fixture-ok             nothing to build" "a rung without a build step"
[ -s "$SCRATCH/build/rungs/fixture-built/product.bin" ] || [ -n "$(ls -A "$SCRATCH/build/rungs/fixture-built" 2>/dev/null)" ] \
  && pass || fail "nothing in the fixture's build folder"

expect_exit 0 "build again" -- "$LADDER" build --rungs-dir "$FIXTURES" fixture-built
expect_contains "$OUT" "fixture-built          cached" "the second build is cached"
# the run after it times instead of building
expect_exit 0 "run after build" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" -r fixture-built --runs 1 \
  --warmup 0 --rounds 1 --out "$SCRATCH/res" -q
[ "$(json_query "$SCRATCH/res/results.json" "d['rows'][0]['build']['cached']")" = True ] && pass || fail "the run rebuilt"

expect_exit 2 "unknown rung" -- "$LADDER" build no-such-rung
expect_exit 0 "help" -- "$LADDER" build --help
expect_contains "$OUT" "usage: ladder build" "help text"
finish
