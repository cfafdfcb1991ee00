"""The cython rung: rungs/cython/ladder_cython.pyx compiled by Cython and gcc into LADDER_BUILD_DIR."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
sys.path.insert(0, os.environ.get("LADDER_BUILD_DIR", "."))
import ladder_rung  # noqa: E402
import ladder_cython  # noqa: E402

if not ladder_cython.__file__.endswith(".so"):
    raise SystemExit(f"ladder_cython was imported from {ladder_cython.__file__}, not the compiled module")

if __name__ == "__main__":
    ladder_rung.main({
        "nbody": ladder_cython.nbody,
        "spectral-norm": ladder_cython.spectral_norm,
        "fannkuch-redux": ladder_cython.fannkuch_redux,
        "mandelbrot": ladder_cython.mandelbrot,
        "binary-trees": ladder_cython.binary_trees,
        "pipeline": lambda n: ladder_cython.pipeline(ladder_rung.input_bytes()),
    })
