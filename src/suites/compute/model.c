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

const char *const model_suites[] = {"compute", "pipeline", "", NULL};

bool model_claims(const char *suite)
{
    for (const char *const *p = model_suites; *p; p++)
        if (!strcmp(*p, suite))
            return true;
    return false;
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
    const json_value *rows = json_obj_get(root, "rows");
    size_t n = json_arr_len(rows);
    m->rows = calloc(n ? n : 1, sizeof *m->rows);
    m->groups = calloc(n ? n : 1, sizeof *m->groups);
    if (!m->rows || !m->groups) {
        snprintf(err, cap, "out of memory");
        model_free(m);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const json_value *j = json_arr_get(rows, i);
        if (!model_claims(rows_str(j, "suite")))
            continue;
        model_row *r = &m->rows[m->nrows++];
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
        const json_value *p = json_obj_get(j, "process");
        r->wall_ns = num(p, "wall_ns");
        r->cpu_ns = num(p, "cpu_ns");
        r->rss_kb = (long)num(p, "max_rss_kb");

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
            g->rows = calloc(n, sizeof *g->rows);
            if (!g->rows) {
                snprintf(err, cap, "out of memory");
                model_free(m);
                return -1;
            }
        }
        g->rows[g->nrows++] = r;
        g->any_jit |= r->jit && r->ok;
        if (r->ok && r->has_time && !strcmp(r->rung, MODEL_BASELINE))
            g->baseline = r;
        if (r->ok && r->has_time && !strcmp(r->rung, MODEL_CEILING))
            g->ceiling = r;
    }
    for (size_t q = 0; q < m->ngroups; q++)
        qsort(m->groups[q].rows, m->groups[q].nrows, sizeof *m->groups[q].rows, cmp_rows);
    return 0;
}

void model_free(model *m)
{
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
