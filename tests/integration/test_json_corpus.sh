#!/usr/bin/env bash
# The json-corpus problem (docs/specs/json-corpus.md): `ladder run json-corpus --size quick` verifies
# every available rung against the reference and records the bytes each iteration reads, so the
# card shows throughput, and the time and throughput of each file, which every rung reports as a
# part of its iterations; a rung with one wrong digest fails verification, one whose part takes
# longer than its iteration fails the protocol; the digest changes with
# one changed digit or string byte; and every rung that ran gives the cpython rung's digest on
# awkward values (escapes, U+0000, -0, 2^53 + 1, 64-bit extremes, subnormals, scalar roots).
source "$(dirname "$0")/lib.sh"
export LADDER_VENV=${LADDER_VENV:-$ROOT/build/venv}
PY=${LADDER_PYTHON:-python3}
RUNGS=(c c-ondemand simdjson simdjson-ondemand yyjson orjson cpython)

expect_exit 0 "run json-corpus --size quick" -- "$LADDER" run json-corpus --size quick --runs 1 --warmup 0 \
  --rounds 1 --out "$SCRATCH/res" -q
R=$SCRATCH/res/results.json
total=0
for f in canada citm_catalog twitter; do total=$((total + $(wc -c <"$ROOT/data/json/$f.json"))); done
rows=$(json_query "$R" "sorted((r['rung'], r['status'], r['verified'], r.get('work_bytes')) for r in d['rows'])")
for r in "${RUNGS[@]}"; do
  row=$(json_query "$R" "[(r['status'], r['verified'], r.get('work_bytes'), r['reason']) for r in d['rows'] if r['rung'] == '$r']")
  case "$row" in
    "[('ok', True, $total, None)]"|"[('ok', True, $total, '')]") pass ;;
    "[('skipped', False, None, "*) echo "test_json_corpus: $r skipped: $row" ;;
    *) fail "row $r: $row" ;;
  esac
done
# the rungs that need nothing beyond the project's own build must have run
for r in c c-ondemand cpython; do
  grep -qF "('$r', 'ok', True, $total)" <<<"$rows" && pass || fail "$r did not verify: $rows"
done
[ "$(json_query "$R" "len([r for r in d['rows'] if r['status'] == 'failed'])")" = 0 ] && pass \
  || fail "failed rows: $(json_query "$R" "[(r['rung'], r['reason']) for r in d['rows'] if r['status'] == 'failed']")"
[ "$(json_query "$R" "all(r['bytes_per_s'] > 0 for r in d['rows'] if r['status'] == 'ok')")" = True ] && pass \
  || fail "an ok row has no bytes_per_s"
# every ok row timed each file as a part of its iterations: the bundle's names and sizes in its
# order, one sample per counted iteration, none longer than the slowest iteration, a positive throughput
want="[('canada.json', $(wc -c <"$ROOT/data/json/canada.json"), True, True, True)"
want+=", ('citm_catalog.json', $(wc -c <"$ROOT/data/json/citm_catalog.json"), True, True, True)"
want+=", ('twitter.json', $(wc -c <"$ROOT/data/json/twitter.json"), True, True, True)]"
for r in "${RUNGS[@]}"; do
  parts=$(json_query "$R" "[[(p['name'], p['bytes'], p['bytes_per_s'] > 0, p['ns']['n'] == r['kernel_ns']['n'],
    0 < p['ns']['median'] <= r['kernel_ns']['max']) for p in r['parts'] or []] for r in d['rows']
    if r['rung'] == '$r' and r['status'] == 'ok']")
  case "$parts" in
    "[]") ;; # skipped above
    "[$want]") pass ;;
    *) fail "$r's parts: $parts, want [$want]" ;;
  esac
done
expect_contains "$(cat "$SCRATCH/res/report.md")" "Parts, timed inside the same iterations" "report.md's parts table"
expect_contains "$(cat "$SCRATCH/res/report.md")" "| twitter.json (" "report.md's parts table"
expect_contains "$(cat "$SCRATCH/res/report.html")" "<h3>Parts" "report.html's parts table"
expect_contains "$(cat "$SCRATCH/res/report.md")" "| Throughput |" "report.md's throughput column"
expect_contains "$(cat "$SCRATCH/res/report.html")" "<th>Throughput</th>" "report.html's throughput column"
grep -qE '[0-9] (MB|GB)/s' "$SCRATCH/res/report.md" && pass || fail "no MB/s or GB/s in report.md"

# scripts/parts-pairs.py reads the parts of two rows round by round: a line per file, in order,
# with the ratio over all rounds; a rung with no row is an error naming it.
pairs=$("$PY" "$ROOT/scripts/parts-pairs.py" "$R" c/c-ondemand)
[ "$(grep -c '^c vs c-ondemand ' <<<"$pairs")" = 3 ] && pass || fail "parts-pairs lines: $pairs"
[ "$(sed -E 's/^c vs c-ondemand +([a-z_]+\.json) +all [0-9.]+ .*/\1/' <<<"$pairs" | tr '\n' ' ')" = \
  "canada.json citm_catalog.json twitter.json " ] && pass || fail "parts-pairs files: $pairs"
expect_exit 1 "parts-pairs with a rung that has no row" -- "$PY" "$ROOT/scripts/parts-pairs.py" "$R" c/nosuchrung

# LADDER_SIMD picks the on-demand reader's scanners and simdjson's kernel at that level (sse2: on
# every x86-64 CPU), and each row says the level it ran at; without it, c-ondemand runs the best
# this CPU has; a level that does not exist fails each row with a line saying so.
best=scalar
if [ "$(uname -m)" = x86_64 ]; then
  best=sse2
  grep -qw avx2 /proc/cpuinfo && best=avx2
  grep -qw avx512bw /proc/cpuinfo && best=avx512
fi
[ "$(json_query "$R" "[r['simd'] for r in d['rows'] if r['rung'] == 'c-ondemand']")" = "['$best']" ] && pass \
  || fail "c-ondemand's level: $(json_query "$R" "[r['simd'] for r in d['rows'] if r['rung'] == 'c-ondemand']"), want $best"
# at_sse2 PROBLEM RUNG...: a run at LADDER_SIMD=sse2 whose rows each verified and say sse2 (a
# simdjson rung may be skipped where simdjson is not installed, c-ondemand may not).
at_sse2() {
  local problem=$1 r row
  shift
  LADDER_SIMD=sse2 expect_exit 0 "$problem at sse2" -- "$LADDER" run "$problem" $(printf -- '-r %s ' "$@") \
    --size quick --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/sse2-$problem" -q
  for r in "$@"; do
    row=$(json_query "$SCRATCH/sse2-$problem/results.json" "[(r['status'], r['verified'], r['simd']) for r in d['rows'] if r['rung'] == '$r']")
    case "$row" in
      "[('ok', True, 'sse2')]") pass ;;
      "[('skipped', False, None)]") [ "$r" != c-ondemand ] && pass || fail "$problem: c-ondemand skipped at sse2" ;;
      *) fail "$problem: $r at LADDER_SIMD=sse2: $row" ;;
    esac
  done
}
if [ "$(uname -m)" = x86_64 ]; then
  at_sse2 json-corpus c-ondemand simdjson simdjson-ondemand
  at_sse2 json-parse c-ondemand simdjson
fi
LADDER_SIMD=sse3 expect_exit 0 "json-corpus at a level that does not exist" -- "$LADDER" run json-corpus \
  -r c-ondemand -r simdjson-ondemand --size quick --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/nolevel" -q
for r in c-ondemand simdjson-ondemand; do
  row=$(json_query "$SCRATCH/nolevel/results.json" "[(r['status'], 'LADDER_SIMD=sse3 is not a level' in (r['reason'] or '')) for r in d['rows'] if r['rung'] == '$r']")
  case "$row" in
    "[('failed', True)]") pass ;;
    "[('skipped', False)]") [ "$r" != c-ondemand ] && pass || fail "c-ondemand skipped" ;;
    *) fail "$r at LADDER_SIMD=sse3: $row" ;;
  esac
done

# A rung whose output is the reference with one digest's last digit changed is wrong.
mkdir -p "$SCRATCH/rungs/wrong-digest"
cat >"$SCRATCH/rungs/wrong-digest/rung.json" <<'JSON'
{"name": "wrong-digest", "title": "one wrong digest", "kind": "test", "costs": "-", "problems": ["json-corpus"],
 "run": "sh ./run.sh"}
JSON
cat >"$SCRATCH/rungs/wrong-digest/run.sh" <<'SH'
printf 'threads 1\nbytes 1\nns 1000\n' >&"$LADDER_TIMING_FD"
sed '2s/.$/x/' "$LADDER_ROOT/problems/json-corpus/ref/1.txt"
SH
expect_exit 0 "run the wrong digest" -- "$LADDER" run json-corpus -r wrong-digest --rungs-dir "$SCRATCH/rungs" \
  --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/wrong" -q
rows=$(json_query "$SCRATCH/wrong/results.json" "sorted((r['rung'], r['status'], r['failure'], r['verified']) for r in d['rows'])")
[ "$rows" = "[('wrong-digest', 'failed', 'wrong', False)]" ] && pass || fail "rows: $rows"

# A part that took longer than its iteration is the protocol's failure, with the reason.
mkdir -p "$SCRATCH/rungs/long-part"
sed 's/wrong-digest/long-part/; s/one wrong digest/a part longer than its iteration/' \
  "$SCRATCH/rungs/wrong-digest/rung.json" >"$SCRATCH/rungs/long-part/rung.json"
cat >"$SCRATCH/rungs/long-part/run.sh" <<'SH'
printf 'threads 1\npart canada.json 5 2000\nns 1000\n' >&"$LADDER_TIMING_FD"
cat "$LADDER_ROOT/problems/json-corpus/ref/1.txt"
SH
expect_exit 0 "run the long part" -- "$LADDER" run json-corpus -r long-part --rungs-dir "$SCRATCH/rungs" \
  --runs 1 --warmup 0 --rounds 1 --out "$SCRATCH/long" -q
rows=$(json_query "$SCRATCH/long/results.json" "[(r['status'], r['failure'], r['reason']) for r in d['rows']]")
expect_contains "$rows" "('failed', 'protocol', \"part 'canada.json' on line 2 took 2000 ns, more than its iteration's 1000" \
  "the long part's row"

# Runs an already built rung directly on a bundle: run_rung NAME BUNDLE.
run_rung() {
  local dir=$ROOT/rungs/$1
  (cd "$dir" && env $(json_query rung.json "' '.join(f'{k}={v}' for k, v in d.get('env', {}).items())") \
    LADDER_ROOT="$ROOT" LADDER_RUNG_DIR="$dir" LADDER_BUILD_DIR="$BUILD_DIR/rungs/$1" LADDER_PYTHON="$PY" \
    LADDER_INPUT="$2" sh -c "$(json_query rung.json "d['run']") \"\$@\"" "$1" json-corpus 1)
}
bundle() { # OUT FILE...: the bundle of the files, as prepare writes it
  local out=$1; shift
  : >"$out"
  for f in "$@"; do printf 'json-corpus %s %s\n' "$(basename "$f")" "$(wc -c <"$f" | tr -d ' ')" >>"$out"; cat "$f" >>"$out"; done
}

# One changed digit of a number (one that changes its double: a digit past the 17th may not)
# changes only the number digest of that file, one changed string byte
# only the text digest; the other files' lines stay the reference's.
sed 's/-65.613616999999977/-65.613616999999877/' "$ROOT/data/json/canada.json" >"$SCRATCH/canada.json"
sed 's/"Sun Aug 31 00:29:15 +0000 2014"/"Sun Aug 31 00:29:16 +0000 2014"/' "$ROOT/data/json/twitter.json" >"$SCRATCH/twitter.json"
cmp -s "$SCRATCH/canada.json" "$ROOT/data/json/canada.json" && fail "the canada edit changed nothing" || pass
cmp -s "$SCRATCH/twitter.json" "$ROOT/data/json/twitter.json" && fail "the twitter edit changed nothing" || pass
bundle "$SCRATCH/edited.bundle" "$SCRATCH/canada.json" "$ROOT/data/json/citm_catalog.json" "$SCRATCH/twitter.json"
REF=$ROOT/problems/json-corpus/ref/1.txt
for r in c c-ondemand; do
  expect_exit 0 "$r on the edited corpus" -- run_rung $r "$SCRATCH/edited.bundle"
  got=($(sed -n 1p <<<"$OUT")) want=($(sed -n 1p "$REF"))
  [ "${got[*]:0:16}" = "${want[*]:0:16}" ] && [ "${got[16]}" = "${want[16]}" ] && [ "${got[17]}" != "${want[17]}" ] && pass \
    || fail "$r: one changed digit in canada.json: ${got[*]} vs ${want[*]}"
  [ "$(sed -n 2p <<<"$OUT")" = "$(sed -n 2p "$REF")" ] && pass || fail "$r: citm_catalog's line changed"
  got=($(sed -n 3p <<<"$OUT")) want=($(sed -n 3p "$REF"))
  [ "${got[16]}" != "${want[16]}" ] && [ "${got[17]}" = "${want[17]}" ] && pass \
    || fail "$r: one changed byte in twitter.json: ${got[*]} vs ${want[*]}"
done

# Awkward values: every rung that ran agrees with the cpython rung.
printf '%s' '{"a\u00e9\"\\\/\b\f\n\r\t": ["\ud83d\ude00", "", "x\u0000y", "\u00ff\u07ff\uffff"], "": {},
 "n": [0, -0, -0.0, 0.0, 1, -1, 9007199254740993, 18446744073709551615, -9223372036854775808, 1e-320,
 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1E2, 5e-324, 0.30000000000000004, 2.5e-1],
 "l": [true, false, null], "e": [], "d": [[[[{}]]]]}' >"$SCRATCH/a.json"
printf ' [ 1.5 , "s" ] \n' >"$SCRATCH/b.json"
printf '"just a string"' >"$SCRATCH/c.json"
printf 'null' >"$SCRATCH/d.json"
printf '[]' >"$SCRATCH/e.json"
bundle "$SCRATCH/awkward.bundle" "$SCRATCH"/[a-e].json
expect_exit 0 "cpython on awkward values" -- run_rung cpython "$SCRATCH/awkward.bundle"
want=$OUT
[ "$(wc -l <<<"$want")" = 5 ] && pass || fail "cpython's awkward lines: $want"
for r in "${RUNGS[@]}"; do
  [ "$r" = cpython ] && continue
  grep -qF "('$r', 'ok'" <<<"$(json_query "$R" "[(r['rung'], r['status']) for r in d['rows']]")" || continue
  expect_exit 0 "$r on awkward values" -- run_rung "$r" "$SCRATCH/awkward.bundle"
  [ "$OUT" = "$want" ] && pass || fail "$r on awkward values: $OUT, the cpython rung: $want"
done

# A malformed bundle is one line and exit 1, from the C and the Python splitter alike.
malformed() { # NAME CONTENT NEEDLE
  printf "$2" >"$SCRATCH/$1.bundle"
  for r in c cpython; do
    expect_exit 1 "$r on bundle $1" -- run_rung $r "$SCRATCH/$1.bundle"
    expect_contains "$(tail -n 1 <<<"$ERR")" "$3" "$r on bundle $1"
    [ -z "$OUT" ] && pass || fail "$r on bundle $1 printed: $OUT"
  done
}
malformed cut 'json-corpus a.json 99\n{}' "the file is cut short"
malformed empty '' "the bundle holds no files"
malformed no_count 'json-corpus a\n' 'expected a line "json-corpus NAME BYTES"'
malformed no_name 'json-corpus  2\n{}' 'expected a line "json-corpus NAME BYTES"'
malformed no_newline 'json-corpus' 'expected a line "json-corpus NAME BYTES"'
malformed after 'json-corpus a 2\n{}junk' 'byte 18: expected a line "json-corpus NAME BYTES"'

finish
