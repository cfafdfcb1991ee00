/* ladder's HTTP/1.1 server: one epoll loop per worker process (SO_REUSEPORT), keep-alive and
 * pipelining, Content-Length and chunked bodies in any number of pieces, limits answered with
 * 400/413/414/431, a memory budget for buffered requests (503), idle and slow-client timeouts,
 * graceful shutdown on SIGTERM/SIGINT.
 *
 * Ownership: the server owns every buffer. A handler gets a request whose pointers are valid only
 * during the call, and fills a response whose body buffer the server owns and reuses. */
#ifndef LADDER_HTTP_SERVER_H
#define LADDER_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http_parse.h"
#include "json/json.h"

typedef struct {
    const http_head *head;
    const char *body;
    size_t body_len;
    double started_ms;  /* monotonic ms when the request's first byte was read */
} http_request;

typedef struct {
    int status;
    const char *content_type;  /* static string; NULL: no Content-Type */
    char *body;                /* server-owned; grow with http_response_reserve/append */
    size_t len, cap;
    char headers[512];         /* extra header lines, each ending in \r\n */
    size_t headers_len;
    bool failed;               /* out of memory: the server answers 500 */
} http_response;

typedef void (*http_handler_fn)(void *app, const http_request *req, http_response *res);

typedef struct {
    const char *host;          /* default 127.0.0.1 */
    int port;                  /* 0: pick one (see bound_port) */
    int workers;               /* processes; 1 serves in this process */
    size_t max_head;           /* request line + headers, default 8 KiB */
    size_t max_body;           /* default 1 MiB */
    int idle_timeout_ms;       /* keep-alive connection with nothing pending, default 30 s */
    int request_timeout_ms;    /* a started request must arrive whole within this, default 10 s */
    int max_connections;       /* per worker, default 16384 */
    /* Per worker: the most input bytes all connections together may buffer beyond 4 KiB each
     * (large bodies, deep pipelines); a request that would need more is answered 503. Default
     * 64 MiB; with W workers a server holds at most W times this in request buffers. */
    size_t max_buffered;
    http_handler_fn handler;
    void *app;
    /* Called in each worker before it serves (e.g. to open a database connection); non-zero
     * return stops the worker with that message. */
    int (*worker_init)(void *app, int worker, char *err, size_t cap);
    void (*worker_done)(void *app);
    void (*on_listening)(void *ctx, int port); /* called once, before serving */
    void *ctx;
} http_server_config;

/* Serves until SIGTERM or SIGINT, then drains and returns 0; -1 with a reason when it could not
 * start (e.g. the port is taken). */
int http_serve(const http_server_config *cfg, char *err, size_t cap);

void http_response_set(http_response *res, int status, const char *content_type);
int http_response_append(http_response *res, const void *data, size_t len);
/* The writer's document as an application/json body; a failed or incomplete document marks the
 * response failed instead. The writer keeps its buffer. */
void http_response_json(http_response *res, int status, const json_writer *w);
/* Adds "Name: value\r\n"; silently drops it (and sets failed) if the header space is full. */
void http_response_header(http_response *res, const char *name, const char *value);
const char *http_status_text(int status);
double http_now_ms(void);

#endif
