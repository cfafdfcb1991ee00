/* spectral-norm in C with each row's sum kept in order, one double division per element: what a
 * compiler may generate when it must not reassociate the sum (Taichi with fast_math off, for one).
 * ladder's own kernel (src/kernels/spectral_norm.c) splits each row into vector partial sums.
 *
 *   cc -std=c17 -O3 -march=native -Wall -Wextra -o /tmp/spectral_inorder docs/explain/spectral_inorder.c -lm
 *   /tmp/spectral_inorder 2000
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double eval_a(long i, long j) { return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1); }

static void mul(const double *x, double *y, int n, int transpose) {
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) s += (transpose ? eval_a(j, i) : eval_a(i, j)) * x[j];
        y[i] = s;
    }
}

int main(int argc, char **argv) {
    char *end = NULL;
    long n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
    if (argc != 2 || *end != '\0' || n < 1 || n > 100000) {
        fprintf(stderr, "usage: spectral_inorder N (1..100000)\n");
        return 2;
    }
    double *u = malloc((size_t)n * sizeof *u), *v = malloc((size_t)n * sizeof *v),
           *t = malloc((size_t)n * sizeof *t);
    if (!u || !v || !t) {
        fprintf(stderr, "spectral_inorder: out of memory\n");
        return 1;
    }
    double best = 1e30, norm = 0;
    for (int round = 0; round < 3; round++) {
        for (long i = 0; i < n; i++) u[i] = 1.0;
        double t0 = now_s();
        for (int k = 0; k < 10; k++) {
            mul(u, t, (int)n, 0);
            mul(t, v, (int)n, 1);
            mul(v, t, (int)n, 0);
            mul(t, u, (int)n, 1);
        }
        t0 = now_s() - t0;
        if (t0 < best) best = t0;
        double vbv = 0, vv = 0;
        for (long i = 0; i < n; i++) {
            vbv += u[i] * v[i];
            vv += v[i] * v[i];
        }
        norm = sqrt(vbv / vv);
    }
    printf("%.9f\n", norm);
    fprintf(stderr, "N=%ld: best of 3 %.1f ms, %.2f ns per matrix element\n", n, best * 1e3,
            best * 1e9 / (40.0 * (double)n * (double)n));
    free(u);
    free(v);
    free(t);
    return 0;
}
