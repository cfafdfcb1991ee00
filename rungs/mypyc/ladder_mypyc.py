"""The five problems and the JSON event pipeline as typed Python, for mypyc to compile to C.

The same algorithms as rungs/cpython/bench.py, written so that mypyc can make them native: every
local and attribute annotated, bodies as a native class with float fields (unboxed doubles),
binary-trees' nodes as tuples (the cyclic GC stops tracking them), lists of int/float rather than
tuples of mixed types, `final` constants.
"""
import json
from datetime import datetime, timezone
from math import sqrt
from typing import Any, Dict, Final, List, Tuple

SOLAR_MASS: Final = 39.47841760435743  # 4 * pi * pi
DAYS_PER_YEAR: Final = 365.24
DT: Final = 0.01


class Body:
    def __init__(self, x: float, y: float, z: float, vx: float, vy: float, vz: float, mass: float) -> None:
        self.x = x
        self.y = y
        self.z = z
        self.vx = vx
        self.vy = vy
        self.vz = vz
        self.mass = mass


def make_bodies() -> List[Body]:
    d = DAYS_PER_YEAR
    m = SOLAR_MASS
    bodies = [
        Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, m),
        Body(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
             1.66007664274403694e-03 * d, 7.69901118419740425e-03 * d, -6.90460016972063023e-05 * d,
             9.54791938424326609e-04 * m),
        Body(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
             -2.76742510726862411e-03 * d, 4.99852801234917238e-03 * d, 2.30417297573763929e-05 * d,
             2.85885980666130812e-04 * m),
        Body(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
             2.96460137564761618e-03 * d, 2.37847173959480950e-03 * d, -2.96589568540237556e-05 * d,
             4.36624404335156298e-05 * m),
        Body(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
             2.68067772490389322e-03 * d, 1.62824170038242295e-03 * d, -9.51592254519715870e-05 * d,
             5.15138902046611451e-05 * m),
    ]
    px = 0.0
    py = 0.0
    pz = 0.0
    for b in bodies:
        px += b.vx * b.mass
        py += b.vy * b.mass
        pz += b.vz * b.mass
    sun = bodies[0]
    sun.vx = -px / SOLAR_MASS
    sun.vy = -py / SOLAR_MASS
    sun.vz = -pz / SOLAR_MASS
    return bodies


def energy(bodies: List[Body]) -> float:
    e = 0.0
    n = len(bodies)
    for i in range(n):
        b1 = bodies[i]
        e += 0.5 * b1.mass * (b1.vx * b1.vx + b1.vy * b1.vy + b1.vz * b1.vz)
        for j in range(i + 1, n):
            b2 = bodies[j]
            dx = b1.x - b2.x
            dy = b1.y - b2.y
            dz = b1.z - b2.z
            e -= b1.mass * b2.mass / sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(bodies: List[Body], pairs: List[Tuple[Body, Body]], steps: int) -> None:
    for _ in range(steps):
        for b1, b2 in pairs:
            dx = b1.x - b2.x
            dy = b1.y - b2.y
            dz = b1.z - b2.z
            d2 = dx * dx + dy * dy + dz * dz
            mag = DT / (d2 * sqrt(d2))
            m1 = b1.mass
            m2 = b2.mass
            b1.vx -= dx * m2 * mag
            b1.vy -= dy * m2 * mag
            b1.vz -= dz * m2 * mag
            b2.vx += dx * m1 * mag
            b2.vy += dy * m1 * mag
            b2.vz += dz * m1 * mag
        for b in bodies:
            b.x += DT * b.vx
            b.y += DT * b.vy
            b.z += DT * b.vz


def nbody(n: int) -> str:
    bodies = make_bodies()
    pairs: List[Tuple[Body, Body]] = []
    for i in range(len(bodies)):
        for j in range(i + 1, len(bodies)):
            pairs.append((bodies[i], bodies[j]))
    before = energy(bodies)
    advance(bodies, pairs, n)
    return f"{before:.9f}\n{energy(bodies):.9f}\n"


def eval_a(i: int, j: int) -> float:
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mul_av(v: List[float], out: List[float]) -> None:
    n = len(v)
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


def mul_atv(v: List[float], out: List[float]) -> None:
    n = len(v)
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


def mul_atav(v: List[float], out: List[float], tmp: List[float]) -> None:
    mul_av(v, tmp)
    mul_atv(tmp, out)


def spectral_norm(n: int) -> str:
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(10):
        mul_atav(u, v, tmp)
        mul_atav(v, u, tmp)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return f"{sqrt(vbv / vv):.9f}\n"


def fannkuch_redux(n: int) -> str:
    perm1 = list(range(n))
    perm = [0] * n
    count = [0] * n
    checksum = 0
    max_flips = 0
    index = 0
    while True:
        first = perm1[0]
        if first:
            for k in range(n):
                perm[k] = perm1[k]
            flips = 0
            while first:
                lo = 0
                hi = first
                while lo < hi:
                    t = perm[lo]
                    perm[lo] = perm[hi]
                    perm[hi] = t
                    lo += 1
                    hi -= 1
                flips += 1
                first = perm[0]
            checksum += flips if index % 2 == 0 else -flips
            if flips > max_flips:
                max_flips = flips
        index += 1
        # Next permutation: rotate ever longer prefixes left by one, counting like an odometer.
        i = 1
        while True:
            if i >= n:
                return f"{checksum}\nPfannkuchen({n}) = {max_flips}\n"
            p0 = perm1[0]
            for k in range(i):
                perm1[k] = perm1[k + 1]
            perm1[i] = p0
            count[i] += 1
            if count[i] <= i:
                break
            count[i] = 0
            i += 1


def mandelbrot(n: int) -> bytes:
    out = bytearray(b"P4\n%d %d\n" % (n, n))
    for y in range(n):
        ci = 2.0 * y / n - 1.0
        byte = 0
        for x in range(n):
            cr = 2.0 * x / n - 1.5
            zr = 0.0
            zi = 0.0
            tr = 0.0
            ti = 0.0
            for _ in range(50):
                zi = 2.0 * zr * zi + ci
                zr = tr - ti + cr
                tr = zr * zr
                ti = zi * zi
                if tr + ti > 4.0:
                    break
            byte = (byte << 1) | (1 if tr + ti <= 4.0 else 0)
            if x % 8 == 7:
                out.append(byte)
                byte = 0
        if n % 8:
            out.append(byte << (8 - n % 8))
    return bytes(out)


# Nodes are tuples, not a native class: CPython's cyclic GC stops tracking a tuple that holds only
# untracked objects, so the long-lived tree costs its collections nothing. Native-class nodes stay
# tracked, and with them GC passes took 2/3 of this problem's time (1945 ms, 612 ms with gc off).
# Tuple[Any, Any]: mypyc 2.4.1 crashed (SIGSEGV) on the recursive alias Tuple[Optional[Tree], ...].
Tree = Tuple[Any, Any]


def make_tree(depth: int) -> Tree:
    if depth == 0:
        return (None, None)
    return (make_tree(depth - 1), make_tree(depth - 1))


def check_tree(node: Tree) -> int:
    left, right = node
    if left is None:
        return 1
    return 1 + check_tree(left) + check_tree(right)


def binary_trees(n: int) -> str:
    min_depth = 4
    max_depth = max(min_depth + 2, n)
    lines: List[str] = []
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


# --- JSON event pipeline ----------------------------------------------------------------------
# rungs/cpython/bench.py's pipeline with types: json.loads still builds the dicts, the aggregate per
# user is a native class (unboxed counts and doubles), the per-user counters are plain dicts.

KEPT_TYPES: Final = frozenset(["page_view", "purchase", "click", "search", "add_to_cart"])
WINDOW_START: Final = datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp()
WINDOW_END: Final = datetime(2025, 9, 30, 23, 59, 59, tzinfo=timezone.utc).timestamp()


class UserStats:
    def __init__(self, ts: float) -> None:
        self.event_count = 0
        self.total_amount = 0.0
        self.high_value_count = 0
        self.first_seen = ts
        self.last_seen = ts
        self.types: Dict[str, int] = {}
        self.pages: Dict[str, int] = {}


def top_key(counts: Dict[str, int]) -> str:
    """The key with the highest count, the first one reached on a tie (Counter.most_common(1))."""
    best = ""
    best_count = -1
    for key, count in counts.items():
        if count > best_count:
            best = key
            best_count = count
    return best


def pipeline(data: bytes) -> str:
    events: List[Dict[str, Any]] = json.loads(data)
    return summarize(events)


def summarize(events: List[Dict[str, Any]]) -> str:
    """The summary from parsed events (pipeline-dicts times this alone)."""
    users: Dict[int, UserStats] = {}  # in order of first appearance
    for event in events:
        event_type: str = event["event_type"]
        if event_type not in KEPT_TYPES:
            continue
        ts: float = datetime.fromisoformat(event["timestamp"]).timestamp()
        if not WINDOW_START <= ts <= WINDOW_END:
            continue
        meta: Dict[str, Any] = event["metadata"]
        amount = float(meta.get("amount", 0.0))
        user_id: int = event["user_id"]
        user = users.get(user_id)
        if user is None:
            user = UserStats(ts)
            users[user_id] = user
        user.event_count += 1
        user.total_amount += amount
        if amount > 100.0:
            user.high_value_count += 1
        if ts < user.first_seen:
            user.first_seen = ts
        if ts > user.last_seen:
            user.last_seen = ts
        kind = event_type.upper()
        user.types[kind] = user.types.get(kind, 0) + 1
        page: str = meta.get("page", "")
        user.pages[page] = user.pages.get(page, 0) + 1
    total_amount = 0.0
    total_events = 0
    total_high_value = 0
    for user in users.values():
        total_amount += user.total_amount
        total_events += user.event_count
        total_high_value += user.high_value_count
    rows: List[Dict[str, object]] = []
    for user_id in sorted(users):
        user = users[user_id]
        rows.append({
            "user_id": user_id,
            "event_count": user.event_count,
            "total_amount": round(user.total_amount, 2),
            "high_value_count": user.high_value_count,
            "duration_seconds": round(user.last_seen - user.first_seen, 2),
            "top_event_type": top_key(user.types),
            "top_page": top_key(user.pages),
        })
    summary: Dict[str, object] = {
        "total_users": len(users),
        "total_events": total_events,
        "total_amount": round(total_amount, 2),
        "total_high_value": total_high_value,
        "users": rows,
    }
    return json.dumps(summary)
