/* Reads each file with the DOM reader and walks it with the on-demand reader, N times each, and
 * prints MB/s (best, median, spread). Both readers fold every value into one digest, so the two
 * must agree on every number's bits and every string's bytes; a disagreement exits 1. With
 * --reps 1 it is the quick check ctest runs on the standard files; under callgrind it is the
 * repeatable instruction count. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "json/json.h"
#include "json/json_ondemand.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    uint64_t h;
} bench_digest;

static void bench_mix(bench_digest *d, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        d->h = (d->h ^ b[i]) * UINT64_C(0x100000001b3);
}

static void bench_tag(bench_digest *d, unsigned char tag)
{
    bench_mix(d, &tag, 1);
}

static void bench_dom(const json_value *v, bench_digest *d)
{
    size_t len;
    switch (json_get_type(v)) {
    case JSON_NULL: bench_tag(d, 'n'); break;
    case JSON_FALSE: bench_tag(d, 'f'); break;
    case JSON_TRUE: bench_tag(d, 't'); break;
    case JSON_NUMBER: {
        double x = json_get_num(v);
        bench_tag(d, 'd');
        bench_mix(d, &x, sizeof x);
        break;
    }
    case JSON_STRING: {
        const char *s = json_get_str(v, &len);
        bench_tag(d, 's');
        bench_mix(d, s, len);
        break;
    }
    case JSON_ARRAY:
        bench_tag(d, '[');
        for (size_t i = 0; i < json_arr_len(v); i++)
            bench_dom(json_arr_get(v, i), d);
        bench_tag(d, ']');
        break;
    case JSON_OBJECT:
        bench_tag(d, '{');
        for (size_t i = 0; i < json_obj_len(v); i++) {
            const char *k = json_obj_key_at(v, i, &len);
            bench_tag(d, 's');
            bench_mix(d, k, len);
            bench_dom(json_obj_val_at(v, i), d);
        }
        bench_tag(d, '}');
        break;
    }
}

static bool bench_od(json_od *od, bench_digest *d)
{
    json_od_string s;
    json_od_number n;
    json_type t;
    switch (json_od_peek(od)) {
    case JSON_OBJECT:
        if (!json_od_obj_begin(od))
            return false;
        if (d)
            bench_tag(d, '{');
        for (size_t i = 0; json_od_obj_next(od, i, &s); i++) {
            if (d) {
                bench_tag(d, 's');
                bench_mix(d, s.ptr, s.len);
            }
            if (!bench_od(od, d))
                return false;
        }
        if (d)
            bench_tag(d, '}');
        return !json_od_failed(od);
    case JSON_ARRAY:
        if (!json_od_arr_begin(od))
            return false;
        if (d)
            bench_tag(d, '[');
        for (size_t i = 0; json_od_arr_next(od, i); i++)
            if (!bench_od(od, d))
                return false;
        if (d)
            bench_tag(d, ']');
        return !json_od_failed(od);
    case JSON_STRING:
        if (!json_od_str(od, &s))
            return false;
        if (d) {
            bench_tag(d, 's');
            bench_mix(d, s.ptr, s.len);
        }
        return true;
    case JSON_NUMBER:
        if (!json_od_num(od, &n))
            return false;
        if (d) {
            bench_tag(d, 'd');
            bench_mix(d, &n.num, sizeof n.num);
        }
        return true;
    default:
        if (!json_od_lit(od, &t))
            return false;
        if (d)
            bench_tag(d, t == JSON_NULL ? 'n' : t == JSON_TRUE ? 't' : 'f');
        return true;
    }
}

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bench_report(const char *file, const char *what, size_t bytes, double *t, int reps)
{
    qsort(t, (size_t)reps, sizeof *t, bench_cmp);
    double mb = (double)bytes / 1e6;
    printf("%-22s %-9s best %8.1f MB/s  median %8.1f MB/s  [%.1f .. %.1f]  n=%d\n", file, what,
           mb / t[0], mb / t[reps / 2], mb / t[reps - 1 - reps / 4], mb / t[reps / 4], reps);
}

int main(int argc, char **argv)
{
    int reps = 7, argi = 1;
    const char *mode = "both";
    bool bare = false; /* no digest pass: under callgrind the count is the readers' alone */
    for (; argi < argc && argv[argi][0] == '-'; argi++) {
        if (!strcmp(argv[argi], "--reps") && argi + 1 < argc)
            reps = atoi(argv[++argi]);
        else if (!strcmp(argv[argi], "--bare"))
            bare = true;
        else if (!strcmp(argv[argi], "--mode") && argi + 1 < argc)
            mode = argv[++argi];
        else {
            fprintf(stderr, "usage: json_bench [--reps N] [--bare] [--mode dom|od|both|none] FILE...\n");
            return 2;
        }
    }
    if (reps < 1 || argi >= argc) {
        fprintf(stderr, "usage: json_bench [--reps N] [--bare] [--mode dom|od|both|none] FILE...\n");
        return 2;
    }
    bool both = !strcmp(mode, "both");
    bool dom = both || !strcmp(mode, "dom"), od_on = both || !strcmp(mode, "od");
    double *t = malloc(sizeof *t * (size_t)reps);
    int status = 0;
    json_od od;
    json_od_init(&od, 0);
    for (; argi < argc; argi++) {
        const char *path = argv[argi], *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        FILE *f = fopen(path, "rb");
        if (!f || !t) {
            fprintf(stderr, "json_bench: cannot open %s\n", path);
            return 1;
        }
        fseek(f, 0, SEEK_END);
        size_t n = (size_t)ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = malloc(n + 1);
        if (!buf || fread(buf, 1, n, f) != n) {
            fprintf(stderr, "json_bench: cannot read %s\n", path);
            return 1;
        }
        fclose(f);
        bench_digest dd = {UINT64_C(0xcbf29ce484222325)}, od_d = dd;
        if (dom) {
            json_error err;
            json_doc *doc = bare ? NULL : json_read(buf, n, NULL, &err);
            if (!bare && !doc) {
                fprintf(stderr, "json_bench: %s: %s\n", path, err.msg);
                return 1;
            }
            if (!bare)
                bench_dom(json_doc_root(doc), &dd);
            for (int r = 0; r < reps; r++) {
                double t0 = bench_now();
                json_read_opts o = {.reuse = doc};
                doc = json_read(buf, n, &o, NULL);
                t[r] = bench_now() - t0;
                if (!doc)
                    return 1;
            }
            json_doc_free(doc);
            bench_report(base, "dom", n, t, reps);
        }
        if (od_on) {
            json_od_reset(&od, buf, n);
            if (!bare && (!bench_od(&od, &od_d) || !json_od_finish(&od))) {
                json_error err;
                json_od_error(&od, &err);
                fprintf(stderr, "json_bench: %s: %s\n", path, err.msg);
                return 1;
            }
            for (int r = 0; r < reps; r++) {
                double t0 = bench_now();
                json_od_reset(&od, buf, n);
                bool ok = bench_od(&od, NULL) && json_od_finish(&od);
                t[r] = bench_now() - t0;
                if (!ok)
                    return 1;
            }
            bench_report(base, "ondemand", n, t, reps);
        }
        if (dom && od_on && dd.h != od_d.h) {
            fprintf(stderr, "json_bench: %s: the DOM and on-demand readers disagree\n", path);
            status = 1;
        }
        free(buf);
    }
    json_od_free(&od);
    free(t);
    return status;
}
