#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "report/report.h"
#include "suites/suites.h"

#ifndef LADDER_SOURCE_DIR
#define LADDER_SOURCE_DIR "."
#endif

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ladder: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

int cli_usage(const char *usage, bool asked)
{
    fputs(usage, asked ? stdout : stderr);
    return asked ? CLI_OK : CLI_USAGE;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int find_build(cli_ctx *c)
{
    const char *build = getenv("LADDER_BUILD");
    if (build && *build) {
        /* manifest commands run in their own folders, so the build folder must be absolute */
        char err[256];
        if (fs_mkdirs(build, err, sizeof err) || !realpath(build, c->build))
            return cli_error(CLI_USAGE, "LADDER_BUILD=%s is not a usable folder", build);
        return 0;
    }
    memcpy(c->build, c->exe, sizeof c->build);
    char *slash = strrchr(c->build, '/');
    if (slash)
        *slash = '\0';
    return 0;
}

int cli_ctx_init(cli_ctx *c)
{
    memset(c, 0, sizeof *c);
    strlist_init(&c->extra_dirs);
    strlist_init(&c->pythons);
    const char *root = getenv("LADDER_ROOT");
    if (!root || !*root)
        root = LADDER_SOURCE_DIR;
    if (!realpath(root, c->root))
        return cli_error(CLI_USAGE, "cannot find ladder's source folder '%s' (set LADDER_ROOT)", root);
    ssize_t n = readlink("/proc/self/exe", c->exe, sizeof c->exe - 1);
    if (n <= 0 || (size_t)n >= sizeof c->exe - 1)
        return cli_error(CLI_FAILED, "cannot locate the ladder executable");
    c->exe[n] = '\0';
    int rc = find_build(c);
    if (rc)
        return rc;
    c->python = getenv("LADDER_PYTHON");
    if (!c->python || !*c->python)
        c->python = "python3";
    const char *path = getenv("LADDER_RUNGS_PATH");
    for (const char *p = path; p && *p;) {
        size_t len = strcspn(p, ":");
        if (len) {
            strbuf dir;
            strbuf_init(&dir);
            strbuf_appendf(&dir, "%.*s", (int)len, p);
            strlist_add(&c->extra_dirs, dir.s);
            strbuf_free(&dir);
        }
        p += len + (p[len] == ':');
    }
    return strlist_ok(&c->extra_dirs) ? 0 : cli_error(CLI_FAILED, "out of memory");
}

void cli_ctx_init_bare(cli_ctx *c)
{
    memset(c, 0, sizeof *c);
    strlist_init(&c->extra_dirs);
    strlist_init(&c->pythons);
    c->python = "python3";
}

void cli_ctx_free(cli_ctx *c)
{
    strlist_free(&c->extra_dirs);
    strlist_free(&c->pythons);
}

int cli_add_python(cli_ctx *c, const char *path)
{
    if (!c->python_set) {
        c->python = path;
        c->python_set = true;
        return 0;
    }
    return strlist_add(&c->pythons, path) ? cli_error(CLI_FAILED, "out of memory") : 0;
}

int cli_add_rungs_dir(cli_ctx *c, const char *dir)
{
    if (!is_dir(dir))
        return cli_error(CLI_USAGE, "--rungs-dir %s: not a folder", dir);
    if (strlist_add(&c->extra_dirs, dir))
        return cli_error(CLI_FAILED, "out of memory");
    return 0;
}

int cli_load_contenders(cli_ctx *c, manifest_registry *reg)
{
    char err[512];
    if (manifest_load(c->root, strlist_argv(&c->extra_dirs), reg, err, sizeof err))
        return cli_error(CLI_FAILED, "%s", err);
    return 0;
}

int cli_load(cli_ctx *c, manifest_registry *reg)
{
    char err[512];
    if (cli_load_contenders(c, reg))
        return CLI_FAILED;
    strbuf more;
    strbuf_init(&more);
    const char *from_env = getenv("LADDER_PYTHONS");
    strbuf_appendf(&more, "LADDER_PYTHONS=%s", from_env ? from_env : "");
    for (const char *const *p = strlist_argv(&c->pythons); p && *p; p++)
        strbuf_appendf(&more, "%s%s", more.s[strlen("LADDER_PYTHONS=")] ? ":" : "", *p);
    strlist env;
    strlist_init(&env);
    strlist_addf(&env, "LADDER_PYTHON=%s", c->python);
    strlist_add(&env, strbuf_ok(&more) ? more.s : "LADDER_PYTHONS=");
    int rc = 0;
    if (!strbuf_ok(&more) || !strlist_ok(&env) || manifest_expand(reg, strlist_argv(&env), err, sizeof err)) {
        manifest_free(reg);
        rc = cli_error(CLI_FAILED, "%s", strbuf_ok(&more) && strlist_ok(&env) ? err : "out of memory");
    }
    strlist_free(&env);
    strbuf_free(&more);
    return rc;
}

int cli_parse_int(const char *s, const char *what, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max) {
        cli_error(CLI_USAGE, "%s must be an integer in [%d, %d], not '%s'", what, min, max, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int cli_parse_seconds(const char *s, const char *what, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !(v >= min && v <= max) || (*end && strcmp(end, "s"))) {
        cli_error(CLI_USAGE, "%s must be seconds in [%g, %g] (e.g. 10 or 10s), not '%s'", what, min, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_format(const char *s, report_format *out)
{
    if (!strcmp(s, "terminal") || !strcmp(s, "text")) {
        *out = REPORT_TERMINAL;
    } else if (!strcmp(s, "md") || !strcmp(s, "markdown")) {
        *out = REPORT_MARKDOWN;
    } else if (!strcmp(s, "html")) {
        *out = REPORT_HTML;
    } else {
        cli_error(CLI_USAGE, "--format must be terminal, md or html, not '%s'", s);
        return -1;
    }
    return 0;
}

/* One "N" or "N-M" of a CPU list; the count it names, or -1. */
static int cpu_range(const char *s, size_t len)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    long lo = strtol(buf, &end, 10), hi = lo;
    if (end == buf || buf[0] == '-' || buf[0] == '+' || errno)
        return -1;
    if (*end == '-') {
        char *start = end + 1;
        if (!(*start >= '0' && *start <= '9'))
            return -1;
        hi = strtol(start, &end, 10);
    }
    if (*end || errno || lo < 0 || hi < lo || hi > 65535)
        return -1;
    return (int)(hi - lo + 1);
}

int cli_parse_cpus(const char *s, const char *what, int *ncpus)
{
    int total = 0;
    const char *p = s;
    for (;;) {
        size_t len = strcspn(p, ",");
        int n = cpu_range(p, len);
        if (n < 0 || strlen(s) >= 64) {
            cli_error(CLI_USAGE, "%s: a CPU list looks like 0 or 0-1 or 0,2 or 0-1,4-5, not '%s'", what, s);
            return -1;
        }
        total += n;
        if (!p[len])
            break;
        p += len + 1;
    }
    *ncpus = total;
    return 0;
}

int cli_publish(json_writer *w, const char *out_dir, bool as_json, bool quiet)
{
    size_t len;
    const char *text = json_writer_data(w, &len);
    json_error je;
    json_doc *doc = json_writer_ok(w) ? json_read(text, len, NULL, &je) : NULL;
    if (!doc)
        return cli_error(CLI_FAILED, "internal error: the results document did not read back");
    int rc = 0;
    char err[512];
    if (report_write_outputs(out_dir, text, len, json_doc_root(doc), &suites_report, err, sizeof err))
        rc = cli_error(CLI_FAILED, "%s", err);
    if (as_json) {
        fwrite(text, 1, len, stdout);
        fputc('\n', stdout);
    } else if (report_render(json_doc_root(doc), &suites_report, REPORT_TERMINAL, stdout, err, sizeof err)) {
        rc = cli_error(CLI_FAILED, "%s", err);
    }
    if (!rc && !quiet)
        fprintf(stderr, "ladder: wrote %s/results.json, report.md and report.html\n", out_dir);
    json_doc_free(doc);
    return rc;
}
