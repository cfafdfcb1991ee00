"""The c-capi rung: ladder's C kernels called through a hand-written CPython extension module."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
sys.path.insert(0, os.environ.get("LADDER_BUILD_DIR", "."))
import ladder_rung  # noqa: E402
import ladder_capi  # noqa: E402

if __name__ == "__main__":
    ladder_rung.main({
        "nbody": ladder_capi.nbody,
        "spectral-norm": ladder_capi.spectral_norm,
        "fannkuch-redux": ladder_capi.fannkuch,
        "mandelbrot": ladder_capi.mandelbrot,
        "binary-trees": ladder_capi.binary_trees,
    })
