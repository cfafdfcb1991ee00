#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/machine.h"
#include "harness/stats.h"
#include "lifecycle/lifecycle.h"
#include "report/results.h"

/* An empty string is written as null: the row has no such field. */
static void str_key(json_writer *w, const char *k, const char *v)
{
    json_key(w, k);
    json_str(w, v && *v ? v : NULL);
}

/* Rounded to the nanosecond so the document stays readable. */
static double round_ms(double v)
{
    return (double)(long long)(v * 1e6 + (v >= 0 ? 0.5 : -0.5)) / 1e6;
}

static double median_of(const double *v, size_t n)
{
    double *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy || n == 0) {
        free(copy);
        return 0;
    }
    memcpy(copy, v, n * sizeof *copy);
    double m = stats_median(copy, n);
    free(copy);
    return m;
}

static void row_write(json_writer *w, const lifecycle_run *run, const lifecycle_row *r)
{
    json_obj_begin(w);
    str_key(w, "suite", "lifecycle");
    str_key(w, "problem", r->endpoint->id);
    str_key(w, "problem_title", r->endpoint->title);
    str_key(w, "rung", r->contender);
    str_key(w, "rung_title", r->contender_title);
    str_key(w, "kind", r->kind);
    str_key(w, "costs", r->costs);
    str_key(w, "size", r->db);
    str_key(w, "status", r->status == LC_OK ? "ok" : r->status == LC_FAILED ? "failed" : "skipped");
    str_key(w, "failure", r->failure);
    str_key(w, "reason", r->reason);
    json_key(w, "verified");
    json_bool(w, r->verified);
    str_key(w, "version", r->version);
    json_key(w, "lifecycle");
    json_obj_begin(w);
    str_key(w, "db", r->db);
    json_kv_num(w, "rtt_ms", r->rtt_ms);
    str_key(w, "rtt_label", r->rtt_label);
    str_key(w, "network_mode", run->network_mode);
    str_key(w, "path", r->endpoint->path);
    if (r->status == LC_OK) {
        json_key(w, "requests");
        json_int(w, (int64_t)r->s.n);
        json_key(w, "queries");
        json_int(w, r->s.queries);
        json_key(w, "bytes");
        json_int(w, (int64_t)r->s.bytes);
        json_key(w, "median_ms");
        json_obj_begin(w);
        double med[LC_NSERIES];
        for (int k = 0; k < LC_NSERIES; k++) {
            med[k] = median_of(r->s.v[k], r->s.n);
            json_kv_num(w, lifecycle_series_names[k], round_ms(med[k]));
        }
        json_obj_end(w);
        json_kv_num(w, "what_if_ms", round_ms(med[LC_TOTAL] + r->rtt_ms));
        json_key(w, "samples_ms");
        json_obj_begin(w);
        for (int k = 0; k < LC_NSERIES; k++) {
            json_key(w, lifecycle_series_names[k]);
            json_arr_begin(w);
            for (size_t i = 0; i < r->s.n; i++)
                json_num(w, round_ms(r->s.v[k][i]));
            json_arr_end(w);
        }
        json_obj_end(w);
    }
    json_obj_end(w);
    json_obj_end(w);
}

void lifecycle_results_write(json_writer *w, const lifecycle_run *run)
{
    char when[64];
    time_t t = (time_t)run->started_unix;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_obj_begin(w);
    str_key(w, "schema", RESULTS_SCHEMA);
    str_key(w, "ladder_version", run->ladder_version);
    str_key(w, "started", when);
    str_key(w, "command", run->command);
    json_key(w, "settings");
    json_obj_begin(w);
    str_key(w, "size", "lifecycle");
    json_key(w, "warmup");
    json_int(w, run->warmup);
    json_key(w, "repeat");
    json_int(w, run->requests);
    json_key(w, "workers");
    json_int(w, run->workers);
    str_key(w, "network_mode", run->network_mode);
    str_key(w, "network_detail", run->network_detail);
    str_key(w, "verify_detail", run->verify_detail);
    json_key(w, "rtts");
    json_arr_begin(w);
    for (int i = 0; i < run->nrtts; i++) {
        json_obj_begin(w);
        json_kv_num(w, "ms", run->rtts[i]);
        str_key(w, "label", run->rtt_labels[i]);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "endpoints");
    json_arr_begin(w);
    for (int i = 0; i < LIFECYCLE_NENDPOINTS; i++) {
        json_obj_begin(w);
        str_key(w, "id", lifecycle_endpoints[i].id);
        str_key(w, "title", lifecycle_endpoints[i].title);
        str_key(w, "path", lifecycle_endpoints[i].path);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
    json_key(w, "machine");
    json_obj_begin(w);
    machine_write(w);
    json_obj_end(w);
    json_key(w, "rows");
    json_arr_begin(w);
    for (size_t i = 0; i < run->nrows; i++)
        row_write(w, run, &run->rows[i]);
    json_arr_end(w);
    json_obj_end(w);
}
