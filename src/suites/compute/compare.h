/* ladder compare: two results documents of the compute suite, row by row (same problem, rung
 * and N). A row's unit is the process (one round): its level in a document is the mean log of its
 * rounds' medians, and its variance that of the rounds, moderated toward the variance all rows share
 * (empirical Bayes, stats_prior_fit), so that two processes a row still give an honest interval.
 * On one machine the ratio is NEW/BASE of those levels divided by the problem's drift (the median
 * ratio of all its rows, when at least COMPARE_DRIFT_MIN_ROWS rows have one: the machine's speed
 * between the runs, shown, and kept with drift = false). Across machines (cpu_model, cores,
 * memory or arch differ) times are not comparable, so the reference is the problem's CPython row:
 * the ratio is (NEW/NEW's CPython) / (BASE/BASE's CPython). The interval and p come from Student's
 * t. When no row has two processes in either document, the samples are the units: the
 * Hodges-Lehmann interval and Mann-Whitney U on one machine, a seeded percentile bootstrap across
 * machines. A significant ratio beyond the threshold is "slower" or "faster"; significant but
 * inside it, "within threshold"; otherwise "no significant difference". Rows in one document only
 * are listed. The result borrows strings from both documents' models, which it owns. */
#ifndef LADDER_COMPARE_H
#define LADDER_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/stats.h"
#include "json/json.h"
#include "report/report.h"
#include "suites/compute/model.h"

typedef enum {
    COMPARE_SAME,      /* no significant difference */
    COMPARE_WITHIN,    /* significant, but inside the threshold */
    COMPARE_FASTER,
    COMPARE_SLOWER,
    COMPARE_NONE,      /* not comparable: failed, no samples, no CPython to normalize by */
    COMPARE_ONLY_BASE,
    COMPARE_ONLY_NEW,
} compare_verdict;

const char *compare_verdict_name(compare_verdict v);

typedef struct {
    const model_row *base, *new_; /* either may be NULL (only in one document) */
    compare_verdict verdict;
    stats_interval ratio;         /* NEW/BASE (time, or time relative to CPython) */
    double p;                     /* two-sided p (t, or Mann-Whitney by samples); -1 when not computed */
    const char *why;              /* for COMPARE_NONE */
} compare_row;

typedef struct {
    const char *rung, *rung_title;
    stats_interval gm; /* geometric mean of the rows' ratios */
    size_t nrows;
} compare_rung;

#define COMPARE_DRIFT_MIN_ROWS 5
#define COMPARE_DRIFT_NEAR 7

/* The drift between two runs on one machine of one problem's rows: each row's is the median
 * ratio of the COMPARE_DRIFT_NEAR rows whose processes last nearest to its own; lo..hi is their
 * range. */
typedef struct {
    const char *problem;
    long n;
    size_t rows;
    double lo, hi; /* NEW/BASE */
} compare_drift;

typedef struct {
    double threshold; /* fraction: 0.05 = 5% */
    bool drift;       /* take the per-problem drift out (same machine only) */
} compare_opts;

typedef struct {
    const char *base_path, *new_path;
    model base, new_;
    bool cross_machine;
    double threshold; /* fraction: 0.05 = 5% */
    bool drift;
    bool by_process;    /* processes were the units (else samples: no row had two rounds) */
    stats_prior prior;  /* of one process's log variance; rows 0 when none could be fitted */
    compare_drift *drifts;
    size_t ndrifts;
    double *drift_of, *drift_var_of; /* per row: the log drift taken out (NAN: none) and its variance */
    double scatter_var;  /* of a row's log ratio around its drift, beyond its own (added to each) */
    size_t scatter_rows; /* the drifted rows it came from */
    compare_row *rows;
    size_t nrows;
    compare_rung *rungs;
    size_t nrungs;
    size_t counts[COMPARE_ONLY_NEW + 1];
} compare_result;

/* Compares two parsed documents (which must outlive the result). 0, or -1 with a reason. */
int compare_docs(const json_value *base, const char *base_path, const json_value *new_, const char *new_path,
                 const compare_opts *opts, compare_result *out, char *err, size_t cap);
void compare_free(compare_result *r);
/* Renders one comparison (terminal, Markdown, or an HTML fragment with a chart of the ratios). */
void compare_render(const compare_result *r, report_format fmt, FILE *out);
/* The comparison as a JSON object. */
void compare_write(json_writer *w, const compare_result *r);

#endif
