"""The rust-pyo3 rung: the Rust crate in this folder, built by maturin into LADDER_BUILD_DIR/site."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
sys.path.insert(0, os.path.join(os.environ.get("LADDER_BUILD_DIR", "."), "site"))
import ladder_rung  # noqa: E402
import ladder_pyo3  # noqa: E402

# maturin's wheel is a package whose __init__.py re-exports the compiled ladder_pyo3.ladder_pyo3
if not ladder_pyo3.ladder_pyo3.__file__.endswith(".so"):
    raise SystemExit(f"ladder_pyo3 was imported from {ladder_pyo3.__file__}, not the compiled module")


def pipeline(n):
    """Rust parses the bytes object and aggregates; a bad event log is a one-line reason."""
    try:
        return ladder_pyo3.pipeline(ladder_rung.input_bytes())
    except ValueError as e:
        raise SystemExit(f"pipeline: {e}")


if __name__ == "__main__":
    ladder_rung.main({
        "nbody": ladder_pyo3.nbody,
        "spectral-norm": ladder_pyo3.spectral_norm,
        "fannkuch-redux": ladder_pyo3.fannkuch_redux,
        "mandelbrot": ladder_pyo3.mandelbrot,
        "binary-trees": ladder_pyo3.binary_trees,
        "pipeline": pipeline,
    })
