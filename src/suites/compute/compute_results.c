#include "suites/compute/compute_results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites/compute/model.h"

static void stats_write(json_writer *w, const stats_summary *s, const double *samples)
{
    stats_interval ci = {0};
    stats_median_ci(samples, s->n, STATS_CONFIDENCE, &ci);
    const results_field f[] = {{"n", (double)s->n, true},   {"median", s->median, false},
                               {"mad", s->mad, false},       {"min", s->min, false},
                               {"max", s->max, false},       {"mean", s->mean, false},
                               {"rel_spread", s->rel_spread, false}, {"outliers", (double)s->outliers, true}};
    const results_field interval[] = {{"ci_lo", ci.lo, false}, {"ci_hi", ci.hi, false}, {"ci_level", ci.level, false}};
    json_obj_begin(w);
    results_fields(w, f, sizeof f / sizeof f[0]);
    json_kv_bool(w, "noisy", s->noisy);
    results_fields(w, interval, sizeof interval / sizeof interval[0]);
    json_obj_end(w);
}

/* The samples a round of row: its samples split evenly into its rounds, else 0. */
static size_t per_round(const bench_row *row)
{
    size_t rounds = row->rounds > 1 ? (size_t)row->rounds : 1, per = row->nsamples / rounds;
    return per && per * rounds == row->nsamples ? per : 0;
}

/* A speedup ref/row from the rounds both ran (round k of each ran in the same round: the first
 * min(rounds) of each), or -1 when they cannot be paired (fewer than two, uneven rounds). k gets
 * how many paired. */
static int paired(const bench_row *ref, const bench_row *row, stats_trimmed *out)
{
    size_t pr = per_round(ref), pw = per_round(row), k = (size_t)(ref->rounds < row->rounds ? ref->rounds : row->rounds);
    if (k < 2 || !pr || !pw)
        return -1;
    return stats_paired_rounds(ref->samples, pr, row->samples, pw, k, out);
}

/* The ok row of rung name on the same problem and N as row, with samples; NULL if none. */
static const bench_row *reference_row(const bench_row *rows, size_t n, const bench_row *row, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].prob == row->prob && rows[i].n == row->n && !strcmp(rows[i].r->name, name) &&
            rows[i].status == ROW_OK && rows[i].nsamples)
            return &rows[i];
    return NULL;
}

int compute_speedup_prior(const bench_row *rows, size_t nrows, stats_prior *out)
{
    static const char *const refs[] = {MODEL_BASELINE, MODEL_CEILING};
    double *var = malloc((2 * nrows + 1) * sizeof *var), *df = malloc((2 * nrows + 1) * sizeof *df);
    if (!var || !df) {
        free(var);
        free(df);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < nrows; i++)
        for (size_t q = 0; q < 2; q++) {
            const bench_row *ref = reference_row(rows, nrows, &rows[i], refs[q]);
            stats_trimmed t;
            if (ref && ref != &rows[i] && rows[i].status == ROW_OK && !paired(ref, &rows[i], &t)) {
                var[k] = t.var;
                df[k++] = t.df;
            }
        }
    if (stats_prior_fit(var, df, k, out))
        memset(out, 0, sizeof *out);
    free(var);
    free(df);
    return 0;
}

int compute_speedup(const bench_row *ref, const bench_row *row, const stats_prior *prior, stats_interval *out)
{
    stats_trimmed t;
    if (!paired(ref, row, &t)) {
        stats_t_ratio(t.mean, t.var, t.df, t.k, prior, STATS_CONFIDENCE, out);
        return 0;
    }
    return stats_ratio_ci(ref->samples, ref->nsamples, row->samples, row->nsamples, STATS_CONFIDENCE, out);
}

static void interval_write(json_writer *w, const char *key, const bench_row *ref, const bench_row *row,
                           const stats_prior *prior)
{
    json_key(w, key);
    stats_interval ci;
    if (!ref || !ref->nsamples || !row->nsamples || row->status != ROW_OK ||
        compute_speedup(ref, row, prior, &ci)) {
        json_null(w);
        return;
    }
    json_obj_begin(w);
    json_kv_num(w, "est", ci.est);
    json_kv_num(w, "lo", ci.lo);
    json_kv_num(w, "hi", ci.hi);
    json_kv_num(w, "level", ci.level);
    json_kv_bool(w, "significant", stats_interval_excludes_one(&ci));
    json_obj_end(w);
}

static void rounds_write(json_writer *w, const bench_row *row)
{
    json_key(w, "rounds");
    stats_rounds r;
    size_t per = per_round(row);
    if (row->status != ROW_OK || !per || stats_rounds_check(row->samples, per, row->nsamples / per, &r)) {
        json_null(w);
        return;
    }
    json_obj_begin(w);
    json_kv_int(w, "n", (int64_t)r.nrounds);
    json_kv_int(w, "per_round", (int64_t)per);
    json_kv_num(w, "spread", r.spread);
    json_kv_num(w, "within", r.within);
    json_kv_bool(w, "disagree", r.disagree);
    json_obj_end(w);
}


static void samples_write(json_writer *w, const double *v, size_t n)
{
    json_arr_begin(w);
    for (size_t i = 0; i < n; i++)
        json_int(w, (int64_t)v[i]);
    json_arr_end(w);
}

/* bytes (null when 0: not reported) under key and "bytes_per_s", those bytes over the median of
 * s (null without bytes or samples). */
static void bytes_write(json_writer *w, const char *key, long long bytes, const stats_summary *s)
{
    json_key(w, key);
    bytes > 0 ? json_int(w, bytes) : json_null(w);
    json_key(w, "bytes_per_s");
    if (bytes > 0 && s && s->n && s->median > 0)
        json_num(w, (double)bytes / s->median * 1e9);
    else
        json_null(w);
}

/* The row's parts, each summarised as the row's kernel time is: null when the rung reported none. */
static void parts_write(json_writer *w, const bench_row *row)
{
    json_key(w, "parts");
    if (!row->nparts || !row->nsamples) {
        json_null(w);
        return;
    }
    json_arr_begin(w);
    for (size_t i = 0; i < row->nparts; i++) {
        const bench_part *p = &row->parts[i];
        json_obj_begin(w);
        json_kv_str(w, "name", p->name);
        bytes_write(w, "bytes", p->bytes, &p->summary);
        json_key(w, "ns");
        stats_write(w, &p->summary, p->samples);
        json_key(w, "samples_ns");
        samples_write(w, p->samples, p->nsamples);
        json_obj_end(w);
    }
    json_arr_end(w);
}

const rung_state *compute_state_of(const rung_state *states, size_t n, const rung *r)
{
    for (size_t i = 0; i < n; i++)
        if (states[i].r == r)
            return &states[i];
    return NULL;
}

static void row_write(json_writer *w, const bench_row *row, const rung_state *st, const bench_row *rows, size_t nrows,
                      const stats_prior *prior)
{
    json_obj_begin(w);
    results_head head = results_head_of(row->r, row->prob->suite, row->prob->id, row->prob->title, row->size);
    head.status = row->status;
    head.failure = row->failure;
    head.reason = row->reason;
    head.verified = row->verified;
    head.version = st ? st->version : NULL;
    results_head_write(w, &head);
    json_kv_int(w, "n", row->n);
    json_kv_int(w, "threads", row->threads);
    json_kv_str(w, "simd", row->simd[0] ? row->simd : NULL);
    json_kv_bool(w, "jit", row->r->jit);
    /* bytes per iteration and per second at the median, for rungs that say what they read */
    bytes_write(w, "work_bytes", row->work_bytes, row->nsamples ? &row->kernel : NULL);
    json_key(w, "kernel_ns");
    if (row->nsamples)
        stats_write(w, &row->kernel, row->samples);
    else
        json_null(w);
    parts_write(w, row);
    interval_write(w, "speedup_cpython", reference_row(rows, nrows, row, MODEL_BASELINE), row, prior);
    interval_write(w, "speedup_c", reference_row(rows, nrows, row, MODEL_CEILING), row, prior);
    rounds_write(w, row);
    json_key(w, "samples_ns");
    samples_write(w, row->samples, row->nsamples);
    json_key(w, "warmup_ns");
    samples_write(w, row->warmup, row->nwarmup);
    json_key(w, "first_call_ns");
    if (row->nwarmup)
        json_int(w, (int64_t)row->warmup[0]);
    else if (row->nsamples)
        json_int(w, (int64_t)row->samples[0]);
    else
        json_null(w);
    const results_field process[] = {
        {"wall_ns", (double)row->wall_ns, true},           {"cpu_ns", (double)(row->user_ns + row->sys_ns), true},
        {"user_ns", (double)row->user_ns, true},           {"sys_ns", (double)row->sys_ns, true},
        {"max_rss_kb", (double)row->max_rss_kb, true},     {"output_bytes", (double)row->output_bytes, true},
        {"input_bytes", (double)row->input_bytes, true}};
    if (row->wall_ns)
        results_object(w, "process", process, sizeof process / sizeof process[0]);
    else
        json_kv_str(w, "process", NULL);
    json_key(w, "build");
    if (st && st->build_tried && st->r->build) {
        json_obj_begin(w);
        json_kv_bool(w, "ok", st->build_ok);
        json_kv_bool(w, "cached", st->build_cached);
        json_kv_int(w, "wall_ns", st->build_ns);
        json_key(w, "last_wall_ns");
        if (st->build_last_ns > 0)
            json_int(w, st->build_last_ns);
        else
            json_null(w);
        json_kv_str(w, "product", st->r->product);
        json_key(w, "product_bytes");
        if (st->product_bytes >= 0)
            json_int(w, st->product_bytes);
        else
            json_null(w);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_obj_end(w);
}

void compute_results_write(json_writer *w, const results_meta *meta, const compute_settings *set,
                           const bench_row *rows, size_t nrows, const rung_state *states, size_t nstates)
{
    results_begin(w, meta, set->size);
    json_kv_int(w, "warmup", set->warmup);
    json_kv_int(w, "repeat", set->repeat);
    json_kv_num(w, "timeout_s", set->timeout_s);
    json_kv_int(w, "rounds", set->rounds > 1 ? set->rounds : 1);
    json_kv_num(w, "min_time_s", set->min_time_s);
    json_kv_int(w, "max_rounds", set->max_rounds > set->rounds ? set->max_rounds : set->rounds > 1 ? set->rounds : 1);
    json_kv_int(w, "seed", (int64_t)(set->seed & 0x1fffffffffffffULL)); /* exact in a JSON double */
    json_kv_num(w, "confidence", STATS_CONFIDENCE);
    json_kv_bool(w, "rebuild", set->rebuild);
    json_kv_str(w, "python", set->python);
    results_settings_end(w);
    if (set->noise) {
        json_key(w, "noise");
        noise_write(w, set->noise);
    }
    stats_prior prior;
    if (compute_speedup_prior(rows, nrows, &prior))
        memset(&prior, 0, sizeof prior); /* out of memory: each pair's own variance */
    if (prior.rows) {
        json_key(w, "speedup_prior");
        json_obj_begin(w);
        json_kv_num(w, "log_sd", sqrt(prior.var));
        json_key(w, "df");
        isinf(prior.df) ? json_null(w) : json_num(w, prior.df);
        json_kv_int(w, "pairs", (int64_t)prior.rows);
        json_obj_end(w);
    }
    results_rows_begin(w);
    for (size_t i = 0; i < nrows; i++)
        row_write(w, &rows[i], compute_state_of(states, nstates, rows[i].r), rows, nrows, &prior);
    results_end(w);
}

