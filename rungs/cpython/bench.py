"""The CPython rung: the five Benchmarks Game problems in plain, idiomatic Python.

This is the baseline every other rung's speedup is measured from, so it is deliberately ordinary:
lists, tuples and loops, one thread, no tricks.
"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402
from ladder_rung import DAYS_PER_YEAR, PLANETS, SOLAR_MASS  # noqa: E402


# --- n-body ----------------------------------------------------------------------------------

DT = 0.01


def make_bodies():
    """Each body is ([x, y, z], [vx, vy, vz], mass); the sun absorbs the total momentum.

    This is the Benchmarks Game's Python #1 layout, the fastest plain form measured here on
    CPython (docs/explain/nbody_forms.py): tuple unpacking in the loop header beats indexing
    one flat list per body.
    """
    bodies = []
    for x, y, z, vx, vy, vz, mass in PLANETS:
        bodies.append(([x, y, z], [vx * DAYS_PER_YEAR, vy * DAYS_PER_YEAR, vz * DAYS_PER_YEAR],
                       mass * SOLAR_MASS))
    px = py = pz = 0.0
    for _r, v, m in bodies:
        px += v[0] * m
        py += v[1] * m
        pz += v[2] * m
    sun_v = bodies[0][1]
    sun_v[0] = -px / SOLAR_MASS
    sun_v[1] = -py / SOLAR_MASS
    sun_v[2] = -pz / SOLAR_MASS
    return bodies


def energy(bodies):
    e = 0.0
    for i, (r1, v1, m1) in enumerate(bodies):
        e += 0.5 * m1 * (v1[0] * v1[0] + v1[1] * v1[1] + v1[2] * v1[2])
        for r2, _v2, m2 in bodies[i + 1:]:
            dx = r1[0] - r2[0]
            dy = r1[1] - r2[1]
            dz = r1[2] - r2[2]
            e -= m1 * m2 / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(bodies, pairs, steps):
    # sqrt, not d2 ** -1.5: the same value to the printed digits, and PyPy runs it 2.2x faster.
    sqrt = math.sqrt
    for _ in range(steps):
        for (r1, v1, m1), (r2, v2, m2) in pairs:
            dx = r1[0] - r2[0]
            dy = r1[1] - r2[1]
            dz = r1[2] - r2[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = DT / (d2 * sqrt(d2))
            b1m = m1 * mag
            b2m = m2 * mag
            v1[0] -= dx * b2m
            v1[1] -= dy * b2m
            v1[2] -= dz * b2m
            v2[0] += dx * b1m
            v2[1] += dy * b1m
            v2[2] += dz * b1m
        for r, (vx, vy, vz), _m in bodies:
            r[0] += DT * vx
            r[1] += DT * vy
            r[2] += DT * vz


def nbody(n):
    bodies = make_bodies()
    pairs = [(bodies[i], bodies[j]) for i in range(len(bodies)) for j in range(i + 1, len(bodies))]
    before = energy(bodies)
    advance(bodies, pairs, n)
    return f"{before:.9f}\n{energy(bodies):.9f}\n"


# --- spectral-norm ---------------------------------------------------------------------------

def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mul_av(v):
    n = len(v)
    return [sum(eval_a(i, j) * v[j] for j in range(n)) for i in range(n)]


def mul_atv(v):
    n = len(v)
    return [sum(eval_a(j, i) * v[j] for j in range(n)) for i in range(n)]


def mul_atav(v):
    return mul_atv(mul_av(v))


def spectral_norm(n):
    u = [1.0] * n
    for _ in range(10):
        v = mul_atav(u)
        u = mul_atav(v)
    vbv = sum(ue * ve for ue, ve in zip(u, v))
    vv = sum(ve * ve for ve in v)
    return f"{math.sqrt(vbv / vv):.9f}\n"


# --- fannkuch-redux --------------------------------------------------------------------------

def fannkuch_redux(n):
    perm1 = list(range(n))
    count = [0] * n
    checksum = 0
    max_flips = 0
    index = 0
    while True:
        first = perm1[0]
        if first:
            perm = perm1[:]
            flips = 0
            while first:
                perm[:first + 1] = perm[first::-1]
                flips += 1
                first = perm[0]
            checksum += flips if index % 2 == 0 else -flips
            max_flips = max(max_flips, flips)
        index += 1
        # Next permutation: rotate ever longer prefixes left by one, counting like an odometer.
        i = 1
        while True:
            if i >= n:
                return f"{checksum}\nPfannkuchen({n}) = {max_flips}\n"
            perm1[:i + 1] = perm1[1:i + 1] + [perm1[0]]
            count[i] += 1
            if count[i] <= i:
                break
            count[i] = 0
            i += 1


# --- mandelbrot ------------------------------------------------------------------------------

def mandelbrot(n):
    out = bytearray(b"P4\n%d %d\n" % (n, n))
    for y in range(n):
        ci = 2.0 * y / n - 1.0
        byte = 0
        for x in range(n):
            cr = 2.0 * x / n - 1.5
            zr = zi = tr = ti = 0.0
            for _ in range(50):
                zi = 2.0 * zr * zi + ci
                zr = tr - ti + cr
                tr = zr * zr
                ti = zi * zi
                if tr + ti > 4.0:
                    break
            byte = (byte << 1) | (tr + ti <= 4.0)
            if x % 8 == 7:
                out.append(byte)
                byte = 0
        if n % 8:
            out.append(byte << (8 - n % 8))
    return bytes(out)


# --- binary-trees ----------------------------------------------------------------------------

def make_tree(depth):
    if depth == 0:
        return (None, None)
    return (make_tree(depth - 1), make_tree(depth - 1))


def check_tree(node):
    left, right = node
    if left is None:
        return 1
    return 1 + check_tree(left) + check_tree(right)


def binary_trees(n):
    min_depth = 4
    max_depth = max(min_depth + 2, n)
    lines = []
    stretch = max_depth + 1
    lines.append(f"stretch tree of depth {stretch}\t check: {check_tree(make_tree(stretch))}")
    long_lived = make_tree(max_depth)
    for depth in range(min_depth, max_depth + 1, 2):
        iterations = 1 << (max_depth - depth + min_depth)
        check = 0
        for _ in range(iterations):
            check += check_tree(make_tree(depth))
        lines.append(f"{iterations}\t trees of depth {depth}\t check: {check}")
    lines.append(f"long lived tree of depth {max_depth}\t check: {check_tree(long_lived)}")
    return "\n".join(lines) + "\n"


def positive(solve):
    """Refuses N < 1 with the protocol's one-line reason instead of a traceback."""
    def checked(n):
        if n < 1:
            raise SystemExit(f"N must be a positive integer, not {n}")
        return solve(n)
    if hasattr(solve, "ladder_prepare"):
        checked.ladder_prepare = solve.ladder_prepare
    return checked


# --- JSON event pipeline ----------------------------------------------------------------------

import json  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

KEPT_TYPES = {"page_view", "purchase", "click", "search", "add_to_cart"}
WINDOW_START = datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp()
WINDOW_END = datetime(2025, 9, 30, 23, 59, 59, tzinfo=timezone.utc).timestamp()


def pipeline(n):
    # the bytes of $LADDER_INPUT, read on the first call only: an iteration is bytes to summary
    return summarize(json.loads(ladder_rung.input_bytes()))


def summarize(events):
    """The summary of the parsed events (rungs/orjson runs this same code on orjson's parse)."""
    users = {}  # user_id -> aggregate, in order of first appearance
    for event in events:
        if event["event_type"] not in KEPT_TYPES:
            continue
        ts = datetime.fromisoformat(event["timestamp"]).timestamp()
        if not WINDOW_START <= ts <= WINDOW_END:
            continue
        meta = event["metadata"]
        amount = float(meta.get("amount", 0.0))
        user = users.get(event["user_id"])
        if user is None:
            user = users[event["user_id"]] = {
                "event_count": 0, "total_amount": 0.0, "high_value_count": 0,
                "first_seen": ts, "last_seen": ts, "types": Counter(), "pages": Counter(),
            }
        user["event_count"] += 1
        user["total_amount"] += amount
        if amount > 100.0:
            user["high_value_count"] += 1
        user["first_seen"] = min(user["first_seen"], ts)
        user["last_seen"] = max(user["last_seen"], ts)
        user["types"][event["event_type"].upper()] += 1
        user["pages"][meta.get("page", "")] += 1
    total_amount = 0.0  # a plain running sum (sum() compensates on Python 3.12+)
    for user in users.values():
        total_amount += user["total_amount"]
    summary = {
        "total_users": len(users),
        "total_events": sum(user["event_count"] for user in users.values()),
        "total_amount": round(total_amount, 2),
        "total_high_value": sum(user["high_value_count"] for user in users.values()),
        "users": [
            {
                "user_id": user_id,
                "event_count": user["event_count"],
                "total_amount": round(user["total_amount"], 2),
                "high_value_count": user["high_value_count"],
                "duration_seconds": round(user["last_seen"] - user["first_seen"], 2),
                "top_event_type": user["types"].most_common(1)[0][0],
                "top_page": user["pages"].most_common(1)[0][0],
            }
            for user_id, user in sorted(users.items())
        ],
    }
    return json.dumps(summary)


# pipeline-dicts: the same summary, timed from the parsed dicts (json.loads runs once, untimed)
pipeline_dicts = ladder_rung.from_dicts(summarize)


# --- JSON parse only --------------------------------------------------------------------------

def json_parse(n):
    # the timed work is json.loads of the bytes in memory; the counts that prove the whole
    # document was parsed are taken once, after the last iteration (see ladder_rung.main)
    doc = json.loads(ladder_rung.input_bytes())
    return lambda: parse_summary(doc)


def parse_summary(doc):
    """The json-parse problem's canonical output: the events, the sum of their user_id values and
    every JSON value in the document by kind (object keys are not values)."""
    objects = arrays = strings = numbers = literals = 0
    stack = [doc]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            objects += 1
            stack.extend(value.values())
        elif kind is list:
            arrays += 1
            stack.extend(value)
        elif kind is str:
            strings += 1
        elif kind is int or kind is float:
            numbers += 1
        else:  # True, False, None
            literals += 1
    events = doc if type(doc) is list else []
    user_id_sum = sum(event["user_id"] for event in events)
    return (f"events {len(events)}\nuser_id_sum {user_id_sum}\n"
            f"values {objects + arrays + strings + numbers + literals}\nobjects {objects}\n"
            f"arrays {arrays}\nstrings {strings}\nnumbers {numbers}\nliterals {literals}\n")


# json-corpus (docs/specs/json-corpus.md): every file of the bundle parsed and digested
import time  # noqa: E402
from array import array  # noqa: E402

CORPUS_P = 2**64 - 59
_NEGATIVE_ZERO = b"\x80" + bytes(7)  # -0.0 as a big-endian word


def corpus_files(bundle):
    """The bundle's files as (name, bytes): per file a line "json-corpus NAME BYTES" and its bytes."""
    files, off = [], 0
    while off < len(bundle):
        nl = bundle.find(b"\n", off)
        head = bundle[off:nl].decode("utf-8", "replace").split(" ") if nl >= 0 else []
        if len(head) != 3 or head[0] != "json-corpus" or not head[1] or not head[2].isdigit():
            raise SystemExit(f"json-corpus: byte {off}: expected a line \"json-corpus NAME BYTES\"")
        name, size = head[1], int(head[2])
        if nl + 1 + size > len(bundle):
            raise SystemExit(f"json-corpus: byte {off}: the file is cut short")
        files.append((name, bundle[nl + 1:nl + 1 + size]))
        off = nl + 1 + size
    if not files:
        raise SystemExit("json-corpus: the bundle holds no files")
    return files


def corpus_digest(doc):
    """The canonical digest of a parsed document: (text, numbers), each a stream read as one
    big-endian number mod 2^64 - 59. Strings end in U+DCFF, which surrogateescape encodes as the
    byte 0xFF that UTF-8 never contains."""
    text, nums = [], []
    put, num = text.append, nums.append

    def walk(v):
        # containers recurse; scalars are handled in their container's loop
        if type(v) is dict:
            put("{")
            for k, x in v.items():
                put('"')
                put(k)
                put("\udcff")
                t = type(x)
                if t is str:
                    put('"')
                    put(x)
                    put("\udcff")
                elif t is float or t is int:
                    put("#")
                    num(x)
                elif t is dict or t is list:
                    walk(x)
                else:
                    put("t" if x is True else "f" if x is False else "n")
            put("}")
        elif type(v) is list:
            put("[")
            for x in v:
                t = type(x)
                if t is float or t is int:
                    put("#")
                    num(x)
                elif t is str:
                    put('"')
                    put(x)
                    put("\udcff")
                elif t is dict or t is list:
                    walk(x)
                else:
                    put("t" if x is True else "f" if x is False else "n")
            put("]")
        elif type(v) is str:
            put('"')
            put(v)
            put("\udcff")
        elif type(v) is float or type(v) is int:
            put("#")
            num(v)
        else:
            put("t" if v is True else "f" if v is False else "n")

    walk(doc)
    data = "".join(text).encode("utf-8", "surrogateescape")
    data += bytes(-len(data) % 8)
    words = array("d", nums)  # ints become their correctly rounded double here
    if sys.byteorder == "little":
        words.byteswap()
    raw = words.tobytes()
    at = raw.find(_NEGATIVE_ZERO)
    while at >= 0:
        if at % 8 == 0:  # a -0.0: every zero digests as +0.0
            raw = raw[:at] + bytes(8) + raw[at + 8:]
        at = raw.find(_NEGATIVE_ZERO, at + 1)
    return int.from_bytes(data, "big") % CORPUS_P, int.from_bytes(raw, "big") % CORPUS_P


def corpus_line(name, size, doc, digest):
    """A file's canonical line: its counts (taken after the timing) and digest."""
    counts = {dict: 0, list: 0, str: 0, "number": 0, "literal": 0}
    stack = [doc]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is dict:
            counts[dict] += 1
            stack.extend(v.values())
        elif t is list:
            counts[list] += 1
            stack.extend(v)
        elif t is str:
            counts[str] += 1
        elif t is int or t is float:
            counts["number"] += 1
        else:
            counts["literal"] += 1
    return (f"{name} bytes {size} values {sum(counts.values())} objects {counts[dict]} arrays {counts[list]} "
            f"strings {counts[str]} numbers {counts['number']} literals {counts['literal']} "
            f"digest {digest[0]:016x} {digest[1]:016x}\n")


def corpus_solver(loads):
    """json-corpus over a parser: every iteration parses and digests each file in bundle order,
    timing each file as a part of the iteration (ladder_rung.part)."""
    files = []

    def prepare(n):
        files[:] = corpus_files(ladder_rung.input_bytes())
        ladder_rung.report_bytes(sum(len(data) for _, data in files))

    def solve(n):
        done = []
        for name, data in files:
            t0 = time.perf_counter_ns()
            doc = loads(data)
            digest = corpus_digest(doc)
            ladder_rung.part(name, len(data), time.perf_counter_ns() - t0)
            done.append((name, len(data), doc, digest))
        return lambda: "".join(corpus_line(*d) for d in done)
    solve.ladder_prepare = prepare
    return solve


json_corpus = corpus_solver(json.loads)


if __name__ == "__main__":
    ladder_rung.main({problem: positive(solve) for problem, solve in ladder_rung.solvers(globals()).items()})
