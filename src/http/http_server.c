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

#define OUT_HIGH_WATER (1u << 20)
#define DRAIN_MS 5000

typedef struct conn {
    int fd;
    int slot;               /* index in worker.conns */
    char *in;
    size_t in_len, in_cap;
    char *out;
    size_t out_len, out_off, out_cap;
    double last_ms;         /* last read or write */
    double request_ms;      /* when the first byte of the pending request arrived; 0 if none */
    bool close_after;       /* close once out is flushed */
    bool sent_continue;
    bool want_out;          /* EPOLLOUT registered */
    struct conn *dead_next; /* closed this batch; freed after it, as later events may name it */
} conn;

typedef struct {
    const http_server_config *cfg;
    int ep, lfd, sfd, tfd;
    conn **conns;
    int nconns, cap;
    conn *dead;
    bool draining;
    double drain_deadline;
    char date[64];          /* "Date: ...\r\n" */
    size_t date_len;
    http_response res;
} worker;

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

/* Appends one whole response (status line, headers, body) to the connection's output. */
static int emit(worker *w, conn *c, const http_response *res, bool close_conn, bool head_only)
{
    char head[256];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nServer: ladder\r\n", res->status,
                     http_status_text(res->status));
    if (out_add(c, head, (size_t)n) || out_add(c, w->date, w->date_len))
        return -1;
    if (res->content_type) {
        n = snprintf(head, sizeof head, "Content-Type: %s\r\n", res->content_type);
        if (out_add(c, head, (size_t)n))
            return -1;
    }
    n = snprintf(head, sizeof head, "Content-Length: %zu\r\n%s\r\n", res->len, close_conn ? "Connection: close\r\n" : "");
    if (out_add(c, res->headers, res->headers_len) || out_add(c, head, (size_t)n))
        return -1;
    if (!head_only && out_add(c, res->body, res->len))
        return -1;
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
    char body[200];
    int n = snprintf(body, sizeof body, "{\"error\":\"%s\"}", why);
    http_response_append(res, body, (size_t)n);
    emit(w, c, res, true, false);
    c->close_after = true;
}

static void conn_close(worker *w, conn *c)
{
    if (c->fd < 0)
        return;
    epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    int slot = c->slot;
    w->conns[slot] = w->conns[--w->nconns];
    w->conns[slot]->slot = slot;
    c->dead_next = w->dead;
    w->dead = c;
}

static void free_dead(worker *w)
{
    while (w->dead) {
        conn *c = w->dead;
        w->dead = c->dead_next;
        free(c->in);
        free(c->out);
        free(c);
    }
}

static void set_events(worker *w, conn *c, bool want_out)
{
    if (c->want_out == want_out)
        return;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | (want_out ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_out = want_out;
}

/* Writes what is pending. Returns -1 when the connection is gone or done. */
static int flush(worker *w, conn *c)
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
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            set_events(w, c, true);
            return 0;
        }
        return -1;
    }
    c->out_off = c->out_len = 0;
    set_events(w, c, false);
    if (c->close_after) {
        shutdown(c->fd, SHUT_WR);
        return -1;
    }
    return 0;
}

/* Handles every complete request in the input buffer. */
static void process(worker *w, conn *c)
{
    const http_server_config *cfg = w->cfg;
    size_t off = 0;
    while (!c->close_after && off < c->in_len && c->out_len - c->out_off < OUT_HIGH_WATER) {
        http_head head;
        const char *why = "";
        int rc = http_parse_head(c->in + off, c->in_len - off, cfg->max_head, &head, &why);
        if (rc == 0)
            break;
        if (rc < 0) {
            error_response(w, c, -rc, why);
            break;
        }
        const char *body = c->in + off + head.head_len;
        size_t avail = c->in_len - off - head.head_len, body_len = 0, used = 0;
        if (head.chunked) {
            char *dst = c->in + off + head.head_len;
            size_t consumed;
            int k = http_parse_chunked(dst, avail, dst, cfg->max_body, &consumed, &body_len, &why);
            if (k < 0) {
                error_response(w, c, -k, why);
                break;
            }
            if (k == 0) {
                if (head.expect_continue && !c->sent_continue) {
                    out_add(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
                    c->sent_continue = true;
                }
                break;
            }
            /* decoding in place shrank the body; the request's bytes are all consumed */
            used = consumed;
        } else if (head.content_length > 0) {
            if ((uint64_t)head.content_length > cfg->max_body) {
                error_response(w, c, 413, "request body too large");
                break;
            }
            if (avail < (size_t)head.content_length) {
                if (head.expect_continue && !c->sent_continue) {
                    out_add(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
                    c->sent_continue = true;
                }
                break;
            }
            body_len = used = (size_t)head.content_length;
        }
        http_response *res = &w->res;
        reset_response(res);
        http_request req = {.head = &head, .body = body, .body_len = body_len,
                            .started_ms = c->request_ms ? c->request_ms : http_now_ms()};
        cfg->handler(cfg->app, &req, res);
        bool close_conn = !head.keep_alive || w->draining;
        if (res->failed) {
            error_response(w, c, 500, "internal error");
        } else if (emit(w, c, res, close_conn, http_str_eq(head.method, "HEAD"))) {
            c->close_after = true;
            break;
        }
        if (close_conn)
            c->close_after = true;
        off += head.head_len + used;
        c->sent_continue = false;
        c->request_ms = off < c->in_len ? http_now_ms() : 0;
    }
    if (off) {
        memmove(c->in, c->in + off, c->in_len - off);
        c->in_len -= off;
    }
}

static void on_readable(worker *w, conn *c)
{
    const http_server_config *cfg = w->cfg;
    size_t limit = cfg->max_head + cfg->max_body + 4096;
    for (;;) {
        if (c->in_len == c->in_cap) {
            if (c->in_cap >= limit) {
                /* a full buffer that parsed to nothing: the head or body is over the limit */
                process(w, c);
                if (c->in_len == c->in_cap && !c->close_after)
                    error_response(w, c, 431, "request too large");
                break;
            }
            size_t cap = c->in_cap ? c->in_cap * 2 : 4096;
            if (cap > limit)
                cap = limit;
            char *b = realloc(c->in, cap);
            if (!b) {
                error_response(w, c, 503, "out of memory");
                break;
            }
            c->in = b;
            c->in_cap = cap;
        }
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
        /* EOF or error: nothing more will come; answer what is complete, then close */
        c->close_after = true;
        process(w, c);
        if (flush(w, c) < 0 || c->out_len == 0)
            conn_close(w, c);
        return;
    }
    if (!c->close_after)
        process(w, c);
    if (flush(w, c) < 0)
        conn_close(w, c);
}

static void accept_all(worker *w)
{
    for (;;) {
        int fd = accept4(w->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return; /* EAGAIN, or out of fds: retried on the next readiness */
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
        w->conns[w->nconns++] = c;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
        if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
            conn_close(w, c);
    }
}

static void on_tick(worker *w)
{
    uint64_t ticks;
    (void)!read(w->tfd, &ticks, sizeof ticks);
    update_date(w);
    double now = http_now_ms();
    for (int i = w->nconns - 1; i >= 0; i--) {
        conn *c = w->conns[i];
        bool pending_in = c->in_len > 0, pending_out = c->out_off < c->out_len;
        if (pending_in && !pending_out && !c->close_after && now - c->request_ms > w->cfg->request_timeout_ms) {
            error_response(w, c, 408, "request timeout");
            if (flush(w, c) < 0)
                conn_close(w, c);
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
    epoll_ctl(w->ep, EPOLL_CTL_DEL, w->lfd, NULL);
    close(w->lfd);
    w->lfd = -1;
    for (int i = w->nconns - 1; i >= 0; i--) {
        conn *c = w->conns[i];
        if (c->in_len == 0 && c->out_off == c->out_len)
            conn_close(w, c);
    }
}

static int worker_run(const http_server_config *cfg, int lfd, int index, char *err, size_t cap)
{
    worker w = {.cfg = cfg, .lfd = lfd, .ep = -1, .sfd = -1, .tfd = -1};
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
    static int tags[3];
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &tags[0]};
    epoll_ctl(w.ep, EPOLL_CTL_ADD, w.lfd, &ev);
    ev.data.ptr = &tags[1];
    epoll_ctl(w.ep, EPOLL_CTL_ADD, w.sfd, &ev);
    ev.data.ptr = &tags[2];
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
            if (p == &tags[0]) {
                if (!w.draining)
                    accept_all(&w);
            } else if (p == &tags[1]) {
                struct signalfd_siginfo si;
                while (read(w.sfd, &si, sizeof si) == (ssize_t)sizeof si)
                    ;
                start_drain(&w);
            } else if (p == &tags[2]) {
                on_tick(&w);
            } else {
                conn *c = p;
                if (c->fd < 0)
                    continue;
                if (events[i].events & (EPOLLERR | EPOLLHUP)) {
                    conn_close(&w, c);
                    continue;
                }
                if (events[i].events & EPOLLOUT) {
                    if (flush(&w, c) < 0) {
                        conn_close(&w, c);
                        continue;
                    }
                    if (c->in_len && !c->close_after) {
                        process(&w, c);
                        if (flush(&w, c) < 0) {
                            conn_close(&w, c);
                            continue;
                        }
                    }
                }
                if (events[i].events & (EPOLLIN | EPOLLRDHUP))
                    on_readable(&w, c);
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
