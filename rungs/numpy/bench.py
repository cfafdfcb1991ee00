"""The numpy rung: whole-array operations in place of Python loops, where the problem allows.

- spectral-norm: A is built once per solve as an n x n matrix; each A^T A u is two BLAS-backed
  matrix-vector products.
- mandelbrot: a block of rows at a time as arrays; 50 iterations over every pixel of the block
  (escaped pixels overflow to inf/nan harmlessly: the final |z|^2 <= 4 test is false for both),
  then np.packbits. Each multiply and add is its own ufunc, so nothing can be fused into an FMA.
- fannkuch-redux: every permutation of a chunk built at once from its index (the factorial number
  system gives the index-th permutation of the reference order), then all of them flipped together,
  rows leaving the active set as their first element reaches 0.
- n-body: vectorized over the 10 pairs, which for 5 bodies costs more in per-call overhead than it
  saves: kept to show the losing row. np.add.at applies the velocity updates in the reference's
  order, so the floating-point result is the reference's.
- binary-trees is not here: it is about allocating and walking millions of small tree nodes, and an
  array has no way to express a node; an index-array "tree" would be a different benchmark.
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402
from ladder_rung import DAYS_PER_YEAR, SOLAR_MASS  # noqa: E402

DT = 0.01
PLANETS = np.array(ladder_rung.PLANETS)


def energy(pos, vel, mass, ii, jj):
    kinetic = 0.5 * mass * (vel[:, 0] * vel[:, 0] + vel[:, 1] * vel[:, 1] + vel[:, 2] * vel[:, 2])
    d = pos[ii] - pos[jj]
    potential = mass[ii] * mass[jj] / np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1] + d[:, 2] * d[:, 2])
    e = 0.0
    k = 0
    for i in range(len(mass)):  # the reference's summation order
        e += float(kinetic[i])
        for _ in range(i + 1, len(mass)):
            e -= float(potential[k])
            k += 1
    return e


def nbody(n):
    pos = PLANETS[:, 0:3].copy()
    vel = PLANETS[:, 3:6] * DAYS_PER_YEAR
    mass = PLANETS[:, 6] * SOLAR_MASS
    p = np.zeros(3)
    for i in range(5):
        p += vel[i] * mass[i]
    vel[0] = -p / SOLAR_MASS
    ii, jj = np.triu_indices(5, 1)  # the 10 pairs in the reference's order
    before = energy(pos, vel, mass, ii, jj)
    # Updates interleaved as the reference applies them: pair k subtracts from body ii[k], then
    # adds to body jj[k]. np.add.at is unbuffered and goes in index order.
    target = np.empty(20, dtype=np.intp)
    target[0::2] = ii
    target[1::2] = jj
    m_other = np.empty((20, 1))
    m_other[0::2, 0] = -mass[jj]
    m_other[1::2, 0] = mass[ii]
    d = np.empty((20, 3))
    d2 = np.empty(10)
    for _ in range(n):
        dd = pos[ii] - pos[jj]
        np.multiply(dd[:, 0], dd[:, 0], out=d2)
        d2 += dd[:, 1] * dd[:, 1]
        d2 += dd[:, 2] * dd[:, 2]
        mag = DT / (d2 * np.sqrt(d2))
        d[0::2] = dd
        d[1::2] = dd
        # dx * m * mag, in that order, with the sign carried by m (x - y == x + (-y) exactly)
        upd = d * m_other
        upd *= np.repeat(mag, 2)[:, None]
        np.add.at(vel, target, upd)
        pos += DT * vel
    after = energy(pos, vel, mass, ii, jj)
    return f"{before:.9f}\n{after:.9f}\n"


def spectral_norm(n):
    i = np.arange(n, dtype=np.float64)
    s = i[:, None] + i[None, :]
    a = 1.0 / (s * (s + 1) / 2 + i[:, None] + 1)  # A[i, j]; exact: every value is an integer < 2^53
    at = np.ascontiguousarray(a.T)
    u = np.ones(n)
    v = None
    for _ in range(10):
        v = at @ (a @ u)
        u = at @ (a @ v)
    return f"{math.sqrt(float(u @ v) / float(v @ v)):.9f}\n"


def _perms_from_index(n, idx, fact):
    """Row r is permutation number idx[r] of the reference's order."""
    perm = np.tile(np.arange(n, dtype=np.int8), (len(idx), 1))
    rest = idx.copy()
    cols = np.arange(n)
    for i in range(n - 1, 0, -1):
        d = rest // fact[i]
        rest -= d * fact[i]
        # rotate the prefix perm[:, 0..i] left by d
        src = np.where(cols[None, :] <= i, (cols[None, :] + d[:, None]) % (i + 1), cols[None, :])
        perm = np.take_along_axis(perm, src, axis=1)
    return perm


def fannkuch_redux(n):
    fact = [1] * (n + 1)
    for i in range(1, n + 1):
        fact[i] = fact[i - 1] * i
    total = fact[n]
    chunk = max(1, min(total, 1 << 18))
    cols = np.arange(n)
    checksum = 0
    max_flips = 0
    for start in range(0, total, chunk):
        idx = np.arange(start, min(total, start + chunk), dtype=np.int64)
        perm = _perms_from_index(n, idx, fact)
        flips = np.zeros(len(idx), dtype=np.int64)
        rows = np.arange(len(idx))
        first = perm[:, 0].astype(np.intp)
        keep = first != 0
        rows, perm, first = rows[keep], perm[keep], first[keep]
        while len(rows):
            # reverse perm[r, 0..first[r]] in every active row at once
            src = np.where(cols[None, :] <= first[:, None], first[:, None] - cols[None, :], cols[None, :])
            perm = np.take_along_axis(perm, src, axis=1)
            flips[rows] += 1
            first = perm[:, 0].astype(np.intp)
            keep = first != 0
            rows, perm, first = rows[keep], perm[keep], first[keep]
        sign = np.where(idx % 2 == 0, 1, -1)
        checksum += int((flips * sign).sum())
        max_flips = max(max_flips, int(flips.max()))
    return f"{checksum}\nPfannkuchen({n}) = {max_flips}\n"


def mandelbrot(n):
    cr = 2.0 * np.arange(n, dtype=np.float64) / n - 1.5
    out = [b"P4\n%d %d\n" % (n, n)]
    block = max(1, (1 << 16) // n)
    with np.errstate(over="ignore", invalid="ignore"):
        for y0 in range(0, n, block):
            y = np.arange(y0, min(n, y0 + block), dtype=np.float64)
            ci = (2.0 * y / n - 1.0)[:, None]
            shape = (len(y), n)
            zr = np.zeros(shape)
            zi = np.zeros(shape)
            tr = np.zeros(shape)
            ti = np.zeros(shape)
            t = np.empty(shape)
            for _ in range(50):
                np.add(zr, zr, out=t)      # zi = 2 zr zi + ci: (zr + zr) * zi is exactly 2 * zr * zi
                np.multiply(t, zi, out=t)
                np.add(t, ci, out=zi)
                np.subtract(tr, ti, out=zr)  # zr = tr - ti + cr
                np.add(zr, cr, out=zr)
                np.multiply(zr, zr, out=tr)
                np.multiply(zi, zi, out=ti)
            np.add(tr, ti, out=t)
            out.append(np.packbits(t <= 4.0, axis=1).tobytes())
    return b"".join(out)


if __name__ == "__main__":
    ladder_rung.main(ladder_rung.solvers(globals()))
