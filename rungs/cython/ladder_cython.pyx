# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The five problems (and the JSON event pipeline, at the end) in Cython 3 with C types: the same
algorithms as rungs/cpython/bench.py.

The silent landmines, each avoided here (each compiles, runs and verifies, just far slower):
- `x ** 1.5` or `x ** 0.5` on a C double: Cython must keep Python's semantics (a negative base
  gives a complex result), so it calls pow() through a checked path instead of one sqrt; n-body
  writes d2 * sqrt(d2) with libc's sqrt.
- missing `cdivision=True`: every `/` and `//` on C numbers then checks for a zero divisor (to
  raise ZeroDivisionError) and `//`/`%` fix up the sign Python's way, inside the hottest loops
  (spectral-norm's A(i, j)).
- bounds and wraparound checks left on: every indexing of a memoryview or pointer-like buffer
  tests the index against the length and for negative values; off here (module directives above),
  so the code is written never to index out of range.
- untyped locals: one missing `cdef double` makes a variable a Python object and the loop boxes
  every value; `cython -a` shows those lines in yellow.
"""
from cpython.bytes cimport PyBytes_FromStringAndSize
from libc.math cimport sqrt
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memset

cdef double PI = 3.141592653589793
cdef double SOLAR_MASS = 4 * PI * PI
cdef double DAYS_PER_YEAR = 365.24
cdef double DT = 0.01

cdef double[5][7] PLANETS
PLANETS[0][:] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
PLANETS[1][:] = [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
                 1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
                 9.54791938424326609e-04]
PLANETS[2][:] = [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
                 -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
                 2.85885980666130812e-04]
PLANETS[3][:] = [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
                 2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
                 4.36624404335156298e-05]
PLANETS[4][:] = [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
                 2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
                 5.15138902046611451e-05]


cdef double energy(double[5][3] p, double[5][3] v, double[5] m) noexcept nogil:
    cdef double e = 0.0, dx, dy, dz
    cdef int i, j
    for i in range(5):
        e += 0.5 * m[i] * (v[i][0] * v[i][0] + v[i][1] * v[i][1] + v[i][2] * v[i][2])
        for j in range(i + 1, 5):
            dx = p[i][0] - p[j][0]
            dy = p[i][1] - p[j][1]
            dz = p[i][2] - p[j][2]
            e -= m[i] * m[j] / sqrt(dx * dx + dy * dy + dz * dz)
    return e


def nbody(long n):
    cdef double[5][3] p
    cdef double[5][3] v
    cdef double[5] m
    cdef double px = 0.0, py = 0.0, pz = 0.0, dx, dy, dz, d2, mag, before, after
    cdef int i, j, c
    cdef long step
    for i in range(5):
        for c in range(3):
            p[i][c] = PLANETS[i][c]
            v[i][c] = PLANETS[i][3 + c] * DAYS_PER_YEAR
        m[i] = PLANETS[i][6] * SOLAR_MASS
        px += v[i][0] * m[i]
        py += v[i][1] * m[i]
        pz += v[i][2] * m[i]
    v[0][0] = -px / SOLAR_MASS
    v[0][1] = -py / SOLAR_MASS
    v[0][2] = -pz / SOLAR_MASS
    before = energy(p, v, m)
    with nogil:
        for step in range(n):
            for i in range(5):
                for j in range(i + 1, 5):
                    dx = p[i][0] - p[j][0]
                    dy = p[i][1] - p[j][1]
                    dz = p[i][2] - p[j][2]
                    d2 = dx * dx + dy * dy + dz * dz
                    mag = DT / (d2 * sqrt(d2))  # not d2 ** 1.5: see the module docstring
                    v[i][0] -= dx * m[j] * mag
                    v[i][1] -= dy * m[j] * mag
                    v[i][2] -= dz * m[j] * mag
                    v[j][0] += dx * m[i] * mag
                    v[j][1] += dy * m[i] * mag
                    v[j][2] += dz * m[i] * mag
            for i in range(5):
                p[i][0] += DT * v[i][0]
                p[i][1] += DT * v[i][1]
                p[i][2] += DT * v[i][2]
    after = energy(p, v, m)
    return f"{before:.9f}\n{after:.9f}\n"


cdef inline double eval_a(long i, long j) noexcept nogil:
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


cdef void mul_av(const double *v, double *out, int n) noexcept nogil:
    cdef int i, j
    cdef double s
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


cdef void mul_atv(const double *v, double *out, int n) noexcept nogil:
    cdef int i, j
    cdef double s
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


def spectral_norm(int n):
    cdef double *u = <double *>malloc(3 * n * sizeof(double))
    if u == NULL:
        raise MemoryError()
    cdef double *v = u + n
    cdef double *tmp = u + 2 * n
    cdef double vbv = 0.0, vv = 0.0
    cdef int i, it
    with nogil:
        for i in range(n):
            u[i] = 1.0
        for it in range(10):
            mul_av(u, tmp, n)
            mul_atv(tmp, v, n)
            mul_av(v, tmp, n)
            mul_atv(tmp, u, n)
        for i in range(n):
            vbv += u[i] * v[i]
            vv += v[i] * v[i]
    free(u)
    return f"{sqrt(vbv / vv):.9f}\n"


def fannkuch_redux(int n):
    if n < 1 or n > 20:
        raise ValueError("n out of range")
    cdef int[32] perm1, perm, count
    cdef int i, k, lo, hi, t, first, flips, max_flips = 0, p0
    cdef long long checksum = 0, index = 0
    for i in range(n):
        perm1[i] = i
        count[i] = 0
    with nogil:
        while True:
            first = perm1[0]
            if first:
                memcpy(perm, perm1, n * sizeof(int))
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
            i = 1
            while i < n:
                p0 = perm1[0]
                for k in range(i):
                    perm1[k] = perm1[k + 1]
                perm1[i] = p0
                count[i] += 1
                if count[i] <= i:
                    break
                count[i] = 0
                i += 1
            if i >= n:
                break
    return f"{checksum}\nPfannkuchen({n}) = {max_flips}\n"


def mandelbrot(int n):
    header = b"P4\n%d %d\n" % (n, n)
    cdef Py_ssize_t hlen = len(header), row_bytes = (n + 7) // 8
    out = PyBytes_FromStringAndSize(NULL, hlen + row_bytes * n)
    cdef unsigned char *buf = <unsigned char *><char *>out
    memcpy(buf, <char *>header, hlen)
    buf += hlen
    cdef int x, y, it
    cdef unsigned char byte
    cdef double cr, ci, zr, zi, tr, ti
    with nogil:
        for y in range(n):
            ci = 2.0 * y / n - 1.0
            byte = 0
            for x in range(n):
                cr = 2.0 * x / n - 1.5
                zr = zi = tr = ti = 0.0
                for it in range(50):
                    zi = 2.0 * zr * zi + ci  # multiply, then add: built with -ffp-contract=off
                    zr = tr - ti + cr
                    tr = zr * zr
                    ti = zi * zi
                    if tr + ti > 4.0:
                        break
                byte = (byte << 1) | (tr + ti <= 4.0)
                if x % 8 == 7:
                    buf[0] = byte
                    buf += 1
                    byte = 0
            if n % 8:
                buf[0] = byte << (8 - n % 8)
                buf += 1
    return out


cdef struct Node:
    Node *left
    Node *right


cdef Node *make_tree(int depth) noexcept nogil:
    cdef Node *node = <Node *>malloc(sizeof(Node))
    if node == NULL:
        return NULL
    if depth > 0:
        node.left = make_tree(depth - 1)
        node.right = make_tree(depth - 1)
    else:
        node.left = NULL
        node.right = NULL
    return node


cdef long check_tree(const Node *node) noexcept nogil:
    if node.left == NULL:
        return 1
    return 1 + check_tree(node.left) + check_tree(node.right)


cdef void free_tree(Node *node) noexcept nogil:
    if node.left != NULL:
        free_tree(node.left)
        free_tree(node.right)
    free(node)


cdef long tree_check(int depth) except -1 nogil:
    cdef Node *t = make_tree(depth)
    if t == NULL:
        with gil:
            raise MemoryError()
    cdef long c = check_tree(t)
    free_tree(t)
    return c


def binary_trees(int n):
    cdef int min_depth = 4, max_depth = max(min_depth + 2, n), depth, stretch = max_depth + 1
    cdef long iterations, i, check
    lines = [f"stretch tree of depth {stretch}\t check: {tree_check(stretch)}"]
    cdef Node *long_lived = make_tree(max_depth)
    if long_lived == NULL:
        raise MemoryError()
    for depth in range(min_depth, max_depth + 1, 2):
        iterations = 1 << (max_depth - depth + min_depth)
        check = 0
        with nogil:
            for i in range(iterations):
                check += tree_check(depth)
        lines.append(f"{iterations}\t trees of depth {depth}\t check: {check}")
    lines.append(f"long lived tree of depth {max_depth}\t check: {check_tree(long_lived)}")
    free_tree(long_lived)
    return "\n".join(lines) + "\n"


# --- JSON event pipeline ----------------------------------------------------------------------
# Over dicts, as a Cython developer would write it before reaching for a C JSON library: CPython's
# json.loads builds the events, then typed loops walk them. The per-user aggregate is an extension
# type (C counts and doubles), the counters plain dicts, and the timestamp is read by C code in its
# usual shape (YYYY-MM-DDTHH:MM:SS+HH:MM), anything else by datetime.fromisoformat as before.

import json
from datetime import datetime, timezone

# the kept event types, each with its upper-cased name (one dict lookup filters and transforms)
cdef dict KEPT_UPPER = {t: t.upper() for t in ("page_view", "purchase", "click", "search", "add_to_cart")}
cdef double WINDOW_START = datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp()
cdef double WINDOW_END = datetime(2025, 9, 30, 23, 59, 59, tzinfo=timezone.utc).timestamp()


cdef class UserStats:
    cdef long event_count, high_value_count
    cdef double total_amount, first_seen, last_seen
    cdef dict types, pages

    def __cinit__(self, double ts):
        self.first_seen = ts
        self.last_seen = ts
        self.types = {}
        self.pages = {}


cdef inline int two_digits(str s, Py_ssize_t i):
    """The number written by s[i:i+2] in ASCII digits, or -1."""
    # (Py_UCS4 is a character to Cython: `ch - 48` would build a str and fail; cast to int first)
    cdef Py_UCS4 ca = s[i], cb = s[i + 1]
    cdef int a = <int>ca - 48, b = <int>cb - 48
    if a < 0 or a > 9 or b < 0 or b > 9:
        return -1
    return a * 10 + b


cdef inline long days_from_civil(long y, long m, long d) noexcept:
    """Days since 1970-01-01 of a proleptic Gregorian date (y >= 1)."""
    if m <= 2:
        y -= 1
    cdef long era = y // 400
    cdef long yoe = y - era * 400
    cdef long doy = (153 * (m + (9 if m <= 2 else -3)) + 2) // 5 + d - 1
    cdef long doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


cdef int[13] MONTH_DAYS
MONTH_DAYS[:] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


cdef double timestamp(object value) except? -1.0:
    """Epoch seconds of an ISO 8601 time: datetime.fromisoformat(value).timestamp(), exactly."""
    cdef str s
    cdef int hi, lo, year, month, day, hour, minute, second, oh, om, last
    if type(value) is str and len(<str>value) == 25:
        s = <str>value
        hi = two_digits(s, 0)
        lo = two_digits(s, 2)
        month = two_digits(s, 5)
        day = two_digits(s, 8)
        hour = two_digits(s, 11)
        minute = two_digits(s, 14)
        second = two_digits(s, 17)
        oh = two_digits(s, 20)
        om = two_digits(s, 23)
        if (hi >= 0 and lo >= 0 and s[4] == u'-' and s[7] == u'-' and s[10] == u'T'
                and s[13] == u':' and s[16] == u':' and (s[19] == u'+' or s[19] == u'-')
                and s[22] == u':' and 1 <= month <= 12 and 0 <= hour <= 23 and 0 <= minute <= 59
                and 0 <= second <= 59 and 0 <= oh <= 23 and 0 <= om <= 59):
            year = hi * 100 + lo
            last = MONTH_DAYS[month]
            if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
                last = 29
            if year >= 1 and 1 <= day <= last:
                oh = oh * 3600 + om * 60
                if s[19] == u'-':
                    oh = -oh
                return <double>(days_from_civil(year, month, day) * 86400
                                + hour * 3600 + minute * 60 + second - oh)
    return datetime.fromisoformat(value).timestamp()


cdef object top_key(dict counts):
    """The key with the highest count, the first one reached on a tie (Counter.most_common(1))."""
    cdef object best = None
    cdef long best_count = -1, count
    for key, value in counts.items():
        count = value
        if count > best_count:
            best = key
            best_count = count
    return best


def pipeline(bytes data):
    return summarize(json.loads(data))


def summarize(list events):
    """The summary from parsed events (pipeline-dicts times this alone)."""
    cdef dict users = {}  # user_id -> UserStats, in order of first appearance
    cdef dict event, meta
    cdef object kind, user_id, page
    cdef double ts, amount, total_amount = 0.0
    cdef long total_events = 0, total_high_value = 0
    cdef UserStats user
    for event in events:
        kind = KEPT_UPPER.get(event["event_type"])
        if kind is None:
            continue
        ts = timestamp(event["timestamp"])
        if not WINDOW_START <= ts <= WINDOW_END:
            continue
        meta = event["metadata"]
        amount = float(meta.get("amount", 0.0))
        user_id = event["user_id"]
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
        user.types[kind] = user.types.get(kind, 0) + 1
        page = meta.get("page", "")
        user.pages[page] = user.pages.get(page, 0) + 1
    for user in users.values():
        total_amount += user.total_amount
        total_events += user.event_count
        total_high_value += user.high_value_count
    rows = []
    for user_id in sorted(users):
        user = users[user_id]
        rows.append({
            "user_id": user_id,
            "event_count": user.event_count,
            "total_amount": round(<object>user.total_amount, 2),
            "high_value_count": user.high_value_count,
            "duration_seconds": round(<object>(user.last_seen - user.first_seen), 2),
            "top_event_type": top_key(user.types),
            "top_page": top_key(user.pages),
        })
    return json.dumps({
        "total_users": len(users),
        "total_events": total_events,
        "total_amount": round(<object>total_amount, 2),
        "total_high_value": total_high_value,
        "users": rows,
    })
