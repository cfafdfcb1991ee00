#include "core/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/machine.h"
#include "core/strbuf.h"

static void str_kv(json_writer *w, const char *k, const char *v)
{
    json_key(w, k);
    json_str(w, v && *v ? v : NULL);
}

void results_fields(json_writer *w, const results_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i].integer)
            json_kv_int(w, f[i].key, (int64_t)f[i].value);
        else
            json_kv_num(w, f[i].key, f[i].value);
    }
}

void results_object(json_writer *w, const char *key, const results_field *f, size_t n)
{
    json_key(w, key);
    json_obj_begin(w);
    results_fields(w, f, n);
    json_obj_end(w);
}

void results_begin(json_writer *w, const results_meta *meta, const char *size)
{
    char when[64];
    time_t t = (time_t)meta->started_unix;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_obj_begin(w);
    str_kv(w, "schema", RESULTS_SCHEMA);
    str_kv(w, "ladder_version", meta->ladder_version);
    str_kv(w, "started", when);
    str_kv(w, "command", meta->command);
    json_key(w, "settings");
    json_obj_begin(w);
    str_kv(w, "size", size);
}

void results_settings_end(json_writer *w)
{
    json_obj_end(w);
    json_key(w, "machine");
    json_obj_begin(w);
    machine_write(w);
    json_obj_end(w);
}

void results_rows_begin(json_writer *w)
{
    json_key(w, "rows");
    json_arr_begin(w);
}

void results_end(json_writer *w)
{
    json_arr_end(w);
    json_obj_end(w);
}

void results_head_write(json_writer *w, const results_head *h)
{
    str_kv(w, "suite", h->suite);
    str_kv(w, "problem", h->problem);
    str_kv(w, "problem_title", h->problem_title);
    str_kv(w, "rung", h->rung);
    str_kv(w, "rung_title", h->rung_title);
    str_kv(w, "kind", h->kind);
    str_kv(w, "costs", h->costs);
    str_kv(w, "size", h->size);
    str_kv(w, "status", bench_status_name(h->status));
    str_kv(w, "failure", h->failure);
    str_kv(w, "reason", h->reason);
    json_kv_bool(w, "verified", h->verified);
    str_kv(w, "version", h->version);
}

results_head results_head_of(const rung *r, const char *suite, const char *problem_id, const char *problem_title,
                                 const char *size)
{
    return (results_head){.suite = suite, .problem = problem_id, .problem_title = problem_title,
                              .rung = r->name, .rung_title = r->title, .kind = r->kind, .costs = r->costs,
                              .size = size};
}

char *results_command_line(const char *prefix, int argc, char **argv)
{
    strbuf b;
    strbuf_init(&b);
    strbuf_append(&b, prefix);
    for (int i = 0; i < argc; i++)
        strbuf_appendf(&b, " %s", argv[i]);
    return strbuf_take(&b);
}

static int check_row(const json_value *r, size_t i, char *err, size_t cap)
{
    if (json_get_type(r) != JSON_OBJECT) {
        snprintf(err, cap, "row %zu is not an object", i);
        return -1;
    }
    static const char *const need[] = {"problem", "rung", "status", "size"};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
        if (!json_get_str(json_obj_get(r, need[k]), NULL)) {
            snprintf(err, cap, "row %zu has no string \"%s\"", i, need[k]);
            return -1;
        }
    const char *status = json_get_str(json_obj_get(r, "status"), NULL);
    if (strcmp(status, "ok") && strcmp(status, "failed") && strcmp(status, "skipped")) {
        snprintf(err, cap, "row %zu: status \"%.40s\" is not ok, failed or skipped", i, status);
        return -1;
    }
    static const char *const opt_str[] = {"suite", "problem_title", "rung_title", "costs", "failure", "reason"};
    for (size_t k = 0; k < sizeof opt_str / sizeof opt_str[0]; k++) {
        json_type t = json_get_type(json_obj_get(r, opt_str[k]));
        if (t != JSON_STRING && t != JSON_NULL && json_obj_get(r, opt_str[k])) {
            snprintf(err, cap, "row %zu: \"%s\" is neither a string nor null", i, opt_str[k]);
            return -1;
        }
    }
    const json_value *v = json_obj_get(r, "verified");
    if (v && json_get_type(v) != JSON_TRUE && json_get_type(v) != JSON_FALSE) {
        snprintf(err, cap, "row %zu: \"verified\" is not a boolean", i);
        return -1;
    }
    return 0;
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
    for (size_t i = 0; i < json_arr_len(rows); i++)
        if (check_row(json_arr_get(rows, i), i, err, cap))
            return -1;
    return 0;
}
