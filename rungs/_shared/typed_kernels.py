"""The typed-array kernels that the numba and pythran rungs compile: loops over NumPy arrays and
scalars, as plain Python.

This file is the one source of both rungs' machine code, so it holds only what both compilers
accept: no decorators, no classes, no f-strings, every helper a kernel calls defined here.
- numba: rungs/numba/bench.py wraps every function here in @njit at import (before any timing).
- pythran: its build prepends rungs/pythran/exports.py (the `#pythran export` signatures) to this
  file and compiles the result ahead of time into LADDER_BUILD_DIR.
rungs/_shared/typed_rung.py turns the kernels' results into the canonical output.

FMA: both keep mandelbrot's multiply-then-add as two instructions, as the reference image needs
(numba: fastmath off, its default; pythran: built with -ffp-contract=off, no -march=native).
"""
import math
import numpy as np


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
    for _s in range(n):
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


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mul_av(v, out):
    n = v.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


def mul_atv(v, out):
    n = v.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


def spectral_norm_kernel(n):
    u = np.ones(n)
    v = np.zeros(n)
    tmp = np.zeros(n)
    for _k in range(10):
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


def count_flips(perm1, perm, n):
    """The flips that put 0 first in a copy of perm1 (made in perm), each reversing a prefix."""
    for k in range(n):
        perm[k] = perm1[k]
    first = perm[0]
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
    return flips


def next_permutation(perm1, count, n):
    """Steps perm1 to the next permutation of the reference order (rotating ever longer prefixes
    left by one, counting like an odometer); 0 when there was none left, else 1."""
    i = 1
    advanced = 0
    while i < n and advanced == 0:
        p0 = perm1[0]
        for k in range(i):
            perm1[k] = perm1[k + 1]
        perm1[i] = p0
        count[i] += 1
        if count[i] <= i:
            advanced = 1
        else:
            count[i] = 0
            i += 1
    return advanced


def fannkuch_run(perm1, perm, count, result, n):
    """fannkuch-redux over arrays of at least n integers; result[0] is the checksum, result[1] the
    maximum flips (the taichi rung runs this on its fields)."""
    for k in range(n):
        perm1[k] = k
        count[k] = 0
    checksum = 0
    max_flips = 0
    index = 0
    more = 1
    while more != 0:
        if perm1[0] != 0:
            flips = count_flips(perm1, perm, n)
            if index % 2 == 0:
                checksum += flips
            else:
                checksum -= flips
            if flips > max_flips:
                max_flips = flips
        index += 1
        more = next_permutation(perm1, count, n)
    result[0] = checksum
    result[1] = max_flips


def fannkuch_kernel(n):
    result = np.zeros(2, dtype=np.int64)
    fannkuch_run(np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64),
                 result, n)
    return result[0], result[1]


def in_set(cr, ci):
    """1 when c = cr + ci i stays within |z| <= 2 for the 50 iterations, else 0."""
    zr = 0.0
    zi = 0.0
    tr = 0.0
    ti = 0.0
    for _k in range(50):
        zi = 2.0 * zr * zi + ci
        zr = tr - ti + cr
        tr = zr * zr
        ti = zi * zi
        if tr + ti > 4.0:
            break
    return 1 if tr + ti <= 4.0 else 0


def mandelbrot_kernel(n):
    row_bytes = (n + 7) // 8
    bits = np.zeros(n * row_bytes, dtype=np.uint8)
    for y in range(n):
        ci = 2.0 * y / n - 1.0
        byte = 0
        for x in range(n):
            byte = (byte << 1) | in_set(2.0 * x / n - 1.5, ci)
            if x % 8 == 7:
                bits[y * row_bytes + x // 8] = byte
                byte = 0
        if n % 8 != 0:
            bits[y * row_bytes + row_bytes - 1] = byte << (8 - n % 8)
    return bits
