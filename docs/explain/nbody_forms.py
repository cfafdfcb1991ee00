"""Time three forms of the same n-body on whichever interpreter runs this file.

  bg1-pow   the Benchmarks Game's Python #1 layout (bodies as ([x,y,z], [vx,vy,vz], m) tuples,
            a precomputed pair list) with mag = dt * d2 ** -1.5, as the experiments ran it
  ladder    ladder's cpython rung (rungs/cpython/bench.py), which PyPy runs unchanged: the same
            layout with mag = dt / (d2 * sqrt(d2))
  flat      one flat list [x, y, z, vx, vy, vz, m] per body, indexed in the loop (ladder's
            cpython rung before it moved to the layout above)

Every form's output is checked against problems/nbody/ref/N.txt before its time is shown.
Run it under CPython and PyPy and divide: docs/EXPERIMENTS.md says what it showed.

  python3 docs/explain/nbody_forms.py [N] [RUNS]
  pypy3   docs/explain/nbody_forms.py [N] [RUNS]
"""
import inspect
import math
import os
import statistics
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "rungs", "cpython"))
import bench as ladder_cpython  # noqa: E402


# The magnitude as the cpython rung computes it, and as the experiments did.
SQRT_MAG = """            d2 = dx * dx + dy * dy + dz * dz
            mag = DT / (d2 * sqrt(d2))
"""
POW_MAG = """            mag = DT * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
"""


def pow_form(fn):
    """fn (the cpython rung's advance) compiled again with its magnitude line as the experiments
    wrote it, so that the two forms differ in that line alone."""
    src = inspect.getsource(fn)
    if SQRT_MAG not in src:
        raise SystemExit("nbody_forms: the cpython rung's advance no longer computes mag as %r" % SQRT_MAG)
    namespace = dict(vars(ladder_cpython))
    exec(compile(src.replace(SQRT_MAG, POW_MAG), inspect.getsourcefile(fn), "exec"), namespace)
    return namespace[fn.__name__]


advance_pow = pow_form(ladder_cpython.advance)


def bg1_pow(n):
    bodies = ladder_cpython.make_bodies()
    pairs = [(bodies[i], bodies[j]) for i in range(len(bodies)) for j in range(i + 1, len(bodies))]
    before = ladder_cpython.energy(bodies)
    advance_pow(bodies, pairs, n)
    return "%.9f\n%.9f\n" % (before, ladder_cpython.energy(bodies))


def flat_run(n):
    bodies = []
    for (r, v, m) in ladder_cpython.make_bodies():
        bodies.append(r + v + [m])
    pairs = [(bodies[i], bodies[j]) for i in range(len(bodies) - 1) for j in range(i + 1, len(bodies))]

    def flat_energy():
        e = 0.0
        for b1, b2 in pairs:
            dx = b1[0] - b2[0]
            dy = b1[1] - b2[1]
            dz = b1[2] - b2[2]
            e -= b1[6] * b2[6] / math.sqrt(dx * dx + dy * dy + dz * dz)
        for b in bodies:
            e += b[6] * (b[3] * b[3] + b[4] * b[4] + b[5] * b[5]) / 2.0
        return e

    before = flat_energy()
    dt = 0.01
    for _ in range(n):
        for b1, b2 in pairs:
            dx = b1[0] - b2[0]
            dy = b1[1] - b2[1]
            dz = b1[2] - b2[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            m1 = b1[6]
            m2 = b2[6]
            b1[3] -= dx * m2 * mag
            b1[4] -= dy * m2 * mag
            b1[5] -= dz * m2 * mag
            b2[3] += dx * m1 * mag
            b2[4] += dy * m1 * mag
            b2[5] += dz * m1 * mag
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]
    return "%.9f\n%.9f\n" % (before, flat_energy())


FORMS = [("bg1-pow", bg1_pow), ("ladder", ladder_cpython.nbody), ("flat", flat_run)]


def main(argv):
    n = int(argv[1]) if len(argv) > 1 else 500000
    runs = int(argv[2]) if len(argv) > 2 else 5
    ref_path = os.path.join(ROOT, "problems", "nbody", "ref", "%d.txt" % n)
    try:
        with open(ref_path) as f:
            expected = f.read()
    except OSError as e:
        sys.stderr.write("nbody_forms: no reference for N=%d (%s)\n" % (n, e))
        return 2
    impl = "%s %s" % (sys.implementation.name, ".".join(map(str, sys.version_info[:3])))
    for name, run in FORMS:
        run(1000)  # warm-up, as the experiments' PyPy runner did
        times = []
        out = None
        for _ in range(runs):
            t0 = time.perf_counter()
            out = run(n)
            times.append((time.perf_counter() - t0) * 1e3)
        if out != expected:
            sys.stderr.write("nbody_forms: %s printed %r, expected %r\n" % (name, out, expected))
            return 1
        print("%-16s %-9s N=%d  median %9.1f ms  min %9.1f ms  (%d runs, verified)"
              % (impl, name, n, statistics.median(times), min(times), runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
