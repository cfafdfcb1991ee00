"""Robustness checks of a running HTTP server, as a client would see them.

usage: http_probe.py PORT   -- prints one line per check and exits 1 if any failed.
Every loop is bounded in count and time; traffic goes to 127.0.0.1 only.
"""
import os
import resource
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tally import Tally  # noqa: E402

PORT = int(sys.argv[1])
check = Tally("http_probe")


class Conn:
    """A client connection that keeps bytes read past one response for the next."""

    def __init__(self, sock):
        self.sock = sock
        self.pending = b""

    def sendall(self, data):
        self.sock.sendall(data)

    def recv(self, n):
        return self.sock.recv(n)

    def settimeout(self, t):
        self.sock.settimeout(t)

    def close(self):
        self.sock.close()


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return Conn(s)


def read_response(s):
    """Reads one response; returns (status, headers dict, body) or None on EOF."""
    buf, s.pending = s.pending, b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            return None
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    while len(rest) < n:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    s.pending = rest[n:]
    return status, headers, rest[:n]


def request(raw):
    s = connect()
    s.sendall(raw)
    r = read_response(s)
    s.close()
    return r


def closed_after(s):
    try:
        s.settimeout(5)
        return s.recv(1) == b""
    except OSError:
        return True


GET = b"GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n"

# The endpoints, exactly.
r = request(GET % b"/plaintext")
check(r and r[0] == 200 and r[2] == b"Hello, World!" and r[1]["content-type"].startswith("text/plain"), "plaintext")
check(r and "date" in r[1] and r[1].get("server") == "ladder", "Date and Server headers")
r = request(GET % b"/json")
check(r and r[0] == 200 and r[2] == b'{"message":"Hello, World!"}' and r[1]["content-type"] == "application/json", "json")
r = request(GET % b"/user/42")
check(r and r[0] == 200 and r[2] == b'{"id":"42","name":"User 42"}', "user")
body = b'{"name":"Ada","age":36}'
r = request(b"POST /validate HTTP/1.1\r\nHost: l\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
check(r and r[0] == 200 and r[2] == b'{"name":"Ada","age":36,"valid":true}', "validate ok")
for bad, msg in [(b'{"name":"","age":3}', b"name must be a non-empty string"),
                 (b'{"age":3}', b"name must be a non-empty string"),
                 (b'{"name":"x","age":151}', b"age must be an integer between 0 and 150"),
                 (b'{"name":"x","age":"3"}', b"age must be an integer between 0 and 150"),
                 (b'{"name":"x","age":3.5}', b"age must be an integer between 0 and 150")]:
    r = request(b"POST /validate HTTP/1.1\r\nHost: l\r\nContent-Length: %d\r\n\r\n%s" % (len(bad), bad))
    check(r and r[0] == 400 and r[2] == b'{"error":"' + msg + b'"}', f"validate 400 for {bad!r}")
r = request(b"POST /validate HTTP/1.1\r\nHost: l\r\nContent-Length: 5\r\n\r\nnope!")
check(r and r[0] == 400, "validate non-JSON body is 400")
r = request(GET % b"/nowhere")
check(r and r[0] == 404, "unknown path is 404")

# Keep-alive and pipelining: three requests in one write, three responses in order.
s = connect()
s.sendall(GET % b"/plaintext" + GET % b"/json" + GET % b"/user/7")
rs = []
for _ in range(3):
    rs.append(read_response(s))
check([x[2] for x in rs if x] == [b"Hello, World!", b'{"message":"Hello, World!"}', b'{"id":"7","name":"User 7"}'], "pipelining")
s.sendall(GET % b"/plaintext")
check(read_response(s)[0] == 200, "keep-alive connection reused")
s.close()

# Chunked request body.
r = request(b"POST /validate HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"name\"\r\n10\r\n:\"Bo\",\"age\":1}  \r\n0\r\n\r\n")
check(r and r[0] == 200 and r[2] == b'{"name":"Bo","age":1,"valid":true}', "chunked body")

# Malformed and oversized requests get their status, then the connection closes.
for raw, status in [(b"GARBAGE\r\n\r\n", 400), (b"GET / HTTP/1.1\r\n\r\n", 400),
                    (b"GET / HTTP/9.9\r\nHost: l\r\n\r\n", 505),
                    (b"GET / HTTP/1.1\r\nHost: l\r\nX: " + b"a" * 20000 + b"\r\n\r\n", 431),
                    (b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: l\r\n\r\n", 414),
                    (b"POST /validate HTTP/1.1\r\nHost: l\r\nContent-Length: 2000000\r\n\r\n", 413),
                    (b"POST /validate HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n", 413),
                    (b"POST /validate HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]:
    s = connect()
    try:
        s.sendall(raw)
    except OSError:
        pass
    r = read_response(s)
    check(r is not None and r[0] == status, f"{raw[:40]!r}... answered {r and r[0]}, expected {status}")
    check(closed_after(s), f"connection closed after {status}")
    s.close()

# A client that disconnects mid-body, and one that sends a byte a second: others are served.
s = connect()
s.sendall(b"POST /validate HTTP/1.1\r\nHost: l\r\nContent-Length: 100\r\n\r\n{\"na")
s.close()
slow = connect()
slow_result = {}


def dribble():
    data = b"GET /plaintext HTTP/1.1\r\nHost: l\r\n\r\n"
    start = time.time()
    try:
        for i in range(len(data)):
            slow.sendall(data[i:i + 1])
            time.sleep(1.0)
            if time.time() - start > 8:
                break
    except OSError:
        pass
    slow_result["response"] = read_response(slow) if True else None


t = threading.Thread(target=dribble)
t.start()
time.sleep(0.5)
t0 = time.time()
r = request(GET % b"/plaintext")
check(r and r[0] == 200 and time.time() - t0 < 1.0, "served promptly while a slow client dribbles")
t.join(timeout=20)
resp = slow_result.get("response")
check(resp is not None and resp[0] == 408, f"the slow client got 408 (got {resp and resp[0]})")
slow.close()

# 5,000 idle keep-alive connections at once, then a request on a new one.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 20000), hard))
idle = []
try:
    for _ in range(5000):
        c = socket.socket()
        c.settimeout(10)
        c.connect(("127.0.0.1", PORT))
        idle.append(Conn(c))
except OSError as e:
    print(f"note: opened {len(idle)} idle connections: {e}")
check(len(idle) == 5000, f"opened {len(idle)} of 5000 idle connections")
r = request(GET % b"/json")
check(r and r[0] == 200, "served with 5000 idle connections open")
idle[0].sendall(GET % b"/plaintext")
r = read_response(idle[0])
check(r and r[0] == 200, "an idle connection still works")
for c in idle:
    c.close()

check.finish()
