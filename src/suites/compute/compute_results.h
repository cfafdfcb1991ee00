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
    double min_time_s; /* the further rounds of quick rows (compute_plan) */
    int max_rounds;
    uint64_t seed;   /* of the rounds' shuffles */
    const noise_report *noise; /* the machine checks, written as "noise"; NULL: none */
    bool rebuild;    /* --rebuild: every build ran from cold */
    const char *python; /* the baseline interpreter (LADDER_PYTHON); NULL: not recorded */
} compute_settings;

/* A speedup ref time / row time with its interval. With two rounds or more in both rows the
 * rounds both ran pair up (both rows ran once in each, in the same window of time): the per-round log ratios give a
 * Student-t interval whose variance is moderated toward prior, the one all pairs of the document
 * share (compute_speedup_prior; docs/METHODOLOGY.md). With one round the samples are the units
 * (stats_ratio_ci). -1 when a sample is <= 0 or out of memory. */
int compute_speedup(const bench_row *ref, const bench_row *row, const stats_prior *prior, stats_interval *out);
/* The prior of every (row, CPython) and (row, C) pair's per-round log-ratio variance in rows;
 * out->rows 0 when fewer than three pairs have rounds. -1 when out of memory. */
int compute_speedup_prior(const bench_row *rows, size_t nrows, stats_prior *out);

void compute_results_write(json_writer *w, const results_meta *meta, const compute_settings *set,
                           const bench_row *rows, size_t nrows, const rung_state *states, size_t nstates);
/* The state among states that belongs to r (NULL if none). */
const rung_state *compute_state_of(const rung_state *states, size_t n, const rung *r);

#endif
