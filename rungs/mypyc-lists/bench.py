"""The mypyc-lists rung: nbody_typed_lists.py (the experiments' form: bodies as typed lists of boxed
floats) compiled by mypyc into LADDER_BUILD_DIR."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402

if __name__ == "__main__":
    ladder_rung.main(ladder_rung.solvers(ladder_rung.compiled_module("nbody_typed_lists")))
