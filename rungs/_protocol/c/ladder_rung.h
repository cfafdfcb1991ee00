/* The rung protocol, C side: "PROGRAM PROBLEM N" prints the canonical output once, runs the work
 * LADDER_WARMUP + LADDER_REPEAT times and writes "ns <integer>" per counted iteration (and
 * "warmup_ns <integer>" per warm-up iteration, "threads <n>" once and, from rungs with SIMD
 * dispatch, "simd <level>" once: scalar, sse2, avx2 or avx512; from problems measured in bytes
 * per second, "bytes <n>" once) to LADDER_TIMING_FD.
 * No allocation is owned by the caller; errors come back as -1 with a sentence in err. */
#ifndef LADDER_RUNG_H
#define LADDER_RUNG_H

#include <stddef.h>

typedef struct {
    int warmup;    /* LADDER_WARMUP, default 0 */
    int repeat;    /* LADDER_REPEAT, default 1 */
    int timing_fd; /* LADDER_TIMING_FD, -1 when absent */
} ladder_rung_cfg;

/* One iteration of the work; returns 0 or a negative code. */
typedef int (*ladder_rung_fn)(void *ctx);

int ladder_rung_config(ladder_rung_cfg *cfg, char *err, size_t cap);
/* Runs warmup + repeat iterations, timing each with CLOCK_MONOTONIC. */
int ladder_rung_loop(const ladder_rung_cfg *cfg, ladder_rung_fn fn, void *ctx, char *err, size_t cap);
void ladder_rung_threads(const ladder_rung_cfg *cfg, int threads);
/* "bytes N": the input bytes one iteration reads, for problems measured in bytes per second. */
void ladder_rung_bytes(const ladder_rung_cfg *cfg, long long bytes);
/* "simd LEVEL": the dispatch level the work runs at (a word of [a-z0-9]). */
void ladder_rung_simd(const ladder_rung_cfg *cfg, const char *level);

#endif
