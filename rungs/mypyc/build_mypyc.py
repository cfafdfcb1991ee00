"""Compiles ladder_mypyc.py (or SOURCE.py) with mypyc into OUT_DIR:
    python build_mypyc.py OUT_DIR [SOURCE.py]

mypyc's own command (`mypyc FILE`) drives setuptools, and mypy 2.x needs a newer setuptools than
pythran allows on Python 3.11 (<60), so the rung asks mypyc only for the C (mypycify, with --strict
type checking) and compiles it with ladder's build_ext.py, the same flags as every other C rung.
"""
import os
import shutil
import subprocess
import sys

from mypyc.build import mypycify

HERE = os.path.dirname(os.path.abspath(__file__))

out = os.path.abspath(sys.argv[1])
source = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(HERE, "ladder_mypyc.py")
name = os.path.basename(source)
os.makedirs(out, exist_ok=True)
os.chdir(out)
shutil.copy(source, name)
os.environ.setdefault("MYPY_CACHE_DIR", os.path.join(out, ".mypy_cache"))
(ext,) = mypycify(["--strict", name], opt_level="3")
os.remove(name)  # the compiled module must be what bench.py imports
flags = ["-I" + d for d in ext.include_dirs]
flags += [f for f in ext.extra_compile_args if f not in ("-Werror", "-g1")]
subprocess.run([sys.executable, os.path.join(HERE, "..", "_protocol", "python", "build_ext.py"),
                "--cc", os.environ.get("CC", "gcc"), "--name", ext.name, "--out", out,
                "--cflags", " ".join(flags)] + ext.sources, check=True)
