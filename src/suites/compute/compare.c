#include "suites/compute/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/fmt.h"
#include "report/html.h"
#include "report/rows.h"
#include "report/table.h"

#define COMPARE_BOOTSTRAP_REPS 2000
#define COMPARE_SEED 20240601u

const char *compare_verdict_name(compare_verdict v)
{
    switch (v) {
    case COMPARE_SAME: return "no significant difference";
    case COMPARE_WITHIN: return "within threshold";
    case COMPARE_FASTER: return "faster";
    case COMPARE_SLOWER: return "slower";
    case COMPARE_NONE: return "not comparable";
    case COMPARE_ONLY_BASE: return "only in base";
    case COMPARE_ONLY_NEW: return "only in new";
    }
    return "?";
}

static bool same_machine(const json_value *a, const json_value *b)
{
    const json_value *ma = json_obj_get(a, "machine"), *mb = json_obj_get(b, "machine");
    static const char *const strs[] = {"cpu_model", "arch"};
    for (size_t i = 0; i < 2; i++)
        if (strcmp(rows_str(ma, strs[i]), rows_str(mb, strs[i])))
            return false;
    static const char *const nums[] = {"cores", "memory_kb"};
    for (size_t i = 0; i < 2; i++)
        if (json_get_num(json_obj_get(ma, nums[i])) != json_get_num(json_obj_get(mb, nums[i])))
            return false;
    return true;
}

static bool timed(const model_row *r)
{
    return r && r->ok && r->has_time && r->nsamples > 0;
}

static const model_row *find_row(const model *m, const model_row *like)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (!strcmp(m->rows[i].problem, like->problem) && !strcmp(m->rows[i].rung, like->rung) &&
            m->rows[i].n == like->n)
            return &m->rows[i];
    return NULL;
}

static const model_row *baseline_of(const model *m, const model_row *r)
{
    for (size_t q = 0; q < m->ngroups; q++)
        if (!strcmp(m->groups[q].problem, r->problem) && m->groups[q].n == r->n)
            return m->groups[q].baseline;
    return NULL;
}

/* A row's level in one document with the process as the unit: the trimmed mean of the log of
 * each round's median (stats_trimmed_mean: one process that shared the CPU with a build does not
 * decide it), its variance and degrees of freedom. Samples that do not split evenly into the
 * recorded rounds count as one process. */
static int row_level(const model_row *r, stats_trimmed *out)
{
    size_t k = r->nrounds > 0 && r->nsamples % r->nrounds == 0 ? r->nrounds : 1, per = r->nsamples / k;
    double *v = malloc(per * sizeof *v), *lm = malloc(k * sizeof *lm);
    int rc = v && lm ? 0 : -1;
    for (size_t i = 0; !rc && i < k; i++) {
        memcpy(v, r->samples + i * per, per * sizeof *v);
        double m = stats_median(v, per);
        if (!(m > 0))
            rc = -1;
        else
            lm[i] = log(m);
    }
    if (!rc)
        rc = stats_trimmed_mean(lm, k, STATS_TRIM, out);
    free(v);
    free(lm);
    return rc;
}

/* The difference of two levels: delta = log NEW - log BASE, the pooled variance of one process
 * and its degrees of freedom; se2 is filled once the prior is known. */
typedef struct {
    bool usable;
    double delta, var, df, inv_k, se2, dfm;
} diff;

static void level_diff(const model_row *b, const model_row *n, diff *d)
{
    memset(d, 0, sizeof *d);
    stats_trimmed lb, ln;
    if (!timed(b) || !timed(n) || row_level(b, &lb) || row_level(n, &ln))
        return;
    d->usable = true;
    d->delta = ln.mean - lb.mean;
    d->df = lb.df + ln.df;
    d->var = d->df > 0 ? (lb.var * lb.df + ln.var * ln.df) / d->df : 0;
    d->inv_k = 1.0 / (double)lb.k + 1.0 / (double)ln.k;
}

static void moderate(diff *d, const stats_prior *prior)
{
    d->se2 = stats_moderated_var(prior, d->var, d->df) * d->inv_k;
    d->dfm = prior->rows ? d->df + prior->df : d->df;
}

/* The interval and two-sided p of est with standard error se on df degrees of freedom. */
static void t_interval(double est, double se2, double df, compare_row *c)
{
    double se = sqrt(se2), t = stats_t_quantile(0.5 + STATS_CONFIDENCE / 2, df);
    c->ratio = (stats_interval){exp(est), exp(est - t * se), exp(est + t * se), STATS_CONFIDENCE};
    c->p = se > 0 ? 2 * stats_t_cdf(-fabs(est) / se, df) : (est == 0 ? 1 : 0);
}

static void verdict(compare_result *res, compare_row *c)
{
    if (!stats_interval_excludes_one(&c->ratio))
        c->verdict = COMPARE_SAME;
    else if (c->ratio.est > 1 + res->threshold)
        c->verdict = COMPARE_SLOWER;
    else if (c->ratio.est < 1 / (1 + res->threshold))
        c->verdict = COMPARE_FASTER;
    else
        c->verdict = COMPARE_WITHIN;
}

static bool none(compare_row *c, const char *why)
{
    c->verdict = COMPARE_NONE;
    c->why = why;
    return false;
}

/* Only when no row has two processes in either document: the samples are the units (the
 * interval then ignores how much processes differ, and says so in the method line). */
static void judge_samples(compare_result *res, compare_row *c)
{
    const model_row *b = c->base, *n = c->new_;
    if (res->cross_machine) {
        const model_row *bc = baseline_of(&res->base, b), *nc = baseline_of(&res->new_, n);
        if (!strcmp(b->rung, MODEL_BASELINE))
            return (void)none(c, "the reference across machines");
        if (!timed(bc) || !timed(nc) ||
            stats_bootstrap_ratio2(n->samples, n->nsamples, nc->samples, nc->nsamples, b->samples, b->nsamples,
                                   bc->samples, bc->nsamples, STATS_CONFIDENCE, COMPARE_BOOTSTRAP_REPS, COMPARE_SEED,
                                   &c->ratio))
            return (void)none(c, "no CPython time to normalize by");
    } else {
        stats_mwu t;
        if (stats_ratio_ci(n->samples, n->nsamples, b->samples, b->nsamples, STATS_CONFIDENCE, &c->ratio) ||
            stats_mann_whitney(n->samples, n->nsamples, b->samples, b->nsamples, &t))
            return (void)none(c, "samples not usable");
        c->p = t.p;
    }
    verdict(res, c);
}

/* The shift every row of one problem shares between the documents: on one machine the median of
 * the rows' differences (the machine's drift between the runs, when enough rows agree on it), across
 * machines CPython's difference. Returns false when there is none to take out. */
static bool reference(compare_result *res, const compare_row *c, const diff *d, double *shift, double *var)
{
    const model_row *x = c->new_;
    if (res->cross_machine) {
        for (size_t j = 0; j < res->nrows; j++) {
            const model_row *y = res->rows[j].new_;
            if (y && res->rows[j].base && d[j].usable && !strcmp(y->problem, x->problem) && y->n == x->n &&
                !strcmp(y->rung, MODEL_BASELINE)) {
                *shift = d[j].delta;
                *var = d[j].se2;
                return true;
            }
        }
        return false;
    }
    size_t i = (size_t)(c - res->rows);
    if (!res->drift_of || isnan(res->drift_of[i]))
        return false;
    *shift = res->drift_of[i];
    *var = res->drift_var_of[i] + res->scatter_var;
    return true;
}

/* A row's drift: the median difference of the COMPARE_DRIFT_NEAR rows of its problem whose
 * processes last nearest to its own (log wall time in BASE), itself included. Two runs meet
 * processes of different lengths differently: with a build beside them, CPython's 0.1-1 s
 * processes slowed 10-50% while the C rungs' 10 ms ones moved 0-7%, so one drift per problem
 * called the short rows faster. var gets the median's variance (about pi/2 times that of a
 * mean of as many). */
static void local_drift(const compare_result *res, const diff *d, size_t i, double *v, double *shift, double *var)
{
    const model_row *x = res->rows[i].new_;
    size_t k = 0;
    for (size_t j = 0; j < res->nrows; j++) {
        const model_row *y = res->rows[j].new_;
        if (y && res->rows[j].base && d[j].usable && !strcmp(y->problem, x->problem) && y->n == x->n)
            v[k++] = (double)j;
    }
    double t = log(res->rows[i].base->wall_ns);
    size_t near = k < COMPARE_DRIFT_NEAR ? k : COMPARE_DRIFT_NEAR;
    /* selection by distance in log time: near is small, so a partial selection sort */
    for (size_t a = 0; a < near; a++) {
        size_t best = a;
        for (size_t b = a + 1; b < k; b++)
            if (fabs(log(res->rows[(size_t)v[b]].base->wall_ns) - t) < fabs(log(res->rows[(size_t)v[best]].base->wall_ns) - t))
                best = b;
        double tmp = v[a];
        v[a] = v[best];
        v[best] = tmp;
    }
    double se2 = 0;
    for (size_t a = 0; a < near; a++) {
        size_t j = (size_t)v[a];
        se2 += d[j].se2;
        v[a] = d[j].delta;
    }
    *shift = stats_median(v, near);
    *var = M_PI / 2 * se2 / (double)near / (double)near;
}

/* The drift of a same-machine comparison, for every problem with enough matched rows: each row's
 * own (local_drift) in drift[i] (NAN where none), and per problem the range of its rows' drifts
 * for the drift line. */
static int find_drifts(compare_result *res, const diff *d, double *drift, double *drift_var)
{
    res->drifts = calloc(res->nrows ? res->nrows : 1, sizeof *res->drifts);
    double *v = malloc((res->nrows ? res->nrows : 1) * sizeof *v);
    if (!res->drifts || !v) {
        free(v);
        return -1;
    }
    for (size_t i = 0; i < res->nrows; i++)
        drift[i] = NAN;
    for (size_t i = 0; i < res->nrows; i++) {
        const model_row *x = res->rows[i].new_;
        if (!d[i].usable)
            continue;
        bool seen = false;
        for (size_t q = 0; q < res->ndrifts && !seen; q++)
            seen = !strcmp(res->drifts[q].problem, x->problem) && res->drifts[q].n == x->n;
        if (seen)
            continue;
        size_t k = 0;
        for (size_t j = i; j < res->nrows; j++) {
            const model_row *y = res->rows[j].new_;
            k += d[j].usable && !strcmp(y->problem, x->problem) && y->n == x->n;
        }
        if (k < COMPARE_DRIFT_MIN_ROWS)
            continue;
        compare_drift *g = &res->drifts[res->ndrifts++];
        g->problem = x->problem;
        g->n = x->n;
        g->rows = k;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t j = i; j < res->nrows; j++) {
            const model_row *y = res->rows[j].new_;
            if (!d[j].usable || strcmp(y->problem, x->problem) || y->n != x->n)
                continue;
            local_drift(res, d, j, v, &drift[j], &drift_var[j]);
            lo = fmin(lo, drift[j]);
            hi = fmax(hi, drift[j]);
        }
        g->lo = exp(lo);
        g->hi = exp(hi);
    }
    free(v);
    return 0;
}

/* 1.4826 times the median |r_i| / sqrt(se2_i + tau2): about 1 when the residuals r are as
 * spread as their variances plus tau2 say. */
static double scatter_scale(const double *r, const double *se2, size_t k, double tau2, double *z)
{
    for (size_t i = 0; i < k; i++)
        z[i] = fabs(r[i]) / sqrt(se2[i] + tau2);
    return 1.4826 * stats_median(z, k);
}

/* How far rows move around their problem's drift beyond their own intervals: two runs meet the
 * rows differently (a neighbour's job slows memory-bound rows more than one that lives in
 * registers), a variance a row's rounds inside one run cannot show. tau2 is the variance that,
 * added to every row's own, makes the residuals (a row's difference minus its drift) as spread
 * as the variances say, by the median of the standardized residuals (a robust Paule-Mandel
 * estimate of meta-analysis' between-study variance: the few rows a change really moved do not
 * count); 0 when the rows scatter no more than their intervals say. */
static int find_scatter(compare_result *res, const diff *d)
{
    size_t cap = res->nrows ? res->nrows : 1;
    double *r = malloc(cap * sizeof *r), *se2 = malloc(cap * sizeof *se2), *z = malloc(cap * sizeof *z);
    if (!r || !se2 || !z) {
        free(r);
        free(se2);
        free(z);
        return -1;
    }
    size_t k = 0;
    double hi = 0;
    for (size_t i = 0; i < res->nrows; i++) {
        const compare_row *c = &res->rows[i];
        double shift, var;
        if (!c->base || !c->new_ || !d[i].usable || d[i].dfm <= 0 || !(d[i].se2 > 0) ||
            !reference(res, c, d, &shift, &var))
            continue;
        r[k] = d[i].delta - shift;
        se2[k] = d[i].se2 + var;
        hi = fmax(hi, 4 * r[k] * r[k]);
        k++;
    }
    res->scatter_var = 0;
    res->scatter_rows = k;
    if (k >= COMPARE_DRIFT_MIN_ROWS && scatter_scale(r, se2, k, 0, z) > 1) {
        double lo = 0;
        for (int it = 0; it < 100 && hi - lo > 1e-12; it++) {
            double mid = (lo + hi) / 2;
            if (scatter_scale(r, se2, k, mid, z) > 1)
                lo = mid;
            else
                hi = mid;
        }
        res->scatter_var = hi;
    }
    free(r);
    free(se2);
    free(z);
    return 0;
}

/* Judges every matched row: process-level differences, variances moderated toward the prior
 * of all rows, minus the shared shift, against Student's t. */
static int judge_all(compare_result *res)
{
    diff *d = calloc(res->nrows ? res->nrows : 1, sizeof *d);
    double *vars = malloc((res->nrows ? res->nrows : 1) * sizeof *vars), *dfs = malloc((res->nrows ? res->nrows : 1) * sizeof *dfs);
    if (!d || !vars || !dfs) {
        free(d);
        free(vars);
        free(dfs);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < res->nrows; i++) {
        compare_row *c = &res->rows[i];
        c->p = -1;
        if (!c->base || !c->new_)
            continue;
        level_diff(c->base, c->new_, &d[i]);
        if (d[i].usable && d[i].df > 0) {
            vars[k] = d[i].var;
            dfs[k++] = d[i].df;
        }
    }
    stats_prior prior;
    if (stats_prior_fit(vars, dfs, k, &prior))
        memset(&prior, 0, sizeof prior);
    res->prior = prior;
    res->by_process = false;
    for (size_t i = 0; i < res->nrows; i++)
        if (d[i].usable) {
            moderate(&d[i], &prior);
            res->by_process |= d[i].dfm > 0;
        }
    int rc = 0;
    if (res->by_process && !res->cross_machine && res->drift) {
        res->drift_of = malloc((res->nrows ? res->nrows : 1) * sizeof *res->drift_of);
        res->drift_var_of = malloc((res->nrows ? res->nrows : 1) * sizeof *res->drift_var_of);
        rc = !res->drift_of || !res->drift_var_of || find_drifts(res, d, res->drift_of, res->drift_var_of) ||
             find_scatter(res, d);
    }
    for (size_t i = 0; !rc && i < res->nrows; i++) {
        compare_row *c = &res->rows[i];
        if (!c->base || !c->new_)
            continue;
        if (!timed(c->base) || !timed(c->new_)) {
            none(c, !timed(c->base) && !timed(c->new_) ? "no time in either" : !timed(c->base) ? "no time in base"
                                                                                             : "no time in new");
            continue;
        }
        if (!res->by_process) {
            judge_samples(res, c);
            continue;
        }
        if (!d[i].usable || d[i].dfm <= 0) {
            none(c, "samples not usable");
            continue;
        }
        double shift = 0, var = 0;
        bool ref = reference(res, c, d, &shift, &var);
        if (res->cross_machine && !strcmp(c->new_->rung, MODEL_BASELINE)) {
            none(c, "the reference across machines");
            continue;
        }
        if (res->cross_machine && !ref) {
            none(c, "no CPython time to normalize by");
            continue;
        }
        t_interval(d[i].delta - shift, d[i].se2 + var, d[i].dfm, c);
        verdict(res, c);
    }
    free(d);
    free(vars);
    free(dfs);
    return rc;
}

static int per_rung(compare_result *res)
{
    res->rungs = calloc(res->nrows ? res->nrows : 1, sizeof *res->rungs);
    stats_interval *items = calloc(res->nrows ? res->nrows : 1, sizeof *items);
    if (!res->rungs || !items) {
        free(items);
        return -1;
    }
    for (size_t i = 0; i < res->nrows; i++) {
        const compare_row *c = &res->rows[i];
        if (c->ratio.est <= 0)
            continue;
        const model_row *r = c->new_;
        bool seen = false;
        for (size_t q = 0; q < res->nrungs && !seen; q++)
            seen = !strcmp(res->rungs[q].rung, r->rung);
        if (seen)
            continue;
        size_t k = 0;
        for (size_t j = i; j < res->nrows; j++)
            if (res->rows[j].ratio.est > 0 && !strcmp(res->rows[j].new_->rung, r->rung))
                items[k++] = res->rows[j].ratio;
        compare_rung *g = &res->rungs[res->nrungs++];
        g->rung = r->rung;
        g->rung_title = r->rung_title;
        g->nrows = k;
        if (stats_geomean_ci(items, k, STATS_CONFIDENCE, &g->gm)) {
            free(items);
            return -1;
        }
    }
    free(items);
    return 0;
}

int compare_docs(const json_value *base, const char *base_path, const json_value *new_, const char *new_path,
                 const compare_opts *opts, compare_result *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    out->base_path = base_path;
    out->new_path = new_path;
    out->threshold = opts->threshold;
    out->drift = opts->drift;
    out->cross_machine = !same_machine(base, new_);
    char why[200];
    if (model_build(base, &out->base, why, sizeof why)) {
        snprintf(err, cap, "%s: %s", base_path, why);
        return -1;
    }
    if (model_build(new_, &out->new_, why, sizeof why)) {
        snprintf(err, cap, "%s: %s", new_path, why);
        model_free(&out->base);
        return -1;
    }
    out->rows = calloc(out->base.nrows + out->new_.nrows + 1, sizeof *out->rows);
    if (!out->rows) {
        compare_free(out);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    /* in NEW's order, then what only BASE has */
    for (size_t i = 0; i < out->new_.nrows; i++) {
        compare_row *c = &out->rows[out->nrows++];
        c->new_ = &out->new_.rows[i];
        c->base = find_row(&out->base, c->new_);
        if (!c->base)
            c->verdict = COMPARE_ONLY_NEW, c->p = -1;
    }
    for (size_t i = 0; i < out->base.nrows; i++)
        if (!find_row(&out->new_, &out->base.rows[i])) {
            compare_row *c = &out->rows[out->nrows++];
            c->base = &out->base.rows[i];
            c->verdict = COMPARE_ONLY_BASE;
            c->p = -1;
        }
    if (judge_all(out)) {
        compare_free(out);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < out->nrows; i++)
        out->counts[out->rows[i].verdict]++;
    if (per_rung(out)) {
        compare_free(out);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    return 0;
}

void compare_free(compare_result *r)
{
    model_free(&r->base);
    model_free(&r->new_);
    free(r->rows);
    free(r->rungs);
    free(r->drifts);
    free(r->drift_of);
    free(r->drift_var_of);
    memset(r, 0, sizeof *r);
}

static const model_row *any_row(const compare_row *c)
{
    return c->new_ ? c->new_ : c->base;
}

static void method_line(const compare_result *r, FILE *f, bool md)
{
    const char *b = md ? "- " : "";
    if (r->cross_machine)
        fprintf(f, "%sThe machine records differ: times are not compared, speedups are. Each row's time is divided by "
                   "its own document's CPython time on the same problem; the ratio is NEW/BASE of those.\n",
                b);
    else
        fprintf(f, "%sSame machine: the ratio is NEW/BASE kernel time. Below 1 is faster.\n", b);
    if (!r->by_process)
        fprintf(f, "%sNo row has two processes (rounds) in either document, so the samples are the units: %s. The "
                   "interval ignores how much processes differ; run with --rounds 2 or more.\n",
                b, r->cross_machine ? "a percentile bootstrap interval" : "the Hodges–Lehmann interval and the Mann–Whitney U test");
    else {
        fprintf(f, "%sEach process (round) is one measurement: a row's level is the mean log of its rounds' medians "
                   "(from 5 rounds, the 20%% trimmed mean: a process slowed by a neighbour does not decide it); ", b);
        if (r->prior.rows)
            fprintf(f, "its variance is pooled toward the one %zu rows share (one process: ±%.1f%%, worth %.3g "
                       "rounds of evidence)",
                    r->prior.rows, 100 * sqrt(r->prior.var), r->prior.df);
        else
            fprintf(f, "its variance is its own (too few rows to pool)");
        fprintf(f, "; the 95%% interval and p are Student's t.\n");
    }
    if (r->ndrifts) {
        fprintf(f, "%sDrift between the runs, taken out of every row (the median ratio of the %d rows of its problem "
                   "whose processes last nearest to its own; --no-drift keeps it):",
                b, COMPARE_DRIFT_NEAR);
        for (size_t i = 0; i < r->ndrifts; i++) {
            if (fabs(r->drifts[i].hi / r->drifts[i].lo - 1) < 0.005)
                fprintf(f, "%s %s %.2fx", i ? "," : "", r->drifts[i].problem, r->drifts[i].lo);
            else
                fprintf(f, "%s %s %.2f–%.2fx", i ? "," : "", r->drifts[i].problem, r->drifts[i].lo, r->drifts[i].hi);
        }
        fprintf(f, ".\n");
        if (r->scatter_var > 0)
            fprintf(f, "%sRows scatter around their drift by ±%.1f%% beyond their own intervals (robust, over %zu rows): "
                       "added to every row's variance, so a row counts as changed only when it moved more than rows do "
                       "between two runs.\n",
                    b, 100 * sqrt(r->scatter_var), r->scatter_rows);
        else
            fprintf(f, "%sRows scatter around their drift no more than their own intervals say (%zu rows).\n", b,
                    r->scatter_rows);
    }
    fprintf(f, "%sVerdict: faster/slower when the interval excludes 1 and the change exceeds the threshold (%.1f%%); "
               "\"within threshold\" when significant but smaller.\n",
            b, 100 * r->threshold);
}

static void counts_line(const compare_result *r, FILE *f)
{
    size_t compared = r->counts[COMPARE_SAME] + r->counts[COMPARE_WITHIN] + r->counts[COMPARE_FASTER] +
                      r->counts[COMPARE_SLOWER];
    fprintf(f, "%zu rows compared: %zu faster, %zu slower, %zu no significant difference, %zu within threshold",
            compared, r->counts[COMPARE_FASTER], r->counts[COMPARE_SLOWER], r->counts[COMPARE_SAME],
            r->counts[COMPARE_WITHIN]);
    if (r->counts[COMPARE_NONE])
        fprintf(f, "; %zu not comparable", r->counts[COMPARE_NONE]);
    if (r->counts[COMPARE_ONLY_BASE] || r->counts[COMPARE_ONLY_NEW])
        fprintf(f, "; %zu only in base, %zu only in new", r->counts[COMPARE_ONLY_BASE], r->counts[COMPARE_ONLY_NEW]);
    fprintf(f, "\n");
}

static void time_cell(const model_row *r, char *out, size_t cap)
{
    if (timed(r))
        fmt_ns(r->median, out, cap);
    else
        snprintf(out, cap, "%s", r ? r->status : "—");
}

/* The text cells a comparison row shows in every format. */
typedef struct {
    char base[32], new_[32], ratio[48], p[16];
} row_text;

static void row_cells(const compare_row *c, row_text *t)
{
    time_cell(c->base, t->base, sizeof t->base);
    time_cell(c->new_, t->new_, sizeof t->new_);
    snprintf(t->ratio, sizeof t->ratio, "—");
    snprintf(t->p, sizeof t->p, "—");
    if (c->ratio.est > 0)
        fmt_interval(&c->ratio, t->ratio, sizeof t->ratio);
    if (c->p >= 0)
        snprintf(t->p, sizeof t->p, "%.3g", c->p);
}

static void render_text(const compare_result *r, FILE *f, bool md)
{
    if (md)
        fprintf(f, "## Comparison: `%s` → `%s`\n\n", r->base_path, r->new_path);
    else
        fprintf(f, "ladder compare: %s (base) → %s (new)\n", r->base_path, r->new_path);
    method_line(r, f, md);
    fputc('\n', f);
    static const char *const head[] = {"Problem", "N", "Approach", "Base", "New", "New/Base", "p", "Verdict"};
    table t;
    if (table_init(&t, 8, head))
        return;
    t.right[1] = t.right[3] = t.right[4] = t.right[5] = t.right[6] = true;
    for (size_t i = 0; i < r->nrows; i++) {
        const compare_row *c = &r->rows[i];
        const model_row *x = any_row(c);
        char n[24];
        row_text rt;
        snprintf(n, sizeof n, "%ld", x->n);
        row_cells(c, &rt);
        char verdict[64];
        snprintf(verdict, sizeof verdict, "%s%s%s", compare_verdict_name(c->verdict), c->why ? ": " : "",
                 c->why ? c->why : "");
        const char *cells[] = {x->problem, n, x->rung_title, rt.base, rt.new_, rt.ratio, rt.p, verdict};
        table_add(&t, cells);
    }
    table_print(&t, f, md);
    table_free(&t);
    fputc('\n', f);
    if (md)
        fprintf(f, "### Per approach: geometric mean of New/Base\n\n");
    else
        fprintf(f, "Per approach: geometric mean of New/Base over its rows (95%% interval)\n");
    static const char *const ghead[] = {"Approach", "New/Base", "Rows"};
    if (table_init(&t, 3, ghead))
        return;
    t.right[1] = t.right[2] = true;
    for (size_t i = 0; i < r->nrungs; i++) {
        char gm[48], k[16];
        fmt_interval(&r->rungs[i].gm, gm, sizeof gm);
        snprintf(k, sizeof k, "%zu", r->rungs[i].nrows);
        const char *cells[] = {r->rungs[i].rung_title, gm, k};
        table_add(&t, cells);
    }
    table_print(&t, f, md);
    table_free(&t);
    fputc('\n', f);
    counts_line(r, f);
}

static void render_html(const compare_result *r, FILE *f)
{
    fprintf(f, "<section class=\"compare\"><h2>Comparison <small><code>");
    html_escape(f, r->base_path);
    fprintf(f, "</code> → <code>");
    html_escape(f, r->new_path);
    fprintf(f, "</code></small></h2>\n<p class=\"note\">");
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (m) {
        method_line(r, m, false);
        counts_line(r, m);
        fclose(m);
        html_escape(f, text);
        free(text);
    }
    fprintf(f, "</p>\n");
    /* the chart: each compared row's ratio as a dot with its interval, log scale around 1 */
    size_t k = 0;
    double lo = 1, hi = 1;
    for (size_t i = 0; i < r->nrows; i++) {
        const stats_interval *ci = &r->rows[i].ratio;
        if (ci->est <= 0)
            continue;
        k++;
        lo = fmin(lo, ci->level > 0 ? ci->lo : ci->est);
        hi = fmax(hi, ci->level > 0 ? ci->hi : ci->est);
    }
    double span = fmax(log10(hi), -log10(lo)) * 1.1;
    if (span < 0.02)
        span = 0.02;
    const int label_w = 300, plot_w = 500, row_h = 18, top = 28, extra = 340;
    int height = top + (int)k * row_h + 30, width = label_w + plot_w + extra;
    fprintf(f, "<svg class=\"chart compare\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", width,
            height, width, height);
    fprintf(f, "<title>New/Base ratio per row with its interval, log scale</title>\n");
#define CXPOS(v) (label_w + plot_w * (log10(v) + span) / (2 * span))
    double x1 = CXPOS(1.0);
    fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x1, top - 6, x1, height - 24);
    fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">1x (no change)</text>", x1, height - 8);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"start\">%.3gx faster</text>", label_w, height - 8, pow(10, span));
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3gx slower</text>\n", label_w + plot_w, height - 8,
            pow(10, span));
    size_t y_i = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const compare_row *c = &r->rows[i];
        if (c->ratio.est <= 0)
            continue;
        double y = top + (double)y_i++ * row_h + row_h / 2.0;
        const char *color = c->verdict == COMPARE_SLOWER   ? "#c0392b"
                            : c->verdict == COMPARE_FASTER ? "#1b8a5a"
                                                           : "#555";
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", label_w - 8, y + 4);
        html_escape(f, c->new_->problem);
        fprintf(f, " · ");
        html_escape(f, c->new_->rung_title);
        fprintf(f, "</text>");
        if (c->ratio.level > 0)
            fprintf(f, "<line class=\"ci\" stroke=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", color,
                    CXPOS(c->ratio.lo), y, CXPOS(c->ratio.hi), y);
        char lab[64];
        fmt_interval(&c->ratio, lab, sizeof lab);
        fprintf(f, "<circle class=\"ratio\" fill=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%s: %s</title></circle>",
                color, CXPOS(c->ratio.est), y, lab, compare_verdict_name(c->verdict));
        fprintf(f, "<text x=\"%d\" y=\"%.1f\">%s · %s</text>\n", label_w + plot_w + 8, y + 4, lab,
                compare_verdict_name(c->verdict));
    }
#undef CXPOS
    fprintf(f, "</svg>\n<table><thead><tr><th>Problem</th><th>N</th><th>Approach</th><th>Base</th><th>New</th>"
               "<th>New/Base</th><th>p</th><th>Verdict</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->nrows; i++) {
        const compare_row *c = &r->rows[i];
        const model_row *x = any_row(c);
        row_text rt;
        row_cells(c, &rt);
        fprintf(f, "<tr class=\"%s\"><td>", c->verdict == COMPARE_SLOWER ? "failed" : "ok");
        html_escape(f, x->problem);
        fprintf(f, "</td><td class=\"n\">%ld</td><td>", x->n);
        html_escape(f, x->rung_title);
        fprintf(f, "</td><td class=\"n\">");
        html_escape(f, rt.base);
        fprintf(f, "</td><td class=\"n\">");
        html_escape(f, rt.new_);
        fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s", rt.ratio, rt.p, compare_verdict_name(c->verdict));
        if (c->why) {
            fprintf(f, ": ");
            html_escape(f, c->why);
        }
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody></table>\n<h3>Per approach: geometric mean of New/Base</h3>\n<table><thead><tr><th>Approach"
               "</th><th>New/Base</th><th>Rows</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->nrungs; i++) {
        char gm[48];
        fmt_interval(&r->rungs[i].gm, gm, sizeof gm);
        fprintf(f, "<tr><td>");
        html_escape(f, r->rungs[i].rung_title);
        fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%zu</td></tr>\n", gm, r->rungs[i].nrows);
    }
    fprintf(f, "</tbody></table></section>\n");
}

void compare_render(const compare_result *r, report_format fmt, FILE *out)
{
    if (fmt == REPORT_HTML)
        render_html(r, out);
    else
        render_text(r, out, fmt == REPORT_MARKDOWN);
}

static void interval_kv(json_writer *w, const char *key, const stats_interval *ci)
{
    json_key(w, key);
    if (ci->est <= 0) {
        json_null(w);
        return;
    }
    json_obj_begin(w);
    json_kv_num(w, "est", ci->est);
    json_kv_num(w, "lo", ci->lo);
    json_kv_num(w, "hi", ci->hi);
    json_kv_num(w, "level", ci->level);
    json_obj_end(w);
}

void compare_write(json_writer *w, const compare_result *r)
{
    json_obj_begin(w);
    json_kv_str(w, "base", r->base_path);
    json_kv_str(w, "new", r->new_path);
    json_kv_str(w, "mode", r->cross_machine ? "cross-machine" : "same-machine");
    json_kv_str(w, "method", r->by_process ? "processes as units, moderated variance, student t"
                             : r->cross_machine ? "bootstrap of (new/new cpython)/(base/base cpython)"
                                                : "hodges-lehmann interval, mann-whitney u");
    if (r->prior.rows) {
        json_key(w, "prior");
        json_obj_begin(w);
        json_kv_num(w, "log_sd", sqrt(r->prior.var));
        json_key(w, "df"); /* null: infinite, every row's variance is the shared one */
        isinf(r->prior.df) ? json_null(w) : json_num(w, r->prior.df);
        json_kv_int(w, "rows", (int64_t)r->prior.rows);
        json_obj_end(w);
    }
    json_key(w, "drift");
    json_arr_begin(w);
    for (size_t i = 0; i < r->ndrifts; i++) {
        json_obj_begin(w);
        json_kv_str(w, "problem", r->drifts[i].problem);
        json_kv_int(w, "n", r->drifts[i].n);
        json_kv_int(w, "rows", (int64_t)r->drifts[i].rows);
        json_kv_num(w, "lo", r->drifts[i].lo);
        json_kv_num(w, "hi", r->drifts[i].hi);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "scatter"); /* null: no drift taken out */
    if (r->ndrifts) {
        json_obj_begin(w);
        json_kv_num(w, "log_sd", sqrt(r->scatter_var));
        json_kv_int(w, "rows", (int64_t)r->scatter_rows);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_kv_num(w, "threshold", r->threshold);
    json_key(w, "counts");
    json_obj_begin(w);
    for (int v = COMPARE_SAME; v <= COMPARE_ONLY_NEW; v++)
        json_kv_int(w, compare_verdict_name((compare_verdict)v), (int64_t)r->counts[v]);
    json_obj_end(w);
    json_key(w, "rows");
    json_arr_begin(w);
    for (size_t i = 0; i < r->nrows; i++) {
        const compare_row *c = &r->rows[i];
        const model_row *x = any_row(c);
        json_obj_begin(w);
        json_kv_str(w, "problem", x->problem);
        json_kv_str(w, "rung", x->rung);
        json_kv_str(w, "size", x->size);
        json_kv_int(w, "n", x->n);
        json_kv_str(w, "verdict", compare_verdict_name(c->verdict));
        json_kv_str(w, "why", c->why);
        interval_kv(w, "ratio", &c->ratio);
        json_key(w, "p");
        if (c->p >= 0)
            json_num(w, c->p);
        else
            json_null(w);
        json_key(w, "base_median_ns");
        timed(c->base) ? json_num(w, c->base->median) : json_null(w);
        json_key(w, "new_median_ns");
        timed(c->new_) ? json_num(w, c->new_->median) : json_null(w);
        json_key(w, "drift"); /* NEW/BASE taken out of this row; null: none */
        r->drift_of && !isnan(r->drift_of[i]) ? json_num(w, exp(r->drift_of[i])) : json_null(w);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "rungs");
    json_arr_begin(w);
    for (size_t i = 0; i < r->nrungs; i++) {
        json_obj_begin(w);
        json_kv_str(w, "rung", r->rungs[i].rung);
        json_kv_int(w, "rows", (int64_t)r->rungs[i].nrows);
        interval_kv(w, "geomean", &r->rungs[i].gm);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}
