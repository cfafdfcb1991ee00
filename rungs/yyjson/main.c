/* The yyjson rung: json-corpus (docs/specs/json-corpus.md) on yyjson's DOM reader, behind the
 * rung protocol. Usage: PROGRAM json-corpus N. yyjson comes from the pinned PyPI sdist that
 * rungs/cython-yyjson/fetch.sh caches; see build.sh.
 *
 * Before timing: the bundle is read and split, and each file gets a pool allocator as large as
 * yyjson says a read of it may need (yyjson_read_max_memory_usage), so every iteration's
 * document is built in the same memory, as the simdjson rung reuses its parser and the c rung
 * its document. Each iteration reads every file strictly (flags 0: RFC 8259) and walks it into
 * its digest. */
#include "yyjson.h"

#include "ladder_rung.h"
#include "../_shared/corpus/corpus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    corpus_file files[CORPUS_MAX_FILES];
    int nfiles;
    yyjson_alc alc[CORPUS_MAX_FILES];
    void *pool[CORPUS_MAX_FILES];
    corpus_digest digests[CORPUS_MAX_FILES];
    corpus_sum sums[CORPUS_MAX_FILES];
    ladder_rung_parts parts; /* each file's time in the iteration */
    char err[320];
} run_ctx;

static void walk(yyjson_val *v, corpus_digest *d)
{
    switch (yyjson_get_type(v)) {
    case YYJSON_TYPE_OBJ: {
        size_t i, n;
        yyjson_val *key, *val;
        corpus_object(d);
        yyjson_obj_foreach(v, i, n, key, val) {
            corpus_key(d, yyjson_get_str(key), yyjson_get_len(key));
            walk(val, d);
        }
        corpus_tag(d, '}');
        break;
    }
    case YYJSON_TYPE_ARR: {
        size_t i, n;
        yyjson_val *val;
        corpus_array(d);
        yyjson_arr_foreach(v, i, n, val)
            walk(val, d);
        corpus_tag(d, ']');
        break;
    }
    case YYJSON_TYPE_STR: corpus_string(d, yyjson_get_str(v), yyjson_get_len(v)); break;
    /* integers are kept as uint64/int64; yyjson_get_num converts them to the nearest double */
    case YYJSON_TYPE_NUM: corpus_number(d, yyjson_get_num(v)); break;
    case YYJSON_TYPE_BOOL: corpus_literal(d, yyjson_get_bool(v) ? 't' : 'f'); break;
    default: corpus_literal(d, 'n'); break;
    }
}

static int run_corpus(void *p)
{
    run_ctx *c = p;
    for (int i = 0; i < c->nfiles; i++) {
        long long t0 = ladder_rung_now_ns();
        const corpus_file *f = &c->files[i];
        corpus_digest *d = &c->digests[i];
        yyjson_read_err e;
        yyjson_doc *doc = yyjson_read_opts((char *)f->data, f->len, 0, &c->alc[i], &e);
        if (!doc) {
            snprintf(c->err, sizeof c->err, "%.*s: byte %zu: %s", (int)f->name_len, f->name, e.pos, e.msg);
            return -EINVAL;
        }
        corpus_digest_reset(d);
        walk(yyjson_doc_get_root(doc), d);
        yyjson_doc_free(doc);
        if (d->oom)
            return -ENOMEM;
        c->sums[i] = corpus_finish(d);
        ladder_rung_part(&c->parts, f->name, f->name_len, (long long)f->len, ladder_rung_now_ns() - t0);
    }
    return 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) &&
        fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)size;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "json-corpus") != 0) {
        fprintf(stderr, "usage: %s json-corpus N (the only problem this rung implements)\n",
                argc > 0 ? argv[0] : "yyjson-rung");
        return 2;
    }
    char err[256];
    ladder_rung_cfg cfg;
    if (ladder_rung_config(&cfg, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    const char *path = getenv("LADDER_INPUT");
    if (!path || !*path) {
        fprintf(stderr, "LADDER_INPUT is not set (the corpus bundle to read)\n");
        return 1;
    }
    static run_ctx c;
    size_t len;
    char *bundle = read_all(path, &len);
    if (!bundle) {
        fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }
    int rc = 0;
    c.nfiles = corpus_split(bundle, len, c.files, CORPUS_MAX_FILES, err, sizeof err);
    if (c.nfiles < 0) {
        fprintf(stderr, "json-corpus %s: %s: %s\n", argv[2], path, err);
        free(bundle);
        return 1;
    }
    long long total = 0;
    for (int i = 0; i < c.nfiles && !rc; i++) {
        size_t need = yyjson_read_max_memory_usage(c.files[i].len, 0);
        if (!need || !(c.pool[i] = malloc(need)) || !yyjson_alc_pool_init(&c.alc[i], c.pool[i], need)) {
            fprintf(stderr, "json-corpus %s: no memory for a pool of %zu bytes\n", argv[2], need);
            rc = 1;
        }
        total += (long long)c.files[i].len;
    }
    if (!rc) {
        ladder_rung_threads(&cfg, 1);
        ladder_rung_bytes(&cfg, total);
        if (ladder_rung_loop_parts(&cfg, run_corpus, &c, &c.parts, err, sizeof err)) {
            fprintf(stderr, "json-corpus %s: %s\n", argv[2], c.err[0] ? c.err : err);
            rc = 1;
        }
    }
    for (int i = 0; i < c.nfiles && !rc; i++)
        if (corpus_print(stdout, &c.files[i], &c.digests[i], c.sums[i]))
            rc = 1;
    if (fflush(stdout) != 0)
        rc = 1;
    for (int i = 0; i < c.nfiles; i++) {
        free(c.pool[i]);
        corpus_digest_free(&c.digests[i]);
    }
    free(bundle);
    return rc;
}
