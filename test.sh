#!/usr/bin/env bash
# Builds ladder four ways and runs every test: warnings as errors (gcc), ASan+UBSan (gcc),
# ThreadSanitizer for the threaded units (gcc) and the libFuzzer targets (clang). Run
# ./setup.sh --test first. Prints one closing line "test: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
jobs=$(nproc 2>/dev/null || echo 2)
# oha, which setup.sh installs into build/ for `ladder http --latency`, serves the tests of every
# build folder below (without it test_http_bench skips its latency checks)
[ -x build/tools/bin/oha ] && export LADDER_OHA="${LADDER_OHA:-$PWD/build/tools/bin/oha}"
passed=0 failed=0

configure_build() { # DIR CC ARGS... (with $targets set: only those targets)
  local dir=$1 cc=$2; shift 2
  # shellcheck disable=SC2086 # $targets is a list of words
  CC=$cc cmake -S . -B "$dir" -G Ninja "$@" >/dev/null && cmake --build "$dir" -j "$jobs" ${targets:+--target $targets}
}

run_ctest() { # DIR ARGS...
  local dir=$1; shift
  local log; log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" "$@" 2>&1 | tee "$log"
  local line; line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "test.sh: ctest in $dir reported nothing" >&2
    failed=$((failed + 1))
    return
  fi
  local total fail
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  fail=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
  passed=$((passed + total - fail))
  failed=$((failed + fail))
}

echo "== release build, -Werror (gcc)"
if configure_build build-werror gcc -DCMAKE_BUILD_TYPE=Release -DLADDER_WERROR=ON; then
  run_ctest build-werror
else
  echo "test.sh: the -Werror build failed" >&2; failed=$((failed + 1))
fi

echo "== ASan + UBSan build (gcc)"
if configure_build build-asan gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLADDER_WERROR=ON -DLADDER_SANITIZE=ON; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LADDER_SANITIZED=1 run_ctest build-asan -LE slow
else
  echo "test.sh: the sanitizer build failed" >&2; failed=$((failed + 1))
fi

echo "== ThreadSanitizer build of the threaded units (gcc)"
# the c-mt pipeline's pool, chunk queue and merge, and the kernels' threads
if targets="test_pipeline test_kernels" configure_build build-tsan gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLADDER_WERROR=ON -DLADDER_TSAN=ON; then
  TSAN_OPTIONS=halt_on_error=1 run_ctest build-tsan -R '^unit[.]test_(pipeline|kernels)$'
else
  echo "test.sh: the ThreadSanitizer build failed" >&2; failed=$((failed + 1))
fi

echo "== libFuzzer targets (clang)"
if command -v clang >/dev/null; then
  if configure_build build-fuzz clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLADDER_WERROR=ON -DLADDER_FUZZ=ON; then
    run_ctest build-fuzz -L fuzz
  else
    echo "test.sh: the fuzz build failed" >&2; failed=$((failed + 1))
  fi
else
  echo "test.sh: clang not found: run ./setup.sh --test" >&2; failed=$((failed + 1))
fi

echo "test: $passed passed, $failed failed"
[ "$failed" = 0 ]
