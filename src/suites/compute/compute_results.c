#include "suites/compute/compute_results.h"

#include <stdio.h>
#include <string.h>

static void stats_write(json_writer *w, const stats_summary *s)
{
    const results_field f[] = {{"n", (double)s->n, true},   {"median", s->median, false},
                               {"mad", s->mad, false},       {"min", s->min, false},
                               {"max", s->max, false},       {"mean", s->mean, false},
                               {"rel_spread", s->rel_spread, false}, {"outliers", (double)s->outliers, true}};
    json_obj_begin(w);
    results_fields(w, f, sizeof f / sizeof f[0]);
    json_kv_bool(w, "noisy", s->noisy);
    json_obj_end(w);
}

static void samples_write(json_writer *w, const double *v, size_t n)
{
    json_arr_begin(w);
    for (size_t i = 0; i < n; i++)
        json_int(w, (int64_t)v[i]);
    json_arr_end(w);
}

const rung_state *compute_state_of(const rung_state *states, size_t n, const rung *r)
{
    for (size_t i = 0; i < n; i++)
        if (states[i].r == r)
            return &states[i];
    return NULL;
}

static void row_write(json_writer *w, const bench_row *row, const rung_state *st)
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
    json_key(w, "kernel_ns");
    if (row->nsamples)
        stats_write(w, &row->kernel);
    else
        json_null(w);
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
    results_rows_begin(w);
    for (size_t i = 0; i < nrows; i++)
        row_write(w, &rows[i], compute_state_of(states, nstates, rows[i].r));
    results_end(w);
}

