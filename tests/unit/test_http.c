/* Data-driven tests of ladder's HTTP/1.1 request parser and chunked decoder. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "http/http_parse.h"

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
    {"5\nhello\n0\n\n", 1, "hello"},
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

int main(void)
{
    test_heads();
    test_fields();
    test_limits();
    test_chunked();
    return check_done("test_http");
}
