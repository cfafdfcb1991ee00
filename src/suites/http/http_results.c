#include "suites/http/http_results.h"

#include <stdio.h>

void http_results_write(json_writer *w, const results_meta *meta, const char *size, const hb_opts *o,
                        const hb_row *rows, int nrows, const rung_state *states, size_t nstates)
{
    results_begin(w, meta);
    json_key(w, "settings");
    json_obj_begin(w);
    json_kv_str(w, "size", size);
    json_kv_int(w, "threads", o->threads);
    json_kv_int(w, "connections", o->connections);
    json_kv_num(w, "duration_s", o->duration_s);
    json_kv_int(w, "workers", o->workers);
    json_kv_int(w, "pipeline", o->pipeline);
    json_kv_bool(w, "pipeline_all", o->pipeline_all);
    json_kv_str(w, "server_cpus", o->server_cpus);
    json_kv_str(w, "client_cpus", o->client_cpus);
    json_obj_end(w);
    results_machine(w);
    json_key(w, "rows");
    json_arr_begin(w);
    for (int i = 0; i < nrows; i++) {
        const hb_row *r = &rows[i];
        const rung_state *st = NULL;
        for (size_t k = 0; k < nstates && !st; k++)
            st = states[k].r == r->contender ? &states[k] : NULL;
        json_obj_begin(w);
        char title[80];
        snprintf(title, sizeof title, "%s %s", r->endpoint->method, r->endpoint->path);
        results_head head = results_head_of(r->contender, "http", r->endpoint->id, title, size);
        head.status = r->status;
        head.failure = r->failure;
        head.reason = r->reason;
        head.verified = r->verified;
        head.version = st ? st->version : NULL;
        results_head_write(w, &head);
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
            json_kv_bool(w, "client_bound", r->client_bound);
            json_obj_end(w);
        } else {
            json_null(w);
        }
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}

