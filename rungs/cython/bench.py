"""The cython rung: rungs/cython/ladder_cython.pyx compiled by Cython and gcc into LADDER_BUILD_DIR."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402

if __name__ == "__main__":
    kernels = ladder_rung.compiled_module("ladder_cython")
    ladder_rung.main(ladder_rung.solvers(kernels, pipeline=ladder_rung.on_input(kernels.pipeline),
                                        pipeline_dicts=ladder_rung.from_dicts(kernels.summarize)))
