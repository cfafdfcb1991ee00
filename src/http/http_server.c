#include "http/http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUT_HIGH_WATER (1u << 20) /* stop answering pipelined requests until output drains */
#define IN_BASE 4096              /* every connection's first input buffer, not charged to the budget */
#define DRAIN_MS 5000
#define LINGER_MS 2000            /* reading what a client still sends after our last response */
#define RUN_ROUNDS 8              /* process/flush rounds per event before others get a turn */

typedef struct conn {
    int fd;
    int slot;               /* index in worker.conns */
    char *in;
    size_t in_len, in_cap;
    char *out;
    size_t out_len, out_off, out_cap;
    http_reader rd;         /* the request at in[0..), read so far */
    double last_ms;         /* last read or write */
    double request_ms;      /* when the first byte of the pending request arrived; 0 if none */
    uint32_t events;        /* registered with epoll */
    bool close_after;       /* close once out is flushed */
    bool rd_eof;            /* the client sends nothing more */
    bool more;              /* process() stopped on output backlog with input left */
    bool lingering;         /* answered and shut down for writing: discarding input until EOF */
    bool sent_continue;
    struct conn *dead_next; /* closed this batch; freed after it, as later events may name it */
} conn;

typedef struct {
    const http_server_config *cfg;
    int ep, lfd, sfd, tfd;
    conn **conns;
    int nconns, cap;
    conn *dead;
    bool draining;
    bool accept_paused;     /* out of descriptors: the listener is off until one is freed */
    double drain_deadline;
    size_t buffered;        /* input buffer bytes beyond IN_BASE, over all connections */
    size_t in_limit;        /* one connection's input buffer at most */
    char date[64];          /* "Date: ...\r\n" */
    size_t date_len;
    http_response res;
} worker;

/* epoll tags of the worker's own descriptors (connections are tagged with their conn) */
static int TAG_LISTEN, TAG_SIGNAL, TAG_TIMER;

double http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

const char *http_status_text(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

void http_response_set(http_response *res, int status, const char *content_type)
{
    res->status = status;
    res->content_type = content_type;
}

void http_response_json(http_response *res, int status, const json_writer *w)
{
    size_t len;
    const char *text = json_writer_data(w, &len);
    if (!json_writer_ok(w)) {
        res->failed = true;
        return;
    }
    http_response_set(res, status, "application/json");
    http_response_append(res, text, len);
}

int http_response_append(http_response *res, const void *data, size_t len)
{
    if (res->len + len > res->cap) {
        size_t cap = res->cap ? res->cap : 4096;
        while (cap < res->len + len)
            cap *= 2;
        char *b = realloc(res->body, cap);
        if (!b) {
            res->failed = true;
            return -1;
        }
        res->body = b;
        res->cap = cap;
    }
    memcpy(res->body + res->len, data, len);
    res->len += len;
    return 0;
}

void http_response_header(http_response *res, const char *name, const char *value)
{
    size_t room = sizeof res->headers - res->headers_len;
    int n = snprintf(res->headers + res->headers_len, room, "%s: %s\r\n", name, value);
    if (n < 0 || (size_t)n >= room) {
        res->headers[res->headers_len] = '\0';
        res->failed = true;
        return;
    }
    res->headers_len += (size_t)n;
}

static void update_date(worker *w)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    w->date_len = strftime(w->date, sizeof w->date, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

static int out_reserve(conn *c, size_t more)
{
    if (c->out_off && c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
    if (c->out_len + more <= c->out_cap)
        return 0;
    if (c->out_off) {
        memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
        c->out_len -= c->out_off;
        c->out_off = 0;
        if (c->out_len + more <= c->out_cap)
            return 0;
    }
    size_t cap = c->out_cap ? c->out_cap : 4096;
    while (cap < c->out_len + more)
        cap *= 2;
    char *b = realloc(c->out, cap);
    if (!b)
        return -1;
    c->out = b;
    c->out_cap = cap;
    return 0;
}

static int out_add(conn *c, const void *p, size_t n)
{
    if (out_reserve(c, n))
        return -1;
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
    return 0;
}

static char *put_str(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* Decimal digits of v at p; returns the end. */
static char *put_size(char *p, size_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

#define LIT(p, s) put_str((p), (s), sizeof(s) - 1)

/* Appends one whole response (status line, headers, body) to the connection's output: its size
 * is known up front, so one reservation and plain copies (formatting the head with snprintf
 * cost more than the rest of a plaintext request together). */
static int emit(worker *w, conn *c, const http_response *res, bool close_conn, bool head_only)
{
    const char *reason = http_status_text(res->status);
    size_t reason_len = strlen(reason), type_len = res->content_type ? strlen(res->content_type) : 0;
    size_t body = head_only ? 0 : res->len;
    size_t need = sizeof "HTTP/1.1 000 \r\nServer: ladder\r\n" + reason_len + w->date_len +
                  sizeof "Content-Type: \r\n" + type_len + res->headers_len + sizeof "Content-Length: \r\n" + 20 +
                  sizeof "Connection: close\r\n\r\n" + body;
    if (out_reserve(c, need))
        return -1;
    char *p = c->out + c->out_len;
    int status = res->status >= 100 && res->status <= 999 ? res->status : 500;
    p = LIT(p, "HTTP/1.1 ");
    *p++ = (char)('0' + status / 100);
    *p++ = (char)('0' + status / 10 % 10);
    *p++ = (char)('0' + status % 10);
    *p++ = ' ';
    p = put_str(p, reason, reason_len);
    p = LIT(p, "\r\nServer: ladder\r\n");
    p = put_str(p, w->date, w->date_len);
    if (res->content_type) {
        p = LIT(p, "Content-Type: ");
        p = put_str(p, res->content_type, type_len);
        p = LIT(p, "\r\n");
    }
    p = put_str(p, res->headers, res->headers_len);
    p = LIT(p, "Content-Length: ");
    p = put_size(p, res->len);
    p = close_conn ? LIT(p, "\r\nConnection: close\r\n\r\n") : LIT(p, "\r\n\r\n");
    if (body)
        p = put_str(p, res->body, body);
    c->out_len = (size_t)(p - c->out);
    return 0;
}

static void reset_response(http_response *res)
{
    res->status = 200;
    res->content_type = NULL;
    res->len = 0;
    res->headers_len = 0;
    res->failed = false;
}


static void error_response(worker *w, conn *c, int status, const char *why)
{
    http_response *res = &w->res;
    reset_response(res);
    http_response_set(res, status, "application/json");
    if (status == 503)
        http_response_header(res, "Retry-After", "1");
    char body[200];
    int n = snprintf(body, sizeof body, "{\"error\":\"%s\"}", why);
    http_response_append(res, body, (size_t)n);
    emit(w, c, res, true, false);
    c->close_after = true;
}

static size_t in_charge(size_t cap)
{
    return cap > IN_BASE ? cap - IN_BASE : 0;
}

static void in_release(worker *w, conn *c)
{
    w->buffered -= in_charge(c->in_cap);
    free(c->in);
    c->in = NULL;
    c->in_len = c->in_cap = 0;
}

static void listen_resume(worker *w)
{
    if (!w->accept_paused || w->draining)
        return;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &TAG_LISTEN};
    epoll_ctl(w->ep, EPOLL_CTL_ADD, w->lfd, &ev);
    w->accept_paused = false;
}

static void conn_close(worker *w, conn *c)
{
    if (c->fd < 0)
        return;
    epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    in_release(w, c);
    int slot = c->slot;
    w->conns[slot] = w->conns[--w->nconns];
    w->conns[slot]->slot = slot;
    c->dead_next = w->dead;
    w->dead = c;
    listen_resume(w);
}

static void free_dead(worker *w)
{
    while (w->dead) {
        conn *c = w->dead;
        w->dead = c->dead_next;
        free(c->out);
        free(c);
    }
}

/* Input while more can be taken (not at end of input, not answering, no backlog); output while
 * some is pending or more requests wait for the backlog to drain. A connection that can make no
 * progress is registered for nothing but errors, so it cannot wake the loop in vain. */
static void update_events(worker *w, conn *c)
{
    uint32_t ev = 0;
    if (c->lingering || (!c->rd_eof && !c->close_after && !c->more))
        ev |= EPOLLIN | EPOLLRDHUP;
    if (!c->lingering && (c->out_off < c->out_len || c->more))
        ev |= EPOLLOUT;
    if (ev == c->events)
        return;
    struct epoll_event e = {.events = ev, .data.ptr = c};
    epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &e);
    c->events = ev;
}

/* Writes what is pending until done or the socket is full. -1 when the connection is gone. */
static int flush(conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t k = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (k > 0) {
            c->out_off += (size_t)k;
            c->last_ms = http_now_ms();
            continue;
        }
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        return -1;
    }
    c->out_off = c->out_len = 0;
    return 0;
}

static void respond(worker *w, conn *c, const http_head *head, const http_body *body)
{
    const http_server_config *cfg = w->cfg;
    http_response *res = &w->res;
    reset_response(res);
    http_request req = {.head = head, .body = body->body, .body_len = body->body_len,
                        .started_ms = c->request_ms ? c->request_ms : http_now_ms()};
    cfg->handler(cfg->app, &req, res);
    bool close_conn = !head->keep_alive || w->draining;
    if (res->failed)
        error_response(w, c, 500, "internal error");
    else if (emit(w, c, res, close_conn, http_str_eq(head->method, "HEAD")))
        c->close_after = true;
    if (close_conn)
        c->close_after = true;
}

/* Answers the whole requests in the input buffer, in order, until the output backlog is high. */
static void process(worker *w, conn *c)
{
    const http_server_config *cfg = w->cfg;
    size_t off = 0;
    c->more = false;
    while (!c->close_after && off < c->in_len) {
        if (c->out_len - c->out_off >= OUT_HIGH_WATER) {
            c->more = true;
            break;
        }
        http_head head;
        http_body body;
        const char *why = "";
        int rc = http_read_request(&c->rd, c->in + off, c->in_len - off, cfg->max_head, cfg->max_body, &head,
                                   &body, &why);
        if (rc == 0) {
            /* RFC 9110 10.1.1: only an HTTP/1.1 client waits for it (the parser drops 1.0's) */
            if (c->rd.expect_continue && !c->sent_continue && !c->rd_eof) {
                out_add(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
                c->sent_continue = true;
            }
            break;
        }
        if (rc < 0) {
            error_response(w, c, -rc, why);
            break;
        }
        respond(w, c, &head, &body);
        off += body.used;
        c->rd = (http_reader){0};
        c->sent_continue = false;
        c->request_ms = off < c->in_len ? http_now_ms() : 0;
    }
    if (off) {
        memmove(c->in, c->in + off, c->in_len - off);
        c->in_len -= off;
    }
    /* at end of input every whole request is answered; a partial one never will be */
    if (c->rd_eof && !c->more)
        c->close_after = true;
}

/* Gives back a large input buffer once what it held is answered, so the budget is not held by
 * an idle keep-alive connection. */
static void in_shrink(worker *w, conn *c)
{
    if (c->in_cap <= IN_BASE || c->in_len > IN_BASE / 2)
        return;
    char *b = realloc(c->in, IN_BASE);
    if (!b)
        return;
    w->buffered -= in_charge(c->in_cap);
    c->in = b;
    c->in_cap = IN_BASE;
}

/* The last response is out: shut down our side, then read until the client's EOF (bounded by
 * LINGER_MS) so that its unread requests do not turn our close into a reset that could destroy
 * the response in flight. */
static void conn_finish(worker *w, conn *c)
{
    if (c->rd_eof) {
        conn_close(w, c);
        return;
    }
    shutdown(c->fd, SHUT_WR);
    c->lingering = true;
    c->more = false;
    c->last_ms = http_now_ms();
    in_release(w, c);
    update_events(w, c);
}

/* Answers what is whole, writes it, and again while the backlog let more wait and the socket
 * took everything; then registers for what the connection can do next. */
static void conn_run(worker *w, conn *c)
{
    for (int round = 0;; round++) {
        process(w, c);
        if (flush(c) < 0) {
            conn_close(w, c);
            return;
        }
        if (!c->more || c->out_off < c->out_len || round == RUN_ROUNDS)
            break;
    }
    if (c->close_after && c->out_off == c->out_len) {
        conn_finish(w, c);
        return;
    }
    if (!c->more && !c->close_after && c->in_len == c->in_cap && c->in_cap >= w->in_limit) {
        /* a full buffer with no whole request in it: its head or body is over the limit */
        error_response(w, c, 413, "request too large");
        conn_run(w, c);
        return;
    }
    in_shrink(w, c);
    update_events(w, c);
}

/* Room for more input: 0, or -1 at the buffer's limit, or when the budget or memory is out
 * (answered with 503). */
static int in_grow(worker *w, conn *c)
{
    const http_server_config *cfg = w->cfg;
    if (c->in_cap >= w->in_limit)
        return -1;
    size_t cap = c->in_cap ? c->in_cap * 2 : IN_BASE;
    if (cap > w->in_limit)
        cap = w->in_limit;
    size_t charge = in_charge(cap) - in_charge(c->in_cap);
    if (w->buffered + charge > cfg->max_buffered) {
        error_response(w, c, 503, "server busy: buffered requests exceed its memory budget");
        return -1;
    }
    char *b = realloc(c->in, cap);
    if (!b) {
        error_response(w, c, 503, "out of memory");
        return -1;
    }
    w->buffered += charge;
    c->in = b;
    c->in_cap = cap;
    return 0;
}

static void linger_read(worker *w, conn *c)
{
    char sink[4096];
    for (int i = 0; i < 16; i++) {
        ssize_t k = recv(c->fd, sink, sizeof sink, 0);
        if (k > 0 || (k < 0 && errno == EINTR))
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        conn_close(w, c);
        return;
    }
}

static void on_readable(worker *w, conn *c)
{
    if (c->lingering) {
        linger_read(w, c);
        return;
    }
    if (c->rd_eof || c->close_after || c->more)
        return; /* not registered for input any more: a stale event of this batch */
    for (;;) {
        if (c->in_len == c->in_cap && c->in_len) {
            /* answer what is whole before growing: a deep pipeline then needs no bigger buffer */
            process(w, c);
            if (c->more || c->close_after)
                break;
        }
        if (c->in_len == c->in_cap && in_grow(w, c) < 0)
            break;
        ssize_t k = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
        if (k > 0) {
            if (c->in_len == 0)
                c->request_ms = http_now_ms();
            c->in_len += (size_t)k;
            c->last_ms = http_now_ms();
            if (c->in_len < c->in_cap)
                break;
            continue;
        }
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        c->rd_eof = true; /* EOF or error: answer what is whole, then close */
        break;
    }
    conn_run(w, c);
}

static void listen_pause(worker *w)
{
    if (w->accept_paused)
        return;
    epoll_ctl(w->ep, EPOLL_CTL_DEL, w->lfd, NULL);
    w->accept_paused = true;
}

static void accept_all(worker *w)
{
    for (;;) {
        int fd = accept4(w->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            /* Out of descriptors or memory: the listener stays readable, so polling it would
             * spin. Clients wait in the backlog until a connection closes or the next tick. */
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                listen_pause(w);
            return;
        }
        if (w->nconns >= w->cfg->max_connections) {
            close(fd);
            continue;
        }
        if (w->nconns == w->cap) {
            int cap = w->cap ? w->cap * 2 : 1024;
            conn **g = realloc(w->conns, (size_t)cap * sizeof *g);
            if (!g) {
                close(fd);
                continue;
            }
            w->conns = g;
            w->cap = cap;
        }
        conn *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->fd = fd;
        c->last_ms = http_now_ms();
        c->slot = w->nconns;
        c->events = EPOLLIN | EPOLLRDHUP;
        w->conns[w->nconns++] = c;
        struct epoll_event ev = {.events = c->events, .data.ptr = c};
        if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
            conn_close(w, c);
    }
}

static void on_tick(worker *w)
{
    uint64_t ticks;
    (void)!read(w->tfd, &ticks, sizeof ticks);
    update_date(w);
    listen_resume(w);
    double now = http_now_ms();
    for (int i = w->nconns - 1; i >= 0; i--) {
        conn *c = w->conns[i];
        bool pending_in = c->in_len > 0, pending_out = c->out_off < c->out_len;
        if (c->lingering) {
            if (now - c->last_ms > LINGER_MS || w->draining)
                conn_close(w, c);
        } else if (pending_in && !pending_out && !c->close_after && !c->more &&
                   now - c->request_ms > w->cfg->request_timeout_ms) {
            error_response(w, c, 408, "request timeout");
            conn_run(w, c);
        } else if (now - c->last_ms > (pending_out ? w->cfg->request_timeout_ms : w->cfg->idle_timeout_ms)) {
            conn_close(w, c);
        } else if (w->draining && !pending_in && !pending_out) {
            conn_close(w, c);
        }
    }
}

static void start_drain(worker *w)
{
    if (w->draining)
        return;
    w->draining = true;
    w->drain_deadline = http_now_ms() + DRAIN_MS;
    if (!w->accept_paused)
        epoll_ctl(w->ep, EPOLL_CTL_DEL, w->lfd, NULL);
    close(w->lfd);
    w->lfd = -1;
    for (int i = w->nconns - 1; i >= 0; i--) {
        conn *c = w->conns[i];
        if (c->in_len == 0 && c->out_off == c->out_len)
            conn_close(w, c);
    }
}

static void on_conn_event(worker *w, conn *c, uint32_t events)
{
    if (c->fd < 0)
        return;
    if (events & (EPOLLERR | EPOLLHUP)) {
        conn_close(w, c);
        return;
    }
    if ((events & EPOLLOUT) && !c->lingering) {
        conn_run(w, c);
        if (c->fd < 0)
            return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP))
        on_readable(w, c);
}

static int worker_run(const http_server_config *cfg, int lfd, int index, char *err, size_t cap)
{
    worker w = {.cfg = cfg, .lfd = lfd, .ep = -1, .sfd = -1, .tfd = -1};
    w.in_limit = cfg->max_head + cfg->max_body + 4096;
    int rc = -1;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (cfg->worker_init && cfg->worker_init(cfg->app, index, err, cap))
        goto out;
    w.ep = epoll_create1(EPOLL_CLOEXEC);
    w.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    w.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (w.ep < 0 || w.sfd < 0 || w.tfd < 0) {
        snprintf(err, cap, "epoll/signalfd/timerfd: %s", strerror(errno));
        goto out;
    }
    struct itimerspec its = {.it_interval = {1, 0}, .it_value = {1, 0}};
    timerfd_settime(w.tfd, 0, &its, NULL);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &TAG_LISTEN};
    epoll_ctl(w.ep, EPOLL_CTL_ADD, w.lfd, &ev);
    ev.data.ptr = &TAG_SIGNAL;
    epoll_ctl(w.ep, EPOLL_CTL_ADD, w.sfd, &ev);
    ev.data.ptr = &TAG_TIMER;
    epoll_ctl(w.ep, EPOLL_CTL_ADD, w.tfd, &ev);
    update_date(&w);
    struct epoll_event events[256];
    for (;;) {
        if (w.draining && (w.nconns == 0 || http_now_ms() > w.drain_deadline))
            break;
        int n = epoll_wait(w.ep, events, 256, 1000);
        if (n < 0 && errno != EINTR) {
            snprintf(err, cap, "epoll_wait: %s", strerror(errno));
            goto out;
        }
        for (int i = 0; i < n; i++) {
            void *p = events[i].data.ptr;
            if (p == &TAG_LISTEN) {
                if (!w.draining)
                    accept_all(&w);
            } else if (p == &TAG_SIGNAL) {
                struct signalfd_siginfo si;
                while (read(w.sfd, &si, sizeof si) == (ssize_t)sizeof si)
                    ;
                start_drain(&w);
            } else if (p == &TAG_TIMER) {
                on_tick(&w);
            } else {
                on_conn_event(&w, p, events[i].events);
            }
        }
        free_dead(&w);
    }
    rc = 0;
out:
    while (w.nconns)
        conn_close(&w, w.conns[0]);
    free_dead(&w);
    free(w.conns);
    free(w.res.body);
    if (w.lfd >= 0)
        close(w.lfd);
    if (w.ep >= 0)
        close(w.ep);
    if (w.sfd >= 0)
        close(w.sfd);
    if (w.tfd >= 0)
        close(w.tfd);
    if (cfg->worker_done)
        cfg->worker_done(cfg->app);
    return rc;
}

static int listen_socket(const char *host, int port, char *err, size_t cap)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        snprintf(err, cap, "bad IPv4 address '%s'", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, cap, "socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4096) != 0) {
        snprintf(err, cap, "cannot listen on %s:%d: %s", host, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static volatile sig_atomic_t master_stop;

static void master_signal(int sig)
{
    (void)sig;
    master_stop = 1;
}

int http_serve(const http_server_config *in, char *err, size_t cap)
{
    http_server_config cfg = *in;
    if (!cfg.host)
        cfg.host = "127.0.0.1";
    if (cfg.workers < 1)
        cfg.workers = 1;
    if (!cfg.max_head)
        cfg.max_head = 8192;
    if (!cfg.max_body)
        cfg.max_body = 1 << 20;
    if (!cfg.idle_timeout_ms)
        cfg.idle_timeout_ms = 30000;
    if (!cfg.request_timeout_ms)
        cfg.request_timeout_ms = 10000;
    if (!cfg.max_connections)
        cfg.max_connections = 16384;
    if (!cfg.max_buffered)
        cfg.max_buffered = (size_t)64 << 20;
    if (cfg.workers > 256) {
        snprintf(err, cap, "too many workers (%d)", cfg.workers);
        return -1;
    }
    int fds[256];
    int port = cfg.port;
    for (int i = 0; i < cfg.workers; i++) {
        fds[i] = listen_socket(cfg.host, port, err, cap);
        if (fds[i] < 0) {
            while (i--)
                close(fds[i]);
            return -1;
        }
        if (port == 0) {
            struct sockaddr_in a;
            socklen_t len = sizeof a;
            getsockname(fds[i], (struct sockaddr *)&a, &len);
            port = ntohs(a.sin_port);
        }
    }
    if (cfg.on_listening)
        cfg.on_listening(cfg.ctx, port);
    if (cfg.workers == 1)
        return worker_run(&cfg, fds[0], 0, err, cap);

    /* The master only forwards SIGTERM/SIGINT and waits: each worker is a whole server. */
    struct sigaction sa = {.sa_handler = master_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    pid_t pids[256];
    int started = 0;
    for (int i = 0; i < cfg.workers; i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            for (int k = 0; k < cfg.workers; k++)
                if (k != i)
                    close(fds[k]);
            char werr[256] = "";
            int rc = worker_run(&cfg, fds[i], i, werr, sizeof werr);
            if (rc)
                fprintf(stderr, "ladder serve: worker %d: %s\n", i, werr);
            _exit(rc ? 1 : 0);
        }
        close(fds[i]);
        if (pid > 0)
            pids[started++] = pid;
    }
    int failed = 0;
    int alive = started;
    while (alive > 0) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) {
                if (master_stop)
                    for (int i = 0; i < started; i++)
                        kill(pids[i], SIGTERM);
                continue;
            }
            break;
        }
        alive--;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
        if (!master_stop) {
            /* a worker died on its own: stop the others rather than serve at reduced capacity */
            master_stop = 1;
            for (int i = 0; i < started; i++)
                kill(pids[i], SIGTERM);
        }
    }
    if (failed) {
        snprintf(err, cap, "%d worker%s failed", failed, failed == 1 ? "" : "s");
        return -1;
    }
    return 0;
}
