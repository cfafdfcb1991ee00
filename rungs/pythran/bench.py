"""The pythran rung: ladder_pythran.py compiled ahead of time by pythran into LADDER_BUILD_DIR.

binary-trees is not here: pythran compiles numeric Python (scalars, tuples, lists, NumPy arrays)
and has no classes, so there is no node type to allocate.
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
sys.path.insert(0, os.environ.get("LADDER_BUILD_DIR", "."))
import ladder_rung  # noqa: E402
import ladder_pythran as k  # noqa: E402

if not k.__file__.endswith(".so"):
    raise SystemExit(f"ladder_pythran was imported from {k.__file__}, not the compiled module")

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


def nbody(n):
    before, after = k.nbody_kernel(PLANETS, n, SOLAR_MASS, DAYS_PER_YEAR)
    return f"{before:.9f}\n{after:.9f}\n"


def spectral_norm(n):
    return f"{k.spectral_norm_kernel(n):.9f}\n"


def fannkuch_redux(n):
    checksum, max_flips = k.fannkuch_kernel(n)
    return f"{checksum}\nPfannkuchen({n}) = {max_flips}\n"


def mandelbrot(n):
    return b"P4\n%d %d\n" % (n, n) + k.mandelbrot_kernel(n).tobytes()


if __name__ == "__main__":
    ladder_rung.main({
        "nbody": nbody,
        "spectral-norm": spectral_norm,
        "fannkuch-redux": fannkuch_redux,
        "mandelbrot": mandelbrot,
    })
