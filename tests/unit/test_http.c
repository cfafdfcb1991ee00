/* Data-driven tests of ladder's HTTP/1.1 request parser and chunked decoder, and of their
 * resumption: every request of tests/fixtures/http/corpus.txt delivered whole, a byte at a time
 * and split at every point must read the same. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "http/bench_app.h"
#include "http/http_parse.h"
#include "http_feed.h"

typedef struct {
    const char *in;
    int want; /* 1 complete, 0 incomplete, -STATUS */
} head_case;

static const head_case HEADS[] = {
    {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 1},
    {"GET / HTTP/1.1\nHost: a\n\n", 1},                     /* bare LF accepted */
    {"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 1},           /* leading empty line ignored */
    {"GET / HTTP/1.0\r\n\r\n", 1},                          /* 1.0 needs no Host */
    {"GET / HTTP/1.1\r\nHost: a\r\n", 0},
    {"GET / HTTP/1.1\r\nHo", 0},
    {"GET / HTT", 0},
    {"", 0},
    {"GET / HTTP/1.1\r\n\r\n", -400},                       /* no Host */
    {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", -400},
    {"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", -400},
    {"GET /\r\nHost: a\r\n\r\n", -400},
    {" GET / HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"G(T / HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET /\x80 HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", -505},
    {"GET / HTTP/1.x\r\nHost: a\r\n\r\n", -400},
    {"GET / HTTPS/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nHost : a\r\n\r\n", -400},           /* space before colon */
    {"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", -400}, /* obs-fold */
    {"GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nNoColon\r\nHost: a\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nHost: a\x7f\r\n\r\n", -400},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", -400},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", -400},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", -400},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", -400},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n", 1},
    {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", -501},
    {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", -400},
    {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", -501},
    {"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n", 1},
    {"POST / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", -417},
    {"POST / HTTP/1.0\r\nExpect: magic\r\n\r\n", 1},     /* 1.0 ignores Expect */
    {"GET http://a.b:8/x?y HTTP/1.1\r\nHost: c\r\n\r\n", 1}, /* absolute-form */
    {"GET https://a HTTP/1.1\r\nHost: a\r\n\r\n", 1},
    {"GET http:// HTTP/1.1\r\nHost: a\r\n\r\n", -400},   /* empty authority */
    {"GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET x HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"GET * HTTP/1.1\r\nHost: a\r\n\r\n", -400},
    {"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 1},
    {"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 1},
    {"GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", 1},
    {"GET / HTTP/1.1\r\nHost: a%2eb\r\n\r\n", 1},
    {"GET / HTTP/1.1\r\nHost:\r\n\r\n", 1},             /* empty Host is valid */
    {"GET / HTTP/1.1\r\nHost: a b\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nHost: a@b\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nHost: a:x\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", -400},
    {"GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", -400},
};

static void test_heads(void)
{
    for (size_t i = 0; i < sizeof HEADS / sizeof HEADS[0]; i++) {
        http_head h;
        const char *why = NULL;
        int rc = http_parse_head(HEADS[i].in, strlen(HEADS[i].in), 8192, &h, &why);
        if (rc != HEADS[i].want)
            fprintf(stderr, "case %zu: got %d, want %d (%s)\n", i, rc, HEADS[i].want, why ? why : "");
        CHECK(rc == HEADS[i].want);
        if (rc < 0)
            CHECK(why && *why);
    }
}

static void test_fields(void)
{
    const char *req = "POST /user/42?x=1&y=2 HTTP/1.1\r\nHost: example\r\nContent-Length:  5 \r\n"
                      "connection: Keep-Alive, Close\r\nX-Empty:\r\n\r\nhello";
    http_head h;
    const char *why;
    CHECK(http_parse_head(req, strlen(req), 8192, &h, &why) == 1);
    CHECK(http_str_eq(h.method, "POST"));
    CHECK(http_str_eq(h.target, "/user/42?x=1&y=2"));
    CHECK(http_str_eq(h.path, "/user/42"));
    CHECK(http_str_eq(h.query, "x=1&y=2"));
    CHECK(h.minor_version == 1);
    CHECK(h.content_length == 5);
    CHECK(!h.keep_alive); /* "close" wins */
    CHECK(h.nheaders == 4);
    CHECK(h.head_len == strlen(req) - 5);
    const http_str *host = http_head_get(&h, "HOST");
    CHECK(host && http_str_eq(*host, "example"));
    const http_str *empty = http_head_get(&h, "x-empty");
    CHECK(empty && empty->n == 0);
    CHECK(http_head_get(&h, "missing") == NULL);

    const char *ka10 = "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    CHECK(http_parse_head(ka10, strlen(ka10), 8192, &h, &why) == 1 && h.keep_alive);
    const char *plain10 = "GET / HTTP/1.0\r\n\r\n";
    CHECK(http_parse_head(plain10, strlen(plain10), 8192, &h, &why) == 1 && !h.keep_alive);
    const char *ka11 = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    CHECK(http_parse_head(ka11, strlen(ka11), 8192, &h, &why) == 1 && h.keep_alive && h.content_length == -1);

    /* two pipelined requests: the first head ends where the second begins */
    const char *two = "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n";
    CHECK(http_parse_head(two, strlen(two), 8192, &h, &why) == 1);
    CHECK(http_str_eq(h.path, "/a"));
    CHECK(http_parse_head(two + h.head_len, strlen(two) - h.head_len, 8192, &h, &why) == 1);
    CHECK(http_str_eq(h.path, "/b"));

    const char *abs = "GET HTTP://example:81?q=1 HTTP/1.1\r\nHost: other\r\n\r\n";
    CHECK(http_parse_head(abs, strlen(abs), 8192, &h, &why) == 1);
    CHECK(http_str_eq(h.path, "/") && http_str_eq(h.query, "q=1") && http_str_eq(h.host, "example:81"));
    CHECK(http_parse_head(ka11, strlen(ka11), 8192, &h, &why) == 1 && http_str_eq(h.host, "a"));
    const char *te10 = "POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n";
    CHECK(http_parse_head(te10, strlen(te10), 8192, &h, &why) == 1 && h.chunked && !h.keep_alive);
    const char *exp10 = "POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n";
    CHECK(http_parse_head(exp10, strlen(exp10), 8192, &h, &why) == 1 && !h.expect_continue);
}

/* Header values and targets are checked eight bytes at a time: an odd byte at any position of a
 * word, and in the tail, must still be found. */
static void test_byte_classes(void)
{
    static const unsigned char bad_value[] = {0x00, 0x01, 0x0d, 0x1f, 0x7f};
    static const unsigned char ok_value[] = {'\t', ' ', 0x7e, 0x80, 0xff};
    static const unsigned char bad_target[] = {0x00, 0x09, 0x1f, 0x7f, 0x80, 0xff};
    char req[128];
    http_head h;
    const char *why;
    for (size_t pos = 0; pos < 29; pos++) {
        for (int kind = 0; kind < 3; kind++) {
            const unsigned char *set = kind == 0 ? bad_value : kind == 1 ? ok_value : bad_target;
            size_t nset = kind == 0 ? sizeof bad_value : kind == 1 ? sizeof ok_value : sizeof bad_target;
            for (size_t b = 0; b < nset; b++) {
                char span[30];
                memset(span, 'a', 29);
                span[pos] = (char)set[b];
                int n = kind < 2 ? snprintf(req, sizeof req, "GET /x HTTP/1.1\r\nHost: a\r\nX: v%.29s\r\n\r\n", "")
                                 : snprintf(req, sizeof req, "GET /%.29s HTTP/1.1\r\nHost: a\r\n\r\n", "");
                size_t at = kind < 2 ? strlen("GET /x HTTP/1.1\r\nHost: a\r\nX: v") : strlen("GET /");
                memmove(req + at + 29, req + at, (size_t)n - at);
                memcpy(req + at, span, 29);
                int rc = http_parse_head(req, (size_t)n + 29, 8192, &h, &why);
                CHECK(rc == (kind == 1 ? 1 : -400));
            }
        }
    }
}

/* A head given a byte more at a time never searches a byte twice: the state ends where the
 * input does, and the last call finds the end from there. */
static void test_head_resume(void)
{
    const char *req = "\r\nGET /x HTTP/1.1\r\nHost: a\r\nX-Long: 0123456789\r\n\r\n";
    size_t n = strlen(req);
    http_head_state st = {0};
    http_head h;
    const char *why;
    for (size_t k = 1; k < n; k++) {
        CHECK(http_parse_head_r(req, k, 8192, &st, &h, &why) == 0);
        CHECK(st.scanned == k);
    }
    CHECK(http_parse_head_r(req, n, 8192, &st, &h, &why) == 1 && h.head_len == n && http_str_eq(h.path, "/x"));
    /* the limits hold whatever the pieces: 414 without a request line, 431 without the end */
    http_head_state s2 = {0};
    CHECK(http_parse_head_r("GET /aaaaaaaa", 10, 16, &s2, &h, &why) == 0);
    CHECK(http_parse_head_r("GET /aaaaaaaaaaaaa", 18, 16, &s2, &h, &why) == -414);
    http_head_state s3 = {0};
    CHECK(http_parse_head_r("GET / HTTP/1.1\r\nHo", 18, 20, &s3, &h, &why) == 0);
    CHECK(http_parse_head_r("GET / HTTP/1.1\r\nHost: a\r\n", 25, 20, &s3, &h, &why) == -431);
}

static void test_limits(void)
{
    size_t n = 10000;
    char *big = malloc(n + 64);
    http_head h;
    const char *why;
    /* a request line longer than the limit */
    memcpy(big, "GET /", 5);
    memset(big + 5, 'a', n - 5);
    CHECK(http_parse_head(big, n, 8192, &h, &why) == -414);
    CHECK(http_parse_head(big, 4000, 8192, &h, &why) == 0);
    /* headers longer than the limit */
    int k = snprintf(big, n, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
    memset(big + k, 'b', n - (size_t)k);
    CHECK(http_parse_head(big, n, 8192, &h, &why) == -431);
    /* a complete head just over the limit is refused too */
    k = snprintf(big, n + 64, "GET / HTTP/1.1\r\nHost: a\r\nX: %0*d\r\n\r\n", 8200, 0);
    CHECK(http_parse_head(big, (size_t)k, 8192, &h, &why) == -431);
    /* too many header fields */
    size_t off = (size_t)snprintf(big, n, "GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < HTTP_MAX_HEADERS + 1; i++)
        off += (size_t)snprintf(big + off, n - off, "X%d: y\r\n", i);
    off += (size_t)snprintf(big + off, n - off, "\r\n");
    CHECK(http_parse_head(big, off, 8192, &h, &why) == -431);
    free(big);
}

typedef struct {
    const char *in;
    int want;
    const char *body;
} chunk_case;

static const chunk_case CHUNKS[] = {
    {"5\r\nhello\r\n0\r\n\r\n", 1, "hello"},
    {"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 1, "hello world"},
    {"A;ext=1\r\n0123456789\r\n0\r\n\r\n", 1, "0123456789"},
    {"5\nhello\n0\n\n", -400, NULL},                /* CRLF exactly */
    {"0\r\nTrailer: x\r\n\r\n", 1, ""},
    {"5\r\nhello\r\n0\r\n", 0, NULL},
    {"5\r\nhel", 0, NULL},
    {"5\r\nhello", 0, NULL},
    {"5", 0, NULL},
    {"", 0, NULL},
    {"x\r\nhello\r\n0\r\n\r\n", -400, NULL},
    {"5\r\nhelloX\r\n0\r\n\r\n", -400, NULL},
    {"ffffffffffffffff\r\n", -413, NULL},
    {"400\r\n", -413, NULL}, /* 1024 > max_body 100 */
    {"0000000000000000000005\r\nhello\r\n0\r\n\r\n", 1, "hello"},
    {"5;a=b;c=\"d\\\"e\" ; f\r\nhello\r\n0\r\n\r\n", 1, "hello"},
    {"5 ; a = b\r\nhello\r\n0\r\n\r\n", 1, "hello"},
    {"5;a=\"\x80\"\r\nhello\r\n0\r\n\r\n", 1, "hello"},
    {"0\r\nA: b\r\nC:d \t\r\n\r\n", 1, ""},
    {"14 junk\r\n", -400, NULL},
    {"14\rX", -400, NULL},
    {"0x2b\r\n\r\n", -400, NULL},
    {"5 \r\nhello\r\n0\r\n\r\n", -400, NULL},
    {"5;\r\nhello\r\n0\r\n\r\n", -400, NULL},
    {"5;a=\r\nhello\r\n0\r\n\r\n", -400, NULL},
    {"5;a b\r\nhello\r\n0\r\n\r\n", -400, NULL},
    {"5;a=\"b\r\nhello\r\n0\r\n\r\n", -400, NULL},
    {"5;a=\"b\"c\r\nhello\r\n0\r\n\r\n", -400, NULL},
    {"5\r\nhello\r0\r\n\r\n", -400, NULL},
    {"0\r\nA: b\x01\r\n\r\n", -400, NULL},
    {"0\r\nA: b\r\n c\r\n\r\n", -400, NULL},
    {"0\r\n c\r\n\r\n", -400, NULL},
    {"0\r\nA b: c\r\n\r\n", -400, NULL},
    {"0\r\n: c\r\n\r\n", -400, NULL},
    {"0\r\nA: b\n\r\n", -400, NULL},
    {"0\r\n\n", -400, NULL},
    {"0\r\n\r", 0, NULL},
    {"0;a=\"\\", 0, NULL},
};

static void test_chunked(void)
{
    for (size_t i = 0; i < sizeof CHUNKS / sizeof CHUNKS[0]; i++) {
        size_t len = strlen(CHUNKS[i].in), consumed = 0, out_len = 0;
        char *buf = malloc(len + 1);
        memcpy(buf, CHUNKS[i].in, len + 1);
        const char *why = NULL;
        int rc = http_parse_chunked(buf, len, buf, 100, &consumed, &out_len, &why);
        if (rc != CHUNKS[i].want)
            fprintf(stderr, "chunk case %zu: got %d, want %d\n", i, rc, CHUNKS[i].want);
        CHECK(rc == CHUNKS[i].want);
        if (rc == 1) {
            CHECK(consumed == len);
            CHECK(out_len == strlen(CHUNKS[i].body) && memcmp(buf, CHUNKS[i].body, out_len) == 0);
        }
        free(buf);
    }
}

/* Resumed decoding: input given a byte more at a time, into a separate buffer and in place; the
 * bytes not yet consumed are never written. */
static void test_chunked_resume(void)
{
    const char *in = "3;x=\"y\"\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n";
    size_t n = strlen(in);
    char out[64], *buf = malloc(n);
    memcpy(buf, in, n);
    http_chunked a = {0}, b = {0};
    const char *why;
    for (size_t k = 0; k <= n; k++) {
        int ra = http_chunked_decode(&a, in, k, out, 100, &why);
        int rb = http_chunked_decode(&b, buf, k, buf, 100, &why);
        CHECK(ra == (k == n) && rb == ra);
        CHECK(a.in == b.in && a.out == b.out && b.out <= b.in && b.in <= k);
        CHECK(memcmp(buf + b.in, in + b.in, n - b.in) == 0);
    }
    CHECK(a.in == n && a.out == 19 && memcmp(out, "abc0123456789abcdef", 19) == 0 && memcmp(buf, out, 19) == 0);
    free(buf);
}

typedef struct {
    char *req;
    size_t len;
    char want[64]; /* the statuses, as in the file */
    char what[128];
} corpus_entry;

static size_t unescape(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 == n) {
            out[k++] = s[i];
            continue;
        }
        char c = s[++i];
        if (c == 'x' && i + 2 < n) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            out[k++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[k++] = c == 'r' ? '\r' : c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
    }
    return k;
}

static corpus_entry *load_corpus(size_t *count)
{
    FILE *f = fopen("tests/fixtures/http/corpus.txt", "r");
    CHECK(f != NULL);
    if (!f)
        return NULL;
    corpus_entry *c = NULL;
    size_t n = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (line[0] == '#' || !t2)
            continue;
        c = realloc(c, (n + 1) * sizeof *c);
        corpus_entry *e = &c[n++];
        snprintf(e->want, sizeof e->want, "%.*s", (int)(t1 - line), line);
        snprintf(e->what, sizeof e->what, "%.*s", (int)strcspn(t2 + 1, "\n"), t2 + 1);
        e->req = malloc((size_t)(t2 - t1));
        e->len = unescape(t1 + 1, (size_t)(t2 - t1 - 1), e->req);
    }
    fclose(f);
    *count = n;
    return c;
}

typedef struct {
    size_t max_head, max_body;
    bench_app *app;
} feed_cfg;

/* The log of req fed in the pieces that cuts[0..ncuts) (ascending offsets) make. */
static http_feed run_feed(const feed_cfg *cfg, const char *req, size_t len, const size_t *cuts, size_t ncuts)
{
    http_feed f;
    feed_init(&f, cfg->max_head, cfg->max_body, cfg->app ? bench_app_handle : NULL, cfg->app);
    size_t at = 0;
    for (size_t i = 0; i < ncuts; i++) {
        feed_bytes(&f, req + at, cuts[i] - at);
        at = cuts[i];
    }
    feed_bytes(&f, req + at, len - at);
    feed_end(&f);
    return f;
}

static int split_failures;

static void same_log(const http_feed *ref, const http_feed *got, const char *what, const char *how)
{
    bool same = ref->log_len == got->log_len && memcmp(ref->log, got->log, ref->log_len) == 0;
    CHECK(same);
    if (!same && split_failures++ < 5)
        fprintf(stderr, "%s, %s:\n--- whole:\n%.*s--- split:\n%.*s\n", what, how, (int)ref->log_len, ref->log,
                (int)got->log_len, got->log);
}

/* Whole, a byte at a time, at every split point, and (short ones) at every pair of points. */
static void check_splits(const feed_cfg *cfg, const char *req, size_t len, const char *what, http_feed *ref_out)
{
    http_feed ref = run_feed(cfg, req, len, NULL, 0);
    size_t *cuts = malloc((len + 1) * sizeof *cuts);
    for (size_t i = 0; i + 1 < len; i++)
        cuts[i] = i + 1;
    http_feed f = run_feed(cfg, req, len, cuts, len ? len - 1 : 0);
    same_log(&ref, &f, what, "a byte at a time");
    feed_free(&f);
    char how[64];
    for (size_t k = 1; k < len; k++) {
        f = run_feed(cfg, req, len, &k, 1);
        snprintf(how, sizeof how, "split at %zu", k);
        same_log(&ref, &f, what, how);
        feed_free(&f);
    }
    for (size_t i = 1; len <= 120 && i < len; i++)
        for (size_t j = i + 1; j < len; j++) {
            size_t two[2] = {i, j};
            f = run_feed(cfg, req, len, two, 2);
            snprintf(how, sizeof how, "split at %zu and %zu", i, j);
            same_log(&ref, &f, what, how);
            feed_free(&f);
        }
    free(cuts);
    if (ref_out)
        *ref_out = ref;
    else
        feed_free(&ref);
}

static void statuses_text(const http_feed *f, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; i < f->nstatus && k < cap; i++)
        k += (size_t)snprintf(out + k, cap - k, "%s%d", i ? " " : "", f->statuses[i]);
    if (f->nstatus == 0)
        snprintf(out, cap, "-");
}

static void test_corpus(void)
{
    size_t n = 0;
    corpus_entry *c = load_corpus(&n);
    CHECK(n >= 50);
    bench_app app;
    bench_app_init(&app);
    feed_cfg server = {8192, 1 << 20, &app}, tight = {40, 12, NULL};
    char *pipeline = NULL, got[64];
    size_t plen = 0;
    char pwant[1024] = "";
    for (size_t i = 0; i < n; i++) {
        http_feed ref;
        check_splits(&server, c[i].req, c[i].len, c[i].what, &ref);
        statuses_text(&ref, got, sizeof got);
        if (strcmp(got, c[i].want) != 0)
            fprintf(stderr, "corpus '%s': statuses %s, want %s\n", c[i].what, got, c[i].want);
        CHECK(strcmp(got, c[i].want) == 0);
        /* the tight limits reach 413/414/431 at other points of the same bytes */
        check_splits(&tight, c[i].req, c[i].len, c[i].what, NULL);
        if (!ref.done && ref.len == 0) {
            pipeline = realloc(pipeline, plen + c[i].len);
            memcpy(pipeline + plen, c[i].req, c[i].len);
            plen += c[i].len;
            snprintf(pwant + strlen(pwant), sizeof pwant - strlen(pwant), "%s%s", *pwant ? " " : "", got);
        }
        feed_free(&ref);
    }
    /* everything that keeps the connection open, pipelined in one stream */
    http_feed all;
    check_splits(&server, pipeline, plen, "the pipelined corpus", &all);
    char *gotall = malloc(1024);
    statuses_text(&all, gotall, 1024);
    CHECK(strcmp(gotall, pwant) == 0 && all.nstatus >= 20);
    free(gotall);
    feed_free(&all);
    free(pipeline);
    for (size_t i = 0; i < n; i++)
        free(c[i].req);
    free(c);
    bench_app_free(&app);
}

int main(void)
{
    test_heads();
    test_fields();
    test_limits();
    test_head_resume();
    test_byte_classes();
    test_chunked();
    test_chunked_resume();
    test_corpus();
    return check_done("test_http");
}
