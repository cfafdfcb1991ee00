#include "suites/compute/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rows.h"

static double num(const json_value *o, const char *k)
{
    return json_get_num(json_obj_get(o, k));
}

static int rank(const model_row *r)
{
    return r->ok && r->has_time ? 0 : !strcmp(r->status, "failed") ? 1 : 2;
}

static int cmp_rows(const void *a, const void *b)
{
    const model_row *x = *(model_row *const *)a, *y = *(model_row *const *)b;
    int rx = rank(x), ry = rank(y);
    if (rx != ry)
        return rx - ry;
    if (rx == 0 && x->median != y->median)
        return x->median < y->median ? 1 : -1;
    return strcmp(x->rung, y->rung);
}

static stats_interval interval_of(const json_value *o)
{
    stats_interval ci = {0};
    if (json_get_type(o) != JSON_OBJECT)
        return ci;
    ci.est = num(o, "est");
    ci.lo = num(o, "lo");
    ci.hi = num(o, "hi");
    ci.level = num(o, "level");
    return ci;
}

/* The numbers of array a (samples_ns) into a new array *out of *n; -1 when out of memory. */
static int read_samples(const json_value *a, double **out, size_t *n)
{
    *n = json_arr_len(a);
    *out = malloc((*n ? *n : 1) * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = json_get_num(json_arr_get(a, i));
    return 0;
}

/* The median's interval from a summary (kernel_ns, a part's ns), or from the samples for older
 * documents. */
static int read_interval(const json_value *k, const double *samples, size_t n, stats_interval *ci)
{
    memset(ci, 0, sizeof *ci);
    if (json_obj_get(k, "ci_level")) {
        ci->est = num(k, "median");
        ci->lo = num(k, "ci_lo");
        ci->hi = num(k, "ci_hi");
        ci->level = num(k, "ci_level");
        return 0;
    }
    return stats_median_ci(samples, n, STATS_CONFIDENCE, ci);
}

/* The row's "parts"; -1 when out of memory. */
static int read_parts(const json_value *j, model_row *r)
{
    const json_value *a = json_obj_get(j, "parts");
    size_t n = json_arr_len(a);
    if (!n)
        return 0;
    r->parts = calloc(n, sizeof *r->parts);
    if (!r->parts)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const json_value *o = json_arr_get(a, i), *k = json_obj_get(o, "ns");
        model_part *p = &r->parts[r->nparts++];
        p->name = rows_str(o, "name");
        p->bytes = num(o, "bytes") > 0 ? num(o, "bytes") : 0;
        p->median = num(k, "median");
        p->noisy = json_get_bool(json_obj_get(k, "noisy"));
        double *samples;
        size_t ns;
        if (read_samples(json_obj_get(o, "samples_ns"), &samples, &ns))
            return -1;
        int rc = read_interval(k, samples, ns, &p->time_ci);
        free(samples);
        if (rc)
            return -1;
    }
    return 0;
}

static int fill_speedup(const model_row *r, const model_row *ref, stats_interval *ci)
{
    memset(ci, 0, sizeof *ci);
    if (!ref || !r->ok || !r->has_time || !r->nsamples || !ref->nsamples)
        return 0;
    if (stats_ratio_ci(ref->samples, ref->nsamples, r->samples, r->nsamples, STATS_CONFIDENCE, ci))
        memset(ci, 0, sizeof *ci); /* a sample <= 0 has no ratio: shown as not comparable */
    return 0;
}

static void note_level(model *m, const stats_interval *ci)
{
    if (ci->est > 0 && ci->level > 0 && ci->level < m->min_level)
        m->min_level = ci->level;
}

const char *const model_suites[] = {"compute", "pipeline", "", NULL};

bool model_claims(const char *suite)
{
    for (const char *const *p = model_suites; *p; p++)
        if (!strcmp(*p, suite))
            return true;
    return false;
}

/* One row of the document into r; -1 when out of memory. */
static int read_row(const json_value *j, model_row *r)
{
    r->problem = rows_str(j, "problem");
    r->problem_title = *rows_str(j, "problem_title") ? rows_str(j, "problem_title") : r->problem;
    r->rung = rows_str(j, "rung");
    r->rung_title = *rows_str(j, "rung_title") ? rows_str(j, "rung_title") : r->rung;
    r->costs = rows_str(j, "costs");
    r->status = rows_str(j, "status");
    r->failure = rows_str(j, "failure");
    r->reason = rows_str(j, "reason");
    r->size = rows_str(j, "size");
    r->n = (long)num(j, "n");
    r->ok = !strcmp(r->status, "ok");
    r->verified = json_get_bool(json_obj_get(j, "verified"));
    r->jit = json_get_bool(json_obj_get(j, "jit"));
    r->threads = (int)num(j, "threads");
    r->simd = rows_str(j, "simd");
    r->version = rows_str(j, "version");
    const json_value *k = json_obj_get(j, "kernel_ns");
    r->has_time = json_get_type(k) == JSON_OBJECT && num(k, "median") > 0;
    r->median = num(k, "median");
    r->mad = num(k, "mad");
    r->min = num(k, "min");
    r->max = num(k, "max");
    r->rel_spread = num(k, "rel_spread");
    r->noisy = json_get_bool(json_obj_get(k, "noisy"));
    r->nsamples = (size_t)num(k, "n");
    r->outliers = (size_t)num(k, "outliers");
    r->first_ns = num(j, "first_call_ns");
    if (read_samples(json_obj_get(j, "samples_ns"), &r->samples, &r->nsamples) ||
        read_interval(k, r->samples, r->nsamples, &r->time_ci) || read_parts(j, r))
        return -1;
    r->vs_baseline = interval_of(json_obj_get(j, "speedup_cpython"));
    r->vs_ceiling = interval_of(json_obj_get(j, "speedup_c"));
    const json_value *rd = json_obj_get(j, "rounds");
    r->nrounds = json_get_type(rd) == JSON_OBJECT ? (size_t)num(rd, "n") : 1;
    r->round_spread = num(rd, "spread");
    r->round_within = num(rd, "within");
    r->rounds_disagree = json_get_bool(json_obj_get(rd, "disagree"));
    const json_value *p = json_obj_get(j, "process");
    r->wall_ns = num(p, "wall_ns");
    r->cpu_ns = num(p, "cpu_ns");
    r->rss_kb = (long)num(p, "max_rss_kb");
    r->work_bytes = num(j, "work_bytes") > 0 ? num(j, "work_bytes") : 0;
    const json_value *b = json_obj_get(j, "build");
    r->built = json_get_type(b) == JSON_OBJECT;
    r->build_cached = json_get_bool(json_obj_get(b, "cached"));
    r->build_ns = num(b, "wall_ns") > 0 ? num(b, "wall_ns") : num(b, "last_wall_ns");
    const json_value *pb = json_obj_get(b, "product_bytes");
    r->product_bytes = json_get_type(pb) == JSON_NUMBER ? json_get_num(pb) : -1;
    return 0;
}

/* r into its (problem, N) group, made on first sight; -1 when out of memory. */
static int group_row(model *m, model_row *r, size_t max_rows)
{
    model_group *g = NULL;
    for (size_t q = 0; q < m->ngroups; q++)
        if (!strcmp(m->groups[q].problem, r->problem) && m->groups[q].n == r->n)
            g = &m->groups[q];
    if (!g) {
        g = &m->groups[m->ngroups++];
        g->problem = r->problem;
        g->title = r->problem_title;
        g->size = r->size;
        g->n = r->n;
        g->rows = calloc(max_rows, sizeof *g->rows);
        if (!g->rows)
            return -1;
    }
    g->rows[g->nrows++] = r;
    g->any_jit |= r->jit && r->ok;
    g->any_bytes |= r->work_bytes > 0 && r->ok;
    g->any_parts |= r->nparts > 0 && r->ok && r->has_time;
    if (r->ok && r->has_time && !strcmp(r->rung, MODEL_BASELINE))
        g->baseline = r;
    if (r->ok && r->has_time && !strcmp(r->rung, MODEL_CEILING))
        g->ceiling = r;
    return 0;
}

/* Sorts a group and fills the speedups a document does not carry; -1 when out of memory. */
static int finish_group(model *m, model_group *g)
{
    qsort(g->rows, g->nrows, sizeof *g->rows, cmp_rows);
    for (size_t i = 0; i < g->nrows; i++) {
        model_row *r = g->rows[i];
        /* documents written before the intervals: computed here from the samples */
        if (r->vs_baseline.est <= 0 && fill_speedup(r, g->baseline, &r->vs_baseline))
            return -1;
        if (r->vs_ceiling.est <= 0 && fill_speedup(r, g->ceiling, &r->vs_ceiling))
            return -1;
        /* no samples at all (a hand-made document): the ratio of medians, without an interval */
        if (r->vs_baseline.est <= 0)
            r->vs_baseline.est = model_speedup(r, g->baseline);
        if (r->vs_ceiling.est <= 0)
            r->vs_ceiling.est = model_speedup(r, g->ceiling);
        if (r->ok && r->has_time) {
            note_level(m, &r->time_ci);
            note_level(m, &r->vs_baseline);
            note_level(m, &r->vs_ceiling);
        }
    }
    return 0;
}

int model_build(const json_value *root, model *m, char *err, size_t cap)
{
    memset(m, 0, sizeof *m);
    const json_value *machine = json_obj_get(root, "machine");
    const json_value *settings = json_obj_get(root, "settings");
    m->cpu = rows_str(machine, "cpu_model");
    m->kernel = rows_str(machine, "kernel");
    m->os = rows_str(machine, "os");
    m->cores = (long)num(machine, "cores");
    m->started = rows_str(root, "started");
    m->command = rows_str(root, "command");
    m->size = rows_str(settings, "size");
    m->warmup = (long)num(settings, "warmup");
    m->repeat = (long)num(settings, "repeat");
    m->rounds = json_obj_get(settings, "rounds") ? (long)num(settings, "rounds") : 1;
    m->min_time_s = json_obj_get(settings, "min_time_s") ? num(settings, "min_time_s") : 0;
    m->max_rounds = json_obj_get(settings, "max_rounds") ? (long)num(settings, "max_rounds") : 0;
    m->min_level = 1;
    const json_value *rows = json_obj_get(root, "rows");
    size_t n = json_arr_len(rows);
    m->rows = calloc(n ? n : 1, sizeof *m->rows);
    m->groups = calloc(n ? n : 1, sizeof *m->groups);
    int rc = m->rows && m->groups ? 0 : -1;
    for (size_t i = 0; !rc && i < n; i++) {
        const json_value *j = json_arr_get(rows, i);
        if (!model_claims(rows_str(j, "suite")))
            continue;
        model_row *r = &m->rows[m->nrows++];
        rc = read_row(j, r) || group_row(m, r, n) ? -1 : 0;
    }
    for (size_t q = 0; !rc && q < m->ngroups; q++)
        rc = finish_group(m, &m->groups[q]);
    if (rc) {
        snprintf(err, cap, "out of memory");
        model_free(m);
    }
    return rc;
}

static int cmp_summary(const void *a, const void *b)
{
    const model_summary *x = a, *y = b;
    return (x->gm.est < y->gm.est) - (x->gm.est > y->gm.est);
}

int model_summarize(const model *m, model_summary **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    model_summary *list = calloc(m->nrows ? m->nrows : 1, sizeof *list);
    stats_interval *items = calloc(m->ngroups ? m->ngroups : 1, sizeof *items);
    if (!list || !items) {
        free(list);
        free(items);
        return -1;
    }
    for (size_t i = 0; i < m->nrows; i++) {
        const char *rung = m->rows[i].rung;
        if (!strcmp(rung, MODEL_BASELINE))
            continue;
        bool seen = false;
        for (size_t q = 0; q < *n && !seen; q++)
            seen = !strcmp(list[q].rung, rung);
        if (seen)
            continue;
        size_t k = 0;
        for (size_t q = 0; q < m->ngroups; q++)
            for (size_t j = 0; j < m->groups[q].nrows; j++) {
                const model_row *r = m->groups[q].rows[j];
                if (!strcmp(r->rung, rung) && r->ok && r->has_time && r->vs_baseline.est > 0)
                    items[k++] = r->vs_baseline;
            }
        if (!k)
            continue;
        model_summary *s = &list[(*n)++];
        s->rung = rung;
        s->rung_title = m->rows[i].rung_title;
        s->nproblems = k;
        if (stats_geomean_ci(items, k, STATS_CONFIDENCE, &s->gm)) {
            free(list);
            free(items);
            return -1;
        }
    }
    free(items);
    qsort(list, *n, sizeof *list, cmp_summary);
    *out = list;
    return 0;
}

void model_free(model *m)
{
    for (size_t i = 0; m->rows && i < m->nrows; i++) {
        free(m->rows[i].samples);
        free(m->rows[i].parts);
    }
    for (size_t q = 0; q < m->ngroups; q++)
        free(m->groups[q].rows);
    free(m->groups);
    free(m->rows);
    memset(m, 0, sizeof *m);
}

double model_speedup(const model_row *row, const model_row *ref)
{
    if (!row || !ref || !row->ok || !row->has_time || !ref->has_time || row->median <= 0)
        return 0;
    return ref->median / row->median;
}
