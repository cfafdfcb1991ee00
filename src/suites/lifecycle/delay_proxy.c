#include "suites/lifecycle/delay_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

enum { CHUNK_MAX = 64 * 1024, QUEUE_HIGH = 4 * 1024 * 1024 };

typedef struct chunk {
    struct chunk *next;
    int64_t due_ns;
    size_t len, off;
    bool fin;            /* the sender closed its side: shut down the receiver's write side */
    char data[];
} chunk;

typedef struct conn conn;

/* One direction: bytes read from `from` wait in the queue, then go to `to`. */
typedef struct {
    conn *c;
    int from, to;
    chunk *head, *tail;
    size_t queued;
    bool eof;            /* read side saw EOF (the FIN chunk is queued) */
    bool done;           /* FIN delivered */
    bool paused;         /* not reading: the queue is full */
    bool want_write;     /* `to` is full: waiting for EPOLLOUT */
} pipe_dir;

struct conn {
    conn *next;
    int fd[2];           /* 0: client, 1: upstream */
    pipe_dir dir[2];     /* 0: client -> upstream, 1: upstream -> client */
    bool dead;
};

struct proxy {
    proxy_config cfg;
    char listen_host[64], upstream_host[64];
    int64_t delay_ns;
    int lfd, ep, tfd, efd;
    int port;
    pthread_t thread;
    bool thread_started;
    conn *conns;
    pthread_mutex_t lock;
    proxy_counters counts;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* epoll data: a conn pointer with the side (0 or 1) in its lowest bit; 1..3 are the listening
 * socket, the timer and the stop eventfd. */

static void set_events(proxy *p, conn *c, int side)
{
    uint32_t ev = 0;
    pipe_dir *out = &c->dir[side];        /* reading from fd[side] */
    pipe_dir *in = &c->dir[1 - side];     /* writing to fd[side] */
    if (!out->eof && !out->paused)
        ev |= EPOLLIN | EPOLLRDHUP;
    if (in->want_write)
        ev |= EPOLLOUT;
    struct epoll_event e = {.events = ev};
    e.data.u64 = (uint64_t)(uintptr_t)c | (uint64_t)side;
    epoll_ctl(p->ep, EPOLL_CTL_MOD, c->fd[side], &e);
}

static void conn_close(conn *c)
{
    for (int s = 0; s < 2; s++) {
        if (c->fd[s] >= 0)
            close(c->fd[s]);
        c->fd[s] = -1;
        for (chunk *k = c->dir[s].head, *n; k; k = n) {
            n = k->next;
            free(k);
        }
        c->dir[s].head = c->dir[s].tail = NULL;
    }
    c->dead = true;
}

static void read_side(proxy *p, conn *c, int side)
{
    pipe_dir *d = &c->dir[side];
    while (!d->eof && !d->paused) {
        chunk *k = malloc(sizeof *k + CHUNK_MAX);
        if (!k) {
            conn_close(c);
            return;
        }
        ssize_t n = read(d->from, k->data, CHUNK_MAX);
        if (n < 0 && errno == EINTR) {
            free(k);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            free(k);
            break;
        }
        if (n < 0) {
            free(k);
            conn_close(c);
            return;
        }
        k->next = NULL;
        k->due_ns = now_ns() + p->delay_ns;
        k->len = (size_t)n;
        k->off = 0;
        k->fin = n == 0;
        if (n == 0)
            d->eof = true;
        if (d->tail)
            d->tail->next = k;
        else
            d->head = k;
        d->tail = k;
        d->queued += (size_t)n;
        if (d->queued >= QUEUE_HIGH)
            d->paused = true;
        pthread_mutex_lock(&p->lock);
        if (side == 0)
            p->counts.bytes_up += n;
        else
            p->counts.bytes_down += n;
        pthread_mutex_unlock(&p->lock);
    }
    set_events(p, c, side);
}

/* Writes every due chunk of one direction; returns the next due time, or INT64_MAX. */
static int64_t flush_dir(proxy *p, conn *c, int side, int64_t now)
{
    pipe_dir *d = &c->dir[side];
    while (d->head && d->head->due_ns <= now && !c->dead) {
        chunk *k = d->head;
        if (k->fin) {
            shutdown(d->to, SHUT_WR);
            d->done = true;
        } else {
            while (k->off < k->len) {
                ssize_t n = write(d->to, k->data + k->off, k->len - k->off);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    if (!d->want_write) {
                        d->want_write = true;
                        set_events(p, c, 1 - side);
                    }
                    return INT64_MAX;
                }
                if (n < 0) {
                    conn_close(c);
                    return INT64_MAX;
                }
                k->off += (size_t)n;
            }
            d->queued -= k->len;
        }
        d->head = k->next;
        if (!d->head)
            d->tail = NULL;
        free(k);
        if (d->paused && d->queued < QUEUE_HIGH / 2) {
            d->paused = false;
            set_events(p, c, side);
        }
    }
    if (d->want_write) {
        d->want_write = false;
        set_events(p, c, 1 - side);
    }
    return d->head ? d->head->due_ns : INT64_MAX;
}

static void arm_timer(proxy *p)
{
    int64_t now = now_ns(), next = INT64_MAX;
    for (conn *c = p->conns; c; c = c->next)
        for (int s = 0; s < 2 && !c->dead; s++) {
            int64_t due = flush_dir(p, c, s, now);
            if (due < next)
                next = due;
        }
    struct itimerspec its = {0};
    if (next != INT64_MAX) {
        its.it_value.tv_sec = next / 1000000000;
        its.it_value.tv_nsec = next % 1000000000;
        if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
            its.it_value.tv_nsec = 1;
    }
    timerfd_settime(p->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void reap(proxy *p)
{
    for (conn **pc = &p->conns; *pc;) {
        conn *c = *pc;
        if (!c->dead && c->dir[0].done && c->dir[1].done)
            conn_close(c);
        if (c->dead) {
            *pc = c->next;
            free(c);
        } else {
            pc = &c->next;
        }
    }
}

static int connect_upstream(proxy *p)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->cfg.upstream_port)};
    inet_pton(AF_INET, p->upstream_host, &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void accept_all(proxy *p)
{
    for (;;) {
        int cfd = accept4(p->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0)
            return;
        int ufd = connect_upstream(p);
        conn *c = ufd >= 0 ? calloc(1, sizeof *c) : NULL;
        if (!c) {
            close(cfd);
            if (ufd >= 0)
                close(ufd);
            continue;
        }
        int one = 1;
        fcntl(ufd, F_SETFL, fcntl(ufd, F_GETFL) | O_NONBLOCK);
        setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(ufd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->fd[0] = cfd;
        c->fd[1] = ufd;
        for (int s = 0; s < 2; s++) {
            c->dir[s].c = c;
            c->dir[s].from = c->fd[s];
            c->dir[s].to = c->fd[1 - s];
            struct epoll_event e = {.events = EPOLLIN | EPOLLRDHUP};
            e.data.u64 = (uint64_t)(uintptr_t)c | (uint64_t)s;
            epoll_ctl(p->ep, EPOLL_CTL_ADD, c->fd[s], &e);
        }
        c->next = p->conns;
        p->conns = c;
        pthread_mutex_lock(&p->lock);
        p->counts.connections++;
        pthread_mutex_unlock(&p->lock);
    }
}

static void *proxy_main(void *arg)
{
    proxy *p = arg;
    struct epoll_event evs[64];
    for (;;) {
        int n = epoll_wait(p->ep, evs, 64, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        bool stop = false;
        for (int i = 0; i < n; i++) {
            uint64_t u = evs[i].data.u64;
            if (u == 1) {
                accept_all(p);
            } else if (u == 2) {
                uint64_t ticks;
                ssize_t r = read(p->tfd, &ticks, sizeof ticks);
                (void)r;
            } else if (u == 3) {
                stop = true;
            } else {
                conn *c = (conn *)(uintptr_t)(u & ~(uint64_t)1);
                int side = (int)(u & 1);
                if (c->dead)
                    continue;
                if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                    read_side(p, c, side);
                if (!c->dead && (evs[i].events & EPOLLOUT))
                    flush_dir(p, c, 1 - side, now_ns());
            }
        }
        if (stop)
            break;
        arm_timer(p);
        reap(p);
    }
    return NULL;
}

int proxy_start(const proxy_config *cfg, proxy **out, char *err, size_t cap)
{
    *out = NULL;
    if (!(cfg->rtt_ms >= 0 && cfg->rtt_ms <= 600000) || cfg->upstream_port <= 0 || cfg->upstream_port > 65535) {
        snprintf(err, cap, "proxy: bad RTT or upstream port");
        return -1;
    }
    proxy *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    p->cfg = *cfg;
    snprintf(p->listen_host, sizeof p->listen_host, "%s", cfg->listen_host ? cfg->listen_host : "127.0.0.1");
    snprintf(p->upstream_host, sizeof p->upstream_host, "%s", cfg->upstream_host ? cfg->upstream_host : "127.0.0.1");
    p->cfg.listen_host = p->listen_host;
    p->cfg.upstream_host = p->upstream_host;
    p->delay_ns = (int64_t)(cfg->rtt_ms * 1e6 / 2);
    p->lfd = p->ep = p->tfd = p->efd = -1;
    pthread_mutex_init(&p->lock, NULL);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->listen_port)};
    struct in_addr probe;
    if (inet_pton(AF_INET, p->listen_host, &a.sin_addr) != 1 || inet_pton(AF_INET, p->upstream_host, &probe) != 1) {
        snprintf(err, cap, "proxy: addresses must be IPv4 literals");
        proxy_stop(p);
        return -1;
    }
    int one = 1;
    socklen_t len = sizeof a;
    p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (p->lfd < 0 || setsockopt(p->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(p->lfd, (struct sockaddr *)&a, sizeof a) || listen(p->lfd, 128) ||
        getsockname(p->lfd, (struct sockaddr *)&a, &len)) {
        snprintf(err, cap, "proxy: cannot listen on %s:%d: %s", p->listen_host, cfg->listen_port, strerror(errno));
        proxy_stop(p);
        return -1;
    }
    p->port = ntohs(a.sin_port);
    p->ep = epoll_create1(EPOLL_CLOEXEC);
    p->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (p->ep < 0 || p->tfd < 0 || p->efd < 0) {
        snprintf(err, cap, "proxy: epoll/timerfd/eventfd: %s", strerror(errno));
        proxy_stop(p);
        return -1;
    }
    int fds[3] = {p->lfd, p->tfd, p->efd};
    for (int i = 0; i < 3; i++) {
        struct epoll_event e = {.events = EPOLLIN};
        e.data.u64 = (uint64_t)i + 1;
        epoll_ctl(p->ep, EPOLL_CTL_ADD, fds[i], &e);
    }
    int rc = pthread_create(&p->thread, NULL, proxy_main, p);
    if (rc) {
        snprintf(err, cap, "proxy: cannot start its thread: %s", strerror(rc));
        proxy_stop(p);
        return -1;
    }
    p->thread_started = true;
    *out = p;
    return 0;
}

int proxy_port(const proxy *p)
{
    return p->port;
}

proxy_counters proxy_counts(proxy *p)
{
    pthread_mutex_lock(&p->lock);
    proxy_counters c = p->counts;
    pthread_mutex_unlock(&p->lock);
    return c;
}

void proxy_stop(proxy *p)
{
    if (!p)
        return;
    if (p->thread_started) {
        uint64_t one = 1;
        ssize_t r = write(p->efd, &one, sizeof one);
        (void)r;
        pthread_join(p->thread, NULL);
    }
    for (conn *c = p->conns, *n; c; c = n) {
        n = c->next;
        conn_close(c);
        free(c);
    }
    int fds[4] = {p->lfd, p->ep, p->tfd, p->efd};
    for (int i = 0; i < 4; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
