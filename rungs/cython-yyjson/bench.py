"""The cython-yyjson rung: rungs/cython-yyjson/ladder_yyjson.pyx and yyjson's C sources compiled by
Cython and gcc into LADDER_BUILD_DIR; the pipeline from the bytes, parsed by yyjson."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
import ladder_rung  # noqa: E402

if __name__ == "__main__":
    kernels = ladder_rung.compiled_module("ladder_yyjson")
    ladder_rung.main({"pipeline": ladder_rung.on_input(kernels.pipeline)})
