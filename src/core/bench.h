/* Runs rungs on problems by the rung protocol and turns each run into a row: checked,
 * built (cached), timed from inside (LADDER_TIMING_FD) and outside (wait4), verified.
 * A rung that fails in any way becomes a row with that status; nothing here stops the run. */
#ifndef LADDER_BENCH_H
#define LADDER_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>

#include "core/manifest.h"
#include "core/stats.h"
#include "core/strbuf.h"

typedef enum { ROW_OK, ROW_FAILED, ROW_SKIPPED } row_status;
const char *bench_status_name(row_status s);

typedef struct {
    const char *root;       /* ladder's source folder (LADDER_ROOT) */
    double timeout_s;       /* per process */
    int warmup, repeat;     /* in-process iterations */
    const char *build_root; /* rung builds go to BUILD_ROOT/rungs/NAME */
    const char *python;     /* interpreter for Python-hosted rungs (LADDER_PYTHON) */
    const char *ladder_bin; /* this ladder executable, for problems' prepare commands (LADDER) */
    bool rebuild;           /* ignore the build cache: every rung with a build builds from cold */
} bench_opts;

/* What is known about one rung over a run: availability, version and build, each found once. */
typedef struct {
    const rung *r;
    bool checked, available;
    bool build_tried, build_ok;
    int64_t build_ns;       /* this run's build (0 when cached) */
    bool build_cached;
    int64_t build_last_ns;  /* the build that made the product in use: this run's, or the cached one's
                               (from .ladder-build-ns; 0 when unknown) */
    long long product_bytes; /* size of the manifest's product after the build; -1: none named or found */
    int product_files;      /* how many paths the product's patterns matched */
    char reason[256];  /* why unavailable or why the build failed */
    char version[160];
    char build_dir[PATH_MAX]; /* "" (and unavailable) when the path would not fit */
} rung_state;

/* A named part of every counted iteration that the rung timed inside it ("part NAME BYTES NS"
 * lines, docs/ARCHITECTURE.md): one sample per counted iteration, in the row's sample order. */
#define BENCH_MAX_PARTS 64
#define BENCH_PART_NAME 48 /* the longest name is one less, of [A-Za-z0-9._-] */
typedef struct {
    char name[BENCH_PART_NAME];
    long long bytes;   /* the input bytes the part reads; 0: the part is not measured in bytes */
    double *samples;   /* owned */
    size_t nsamples;
    stats_summary summary;
} bench_part;

typedef struct {
    const problem *prob;
    const rung *r;
    char size[16];
    long n;
    row_status status;
    const char *failure; /* NULL when ok; else "unavailable", "build", "timeout", "crash", "exit", "wrong", "protocol" */
    char reason[256];
    bool verified;
    int threads;
    char simd[16]; /* the rung's "simd LEVEL" line (its SIMD dispatch level); "" if none */
    double *samples, *warmup;
    size_t nsamples, nwarmup;
    int rounds;    /* processes whose samples pooled here, in round order (0 is taken as 1) */
    stats_summary kernel;
    int64_t wall_ns, user_ns, sys_ns;
    long max_rss_kb;
    size_t output_bytes;
    long long input_bytes;
    long long work_bytes; /* the rung's "bytes N" line: input bytes one iteration reads; 0 if none */
    bench_part *parts;    /* owned; the same names in every counted iteration, in the rung's order */
    size_t nparts;
} bench_row;

/* One (problem, N) as the rungs will see it: its input file, if the problem generates one, and
 * its reference output. Found once before the rungs run; free with bench_case_free(). */
typedef struct {
    const problem *prob;
    long n;
    char *input_path;       /* owned; NULL when the problem has no prepare step */
    long long input_bytes;
    char *ref;              /* NULL: no reference, rows are not verified */
    size_t ref_len;
    char ref_source[160];   /* where ref came from, for reasons and the results document */
    char error[256];        /* non-empty when the input or reference could not be made */
} bench_case;

/* ref_state: the state of p->reference_rung when the problem has one (else NULL). */
void bench_case_prepare(bench_case *c, const problem *p, long n, rung_state *ref_state, const bench_opts *opts);
void bench_case_free(bench_case *c);

void rung_state_init(rung_state *st, const rung *r, const bench_opts *opts);
/* Appends the environment every manifest command sees (LADDER, LADDER_ROOT, LADDER_RUNG_DIR,
 * LADDER_BUILD_DIR, LADDER_PYTHON, then the manifest's env) to env. -1 when out of memory. */
int bench_env(const rung_state *st, const bench_opts *opts, strlist *env);
/* The bytes of r->product as it stands (patterns expanded, globbed, folders summed) and the number
 * of paths matched in *files; -1 when the rung names no product or nothing matched. */
long long bench_product_bytes(const rung_state *st, const bench_opts *opts, int *files);
/* Checks availability and builds if needed; safe to call repeatedly. Returns true when ready. */
bool bench_prepare(rung_state *st, const bench_opts *opts);
/* Runs one (rung, problem, n). Fills row (free with bench_row_free). */
void bench_run(rung_state *st, const bench_case *c, const char *size_label, const bench_opts *opts,
               bench_row *row);
void bench_row_free(bench_row *row);
/* Parses what a rung wrote on its timing descriptor ("ns N", "warmup_ns N", "threads N", "bytes N",
 * "simd LEVEL" and "part NAME BYTES NS" lines) into row's samples, warmup, threads, work_bytes,
 * simd and parts. A part line belongs to the next ns or warmup_ns line (warm-up parts are checked,
 * not kept); every counted iteration must name the same parts with the same bytes, in the same
 * order, each taking no longer than its iteration. Returns -1 with a reason on malformed input
 * (row may then hold some of what was parsed: bench_row_free releases it). */
int bench_parse_timing(const char *text, bench_row *row, char *reason, size_t cap);
/* Appends a later round's samples, warm-ups and part samples (r's parts must be acc's: the same
 * names and bytes in the same order) to acc. -1 with a reason when they differ or out of memory. */
int bench_row_append(bench_row *acc, const bench_row *r, char *reason, size_t cap);
/* The summaries of the row's samples (kernel) and of each part's. -1 when out of memory. */
int bench_row_summarize(bench_row *row);
/* Runs the rung once with stdout passed straight through; returns its exit code (or 1). */
int bench_exec(rung_state *st, const bench_case *c, const bench_opts *opts, char *err, size_t cap);

#endif
