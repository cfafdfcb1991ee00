#!/usr/bin/env bash
# ladder serve under a real client's timing (issue 11): requests split at every byte and
# pipelined answer as when sent whole; no smuggling through split chunked bodies; deep pipelines,
# non-reading, half-closed clients and descriptor exhaustion neither stall nor spin the worker;
# a memory budget for buffered requests; the catalog's HEAD, 405 Allow and deep pipelines.
source "$(dirname "$0")/lib.sh"

SERVERS=()
cleanup() {
  for p in "${SERVERS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${SERVERS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# start_server NAME [--nofile N] ARGS...: sets PORT and PID (the --workers 1 server is the worker)
start_server() {
  local name=$1 nofile=""; shift
  if [ "${1:-}" = --nofile ]; then nofile=$2; shift 2; fi
  : >"$SCRATCH/$name.err"
  if [ -n "$nofile" ]; then
    (ulimit -n "$nofile" && exec "$LADDER" serve --port 0 --workers 1 "$@") 2>"$SCRATCH/$name.err" &
  else
    "$LADDER" serve --port 0 --workers 1 "$@" 2>"$SCRATCH/$name.err" &
  fi
  PID=$!
  SERVERS+=("$PID")
  PORT=""
  for _ in $(seq 300); do
    PORT=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$SCRATCH/$name.err")
    [ -n "$PORT" ] && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  fail "$name server did not start: $(cat "$SCRATCH/$name.err")"
  return 1
}

# stop_server NAME: SIGTERM must end it with 0 (and, under ASan, without a leak report)
stop_server() {
  kill -TERM "$PID"
  local rc=0
  wait "$PID" || rc=$?
  [ "$rc" = 0 ] && pass || fail "$1 server exited $rc after SIGTERM: $(tail -5 "$SCRATCH/$1.err")"
}

probe() { python3 "$ROOT/tests/integration/http_timing.py" "$PORT" "$PID" "$@" && pass || fail "http_timing $*"; }

ulimit -n 4096 2>/dev/null
if start_server bench; then
  probe ${CHECKS:-smuggling pipelining nonreading halfclosed boundaries strict conformance splits}
  stop_server bench
fi
if start_server emfile --nofile 128; then
  probe emfile
  stop_server emfile
fi
if start_server budget --max-buffered 8388608; then
  probe budget
  stop_server budget
fi

# the catalog on SQLite drives the same server: HEAD, 405 with Allow, 40 deep pipelined pages
DB=$SCRATCH/catalog.db
expect_exit 0 "catalog load" -- "$LADDER" catalog load --db "$DB"
if start_server catalog --app catalog --db "$DB"; then
  python3 - "$PORT" <<'PY' && pass || fail "catalog HEAD, Allow and pipelining"
import socket, sys, time
port = int(sys.argv[1])
def talk(raw, n, limit=20):
    s = socket.create_connection(("127.0.0.1", port), timeout=limit)
    s.sendall(raw)
    s.settimeout(0.5)
    data, end = b"", time.time() + limit
    while time.time() < end and data.count(b"HTTP/1.1 ") < n:
        try:
            chunk = s.recv(1 << 20)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    s.close()
    return data
ok = True
head = talk(b"HEAD /api/books/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /api/health HTTP/1.1\r\nHost: a\r\n\r\n", 2)
first, _, rest = head.partition(b"\r\n\r\n")
if not (first.startswith(b"HTTP/1.1 200") and rest.startswith(b"HTTP/1.1 200")):
    print("FAIL: catalog HEAD", head[:300]); ok = False
post = talk(b"POST /api/books HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 1)
if not (post.startswith(b"HTTP/1.1 405") and b"\r\nAllow: GET, HEAD\r\n" in post):
    print("FAIL: catalog 405 Allow", post[:300]); ok = False
page = b"GET /api/books?per_page=100 HTTP/1.1\r\nHost: a\r\n\r\n"
got = talk(page * 40, 40, 60).count(b"HTTP/1.1 200 ")
if got != 40:
    print(f"FAIL: catalog: {got} of 40 pipelined pages"); ok = False
sys.exit(0 if ok else 1)
PY
  stop_server catalog
fi
finish
