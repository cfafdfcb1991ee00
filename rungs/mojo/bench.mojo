# The mojo rung: the Benchmarks Game problems in Mojo, compiled ahead of time by `mojo build`
# into one standalone binary that speaks the rung protocol itself:
#   bench PROBLEM N   prints the canonical output once, after LADDER_WARMUP + LADDER_REPEAT
#                     in-process iterations, and writes "threads 1", "warmup_ns T" and "ns T"
#                     lines to the file descriptor number in LADDER_TIMING_FD.
# Built with --fp-mode contract=off: Mojo's default (contract=fast) lets LLVM fuse a*b+c into
# one FMA across statements (the default build of this file has dozens of vfmadd instructions),
# which can change a rounding and so a digit or a pixel; the references are computed unfused.
# Output goes through write(2) directly (libc's write via external_call), so text and binary
# (mandelbrot's PBM) take the same path and nothing is buffered behind our back.
# Mojo prints floats shortest-round-trip; "%.9f" is done here by exact integer rounding.

from std.sys import argv
from std.os import getenv
from std.time import perf_counter_ns
from std.ffi import external_call
from std.memory import bitcast
from std.math import sqrt
from std.memory.alloc import unsafe_alloc


# --- output -------------------------------------------------------------------------------------

def write_all(fd: Int, data: List[UInt8]) -> Bool:
    var p = data.unsafe_ptr()
    var off = 0
    var n = len(data)
    while off < n:
        var r = external_call["write", Int](Int32(fd), p.unsafe_offset(off), n - off)
        if r <= 0:
            return False
        off += r
    return True


def put(mut buf: List[UInt8], s: String):
    for b in s.as_bytes():
        buf.append(b)


def put_int(mut buf: List[UInt8], v: Int):
    put(buf, String(v))


def fixed9(x: Float64) -> String:
    """The same text as C's printf("%.9f", x) for finite x below 2^44 in magnitude.

    x is exactly m * 2^e; x * 10^9 = m * 10^9 * 2^e with m * 10^9 < 2^83, so the product fits
    in 128 bits and the shift rounds it to nearest, ties to even, as glibc does.
    """
    var bits = bitcast[DType.uint64](x)
    var negative = (bits >> 63) != 0
    var biased = Int((bits >> 52) & 0x7FF)
    var frac = bits & ((UInt64(1) << 52) - 1)
    if biased == 0x7FF:
        if frac != 0:
            return "-nan" if negative else "nan"
        return "-inf" if negative else "inf"
    var m: UInt64
    var e: Int
    if biased == 0:
        m = frac
        e = -1074
    else:
        m = frac | (UInt64(1) << 52)
        e = biased - 1075
    var scaled = UInt128(m) * UInt128(1000000000)
    var q: UInt128
    if e >= 0:
        if e > 44:
            return "(fixed9: value too large)"
        q = scaled << UInt128(e)
    elif -e >= 128:
        q = 0
    else:
        var s = UInt128(-e)
        q = scaled >> s
        var rem = scaled - (q << s)
        var half = UInt128(1) << (s - 1)
        if rem > half or (rem == half and (q & 1) == 1):
            q += 1
    var int_part = q // UInt128(1000000000)
    var frac_part = Int(q % UInt128(1000000000))
    var digits = String(frac_part)
    var out = String("-") if negative else String("")
    out += String(int_part) + "."
    for _ in range(9 - digits.byte_length()):
        out += "0"
    out += digits
    return out


# --- n-body -------------------------------------------------------------------------------------

comptime NB = 5
comptime PI = 3.141592653589793
comptime SOLAR_MASS = 4.0 * PI * PI
comptime DAYS_PER_YEAR = 365.24
comptime DT = 0.01


def five(a: Float64, b: Float64, c: Float64, d: Float64, e: Float64) -> Array[Float64, NB]:
    var r = Array[Float64, NB](fill=0.0)
    r[0] = a
    r[1] = b
    r[2] = c
    r[3] = d
    r[4] = e
    return r^


struct Bodies(Movable):
    var x: Array[Float64, NB]
    var y: Array[Float64, NB]
    var z: Array[Float64, NB]
    var vx: Array[Float64, NB]
    var vy: Array[Float64, NB]
    var vz: Array[Float64, NB]
    var m: Array[Float64, NB]

    def __init__(out self):
        self.x = five(0.0, 4.84143144246472090e+00, 8.34336671824457987e+00,
                                          1.28943695621391310e+01, 1.53796971148509165e+01)
        self.y = five(0.0, -1.16032004402742839e+00, 4.12479856412430479e+00,
                                          -1.51111514016986312e+01, -2.59193146099879641e+01)
        self.z = five(0.0, -1.03622044471123109e-01, -4.03523417114321381e-01,
                                          -2.23307578892655734e-01, 1.79258772950371181e-01)
        self.vx = five(0.0, 1.66007664274403694e-03, -2.76742510726862411e-03,
                                           2.96460137564761618e-03, 2.68067772490389322e-03)
        self.vy = five(0.0, 7.69901118419740425e-03, 4.99852801234917238e-03,
                                           2.37847173959480950e-03, 1.62824170038242295e-03)
        self.vz = five(0.0, -6.90460016972063023e-05, 2.30417297573763929e-05,
                                           -2.96589568540237556e-05, -9.51592254519715870e-05)
        self.m = five(1.0, 9.54791938424326609e-04, 2.85885980666130812e-04,
                                          4.36624404335156298e-05, 5.15138902046611451e-05)
        for i in range(NB):
            self.vx[i] = self.vx[i] * DAYS_PER_YEAR
            self.vy[i] = self.vy[i] * DAYS_PER_YEAR
            self.vz[i] = self.vz[i] * DAYS_PER_YEAR
            self.m[i] = self.m[i] * SOLAR_MASS
        var px = 0.0
        var py = 0.0
        var pz = 0.0
        for i in range(NB):
            px += self.vx[i] * self.m[i]
            py += self.vy[i] * self.m[i]
            pz += self.vz[i] * self.m[i]
        self.vx[0] = -px / SOLAR_MASS
        self.vy[0] = -py / SOLAR_MASS
        self.vz[0] = -pz / SOLAR_MASS

    def energy(self) -> Float64:
        var e = 0.0
        for i in range(NB):
            e += 0.5 * self.m[i] * (self.vx[i] * self.vx[i] + self.vy[i] * self.vy[i] + self.vz[i] * self.vz[i])
            for j in range(i + 1, NB):
                var dx = self.x[i] - self.x[j]
                var dy = self.y[i] - self.y[j]
                var dz = self.z[i] - self.z[j]
                e -= self.m[i] * self.m[j] / sqrt(dx * dx + dy * dy + dz * dz)
        return e

    def advance(mut self, steps: Int):
        for _ in range(steps):
            comptime for i in range(NB):
                comptime for j in range(i + 1, NB):
                    var dx = self.x[i] - self.x[j]
                    var dy = self.y[i] - self.y[j]
                    var dz = self.z[i] - self.z[j]
                    var d2 = dx * dx + dy * dy + dz * dz
                    var mag = DT / (d2 * sqrt(d2))
                    var mi = self.m[i]
                    var mj = self.m[j]
                    self.vx[i] -= dx * mj * mag
                    self.vy[i] -= dy * mj * mag
                    self.vz[i] -= dz * mj * mag
                    self.vx[j] += dx * mi * mag
                    self.vy[j] += dy * mi * mag
                    self.vz[j] += dz * mi * mag
            comptime for i in range(NB):
                self.x[i] += DT * self.vx[i]
                self.y[i] += DT * self.vy[i]
                self.z[i] += DT * self.vz[i]


def nbody(n: Int, mut out: List[UInt8]):
    var b = Bodies()
    var before = b.energy()
    b.advance(n)
    var after = b.energy()
    put(out, fixed9(before) + "\n" + fixed9(after) + "\n")


# --- spectral-norm ------------------------------------------------------------------------------

@always_inline
def eval_a(i: Int, j: Int) -> Float64:
    return 1.0 / Float64((i + j) * (i + j + 1) // 2 + i + 1)


def mul_av(v: List[Float64], mut out: List[Float64], n: Int):
    for i in range(n):
        var s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


def mul_atv(v: List[Float64], mut out: List[Float64], n: Int):
    for i in range(n):
        var s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


def spectral_norm(n: Int, mut out: List[UInt8]):
    var u = List[Float64](length=n, fill=1.0)
    var v = List[Float64](length=n, fill=0.0)
    var tmp = List[Float64](length=n, fill=0.0)
    for _ in range(10):
        mul_av(u, tmp, n)
        mul_atv(tmp, v, n)
        mul_av(v, tmp, n)
        mul_atv(tmp, u, n)
    var vbv = 0.0
    var vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    put(out, fixed9(sqrt(vbv / vv)) + "\n")


# --- fannkuch-redux -----------------------------------------------------------------------------

comptime FK_MAX = 16


def fannkuch_redux(n: Int, mut out: List[UInt8]):
    var perm1 = Array[Int, FK_MAX](fill=0)
    var perm = Array[Int, FK_MAX](fill=0)
    var count = Array[Int, FK_MAX](fill=0)
    for k in range(n):
        perm1[k] = k
    var checksum = 0
    var max_flips = 0
    var index = 0
    while True:
        var first = perm1[0]
        if first != 0:
            for k in range(n):
                perm[k] = perm1[k]
            var flips = 0
            while first != 0:
                var lo = 0
                var hi = first
                while lo < hi:
                    var t = perm[lo]
                    perm[lo] = perm[hi]
                    perm[hi] = t
                    lo += 1
                    hi -= 1
                flips += 1
                first = perm[0]
            if index % 2 == 0:
                checksum += flips
            else:
                checksum -= flips
            if flips > max_flips:
                max_flips = flips
        index += 1
        # next permutation: rotate ever longer prefixes left by one, counting like an odometer
        var i = 1
        while i < n:
            var p0 = perm1[0]
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
    put_int(out, checksum)
    put(out, "\nPfannkuchen(" + String(n) + ") = " + String(max_flips) + "\n")


# --- mandelbrot ---------------------------------------------------------------------------------

def mandelbrot(n: Int, mut out: List[UInt8]):
    put(out, "P4\n" + String(n) + " " + String(n) + "\n")
    var fn_ = Float64(n)
    for y in range(n):
        var ci = 2.0 * Float64(y) / fn_ - 1.0
        var byte = 0
        for x in range(n):
            var cr = 2.0 * Float64(x) / fn_ - 1.5
            var zr = 0.0
            var zi = 0.0
            var tr = 0.0
            var ti = 0.0
            for _ in range(50):
                zi = 2.0 * zr * zi + ci
                zr = tr - ti + cr
                tr = zr * zr
                ti = zi * zi
                if tr + ti > 4.0:
                    break
            byte = (byte << 1) | (1 if tr + ti <= 4.0 else 0)
            if x % 8 == 7:
                out.append(UInt8(byte))
                byte = 0
        if n % 8 != 0:
            out.append(UInt8((byte << (8 - n % 8)) & 0xFF))


# --- binary-trees -------------------------------------------------------------------------------
# One heap allocation per node (no pool), freed by hand after each check, as in the C rung.

comptime NodePtr = Pointer[Node, MutUntrackedOrigin]


struct Node(ImplicitlyCopyable, Movable):
    var left: Optional[NodePtr]  # both children or neither
    var right: Optional[NodePtr]

    def __init__(out self, left: Optional[NodePtr], right: Optional[NodePtr]):
        self.left = left
        self.right = right


def make_tree(depth: Int) -> NodePtr:
    var p = unsafe_alloc[Node](1)
    if depth == 0:
        p.unsafe_write(Node(None, None))
    else:
        p.unsafe_write(Node(make_tree(depth - 1), make_tree(depth - 1)))
    return p


def check_tree(p: NodePtr) -> Int:
    if not p[].left:
        return 1
    return 1 + check_tree(p[].left.value()) + check_tree(p[].right.value())


def free_tree(p: NodePtr):
    if p[].left:
        free_tree(p[].left.value())
        free_tree(p[].right.value())
    p.unsafe_free()


def check_and_free(depth: Int) -> Int:
    var t = make_tree(depth)
    var c = check_tree(t)
    free_tree(t)
    return c


def binary_trees(n: Int, mut out: List[UInt8]):
    var min_depth = 4
    var max_depth = max(min_depth + 2, n)
    var stretch = max_depth + 1
    put(out, "stretch tree of depth " + String(stretch) + "\t check: " + String(check_and_free(stretch)) + "\n")
    var long_lived = make_tree(max_depth)
    var depth = min_depth
    while depth <= max_depth:
        var iterations = 1 << (max_depth - depth + min_depth)
        var check = 0
        for _ in range(iterations):
            check += check_and_free(depth)
        put(out, String(iterations) + "\t trees of depth " + String(depth) + "\t check: " + String(check) + "\n")
        depth += 2
    put(out, "long lived tree of depth " + String(max_depth) + "\t check: " + String(check_tree(long_lived)) + "\n")
    free_tree(long_lived)


# --- the protocol -------------------------------------------------------------------------------

def fail(msg: String):
    var buf = List[UInt8]()
    put(buf, msg + "\n")
    _ = write_all(2, buf)
    external_call["exit", NoneType](Int32(2))


def env_int(name: String, default: Int, minimum: Int) -> Int:
    var raw = getenv(name, "")
    if raw == "":
        return default
    var v: Int
    try:
        v = Int(raw)
    except:
        fail(name + "=" + raw + " is not an integer")
        return 0
    if v < minimum:
        fail(name + "=" + raw + " must be >= " + String(minimum))
    return v


def solve(problem: String, n: Int, mut out: List[UInt8]):
    if problem == "nbody":
        nbody(n, out)
    elif problem == "spectral-norm":
        spectral_norm(n, out)
    elif problem == "fannkuch-redux":
        fannkuch_redux(n, out)
    elif problem == "mandelbrot":
        mandelbrot(n, out)
    elif problem == "binary-trees":
        binary_trees(n, out)


def main():
    var args = argv()
    if len(args) != 3:
        fail("usage: bench PROBLEM N")
    var problem = String(args[1])
    if problem != "nbody" and problem != "spectral-norm" and problem != "fannkuch-redux" and problem != "mandelbrot" and problem != "binary-trees":
        fail("problem '" + problem + "' is not implemented by this rung")
    var n: Int
    try:
        n = Int(String(args[2]))
    except:
        fail("N must be an integer, not '" + String(args[2]) + "'")
        return
    if n < 1 or (problem == "fannkuch-redux" and n > FK_MAX) or (problem == "binary-trees" and n > 30):
        fail("N=" + String(n) + " is out of range for " + problem)
    var warmup = env_int("LADDER_WARMUP", 0, 0)
    var repeat = env_int("LADDER_REPEAT", 1, 1)
    var fd = env_int("LADDER_TIMING_FD", -1, 0)
    var timing = List[UInt8]()
    if fd >= 0:
        put(timing, "threads 1\n")
        _ = write_all(fd, timing)
    var out = List[UInt8]()
    for it in range(warmup + repeat):
        out.clear()
        var t0 = perf_counter_ns()
        solve(problem, n, out)
        var t1 = perf_counter_ns()
        if fd >= 0:
            timing.clear()
            put(timing, ("warmup_ns " if it < warmup else "ns ") + String(Int(t1 - t0)) + "\n")
            if not write_all(fd, timing):
                fail("cannot write to LADDER_TIMING_FD=" + String(fd))
    if not write_all(1, out):
        fail("cannot write the output to stdout")
