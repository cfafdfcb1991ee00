#include "suites/http/http_results.h"

#include <stdio.h>

void http_results_write(json_writer *w, const results_meta *meta, const char *size, const hb_opts *o,
                        const hb_row *rows, int nrows, const rung_state *states, size_t nstates)
{
    results_begin(w, meta, size);
    const results_field settings[] = {{"threads", o->threads, true},      {"connections", o->connections, true},
                                  {"duration_s", o->duration_s, false}, {"workers", o->workers, true},
                                  {"pipeline", o->pipeline, true}};
    results_fields(w, settings, sizeof settings / sizeof settings[0]);
    json_kv_bool(w, "pipeline_all", o->pipeline_all);
    json_kv_str(w, "server_cpus", o->server_cpus);
    json_kv_str(w, "client_cpus", o->client_cpus);
    results_settings_end(w);
    results_rows_begin(w);
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
            const results_field load[] = {{"requests_per_s", r->requests_per_s, false},
                                          {"requests", (double)r->requests, true},
                                          {"bytes", (double)r->bytes, true},
                                          {"duration_s", r->duration_s, false},
                                          {"pipeline", r->pipeline, true}};
            const results_field latency[] = {{"p50", r->p50_us, false}, {"p90", r->p90_us, false},
                                             {"p99", r->p99_us, false}, {"mean", r->mean_us, false},
                                             {"max", r->max_us, false}};
            const results_field errors[] = {{"connect", (double)r->err_connect, true},
                                            {"read", (double)r->err_read, true},
                                            {"write", (double)r->err_write, true},
                                            {"timeout", (double)r->err_timeout, true},
                                            {"non_2xx", (double)r->non_2xx, true}};
            json_obj_begin(w);
            results_fields(w, load, sizeof load / sizeof load[0]);
            results_object(w, "latency_us", latency, sizeof latency / sizeof latency[0]);
            results_object(w, "errors", errors, sizeof errors / sizeof errors[0]);
            json_kv_num(w, "client_cpu_pct", r->client_cpu_pct);
            json_kv_bool(w, "client_bound", r->client_bound);
            json_obj_end(w);
        } else {
            json_null(w);
        }
        json_obj_end(w);
    }
    results_end(w);
}

