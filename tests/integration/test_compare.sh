#!/usr/bin/env bash
# ladder compare: the same run twice is "no significant difference"; one rung made 10% slower on
# purpose is "slower" (exit 1 with --fail-on slower) and the others unchanged; rows in one
# document only are listed; different machines compare speedups over each one's CPython. The
# knob fixture reports fixed timings (LADDER_FIXTURE_FAKE_NS) so the verdicts do not depend on
# how busy the test machine is.
source "$(dirname "$0")/lib.sh"

run() { # OUT-DIR [EXTRA ARGS...]
  local out=$1; shift
  "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" -r fixture-knob -r fixture-knob2 --runs 5 --rounds 2 \
    --warmup 0 --out "$SCRATCH/$out" -q "$@" >/dev/null 2>&1
}
export LADDER_FIXTURE_FAKE_NS=1000000
run base --seed 1 || fail "base run"
run again --seed 2 || fail "second run"
LADDER_FIXTURE_EXTRA_PCT=10 LADDER_FIXTURE_SLOW_RUNG=fixture-knob run slow || fail "slow run"
run extra -r fixture-ok || fail "run with an extra rung"
B=$SCRATCH/base/results.json

expect_exit 0 "same twice" -- "$LADDER" compare "$B" "$SCRATCH/again/results.json" --fail-on slower
expect_contains "$OUT" "2 rows compared: 0 faster, 0 slower, 2 no significant difference" "same twice: counts"
expect_contains "$OUT" "Same machine" "same twice: method"

expect_exit 1 "10% slower, --fail-on slower" -- "$LADDER" compare "$B" "$SCRATCH/slow/results.json" --fail-on slower
expect_exit 0 "10% slower, no gate" -- "$LADDER" compare "$B" "$SCRATCH/slow/results.json" --json
echo "$OUT" >"$SCRATCH/cmp.json"
v() { json_query "$SCRATCH/cmp.json" "[r['verdict'] for r in d['comparisons'][0]['rows'] if r['rung']=='$1'][0]"; }
[ "$(v fixture-knob)" = slower ] && pass || fail "fixture-knob: $(v fixture-knob), expected slower"
[ "$(v fixture-knob2)" = "no significant difference" ] && pass || fail "fixture-knob2: $(v fixture-knob2)"
json_query "$SCRATCH/cmp.json" "[r for r in d['comparisons'][0]['rows'] if r['rung']=='fixture-knob'][0]['ratio']['lo'] > 1.05" | grep -q True && pass || fail "slower row's interval should be above 1.05"
json_query "$SCRATCH/cmp.json" "d['comparisons'][0]['rows'][0]['p'] is not None and d['comparisons'][0]['mode']=='same-machine'" | grep -q True && pass || fail "p-value or mode missing"

# a threshold above the change: significant, but within it; the gate passes
expect_exit 0 "threshold 20%" -- "$LADDER" compare "$B" "$SCRATCH/slow/results.json" --threshold 20 --fail-on slower
expect_contains "$OUT" "within threshold" "threshold 20%: verdict"

# rows in one document only are listed, not dropped
expect_exit 0 "extra rung" -- "$LADDER" compare "$B" "$SCRATCH/extra/results.json"
expect_contains "$OUT" "only in new" "row only in NEW"
expect_exit 0 "extra rung, reversed" -- "$LADDER" compare "$SCRATCH/extra/results.json" "$B"
expect_contains "$OUT" "only in base" "row only in BASE"

# several NEW documents against one BASE; Markdown and HTML
expect_exit 0 "three documents, markdown" -- "$LADDER" compare "$B" "$SCRATCH/again/results.json" "$SCRATCH/slow/results.json" --format md
[ "$(grep -c '^## Comparison' <<<"$OUT")" = 2 ] && pass || fail "expected two comparisons in Markdown"
expect_exit 0 "html" -- "$LADDER" compare "$B" "$SCRATCH/slow/results.json" --format html -o "$SCRATCH/cmp.html"
grep -q '<svg class="chart compare"' "$SCRATCH/cmp.html" && grep -q 'circle class="ratio"' "$SCRATCH/cmp.html" && pass || fail "no ratio chart in the HTML"

# drift: every row of a problem 20% slower in NEW (the machine, not the code) and one row 50% on top
# of that; rounds that differ by a few percent, as processes do. The drift is shown and taken
# out, only the one row is slower; --no-drift judges times as they are.
python3 - "$B" "$SCRATCH/drift-a.json" "$SCRATCH/drift-b.json" <<'PY'
import copy, json, sys
d = json.load(open(sys.argv[1]))
tmpl = [r for r in d["rows"] if r["rung"] == "fixture-knob"][0]
def doc(scale, odd):
    out = copy.deepcopy(d)
    out["rows"] = []
    for k in range(8):
        r = copy.deepcopy(tmpl)
        r["rung"] = r["rung_title"] = f"k{k}"
        per = r["rounds"]["per_round"]
        wiggle = [1 + 0.03 * ((k + i) % 3 - 1) for i in range(r["rounds"]["n"])]
        f = scale * (1.5 if k == 0 and odd else 1)
        r["samples_ns"] = [int(s * f * (k + 1) * wiggle[i // per]) for i, s in enumerate(r["samples_ns"])]
        out["rows"].append(r)
    return out
json.dump(doc(1, False), open(sys.argv[2], "w"))
json.dump(doc(1.2, True), open(sys.argv[3], "w"))
PY
expect_exit 1 "drift" -- "$LADDER" compare "$SCRATCH/drift-a.json" "$SCRATCH/drift-b.json" --fail-on slower --json
echo "$OUT" >"$SCRATCH/drift.json"
json_query "$SCRATCH/drift.json" "all(abs(r['drift'] - 1.2) < 0.01 for r in d['comparisons'][0]['rows'])" | grep -q True && pass || fail "drift of 1.2 not found in every row"
json_query "$SCRATCH/drift.json" "abs(d['comparisons'][0]['drift'][0]['lo'] - 1.2) < 0.01 and abs(d['comparisons'][0]['drift'][0]['hi'] - 1.2) < 0.01" | grep -q True && pass || fail "the problem's drift range should be 1.2"
json_query "$SCRATCH/drift.json" "sorted(r['rung'] for r in d['comparisons'][0]['rows'] if r['verdict'] == 'slower')" | grep -qx "\['k0'\]" && pass || fail "only k0 should be slower"
expect_exit 1 "no drift" -- "$LADDER" compare "$SCRATCH/drift-a.json" "$SCRATCH/drift-b.json" --no-drift --fail-on slower
expect_contains "$OUT" "8 rows compared: 0 faster, 8 slower" "--no-drift: every row slower"

# drift by process length: the 8 rows whose processes last 10 ms did not move, the 8 that last 1 s
# slowed 30% (a neighbour's build preempts long processes), and one short row is 15% slower. Each
# row's drift comes from the rows nearest it in process length, so only that row is slower; one
# drift for the whole problem (about 1.15) would call the short rows faster and the long slower.
python3 - "$B" "$SCRATCH/len-a.json" "$SCRATCH/len-b.json" <<'PY'
import copy, json, sys
d = json.load(open(sys.argv[1]))
tmpl = [r for r in d["rows"] if r["rung"] == "fixture-knob"][0]
def doc(new):
    out = copy.deepcopy(d)
    out["rows"] = []
    for k in range(16):
        r = copy.deepcopy(tmpl)
        r["rung"] = r["rung_title"] = f"{'short' if k < 8 else 'long'}{k}"
        r["process"]["wall_ns"] = int(1e7 * (1 + k / 20) if k < 8 else 1e9 * (1 + k / 20))
        per = r["rounds"]["per_round"]
        wiggle = [1 + 0.03 * ((k + i) % 3 - 1) for i in range(r["rounds"]["n"])]
        f = (1.3 if k >= 8 else 1.15 if k == 0 else 1.0) if new else 1
        r["samples_ns"] = [int(s * f * (k + 1) * wiggle[i // per]) for i, s in enumerate(r["samples_ns"])]
        out["rows"].append(r)
    return out
json.dump(doc(False), open(sys.argv[2], "w"))
json.dump(doc(True), open(sys.argv[3], "w"))
PY
expect_exit 1 "drift by length" -- "$LADDER" compare "$SCRATCH/len-a.json" "$SCRATCH/len-b.json" --fail-on slower --json
echo "$OUT" >"$SCRATCH/len.json"
json_query "$SCRATCH/len.json" "[(r['rung'], r['verdict']) for r in d['comparisons'][0]['rows'] if r['verdict'] != 'no significant difference']" \
  | grep -qx "\[('short0', 'slower')\]" && pass || fail "only short0 should be slower: $(json_query "$SCRATCH/len.json" "[(r['rung'], r['verdict']) for r in d['comparisons'][0]['rows']]")"
json_query "$SCRATCH/len.json" "[round(r['drift'], 2) for r in d['comparisons'][0]['rows']] == [1.0] * 8 + [1.3] * 8" | grep -q True && pass ||
  fail "short rows' drift 1.0, long rows' 1.3: $(json_query "$SCRATCH/len.json" "[round(r['drift'], 3) for r in d['comparisons'][0]['rows']]")"

# another machine: times are not compared, speedups over each document's own CPython are. The
# second knob rung stands in for CPython in both documents (it is unchanged in both).
for f in base slow; do
  python3 - "$SCRATCH/$f/results.json" "$SCRATCH/$f-x.json" "$f" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    if r["rung"] == "fixture-knob2":
        r["rung"] = "cpython"
if sys.argv[3] == "slow":
    d["machine"]["cpu_model"] = "Another CPU"
    for r in d["rows"]:  # a machine twice as fast: every time halves
        r["samples_ns"] = [s // 2 for s in r["samples_ns"]]
        r["kernel_ns"]["median"] /= 2
json.dump(d, open(sys.argv[2], "w"))
PY
done
expect_exit 1 "across machines" -- "$LADDER" compare "$SCRATCH/base-x.json" "$SCRATCH/slow-x.json" --fail-on slower --json
echo "$OUT" >"$SCRATCH/x.json"
json_query "$SCRATCH/x.json" "d['comparisons'][0]['mode']" | grep -q cross-machine && pass || fail "mode should be cross-machine"
[ "$(json_query "$SCRATCH/x.json" "[r['verdict'] for r in d['comparisons'][0]['rows'] if r['rung']=='fixture-knob'][0]")" = slower ] && pass || fail "relative to its CPython the knob rung got slower"
expect_exit 1 "across machines, text" -- "$LADDER" compare "$SCRATCH/base-x.json" "$SCRATCH/slow-x.json" --fail-on slower
expect_contains "$OUT" "machine records differ" "cross-machine is said"

# the compiled knob rung that scripts/compare-check.sh uses builds, verifies and times
"$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" -r fixture-knob-c --runs 2 --rounds 1 --out "$SCRATCH/knobc" -q \
  --json >"$SCRATCH/knobc.json" 2>/dev/null || fail "fixture-knob-c run"
json_query "$SCRATCH/knobc.json" "[r['verified'] and r['kernel_ns']['median'] > 0 for r in d['rows'] if r['rung']=='fixture-knob-c'] == [True]" \
  | grep -q True && pass || fail "fixture-knob-c should verify and report times"

expect_exit 2 "one document" -- "$LADDER" compare "$B"
expect_exit 1 "missing document" -- "$LADDER" compare "$B" "$SCRATCH/nope.json"
expect_exit 2 "bad --fail-on" -- "$LADDER" compare "$B" "$B" --fail-on faster
expect_exit 0 "help" -- "$LADDER" compare --help
expect_contains "$OUT" "--fail-on slower" "help text"

finish
