// The rung protocol's small pieces for C++ rungs (simdjson, simdjson-ondemand): the clock, an
// environment integer, the protocol's settings and input path, and one "key value" line on the
// timing descriptor (and a "part" line). Header-only; nothing is allocated.
#ifndef LADDER_RUNG_HPP
#define LADDER_RUNG_HPP

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <unistd.h>

namespace ladder_rung {

inline long long now_ns()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// An environment integer >= minimum, or def when unset; false when malformed.
inline bool env_int(const char *name, long def, long minimum, long *out)
{
    const char *s = getenv(name);
    if (!s || !*s) {
        *out = def;
        return true;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < minimum) {
        fprintf(stderr, "%s=%s must be an integer >= %ld\n", name, s, minimum);
        return false;
    }
    *out = v;
    return true;
}

struct config {
    long warmup, repeat, fd;
};

// LADDER_WARMUP, LADDER_REPEAT and LADDER_TIMING_FD; false (with a line on stderr) when malformed.
inline bool read_config(config *c)
{
    return env_int("LADDER_WARMUP", 0, 0, &c->warmup) && env_int("LADDER_REPEAT", 1, 1, &c->repeat) &&
           env_int("LADDER_TIMING_FD", -1, 0, &c->fd);
}

// LADDER_INPUT, or NULL with a line on stderr naming what it should be.
inline const char *input_path(const char *what)
{
    const char *path = getenv("LADDER_INPUT");
    if (!path || !*path) {
        fprintf(stderr, "LADDER_INPUT is not set (%s)\n", what);
        return nullptr;
    }
    return path;
}

inline void write_line(int fd, const char *line, int n)
{
    for (int off = 0; off < n;) {
        ssize_t w = write(fd, line + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (int)w;
    }
}

inline void emit(int fd, const char *key, long long v)
{
    if (fd < 0)
        return;
    char line[64];
    write_line(fd, line, snprintf(line, sizeof line, "%s %lld\n", key, v));
}

// "simd LEVEL": the dispatch level the work runs at (a word of [a-z0-9]).
inline void emit_simd(int fd, const char *level)
{
    if (fd < 0)
        return;
    char line[64];
    int n = snprintf(line, sizeof line, "simd %s\n", level);
    write_line(fd, line, n < (int)sizeof line ? n : (int)sizeof line - 1);
}

// "part NAME BYTES NS": a named part of the iteration whose "ns"/"warmup_ns" line comes next,
// timed inside it (NAME of [A-Za-z0-9._-], under 48 bytes; BYTES 0 when not measured in bytes).
inline void emit_part(int fd, const char *name, size_t name_len, long long bytes, long long ns)
{
    if (fd < 0)
        return;
    char line[128];
    int n = snprintf(line, sizeof line, "part %.*s %lld %lld\n", (int)name_len, name, bytes, ns);
    write_line(fd, line, n < (int)sizeof line ? n : (int)sizeof line - 1);
}

} // namespace ladder_rung

#endif
