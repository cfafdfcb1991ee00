/* The compute suite's runner: every selected rung on every selected problem at one size, one
 * row each (core/bench does the running, checking and verifying). With rounds > 1 each round
 * starts every selected rung of a problem once more (a fresh process, after its warm-up), in an
 * order shuffled per round from the seed, and the samples pool into the row in round order;
 * a rung that failed or was skipped in a round is not started again. With min_time_s > 0 the
 * rows whose processes took less than that in all get further rounds (shuffled among just those
 * rows) until they reach it or max_rounds, as hyperfine runs a quick command more often: a
 * process costs them little and each one is a measurement. A row that stops never resumes, so
 * round k of one row ran in the same round as round k of any row with more than k. Rows stay in
 * manifest order whatever order they ran in. */
#ifndef LADDER_COMPUTE_RUN_H
#define LADDER_COMPUTE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bench.h"
#include "core/manifest.h"

typedef struct {
    const char *const *problems; /* NULL-terminated ids; empty: all */
    const char *const *rungs;    /* NULL-terminated names; empty: all */
    int size_index;              /* SIZE_QUICK.. or -1 for an explicit n */
    long n;
    const char *size_label;
    bool progress;               /* a line per row on stderr, with the round and the time left */
    int rounds;                  /* at least 1 (0 is taken as 1) */
    double min_time_s;           /* 0: every row gets exactly rounds */
    int max_rounds;              /* the cap on a row's rounds with min_time_s (below rounds: rounds) */
    uint64_t seed;               /* of the per-round shuffles */
} compute_plan;

typedef struct {
    rung_state *states; /* one per reg->rungs */
    bench_row *rows;
    size_t nrows;
} compute_run;

bool compute_selected(const char *const *names, const char *name);
/* The state of a problem's reference rung among states (NULL when it has none). */
rung_state *compute_reference_state(const problem *p, rung_state *states, size_t n);
/* Fisher-Yates shuffle of order[0..n) from the splitmix64 stream in *state. */
void compute_shuffle(size_t *order, size_t n, uint64_t *state);
/* Whether the plan leaves r out: at the quick size a rung with quick_skip runs only when named
 * (plan->rungs). why gets the reason its rows show. */
bool compute_left_out(const compute_plan *plan, const rung *r, char *why, size_t cap);
/* How many rows the plan makes; 0 means nothing to run. */
size_t compute_count(const manifest_registry *reg, const compute_plan *plan);
/* Runs the plan. 0, or -1 with a one-line reason (a size outside a problem's range, out of
 * memory) and nothing run. Free with compute_run_free. */
int compute_run_plan(const manifest_registry *reg, const compute_plan *plan, const bench_opts *bo, compute_run *out,
                     char *err, size_t cap);
void compute_run_free(compute_run *run);

#endif
