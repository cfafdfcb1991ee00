#!/usr/bin/env bash
# The default job: `ladder run --size quick` over every rung, every row available must verify.
source "$(dirname "$0")/lib.sh"

expect_exit 0 "ladder run --size quick --strict" -- "$LADDER" run --size quick --strict --json --out "$SCRATCH/res" -q
R=$SCRATCH/res/results.json
[ -s "$R" ] && pass || fail "no results.json"

bad=$(json_query "$R" "[(r['problem'], r['rung'], r['status'], r['reason']) for r in d['rows'] if r['status']!='skipped' and not (r['status']=='ok' and r['verified'])]")
[ "$bad" = "[]" ] && pass || fail "rows not ok and verified: $bad"
for rung in c c-mt cpython; do
  n=$(json_query "$R" "len([r for r in d['rows'] if r['rung']=='$rung' and r['status']=='ok'])")
  want=$(json_query "$ROOT/rungs/$rung/rung.json" "len(d['problems'])")
  [ "$n" = "$want" ] && pass || fail "$rung verified $n problems, implements $want"
done
threads=$(json_query "$R" "sorted({r['threads'] for r in d['rows'] if r['rung']=='c-mt'})")
[ "$threads" = "[$(nproc)]" ] && pass || fail "c-mt should use $(nproc) threads, recorded $threads"
# 2 rounds of 3 samples at least; rows whose processes cost little get more rounds (--min-time)
json_query "$R" "all(2 <= r['rounds']['n'] <= d['settings']['max_rounds'] and len(r['samples_ns'])==3*r['rounds']['n'] and r['kernel_ns']['median']>0 and r['process']['max_rss_kb']>0 for r in d['rows'] if r['status']=='ok')" | grep -q True && pass || fail "samples or process figures missing"
json_query "$R" "any(r['rounds']['n'] > 2 for r in d['rows'] if r['status']=='ok' and r['kind']=='compiled')" | grep -q True && pass || fail "no compiled row got more rounds under the default --min-time"
json_query "$R" "bool(d['machine']['cpu_model']) and d['machine']['cores']>0 and bool(d['machine']['kernel'])" | grep -q True && pass || fail "machine info missing"
json_query "$R" "all(r['version'] for r in d['rows'] if r['status']=='ok')" | grep -q True && pass || fail "tool versions missing"

finish
