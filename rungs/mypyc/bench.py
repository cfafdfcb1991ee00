"""The mypyc rung: rungs/mypyc/ladder_mypyc.py compiled by mypyc into LADDER_BUILD_DIR."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
sys.path.insert(0, os.environ.get("LADDER_BUILD_DIR", "."))
import ladder_rung  # noqa: E402
import ladder_mypyc  # noqa: E402

if not ladder_mypyc.__file__.endswith(".so"):
    raise SystemExit(f"ladder_mypyc was imported from {ladder_mypyc.__file__}, not the compiled module")

if __name__ == "__main__":
    ladder_rung.main({
        "nbody": ladder_mypyc.nbody,
        "spectral-norm": ladder_mypyc.spectral_norm,
        "fannkuch-redux": ladder_mypyc.fannkuch_redux,
        "mandelbrot": ladder_mypyc.mandelbrot,
        "binary-trees": ladder_mypyc.binary_trees,
        "pipeline": lambda n: ladder_mypyc.pipeline(ladder_rung.input_bytes()),
    })
