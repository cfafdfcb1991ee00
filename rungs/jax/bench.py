"""The jax rung: the problems as jitted JAX functions, loops as lax.fori_loop / lax.while_loop.

The manifest pins JAX to the CPU, in float64 (JAX_ENABLE_X64), on one thread, and quiet.
Every problem's function is compiled on its first call (the harness's warm-up shows that cost);
N is a traced argument where the shapes allow, so one compilation serves every N.

- n-body: positions and velocities as two 5 x 3 arrays; each step computes all 25 (i, j) pairs at
  once and masks the diagonal, which XLA fuses into one loop body. Summing each body's pulls as a
  row changes the order of additions from the reference's, and the printed digits still match at
  every reference size, 50,000,000 included. (Unrolling the 10 pairs over 30 scalars instead, in
  the reference's order, was 5x slower: 505 ms against 98 ms at N=500,000.)
- spectral-norm: A built once per solve; each A^T A u is two matrix-vector products.
- mandelbrot: blocks of rows as arrays, 50 iterations of a fori_loop over the whole block.
- fannkuch-redux: a chunk of permutations built from their indices, then flipped together in a
  while_loop until every row's first element is 0 (finished rows are masked, shapes stay fixed).
- binary-trees is not here: XLA programs work on fixed-shape arrays and cannot allocate nodes.

FMA: XLA's CPU compiler may contract a * b + c into an FMA; mandelbrot's reference image needs the
separate multiply and add, so the manifest passes --xla_cpu_enable_fast_math=false and
mandelbrot is verified by MD5 at every size that has a reference.
"""
import os
import sys

import jax
import jax.numpy as jnp
from jax import lax

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402
from ladder_rung import DAYS_PER_YEAR, PLANETS, SOLAR_MASS  # noqa: E402

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")

DT = 0.01
NB = len(PLANETS)
PAIRS = [(i, j) for i in range(NB) for j in range(i + 1, NB)]


def initial_state():
    """(x, y, z, vx, vy, vz) per body and the masses, momentum offset into the sun, in Python."""
    bodies = [[x, y, z, vx * DAYS_PER_YEAR, vy * DAYS_PER_YEAR, vz * DAYS_PER_YEAR]
              for x, y, z, vx, vy, vz, _ in PLANETS]
    mass = [m * SOLAR_MASS for *_, m in PLANETS]
    p = [0.0, 0.0, 0.0]
    for b, m in zip(bodies, mass):
        for c in range(3):
            p[c] += b[3 + c] * m
    for c in range(3):
        bodies[0][3 + c] = -p[c] / SOLAR_MASS
    return [v for b in bodies for v in b], mass


MASS = jnp.array(initial_state()[1])
OFF_DIAGONAL = 1.0 - jnp.eye(NB)


def pair_terms(pos):
    """Every (i, j) difference and distance squared; the diagonal's d2 is 1, not 0, so that no
    lane divides by zero (its terms are multiplied by OFF_DIAGONAL's zero afterwards)."""
    diff = pos[:, None, :] - pos[None, :, :]
    return diff, jnp.sum(diff * diff, axis=2) + jnp.eye(NB)


def energy(pos, vel):
    diff, d2 = pair_terms(pos)
    kinetic = 0.5 * jnp.sum(MASS * jnp.sum(vel * vel, axis=1))
    return kinetic - 0.5 * jnp.sum(MASS[:, None] * MASS[None, :] / jnp.sqrt(d2) * OFF_DIAGONAL)


def step(_, state):
    pos, vel = state
    diff, d2 = pair_terms(pos)
    mag = DT / (d2 * jnp.sqrt(d2)) * OFF_DIAGONAL
    vel = vel - jnp.sum(diff * (mag * MASS[None, :])[:, :, None], axis=1)
    return pos + DT * vel, vel


@jax.jit
def nbody_kernel(n, pos, vel):
    before = energy(pos, vel)
    pos, vel = lax.fori_loop(0, n, step, (pos, vel))
    return before, energy(pos, vel)


def nbody(n):
    s0 = jnp.array(initial_state()[0]).reshape(NB, 6)
    before, after = nbody_kernel(n, s0[:, :3], s0[:, 3:])
    return f"{float(before):.9f}\n{float(after):.9f}\n"


@jax.jit
def spectral_norm_kernel(a):
    at = a.T

    def body(_, uv):
        u, _v = uv
        v = at @ (a @ u)
        u = at @ (a @ v)
        return u, v

    n = a.shape[0]
    u, v = lax.fori_loop(0, 10, body, (jnp.ones(n), jnp.zeros(n)))
    return jnp.sqrt(jnp.dot(u, v) / jnp.dot(v, v))


@jax.jit
def spectral_matrix(i):
    s = i[:, None] + i[None, :]
    return 1.0 / (s * (s + 1) / 2 + i[:, None] + 1)


def spectral_norm(n):
    a = spectral_matrix(jnp.arange(n, dtype=jnp.float64))
    return f"{float(spectral_norm_kernel(a)):.9f}\n"


MB_BLOCK_PIXELS = 1 << 16


@jax.jit
def mandelbrot_block(cr, ci):
    """Bits (as bools) of the pixels cr x ci, where ci is a column of row values."""
    zeros = jnp.zeros((ci.shape[0], cr.shape[0]))

    def body(_, z):
        zr, zi, tr, ti = z
        zi = (zr + zr) * zi + ci
        zr = tr - ti + cr
        return zr, zi, zr * zr, zi * zi

    _, _, tr, ti = lax.fori_loop(0, 50, body, (zeros, zeros, zeros, zeros))
    return jnp.packbits(tr + ti <= 4.0, axis=1)


def mandelbrot(n):
    cr = 2.0 * jnp.arange(n, dtype=jnp.float64) / n - 1.5
    rows = max(1, MB_BLOCK_PIXELS // n)
    out = [b"P4\n%d %d\n" % (n, n)]
    for y0 in range(0, n, rows):
        y = jnp.arange(y0, y0 + rows, dtype=jnp.float64)  # fixed shape: one compilation per n
        ci = (2.0 * y / n - 1.0)[:, None]
        block = mandelbrot_block(cr, ci)
        out.append(bytes(jax.device_get(block)[: min(rows, n - y0)].tobytes()))
    return b"".join(out)


FK_CHUNK = 1 << 15


def fannkuch_chunk(n, fact):
    cols = jnp.arange(n)

    @jax.jit
    def chunk(start, total):
        idx = start + jnp.arange(FK_CHUNK, dtype=jnp.int64)
        valid = idx < total
        perm = jnp.tile(jnp.arange(n, dtype=jnp.int32), (FK_CHUNK, 1))
        rest = idx
        for i in range(n - 1, 0, -1):
            d = rest // fact[i]
            rest = rest - d * fact[i]
            src = jnp.where(cols[None, :] <= i, (cols[None, :] + d[:, None]) % (i + 1), cols[None, :])
            perm = jnp.take_along_axis(perm, src, axis=1)

        def cond(state):
            perm, _ = state
            return jnp.any((perm[:, 0] != 0) & valid)

        def body(state):
            perm, flips = state
            first = perm[:, 0]
            active = (first != 0) & valid
            src = jnp.where(cols[None, :] <= first[:, None], first[:, None] - cols[None, :], cols[None, :])
            perm = jnp.where(active[:, None], jnp.take_along_axis(perm, src, axis=1), perm)
            return perm, flips + active.astype(jnp.int64)

        _, flips = lax.while_loop(cond, body, (perm, jnp.zeros(FK_CHUNK, dtype=jnp.int64)))
        sign = jnp.where(idx % 2 == 0, 1, -1)
        return jnp.sum(jnp.where(valid, flips * sign, 0)), jnp.max(flips)

    return chunk


_fannkuch_cache = {}


def fannkuch_redux(n):
    fact = [1] * (n + 1)
    for i in range(1, n + 1):
        fact[i] = fact[i - 1] * i
    chunk = _fannkuch_cache.get(n)
    if chunk is None:
        chunk = _fannkuch_cache[n] = fannkuch_chunk(n, fact)
    checksum = 0
    max_flips = 0
    for start in range(0, fact[n], FK_CHUNK):
        c, m = chunk(start, fact[n])
        checksum += int(c)
        max_flips = max(max_flips, int(m))
    return f"{checksum}\nPfannkuchen({n}) = {max_flips}\n"


if __name__ == "__main__":
    ladder_rung.main(ladder_rung.solvers(globals()))
