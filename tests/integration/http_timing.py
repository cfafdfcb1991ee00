"""ladder's HTTP server under a real client's timing (issue 11), as raw-socket clients see it.

usage: http_timing.py PORT PID CHECK...   -- one line per failed check; exit 1 if any failed.
PID is the worker (a --workers 1 server), whose CPU time is read from /proc/PID/stat while the
server waits on a stalled client: it must stay near zero (no spinning). Loopback only; every
loop is bounded in count and time.

CHECKs: smuggling pipelining nonreading halfclosed boundaries strict conformance splits
        emfile (a server under a low descriptor limit)  budget (a server with a small budget)
"""
import codecs
import os
import re
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tally import Tally  # noqa: E402

PORT, PID = int(sys.argv[1]), int(sys.argv[2])
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
check = Tally("http_timing")


def connect(timeout=10):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def cpu_seconds():
    with open(f"/proc/{PID}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_while_waiting(seconds=2.0):
    """CPU seconds the server used while nothing but a stalled client was there."""
    c0 = cpu_seconds()
    time.sleep(seconds)
    return cpu_seconds() - c0


def read_until_eof(s, limit=10.0):
    s.settimeout(limit)
    data = b""
    end = time.time() + limit
    try:
        while time.time() < end:
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    except OSError:  # a reset after the last answer, or the time limit
        pass
    return data


def parse_some(data):
    """([(status, headers, body)], rest) of a response stream (Content-Length framing only)."""
    out, at = [], 0
    while True:
        end = data.find(b"\r\n\r\n", at)
        if end < 0:
            break
        lines = data[at:end].decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        status = int(lines[0].split(" ")[1])
        n = 0 if status == 100 else int(headers.get("content-length", "0"))
        if len(data) < end + 4 + n:
            break
        out.append((status, headers, data[end + 4:end + 4 + n]))
        at = end + 4 + n
    return out, data[at:]


def parse_responses(data):
    return parse_some(data)[0]


def responses_within(s, count, limit):
    """Reads until count responses are in, EOF, or limit seconds pass."""
    s.settimeout(0.2)
    out, rest = [], b""
    end = time.time() + limit
    while time.time() < end and len(out) < count:
        try:
            chunk = s.recv(1 << 20)
        except socket.timeout:
            continue
        except OSError:
            break
        if not chunk:
            break
        got, rest = parse_some(rest + chunk)
        out += got
    return out


def served_promptly():
    s = connect(5)
    t0 = time.time()
    s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
    r = responses_within(s, 1, 3)
    s.close()
    return bool(r) and r[0][0] == 200 and time.time() - t0 < 1.5


GET = b"GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n"


def check_smuggling():
    # finding 1: the reproduction, a chunked body split across reads
    s = connect()
    s.sendall(b"POST /validate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n0\r\n\r\n"
              b"GET /user/SMUGGLED HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n\r\n")
    time.sleep(0.3)
    s.sendall(b"0\r\n\r\n")
    s.sendall(b"GET /json HTTP/1.1\r\nHost: a\r\n\r\n")
    rs = responses_within(s, 3, 2.0)
    s.close()
    check([r[0] for r in rs] == [400, 200], f"smuggling: two requests, want [400, 200], got {[r[0] for r in rs]}")
    check(all(b"SMUGGLED" not in r[2] for r in rs), "smuggling: the chunk data was answered as a request")
    # an ordinary chunked upload arriving in two pieces (curl -T -)
    body = b'{"name":"Bo","age":7}'
    s = connect()
    s.sendall(b"POST /validate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s" % (len(body), body[:9]))
    time.sleep(0.2)
    s.sendall(body[9:] + b"\r\n0\r\n\r\n")
    rs = responses_within(s, 1, 3)
    s.close()
    check(rs and rs[0][0] == 200, f"chunked upload in two pieces: {rs and rs[0][:1]}")
    # a 200 KB chunked body in one write
    big = b'{"name":"' + b"x" * 200000 + b'","age":1}'
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(big[i:i + 8000]), big[i:i + 8000]) for i in range(0, len(big), 8000))
    s = connect()
    s.sendall(b"POST /validate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n")
    rs = responses_within(s, 1, 5)
    s.close()
    check(rs and rs[0][0] == 200 and rs[0][2].endswith(b'"age":1,"valid":true}'), "200 KB chunked body in one write")


def check_pipelining():
    # finding 2: 20,000 pipelined requests in one write, read continuously: no stall, no 408
    n = 20000
    s = connect()
    threading.Thread(target=lambda: s.sendall(GET * n), daemon=True).start()
    s.settimeout(0.5)
    data, count, longest, last = b"", 0, 0.0, time.time()
    end = time.time() + 30
    while count < n and time.time() < end:
        try:
            chunk = s.recv(1 << 20)
        except socket.timeout:
            longest = max(longest, time.time() - last)
            continue
        if not chunk:
            break
        now = time.time()
        longest, last = max(longest, now - last), now
        data += chunk
        count = data.count(b"HTTP/1.1 ")
    s.close()
    check(count == n and b" 408 " not in data, f"pipelining: {count} of {n} answered")
    check(longest < 2.0, f"pipelining: a {longest:.1f} s pause")


def check_nonreading():
    # finding 3a: a pipelining client that stops reading; the worker must wait, not spin
    s = connect()
    s.setblocking(False)
    batch, sent = GET * 256, 0
    end = time.time() + 3
    while time.time() < end:
        try:
            sent += s.send(batch[sent % len(GET):])
        except BlockingIOError:
            time.sleep(0.05)
            try:
                sent += s.send(batch[sent % len(GET):])
            except BlockingIOError:
                break
    cpu = cpu_while_waiting()
    check(cpu < 0.3, f"non-reading client: the worker used {cpu:.2f} s of CPU in 2 s of waiting")
    check(served_promptly(), "non-reading client: another client is not served promptly")
    s.setblocking(True)
    rest = (len(GET) - sent % len(GET)) % len(GET)
    threading.Thread(target=lambda: s.sendall(GET[len(GET) - rest:]), daemon=True).start()
    want = (sent + rest) // len(GET)
    rs = responses_within(s, want, 30)
    s.close()
    check(len(rs) == want and all(r[0] == 200 for r in rs),
          f"non-reading client: {len(rs)} of {want} answered, statuses {sorted(set(r[0] for r in rs))}")


def check_halfclosed():
    # finding 3b: requests, then SHUT_WR, and the answers left unread
    n = 60000
    s = connect()
    threading.Thread(target=lambda: (s.sendall(GET * n), s.shutdown(socket.SHUT_WR)), daemon=True).start()
    time.sleep(1.0)
    cpu = cpu_while_waiting()
    check(cpu < 0.3, f"half-closed client: the worker used {cpu:.2f} s of CPU in 2 s of waiting")
    check(served_promptly(), "half-closed client: another client is not served promptly")
    data = read_until_eof(s, 30)
    s.close()
    got = data.count(b"HTTP/1.1 200 ")
    check(got == n, f"half-closed client: {got} of {n} answered before EOF")


def check_boundaries():
    # finding 4: 40 requests of exactly 4,096 or 8,192 bytes, then SHUT_WR
    for total in (4095, 4096, 4097, 8191, 8192, 8193):
        reqs = [GET] * 39
        rest = total - len(GET) * 39
        last = b"GET /plaintext HTTP/1.1\r\nHost: a\r\nX: \r\n\r\n"
        last = last.replace(b"X: ", b"X: " + b"p" * (rest - len(last)))
        data = b"".join(reqs) + last
        assert len(data) == total
        s = connect()
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        got = read_until_eof(s).count(b"HTTP/1.1 200 ")
        s.close()
        check(got == 40, f"{total} bytes of 40 requests then SHUT_WR: {got} answers")


def one_exchange(raw, closing=True):
    """The first answer to raw, and (if closing) whether the server then closed the connection."""
    s = connect()
    s.sendall(raw)
    rs = responses_within(s, 1, 3)
    closed = False
    try:
        if not closing:
            raise OSError

        s.settimeout(2)
        closed = s.recv(1) == b""
    except OSError:
        closed = True
    s.close()
    return rs, closed


def check_strict():
    # finding 5: lenient chunk-size lines and trailers, each followed by a request to smuggle
    tail = b"GET /user/SMUGGLED HTTP/1.1\r\nHost: a\r\n\r\n"
    for body in (b"14 junk\r\n", b"14\rX", b"0x2b\r\n\r\n", b"0\r\nX: a\x00\r\n\r\n", b"0\r\nX: a\r\n b\r\n\r\n",
                 b"5\nhello\n0\n\n"):
        rs, closed = one_exchange(b"POST /validate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body + tail)
        check([r[0] for r in rs] == [400] and closed, f"chunked {body!r}: got {[r[0] for r in rs]}, closed {closed}")


def check_conformance():
    # finding 6
    body = b'{"name":"a","age":1}'
    rs, closed = one_exchange(b"POST /validate HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                              b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
    check([r[0] for r in rs] == [200] and closed, f"HTTP/1.0 with Transfer-Encoding: {[r[0] for r in rs]}, closed {closed}")
    rs, _ = one_exchange(b"GET http://a/plaintext HTTP/1.1\r\nHost: a\r\n\r\n", False)
    check(rs and rs[0][0] == 200 and rs[0][2] == b"Hello, World!", "absolute-form target")
    for raw, allow in ((b"DELETE /json HTTP/1.1\r\nHost: a\r\n\r\n", "GET, HEAD"),
                       (b"GET /validate HTTP/1.1\r\nHost: a\r\n\r\n", "POST")):
        rs, _ = one_exchange(raw, False)
        check(rs and rs[0][0] == 405 and rs[0][1].get("allow") == allow, f"405 Allow: {rs and rs[0][1]}")
    for host in (b"a b", b"a/b", b"a@b", b"[::1"):
        rs, _ = one_exchange(b"GET /plaintext HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
        check(rs and rs[0][0] == 400, f"Host {host!r}: {rs and rs[0][0]}")
    body = b'{"name":"a","age":1}'
    for version, want in ((b"1.0", False), (b"1.1", True)):
        s = connect()
        s.sendall(b"POST /validate HTTP/" + version + b"\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
        s.settimeout(0.5)
        try:
            first = s.recv(100)
        except socket.timeout:
            first = b""
        s.sendall(body)
        rs = responses_within(s, 1, 3)
        s.close()
        check(first.startswith(b"HTTP/1.1 100 Continue") == want, f"100 Continue to HTTP/{version.decode()}: {first[:30]!r}")
        check(rs and rs[-1][0] == 200, f"Expect body answered for HTTP/{version.decode()}")


def load_corpus():
    entries = []
    with open(os.path.join(ROOT, "tests/fixtures/http/corpus.txt"), encoding="latin-1") as f:
        for line in f:
            if line.startswith("#") or line.count("\t") < 2:
                continue
            want, req, what = line.rstrip("\n").split("\t")
            entries.append((want, codecs.escape_decode(req.encode("latin-1"))[0], what))
    return entries


def exchange(pieces, pause):
    """The server's whole answer to pieces sent with pauses between, then SHUT_WR."""
    s = connect()
    try:
        for i, p in enumerate(pieces):
            if i:
                time.sleep(pause)
            s.sendall(p)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    data = read_until_eof(s, 5)
    s.close()
    data = data.replace(b"HTTP/1.1 100 Continue\r\n\r\n", b"")
    return re.sub(rb"Date: [^\r]*\r\n", b"Date: -\r\n", data)


def check_splits():
    # the corpus of the unit tests, through the real server: whole, a byte at a time, at every
    # split point, and pipelined; the answers must be the same bytes
    entries = load_corpus()
    check(len(entries) >= 50, "corpus loaded")
    pipeline, pipe_want = b"", b""
    bad = 0
    for want, req, what in entries:
        whole = exchange([req], 0)
        # status lines, not parse_responses: a HEAD answer has a Content-Length but no body
        statuses = b" ".join(re.findall(rb"HTTP/1\.1 (\d{3}) [A-Z]", whole)).decode() or "-"
        check(statuses == want, f"corpus '{what}': answered {statuses}, want {want}")
        variants = [("a byte at a time", [req[i:i + 1] for i in range(len(req))], 0.0005)]
        variants += [(f"split at {k}", [req[:k], req[k:]], 0.001) for k in range(1, len(req))]
        for how, pieces, pause in variants:
            got = exchange(pieces, pause)
            if got != whole:
                bad += 1
                if bad <= 5:
                    print(f"corpus '{what}' {how}:\n  whole: {whole[:300]!r}\n  split: {got[:300]!r}")
        if b"Connection: close" not in whole and want != "-":
            pipeline += req
            pipe_want += whole
    check(bad == 0, f"{bad} split deliveries answered differently from one write")
    got = exchange([pipeline], 0)
    check(got == pipe_want, "the pipelined corpus in one write answers as each request alone")
    bad = 0
    for k in range(1, len(pipeline), 11):
        bad += exchange([pipeline[:k], pipeline[k:]], 0.001) != pipe_want
    check(bad == 0, f"the pipelined corpus split: {bad} splits answered differently")


def check_emfile():
    # finding 3c: the server runs under a low descriptor limit; clients beyond it must wait
    # (not be refused), and the worker must not spin while they do
    held = []
    for _ in range(200):
        c = socket.socket()
        c.settimeout(5)
        c.connect(("127.0.0.1", PORT))
        held.append(c)
    time.sleep(0.5)
    cpu = cpu_while_waiting()
    check(cpu < 0.3, f"descriptor exhaustion: the worker used {cpu:.2f} s of CPU in 2 s of waiting")
    waiting = held[-1]  # in the listen backlog: the server has no descriptor for it
    waiting.sendall(GET)
    for c in held[:-1]:
        c.close()
    rs = responses_within(waiting, 1, 4)
    check(rs and rs[0][0] == 200, "descriptor exhaustion: a waiting client is served once descriptors are free")
    waiting.close()
    check(served_promptly(), "descriptor exhaustion: a new client is served afterwards")


def rss_kib():
    with open(f"/proc/{PID}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def check_budget():
    # finding 7: 100 clients each stalled with 600 KB of a 1 MB body; the server runs with
    # --max-buffered 8 MiB, so most are answered 503 and memory stays bounded
    before = rss_kib()
    clients = []
    for _ in range(100):
        c = connect()
        c.sendall(b"POST /validate HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n" + b" " * 600000)
        clients.append(c)
    time.sleep(1.0)
    grew = (rss_kib() - before) / 1024
    busy = 0
    for c in clients:
        rs = responses_within(c, 1, 0.05)
        busy += bool(rs) and rs[0][0] == 503 and rs[0][1].get("retry-after") == "1"
        c.close()
    check(busy >= 80, f"memory budget: {busy} of 100 stalled uploads answered 503")
    check(grew < 48, f"memory budget: RSS grew {grew:.0f} MiB with an 8 MiB budget")
    check(served_promptly(), "memory budget: the server still serves")


for name in sys.argv[3:]:
    t0 = time.time()
    globals()["check_" + name]()
    print(f"  {name}: {time.time() - t0:.1f} s", flush=True)
check.finish()
