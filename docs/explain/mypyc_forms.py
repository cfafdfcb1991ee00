"""What mypyc makes of n-body when the bodies stay lists of floats, next to ladder's mypyc rung.

  build/venv/bin/python docs/explain/mypyc_forms.py [N] [RUNS]

Times, each in its own process and each output checked against problems/nbody/ref/N.txt:
  typed-lists, interpreted   rungs/mypyc-lists/nbody_typed_lists.py run by CPython
  typed-lists, mypyc         the same file compiled by mypyc (the experiments' form)
  native class, mypyc        ladder's mypyc rung as `ladder run` built it (build/rungs/mypyc)
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
LISTS = os.path.join(ROOT, "rungs", "mypyc-lists")  # the typed-lists source is the mypyc-lists rung's

TIMER = r"""
import importlib, statistics, sys, time
sys.path.insert(0, sys.argv[1])
mod = importlib.import_module(sys.argv[2])
fn = getattr(mod, sys.argv[3])
n, runs = int(sys.argv[4]), int(sys.argv[5])
expected = open(sys.argv[6]).read()
fn(1000)
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    out = fn(n)
    times.append((time.perf_counter() - t0) * 1e3)
if out != expected:
    sys.exit("output %r, expected %r" % (out, expected))
print("%.1f %.1f %s" % (statistics.median(times), min(times), mod.__file__))
"""


def build_typed_lists(tmp):
    from mypyc.build import mypycify
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        shutil.copy(os.path.join(LISTS, "nbody_typed_lists.py"), "nbody_typed_lists.py")
        os.environ.setdefault("MYPY_CACHE_DIR", os.path.join(tmp, ".mypy_cache"))
        (ext,) = mypycify(["nbody_typed_lists.py"], opt_level="3")
        os.remove("nbody_typed_lists.py")
        flags = ["-I" + d for d in ext.include_dirs]
        flags += [f for f in ext.extra_compile_args if f not in ("-Werror", "-g1")]
        r = subprocess.run([sys.executable, os.path.join(ROOT, "rungs", "_protocol", "python", "build_ext.py"),
                        "--cc", os.environ.get("CC", "gcc"), "--name", ext.name, "--out", tmp,
                        "--cflags", " ".join(flags)] + ext.sources, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit("mypyc_forms: compiling nbody_typed_lists.py failed:\n" + r.stderr)
    finally:
        os.chdir(cwd)


def main(argv):
    n = int(argv[1]) if len(argv) > 1 else 500000
    runs = int(argv[2]) if len(argv) > 2 else 5
    ref = os.path.join(ROOT, "problems", "nbody", "ref", "%d.txt" % n)
    if not os.path.exists(ref):
        sys.stderr.write("mypyc_forms: no reference output for N=%d\n" % n)
        return 2
    rung_dir = os.path.join(ROOT, "build", "rungs", "mypyc")
    with tempfile.TemporaryDirectory(prefix="ladder-mypyc-forms-") as tmp:
        build_typed_lists(tmp)
        cases = [("typed-lists, interpreted", LISTS, "nbody_typed_lists", "run"),
                 ("typed-lists, mypyc", tmp, "nbody_typed_lists", "run"),
                 ("native class, mypyc", rung_dir, "ladder_mypyc", "nbody")]
        for label, path, module, fn in cases:
            built = os.path.isdir(path) and any(f.startswith("ladder_mypyc.") and f.endswith(".so")
                                                for f in os.listdir(path))
            if module == "ladder_mypyc" and not built:
                print("%-26s skipped: build/rungs/mypyc has no compiled module (run `ladder run -r mypyc` first)" % label)
                continue
            r = subprocess.run([sys.executable, "-c", TIMER, path, module, fn, str(n), str(runs), ref],
                               capture_output=True, text=True)
            if r.returncode != 0:
                sys.stderr.write("mypyc_forms: %s failed: %s\n" % (label, r.stderr.strip()))
                return 1
            median, best, where = r.stdout.split(maxsplit=2)
            kind = "compiled" if where.strip().endswith(".so") else "source"
            print("%-26s N=%d  median %9s ms  min %9s ms  (%d runs, verified, %s)" % (label, n, median, best, runs, kind))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
