/* A server that a suite starts, measures and stops: one implementation of start-up for every
 * suite that drives servers (the framework benchmark, the lifecycle).
 *
 * server_start runs the contender's manifest `run` command with the canonical rung environment
 * (bench_env) plus PORT and WORKERS and the caller's extras, optionally pinned with taskset,
 * stdout and stderr appended to a log in the contender's build folder; it then polls the
 * caller's probe every 100 ms until the server answers. A server that exits before answering
 * is started again on a fresh port (the port may have been taken between choosing and
 * binding) up to SERVER_START_TRIES times. */
#ifndef LADDER_SERVER_H
#define LADDER_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bench.h"
#include "core/proc.h"
#include "core/strbuf.h"

#define SERVER_START_TRIES 3

typedef struct {
    const rung_state *st;          /* the contender, checked and built */
    const bench_opts *bo;
    const char *cpus;              /* taskset CPU list; NULL or "": not pinned */
    int workers;
    const char *const *extra_env;  /* more "KEY=VALUE", NULL-terminated; may be NULL */
    const char *log_name;          /* file name inside the contender's build folder */
    double start_timeout_s;
    /* 0 once the server answers; else -1 with why. */
    int (*probe)(int port, void *ctx, char *why, size_t cap);
    void *probe_ctx;
} server_spec;

typedef struct {
    proc_handle h;
    int port;
    bool running;
    char *log; /* owned */
} server;

/* 0 when the server answers, or -1 with a reason (the log's last line when it exited). The
 * server is stopped again on failure; server_free is still needed. */
int server_start(server *s, const server_spec *spec, char *why, size_t cap);
/* False once the server has exited. */
bool server_alive(server *s);
/* SIGTERM to its process group, SIGKILL after grace_s. Safe to call twice. */
void server_stop(server *s, double grace_s);
void server_free(server *s);

/* What a server's whole process tree (proc_tree_sample) spent over a window, e.g. one load:
 * the CPU time of every worker and child, never the load generator's. */
typedef struct {
    int64_t cpu_ns;       /* the tree's user+system CPU time between start and stop */
    int64_t wall_ns;
    long peak_rss_kb;     /* the largest sum of the tree's resident sets among the samples */
    int max_procs;        /* the most processes seen in the tree at once */
    int samples;
} server_usage;

/* A thread that samples the tree's memory every interval_ms between start and stop. Owned by
 * the caller from server_meter_start until server_meter_stop, which frees it. */
typedef struct server_meter server_meter;

/* NULL with why when /proc cannot be read or no thread can be made. */
server_meter *server_meter_start(const server *s, int interval_ms, char *why, size_t cap);
/* Takes the last sample, joins the thread, fills *out and frees m. */
void server_meter_stop(server_meter *m, server_usage *out);

/* A loopback port nobody listens on right now (-1 if none could be had). */
int server_free_port(void);
void server_sleep_ms(int ms);

#endif
