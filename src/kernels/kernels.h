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
int kern_binary_trees(int n, int threads, kern_bt_result *out);
int kern_binary_trees_format(const kern_bt_result *r, FILE *f);

#endif
