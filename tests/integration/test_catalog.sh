#!/usr/bin/env bash
# The book catalog on SQLite and on a real PostgreSQL server started here (Debian's postgresql):
# loading twice does not duplicate; every endpoint answers the same bytes on both backends (and
# from the FastAPI peer when build/venv-catalog exists); batched = N+1; fixed query counts;
# Server-Timing phases; 400/404 JSON errors; and a tiny 'ladder lifecycle' run through the delay
# proxy, whose network time must be at least the RTT.
source "$(dirname "$0")/lib.sh"

PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/ladder-pg-XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  bash "$ROOT/tests/integration/catalog_pg.sh" stop "$PGDIR"
  rm -rf "$PGDIR" "$SCRATCH"
}
trap cleanup EXIT

if ! PG_URL=$(bash "$ROOT/tests/integration/catalog_pg.sh" start "$PGDIR" 2>"$SCRATCH/pg.err"); then
  fail "could not start PostgreSQL: $(cat "$SCRATCH/pg.err")"
  finish
fi
SQLITE_DB=$SCRATCH/catalog.db
echo "PostgreSQL at $PG_URL, SQLite at $SQLITE_DB"

count_rows() { # URL TABLE
  if [[ $1 == postgres* ]]; then
    psql "$1" -tAc "SELECT count(*) FROM $2"
  else
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM "+sys.argv[2]).fetchone()[0])' "$1" "$2"
  fi
}

for url in "$SQLITE_DB" "$PG_URL"; do
  for pass in 1 2; do
    expect_exit 0 "catalog load $url (pass $pass)" -- "$LADDER" catalog load --db "$url"
    expect_contains "$OUT" "loaded 762 publishers, 3888 authors, 10000 books" "catalog load $url"
  done
  [ "$(count_rows "$url" books)" = 10000 ] && pass || fail "$url: books after two loads: $(count_rows "$url" books)"
  [ "$(count_rows "$url" authors)" = 3888 ] && pass || fail "$url: authors after two loads"
  [ "$(count_rows "$url" publishers)" = 762 ] && pass || fail "$url: publishers after two loads"
done
expect_exit 1 "catalog load of a missing file" -- "$LADDER" catalog load --db "$SQLITE_DB" --csv "$SCRATCH/none.csv"
expect_exit 2 "serve --app catalog without --db" -- "$LADDER" serve --app catalog
expect_exit 1 "serve --app catalog on an unreachable PostgreSQL" -- \
  "$LADDER" serve --app catalog --db "postgres://postgres@127.0.0.1:1/catalog" --port 0

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { # PORT
  for _ in $(seq 300); do
    python3 -c 'import urllib.request,sys; urllib.request.urlopen("http://127.0.0.1:%s/api/health" % sys.argv[1], timeout=2)' "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

SERVERS=()
start_server() { # NAME PORT COMMAND...
  local name=$1 port=$2; shift 2
  "$@" >"$SCRATCH/$name.log" 2>&1 &
  PIDS+=($!)
  if wait_up "$port"; then SERVERS+=("$name=$port"); pass; else fail "$name did not start: $(tail -n 3 "$SCRATCH/$name.log")"; fi
}

p1=$(free_port); start_server c-sqlite "$p1" "$LADDER" serve --app catalog --db "$SQLITE_DB" --port "$p1"
p2=$(free_port); start_server c-postgres "$p2" "$LADDER" serve --app catalog --db "$PG_URL" --port "$p2" --workers 2
VENV=${LADDER_CATALOG_VENV:-$ROOT/build/venv-catalog}
FASTAPI=0
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import fastapi, sqlalchemy, asyncpg, aiosqlite, uvicorn' 2>/dev/null; then
  FASTAPI=1
  for spec in "sqlite=$SQLITE_DB" "postgres=$PG_URL"; do
    p=$(free_port)
    (cd "$ROOT/contenders/catalog-fastapi" && CATALOG_DB=${spec#*=} exec "$VENV/bin/python" -m uvicorn app:app \
      --host 127.0.0.1 --port "$p" --no-access-log --log-level warning) >"$SCRATCH/fastapi-${spec%%=*}.log" 2>&1 &
    PIDS+=($!)
    if wait_up "$p"; then SERVERS+=("fastapi-${spec%%=*}=$p"); pass; else fail "fastapi on ${spec%%=*} did not start: $(tail -n 3 "$SCRATCH/fastapi-${spec%%=*}.log")"; fi
  done
else
  echo "skip: the FastAPI peer (no working venv at $VENV: run contenders/catalog-fastapi/setup.sh)"
fi

# Every server: the same status and bytes as the first, batched = N+1, query counts, Server-Timing.
if python3 - "${SERVERS[@]}" >"$SCRATCH/verify.out" 2>&1 <<'PY'
import json, re, sys, urllib.request, urllib.error
servers = [s.split("=", 1) for s in sys.argv[1:]]
failures = []
def get(port, path):
    try:
        r = urllib.request.urlopen("http://127.0.0.1:%s%s" % (port, path), timeout=60)
        return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers
PATHS = ["/api/health", "/api/books/1", "/api/books/7", "/api/books/10000",
         "/api/books?page=1&per_page=100", "/api/books/n-plus-one?page=1&per_page=100",
         "/api/books?page=100&per_page=100", "/api/books/n-plus-one?page=100&per_page=100",
         "/api/books?page=2&per_page=13", "/api/books/n-plus-one?page=2&per_page=13", "/api/books",
         "/api/books/0", "/api/books/x1", "/api/books/10001", "/api/books/1234567890", "/api/books?page=0",
         "/api/books?page=-1", "/api/books?page=abc", "/api/books?page=501", "/api/books?per_page=0",
         "/api/books?per_page=101", "/api/books/n-plus-one?page=99999", "/api/nope", "/api/books/1/more"]
PHASES = ["db", "hydrate", "serialize", "encode", "framework", "total"]
ref = None
for name, port in servers:
    answers = {}
    for path in PATHS:
        status, body, headers = get(port, path)
        answers[path] = (status, body)
        timing = headers.get("Server-Timing", "")
        m = re.fullmatch(", ".join(r"%s;dur=([0-9.]+)" % p for p in PHASES), timing)
        if not m:
            failures.append("%s %s: Server-Timing %r" % (name, path, timing)); continue
        v = [float(x) for x in m.groups()]
        if sum(v[:5]) > v[5] + 0.006:
            failures.append("%s %s: phases sum to %.3f > total %.3f" % (name, path, sum(v[:5]), v[5]))
        if headers.get("Content-Type") != "application/json":
            failures.append("%s %s: Content-Type %r" % (name, path, headers.get("Content-Type")))
        q = headers.get("X-Query-Count")
        want = {"/api/books/1": 4, "/api/books?page=1&per_page=100": 5, "/api/books/n-plus-one?page=1&per_page=100": 302,
                "/api/books/n-plus-one?page=2&per_page=13": 2 + 3 * 13, "/api/health": 0}.get(path)
        if want is not None and q != str(want):
            failures.append("%s %s: X-Query-Count %r, expected %d" % (name, path, q, want))
        if status >= 400:
            doc = json.loads(body)
            if status not in (400, 404) or list(doc) != ["error"]:
                failures.append("%s %s: error answer %d %r" % (name, path, status, body[:80]))
    for a, b in [("/api/books?page=1&per_page=100", "/api/books/n-plus-one?page=1&per_page=100"),
                 ("/api/books?page=100&per_page=100", "/api/books/n-plus-one?page=100&per_page=100"),
                 ("/api/books?page=2&per_page=13", "/api/books/n-plus-one?page=2&per_page=13")]:
        if answers[a] != answers[b]:
            failures.append("%s: %s and %s differ" % (name, a, b))
    want_status = {"/api/books/0": 400, "/api/books/x1": 400, "/api/books/10001": 404, "/api/books/1234567890": 400,
                   "/api/books?page=0": 400, "/api/books?page=-1": 400, "/api/books?page=abc": 400,
                   "/api/books?page=501": 404, "/api/books?per_page=0": 400, "/api/books?per_page=101": 400,
                   "/api/books/n-plus-one?page=99999": 404, "/api/nope": 404, "/api/books/1/more": 404}
    for path, st in want_status.items():
        if answers[path][0] != st:
            failures.append("%s %s: status %d, expected %d" % (name, path, answers[path][0], st))
    page = json.loads(answers["/api/books?page=1&per_page=100"][1])
    if [b["id"] for b in page["books"]] != list(range(1, 101)) or page["total"] != 10000 or page["pages"] != 100:
        failures.append("%s: page 1 is not books 1..100 of 10000" % name)
    if ref is None:
        ref = (name, answers)
    else:
        for path in PATHS:
            if answers[path] != ref[1][path]:
                failures.append("%s %s: differs from %s" % (name, path, ref[0]))
print("checked %d servers: %s" % (len(servers), " ".join(n for n, _ in servers)))
for f in failures[:30]:
    print(f)
sys.exit(1 if failures or len(servers) < 2 else 0)
PY
then pass; cat "$SCRATCH/verify.out"; else fail "endpoint checks: $(cat "$SCRATCH/verify.out")"; fi

for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
PIDS=()

# A tiny lifecycle run: both databases, the contenders there are, two distances.
contenders=(--contender c)
[ "$FASTAPI" = 1 ] && contenders+=(--contender fastapi)
expect_exit 0 "ladder lifecycle" -- "$LADDER" lifecycle "${contenders[@]}" --db "$SQLITE_DB" --db "$PG_URL" \
  --requests 5 --warmup 1 --rtt local --rtt 20 --out "$SCRATCH/lc" --strict
R=$SCRATCH/lc/results.json
[ -f "$R" ] && pass || fail "lifecycle wrote no results.json: $ERR"
if [ -f "$R" ]; then
  n=$((4 * 2 * 2 * ${#contenders[@]} / 2))
  [ "$(json_query "$R" 'len([r for r in d["rows"] if r["suite"]=="lifecycle" and r["status"]=="ok" and r["verified"]])')" = "$n" ] \
    && pass || fail "lifecycle: not all $n rows ok and verified: $(json_query "$R" '[(r["rung"],r["problem"],r["reason"]) for r in d["rows"] if r["status"]!="ok"][:3]')"
  [ "$(json_query "$R" 'min(r["lifecycle"]["median_ms"]["network"] for r in d["rows"] if r["lifecycle"]["rtt_ms"]==20)' \
    | python3 -c 'import sys; print(float(sys.stdin.read()) >= 19.0)')" = True ] && pass \
    || fail "lifecycle: network at RTT 20 ms below 19 ms"
  [ "$(json_query "$R" 'sorted({r["lifecycle"]["queries"] for r in d["rows"]})')" = "[0, 4, 5, 302]" ] && pass \
    || fail "lifecycle: query counts $(json_query "$R" 'sorted({r["lifecycle"]["queries"] for r in d["rows"]})')"
  mode=$(json_query "$R" 'd["settings"]["network_mode"]')
  if [ "$(id -u)" = 0 ] && ip netns list >/dev/null 2>&1; then
    [ "$mode" = "netns+veth" ] && pass || fail "lifecycle: network mode $mode as root"
  fi
  echo "lifecycle network: $mode"
  expect_contains "$OUT" "Framework overhead across all scenarios" "lifecycle terminal report"
  expect_contains "$(cat "$SCRATCH/lc/report.md")" "### Framework overhead across all scenarios" "lifecycle markdown"
  expect_contains "$(cat "$SCRATCH/lc/report.html")" 'data-phase="network"' "lifecycle HTML bars"
  expect_exit 0 "ladder report of the lifecycle results" -- "$LADDER" report "$R" --format md
  [ "$OUT" = "$(cat "$SCRATCH/lc/report.md")" ] && pass || fail "ladder report renders the lifecycle differently"
fi
leftover=$(ip netns list 2>/dev/null | grep -c "^ladder-lc-" || true)
[ "$leftover" = 0 ] && pass || fail "lifecycle left $leftover network namespaces"
expect_exit 2 "lifecycle with a bad --rtt" -- "$LADDER" lifecycle --rtt fast
expect_exit 2 "lifecycle with an unknown contender" -- "$LADDER" lifecycle --contender nope
finish
