#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "suites/lifecycle/lifecycle.h"
#include "core/results.h"

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
    results_head_write(w, &(results_head){.suite = "lifecycle", .problem = r->endpoint->id,
                                            .problem_title = r->endpoint->title, .rung = r->contender,
                                            .rung_title = r->contender_title, .kind = r->kind, .costs = r->costs,
                                            .size = r->db, .status = r->status, .failure = r->failure,
                                            .reason = r->reason, .verified = r->verified, .version = r->version});
    json_key(w, "lifecycle");
    json_obj_begin(w);
    str_key(w, "db", r->db);
    json_kv_num(w, "rtt_ms", r->rtt_ms);
    str_key(w, "rtt_label", r->rtt_label);
    str_key(w, "network_mode", run->network_mode);
    str_key(w, "path", r->endpoint->path);
    if (r->status == ROW_OK) {
        json_kv_int(w, "requests", (int64_t)r->s.n);
        json_kv_int(w, "queries", r->s.queries);
        json_kv_int(w, "bytes", (int64_t)r->s.bytes);
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
    results_begin(w, &(results_meta){.command = run->command, .started_unix = run->started_unix,
                                      .ladder_version = run->ladder_version}, "lifecycle");
    const results_field counts[] = {{"warmup", run->warmup, true}, {"repeat", run->requests, true},
                                    {"workers", run->workers, true}};
    results_fields(w, counts, sizeof counts / sizeof counts[0]);
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
    results_settings_end(w);
    results_rows_begin(w);
    for (size_t i = 0; i < run->nrows; i++)
        row_write(w, run, &run->rows[i]);
    results_end(w);
}

const char *lifecycle_short_name(const char *name)
{
    return !strncmp(name, "catalog-", 8) ? name + 8 : name;
}
