#define _POSIX_C_SOURCE 200809L
#include "ladder_rung.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int env_int(const char *name, int def, int min, int *out, char *err, size_t cap)
{
    const char *s = getenv(name);
    if (!s || !*s) {
        *out = def;
        return 0;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > 1000000) {
        snprintf(err, cap, "%s=%s is not an integer >= %d", name, s, min);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int ladder_rung_config(ladder_rung_cfg *cfg, char *err, size_t cap)
{
    if (env_int("LADDER_WARMUP", 0, 0, &cfg->warmup, err, cap) ||
        env_int("LADDER_REPEAT", 1, 1, &cfg->repeat, err, cap) ||
        env_int("LADDER_TIMING_FD", -1, 0, &cfg->timing_fd, err, cap))
        return -1;
    return 0;
}

static void emit_line(int fd, const char *line, int n)
{
    ssize_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, line + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += w;
    }
}

static void emit(int fd, const char *key, long long v)
{
    if (fd < 0)
        return;
    char line[64];
    emit_line(fd, line, snprintf(line, sizeof line, "%s %lld\n", key, v));
}

long long ladder_rung_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void ladder_rung_part(ladder_rung_parts *parts, const char *name, size_t name_len, long long bytes, long long ns)
{
    if (parts->n < LADDER_RUNG_MAX_PARTS) {
        parts->part[parts->n].name = name;
        parts->part[parts->n].name_len = name_len;
        parts->part[parts->n].bytes = bytes;
        parts->part[parts->n].ns = ns;
    }
    parts->n++;
}

static void emit_parts(int fd, const ladder_rung_parts *parts)
{
    for (int i = 0; fd >= 0 && i < parts->n; i++) {
        char line[128];
        int k = snprintf(line, sizeof line, "part %.*s %lld %lld\n", (int)parts->part[i].name_len,
                         parts->part[i].name, parts->part[i].bytes, parts->part[i].ns);
        emit_line(fd, line, k < (int)sizeof line ? k : (int)sizeof line - 1);
    }
}

int ladder_rung_loop_parts(const ladder_rung_cfg *cfg, ladder_rung_fn fn, void *ctx, ladder_rung_parts *parts,
                           char *err, size_t cap)
{
    int total = cfg->warmup + cfg->repeat;
    for (int i = 0; i < total; i++) {
        if (parts)
            parts->n = 0;
        long long t0 = ladder_rung_now_ns();
        int rc = fn(ctx);
        long long t1 = ladder_rung_now_ns();
        if (rc) {
            snprintf(err, cap, "iteration %d failed: %s", i + 1, strerror(rc < 0 ? -rc : rc));
            return -1;
        }
        if (parts && parts->n > LADDER_RUNG_MAX_PARTS) {
            snprintf(err, cap, "iteration %d timed %d parts, more than %d", i + 1, parts->n, LADDER_RUNG_MAX_PARTS);
            return -1;
        }
        if (parts)
            emit_parts(cfg->timing_fd, parts);
        emit(cfg->timing_fd, i < cfg->warmup ? "warmup_ns" : "ns", t1 - t0);
    }
    return 0;
}

int ladder_rung_loop(const ladder_rung_cfg *cfg, ladder_rung_fn fn, void *ctx, char *err, size_t cap)
{
    return ladder_rung_loop_parts(cfg, fn, ctx, NULL, err, cap);
}

void ladder_rung_threads(const ladder_rung_cfg *cfg, int threads)
{
    emit(cfg->timing_fd, "threads", threads);
}

void ladder_rung_bytes(const ladder_rung_cfg *cfg, long long bytes)
{
    emit(cfg->timing_fd, "bytes", bytes);
}

void ladder_rung_simd(const ladder_rung_cfg *cfg, const char *level)
{
    if (cfg->timing_fd < 0)
        return;
    char line[64];
    int n = snprintf(line, sizeof line, "simd %.32s\n", level);
    emit_line(cfg->timing_fd, line, n);
}
