"""The c-capi rung: ladder's C kernels called through a hand-written CPython extension module."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402

if __name__ == "__main__":
    ladder_rung.main(ladder_rung.solvers(ladder_rung.compiled_module("ladder_capi")))
