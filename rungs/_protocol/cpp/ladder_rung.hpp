// The rung protocol's small pieces for C++ rungs (simdjson, simdjson-ondemand): the clock, an
// environment integer, the protocol's settings and input path, and one "key value" line on the
// timing descriptor. Header-only; nothing is allocated.
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

inline void emit(int fd, const char *key, long long v)
{
    if (fd < 0)
        return;
    char line[64];
    int n = snprintf(line, sizeof line, "%s %lld\n", key, v);
    for (int off = 0; off < n;) {
        ssize_t w = write(fd, line + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (int)w;
    }
}

} // namespace ladder_rung

#endif
