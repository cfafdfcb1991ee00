#!/usr/bin/env bash
# Rungs as data, one per interpreter: a per_interpreter manifest becomes one rung per line its
# discovery prints (bad lines dropped), each running on its own interpreter; --python repeated
# hands the later interpreters to the discovery; a template that finds none stays, skipped with
# its check's reason. The CPython versions card groups the cpython-3.X rungs.
source "$(dirname "$0")/lib.sh"
PY=$(command -v python3)

expect_exit 0 "list" -- "$LADDER" list --rungs-dir "$FIXTURES"
expect_contains "$OUT" "fixture-interp-a" "an instance is listed"
expect_contains "$OUT" "Fixture on A" "an instance has its discovered title"
grep -q "fixture-interp-bad\|fixture-interp-notabs\|fixture-interp " <<<"$OUT" && fail "a bad discovery line became a rung" || pass
grep -q "fixture-interp-more" <<<"$OUT" && fail "an instance without a second --python" || pass

expect_exit 0 "run instances" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" --python "$PY" --python "$PY" \
  -r fixture-interp-a -r fixture-interp-more -r fixture-interp-none --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/res" -q
R=$SCRATCH/res/results.json
[ "$(json_query "$R" "sorted((r['rung'], r['status'], r['verified']) for r in d['rows'])")" = \
  "[('fixture-interp-a', 'ok', True), ('fixture-interp-more', 'ok', True), ('fixture-interp-none', 'skipped', False)]" ] \
  && pass || fail "rows: $(json_query "$R" "[(r['rung'], r['status'], r['reason']) for r in d['rows']]")"
expect_contains "$(json_query "$R" "[r['reason'] for r in d['rows'] if r['rung']=='fixture-interp-none'][0]")" \
  "no interpreter found for this fixture" "the template's check is the reason"
[ "$(json_query "$R" "d['settings']['python']")" = "$PY" ] && pass || fail "the baseline interpreter is not the first --python"
expect_exit 2 "a template name is not a rung once expanded" -- "$LADDER" run nbody --rungs-dir "$FIXTURES" -r fixture-interp -q

# The CPython versions card, from a document with cpython-3.X rows (a report needs no interpreter).
python3 - "$R" "$SCRATCH/versions.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = [r for r in d['rows'] if r['rung'] == 'fixture-interp-a'][0]
rows = []
for rung, title, version in (('cpython', 'CPython', 'CPython 3.11.7'), ('cpython-3.13t', 'CPython 3.13.0 free-threaded', ''),
                             ('cpython-3.9', 'CPython 3.9.18', '')):
    r = dict(ok, rung=rung, rung_title=title, version=version)
    rows.append(r)
d['rows'] = rows
json.dump(d, open(sys.argv[2], 'w'))
PY
expect_exit 0 "report with versions" -- "$LADDER" report "$SCRATCH/versions.json"
expect_contains "$OUT" "CPython versions" "the versions card"
expect_contains "$OUT" "baseline: CPython 3.11.7" "the baseline named with its version"
card=$(sed -n '/^CPython versions/,/^$/p' <<<"$OUT")
v39=$(grep -n "^CPython 3.9.18 " <<<"$card" | head -1 | cut -d: -f1); v313=$(grep -n "^CPython 3.13.0 free-threaded" <<<"$card" | head -1 | cut -d: -f1)
[ -n "$v39" ] && [ -n "$v313" ] && [ "$v39" -lt "$v313" ] && pass || fail "versions not oldest first: 3.9 at '$v39', 3.13t at '$v313'"

finish
