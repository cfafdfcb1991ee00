/* One thread's streaming read bandwidth over a buffer of SIZE MiB: the floor under any
 * matrix-vector product whose matrix does not fit in cache (docs/EXPERIMENTS.md, JAX).
 *
 *   cc -std=c17 -O2 -Wall -Wextra -o /tmp/read_bandwidth docs/explain/read_bandwidth.c
 *   /tmp/read_bandwidth 32      # spectral-norm's 2000 x 2000 doubles are 30.5 MiB
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    char *end = NULL;
    long mib = argc == 2 ? strtol(argv[1], &end, 10) : 0;
    if (argc != 2 || *end != '\0' || mib < 1 || mib > 65536) {
        fprintf(stderr, "usage: read_bandwidth SIZE_MIB (1..65536)\n");
        return 2;
    }
    size_t n = (size_t)mib * 1024 * 1024 / sizeof(double);
    double *a = malloc(n * sizeof(double));
    if (!a) {
        fprintf(stderr, "read_bandwidth: cannot allocate %ld MiB\n", mib);
        return 1;
    }
    for (size_t i = 0; i < n; i++) a[i] = (double)(i & 1023);
    double best = 1e30, sink = 0;
    for (int round = 0; round < 20; round++) {
        double t = now_s(), s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (size_t i = 0; i + 3 < n; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        t = now_s() - t;
        sink += s0 + s1 + s2 + s3;
        if (t < best) best = t;
    }
    printf("%ld MiB: best of 20 passes %.2f ms, %.1f GB/s (checksum %g)\n", mib, best * 1e3,
           (double)(n * sizeof(double)) / best / 1e9, sink);
    free(a);
    return 0;
}
