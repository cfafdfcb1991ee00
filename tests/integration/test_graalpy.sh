#!/usr/bin/env bash
# The graalpy rung: its check skips with one line when Maven, a JDK 21+ or GraalPy's artifacts are
# missing (and the harness makes that the row's reason); the JDK finder takes LADDER_JAVA_HOME or
# the newest JDK. Where setup.sh fetched GraalPy, the launcher tells the JIT's state and refuses to
# run on Truffle's fallback interpreter, and bench.py verifies inside GraalPy.
source "$(dirname "$0")/lib.sh"
G=$ROOT/rungs/graalpy

expect_exit 1 "a LADDER_JAVA_HOME that is no JDK" -- env LADDER_JAVA_HOME="$SCRATCH/nojdk" sh "$G/check.sh"
expect_contains "$OUT" "is not a JDK" "the check says why"
[ "$(wc -l <<<"$OUT")" = 1 ] && pass || fail "the check's reason is not one line: $OUT"
mkdir -p "$SCRATCH/jdk20/bin" && touch "$SCRATCH/jdk20/bin/java" "$SCRATCH/jdk20/bin/javac"
chmod +x "$SCRATCH/jdk20/bin/"* && echo 'JAVA_VERSION="20.0.2"' >"$SCRATCH/jdk20/release"
expect_exit 1 "a JDK older than 21" -- env LADDER_JAVA_HOME="$SCRATCH/jdk20" sh "$G/java-home.sh"
expect_contains "$OUT" "JDK 20; GraalPy needs 21 or later" "too old a JDK is named"

mkdir -p "$SCRATCH/bin" && ln -s "$(command -v sh)" "$SCRATCH/bin/sh"
for tool in sed dirname readlink cat head; do ln -s "$(command -v $tool)" "$SCRATCH/bin/$tool"; done
expect_exit 1 "no mvn on PATH" -- env PATH="$SCRATCH/bin" sh "$G/check.sh"
expect_contains "$OUT" "mvn not found" "a missing Maven is the reason"

if jdk=$(sh "$G/java-home.sh") && command -v mvn >/dev/null; then
  expect_exit 0 "the newest JDK" -- sh "$G/java-home.sh"
  [ "$OUT" = "$jdk" ] && [ -x "$OUT/bin/java" ] && pass || fail "java-home.sh printed '$OUT'"
  # no artifacts: the rung is skipped with the check's reason, never run
  expect_exit 0 "run without artifacts" -- env LADDER_M2_REPOSITORY="$SCRATCH/m2" XDG_CACHE_HOME="$SCRATCH/cache" \
    "$LADDER" run nbody --size 1000 -r graalpy --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/res" -q
  R=$SCRATCH/res/results.json
  [ "$(json_query "$R" "[(r['rung'], r['status']) for r in d['rows']]")" = "[('graalpy', 'skipped')]" ] && pass \
    || fail "rows: $(json_query "$R" "[(r['rung'], r['status'], r['reason']) for r in d['rows']]")"
  expect_contains "$(json_query "$R" "d['rows'][0]['reason']")" "run rungs/graalpy/setup.sh" "the reason says what to run"
fi

if sh "$G/check.sh" >/dev/null 2>&1; then
  export LADDER_BUILD_DIR=$SCRATCH/graalpy
  mkdir -p "$LADDER_BUILD_DIR"
  expect_exit 0 "build the launcher offline" -- sh "$G/build.sh"
  expect_exit 0 "the runtime with the compiler" -- sh "$G/run.sh" --runtime
  expect_contains "$OUT" "JIT on" "the optimizing runtime is detected"
  expect_exit 1 "the runtime without the compiler" -- env LADDER_GRAALPY_JIT=off sh "$G/run.sh" --runtime
  expect_contains "$OUT" "JIT off (fallback interpreter)" "the fallback runtime is detected"
  expect_exit 1 "no run on the fallback interpreter" -- env LADDER_GRAALPY_JIT=off sh "$G/run.sh" \
    "$ROOT/rungs/cpython/bench.py" nbody 1000
  expect_contains "$ERR" "the JIT is off" "the refusal says why"
  [ -z "$OUT" ] && pass || fail "the refused run printed: $OUT"
  expect_exit 1 "SystemExit's message and status" -- sh "$G/run.sh" "$ROOT/rungs/cpython/bench.py" nbody 0
  expect_contains "$ERR" "N must be a positive integer, not 0" "bench.py's reason reaches stderr"
  expect_exit 0 "verify inside GraalPy" -- "$LADDER" verify nbody -r graalpy --max-size 1000
  expect_contains "$OUT" "graalpy" "the rung was verified"
else
  echo "test_graalpy: GraalPy not set up ($(sh "$G/check.sh")); the launcher's checks were not run"
fi

finish
