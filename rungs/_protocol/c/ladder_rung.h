/* The rung protocol, C side: "PROGRAM PROBLEM N" prints the canonical output once, runs the work
 * LADDER_WARMUP + LADDER_REPEAT times and writes "ns <integer>" per counted iteration (and
 * "warmup_ns <integer>" per warm-up iteration, "threads <n>" once and, from rungs with SIMD
 * dispatch, "simd <level>" once: scalar, sse2, avx2 or avx512; from problems measured in bytes
 * per second, "bytes <n>" once; from work made of named parts, "part <name> <bytes> <ns>" per part
 * of each iteration, before the iteration's own line) to LADDER_TIMING_FD.
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

/* The parts of one iteration, recorded by the work (ladder_rung_part) and written by
 * ladder_rung_loop_parts after the iteration's clock stops: names are borrowed, not copied. */
#define LADDER_RUNG_MAX_PARTS 64
typedef struct {
    struct {
        const char *name; /* of [A-Za-z0-9._-], under 48 bytes; not NUL-terminated */
        size_t name_len;
        long long bytes;  /* the input bytes the part reads; 0: not measured in bytes */
        long long ns;
    } part[LADDER_RUNG_MAX_PARTS];
    int n; /* parts recorded this iteration; above LADDER_RUNG_MAX_PARTS when some were dropped */
} ladder_rung_parts;

int ladder_rung_config(ladder_rung_cfg *cfg, char *err, size_t cap);
/* Runs warmup + repeat iterations, timing each with CLOCK_MONOTONIC. */
int ladder_rung_loop(const ladder_rung_cfg *cfg, ladder_rung_fn fn, void *ctx, char *err, size_t cap);
/* ladder_rung_loop for work that times named parts of each iteration: parts is emptied before
 * each iteration, and what the work recorded in it is written ("part NAME BYTES NS") after the
 * iteration, before its "ns" or "warmup_ns" line. More than LADDER_RUNG_MAX_PARTS is an error. */
int ladder_rung_loop_parts(const ladder_rung_cfg *cfg, ladder_rung_fn fn, void *ctx, ladder_rung_parts *parts,
                           char *err, size_t cap);
/* Records a part of the current iteration that took ns nanoseconds (ladder_rung_now_ns around it). */
void ladder_rung_part(ladder_rung_parts *parts, const char *name, size_t name_len, long long bytes, long long ns);
/* CLOCK_MONOTONIC in nanoseconds: the clock the loop times iterations with. */
long long ladder_rung_now_ns(void);
void ladder_rung_threads(const ladder_rung_cfg *cfg, int threads);
/* "bytes N": the input bytes one iteration reads, for problems measured in bytes per second. */
void ladder_rung_bytes(const ladder_rung_cfg *cfg, long long bytes);
/* "simd LEVEL": the dispatch level the work runs at (a word of [a-z0-9]). */
void ladder_rung_simd(const ladder_rung_cfg *cfg, const char *level);

#endif
