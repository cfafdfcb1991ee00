#!/usr/bin/env bash
# The HTML report, opened in headless Chromium: every timed row must be laid out as a bar.
source "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  fail "Chromium not found: run ./setup.sh --test"
  finish
fi

expect_exit 0 "run for the report" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" \
  -r fixture-ok -r cpython -r c -r fixture-wrong --runs 3 --out "$SCRATCH/res" -q
R=$SCRATCH/res/results.json
rows=$(json_query "$R" "len([r for r in d['rows'] if r['status']=='ok' and r['kernel_ns']])")
[ "$rows" -ge 2 ] && pass || fail "expected at least two timed rows, got $rows"
# one bar per timed row in the problem's chart, and one per approach but CPython in the summary
want=$((2 * rows - 1))

chrome() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$SCRATCH/chrome" --virtual-time-budget=3000 "$@" 2>/dev/null
}
dom=$(chrome --dump-dom "file://$SCRATCH/res/report.html")
drawn=$(sed -n 's/.*data-bars-drawn="\([0-9]*\)".*/\1/p' <<<"$dom" | head -n 1)
[ "$drawn" = "$want" ] && pass || fail "Chromium drew ${drawn:-no} bars, expected $want"
expect_contains "$dom" "speedup over CPython (log scale)" "chart axis label"
expect_contains "$dom" "wrong answer" "failed row's reason in the page"

# The lifecycle page: real tables, and the what-if slider's script lays out every bar with its total.
LADDER_TEST_LIFECYCLE_HTML="$SCRATCH/lifecycle.html" "$BUILD_DIR/test_results" >/dev/null
dom=$(chrome --dump-dom "file://$SCRATCH/lifecycle.html")
totals=$(grep -o 'class="total"[^>]*>[0-9.]* ms<' <<<"$dom" | wc -l)
[ "$totals" = 4 ] && pass || fail "the what-if script labelled $totals of 4 bars"
expect_contains "$dom" '<th class="n">DB driver</th>' "lifecycle phases as an HTML table"
[[ "$dom" != *"<pre"* ]] && pass || fail "the lifecycle page still has preformatted tables"

chrome --screenshot="$BUILD_DIR/report-screenshot.png" --window-size=1200,900 "file://$SCRATCH/res/report.html" >/dev/null
[ -s "$BUILD_DIR/report-screenshot.png" ] && pass || fail "no screenshot"

finish
