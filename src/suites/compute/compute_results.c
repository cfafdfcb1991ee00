#include "suites/compute/compute_results.h"

#include <stdio.h>
#include <string.h>

static void stats_write(json_writer *w, const stats_summary *s)
{
    json_obj_begin(w);
    json_key(w, "n");
    json_int(w, (int64_t)s->n);
    json_key(w, "median");
    json_num(w, s->median);
    json_key(w, "mad");
    json_num(w, s->mad);
    json_key(w, "min");
    json_num(w, s->min);
    json_key(w, "max");
    json_num(w, s->max);
    json_key(w, "mean");
    json_num(w, s->mean);
    json_key(w, "rel_spread");
    json_num(w, s->rel_spread);
    json_key(w, "outliers");
    json_int(w, (int64_t)s->outliers);
    json_key(w, "noisy");
    json_bool(w, s->noisy);
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
    json_key(w, "n");
    json_int(w, row->n);
    json_key(w, "threads");
    json_int(w, row->threads);
    json_key(w, "jit");
    json_bool(w, row->r->jit);
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
    json_key(w, "process");
    if (row->wall_ns) {
        json_obj_begin(w);
        json_key(w, "wall_ns");
        json_int(w, row->wall_ns);
        json_key(w, "cpu_ns");
        json_int(w, row->user_ns + row->sys_ns);
        json_key(w, "user_ns");
        json_int(w, row->user_ns);
        json_key(w, "sys_ns");
        json_int(w, row->sys_ns);
        json_key(w, "max_rss_kb");
        json_int(w, row->max_rss_kb);
        json_key(w, "output_bytes");
        json_int(w, (int64_t)row->output_bytes);
        json_key(w, "input_bytes");
        json_int(w, row->input_bytes);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_key(w, "build");
    if (st && st->build_tried && st->r->build) {
        json_obj_begin(w);
        json_key(w, "ok");
        json_bool(w, st->build_ok);
        json_key(w, "cached");
        json_bool(w, st->build_cached);
        json_key(w, "wall_ns");
        json_int(w, st->build_ns);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_obj_end(w);
}

void compute_results_write(json_writer *w, const results_meta *meta, const compute_settings *set,
                           const bench_row *rows, size_t nrows, const rung_state *states, size_t nstates)
{
    results_begin(w, meta);
    json_key(w, "settings");
    json_obj_begin(w);
    json_key(w, "size");
    json_str(w, set->size);
    json_key(w, "warmup");
    json_int(w, set->warmup);
    json_key(w, "repeat");
    json_int(w, set->repeat);
    json_key(w, "timeout_s");
    json_num(w, set->timeout_s);
    json_obj_end(w);
    results_machine(w);
    json_key(w, "rows");
    json_arr_begin(w);
    for (size_t i = 0; i < nrows; i++)
        row_write(w, &rows[i], compute_state_of(states, nstates, rows[i].r));
    json_arr_end(w);
    json_obj_end(w);
}

