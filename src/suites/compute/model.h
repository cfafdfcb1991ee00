/* The report's view of a results document: rows grouped per (problem, size), baselines found.
 * Internal to src/suites/compute. Pointers borrow from the json_doc, which must outlive the model. */
#ifndef LADDER_REPORT_MODEL_H
#define LADDER_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "json/json.h"

#define MODEL_BASELINE "cpython"
#define MODEL_CEILING "c"

typedef struct {
    const char *problem, *problem_title, *rung, *rung_title, *costs, *status, *failure, *reason, *size;
    const char *simd; /* the SIMD level the rung reported, "" if none */
    long n;
    bool ok, verified, jit, has_time, noisy;
    int threads;
    double median, mad, min, max, rel_spread, first_ns;
    double wall_ns, cpu_ns;
    long rss_kb;
    size_t nsamples, outliers;
} model_row;

typedef struct {
    const char *problem, *title, *size;
    long n;
    model_row **rows; /* ok rows slowest first, then failed, then skipped */
    size_t nrows;
    const model_row *baseline, *ceiling; /* NULL when absent or not ok */
    bool any_jit;
} model_group;

typedef struct {
    model_row *rows;
    size_t nrows;
    model_group *groups;
    size_t ngroups;
    const char *cpu, *kernel, *os, *started, *size, *command;
    long cores;
    long warmup, repeat;
} model;

/* The row suites the compute section renders; "" is a row without one (older documents). */
extern const char *const model_suites[];
bool model_claims(const char *suite);

int model_build(const json_value *root, model *m, char *err, size_t cap);
void model_free(model *m);
/* Speed relative to a reference row: ref time / row time (0 when not comparable). */
double model_speedup(const model_row *row, const model_row *ref);

#endif
