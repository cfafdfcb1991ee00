"""The taichi rung: Taichi kernels on the CPU backend, float64, one thread, fast math off.

The manifest puts Taichi's offline cache under the rung's build folder. Each kernel compiles on
its first call (the harness's warm-up shows that cost). n-body's step loop and spectral-norm's
sums are serialized so the arithmetic follows the reference's order.

FMA: fast_math=False keeps LLVM from contracting mandelbrot's multiply-then-add.
mandelbrot's per-pixel loop and all of fannkuch-redux are the numba and pythran rungs' own code
(rungs/_shared/typed_kernels.py) as Taichi functions; fannkuch-redux is one serial kernel (a
top-level while loop) over small fixed-size fields.
binary-trees is not here: Taichi kernels work on fields of fixed shape and have no way to
allocate tree nodes.
"""
import contextlib
import os
import sys

# Taichi prints a banner on stdout at import and at init: keep stdout for the output alone.
with contextlib.redirect_stdout(sys.stderr):
    import taichi as ti

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "_protocol", "python"), os.path.join(HERE, "..", "_shared")]
import ladder_rung  # noqa: E402
import typed_rung  # noqa: E402
from ladder_rung import DAYS_PER_YEAR, PLANETS, SOLAR_MASS  # noqa: E402

with contextlib.redirect_stdout(sys.stderr):
    ti.init(arch=ti.cpu, default_fp=ti.f64, default_ip=ti.i64, cpu_max_num_threads=1, fast_math=False,
            offline_cache=True,
            offline_cache_file_path=os.path.join(os.environ.get("LADDER_BUILD_DIR", "."), "taichi-cache"),
            log_level=ti.ERROR)

NB = len(PLANETS)

pos = ti.Vector.field(3, ti.f64, shape=NB)
vel = ti.Vector.field(3, ti.f64, shape=NB)
mass = ti.field(ti.f64, shape=NB)


@ti.func
def energy() -> ti.f64:
    e = 0.0
    ti.loop_config(serialize=True)
    for i in range(NB):
        v = vel[i]
        e += 0.5 * mass[i] * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
        for j in range(i + 1, NB):
            d = pos[i] - pos[j]
            e -= mass[i] * mass[j] / ti.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2])
    return e


@ti.kernel
def nbody_energy() -> ti.f64:
    return energy()


@ti.kernel
def nbody_advance(n: ti.i64):
    dt = 0.01
    ti.loop_config(serialize=True)
    for _s in range(n):
        for i in ti.static(range(NB)):
            for j in ti.static(range(i + 1, NB)):
                dx = pos[i][0] - pos[j][0]
                dy = pos[i][1] - pos[j][1]
                dz = pos[i][2] - pos[j][2]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * ti.sqrt(d2))
                vel[i][0] -= dx * mass[j] * mag
                vel[i][1] -= dy * mass[j] * mag
                vel[i][2] -= dz * mass[j] * mag
                vel[j][0] += dx * mass[i] * mag
                vel[j][1] += dy * mass[i] * mag
                vel[j][2] += dz * mass[i] * mag
        for i in ti.static(range(NB)):
            pos[i] += dt * vel[i]


def nbody(n):
    p = [0.0, 0.0, 0.0]
    for i, (x, y, z, vx, vy, vz, m) in enumerate(PLANETS):
        pos[i] = (x, y, z)
        v = (vx * DAYS_PER_YEAR, vy * DAYS_PER_YEAR, vz * DAYS_PER_YEAR)
        vel[i] = v
        mass[i] = m * SOLAR_MASS
        for c in range(3):
            p[c] += v[c] * (m * SOLAR_MASS)
    vel[0] = (-p[0] / SOLAR_MASS, -p[1] / SOLAR_MASS, -p[2] / SOLAR_MASS)
    before = nbody_energy()
    nbody_advance(n)
    after = nbody_energy()
    return f"{before:.9f}\n{after:.9f}\n"


@ti.func
def eval_a(i, j) -> ti.f64:
    # True division, not //: the numerator is even and below 2^53, so the value is the same, and
    # i64 floor division inside the parallel row loop made the whole kernel 1.5x slower here.
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)


@ti.kernel
def mul_av(v: ti.template(), out: ti.template(), n: ti.i64):
    for i in range(n):  # rows in parallel (one thread here); each row's sum in order
        s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


@ti.kernel
def mul_atv(v: ti.template(), out: ti.template(), n: ti.i64):
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


@ti.kernel
def spectral_finish(u: ti.template(), v: ti.template(), n: ti.i64) -> ti.f64:
    vbv = 0.0
    vv = 0.0
    ti.loop_config(serialize=True)
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return ti.sqrt(vbv / vv)


_spectral_fields = {}


def spectral_norm(n):
    # Fields are made once per n: template kernels are specialized on the fields they are given,
    # so new fields on every call would mean a compilation inside every timed iteration.
    if n not in _spectral_fields:
        _spectral_fields[n] = tuple(ti.field(ti.f64, shape=n) for _ in range(3))
    u, v, tmp = _spectral_fields[n]
    u.fill(1.0)
    for _ in range(10):
        mul_av(u, tmp, n)
        mul_atv(tmp, v, n)
        mul_av(v, tmp, n)
        mul_atv(tmp, u, n)
    return f"{spectral_finish(u, v, n):.9f}\n"


# The numba and pythran rungs' loops (rungs/_shared/typed_kernels.py) as Taichi functions, which
# Taichi inlines into the kernels that call them.
kernels = typed_rung.compile_kernels(ti.func, ("in_set", "count_flips", "next_permutation", "fannkuch_run"))


@ti.kernel
def mandelbrot_kernel(bits: ti.types.ndarray(dtype=ti.u8, ndim=2), n: ti.i64):
    row_bytes = (n + 7) // 8
    for y, xb in ti.ndrange(n, row_bytes):
        ci = 2.0 * y / n - 1.0
        byte = 0
        for b in range(8):
            x = xb * 8 + b
            bit = 0
            if x < n:
                bit = kernels.in_set(2.0 * x / n - 1.5, ci)
            byte = (byte << 1) | bit
        bits[y, xb] = ti.cast(byte, ti.u8)


FK_MAX = 16  # fields are sized once; problem.json caps N at 12
fk_perm1 = ti.field(ti.i64, shape=FK_MAX)
fk_perm = ti.field(ti.i64, shape=FK_MAX)
fk_count = ti.field(ti.i64, shape=FK_MAX)
fk_result = ti.field(ti.i64, shape=2)  # checksum, max flips


@ti.kernel
def fannkuch_kernel(n: ti.i32):
    # One serial kernel: after the first loop, the top level is a while loop, which Taichi never
    # parallelizes.
    kernels.fannkuch_run(fk_perm1, fk_perm, fk_count, fk_result, n)


def fannkuch_redux(n):
    if not 1 <= n <= FK_MAX:
        raise SystemExit(f"fannkuch-redux: N={n} is outside 1..{FK_MAX}")
    fannkuch_kernel(n)
    return f"{fk_result[0]}\nPfannkuchen({n}) = {fk_result[1]}\n"


def mandelbrot(n):
    import numpy as np
    bits = np.zeros((n, (n + 7) // 8), dtype=np.uint8)
    mandelbrot_kernel(bits, n)
    return b"P4\n%d %d\n" % (n, n) + bits.tobytes()


if __name__ == "__main__":
    ladder_rung.main(ladder_rung.solvers(globals()))
