"""Builds a CPython extension module from C sources, optionally linked with ladder's C kernels.

    python build_ext.py --name MODULE --out DIR [--cc "gcc"] [--kernels] [--cflags "..."] SOURCE...

Run it with the interpreter that will import the module: the include folder and the file suffix
(EXT_SUFFIX, e.g. .cpython-311-x86_64-linux-gnu.so) come from that interpreter's sysconfig.

Only the include folder is taken from sysconfig, not CFLAGS/LDSHARED: those carry the flags the
interpreter itself was built with, and another compiler may reject them. `zig cc` refuses Debian's
LDSHARED flag -Wl,-Bsymbolic-functions ("unsupported linker arg") and gcc's -flto=auto ("invalid
-flto mode"); they are not what a rung should be measured with anyway. Every rung that uses this
gets the same explicit flags, whichever compiler --cc names.

FMA: no -march=native for the module's own C (without FMA in the target, no contraction can
happen), and -ffp-contract=off everywhere; the kernels are built as rungs/c/build.sh builds them
(-march=native -ffp-contract=off, and mandelbrot.c keeps each product opaque to the compiler).
"""
import argparse
import os
import shlex
import subprocess
import sys
import sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
KERNELS = os.path.join(ROOT, "src", "kernels")
KERNEL_FLAGS = ["-std=c17", "-O3", "-march=native", "-ffp-contract=off", "-fno-fast-math",
                "-pthread", "-D_GNU_SOURCE", "-fPIC", "-I" + os.path.join(ROOT, "src"), "-I" + KERNELS]
MODULE_FLAGS = ["-O3", "-ffp-contract=off", "-fno-fast-math", "-fPIC", "-D_GNU_SOURCE",
                "-fno-strict-aliasing", "-Wno-unused-function"]


def apr_flags():
    """binary-trees allocates its nodes from APR pools, as the Benchmarks Game's C programs do; without
    libapr-1 the kernels fall back to malloc (and say so in their allocator's name)."""
    try:
        cflags = subprocess.run(["pkg-config", "--cflags", "apr-1"], check=True, capture_output=True, text=True)
        libs = subprocess.run(["pkg-config", "--libs", "apr-1"], check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return [], []
    return ["-DLADDER_HAVE_APR"] + shlex.split(cflags.stdout), shlex.split(libs.stdout)


def run(cmd):
    print("+ " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cc", default=os.environ.get("CC", "gcc"))
    ap.add_argument("--kernels", action="store_true", help="compile and link src/kernels/*.c")
    ap.add_argument("--cflags", default="", help="extra flags for the module's own sources")
    ap.add_argument("sources", nargs="+")
    args = ap.parse_args()

    cc = shlex.split(args.cc)
    os.makedirs(args.out, exist_ok=True)
    objdir = os.path.join(args.out, "obj-" + args.name)
    os.makedirs(objdir, exist_ok=True)
    include = ["-I" + sysconfig.get_paths()["include"], "-I" + KERNELS, "-I" + os.path.join(ROOT, "src")]
    objects = []
    apr_c, apr_libs = apr_flags() if args.kernels else ([], [])
    if args.kernels:
        for src in sorted(os.listdir(KERNELS)):
            if src.endswith(".c"):
                obj = os.path.join(objdir, "kern_" + src[:-2] + ".o")
                run(cc + KERNEL_FLAGS + apr_c + ["-c", os.path.join(KERNELS, src), "-o", obj])
                objects.append(obj)
    for src in args.sources:
        obj = os.path.join(objdir, os.path.basename(src).rsplit(".", 1)[0] + ".o")
        run(cc + MODULE_FLAGS + include + shlex.split(args.cflags) + ["-c", src, "-o", obj])
        objects.append(obj)
    target = os.path.join(args.out, args.name + sysconfig.get_config_var("EXT_SUFFIX"))
    tmp = target + ".tmp"
    # -shared without libpython: an extension module's Python symbols come from the interpreter.
    run(cc + ["-shared", "-pthread"] + objects + ["-o", tmp] + apr_libs + ["-lm"])
    os.replace(tmp, target)
    print(f"built {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
