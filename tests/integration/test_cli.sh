#!/usr/bin/env bash
# The CLI: help everywhere, clear one-line errors and exit codes for bad input, reports re-rendered.
source "$(dirname "$0")/lib.sh"

for cmd in "" list run verify exec report; do
  expect_exit 0 "ladder $cmd --help" -- "$LADDER" $cmd --help
  expect_contains "$OUT" "usage: ladder" "ladder $cmd --help"
done
expect_exit 2 "no command" -- "$LADDER"
expect_exit 2 "unknown command" -- "$LADDER" frobnicate
expect_contains "$ERR" "unknown command 'frobnicate'" "unknown command"

expect_exit 2 "unknown problem" -- "$LADDER" run no-such-problem --out "$SCRATCH/x"
expect_contains "$ERR" "unknown problem 'no-such-problem'" "unknown problem"
expect_exit 2 "unknown rung" -- "$LADDER" run nbody -r no-such-rung --out "$SCRATCH/x"
expect_contains "$ERR" "unknown rung 'no-such-rung'" "unknown rung"
expect_exit 2 "bad size" -- "$LADDER" run nbody --size huge --out "$SCRATCH/x"
expect_contains "$ERR" "--size must be quick, blog, bg or a positive integer" "bad size"
expect_exit 2 "zero size" -- "$LADDER" run nbody --size 0 --out "$SCRATCH/x"
expect_exit 2 "size out of range" -- "$LADDER" run fannkuch-redux --size 40 -r c --out "$SCRATCH/x"
expect_contains "$ERR" "outside fannkuch-redux's range" "size out of range"
expect_exit 2 "bad runs" -- "$LADDER" run nbody --runs 0 --out "$SCRATCH/x"
expect_exit 2 "bad timeout" -- "$LADDER" run nbody --timeout -1 --out "$SCRATCH/x"
expect_exit 2 "bad option" -- "$LADDER" run --no-such-option
[ -e "$SCRATCH/x" ] && fail "a rejected run wrote output" || pass

mkdir -p "$SCRATCH/broken/bad"
printf '{"name": "bad", "title": "t", "costs": "c", "problems": ["nbody"],\n  "run": }' >"$SCRATCH/broken/bad/rung.json"
expect_exit 1 "broken manifest" -- "$LADDER" list --rungs-dir "$SCRATCH/broken"
expect_contains "$ERR" "bad/rung.json:2:10" "broken manifest names file, line and column"
[ "$(wc -l <<<"$ERR")" = 1 ] && pass || fail "broken manifest error is not one line: $ERR"

expect_exit 2 "exec usage" -- "$LADDER" exec c nbody
expect_exit 2 "exec bad N" -- "$LADDER" exec c nbody ten
expect_exit 2 "exec unknown rung" -- "$LADDER" exec nope nbody 10
expect_exit 2 "exec not implemented" -- "$LADDER" exec c-mt nbody 10
expect_contains "$ERR" "does not implement" "exec not implemented"

expect_exit 1 "report of a missing file" -- "$LADDER" report "$SCRATCH/none.json"
expect_contains "$ERR" "cannot open" "missing results file"
printf '{"schema": "ladder.results/1", "rows": [' >"$SCRATCH/trunc.json"
expect_exit 1 "report of a truncated file" -- "$LADDER" report "$SCRATCH/trunc.json"
expect_contains "$ERR" "trunc.json:1:" "truncated results file"
printf '{"hello": 1}' >"$SCRATCH/other.json"
expect_exit 1 "report of a foreign JSON file" -- "$LADDER" report "$SCRATCH/other.json"
expect_contains "$ERR" "not a ladder results document" "foreign JSON"
expect_exit 2 "report bad format" -- "$LADDER" report "$SCRATCH/other.json" --format pdf

# A real run, then the three renderings from the same document.
expect_exit 0 "small run" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" -r fixture-ok -r c \
  --runs 3 --out "$SCRATCH/res" -q
expect_contains "$OUT" "n-body" "terminal card title"
expect_contains "$OUT" "vs CPython" "terminal card header"
expect_exit 0 "report md" -- "$LADDER" report "$SCRATCH/res/results.json" --format md
expect_contains "$OUT" "| Approach |" "markdown table"
"$LADDER" report "$SCRATCH/res/results.json" --format md >"$SCRATCH/r.md"
cmp -s "$SCRATCH/r.md" "$SCRATCH/res/report.md" && pass || fail "report --format md differs from report.md"
expect_exit 0 "report html to file" -- "$LADDER" report "$SCRATCH/res/results.json" --format html -o "$SCRATCH/r.html"
cmp -s "$SCRATCH/r.html" "$SCRATCH/res/report.html" && pass || fail "re-rendered html differs"
expect_exit 0 "list --json" -- "$LADDER" list --json
python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert {p["id"] for p in d["problems"]} >= {"nbody","spectral-norm","fannkuch-redux","mandelbrot","binary-trees"}' <<<"$OUT" && pass || fail "list --json problems"

finish
