#!/usr/bin/env bash
# --min-time: after the fixed rounds, rows whose processes took less than SEC in all get more
# rounds, up to --max-rounds, and a row that has its time gets none; round k of two rows is the
# same round, so speedups pair the rounds both ran.
source "$(dirname "$0")/lib.sh"

expect_exit 0 "run with --min-time" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" \
  -r fixture-ok -r fixture-slow -r fixture-knob-c --runs 2 --warmup 0 --rounds 2 --min-time 0.5 --max-rounds 6 \
  --seed 7 --out "$SCRATCH/res" -q
R=$SCRATCH/res/results.json
rounds() { json_query "$R" "[r['rounds']['n'] for r in d['rows'] if r['rung']=='$1'][0]"; }
samples() { json_query "$R" "len([r for r in d['rows'] if r['rung']=='$1'][0]['samples_ns'])"; }
[ "$(rounds fixture-knob-c)" = 6 ] && pass || fail "fixture-knob-c: $(rounds fixture-knob-c) rounds, expected the cap 6"
[ "$(samples fixture-knob-c)" = 12 ] && pass || fail "fixture-knob-c: $(samples fixture-knob-c) samples, expected 6 rounds x 2"
[ "$(rounds fixture-slow)" = 2 ] && pass || fail "fixture-slow: $(rounds fixture-slow) rounds, expected 2 (two 0.3 s processes pass 0.5 s)"
[ "$(samples fixture-slow)" = 4 ] && pass || fail "fixture-slow: $(samples fixture-slow) samples"
[ "$(json_query "$R" "(d['settings']['min_time_s'], d['settings']['max_rounds'])")" = "(0.5, 6)" ] && pass ||
  fail "min_time_s and max_rounds not in the settings"
expect_contains "$(cat "$SCRATCH/res/report.md")" "2 rounds (a row whose processes took under 0.5 s in all: more, up to 6)" "the report's run line"
expect_contains "$(cat "$SCRATCH/res/report.md")" "speedups pair the rounds both rows ran" "the report's speedup method"
# the process figures are means over the row's own rounds
[ "$(json_query "$R" "[r for r in d['rows'] if r['rung']=='fixture-slow'][0]['process']['wall_ns'] > 0.3e9")" = True ] &&
  pass || fail "fixture-slow's mean process wall time should exceed its 0.3 s sleep"

expect_exit 0 "run with --min-time 0" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" \
  -r fixture-knob-c --runs 2 --warmup 0 --rounds 3 --min-time 0 --max-rounds 6 --out "$SCRATCH/zero" -q
[ "$(json_query "$SCRATCH/zero/results.json" "d['rows'][0]['rounds']['n']")" = 3 ] && pass ||
  fail "--min-time 0 should give exactly --rounds"

expect_exit 2 "negative --min-time" -- "$LADDER" run nbody --min-time -1
expect_exit 2 "--max-rounds 0" -- "$LADDER" run nbody --max-rounds 0
finish
