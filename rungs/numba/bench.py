"""The numba rung: the reference algorithms as loops over NumPy arrays, compiled by @njit.

cache=True keeps the machine code in NUMBA_CACHE_DIR (the manifest puts it under the rung's build
folder), so the first call of a fresh process loads it instead of compiling when it can; the
harness's warm-up iterations absorb the rest and report the first call on its own.

FMA: fastmath stays off (numba's default), so LLVM gets no 'contract' flag and keeps mandelbrot's
multiply-then-add as two instructions, as the reference image needs.
"""
import math
import os
import sys

import numpy as np
from numba import njit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402

SOLAR_MASS = 4 * math.pi * math.pi
DAYS_PER_YEAR = 365.24
PLANETS = np.array([
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
     9.54791938424326609e-04],
    [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
     2.85885980666130812e-04],
    [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
     4.36624404335156298e-05],
    [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
     5.15138902046611451e-05],
])


@njit(cache=True)
def energy(pos, vel, mass):
    e = 0.0
    nb = mass.shape[0]
    for i in range(nb):
        e += 0.5 * mass[i] * (vel[i, 0] * vel[i, 0] + vel[i, 1] * vel[i, 1] + vel[i, 2] * vel[i, 2])
        for j in range(i + 1, nb):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            e -= mass[i] * mass[j] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


@njit(cache=True)
def nbody_kernel(planets, n, solar_mass, days_per_year):
    nb = planets.shape[0]
    pos = planets[:, 0:3].copy()
    vel = planets[:, 3:6] * days_per_year
    mass = planets[:, 6] * solar_mass
    px = py = pz = 0.0
    for i in range(nb):
        px += vel[i, 0] * mass[i]
        py += vel[i, 1] * mass[i]
        pz += vel[i, 2] * mass[i]
    vel[0, 0] = -px / solar_mass
    vel[0, 1] = -py / solar_mass
    vel[0, 2] = -pz / solar_mass
    before = energy(pos, vel, mass)
    dt = 0.01
    for _ in range(n):
        for i in range(nb):
            for j in range(i + 1, nb):
                dx = pos[i, 0] - pos[j, 0]
                dy = pos[i, 1] - pos[j, 1]
                dz = pos[i, 2] - pos[j, 2]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * math.sqrt(d2))
                vel[i, 0] -= dx * mass[j] * mag
                vel[i, 1] -= dy * mass[j] * mag
                vel[i, 2] -= dz * mass[j] * mag
                vel[j, 0] += dx * mass[i] * mag
                vel[j, 1] += dy * mass[i] * mag
                vel[j, 2] += dz * mass[i] * mag
        for i in range(nb):
            pos[i, 0] += dt * vel[i, 0]
            pos[i, 1] += dt * vel[i, 1]
            pos[i, 2] += dt * vel[i, 2]
    return before, energy(pos, vel, mass)


def nbody(n):
    before, after = nbody_kernel(PLANETS, n, SOLAR_MASS, DAYS_PER_YEAR)
    return f"{before:.9f}\n{after:.9f}\n"


@njit(cache=True)
def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


@njit(cache=True)
def mul_av(v, out):
    n = v.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


@njit(cache=True)
def mul_atv(v, out):
    n = v.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


@njit(cache=True)
def spectral_norm_kernel(n):
    u = np.ones(n)
    v = np.zeros(n)
    tmp = np.zeros(n)
    for _ in range(10):
        mul_av(u, tmp)
        mul_atv(tmp, v)
        mul_av(v, tmp)
        mul_atv(tmp, u)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


def spectral_norm(n):
    return f"{spectral_norm_kernel(n):.9f}\n"


@njit(cache=True)
def fannkuch_kernel(n):
    perm1 = np.arange(n)
    perm = np.zeros(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    checksum = 0
    max_flips = 0
    index = 0
    while True:
        first = perm1[0]
        if first != 0:
            for k in range(n):
                perm[k] = perm1[k]
            flips = 0
            while first != 0:
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
            if index % 2 == 0:
                checksum += flips
            else:
                checksum -= flips
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
            return checksum, max_flips


def fannkuch_redux(n):
    checksum, max_flips = fannkuch_kernel(n)
    return f"{checksum}\nPfannkuchen({n}) = {max_flips}\n"


@njit(cache=True)
def mandelbrot_kernel(n):
    row_bytes = (n + 7) // 8
    bits = np.zeros(n * row_bytes, dtype=np.uint8)
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
            byte = (byte << 1) | (1 if tr + ti <= 4.0 else 0)
            if x % 8 == 7:
                bits[y * row_bytes + x // 8] = byte
                byte = 0
        if n % 8 != 0:
            bits[y * row_bytes + row_bytes - 1] = byte << (8 - n % 8)
    return bits


def mandelbrot(n):
    return b"P4\n%d %d\n" % (n, n) + mandelbrot_kernel(n).tobytes()


if __name__ == "__main__":
    ladder_rung.main({
        "nbody": nbody,
        "spectral-norm": spectral_norm,
        "fannkuch-redux": fannkuch_redux,
        "mandelbrot": mandelbrot,
    })
