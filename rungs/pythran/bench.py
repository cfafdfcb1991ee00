"""The pythran rung: rungs/_shared/typed_kernels.py compiled ahead of time by pythran into
LADDER_BUILD_DIR as the module ladder_pythran (see exports.py for the build).

binary-trees is not here: pythran compiles numeric Python (scalars, tuples, lists, NumPy arrays)
and has no classes, so there is no node type to allocate.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "_protocol", "python"), os.path.join(HERE, "..", "_shared")]
import ladder_rung  # noqa: E402
import typed_rung  # noqa: E402

if __name__ == "__main__":
    ladder_rung.main(typed_rung.solvers(ladder_rung.compiled_module("ladder_pythran")))
