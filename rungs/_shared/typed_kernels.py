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


def mandelbrot_kernel(n):
    row_bytes = (n + 7) // 8
    bits = np.zeros(n * row_bytes, dtype=np.uint8)
    for y in range(n):
        ci = 2.0 * y / n - 1.0
        byte = 0
        for x in range(n):
            cr = 2.0 * x / n - 1.5
            zr = zi = tr = ti = 0.0
            for _k in range(50):
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
