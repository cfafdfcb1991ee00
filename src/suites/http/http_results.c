#include "suites/http/http_results.h"

#include <stdio.h>

static const char *const PCT_KEYS[HB_NPCT] = {"p50", "p90", "p99", "p99_9", "max"};

/* One measurement's figures: a round's, or the medians over the rounds. */
static void write_measure(json_writer *w, const hb_rate *x)
{
    json_kv_bool(w, "ok", x->ok);
    json_kv_str(w, "reason", x->reason);
    const results_field f[] = {{"achieved_rps", x->achieved_rps, false}, {"requests", (double)x->requests, true},
                               {"errors", (double)x->errors, true},          {"non_2xx", (double)x->non_2xx, true},
                               {"server_cpu_s", x->server_cpu_s, false},
                               {"client_cpu_pct", x->client_cpu_pct, false}};
    results_fields(w, f, sizeof f / sizeof f[0]);
    json_kv_bool(w, "client_bound", x->client_bound);
    const results_field lat[HB_NPCT] = {{PCT_KEYS[0], x->p50_us, false}, {PCT_KEYS[1], x->p90_us, false},
                                        {PCT_KEYS[2], x->p99_us, false}, {PCT_KEYS[3], x->p999_us, false},
                                        {PCT_KEYS[4], x->max_us, false}};
    results_object(w, "latency_us", lat, HB_NPCT);
}

/* Per offered rate: the medians over the rounds (latency_us), their min-max (range_us: each
 * percentile's [min, max] over the ok rounds) and every round's own figures with its place in
 * that round's shuffled order. */
static void write_rates(json_writer *w, const hb_row *r)
{
    json_key(w, "latency_sweep");
    if (!r->nrates) {
        json_null(w);
        return;
    }
    json_arr_begin(w);
    for (int i = 0; i < r->nrates; i++) {
        const hb_rate *x = &r->rates[i];
        json_obj_begin(w);
        json_kv_num(w, "offered_rps", x->offered_rps);
        json_key(w, "of_max");
        if (x->fraction > 0)
            json_num(w, x->fraction);
        else
            json_null(w);
        write_measure(w, x);
        json_kv_int(w, "rounds", x->rounds);
        json_kv_int(w, "rounds_ok", x->rounds_ok);
        json_key(w, "range_us");
        json_obj_begin(w);
        for (int k = 0; k < HB_NPCT; k++) {
            json_key(w, PCT_KEYS[k]);
            json_arr_begin(w);
            json_num(w, x->lo_us[k]);
            json_num(w, x->hi_us[k]);
            json_arr_end(w);
        }
        json_obj_end(w);
        json_key(w, "per_round");
        json_arr_begin(w);
        for (int k = 0; k < r->nrounds && k < HB_MAX_ROUNDS; k++) {
            const hb_rate *m = &r->round_rates[i][k];
            json_obj_begin(w);
            json_kv_int(w, "round", m->round + 1);
            json_kv_int(w, "position", m->position);
            json_kv_num(w, "load1", m->load1);
            write_measure(w, m);
            json_obj_end(w);
        }
        json_arr_end(w);
        json_obj_end(w);
    }
    json_arr_end(w);
}

void http_results_write(json_writer *w, const results_meta *meta, const char *size, const hb_opts *o,
                        const int *workers, int nworkers, const hb_row *rows, int nrows, const rung_state *states,
                        size_t nstates)
{
    results_begin(w, meta, size);
    const results_field settings[] = {{"threads", o->threads, true},
                                      {"connections", o->connections, true},
                                      {"duration_s", o->duration_s, false},
                                      {"pipeline", o->pipeline, true},
                                      {"server_ncpus", o->server_ncpus, true}};
    results_fields(w, settings, sizeof settings / sizeof settings[0]);
    json_key(w, "workers");
    json_arr_begin(w);
    for (int i = 0; i < nworkers; i++)
        json_int(w, workers[i]);
    json_arr_end(w);
    json_key(w, "latency");
    if (o->oha) {
        json_obj_begin(w);
        json_kv_str(w, "tool", "oha --latency-correction");
        json_kv_str(w, "order", "interleaved: every server up at once, each round every (contender, endpoint, "
                                "rate) once in a shuffled order");
        json_key(w, "of_max");
        json_arr_begin(w);
        for (int i = 0; i < o->nfractions; i++)
            json_num(w, o->fractions[i]);
        json_arr_end(w);
        json_key(w, "common_rates");
        json_arr_begin(w);
        for (int i = 0; i < o->ncommon; i++)
            json_num(w, o->common_rates[i]);
        json_arr_end(w);
        const results_field l[] = {{"duration_s", o->rate_duration_s, false},
                                   {"connections", o->rate_connections, true},
                                   {"rounds", o->rounds, true},
                                   {"seed", (double)o->seed, true}};
        results_fields(w, l, sizeof l / sizeof l[0]);
        json_obj_end(w);
    } else {
        json_null(w);
    }
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
        json_kv_int(w, "workers", r->workers);
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
            json_key(w, "server");
            if (r->server_measured) {
                const results_field srv[] = {{"cpu_s", r->server_cpu_s, false},
                                             {"cpu_pct", r->server_cpu_pct, false},
                                             {"requests_per_cpu_s", r->requests_per_cpu_s, false},
                                             {"peak_rss_kb", (double)r->peak_rss_kb, true},
                                             {"procs", r->server_procs, true}};
                json_obj_begin(w);
                results_fields(w, srv, sizeof srv / sizeof srv[0]);
                json_obj_end(w);
            } else {
                json_null(w);
            }
            write_rates(w, r);
            json_obj_end(w);
        } else {
            json_null(w);
        }
        json_obj_end(w);
    }
    results_end(w);
}

