"""n-body with every local annotated but the bodies kept as lists of floats, for mypyc.

This is the form the experiments compiled with mypyc (the Benchmarks Game's Python #1 layout with
type annotations), and the mypyc-lists rung's source. ladder's mypyc rung
(rungs/mypyc/ladder_mypyc.py) keeps each body in a native class with float attributes instead: the
two rows show that where the data lives decides what mypyc can do. docs/explain/mypyc_forms.py
times this file interpreted and compiled; docs/EXPERIMENTS.md says what the difference is worth.
"""
import math
from typing import List, Tuple

Body = Tuple[List[float], List[float], float]
Pair = Tuple[Body, Body]

PLANETS: List[Tuple[float, float, float, float, float, float, float]] = [
    (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    (4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
     9.54791938424326609e-04),
    (8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
     2.85885980666130812e-04),
    (1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
     4.36624404335156298e-05),
    (1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
     5.15138902046611451e-05),
]
SOLAR_MASS: float = 4 * math.pi * math.pi
DAYS_PER_YEAR: float = 365.24


def make_system() -> Tuple[List[Body], List[Pair]]:
    bodies: List[Body] = []
    for x, y, z, vx, vy, vz, m in PLANETS:
        bodies.append(([x, y, z], [vx * DAYS_PER_YEAR, vy * DAYS_PER_YEAR, vz * DAYS_PER_YEAR],
                       m * SOLAR_MASS))
    px: float = 0.0
    py: float = 0.0
    pz: float = 0.0
    for _r, v, mass in bodies:
        px -= v[0] * mass
        py -= v[1] * mass
        pz -= v[2] * mass
    sun_v: List[float] = bodies[0][1]
    sun_v[0] = px / SOLAR_MASS
    sun_v[1] = py / SOLAR_MASS
    sun_v[2] = pz / SOLAR_MASS
    pairs: List[Pair] = []
    i: int
    j: int
    for i in range(len(bodies) - 1):
        for j in range(i + 1, len(bodies)):
            pairs.append((bodies[i], bodies[j]))
    return bodies, pairs


def advance(dt: float, n: int, bodies: List[Body], pairs: List[Pair]) -> None:
    dx: float
    dy: float
    dz: float
    d2: float
    mag: float
    b1m: float
    b2m: float
    for _ in range(n):
        for (r1, v1, m1), (r2, v2, m2) in pairs:
            dx = r1[0] - r2[0]
            dy = r1[1] - r2[1]
            dz = r1[2] - r2[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            b1m = m1 * mag
            b2m = m2 * mag
            v1[0] -= dx * b2m
            v1[1] -= dy * b2m
            v1[2] -= dz * b2m
            v2[0] += dx * b1m
            v2[1] += dy * b1m
            v2[2] += dz * b1m
        for r, (vx, vy, vz), _m in bodies:
            r[0] += dt * vx
            r[1] += dt * vy
            r[2] += dt * vz


def energy(bodies: List[Body], pairs: List[Pair]) -> float:
    e: float = 0.0
    dx: float
    dy: float
    dz: float
    for (r1, _v1, m1), (r2, _v2, m2) in pairs:
        dx = r1[0] - r2[0]
        dy = r1[1] - r2[1]
        dz = r1[2] - r2[2]
        e -= (m1 * m2) / math.sqrt(dx * dx + dy * dy + dz * dz)
    for _r, v, m in bodies:
        e += m * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) / 2.0
    return e


def nbody(n: int) -> str:
    """The protocol's name for the problem (the rung's bench.py calls it)."""
    return run(n)


def run(n: int) -> str:
    bodies, pairs = make_system()
    before: float = energy(bodies, pairs)
    advance(0.01, n, bodies, pairs)
    return "%.9f\n%.9f\n" % (before, energy(bodies, pairs))
