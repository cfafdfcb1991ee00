"""The rust-pyo3 rung: the Rust crate in this folder, built by maturin into LADDER_BUILD_DIR/site."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402


def pipeline(kernels):
    """Rust parses the bytes object and aggregates; a bad event log is a one-line reason."""
    def solve(n):
        try:
            return kernels.pipeline(ladder_rung.input_bytes())
        except ValueError as e:
            raise SystemExit(f"pipeline: {e}")
    return solve


if __name__ == "__main__":
    kernels = ladder_rung.compiled_module("ladder_pyo3", "site")
    ladder_rung.main(ladder_rung.solvers(kernels, pipeline=pipeline(kernels)))
