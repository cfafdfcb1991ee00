"""The protocol's solvers over rungs/_shared/typed_kernels.py as a rung compiled it (numba's jitted
functions, pythran's extension module): each runs one kernel and formats its result."""
import inspect

import numpy as np

import ladder_rung
import typed_kernels

PLANETS = np.array(ladder_rung.PLANETS)


def solvers(k):
    """k: the compiled kernels, a module with typed_kernels' functions."""
    def nbody(n):
        before, after = k.nbody_kernel(PLANETS, n, ladder_rung.SOLAR_MASS, ladder_rung.DAYS_PER_YEAR)
        return f"{before:.9f}\n{after:.9f}\n"

    def spectral_norm(n):
        return f"{k.spectral_norm_kernel(n):.9f}\n"

    def fannkuch_redux(n):
        checksum, max_flips = k.fannkuch_kernel(n)
        return f"{checksum}\nPfannkuchen({n}) = {max_flips}\n"

    def mandelbrot(n):
        return b"P4\n%d %d\n" % (n, n) + k.mandelbrot_kernel(n).tobytes()

    return ladder_rung.solvers(locals())


def compile_kernels(decorator, names=None):
    """typed_kernels with each of its functions (or those named) replaced by decorator(function) in
    the module itself, so that a kernel's calls to its helpers reach the compiled helpers (numba
    and taichi look a function's global names up in its module when they compile it)."""
    for name, fn in list(vars(typed_kernels).items()):
        if inspect.isfunction(fn) and fn.__module__ == typed_kernels.__name__ and (names is None or name in names):
            setattr(typed_kernels, name, decorator(fn))
    return typed_kernels
