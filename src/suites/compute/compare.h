/* ladder compare: two results documents of the compute suite, row by row (same problem, rung
 * and N). On the same machine (equal cpu_model, cores, memory and arch) each row's ratio is
 * NEW kernel time / BASE kernel time, the ratio of medians with its Hodges-Lehmann interval, and
 * the Mann-Whitney U test gives the p-value; the interval excludes 1 exactly when that test
 * rejects at the interval's level. Across machines times are not comparable, so each row's time
 * is first divided by its own document's CPython time on the same problem: the ratio is
 * (NEW/NEW's CPython) / (BASE/BASE's CPython), with a seeded percentile bootstrap interval.
 * A significant ratio beyond the threshold is "slower" or "faster"; significant but inside it,
 * "within threshold"; otherwise "no significant difference". Rows in one document only are
 * listed. The result borrows strings from both documents' models, which it owns. */
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
    double p;                     /* Mann-Whitney two-sided p; -1 when not computed */
    const char *why;              /* for COMPARE_NONE */
} compare_row;

typedef struct {
    const char *rung, *rung_title;
    stats_interval gm; /* geometric mean of the rows' ratios */
    size_t nrows;
} compare_rung;

typedef struct {
    const char *base_path, *new_path;
    model base, new_;
    bool cross_machine;
    double threshold; /* fraction: 0.05 = 5% */
    compare_row *rows;
    size_t nrows;
    compare_rung *rungs;
    size_t nrungs;
    size_t counts[COMPARE_ONLY_NEW + 1];
} compare_result;

/* Compares two parsed documents (which must outlive the result). 0, or -1 with a reason. */
int compare_docs(const json_value *base, const char *base_path, const json_value *new_, const char *new_path,
                 double threshold, compare_result *out, char *err, size_t cap);
void compare_free(compare_result *r);
/* Renders one comparison (terminal, Markdown, or an HTML fragment with a chart of the ratios). */
void compare_render(const compare_result *r, report_format fmt, FILE *out);
/* The comparison as a JSON object. */
void compare_write(json_writer *w, const compare_result *r);

#endif
