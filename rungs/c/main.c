/* The C rung: ladder's kernels behind the rung protocol. Usage: PROGRAM PROBLEM N, with
 * LADDER_THREADS (default 1, 0 = every online CPU) for the problems that use threads and
 * LADDER_SIMD (scalar, sse2, avx2 or avx512; default: the best this CPU has) to cap the kernels'
 * SIMD dispatch. The level a kernel ran at goes to the timing descriptor as "simd LEVEL".
 * LADDER_BT_ALLOC picks binary-trees' allocator: apr (the default), malloc, or arena (outside
 * the Benchmarks Game's rules: the c-arena rung). LADDER_PIPELINE_FAST=0 runs the pipeline
 * without its fast path for json.dumps' byte layout (the c-general rung). */
#include "json/json.h"
#include "json/json_ondemand.h"
#include "kernels/kernels.h"
#include "pipeline/pipeline.h"
#include "ladder_rung.h"
#include "../_shared/corpus/corpus.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    long n;
    int threads;
    kern_nbody_result nbody;
    double norm;
    kern_fannkuch_result fannkuch;
    uint8_t *bits;
    kern_bt_result *trees;
    kern_bt_alloc bt_alloc; /* LADDER_BT_ALLOC: apr (default where built), malloc or arena */
    char *input; /* pipeline, json-parse: the bytes of $LADDER_INPUT, read before timing */
    size_t input_len;
    pipeline *pl;
    json_doc *doc; /* json-parse: the last iteration's document */
    bool ondemand;  /* json-parse with LADDER_JSON_READER=ondemand: the on-demand reader's walk */
    bool general;   /* pipeline with LADDER_PIPELINE_FAST=0: the general reader for every event */
    json_od od;
    struct value_counts *counts; /* the walk's counts */
    corpus_file files[CORPUS_MAX_FILES]; /* json-corpus: the bundle's files, pointing into input */
    int nfiles;
    json_doc *docs[CORPUS_MAX_FILES];    /* json-corpus with the DOM reader: each file's document */
    corpus_digest digests[CORPUS_MAX_FILES];
    corpus_sum sums[CORPUS_MAX_FILES];
    ladder_rung_parts parts; /* json-corpus: each file's time in the iteration */
    char pipe_err[512];
} run_ctx;

typedef struct {
    const char *name;
    long min_n, max_n;
    int threaded;
    ladder_rung_fn run;
    int (*format)(const run_ctx *c, FILE *f);
    kern_simd (*simd)(void); /* the level the kernel runs at; NULL: no SIMD dispatch */
} problem;

static int run_nbody(void *p)
{
    run_ctx *c = p;
    return kern_nbody(c->n, &c->nbody);
}

static int fmt_nbody(const run_ctx *c, FILE *f)
{
    return kern_nbody_format(&c->nbody, f);
}

static int run_spectral(void *p)
{
    run_ctx *c = p;
    return kern_spectral_norm((int)c->n, c->threads, &c->norm);
}

static int fmt_spectral(const run_ctx *c, FILE *f)
{
    return kern_spectral_norm_format(c->norm, f);
}

static int run_fannkuch(void *p)
{
    run_ctx *c = p;
    return kern_fannkuch((int)c->n, c->threads, &c->fannkuch);
}

static int fmt_fannkuch(const run_ctx *c, FILE *f)
{
    return kern_fannkuch_format(&c->fannkuch, f);
}

static int run_mandelbrot(void *p)
{
    run_ctx *c = p;
    if (!c->bits && !(c->bits = malloc(kern_mandelbrot_size((int)c->n))))
        return -ENOMEM;
    return kern_mandelbrot((int)c->n, c->threads, c->bits);
}

static int fmt_mandelbrot(const run_ctx *c, FILE *f)
{
    return kern_mandelbrot_format((int)c->n, c->bits, f);
}

static int run_trees(void *p)
{
    run_ctx *c = p;
    if (!c->trees && !(c->trees = malloc(sizeof *c->trees)))
        return -ENOMEM;
    return kern_binary_trees_with((int)c->n, c->threads, c->bt_alloc, c->trees);
}

static int fmt_trees(const run_ctx *c, FILE *f)
{
    return kern_binary_trees_format(c->trees, f);
}

static int run_pipeline(void *p)
{
    run_ctx *c = p;
    pipeline_error e;
    if (pipeline_run(c->pl, c->input, c->input_len, &e) == 0)
        return 0;
    pipeline_error_format(&e, getenv("LADDER_INPUT"), c->pipe_err, sizeof c->pipe_err);
    return -EINVAL;
}

static int fmt_pipeline(const run_ctx *c, FILE *f)
{
    size_t n;
    const char *text = pipeline_summary(c->pl, &n);
    return fwrite(text, 1, n, f) == n ? 0 : -EIO;
}

/* json-parse: the strict DOM reader from bytes in memory to a document. Each iteration builds
 * its document in the previous one's memory (json_read_opts.reuse), as the simdjson rung reuses
 * its dom::parser: what is timed is parsing, not the kernel handing out fresh pages. */
static int run_json_walk(run_ctx *c);

static int run_json_parse(void *p)
{
    run_ctx *c = p;
    if (c->ondemand)
        return run_json_walk(c);
    json_error e;
    json_read_opts opts = {.reuse = c->doc};
    c->doc = json_read(c->input, c->input_len, &opts, &e);
    if (c->doc)
        return 0;
    json_error_format(&e, getenv("LADDER_INPUT"), c->pipe_err, sizeof c->pipe_err);
    return -EINVAL;
}

typedef struct value_counts {
    uint64_t objects, arrays, strings, numbers, literals;
    uint64_t events;
    int64_t user_id_sum;
} value_counts;

/* One value with the on-demand reader, every string and number read (numbers converted);
 * depth 1 is an event, whose user_id is summed. */
static bool od_walk(json_od *od, value_counts *k, int depth)
{
    switch (json_od_peek(od)) {
    case JSON_OBJECT: {
        k->objects++;
        json_od_string key;
        if (!json_od_obj_begin(od))
            return false;
        for (size_t i = 0; json_od_obj_next(od, i, &key); i++) {
            if (depth == 1 && key.len == 7 && memcmp(key.ptr, "user_id", 7) == 0 && json_od_peek(od) == JSON_NUMBER) {
                json_od_number n;
                if (!json_od_num(od, &n))
                    return false;
                k->numbers++;
                k->user_id_sum += n.is_int ? n.ival : 0;
            } else if (!od_walk(od, k, depth + 1)) {
                return false;
            }
        }
        return !json_od_failed(od);
    }
    case JSON_ARRAY: {
        k->arrays++;
        if (!json_od_arr_begin(od))
            return false;
        size_t i = 0;
        for (; json_od_arr_next(od, i); i++)
            if (!od_walk(od, k, depth + 1))
                return false;
        if (depth == 0)
            k->events = i;
        return !json_od_failed(od);
    }
    case JSON_STRING: {
        json_od_string s;
        k->strings++;
        return json_od_str(od, &s);
    }
    case JSON_NUMBER: {
        json_od_number n;
        k->numbers++;
        return json_od_num(od, &n);
    }
    default: {
        json_type t;
        k->literals++;
        return json_od_lit(od, &t);
    }
    }
}

/* json-parse with the on-demand reader: every value walked and validated, no tree built (the
 * reader and its buffers are reused across iterations). */
static int run_json_walk(run_ctx *c)
{
    memset(c->counts, 0, sizeof *c->counts);
    json_od_reset(&c->od, c->input, c->input_len);
    if (od_walk(&c->od, c->counts, 0) && json_od_finish(&c->od))
        return 0;
    json_error e;
    json_od_error(&c->od, &e);
    json_error_format(&e, getenv("LADDER_INPUT"), c->pipe_err, sizeof c->pipe_err);
    return -EINVAL;
}

static void count_values(const json_value *v, value_counts *k)
{
    switch (json_get_type(v)) {
    case JSON_OBJECT:
        k->objects++;
        for (size_t i = 0, n = json_obj_len(v); i < n; i++)
            count_values(json_obj_val_at(v, i), k);
        break;
    case JSON_ARRAY:
        k->arrays++;
        for (size_t i = 0, n = json_arr_len(v); i < n; i++)
            count_values(json_arr_get(v, i), k);
        break;
    case JSON_STRING: k->strings++; break;
    case JSON_NUMBER: k->numbers++; break;
    default: k->literals++; break;
    }
}

/* The counts that prove the whole document was parsed, taken after the timing: the events, the
 * sum of their user_id values and every value by kind (rungs/cpython/bench.py's parse_summary). */
static int fmt_json_parse(const run_ctx *c, FILE *f)
{
    value_counts k = {0};
    if (c->ondemand) {
        k = *c->counts;
    } else {
        const json_value *root = json_doc_root(c->doc);
        count_values(root, &k);
        k.events = json_arr_len(root);
        for (size_t i = 0; i < k.events; i++) {
            int64_t id;
            if (!json_get_int(json_obj_get(json_arr_get(root, i), "user_id"), &id))
                return -EINVAL;
            k.user_id_sum += id;
        }
    }
    size_t events = (size_t)k.events;
    int64_t sum = k.user_id_sum;
    uint64_t values = k.objects + k.arrays + k.strings + k.numbers + k.literals;
    return fprintf(f, "events %zu\nuser_id_sum %lld\nvalues %llu\nobjects %llu\narrays %llu\nstrings %llu\n"
                      "numbers %llu\nliterals %llu\n",
                   events, (long long)sum, (unsigned long long)values, (unsigned long long)k.objects,
                   (unsigned long long)k.arrays, (unsigned long long)k.strings, (unsigned long long)k.numbers,
                   (unsigned long long)k.literals) < 0 ? -EIO : 0;
}

/* json-corpus: the canonical digest (docs/specs/json-corpus.md) of one DOM value. */
static void corpus_dom(const json_value *v, corpus_digest *d)
{
    size_t len;
    switch (json_get_type(v)) {
    case JSON_OBJECT:
        corpus_object(d);
        for (size_t i = 0, n = json_obj_len(v); i < n; i++) {
            const char *k = json_obj_key_at(v, i, &len);
            corpus_key(d, k, len);
            corpus_dom(json_obj_val_at(v, i), d);
        }
        corpus_tag(d, '}');
        break;
    case JSON_ARRAY:
        corpus_array(d);
        for (size_t i = 0, n = json_arr_len(v); i < n; i++)
            corpus_dom(json_arr_get(v, i), d);
        corpus_tag(d, ']');
        break;
    case JSON_STRING: {
        const char *s = json_get_str(v, &len);
        corpus_string(d, s, len);
        break;
    }
    case JSON_NUMBER: corpus_number(d, json_get_num(v)); break;
    case JSON_TRUE: corpus_literal(d, 't'); break;
    case JSON_FALSE: corpus_literal(d, 'f'); break;
    default: corpus_literal(d, 'n'); break;
    }
}

/* The same digest from the on-demand reader's walk: no tree, every value read and converted.
 * A loop over its own stack of open containers rather than a call per value, each value one
 * json_od_any (type and value together): the reader's place stays in registers longer. */
static bool corpus_od(json_od *od, corpus_digest *d)
{
    bool is_obj[JSON_DEFAULT_MAX_DEPTH]; /* the reader refuses deeper nesting (json_od_init(.., 0)) */
    size_t depth = 0;
    json_od_value v;
    json_type t;
    for (;;) {
        if (!json_od_any(od, &t, &v))
            return false;
        bool first = false;
        switch (t) {
        case JSON_OBJECT:
        case JSON_ARRAY:
            if (depth == JSON_DEFAULT_MAX_DEPTH)
                return json_od_fail(od, json_od_offset(od), "nesting too deep");
            if (t == JSON_OBJECT)
                corpus_object(d);
            else
                corpus_array(d);
            is_obj[depth++] = t == JSON_OBJECT;
            first = true;
            break;
        case JSON_STRING: corpus_string(d, v.str.ptr, v.str.len); break;
        case JSON_NUMBER: corpus_number(d, v.num.num); break;
        default: corpus_literal(d, t == JSON_NULL ? 'n' : t == JSON_TRUE ? 't' : 'f'); break;
        }
        for (;;) { /* the innermost open container's next member, or its end */
            if (depth == 0)
                return true;
            if (is_obj[depth - 1]) {
                if (json_od_obj_next(od, !first, &v.str)) {
                    corpus_key(d, v.str.ptr, v.str.len);
                    break;
                }
            } else if (json_od_arr_next(od, !first)) {
                break;
            }
            if (json_od_failed(od))
                return false;
            corpus_tag(d, is_obj[--depth] ? '}' : ']');
            first = false;
        }
    }
}

/* json-corpus: every file parsed and digested, in bundle order, each timed as a part. The DOM
 * reader builds each file's document in that file's previous one (json_read_opts.reuse). */
static int run_json_corpus(void *p)
{
    run_ctx *c = p;
    for (int i = 0; i < c->nfiles; i++) {
        long long t0 = ladder_rung_now_ns();
        const corpus_file *f = &c->files[i];
        corpus_digest *d = &c->digests[i];
        json_error e;
        corpus_digest_reset(d);
        if (c->ondemand) {
            json_od_reset(&c->od, f->data, f->len);
            if (!corpus_od(&c->od, d) || !json_od_finish(&c->od)) {
                json_od_error(&c->od, &e);
                goto parse_error;
            }
        } else {
            json_read_opts opts = {.reuse = c->docs[i]};
            c->docs[i] = json_read(f->data, f->len, &opts, &e);
            if (!c->docs[i])
                goto parse_error;
            corpus_dom(json_doc_root(c->docs[i]), d);
        }
        if (d->oom)
            return -ENOMEM;
        c->sums[i] = corpus_finish(d);
        ladder_rung_part(&c->parts, f->name, f->name_len, (long long)f->len, ladder_rung_now_ns() - t0);
        continue;
    parse_error:;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)f->name_len, f->name);
        json_error_format(&e, name, c->pipe_err, sizeof c->pipe_err);
        return -EINVAL;
    }
    return 0;
}

static int fmt_json_corpus(const run_ctx *c, FILE *f)
{
    for (int i = 0; i < c->nfiles; i++)
        if (corpus_print(f, &c->files[i], &c->digests[i], c->sums[i]))
            return -EIO;
    return 0;
}

/* The pipeline's readers' string scanners at level cap, or the best below it this CPU has, as
 * for the on-demand reader; the level goes on the timing descriptor. */
static bool pipeline_scanners(run_ctx *c, kern_simd cap, ladder_rung_cfg *cfg)
{
    for (kern_simd k = cap;; k--) {
        if (pipeline_use_scanner(c->pl, kern_simd_name(k))) {
            ladder_rung_simd(cfg, kern_simd_name(k));
            return true;
        }
        if (k == KERN_SIMD_SCALAR)
            return false;
    }
}

/* Reads $LADDER_INPUT whole, so that the timed iterations start from bytes in memory. */
static int load_input(run_ctx *c, bool need_pipeline)
{
    const char *path = getenv("LADDER_INPUT");
    if (!path || !*path) {
        snprintf(c->pipe_err, sizeof c->pipe_err, "LADDER_INPUT is not set (the event log to read)");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) {
        snprintf(c->pipe_err, sizeof c->pipe_err, "cannot read %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    long size = ftell(f);
    c->input = malloc(size > 0 ? (size_t)size : 1);
    c->pl = need_pipeline ? pipeline_new() : NULL;
    if (c->pl && c->general)
        pipeline_set_fast(c->pl, false);
    if (c->pl)
        pipeline_set_threads(c->pl, kern_threads_resolve(c->threads));
    if (size < 0 || !c->input || (need_pipeline && !c->pl) || fseek(f, 0, SEEK_SET) != 0 ||
        fread(c->input, 1, (size_t)size, f) != (size_t)size) {
        snprintf(c->pipe_err, sizeof c->pipe_err, "cannot read %s: %s", path,
                 c->input && (c->pl || !need_pipeline) ? strerror(errno) : "out of memory");
        fclose(f);
        return -1;
    }
    fclose(f);
    c->input_len = (size_t)size;
    return 0;
}

/* json-corpus: the bundle's files; "bytes" on the timing descriptor is their total. */
static int split_corpus(run_ctx *c, const ladder_rung_cfg *cfg)
{
    int n = corpus_split(c->input, c->input_len, c->files, CORPUS_MAX_FILES, c->pipe_err, sizeof c->pipe_err);
    if (n < 0)
        return -1;
    c->nfiles = n;
    long long total = 0;
    for (int i = 0; i < n; i++)
        total += (long long)c->files[i].len;
    ladder_rung_bytes(cfg, total);
    return 0;
}

static const problem problems[] = {
    {"nbody", 1, 1000000000L, 0, run_nbody, fmt_nbody, kern_nbody_simd},
    {"spectral-norm", 1, 100000, 1, run_spectral, fmt_spectral, kern_spectral_norm_simd},
    {"fannkuch-redux", 1, 14, 1, run_fannkuch, fmt_fannkuch, kern_fannkuch_simd},
    {"mandelbrot", 1, 50000, 1, run_mandelbrot, fmt_mandelbrot, kern_mandelbrot_simd},
    {"binary-trees", 1, 24, 1, run_trees, fmt_trees, kern_binary_trees_simd},
    {"pipeline", 1, 100000000L, 1, run_pipeline, fmt_pipeline, NULL},
    {"json-parse", 1, 100000000L, 0, run_json_parse, fmt_json_parse, NULL},
    {"json-corpus", 1, 1000, 0, run_json_corpus, fmt_json_corpus, NULL},
};

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PROBLEM N (nbody, spectral-norm, fannkuch-redux, mandelbrot, "
                        "binary-trees, pipeline, json-parse, json-corpus)\n", argc > 0 ? argv[0] : "ladder-c");
        return 2;
    }
    const problem *pb = NULL;
    for (size_t i = 0; i < sizeof problems / sizeof problems[0]; i++)
        if (strcmp(argv[1], problems[i].name) == 0)
            pb = &problems[i];
    if (!pb) {
        fprintf(stderr, "problem '%s' is not implemented by this rung\n", argv[1]);
        return 2;
    }
    run_ctx c = {.threads = 1};
    if (parse_long(argv[2], &c.n) || c.n < pb->min_n || c.n > pb->max_n) {
        fprintf(stderr, "N for %s must be an integer from %ld to %ld, not '%s'\n", pb->name, pb->min_n,
                pb->max_n, argv[2]);
        return 2;
    }
    const char *env = getenv("LADDER_THREADS");
    long t = 1;
    if (env && *env && (parse_long(env, &t) || t < 0 || t > INT_MAX || kern_threads_resolve((int)t) < 0)) {
        fprintf(stderr, "LADDER_THREADS=%s is not a thread count (0 = every online CPU)\n", env);
        return 2;
    }
    c.threads = (int)t;
    c.bt_alloc = kern_binary_trees_default_alloc();
    const char *alloc = getenv("LADDER_BT_ALLOC");
    if (alloc && *alloc && kern_bt_alloc_parse(alloc, &c.bt_alloc)) {
        fprintf(stderr, "LADDER_BT_ALLOC=%s is not an allocator: apr, malloc or arena\n", alloc);
        return 2;
    }
    const char *simd = getenv("LADDER_SIMD");
    kern_simd cap = KERN_SIMD_LEVELS - 1; /* LADDER_SIMD's level, the top one when unset */
    if (simd && *simd) {
        kern_simd level;
        if (kern_simd_parse(simd, &level)) {
            fprintf(stderr, "LADDER_SIMD=%s is not a level: scalar, sse2, avx2 or avx512\n", simd);
            return 2;
        }
        if (kern_simd_cap(level)) {
            fprintf(stderr, "LADDER_SIMD=%s: this CPU supports %s at most\n", simd,
                    kern_simd_name(kern_simd_cpu()));
            return 2;
        }
        cap = level;
    }

    char err[256];
    ladder_rung_cfg cfg;
    if (ladder_rung_config(&cfg, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    ladder_rung_threads(&cfg, pb->threaded ? kern_threads_resolve(c.threads) : 1);
    if (pb->simd)
        ladder_rung_simd(&cfg, kern_simd_name(pb->simd()));
    int rc = 0;
    const char *reader = getenv("LADDER_JSON_READER");
    static value_counts walk_counts;
    c.counts = &walk_counts;
    if ((pb->run == run_json_parse || pb->run == run_json_corpus) && reader && *reader) {
        if (strcmp(reader, "ondemand") != 0 && strcmp(reader, "dom") != 0) {
            fprintf(stderr, "LADDER_JSON_READER=%s: must be dom (json_read) or ondemand\n", reader);
            return 2;
        }
        c.ondemand = strcmp(reader, "ondemand") == 0;
    }
    const char *fast = getenv("LADDER_PIPELINE_FAST");
    if (fast && *fast && strcmp(fast, "0") != 0 && strcmp(fast, "1") != 0) {
        fprintf(stderr, "LADDER_PIPELINE_FAST=%s: must be 1 (the default) or 0 (no fast path)\n", fast);
        return 2;
    }
    c.general = fast && strcmp(fast, "0") == 0;
    json_od_init(&c.od, 0);
    if (c.ondemand) {
        /* the reader's string scanners at LADDER_SIMD's level, or the best below it this CPU
         * has (its avx512 also needs AVX-512BW); the scanner levels are the kernels' names */
        kern_simd k = cap;
        while (!json_od_use_scanner(&c.od, kern_simd_name(k)) && k > KERN_SIMD_SCALAR)
            k--;
        ladder_rung_simd(&cfg, kern_simd_name(k));
    }
    bool has_input = pb->run == run_pipeline || pb->run == run_json_parse || pb->run == run_json_corpus;
    if (has_input && load_input(&c, pb->run == run_pipeline)) {
        fprintf(stderr, "%s %ld: %s\n", pb->name, c.n, c.pipe_err);
        rc = 1;
    } else if (c.pl && !pipeline_scanners(&c, cap, &cfg)) {
        fprintf(stderr, "%s %ld: no string scanner at or below LADDER_SIMD's level\n", pb->name, c.n);
        rc = 1;
    } else if (pb->run == run_json_corpus && split_corpus(&c, &cfg)) {
        fprintf(stderr, "%s %ld: %s: %s\n", pb->name, c.n, getenv("LADDER_INPUT"), c.pipe_err);
        rc = 1;
    } else if (ladder_rung_loop_parts(&cfg, pb->run, &c, &c.parts, err, sizeof err)) {
        fprintf(stderr, "%s %ld: %s\n", pb->name, c.n, c.pipe_err[0] ? c.pipe_err : err);
        rc = 1;
    } else if ((rc = pb->format(&c, stdout)) != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "%s %ld: writing the output failed: %s\n", pb->name, c.n,
                strerror(rc < 0 ? -rc : errno));
        rc = 1;
    }
    for (int i = 0; i < c.nfiles; i++) {
        json_doc_free(c.docs[i]);
        corpus_digest_free(&c.digests[i]);
    }
    free(c.bits);
    free(c.trees);
    free(c.input);
    pipeline_free(c.pl);
    json_doc_free(c.doc);
    json_od_free(&c.od);
    return rc;
}
