#include "core/strbuf.h"
#include "core/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/fsutil.h"

int server_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

void server_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void log_tail(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    char *text = fs_read_all(path, NULL, NULL, 0);
    if (text)
        str_last_line(text, out, cap);
    free(text);
}

static int spawn(server *s, const server_spec *spec, char *why, size_t cap)
{
    strlist env, argv;
    strlist_init(&env);
    strlist_init(&argv);
    bench_env(spec->st, spec->bo, &env);
    strlist_addf(&env, "PORT=%d", s->port);
    strlist_addf(&env, "WORKERS=%d", spec->workers);
    for (const char *const *x = spec->extra_env; x && *x; x++)
        strlist_add(&env, *x);
    if (spec->cpus && *spec->cpus) {
        strlist_add(&argv, "taskset");
        strlist_add(&argv, "-c");
        strlist_add(&argv, spec->cpus);
    }
    strlist_add(&argv, "/bin/sh");
    strlist_add(&argv, "-c");
    strlist_add(&argv, spec->st->r->run);
    int rc = -1;
    if (!strlist_ok(&env) || !strlist_ok(&argv)) {
        str_setf(why, cap, "out of memory");
    } else {
        unlink(s->log);
        proc_spec ps = {.argv = strlist_argv(&argv), .env_add = strlist_argv(&env), .cwd = spec->st->r->dir};
        rc = proc_spawn(&ps, s->log, &s->h, why, cap);
        s->running = rc == 0;
    }
    strlist_free(&env);
    strlist_free(&argv);
    return rc;
}

/* 0 answered, 1 exited before answering (worth another port), -1 no answer in time. */
static int wait_ready(server *s, const server_spec *spec, char *why, size_t cap)
{
    for (double waited = 0; waited < spec->start_timeout_s; waited += 0.1) {
        if (spec->probe(s->port, spec->probe_ctx, why, cap) == 0)
            return 0;
        proc_result dead;
        if (!proc_alive(&s->h, &dead)) {
            s->running = false;
            char tail[200];
            log_tail(s->log, tail, sizeof tail);
            str_setf(why, cap, "server exited before answering%s%s", *tail ? ": " : "", tail);
            return 1;
        }
        server_sleep_ms(100);
    }
    char last[200];
    snprintf(last, sizeof last, "%s", why);
    str_setf(why, cap, "no answer within %.0f s (%s)", spec->start_timeout_s, last);
    return -1;
}

int server_start(server *s, const server_spec *spec, char *why, size_t cap)
{
    memset(s, 0, sizeof *s);
    char err[256];
    strbuf log;
    strbuf_init(&log);
    strbuf_appendf(&log, "%s/%s", spec->st->build_dir, spec->log_name);
    s->log = strbuf_take(&log);
    if (!s->log) {
        str_setf(why, cap, "out of memory");
        return -1;
    }
    if (fs_mkdirs(spec->st->build_dir, err, sizeof err)) {
        str_setf(why, cap, "%s", err);
        return -1;
    }
    for (int attempt = 0; attempt < SERVER_START_TRIES; attempt++) {
        s->port = server_free_port();
        if (s->port < 0) {
            str_setf(why, cap, "no free loopback port");
            return -1;
        }
        if (spawn(s, spec, why, cap))
            return -1;
        int rc = wait_ready(s, spec, why, cap);
        if (rc == 0)
            return 0;
        server_stop(s, 5);
        if (rc < 0)
            return -1;
    }
    return -1;
}

bool server_alive(server *s)
{
    proc_result dead;
    if (s->running && !proc_alive(&s->h, &dead))
        s->running = false;
    return s->running;
}

void server_stop(server *s, double grace_s)
{
    if (!s->running)
        return;
    proc_result res;
    proc_stop(&s->h, grace_s, &res);
    s->running = false;
}

void server_free(server *s)
{
    server_stop(s, 5);
    free(s->log);
    s->log = NULL;
}

struct server_meter {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    int root, interval_ms;
    int64_t start_ns;
    proc_tree_usage first;
    server_usage use; /* cpu_ns, wall_ns filled at stop */
};

static int64_t meter_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void meter_note(server_meter *m, const proc_tree_usage *u)
{
    if (u->rss_kb > m->use.peak_rss_kb)
        m->use.peak_rss_kb = u->rss_kb;
    if (u->nprocs > m->use.max_procs)
        m->use.max_procs = u->nprocs;
    m->use.samples++;
}

static void *meter_main(void *arg)
{
    server_meter *m = arg;
    pthread_mutex_lock(&m->lock);
    while (!m->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        long ns = until.tv_nsec + (long)m->interval_ms * 1000000L;
        until.tv_sec += ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&m->wake, &m->lock, &until);
        if (m->stop)
            break;
        pthread_mutex_unlock(&m->lock);
        proc_tree_usage u;
        char err[128];
        int rc = proc_tree_sample(m->root, &u, err, sizeof err);
        pthread_mutex_lock(&m->lock);
        if (rc == 0)
            meter_note(m, &u);
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

server_meter *server_meter_start(const server *s, int interval_ms, char *why, size_t cap)
{
    server_meter *m = calloc(1, sizeof *m);
    if (!m) {
        str_setf(why, cap, "out of memory");
        return NULL;
    }
    m->root = s->h.pid;
    m->interval_ms = interval_ms > 0 ? interval_ms : 100;
    char err[128];
    if (proc_tree_sample(m->root, &m->first, err, sizeof err)) {
        str_setf(why, cap, "cannot account for the server: %s", err);
        free(m);
        return NULL;
    }
    m->start_ns = meter_now_ns();
    meter_note(m, &m->first);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&m->lock, NULL);
    if (pthread_create(&m->thread, NULL, meter_main, m)) {
        str_setf(why, cap, "cannot start the server's meter thread");
        pthread_cond_destroy(&m->wake);
        pthread_mutex_destroy(&m->lock);
        free(m);
        return NULL;
    }
    return m;
}

void server_meter_stop(server_meter *m, server_usage *out)
{
    pthread_mutex_lock(&m->lock);
    m->stop = true;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    proc_tree_usage last;
    char err[128];
    if (proc_tree_sample(m->root, &last, err, sizeof err) == 0 && last.nprocs > 0) {
        meter_note(m, &last);
        m->use.cpu_ns = last.cpu_ns > m->first.cpu_ns ? last.cpu_ns - m->first.cpu_ns : 0;
    }
    m->use.wall_ns = meter_now_ns() - m->start_ns;
    *out = m->use;
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->lock);
    free(m);
}
