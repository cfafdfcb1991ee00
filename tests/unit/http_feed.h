/* A stream of request bytes fed to http_read_request in pieces, the way ladder's server reads a
 * connection: appended to one buffer, whole requests consumed from its front (and the rest moved
 * down), the reader state kept between pieces. Everything it sees goes to a log, so that feeding
 * the same bytes in other pieces must give the same log byte for byte. Shared by test_http.c and
 * fuzz_http_split.c; the optional handler (e.g. bench_app_handle) adds the status it answers. */
#ifndef LADDER_HTTP_FEED_H
#define LADDER_HTTP_FEED_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_parse.h"
#include "http/http_server.h"

typedef struct {
    char *buf;
    size_t len, cap;
    http_reader rd;
    size_t max_head, max_body;
    bool done;              /* an error or a closing request ended the stream */
    char *log;
    size_t log_len, log_cap;
    int statuses[64];
    int nstatus;
    http_handler_fn handler;
    void *app;
    http_response res;
} http_feed;

static void feed_log(http_feed *f, const void *p, size_t n)
{
    if (f->log_len + n > f->log_cap) {
        size_t cap = f->log_cap ? f->log_cap : 256;
        while (cap < f->log_len + n)
            cap *= 2;
        f->log = realloc(f->log, cap);
        if (!f->log)
            abort();
        f->log_cap = cap;
    }
    memcpy(f->log + f->log_len, p, n);
    f->log_len += n;
}

static void feed_logf(http_feed *f, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    feed_log(f, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void feed_str(http_feed *f, const char *tag, http_str s)
{
    feed_logf(f, " %s=%zu:", tag, s.n);
    feed_log(f, s.p, s.n);
}

static void feed_init(http_feed *f, size_t max_head, size_t max_body, http_handler_fn handler, void *app)
{
    memset(f, 0, sizeof *f);
    f->max_head = max_head;
    f->max_body = max_body;
    f->handler = handler;
    f->app = app;
}

static void feed_status(http_feed *f, int status)
{
    if (f->nstatus < (int)(sizeof f->statuses / sizeof f->statuses[0]))
        f->statuses[f->nstatus++] = status;
    feed_logf(f, " -> %d\n", status);
}

static void feed_request(http_feed *f, const http_head *h, const http_body *b)
{
    feed_str(f, "REQ", h->method);
    feed_str(f, "target", h->target);
    feed_str(f, "path", h->path);
    feed_str(f, "query", h->query);
    feed_str(f, "host", h->host);
    feed_logf(f, " v=%d ka=%d ch=%d cl=%lld exp=%d head=%zu used=%zu", h->minor_version, h->keep_alive, h->chunked,
              (long long)h->content_length, h->expect_continue, h->head_len, b->used);
    for (size_t i = 0; i < h->nheaders; i++) {
        feed_str(f, "name", h->headers[i].name);
        feed_str(f, "value", h->headers[i].value);
    }
    feed_str(f, "body", (http_str){b->body, b->body_len});
    int status = 0;
    if (f->handler) {
        f->res.status = 200;
        f->res.len = f->res.headers_len = 0;
        f->res.failed = false;
        http_request req = {.head = h, .body = b->body, .body_len = b->body_len};
        f->handler(f->app, &req, &f->res);
        status = f->res.status;
    }
    feed_status(f, status);
}

/* Appends p[0..n) and reads every whole request now in the buffer. */
static void feed_bytes(http_feed *f, const char *p, size_t n)
{
    if (f->done)
        return;
    if (f->len + n > f->cap) {
        size_t cap = f->cap ? f->cap : 16;
        while (cap < f->len + n)
            cap *= 2;
        f->buf = realloc(f->buf, cap);
        if (!f->buf)
            abort();
        f->cap = cap;
    }
    if (n)
        memcpy(f->buf + f->len, p, n);
    f->len += n;
    size_t off = 0;
    while (!f->done && off < f->len) {
        http_head h;
        http_body b;
        const char *why = NULL;
        int rc = http_read_request(&f->rd, f->buf + off, f->len - off, f->max_head, f->max_body, &h, &b, &why);
        if (rc == 0)
            break;
        if (rc < 0) {
            feed_logf(f, "ERR %s", why ? why : "(no reason)");
            feed_status(f, -rc);
            f->done = true;
            break;
        }
        feed_request(f, &h, &b);
        off += b.used;
        memset(&f->rd, 0, sizeof f->rd);
        if (!h.keep_alive)
            f->done = true;
    }
    memmove(f->buf, f->buf + off, f->len - off);
    f->len -= off;
}

/* Ends the stream: logs how many bytes were left unanswered. */
static void feed_end(http_feed *f)
{
    feed_logf(f, "END done=%d left=%zu\n", f->done, f->done ? 0 : f->len);
}

static void feed_free(http_feed *f)
{
    free(f->buf);
    free(f->log);
    free(f->res.body);
}

#endif
