/* The compute suite's results document: the settings (size, warm-up, repeat, timeout) and one
 * row per (problem, rung) with every raw sample, the kernel-time summary, the process figures
 * from wait4 and the build. docs/ARCHITECTURE.md describes the row. */
#ifndef LADDER_COMPUTE_RESULTS_H
#define LADDER_COMPUTE_RESULTS_H

#include "core/bench.h"
#include "core/results.h"
#include "json/json.h"

typedef struct {
    const char *size; /* the size label asked for */
    int warmup, repeat;
    double timeout_s;
} compute_settings;

void compute_results_write(json_writer *w, const results_meta *meta, const compute_settings *set,
                           const bench_row *rows, size_t nrows, const rung_state *states, size_t nstates);
/* The state among states that belongs to r (NULL if none). */
const rung_state *compute_state_of(const rung_state *states, size_t n, const rung *r);

#endif
