"""Generates the cffi API-mode module _ladder_cffi (C source) for ladder's C kernels.

    python build_cffi.py OUT_DIR    writes OUT_DIR/_ladder_cffi.c; build_ext.py compiles it

API mode (set_source + a C compiler) rather than ABI mode (dlopen): the struct layouts are checked
by the compiler against src/kernels/kernels.h, and calls are plain C calls, not libffi's.
"""
import os
import sys

from cffi import FFI

ffi = FFI()
ffi.cdef("""
typedef struct { double energy_before; double energy_after; } kern_nbody_result;
int kern_nbody(long n, kern_nbody_result *out);

int kern_spectral_norm(int n, int threads, double *out);

typedef struct { int n; int64_t checksum; int max_flips; } kern_fannkuch_result;
int kern_fannkuch(int n, int threads, kern_fannkuch_result *out);

size_t kern_mandelbrot_size(int n);
int kern_mandelbrot(int n, int threads, uint8_t *bits);

typedef struct { int depth; int64_t iterations; int64_t check; } kern_bt_row;
typedef struct {
    int n;
    int max_depth;
    int64_t stretch_check;
    int ndepths;
    kern_bt_row rows[64];
    int64_t long_lived_check;
} kern_bt_result;
int kern_binary_trees(int n, int threads, kern_bt_result *out);
""")
# kernels.h declares the rows of kern_bt_result as an anonymous struct; cffi needs a named type,
# so the generated C names one with the same layout and checks it with a static assertion.
ffi.set_source("_ladder_cffi", r"""
#include <assert.h>
#include <stddef.h>
#include "kernels.h"
typedef struct { int depth; int64_t iterations; int64_t check; } kern_bt_row;
static_assert(sizeof(((kern_bt_result *)0)->rows[0]) == sizeof(kern_bt_row), "kern_bt_result rows");
static_assert(KERN_BT_MAX_DEPTHS == 64, "KERN_BT_MAX_DEPTHS");
""")

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    ffi.emit_c_code(os.path.join(out, "_ladder_cffi.c"))
