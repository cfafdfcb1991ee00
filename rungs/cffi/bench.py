"""The cffi rung: ladder's C kernels called through cffi (API mode); Python formats the output."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_protocol", "python"))
sys.path.insert(0, os.environ.get("LADDER_BUILD_DIR", "."))
import ladder_rung  # noqa: E402
from _ladder_cffi import ffi, lib  # noqa: E402

THREADS = 1


def check(rc):
    if rc < 0:
        raise OSError(-rc, os.strerror(-rc))


def nbody(n):
    r = ffi.new("kern_nbody_result *")
    check(lib.kern_nbody(n, r))
    return f"{r.energy_before:.9f}\n{r.energy_after:.9f}\n"


def spectral_norm(n):
    out = ffi.new("double *")
    check(lib.kern_spectral_norm(n, THREADS, out))
    return f"{out[0]:.9f}\n"


def fannkuch_redux(n):
    r = ffi.new("kern_fannkuch_result *")
    check(lib.kern_fannkuch(n, THREADS, r))
    return f"{r.checksum}\nPfannkuchen({r.n}) = {r.max_flips}\n"


def mandelbrot(n):
    bits = ffi.new("uint8_t[]", lib.kern_mandelbrot_size(n))
    check(lib.kern_mandelbrot(n, THREADS, bits))
    return b"P4\n%d %d\n" % (n, n) + ffi.buffer(bits)[:]


def binary_trees(n):
    r = ffi.new("kern_bt_result *")
    check(lib.kern_binary_trees(n, THREADS, r))
    lines = [f"stretch tree of depth {r.max_depth + 1}\t check: {r.stretch_check}"]
    for i in range(r.ndepths):
        row = r.rows[i]
        lines.append(f"{row.iterations}\t trees of depth {row.depth}\t check: {row.check}")
    lines.append(f"long lived tree of depth {r.max_depth}\t check: {r.long_lived_check}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    ladder_rung.main(ladder_rung.solvers(globals()))
