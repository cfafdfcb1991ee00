/* The report's view of a results document: rows grouped per (problem, size), baselines found.
 * Internal to src/suites/compute. Pointers borrow from the json_doc, which must outlive the model. */
#ifndef LADDER_REPORT_MODEL_H
#define LADDER_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/stats.h"
#include "json/json.h"

#define MODEL_BASELINE "cpython"
#define MODEL_CEILING "c"

/* A named part of the row's iterations (the document's "parts"): its median time and interval,
 * read as the row's own are. */
typedef struct {
    const char *name;
    double bytes;          /* input bytes the part reads (0: none reported) */
    double median;
    bool noisy;
    stats_interval time_ci;
} model_part;

typedef struct {
    const char *problem, *problem_title, *rung, *rung_title, *costs, *status, *failure, *reason, *size;
    const char *simd; /* the SIMD level the rung reported, "" if none */
    const char *version; /* the rung's version line, "" if none */
    long n;
    bool ok, verified, jit, has_time, noisy;
    int threads;
    double median, mad, min, max, rel_spread, first_ns;
    double wall_ns, cpu_ns;
    long rss_kb;
    double work_bytes;             /* input bytes per iteration the rung reported (0: none) */
    bool built, build_cached;      /* the rung has a build step; its product came from the cache */
    double build_ns;               /* the wall time of the build that made the product (0: unknown) */
    double product_bytes;          /* the build product's size (-1: not named or not found) */
    size_t nsamples, outliers;
    stats_interval time_ci;            /* the median's interval */
    stats_interval vs_baseline, vs_ceiling; /* speedups with intervals (est 0: not comparable) */
    bool rounds_disagree;
    size_t nrounds;
    double round_spread, round_within;
    double *samples;                   /* owned: samples_ns, for comparisons */
    model_part *parts;                 /* owned */
    size_t nparts;
} model_row;

typedef struct {
    const char *problem, *title, *size;
    long n;
    model_row **rows; /* ok rows slowest first, then failed, then skipped */
    size_t nrows;
    const model_row *baseline, *ceiling; /* NULL when absent or not ok */
    bool any_bytes;                      /* some row reported its bytes: the card shows throughput */
    bool any_parts;                      /* some ok row reported parts: the card's parts table */
    bool any_jit;
} model_group;

typedef struct {
    model_row *rows;
    size_t nrows;
    model_group *groups;
    size_t ngroups;
    const char *cpu, *kernel, *os, *started, *size, *command;
    long cores;
    long warmup, repeat, rounds, max_rounds; /* max_rounds: the cap with min_time_s (0: none) */
    double min_time_s;
    double min_level; /* the lowest level of any interval shown (1 when none) */
} model;

/* One rung's geometric-mean speedup over CPython across the problems it implements. */
typedef struct {
    const char *rung, *rung_title;
    stats_interval gm;
    size_t nproblems;
} model_summary;

/* The summary card's lines, fastest first (the baseline rung itself left out). Caller frees
 * *out. -1 when out of memory. */
int model_summarize(const model *m, model_summary **out, size_t *n);

/* The row suites the compute section renders; "" is a row without one (older documents). */
extern const char *const model_suites[];
bool model_claims(const char *suite);

int model_build(const json_value *root, model *m, char *err, size_t cap);
void model_free(model *m);
/* Speed relative to a reference row: ref time / row time (0 when not comparable). */
double model_speedup(const model_row *row, const model_row *ref);

#endif
