#!/usr/bin/env bash
# ladder http end to end on ladder's own contender: start, verify, load with real wrk, stop; the
# results document and the three reports; bad options.
source "$(dirname "$0")/lib.sh"

if ! command -v wrk >/dev/null; then
  fail "wrk not found: run ./setup.sh"
  finish
fi
expect_exit 0 "ladder http on the c contender" -- "$LADDER" http -c c -e plaintext -e validate -d 1 --workers 1 \
  --json --out "$SCRATCH/http" --strict
R=$SCRATCH/http/results.json
[ -s "$SCRATCH/http/report.html" ] && [ -s "$SCRATCH/http/report.md" ] && pass || fail "reports missing"
rows=$(json_query "$R" "[(r['problem'], r['status'], r['verified']) for r in d['rows']]")
[ "$rows" = "[('plaintext', 'ok', True), ('validate', 'ok', True)]" ] && pass || fail "rows: $rows"
json_query "$R" "all(r['http']['requests'] > 0 and r['http']['latency_us']['p99'] > 0 and 0 < r['http']['client_cpu_pct'] <= 100 for r in d['rows'])" \
  | grep -q True && pass || fail "load figures missing"
json_query "$R" "d['settings']['workers'] == [1] and d['settings']['connections'] == 128" | grep -q True && pass || fail "settings"
# the server's own cost beside req/s: its process tree's CPU, per CPU-second, busy, RSS; workers in every row
json_query "$R" "all(r['workers'] == 1 and r['http']['server']['cpu_s'] > 0 and r['http']['server']['requests_per_cpu_s'] > 0 and 0 < r['http']['server']['cpu_pct'] <= 105 and r['http']['server']['peak_rss_kb'] > 1000 and r['http']['server']['procs'] >= 1 and r['http']['latency_sweep'] is None for r in d['rows'])" \
  | grep -q True && pass || fail "server cost missing"
grep -q "Requests per server CPU-second" "$SCRATCH/http/report.md" && grep -q 'data-w-cpu=' "$SCRATCH/http/report.html" \
  && pass || fail "server cost not in the reports"
expect_exit 2 "bad workers" -- "$LADDER" http --workers 1,x
expect_exit 2 "bad rates" -- "$LADDER" http --rates 0
expect_exit 2 "bad rounds" -- "$LADDER" http --rounds 0
expect_exit 2 "too many rounds" -- "$LADDER" http --rounds 16
expect_exit 2 "bad seed" -- "$LADDER" http --seed -1
expect_exit 2 "common rate twice" -- "$LADDER" http --common-rate 500,500
expect_contains "$ERR" "500 given twice" "common rate twice"
expect_exit 2 "none in a list" -- "$LADDER" http --common-rate 0,500
expect_exit 2 "bad common rate" -- "$LADDER" http --common-rate 500,x
expect_exit 2 "too many common rates" -- "$LADDER" http --common-rate 1,2,3,4,5,6,7,8,9

# the latency sweep at fixed offered rates (oha, installed by contenders/setup.sh)
if [ -x "${LADDER_OHA:-}" ] || [ -x "$BUILD_DIR/tools/bin/oha" ] || command -v oha >/dev/null; then
  # two series (1 and 2 workers, both servers up at once), two interleaved rounds, a fixed seed
  expect_exit 0 "ladder http --latency" -- "$LADDER" http -c c -e json -d 1 --workers 1,2 --latency --rates 20,50 \
    --common-rate 700,500 --rate-duration 1 --rounds 2 --seed 11 --out "$SCRATCH/lat" --strict
  L=$SCRATCH/lat/results.json
  sweep=$(json_query "$L" "[(round(x['of_max'] or 0, 2), x['ok'], x['latency_us']['p99_9'] >= x['latency_us']['p99'] > 0, x['requests'] > 0) for x in d['rows'][0]['http']['latency_sweep']]")
  [ "$sweep" = "[(0.2, True, True, True), (0.5, True, True, True), (0, True, True, True), (0, True, True, True)]" ] && pass || fail "sweep: $sweep"
  json_query "$L" "[round(x['offered_rps']) for x in d['rows'][0]['http']['latency_sweep'][2:]] == [500, 700] and d['settings']['latency']['common_rates'] == [500, 700]" \
    | grep -q True && pass || fail "common rates, ascending"
  # both series side by side at each common rate, one of them marked lowest
  grep -A4 "p99 at the common rates: GET /json" "$SCRATCH/lat/report.md" | grep -c "ms" | grep -qx 2 \
    && grep -q "500/s.*700/s" "$SCRATCH/lat/report.md" && grep -A4 "p99 at the common rates" "$SCRATCH/lat/report.md" | grep -q " \*" \
    && pass || fail "the common-rate table"
  json_query "$L" "d['settings']['latency']['rounds'] == 2 and d['settings']['latency']['seed'] == 11" | grep -q True \
    && pass || fail "rounds and seed not recorded"
  # each round measured every (series, rate) once: its positions are 0..7 across both rows
  order=$(json_query "$L" "[sorted(p['position'] for r in d['rows'] for x in r['http']['latency_sweep'] for p in x['per_round'] if p['round'] == k) for k in (1, 2)]")
  [ "$order" = "[[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3, 4, 5, 6, 7]]" ] && pass || fail "round order: $order"
  # interleaved: the 1-worker series does not take the first four places of both rounds
  json_query "$L" "not all(sorted(p['position'] for x in d['rows'][0]['http']['latency_sweep'] for p in x['per_round'] if p['round'] == k) == [0, 1, 2, 3] for k in (1, 2))" \
    | grep -q True && pass || fail "the series were measured one after another"
  # the figures are the rounds' medians (two rounds: the mean of both) within their min-max
  json_query "$L" "all(len(x['per_round']) == 2 and all(p['ok'] and p['latency_us']['p99'] > 0 for p in x['per_round']) and abs(x['latency_us']['p99'] - sum(p['latency_us']['p99'] for p in x['per_round']) / 2) < 1e-6 * x['latency_us']['p99'] + 1e-6 and x['range_us']['p99'] == sorted(p['latency_us']['p99'] for p in x['per_round']) for r in d['rows'] for x in r['http']['latency_sweep'])" \
    | grep -q True && pass || fail "medians over rounds"
  grep -q "Latency at a fixed rate: GET /json" "$SCRATCH/lat/report.md" && grep -q 'class="chart latency"' "$SCRATCH/lat/report.html" \
    && grep -q "2 rounds" "$SCRATCH/lat/report.md" && pass || fail "latency sweep not in the reports"
else
  echo "skipping the --latency checks: oha is not installed (contenders/setup.sh installs it with cargo)"
fi

expect_exit 2 "unknown contender" -- "$LADDER" http -c nope
expect_contains "$ERR" "unknown contender 'nope'" "unknown contender"
expect_exit 2 "unknown endpoint" -- "$LADDER" http -e nope
expect_exit 2 "bad duration" -- "$LADDER" http -d 0
expect_exit 2 "bad cpu list" -- "$LADDER" http --server-cpus 'a;b'
finish
