"""The numba rung: rungs/_shared/typed_kernels.py (loops over NumPy arrays) compiled by @njit.

Every function of that file is wrapped in njit(cache=True) here, at import, before the harness's
first iteration; the wrappers replace the plain functions in the module, so a kernel's calls to
its helpers are calls between compiled functions. cache=True keeps the machine code in
NUMBA_CACHE_DIR (the manifest puts it under the rung's build folder), so the first call of a fresh
process loads it instead of compiling when it can; the harness's warm-up iterations absorb the
rest and report the first call on its own.

FMA: fastmath stays off (numba's default), so LLVM gets no 'contract' flag and keeps mandelbrot's
multiply-then-add as two instructions, as the reference image needs.
"""
import inspect
import os
import sys

from numba import njit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "_protocol", "python"), os.path.join(HERE, "..", "_shared")]
import ladder_rung  # noqa: E402
import typed_kernels  # noqa: E402
import typed_rung  # noqa: E402

for _name, _fn in list(vars(typed_kernels).items()):
    if inspect.isfunction(_fn) and _fn.__module__ == typed_kernels.__name__:
        setattr(typed_kernels, _name, njit(cache=True)(_fn))

if __name__ == "__main__":
    ladder_rung.main(typed_rung.solvers(typed_kernels))
