/* The compute suite's results document: the settings (size, warm-up, repeat, timeout) and one
 * row per (problem, rung) with every raw sample, the kernel-time summary, the process figures
 * from wait4 and the build. docs/ARCHITECTURE.md describes the row. */
#ifndef LADDER_COMPUTE_RESULTS_H
#define LADDER_COMPUTE_RESULTS_H

#include <stdint.h>

#include "core/bench.h"
#include "core/noise.h"
#include "core/stats.h"
#include "core/results.h"
#include "json/json.h"

typedef struct {
    const char *size; /* the size label asked for */
    int warmup, repeat;
    double timeout_s;
    int rounds;      /* 0 is written as 1 */
    uint64_t seed;   /* of the rounds' shuffles */
    const noise_report *noise; /* the machine checks, written as "noise"; NULL: none */
    bool rebuild;    /* --rebuild: every build ran from cold */
    const char *python; /* the baseline interpreter (LADDER_PYTHON); NULL: not recorded */
} compute_settings;

/* The interval of a speedup, ref time / row time, from the two rows' samples (stats_ratio_ci at
 * STATS_CONFIDENCE); level 0 when either has no samples. */
int compute_speedup(const double *ref, size_t nref, const double *row, size_t nrow, stats_interval *out);

void compute_results_write(json_writer *w, const results_meta *meta, const compute_settings *set,
                           const bench_row *rows, size_t nrows, const rung_state *states, size_t nstates);
/* The state among states that belongs to r (NULL if none). */
const rung_state *compute_state_of(const rung_state *states, size_t n, const rung *r);

#endif
