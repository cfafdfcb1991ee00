#!/usr/bin/env bash
# ladder serve under a real client: endpoints, pipelining, limits, slow and vanishing clients,
# 5,000 idle connections, then a graceful SIGTERM that must exit 0 (and leak-free under ASan).
source "$(dirname "$0")/lib.sh"

ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
for workers in ${WORKERS_LIST:-1 2}; do
  : >"$SCRATCH/serve.err"
  "$LADDER" serve --port 0 --workers "$workers" --request-timeout 2000 2>"$SCRATCH/serve.err" &
  pid=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$SCRATCH/serve.err")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] && pass || { fail "server with $workers workers did not start: $(cat "$SCRATCH/serve.err")"; kill $pid; continue; }
  if [ "$workers" = 1 ]; then
    python3 "$ROOT/tests/integration/http_probe.py" "$port" && pass || fail "http_probe failed"
  else
    python3 - "$port" <<'PY' && pass || fail "two workers do not both answer"
import socket, sys
ok = 0
for _ in range(50):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    ok += data.startswith(b"HTTP/1.1 200") and data.endswith(b"Hello, World!")
    s.close()
sys.exit(0 if ok == 50 else 1)
PY
  fi
  # an idle keep-alive connection must not hold up a graceful stop
  exec 3<>/dev/tcp/127.0.0.1/$port
  kill -TERM $pid
  rc=0
  for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  if kill -0 $pid 2>/dev/null; then
    fail "server with $workers workers still running 10 s after SIGTERM"; kill -9 $pid
  else
    wait $pid; rc=$?
    [ "$rc" = 0 ] && pass || fail "server with $workers workers exited $rc after SIGTERM: $(tail -5 "$SCRATCH/serve.err")"
  fi
  exec 3>&-
done

expect_exit 2 "serve bad port" -- "$LADDER" serve --port 70000
expect_exit 2 "serve unknown app" -- "$LADDER" serve --app nope
finish
