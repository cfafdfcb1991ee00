#!/usr/bin/env bash
# Build time and product size as measured costs: --rebuild builds from cold and records the build's
# wall time; a cached run records the time of the build that made the product; the product's size
# (globs and folders summed, a pattern that matches nothing ignored) is in every row and card.
source "$(dirname "$0")/lib.sh"

run_fixture() { # OUT-DIR EXTRA-ARGS...
  local out=$1; shift
  expect_exit 0 "run fixture-built $*" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" \
    -r fixture-built -r fixture-ok --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/$out" -q "$@"
}
build_of() { json_query "$SCRATCH/$1/results.json" "[r['build'] for r in d['rows'] if r['rung']=='$2'][0]$3"; }

mkdir -p "$BUILD_DIR/rungs/fixture-built/stale-cache"; echo old > "$BUILD_DIR/rungs/fixture-built/stale-cache/x"
run_fixture cold --rebuild
[ -e "$BUILD_DIR/rungs/fixture-built/stale-cache" ] && fail "--rebuild left the old build folder's contents" || pass
[ "$(build_of cold fixture-built "['cached']")" = False ] && pass || fail "--rebuild used the cache"
[ "$(build_of cold fixture-built "['wall_ns'] >= 0.3e9")" = True ] && pass || fail "cold build wall time below the build's 0.3 s sleep"
[ "$(build_of cold fixture-built "['last_wall_ns'] == [r['build'] for r in d['rows'] if r['rung']=='fixture-built'][0]['wall_ns']")" = True ] \
  && pass || fail "a fresh build's last_wall_ns is not its wall_ns"
[ "$(build_of cold fixture-built "['product_bytes']")" = 3100 ] && pass || fail "product bytes: $(build_of cold fixture-built "['product_bytes']"), expected 3000 + 100"
[ "$(build_of cold fixture-ok "")" = None ] && pass || fail "a rung without a build has a build record"
[ "$(json_query "$SCRATCH/cold/results.json" "d['settings']['rebuild']")" = True ] && pass || fail "settings.rebuild not recorded"
[ "$(json_query "$SCRATCH/cold/results.json" "bool(d['settings']['python'])")" = True ] && pass || fail "settings.python not recorded"
cold_ns=$(build_of cold fixture-built "['wall_ns']")

run_fixture warm
[ "$(build_of warm fixture-built "['cached']")" = True ] && pass || fail "the second run rebuilt"
[ "$(build_of warm fixture-built "['wall_ns']")" = 0 ] && pass || fail "a cached build has a wall time of its own"
[ "$(build_of warm fixture-built "['last_wall_ns']")" = "$cold_ns" ] && pass || fail "the cached build lost the cold build's time"
[ "$(build_of warm fixture-built "['product_bytes']")" = 3100 ] && pass || fail "cached product size"

# The cards show the build's time and the product's size beside what it costs.
md=$(cat "$SCRATCH/cold/report.md")
expect_contains "$md" "| Build | Product | What it costs you |" "Markdown card head"
expect_contains "$md" "3.0 KiB" "Markdown product size"
expect_contains "$(cat "$SCRATCH/warm/report.md")" ", cached" "a cached build labelled"
expect_contains "$(cat "$SCRATCH/cold/report.html")" "<th>Build</th><th>Product</th>" "HTML card head"
expect_exit 0 "terminal report" -- "$LADDER" report "$SCRATCH/cold/results.json"
expect_contains "$OUT" "Product" "terminal card head"

finish
