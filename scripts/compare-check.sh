#!/usr/bin/env bash
# Can ladder compare be trusted on this machine? Runs the lab three times back to back at one
# size: BASE, AGAIN (the same commit) and SLOW (the same, with the fixture-knob-c rung doing 10%
# more work), then compares AGAIN and SLOW with BASE. On a machine fit for deciding, AGAIN is
# "no significant difference" on at least 95% of rows, and SLOW finds the knob rung "slower"
# (exit 1 with --fail-on slower) and the others unchanged.
#
#   scripts/compare-check.sh [--rounds N] [--size S] [--out DIR] [-- MORE LADDER RUN ARGS]
#
# Prints each comparison's counts and the knob rung's row; the documents stay in DIR
# (default: a new folder under /tmp). Exit 0 when both checks hold, 1 when one does not, 2 on usage.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ladder=${LADDER:-$root/build/ladder}
rounds=6 size=quick out=
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=${2:?--rounds takes a count}; shift 2 ;;
    --size) size=${2:?--size takes a size}; shift 2 ;;
    --out) out=${2:?--out takes a folder}; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$ladder" ] || { echo "compare-check: $ladder not built (run ./setup.sh)" >&2; exit 2; }
out=${out:-$(mktemp -d /tmp/compare-check.XXXXXX)}
mkdir -p "$out/rungs" || exit 2
ln -sfn "$root/tests/fixtures/rungs/fixture-knob-c" "$out/rungs/fixture-knob-c"

run() { # NAME [LADDER RUN ARGS...] (the knob variables come from the caller's environment)
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$ladder" run --size "$size" --rounds "$rounds" --rungs-dir "$out/rungs" --out "$out/$name" -q "$@" \
    >/dev/null 2>"$out/$name.log" || true
  t1=$(date +%s.%N)
  [ -s "$out/$name/results.json" ] || { echo "compare-check: the $name run wrote no results (see $out/$name.log)" >&2; exit 1; }
  printf '%-6s %6.1f s\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
}
echo "rounds $rounds, size $size, results in $out" >&2
run base "$@"
run again "$@"
LADDER_FIXTURE_EXTRA_PCT=10 LADDER_FIXTURE_SLOW_RUNG=fixture-knob-c run slow "$@"

status=0
"$ladder" compare "$out/base/results.json" "$out/again/results.json" >"$out/again.txt"
"$ladder" compare "$out/base/results.json" "$out/slow/results.json" --json >"$out/slow.json"
"$ladder" compare "$out/base/results.json" "$out/slow/results.json" >"$out/slow.txt"
"$ladder" compare "$out/base/results.json" "$out/slow/results.json" --fail-on slower >/dev/null
gate=$?
python3 - "$out" "$gate" <<'PY' || status=1
import json, re, sys
out, gate = sys.argv[1], int(sys.argv[2])
again = open(f"{out}/again.txt").read().strip().splitlines()[-1]
m = re.match(r"(\d+) rows compared: \d+ faster, \d+ slower, (\d+) no significant", again)
total, same = int(m.group(1)), int(m.group(2))
print(f"same commit twice: {again}  -> {100 * same / total:.1f}% no significant difference")
rows = json.load(open(f"{out}/slow.json"))["comparisons"][0]["rows"]
knob = [r for r in rows if r["rung"] == "fixture-knob-c"][0]
others = [r for r in rows if r["rung"] != "fixture-knob-c" and r["verdict"] in
          ("faster", "slower", "no significant difference", "within threshold")]
moved = [f"{r['problem']}/{r['rung']} {r['verdict']}" for r in others if r["verdict"] != "no significant difference"]
ratio = knob["ratio"] or {}
print(f"knob +10%: {knob['verdict']} {ratio.get('est', 0):.3f} ({ratio.get('lo', 0):.3f}-{ratio.get('hi', 0):.3f}), "
      f"--fail-on slower exit {gate}; other rows moved: {len(moved)} of {len(others)} {moved}")
ok = same >= 0.95 * total and knob["verdict"] == "slower" and gate == 1
sys.exit(0 if ok else 1)
PY
exit $status
