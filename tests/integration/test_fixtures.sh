#!/usr/bin/env bash
# Rungs that fail to build, crash, hang or print a wrong answer each come out as exactly that
# status, with a reason, and the run goes on to the rungs after them.
source "$(dirname "$0")/lib.sh"

expect_exit 0 "run with broken fixtures" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" \
  -r fixture-build-fails -r fixture-crash -r fixture-hang -r fixture-wrong -r fixture-unavailable -r fixture-ok \
  --timeout 3 --runs 2 --warmup 1 --min-time 0 --out "$SCRATCH/res" --json -q
echo "$OUT" >"$SCRATCH/stdout.json"
R=$SCRATCH/res/results.json
cmp -s "$R" "$SCRATCH/stdout.json" && pass || fail "--json output differs from results.json"

check_row() { # RUNG STATUS FAILURE REASON-SUBSTRING
  local got; got=$(json_query "$R" "[(r['status'], r['failure'] or '-') for r in d['rows'] if r['rung']=='$1'][0]")
  [ "$got" = "('$2', '$3')" ] && pass || fail "$1: got $got, expected ('$2', '$3')"
  expect_contains "$(json_query "$R" "[r['reason'] or '' for r in d['rows'] if r['rung']=='$1'][0]")" "$4" "$1 reason"
}
check_row fixture-build-fails failed build "deliberate build failure"
check_row fixture-crash failed crash "SIGSEGV"
check_row fixture-hang failed timeout "timed out after 3.0 s"
check_row fixture-wrong failed wrong "line 2 differs: expected '-0.169087605', got '-0.169000000'"
check_row fixture-unavailable skipped unavailable "fixture-tool 9.9 is not installed"
check_row fixture-ok ok - ""

[ "$(json_query "$R" "[r for r in d['rows'] if r['rung']=='fixture-ok'][0]['verified']")" = True ] && pass || fail "fixture-ok not verified"
# two rounds by default (and --min-time 0): each started the rung once more, and the samples pooled
[ "$(json_query "$R" "len([r for r in d['rows'] if r['rung']=='fixture-ok'][0]['samples_ns'])")" = 4 ] && pass || fail "fixture-ok should have 2 rounds x 2 samples"
[ "$(json_query "$R" "len([r for r in d['rows'] if r['rung']=='fixture-ok'][0]['warmup_ns'])")" = 2 ] && pass || fail "fixture-ok should have 2 rounds x 1 warm-up sample"
[ "$(json_query "$R" "[r for r in d['rows'] if r['rung']=='fixture-ok'][0]['rounds']['n']")" = 2 ] && pass || fail "fixture-ok should record 2 rounds"
[ "$(json_query "$R" "d['settings']['rounds'] == 2 and isinstance(d['settings']['seed'], int)")" = True ] && pass || fail "rounds and seed not in the settings"
[ "$(json_query "$R" "[r for r in d['rows'] if r['rung']=='fixture-hang'][0]['process']['wall_ns'] < 10e9")" = True ] && pass || fail "the hang was not cut at the timeout"

# The hanging rung left a grandchild: the timeout must have killed the whole process group.
pidfile=$BUILD_DIR/rungs/fixture-hang/child.pid
if [ -s "$pidfile" ]; then
  child=$(cat "$pidfile")
  for _ in $(seq 40); do alive "$child" || break; sleep 0.05; done
  if alive "$child"; then fail "the hung rung's grandchild survived: $(cat "/proc/$child/stat" 2>/dev/null)"; else pass; fi
else
  fail "fixture-hang wrote no child.pid"
fi

# --strict turns failed rows into a non-zero exit; the reports are still written.
expect_exit 1 "--strict with failures" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" \
  -r fixture-wrong -r fixture-ok --out "$SCRATCH/strict" --strict -q
[ -s "$SCRATCH/strict/report.html" ] && [ -s "$SCRATCH/strict/report.md" ] && pass || fail "reports missing after --strict"
expect_exit 0 "--strict when all verify" -- "$LADDER" run nbody --size 1000 --rungs-dir "$FIXTURES" \
  -r fixture-ok --out "$SCRATCH/strict-ok" --strict -q
ls "$SCRATCH"/strict*/*.tmp.* >/dev/null 2>&1 && fail "temporary files left behind" || pass

finish
