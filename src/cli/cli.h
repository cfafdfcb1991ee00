/* What every ladder command shares: the context (source and build folders, this executable,
 * extra rung folders, the Python for Python-hosted rungs), errors on stderr, option parsing
 * with one wording for every command, and publishing a results document (write it, render
 * the reports, print). Commands return the process exit code: 0, 1 (run or file error),
 * 2 (usage). */
#ifndef LADDER_CLI_H
#define LADDER_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/manifest.h"
#include "core/strbuf.h"
#include "json/json.h"
#include "report/report.h"

#ifndef LADDER_VERSION
#define LADDER_VERSION "dev"
#endif

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

typedef struct {
    char root[PATH_MAX];  /* ladder's source folder (LADDER_ROOT) */
    char build[PATH_MAX]; /* the build folder (LADDER_BUILD, else this executable's folder) */
    char exe[PATH_MAX];
    strlist extra_dirs;   /* --rungs-dir and LADDER_RUNGS_PATH */
    const char *python;   /* LADDER_PYTHON or python3, or the first --python */
    strlist pythons;      /* every --python after the first: more interpreters for per-interpreter
                             rungs (with LADDER_PYTHONS, colon-separated) */
    bool python_set;      /* a --python was given */
} cli_ctx;

int cli_ctx_init(cli_ctx *c);
/* An empty context for the commands that need no folders (serve, gen, pipeline, report). */
void cli_ctx_init_bare(cli_ctx *c);
void cli_ctx_free(cli_ctx *c);
int cli_add_rungs_dir(cli_ctx *c, const char *dir);
/* --python PATH: the first names the baseline interpreter, each later one one more interpreter for
 * the per-interpreter rungs. 0, or CLI_FAILED when out of memory. */
int cli_add_python(cli_ctx *c, const char *path);
/* Loads problems/, rungs/ and contenders/ plus the extra rung folders, and expands the
 * per-interpreter rungs (manifest_expand); 1 with the error printed. */
int cli_load(cli_ctx *c, manifest_registry *reg);
/* The same without the expansion, for the commands that run contenders only (http, lifecycle):
 * the interpreter discovery costs seconds and they use no rung. */
int cli_load_contenders(cli_ctx *c, manifest_registry *reg);

/* "ladder[ CMD]: message" on stderr; returns code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A command's usage text: on stdout with 0 when asked for (--help), else on stderr with
 * CLI_USAGE. */
int cli_usage(const char *usage, bool asked);

/* Option values, each with a one-line error on stderr and -1 when s is not one. */
int cli_parse_int(const char *s, const char *what, int min, int max, int *out);
/* Seconds, "10" or "10s", in [min, max]. */
int cli_parse_seconds(const char *s, const char *what, double min, double max, double *out);
/* A report format: terminal (or text), md (or markdown), html. */
int cli_parse_format(const char *s, report_format *out);
/* A taskset CPU list ("0", "0-3", "0-1,4-5"); *ncpus is how many CPUs it names. */
int cli_parse_cpus(const char *s, const char *what, int *ncpus);

/* Finishes a results document written into w: reads it back (so reports render from exactly
 * what is saved), writes DIR/results.json, report.md and report.html, then prints the terminal
 * report (or, with as_json, the document) on stdout. 0, or 1 with the error printed. */
int cli_publish(json_writer *w, const char *out_dir, bool as_json, bool quiet);

#endif
