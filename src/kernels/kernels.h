/* ladder's C kernels: the five Benchmarks Game problems, the ceiling every other rung is measured
 * against. Each kernel computes its result into caller-owned memory; formatting to the canonical
 * Benchmarks Game output is separate so that timing loops measure the work only.
 *
 * threads: 1 = single-threaded; 0 = one thread per online CPU; n > 1 = exactly n threads.
 * Every function returns 0 on success or a negative errno-style code (e.g. -ENOMEM, -EINVAL)
 * and never exits the process.
 */
#ifndef LADDER_KERNELS_H
#define LADDER_KERNELS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* SIMD dispatch levels, lowest first. Each kernel has a path for some of them and runs the
 * highest one at or below the cap: by default the best this CPU (and OS) supports, lower with
 * kern_simd_cap() (the rungs read LADDER_SIMD=scalar|sse2|avx2|avx512), so that one machine can
 * measure every path a user's CPU might take. avx2 means AVX2 and FMA; avx512 means AVX-512F+VL.
 * scalar is the portable C code (on x86-64 built for the baseline ISA, whose FP unit is SSE2). */
typedef enum {
    KERN_SIMD_SCALAR,
    KERN_SIMD_SSE2,
    KERN_SIMD_AVX2,
    KERN_SIMD_AVX512,
    KERN_SIMD_LEVELS
} kern_simd;

const char *kern_simd_name(kern_simd level);
/* "scalar", "sse2", "avx2" or "avx512" to a level: 0, or -EINVAL for any other name. */
int kern_simd_parse(const char *name, kern_simd *out);
/* The highest level this CPU and this build support. */
kern_simd kern_simd_cpu(void);
/* Caps every kernel at level: 0, -EINVAL for no such level, -ENOTSUP above kern_simd_cpu(). */
int kern_simd_cap(kern_simd level);
kern_simd kern_simd_current_cap(void);

/* The level each kernel's next call runs at under the current cap. */
kern_simd kern_nbody_simd(void);
kern_simd kern_spectral_norm_simd(void);
kern_simd kern_fannkuch_simd(void);
kern_simd kern_mandelbrot_simd(void);
kern_simd kern_binary_trees_simd(void); /* always scalar: no SIMD in binary-trees */

/* Resolves a threads argument (0 = online CPUs) to the count a kernel will really use. */
int kern_threads_resolve(int threads);

/* n-body: 5 Jovian bodies, n steps of dt = 0.01; energy before and after. */
typedef struct {
    double energy_before;
    double energy_after;
} kern_nbody_result;
int kern_nbody(long n, kern_nbody_result *out);
int kern_nbody_format(const kern_nbody_result *r, FILE *f);

/* spectral-norm: 10 power-method iterations of A^T A; sqrt(vBv/vv). */
int kern_spectral_norm(int n, int threads, double *out);
int kern_spectral_norm_format(double norm, FILE *f);

/* fannkuch-redux: checksum and max flips over all permutations of n (3 <= n <= 12 or so). */
typedef struct {
    int n;
    int64_t checksum;
    int max_flips;
} kern_fannkuch_result;
int kern_fannkuch(int n, int threads, kern_fannkuch_result *out);
int kern_fannkuch_format(const kern_fannkuch_result *r, FILE *f);

/* mandelbrot: n x n bitmap, 50 iterations, escape at |z| > 2; rows packed MSB-first, each row
 * (n + 7) / 8 bytes. bits must hold kern_mandelbrot_size(n) bytes (caller allocates). */
size_t kern_mandelbrot_size(int n);
int kern_mandelbrot(int n, int threads, uint8_t *bits);
int kern_mandelbrot_format(int n, const uint8_t *bits, FILE *f); /* "P4\nN N\n" + bits */

/* binary-trees: every node allocated; checks per depth. */
#define KERN_BT_MAX_DEPTHS 64
typedef struct {
    int n;
    int max_depth;
    int64_t stretch_check;
    int ndepths;
    struct {
        int depth;
        int64_t iterations;
        int64_t check;
    } rows[KERN_BT_MAX_DEPTHS];
    int64_t long_lived_check;
} kern_bt_result;
/* How the nodes are allocated. The Benchmarks Game's rules accept only a library allocator:
 * KERN_BT_APR, every node from apr_palloc with a pool cleared after each tree (as its fastest C
 * programs do; only in builds with LADDER_HAVE_APR and libapr-1), or KERN_BT_MALLOC, every node
 * malloc'd and freed. KERN_BT_ARENA builds each tree in a buffer of its own: outside the rules. */
typedef enum { KERN_BT_APR, KERN_BT_MALLOC, KERN_BT_ARENA } kern_bt_alloc;
const char *kern_bt_alloc_name(kern_bt_alloc a); /* "apr", "malloc", "arena" */
int kern_bt_alloc_parse(const char *name, kern_bt_alloc *out); /* 0 or -EINVAL */
/* APR where the build has it, else malloc: the fastest allocator within the rules. */
kern_bt_alloc kern_binary_trees_default_alloc(void);
/* -ENOTSUP for KERN_BT_APR in a build without it. */
int kern_binary_trees_with(int n, int threads, kern_bt_alloc alloc, kern_bt_result *out);
/* kern_binary_trees_with(n, threads, kern_binary_trees_default_alloc(), out). */
int kern_binary_trees(int n, int threads, kern_bt_result *out);
int kern_binary_trees_format(const kern_bt_result *r, FILE *f);

#endif
