#!/usr/bin/env bash
# Every HTTP contender under contenders/ whose check passes: build it, start it on a free port, verify
# each endpoint it names byte for byte (status, Content-Type, body, and the 400s of POST /validate),
# then SIGTERM it and make sure it exits (0, or 143 when it re-raises the signal after a graceful
# stop) and leaves no process behind. A contender whose check fails (toolchain or packages missing:
# contenders/setup.sh installs them) is skipped with its reason, not failed.
#   CONTENDERS="gin c"   only these;   CONTENDER_WORKERS=2   workers per server (default 1)
source "$(dirname "$0")/lib.sh"

WORKERS=${CONTENDER_WORKERS:-1}
LADDER=$(cd "$(dirname "$LADDER")" && pwd)/$(basename "$LADDER")
BUILD_DIR=$(mkdir -p "$BUILD_DIR" && cd "$BUILD_DIR" && pwd)
export LADDER LADDER_ROOT=$ROOT LADDER_PYTHON=${LADDER_PYTHON:-python3}

# manifest FILE KEY: one field of a contender.json, lists joined by spaces, "" when absent
manifest() {
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2], "")
print(" ".join(v) if isinstance(v, list) else v)' "$1" "$2"
}

# manifest_env FILE: its "env" object as NAME=VALUE lines, for env(1)
manifest_env() {
  python3 -c 'import json,sys; [print(f"{k}={v}") for k, v in json.load(open(sys.argv[1])).get("env", {}).items()]' "$1"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The contract, as ladder's own server answers it (src/http/bench_app.c).
cat >"$SCRATCH/verify.py" <<'PY'
import http.client, json, socket, sys, time

port, endpoints = int(sys.argv[1]), set(sys.argv[2].split())
failures = []
NAME = b'{"error":"name must be a non-empty string"}'
AGE = b'{"error":"age must be an integer between 0 and 150"}'


def ask(method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    out = r.status, (r.getheader("Content-Type") or "").lower(), r.read()
    c.close()
    return out


def expect(method, path, status, ctype, body=None, want=None):
    """want: the exact body, or None for any JSON document."""
    what = f"{method} {path}" + (f" {body!r}" if body is not None else "")
    try:
        got_status, got_type, got = ask(method, path, body)
    except (OSError, http.client.HTTPException) as e:
        failures.append(f"{what}: {e!r}")
        return
    if got_status != status:
        failures.append(f"{what}: status {got_status}, expected {status} (body {got[:200]!r})")
    if got_type.split(";")[0].strip() != ctype:
        failures.append(f"{what}: Content-Type {got_type!r}, expected {ctype}")
    if want is not None and got != want:
        failures.append(f"{what}: body {got[:200]!r}, expected {want!r}")
    if want is None:
        try:
            json.loads(got)
        except ValueError:
            failures.append(f"{what}: body {got[:200]!r} is not JSON")


deadline = time.monotonic() + 30
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        if time.monotonic() > deadline:
            print(f"nothing listens on 127.0.0.1:{port} after 30 s")
            sys.exit(1)
        time.sleep(0.1)

J = "application/json"
if "plaintext" in endpoints:
    expect("GET", "/plaintext", 200, "text/plain", want=b"Hello, World!")
if "json" in endpoints:
    expect("GET", "/json", 200, J, want=b'{"message":"Hello, World!"}')
if "user" in endpoints:
    expect("GET", "/user/42", 200, J, want=b'{"id":"42","name":"User 42"}')
    expect("GET", "/user/abc", 200, J, want=b'{"id":"abc","name":"User abc"}')
if "validate" in endpoints:
    for age in (30, 0, 150):
        expect("POST", "/validate", 200, J, f'{{"name":"Ann","age":{age}}}'.encode(),
               f'{{"name":"Ann","age":{age},"valid":true}}'.encode())
    expect("POST", "/validate", 200, J, b'{ "age": 7, "name": "Bo" }', b'{"name":"Bo","age":7,"valid":true}')
    for body in (b'{"age":30}', b'{"name":"","age":30}', b'{"name":5,"age":30}', b'{"name":null,"age":30}',
                 b'{"name":"","age":200}', b'{"age":"x"}'):
        expect("POST", "/validate", 400, J, body, NAME)
    for body in (b'{"name":"Ann"}', b'{"name":"Ann","age":151}', b'{"name":"Ann","age":-1}',
                 b'{"name":"Ann","age":"30"}', b'{"name":"Ann","age":30.5}', b'{"name":"Ann","age":true}'):
        expect("POST", "/validate", 400, J, body, AGE)
    for body in (b"not json", b'{"name":"Ann",', b"[1,2]"):
        expect("POST", "/validate", 400, J, body)

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
PY

ran=0
for mf in "$ROOT"/contenders/*/contender.json; do
  dir=$(dirname "$mf")
  name=$(basename "$dir")
  [ -z "${CONTENDERS:-}" ] || [[ " $CONTENDERS " == *" $name "* ]] || continue
  export LADDER_RUNG_DIR=$dir LADDER_BUILD_DIR=$BUILD_DIR/contenders/$name
  mapfile -t extra_env < <(manifest_env "$mf")
  in_dir() { (cd "$dir" && exec env ${extra_env[@]+"${extra_env[@]}"} "$@"); }
  [ "$(manifest "$mf" name)" = "$name" ] && pass || fail "$name: manifest name differs from its folder"

  check=$(manifest "$mf" check)
  if [ -n "$check" ] && ! reason=$(in_dir /bin/sh -c "$check" 2>&1); then
    echo "skip $name: $(tail -n 1 <<<"$reason")"
    continue
  fi
  version=$(in_dir /bin/sh -c "$(manifest "$mf" version)" 2>/dev/null | head -n 1)

  # build, unless this build folder holds a build of the same command and inputs already
  build=$(manifest "$mf" build)
  if [ -n "$build" ]; then
    mkdir -p "$LADDER_BUILD_DIR"
    stamp=$( (cd "$dir" && echo "$build" && find $(manifest "$mf" build_inputs) -type f -print0 | sort -z \
      | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$LADDER_BUILD_DIR/.test-stamp" 2>/dev/null)" != "$stamp" ]; then
      rm -f "$LADDER_BUILD_DIR/.test-stamp"
      if ! in_dir /bin/sh -c "$build" >"$SCRATCH/build.log" 2>&1; then
        fail "$name: build failed: $(tail -n 3 "$SCRATCH/build.log")"
        continue
      fi
      echo "$stamp" >"$LADDER_BUILD_DIR/.test-stamp"
    fi
  fi

  port=$(free_port)
  # one subshell that execs all the way down to the server, in a session of its own: $! is the server
  (cd "$dir" && PORT=$port WORKERS=$WORKERS exec env ${extra_env[@]+"${extra_env[@]}"} \
    setsid /bin/sh -c "$(manifest "$mf" run)") >"$SCRATCH/$name.log" 2>&1 &
  pid=$!
  ran=$((ran + 1))
  if python3 "$SCRATCH/verify.py" "$port" "$(manifest "$mf" endpoints)" >"$SCRATCH/verify.out" 2>&1; then
    pass
    [ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ] && pass || fail "$name: $pid is not the server's session"
    echo "ok   $name ($version) on port $port, $WORKERS worker(s)"
  else
    fail "$name ($version): $(head -n 20 "$SCRATCH/verify.out"); server log: $(tail -n 5 "$SCRATCH/$name.log")"
  fi

  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    fail "$name: still running 10 s after SIGTERM"
    kill -KILL -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  else
    # 143: uvicorn shuts down gracefully and then re-raises SIGTERM on itself; ladder's server must exit 0
    wait "$pid"; rc=$?
    [ "$rc" = 0 ] || { [ "$rc" = 143 ] && [ "$name" != c ]; } && pass \
      || fail "$name: exited $rc after SIGTERM: $(tail -n 5 "$SCRATCH/$name.log")"
  fi
  # its session (setsid: id = pid) must be empty but for zombies its exit left to init
  sleep 0.3
  left=$(ps -e -o sid=,stat=,pid=,args= | awk -v s="$pid" '$1 == s && $2 !~ /^Z/')
  if [ -n "$left" ]; then
    fail "$name: processes left after it exited: $left"
    kill -KILL -- "-$pid" 2>/dev/null
  else
    pass
  fi
done
[ "$ran" -gt 0 ] || echo "no contender could be started (run contenders/setup.sh)"
finish
