// json-corpus for the simdjson rungs (DOM and On-Demand): the rung protocol's loop around a walk
// that each rung supplies. Before timing, the bundle is read and each file copied into its own
// padded buffer (simdjson needs the padding); each iteration walks every file in bundle order
// into its digest, timing each file as a part of the iteration (docs/specs/json-corpus.md).
// Header-only.
#ifndef LADDER_CORPUS_SIMDJSON_HPP
#define LADDER_CORPUS_SIMDJSON_HPP

#include <simdjson.h>

#include "corpus.h"
#include "ladder_rung.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace ladder_corpus {

// LADDER_INPUT read into a padded buffer (*path gets its name); 1 with a line on stderr when it is
// unset or unreadable, else 0. what says what the input should be.
inline int load_input(const char *what, const char **path, simdjson::padded_string &out)
{
    *path = ladder_rung::input_path(what);
    if (!*path)
        return 1;
    if (auto error = simdjson::padded_string::load(*path).get(out)) {
        fprintf(stderr, "cannot read %s: %s\n", *path, simdjson::error_message(error));
        return 1;
    }
    return 0;
}

// LADDER_SIMD (scalar, sse2, avx2, avx512) picks simdjson's kernel for that level (fallback,
// westmere, haswell, icelake), so that ladder's readers and simdjson meet at each level one
// machine can run. The level to report ("simd" line) in *level: the kernel's level; 1 with a
// line on stderr when the level is unknown or this CPU lacks its kernel, else 0.
inline int pick_level(const char **level)
{
    static const char *const levels[][2] = {
        {"scalar", "fallback"}, {"sse2", "westmere"}, {"avx2", "haswell"}, {"avx512", "icelake"}};
    const char *want = getenv("LADDER_SIMD");
    const char *active = simdjson::get_active_implementation()->name().data();
    if (want && *want) {
        const char *kernel = nullptr;
        for (const auto &l : levels)
            if (strcmp(want, l[0]) == 0)
                kernel = l[1];
        if (!kernel) {
            fprintf(stderr, "LADDER_SIMD=%s is not a level: scalar, sse2, avx2 or avx512\n", want);
            return 1;
        }
        const simdjson::implementation *impl = simdjson::get_available_implementations()[kernel];
        if (!impl || !impl->supported_by_runtime_system()) {
            fprintf(stderr, "LADDER_SIMD=%s: this CPU cannot run simdjson's %s kernel\n", want, kernel);
            return 1;
        }
        simdjson::get_active_implementation() = impl;
        active = impl->name().data();
    }
    *level = active;
    for (const auto &l : levels)
        if (strcmp(active, l[1]) == 0)
            *level = l[0];
    return 0;
}

// The lines every simdjson rung writes before its iterations: one thread, and the level
// pick_level chose. 2 when the level cannot be had (the line on stderr says why), else 0.
inline int emit_start(int fd)
{
    const char *level;
    if (pick_level(&level))
        return 2;
    ladder_rung::emit(fd, "threads", 1);
    ladder_rung::emit_simd(fd, level);
    return 0;
}

// walk(i, input, digest) reads file i into the digest; returns an error message, empty when ok.
template <class Walk>
int run(const char *n_arg, Walk walk)
{
    using ladder_rung::emit;
    ladder_rung::config cfg;
    if (!ladder_rung::read_config(&cfg))
        return 2;
    long warmup = cfg.warmup, repeat = cfg.repeat, fd = cfg.fd;
    const char *path;
    simdjson::padded_string bundle;
    if (load_input("the corpus bundle to read", &path, bundle))
        return 1;
    corpus_file files[CORPUS_MAX_FILES];
    char err[256];
    int n = corpus_split(bundle.data(), bundle.size(), files, CORPUS_MAX_FILES, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "json-corpus %s: %s: %s\n", n_arg, path, err);
        return 1;
    }
    std::vector<simdjson::padded_string> inputs;
    long long total = 0;
    for (int i = 0; i < n; i++) {
        inputs.emplace_back(files[i].data, files[i].len);
        total += (long long)files[i].len;
    }
    std::vector<corpus_digest> digests((size_t)n, corpus_digest{});
    std::vector<corpus_sum> sums((size_t)n);
    std::vector<long long> part_ns((size_t)n);
    if (emit_start((int)fd))
        return 2;
    emit((int)fd, "bytes", total);
    int rc = 0;
    for (long it = 0; it < warmup + repeat && !rc; it++) {
        long long t0 = ladder_rung::now_ns();
        for (int i = 0; i < n; i++) {
            long long p0 = ladder_rung::now_ns();
            corpus_digest *d = &digests[(size_t)i];
            corpus_digest_reset(d);
            std::string msg = walk(i, inputs[(size_t)i], d);
            if (msg.empty() && d->oom)
                msg = "out of memory";
            if (!msg.empty()) {
                fprintf(stderr, "json-corpus %s: %.*s: %s\n", n_arg, (int)files[i].name_len, files[i].name, msg.c_str());
                rc = 1;
                break;
            }
            sums[(size_t)i] = corpus_finish(d);
            part_ns[(size_t)i] = ladder_rung::now_ns() - p0;
        }
        long long t1 = ladder_rung::now_ns();
        if (rc)
            break;
        for (int i = 0; i < n; i++)
            ladder_rung::emit_part((int)fd, files[i].name, files[i].name_len, (long long)files[i].len,
                                   part_ns[(size_t)i]);
        emit((int)fd, it < warmup ? "warmup_ns" : "ns", t1 - t0);
    }
    if (fd >= 0)
        close((int)fd);
    for (int i = 0; i < n && !rc; i++)
        if (corpus_print(stdout, &files[i], &digests[(size_t)i], sums[(size_t)i]))
            rc = 1;
    for (auto &d : digests)
        corpus_digest_free(&d);
    return rc || fflush(stdout) != 0 ? 1 : 0;
}

} // namespace ladder_corpus

#endif
