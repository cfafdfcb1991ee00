#include "report/results.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness/machine.h"

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

static const rung_state *state_of(const rung_state *states, size_t n, const rung *r)
{
    for (size_t i = 0; i < n; i++)
        if (states[i].r == r)
            return &states[i];
    return NULL;
}

/* An empty string is written as null: the row has no such field. */
static void str_or_null(json_writer *w, const char *s)
{
    json_str(w, s && *s ? s : NULL);
}

/* The fields every row has, whatever its suite. */
typedef struct {
    const char *suite, *problem, *problem_title, *size, *failure, *reason, *version;
    const rung *r;
    row_status status;
    bool verified;
} row_head;

static void row_head_write(json_writer *w, const row_head *h)
{
    json_key(w, "suite");
    json_str(w, h->suite);
    json_key(w, "problem");
    json_str(w, h->problem);
    json_key(w, "problem_title");
    json_str(w, h->problem_title);
    json_key(w, "rung");
    json_str(w, h->r->name);
    json_key(w, "rung_title");
    json_str(w, h->r->title);
    json_key(w, "kind");
    json_str(w, h->r->kind);
    json_key(w, "costs");
    json_str(w, h->r->costs);
    json_key(w, "size");
    json_str(w, h->size);
    json_key(w, "status");
    json_str(w, bench_status_name(h->status));
    json_key(w, "failure");
    str_or_null(w, h->failure);
    json_key(w, "reason");
    str_or_null(w, h->reason);
    json_key(w, "verified");
    json_bool(w, h->verified);
    json_key(w, "version");
    str_or_null(w, h->version);
}

static void row_write(json_writer *w, const bench_row *row, const rung_state *st)
{
    json_obj_begin(w);
    row_head_write(w, &(row_head){.suite = row->prob->suite, .problem = row->prob->id,
                                   .problem_title = row->prob->title, .size = row->size, .failure = row->failure,
                                   .reason = row->reason, .version = st ? st->version : NULL, .r = row->r,
                                   .status = row->status, .verified = row->verified});
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

static void header_write(json_writer *w, const results_meta *meta)
{
    char when[64];
    time_t t = (time_t)meta->started_unix;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_key(w, "schema");
    json_str(w, RESULTS_SCHEMA);
    json_key(w, "ladder_version");
    json_str(w, meta->ladder_version);
    json_key(w, "started");
    json_str(w, when);
    json_key(w, "command");
    json_str(w, meta->command);
}

void results_write_http(json_writer *w, const results_meta *meta, const hb_opts *o, const hb_row *rows, int nrows,
                        const rung_state *states, size_t nstates)
{
    json_obj_begin(w);
    header_write(w, meta);
    json_key(w, "settings");
    json_obj_begin(w);
    json_key(w, "size");
    json_str(w, meta->size);
    json_kv_int(w, "threads", o->threads);
    json_kv_int(w, "connections", o->connections);
    json_kv_num(w, "duration_s", o->duration_s);
    json_kv_int(w, "workers", o->workers);
    json_kv_int(w, "pipeline", o->pipeline);
    json_key(w, "pipeline_all");
    json_bool(w, o->pipeline_all);
    json_key(w, "server_cpus");
    json_str(w, o->server_cpus);
    json_key(w, "client_cpus");
    json_str(w, o->client_cpus);
    json_obj_end(w);
    json_key(w, "machine");
    json_obj_begin(w);
    machine_write(w);
    json_obj_end(w);
    json_key(w, "rows");
    json_arr_begin(w);
    for (int i = 0; i < nrows; i++) {
        const hb_row *r = &rows[i];
        const rung_state *st = state_of(states, nstates, r->contender);
        json_obj_begin(w);
        char title[80];
        snprintf(title, sizeof title, "%s %s", r->endpoint->method, r->endpoint->path);
        row_head_write(w, &(row_head){.suite = "http", .problem = r->endpoint->id, .problem_title = title,
                                       .size = meta->size, .failure = r->failure, .reason = r->reason,
                                       .version = st ? st->version : NULL, .r = r->contender,
                                       .status = r->status, .verified = r->verified});
        json_key(w, "http");
        if (r->status == ROW_OK) {
            json_obj_begin(w);
            json_kv_num(w, "requests_per_s", r->requests_per_s);
            json_kv_int(w, "requests", r->requests);
            json_kv_int(w, "bytes", r->bytes);
            json_kv_num(w, "duration_s", r->duration_s);
            json_kv_int(w, "pipeline", r->pipeline);
            json_key(w, "latency_us");
            json_obj_begin(w);
            json_kv_num(w, "p50", r->p50_us);
            json_kv_num(w, "p90", r->p90_us);
            json_kv_num(w, "p99", r->p99_us);
            json_kv_num(w, "mean", r->mean_us);
            json_kv_num(w, "max", r->max_us);
            json_obj_end(w);
            json_key(w, "errors");
            json_obj_begin(w);
            json_kv_int(w, "connect", r->err_connect);
            json_kv_int(w, "read", r->err_read);
            json_kv_int(w, "write", r->err_write);
            json_kv_int(w, "timeout", r->err_timeout);
            json_kv_int(w, "non_2xx", r->non_2xx);
            json_obj_end(w);
            json_kv_num(w, "client_cpu_pct", r->client_cpu_pct);
            json_key(w, "client_bound");
            json_bool(w, r->client_bound);
            json_obj_end(w);
        } else {
            json_null(w);
        }
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}

void results_write(json_writer *w, const results_meta *meta, const bench_row *rows, size_t nrows,
                   const rung_state *states, size_t nstates)
{
    json_obj_begin(w);
    header_write(w, meta);
    json_key(w, "settings");
    json_obj_begin(w);
    json_key(w, "size");
    json_str(w, meta->size);
    json_key(w, "warmup");
    json_int(w, meta->warmup);
    json_key(w, "repeat");
    json_int(w, meta->repeat);
    json_key(w, "timeout_s");
    json_num(w, meta->timeout_s);
    json_obj_end(w);
    json_key(w, "machine");
    json_obj_begin(w);
    machine_write(w);
    json_obj_end(w);
    json_key(w, "rows");
    json_arr_begin(w);
    for (size_t i = 0; i < nrows; i++)
        row_write(w, &rows[i], state_of(states, nstates, rows[i].r));
    json_arr_end(w);
    json_obj_end(w);
}

int results_check(const json_value *root, char *err, size_t cap)
{
    const char *schema = json_get_str(json_obj_get(root, "schema"), NULL);
    if (json_get_type(root) != JSON_OBJECT || !schema) {
        snprintf(err, cap, "not a ladder results document (no \"schema\")");
        return -1;
    }
    if (strcmp(schema, RESULTS_SCHEMA)) {
        snprintf(err, cap, "unsupported results schema \"%s\" (this ladder reads %s)", schema, RESULTS_SCHEMA);
        return -1;
    }
    const json_value *rows = json_obj_get(root, "rows");
    if (json_get_type(rows) != JSON_ARRAY) {
        snprintf(err, cap, "results document has no \"rows\" array");
        return -1;
    }
    for (size_t i = 0; i < json_arr_len(rows); i++) {
        const json_value *r = json_arr_get(rows, i);
        static const char *const need[] = {"problem", "rung", "status", "size"};
        for (size_t k = 0; k < 4; k++)
            if (!json_get_str(json_obj_get(r, need[k]), NULL)) {
                snprintf(err, cap, "row %zu has no string \"%s\"", i, need[k]);
                return -1;
            }
    }
    return 0;
}
