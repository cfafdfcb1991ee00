#include "core/strbuf.h"
#include "core/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
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
