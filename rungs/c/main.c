/* The C rung: ladder's kernels behind the rung protocol. Usage: PROGRAM PROBLEM N, with
 * LADDER_THREADS (default 1, 0 = every online CPU) for the problems that use threads. */
#include "kernels/kernels.h"
#include "pipeline/pipeline.h"
#include "ladder_rung.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    long n;
    int threads;
    kern_nbody_result nbody;
    double norm;
    kern_fannkuch_result fannkuch;
    uint8_t *bits;
    kern_bt_result *trees;
    char *input; /* pipeline: the bytes of $LADDER_INPUT, read before timing */
    size_t input_len;
    pipeline *pl;
    char pipe_err[512];
} run_ctx;

typedef struct {
    const char *name;
    long min_n, max_n;
    int threaded;
    ladder_rung_fn run;
    int (*format)(const run_ctx *c, FILE *f);
} problem;

static int run_nbody(void *p)
{
    run_ctx *c = p;
    return kern_nbody(c->n, &c->nbody);
}

static int fmt_nbody(const run_ctx *c, FILE *f)
{
    return kern_nbody_format(&c->nbody, f);
}

static int run_spectral(void *p)
{
    run_ctx *c = p;
    return kern_spectral_norm((int)c->n, c->threads, &c->norm);
}

static int fmt_spectral(const run_ctx *c, FILE *f)
{
    return kern_spectral_norm_format(c->norm, f);
}

static int run_fannkuch(void *p)
{
    run_ctx *c = p;
    return kern_fannkuch((int)c->n, c->threads, &c->fannkuch);
}

static int fmt_fannkuch(const run_ctx *c, FILE *f)
{
    return kern_fannkuch_format(&c->fannkuch, f);
}

static int run_mandelbrot(void *p)
{
    run_ctx *c = p;
    if (!c->bits && !(c->bits = malloc(kern_mandelbrot_size((int)c->n))))
        return -ENOMEM;
    return kern_mandelbrot((int)c->n, c->threads, c->bits);
}

static int fmt_mandelbrot(const run_ctx *c, FILE *f)
{
    return kern_mandelbrot_format((int)c->n, c->bits, f);
}

static int run_trees(void *p)
{
    run_ctx *c = p;
    if (!c->trees && !(c->trees = malloc(sizeof *c->trees)))
        return -ENOMEM;
    return kern_binary_trees((int)c->n, c->threads, c->trees);
}

static int fmt_trees(const run_ctx *c, FILE *f)
{
    return kern_binary_trees_format(c->trees, f);
}

static int run_pipeline(void *p)
{
    run_ctx *c = p;
    pipeline_error e;
    if (pipeline_run(c->pl, c->input, c->input_len, &e) == 0)
        return 0;
    pipeline_error_format(&e, getenv("LADDER_INPUT"), c->pipe_err, sizeof c->pipe_err);
    return -EINVAL;
}

static int fmt_pipeline(const run_ctx *c, FILE *f)
{
    size_t n;
    const char *text = pipeline_summary(c->pl, &n);
    return fwrite(text, 1, n, f) == n ? 0 : -EIO;
}

/* Reads $LADDER_INPUT whole, so that the timed iterations start from bytes in memory. */
static int load_pipeline_input(run_ctx *c)
{
    const char *path = getenv("LADDER_INPUT");
    if (!path || !*path) {
        snprintf(c->pipe_err, sizeof c->pipe_err, "LADDER_INPUT is not set (the event log to read)");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) {
        snprintf(c->pipe_err, sizeof c->pipe_err, "cannot read %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    long size = ftell(f);
    c->input = malloc(size > 0 ? (size_t)size : 1);
    c->pl = pipeline_new();
    if (size < 0 || !c->input || !c->pl || fseek(f, 0, SEEK_SET) != 0 ||
        fread(c->input, 1, (size_t)size, f) != (size_t)size) {
        snprintf(c->pipe_err, sizeof c->pipe_err, "cannot read %s: %s", path,
                 c->input && c->pl ? strerror(errno) : "out of memory");
        fclose(f);
        return -1;
    }
    fclose(f);
    c->input_len = (size_t)size;
    return 0;
}

static const problem problems[] = {
    {"nbody", 1, 1000000000L, 0, run_nbody, fmt_nbody},
    {"spectral-norm", 1, 100000, 1, run_spectral, fmt_spectral},
    {"fannkuch-redux", 1, 14, 1, run_fannkuch, fmt_fannkuch},
    {"mandelbrot", 1, 50000, 1, run_mandelbrot, fmt_mandelbrot},
    {"binary-trees", 1, 24, 1, run_trees, fmt_trees},
    {"pipeline", 1, 100000000L, 0, run_pipeline, fmt_pipeline},
};

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PROBLEM N (nbody, spectral-norm, fannkuch-redux, mandelbrot, "
                        "binary-trees, pipeline)\n", argc > 0 ? argv[0] : "ladder-c");
        return 2;
    }
    const problem *pb = NULL;
    for (size_t i = 0; i < sizeof problems / sizeof problems[0]; i++)
        if (strcmp(argv[1], problems[i].name) == 0)
            pb = &problems[i];
    if (!pb) {
        fprintf(stderr, "problem '%s' is not implemented by this rung\n", argv[1]);
        return 2;
    }
    run_ctx c = {.threads = 1};
    if (parse_long(argv[2], &c.n) || c.n < pb->min_n || c.n > pb->max_n) {
        fprintf(stderr, "N for %s must be an integer from %ld to %ld, not '%s'\n", pb->name, pb->min_n,
                pb->max_n, argv[2]);
        return 2;
    }
    const char *env = getenv("LADDER_THREADS");
    long t = 1;
    if (env && *env && (parse_long(env, &t) || t < 0 || t > INT_MAX || kern_threads_resolve((int)t) < 0)) {
        fprintf(stderr, "LADDER_THREADS=%s is not a thread count (0 = every online CPU)\n", env);
        return 2;
    }
    c.threads = (int)t;

    char err[256];
    ladder_rung_cfg cfg;
    if (ladder_rung_config(&cfg, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    ladder_rung_threads(&cfg, pb->threaded ? kern_threads_resolve(c.threads) : 1);
    int rc = 0;
    if (pb->run == run_pipeline && load_pipeline_input(&c)) {
        fprintf(stderr, "%s %ld: %s\n", pb->name, c.n, c.pipe_err);
        rc = 1;
    } else if (ladder_rung_loop(&cfg, pb->run, &c, err, sizeof err)) {
        fprintf(stderr, "%s %ld: %s\n", pb->name, c.n, c.pipe_err[0] ? c.pipe_err : err);
        rc = 1;
    } else if ((rc = pb->format(&c, stdout)) != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "%s %ld: writing the output failed: %s\n", pb->name, c.n,
                strerror(rc < 0 ? -rc : errno));
        rc = 1;
    }
    free(c.bits);
    free(c.trees);
    free(c.input);
    pipeline_free(c.pl);
    return rc;
}
