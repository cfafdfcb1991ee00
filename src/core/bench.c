#include "core/bench.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/proc.h"
#include "core/strbuf.h"
#include "core/verify.h"

#define CHECK_TIMEOUT_S 60
#define BUILD_TIMEOUT_S 1800

const char *bench_status_name(row_status s)
{
    return s == ROW_OK ? "ok" : s == ROW_FAILED ? "failed" : "skipped";
}

void rung_state_init(rung_state *st, const rung *r, const bench_opts *opts)
{
    memset(st, 0, sizeof *st);
    st->r = r;
    st->product_bytes = -1;
    int n = snprintf(st->build_dir, sizeof st->build_dir, "%s/%s/%s", opts->build_root,
                     r->contender ? "contenders" : "rungs", r->name);
    if (n < 0 || (size_t)n >= sizeof st->build_dir) {
        /* checked: the rung is unavailable with this reason instead of building into a cut path */
        st->build_dir[0] = '\0';
        st->checked = true;
        str_setf(st->reason, sizeof st->reason, "build folder path longer than %zu bytes", sizeof st->build_dir - 1);
    }
}

int bench_env(const rung_state *st, const bench_opts *opts, strlist *env)
{
    strlist_addf(env, "LADDER=%s", opts->ladder_bin ? opts->ladder_bin : "ladder");
    strlist_addf(env, "LADDER_ROOT=%s", opts->root);
    strlist_addf(env, "LADDER_RUNG_DIR=%s", st->r->dir);
    strlist_addf(env, "LADDER_BUILD_DIR=%s", st->build_dir);
    strlist_addf(env, "LADDER_PYTHON=%s", opts->python && *opts->python ? opts->python : "python3");
    for (size_t i = 0; i < st->r->nenv; i++)
        strlist_add(env, st->r->env[i]);
    return strlist_ok(env) ? 0 : -1;
}

/* Runs a manifest shell command in the rung's folder. */
static int sh_run(const rung_state *st, const bench_opts *opts, const char *cmd, double timeout,
                  proc_result *res, char *err, size_t cap)
{
    strlist env;
    strlist_init(&env);
    int rc = -1;
    if (bench_env(st, opts, &env)) {
        str_setf(err, cap, "out of memory");
    } else {
        const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
        proc_spec spec = {.argv = argv, .env_add = strlist_argv(&env), .cwd = st->r->dir, .timeout_s = timeout,
                          .stdout_max = 1 << 20};
        rc = proc_run(&spec, res, err, cap);
    }
    strlist_free(&env);
    return rc;
}

static void check(rung_state *st, const bench_opts *opts)
{
    st->checked = true;
    st->available = true;
    if (st->r->check) {
        proc_result res;
        char err[256];
        if (sh_run(st, opts, st->r->check, CHECK_TIMEOUT_S, &res, err, sizeof err)) {
            st->available = false;
            str_setf(st->reason, sizeof st->reason, "check could not run: %s", err);
            return;
        }
        if (!res.exited || res.exit_code != 0) {
            st->available = false;
            char line[200];
            str_last_line(res.out_len ? res.out : res.err, line, sizeof line);
            if (res.timed_out)
                str_setf(st->reason, sizeof st->reason, "availability check timed out");
            else
                str_setf(st->reason, sizeof st->reason, "%s", *line ? line : "availability check failed");
        }
        proc_result_free(&res);
        if (!st->available)
            return;
    }
    if (st->r->version) {
        proc_result res;
        char err[256];
        if (sh_run(st, opts, st->r->version, CHECK_TIMEOUT_S, &res, err, sizeof err) == 0) {
            str_first_line(res.out_len ? res.out : res.err, st->version, sizeof st->version);
            proc_result_free(&res);
        }
    }
}

static void build_locked(rung_state *st, const bench_opts *opts);

static void build(rung_state *st, const bench_opts *opts)
{
    st->build_tried = true;
    if (!st->r->build) {
        st->build_ok = true;
        return;
    }
    char err[256];
    if (fs_mkdirs(st->build_dir, err, sizeof err)) {
        str_setf(st->reason, sizeof st->reason, "build folder: %s", err);
        return;
    }
    /* Two ladder runs sharing a build folder must not compile over each other. */
    strbuf lock_path;
    strbuf_init(&lock_path);
    strbuf_appendf(&lock_path, "%s/.ladder-build-lock", st->build_dir);
    if (!strbuf_ok(&lock_path)) {
        str_setf(st->reason, sizeof st->reason, "out of memory");
        return;
    }
    int lock = open(lock_path.s, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    strbuf_free(&lock_path);
    if (lock >= 0)
        while (flock(lock, LOCK_EX) != 0 && errno == EINTR)
            ;
    build_locked(st, opts);
    if (lock >= 0)
        close(lock);
}

static void build_locked(rung_state *st, const bench_opts *opts)
{
    char err[256];
    uint64_t h = fs_hash_init();
    h = fs_hash_bytes(h, st->r->build, strlen(st->r->build));
    h = fs_hash_bytes(h, st->version, strlen(st->version));
    strbuf path;
    strbuf_init(&path);
    bool hashed = true;
    for (size_t i = 0; i < st->r->nbuild_inputs; i++) {
        strbuf_reset(&path);
        strbuf_appendf(&path, "%s/%s", st->r->dir, st->r->build_inputs[i]);
        hashed &= strbuf_ok(&path) && fs_hash_tree(&h, path.s) == 0;
    }
    char want[32];
    strbuf_reset(&path);
    strbuf_appendf(&path, "%s/.ladder-build-stamp", st->build_dir);
    if (!strbuf_ok(&path)) {
        str_setf(st->reason, sizeof st->reason, "out of memory");
        return;
    }
    const char *stamp_path = path.s;
    snprintf(want, sizeof want, "%016llx", (unsigned long long)h);
    char *have = fs_read_all(stamp_path, NULL, NULL, 0);
    bool fresh = !opts->rebuild && hashed && have && !strcmp(have, want);
    free(have);
    strbuf ns_path;
    strbuf_init(&ns_path);
    strbuf_appendf(&ns_path, "%s/.ladder-build-ns", st->build_dir);
    if (!strbuf_ok(&ns_path)) {
        str_setf(st->reason, sizeof st->reason, "out of memory");
        strbuf_free(&path);
        strbuf_free(&ns_path);
        return;
    }
    if (fresh) {
        st->build_ok = true;
        st->build_cached = true;
        char *last = fs_read_all(ns_path.s, NULL, NULL, 0);
        if (last) {
            char *end;
            long long v = strtoll(last, &end, 10);
            st->build_last_ns = end != last && v > 0 ? (int64_t)v : 0;
            free(last);
        }
        strbuf_free(&path);
        strbuf_free(&ns_path);
        return;
    }
    unlink(stamp_path);
    unlink(ns_path.s);
    /* --rebuild means from cold: the tools' own caches in the build folder (cargo's target, zig's
     * cache, Cython's C, object files) go too; only the lock we hold stays */
    if (opts->rebuild && fs_clear_dir(st->build_dir, ".ladder-build-lock"))
        fprintf(stderr, "ladder: warning: could not empty %s before the rebuild\n", st->build_dir);
    proc_result res;
    if (sh_run(st, opts, st->r->build, BUILD_TIMEOUT_S, &res, err, sizeof err)) {
        str_setf(st->reason, sizeof st->reason, "build could not run: %s", err);
        strbuf_free(&path);
        strbuf_free(&ns_path);
        return;
    }
    st->build_ns = res.wall_ns;
    if (res.exited && res.exit_code == 0) {
        st->build_ok = true;
        st->build_last_ns = res.wall_ns;
        char nsbuf[32];
        snprintf(nsbuf, sizeof nsbuf, "%" PRId64 "\n", res.wall_ns);
        if (fs_write_atomic(ns_path.s, nsbuf, strlen(nsbuf), err, sizeof err) ||
            fs_write_atomic(stamp_path, want, strlen(want), err, sizeof err))
            fprintf(stderr, "ladder: warning: %s\n", err);
    } else {
        char desc[200];
        proc_describe(&res, BUILD_TIMEOUT_S, desc, sizeof desc);
        str_setf(st->reason, sizeof st->reason, "build failed (%s)", desc);
    }
    proc_result_free(&res);
    strbuf_free(&path);
    strbuf_free(&ns_path);
}

/* Appends s to out with glob's special characters escaped (a path taken literally). */
static void append_literal(strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("*?[]\\", *s))
            strbuf_appendf(out, "\\");
        strbuf_appendf(out, "%c", *s);
    }
}

/* One product pattern with $VAR / ${VAR} of the three rung folders replaced (literally). */
static void expand_pattern(const rung_state *st, const bench_opts *opts, const char *w, size_t len, strbuf *out)
{
    static const char *const names[] = {"LADDER_BUILD_DIR", "LADDER_RUNG_DIR", "LADDER_ROOT"};
    const char *values[] = {st->build_dir, st->r->dir, opts->root};
    for (size_t i = 0; i < len;) {
        bool done = false;
        if (w[i] == '$') {
            bool brace = i + 1 < len && w[i + 1] == '{';
            for (int k = 0; k < 3 && !done; k++) {
                size_t nl = strlen(names[k]), at = i + 1 + brace;
                if (at + nl > len || strncmp(w + at, names[k], nl))
                    continue;
                size_t end = at + nl;
                if (brace ? (end < len && w[end] == '}') : (end >= len || !(w[end] == '_' || (w[end] >= 'A' && w[end] <= 'Z')))) {
                    append_literal(out, values[k]);
                    i = end + brace;
                    done = true;
                }
            }
        }
        if (!done)
            strbuf_appendf(out, "%c", w[i++]);
    }
}

long long bench_product_bytes(const rung_state *st, const bench_opts *opts, int *files)
{
    *files = 0;
    const char *p = st->r->product;
    if (!p)
        return -1;
    long long total = 0;
    strbuf pat;
    strbuf_init(&pat);
    while (*p) {
        size_t skip = strspn(p, " \t\n"), len;
        p += skip;
        if (!*p)
            break;
        len = strcspn(p, " \t\n");
        strbuf_reset(&pat);
        expand_pattern(st, opts, p, len, &pat);
        p += len;
        glob_t g;
        if (!strbuf_ok(&pat) || glob(pat.s, 0, NULL, &g) != 0)
            continue;
        for (size_t i = 0; i < g.gl_pathc; i++) {
            long long b = fs_tree_bytes(g.gl_pathv[i]);
            if (b >= 0) {
                total += b;
                (*files)++;
            }
        }
        globfree(&g);
    }
    strbuf_free(&pat);
    return *files ? total : -1;
}

bool bench_prepare(rung_state *st, const bench_opts *opts)
{
    if (!st->checked)
        check(st, opts);
    if (!st->available)
        return false;
    if (!st->build_tried) {
        build(st, opts);
        if (st->build_ok)
            st->product_bytes = bench_product_bytes(st, opts, &st->product_files);
    }
    return st->build_ok;
}

/* 1..18 decimal digits at *p (so they cannot overflow) into *v; *p moves past them. */
static int read_count(const char **p, long long *v)
{
    size_t nd = 0;
    long long x = 0;
    while ((*p)[nd] >= '0' && (*p)[nd] <= '9') {
        x = x * 10 + ((*p)[nd] - '0');
        if (++nd > 18)
            return -1;
    }
    if (nd == 0)
        return -1;
    *p += nd;
    *v = x;
    return 0;
}

/* The end of a timing line: nothing, or a lone "\r" (a rung that writes CRLF). */
static bool line_end(const char *p)
{
    return *p == '\0' || (*p == '\r' && p[1] == '\0');
}

/* "KEY VALUE": KEY of [a-z_], one space, VALUE a count (read_count). */
static int split_timing_line(const char *line, char *key, size_t cap, long long *v)
{
    size_t k = 0;
    while ((line[k] >= 'a' && line[k] <= 'z') || line[k] == '_') {
        if (k + 1 >= cap)
            return -1;
        key[k] = line[k];
        k++;
    }
    key[k] = '\0';
    if (k == 0 || line[k] != ' ')
        return -1;
    const char *d = line + k + 1;
    return read_count(&d, v) || !line_end(d) ? -1 : 0;
}

/* One "part NAME BYTES NS" line, waiting for the ns or warmup_ns line of its iteration. */
typedef struct {
    char name[BENCH_PART_NAME];
    long long bytes, ns;
    int line;
} part_line;

#define PART_NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/* "part NAME BYTES NS": NAME of PART_NAME_CHARS, shorter than BENCH_PART_NAME; single spaces. */
static int split_part_line(const char *line, part_line *out)
{
    const char *p = line + 5;
    size_t n = strspn(p, PART_NAME_CHARS);
    if (n == 0 || n >= sizeof out->name || p[n] != ' ')
        return -1;
    memcpy(out->name, p, n);
    out->name[n] = '\0';
    p += n + 1;
    if (read_count(&p, &out->bytes) || *p++ != ' ' || read_count(&p, &out->ns) || !line_end(p))
        return -1;
    return 0;
}

/* Appends v to a growable array of *n values whose capacity is the next power of two from 8. */
static int push_sample(double **arr, size_t *n, double v)
{
    size_t k = *n;
    if (k == 0 || (k >= 8 && (k & (k - 1)) == 0)) {
        double *g = realloc(*arr, (k ? 2 * k : 8) * sizeof *g);
        if (!g)
            return -1;
        *arr = g;
    }
    (*arr)[(*n)++] = v;
    return 0;
}

/* The iteration whose time (iter_ns, on line lineno) was just read takes the waiting part lines:
 * each checked against it; for a counted iteration (its sample already in row) the first names
 * the row's parts and every later one must name the same. */
static int take_parts(bench_row *row, const part_line *pend, size_t npend, long long iter_ns, bool counted, int lineno,
                      char *reason, size_t cap)
{
    for (size_t i = 0; i < npend; i++)
        if (pend[i].ns > iter_ns) {
            str_setf(reason, cap, "part '%s' on line %d took %lld ns, more than its iteration's %lld (line %d)",
                     pend[i].name, pend[i].line, pend[i].ns, iter_ns, lineno);
            return -1;
        }
    if (!counted)
        return 0;
    if (row->nsamples == 1 && npend) {
        row->parts = calloc(npend, sizeof *row->parts);
        if (!row->parts) {
            str_setf(reason, cap, "out of memory");
            return -1;
        }
        row->nparts = npend;
        for (size_t i = 0; i < npend; i++) {
            memcpy(row->parts[i].name, pend[i].name, sizeof pend[i].name);
            row->parts[i].bytes = pend[i].bytes;
        }
    }
    bool same = npend == row->nparts;
    for (size_t i = 0; same && i < npend; i++)
        same = !strcmp(pend[i].name, row->parts[i].name) && pend[i].bytes == row->parts[i].bytes;
    if (!same) {
        str_setf(reason, cap, "the parts before line %d (%zu) are not the first counted iteration's (%zu, the same "
                              "names and bytes in the same order)", lineno, npend, row->nparts);
        return -1;
    }
    for (size_t i = 0; i < npend; i++)
        if (push_sample(&row->parts[i].samples, &row->parts[i].nsamples, (double)pend[i].ns)) {
            str_setf(reason, cap, "out of memory");
            return -1;
        }
    return 0;
}

int bench_parse_timing(const char *text, bench_row *row, char *reason, size_t cap)
{
    part_line pend[BENCH_MAX_PARTS];
    size_t npend = 0;
    const char *p = text;
    int lineno = 0;
    while (*p) {
        lineno++;
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char line[128];
        if (len >= sizeof line) {
            str_setf(reason, cap, "timing line %d is too long", lineno);
            return -1;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p = end ? end + 1 : p + len;
        if (!len)
            continue;
        char key[32];
        long long v;
        /* "simd LEVEL": the only line whose value is a word, of [a-z0-9] */
        if (!strncmp(line, "simd ", 5)) {
            const char *w = line + 5;
            size_t n = strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789");
            if (n == 0 || n >= sizeof row->simd || !line_end(w + n)) {
                snprintf(reason, cap, "bad timing line %d: '%.60s'", lineno, line);
                return -1;
            }
            memcpy(row->simd, w, n);
            row->simd[n] = '\0';
            continue;
        }
        if (!strncmp(line, "part ", 5)) {
            if (npend == BENCH_MAX_PARTS) {
                str_setf(reason, cap, "more than %d parts in one iteration (line %d)", BENCH_MAX_PARTS, lineno);
                return -1;
            }
            if (split_part_line(line, &pend[npend])) {
                str_setf(reason, cap, "bad part line %d: '%.60s' (expected \"part NAME BYTES NS\")", lineno, line);
                return -1;
            }
            for (size_t i = 0; i < npend; i++)
                if (!strcmp(pend[i].name, pend[npend].name)) {
                    str_setf(reason, cap, "part '%s' twice in one iteration (lines %d and %d)", pend[i].name,
                             pend[i].line, lineno);
                    return -1;
                }
            pend[npend++].line = lineno;
            continue;
        }
        if (split_timing_line(line, key, sizeof key, &v)) {
            str_setf(reason, cap, "bad timing line %d: '%.60s'", lineno, line);
            return -1;
        }
        if (!strcmp(key, "bytes")) {
            if (v < 1) {
                str_setf(reason, cap, "bytes %lld on line %d is not a byte count", v, lineno);
                return -1;
            }
            row->work_bytes = v;
            continue;
        }
        if (!strcmp(key, "threads")) {
            if (v < 1 || v > 65536) {
                str_setf(reason, cap, "threads %lld on line %d is not a thread count", v, lineno);
                return -1;
            }
            row->threads = (int)v;
            continue;
        }
        bool counted = !strcmp(key, "ns");
        if (!counted && strcmp(key, "warmup_ns")) {
            str_setf(reason, cap, "unknown timing key '%.30s' on line %d", key, lineno);
            return -1;
        }
        if (counted ? push_sample(&row->samples, &row->nsamples, (double)v)
                    : push_sample(&row->warmup, &row->nwarmup, (double)v)) {
            str_setf(reason, cap, "out of memory");
            return -1;
        }
        if (take_parts(row, pend, npend, v, counted, lineno, reason, cap))
            return -1;
        npend = 0;
    }
    if (npend) {
        str_setf(reason, cap, "part line %d has no ns or warmup_ns line after it", pend[0].line);
        return -1;
    }
    return 0;
}

static void set_fail(bench_row *row, const char *failure, const char *reason)
{
    row->status = ROW_FAILED;
    row->failure = failure;
    str_setf(row->reason, sizeof row->reason, "%s", reason);
}

/* Starts the rung on (problem, N) with the protocol's environment. */
static int start_rung(rung_state *st, const bench_case *c, const bench_opts *opts, int warmup, int repeat,
                      bool pass_stdout, proc_result *res, char *err, size_t cap)
{
    strlist env;
    strlist_init(&env);
    strbuf script;
    strbuf_init(&script);
    char nbuf[32];
    snprintf(nbuf, sizeof nbuf, "%ld", c->n);
    bench_env(st, opts, &env);
    strlist_addf(&env, "LADDER_WARMUP=%d", warmup);
    strlist_addf(&env, "LADDER_REPEAT=%d", repeat);
    if (c->input_path)
        strlist_addf(&env, "LADDER_INPUT=%s", c->input_path);
    strbuf_appendf(&script, "%s \"$@\"", st->r->run);
    int rc = -1;
    if (!strlist_ok(&env) || !strbuf_ok(&script)) {
        str_setf(err, cap, "out of memory");
    } else {
        const char *argv[] = {"/bin/sh", "-c", script.s, st->r->name, c->prob->id, nbuf, NULL};
        proc_spec spec = {.argv = argv, .env_add = strlist_argv(&env), .cwd = st->r->dir,
                          .timeout_s = opts->timeout_s, .timing_fd = !pass_stdout, .pass_stdout = pass_stdout};
        rc = proc_run(&spec, res, err, cap);
    }
    strlist_free(&env);
    strbuf_free(&script);
    return rc;
}

static bool run_prepare(const bench_case *c, const char *tmp, const bench_opts *opts, char *err, size_t cap)
{
    strlist env;
    strlist_init(&env);
    strlist_addf(&env, "LADDER_N=%ld", c->n);
    strlist_addf(&env, "LADDER_INPUT=%s", tmp);
    strlist_addf(&env, "LADDER_ROOT=%s", opts->root);
    strlist_addf(&env, "LADDER=%s", opts->ladder_bin ? opts->ladder_bin : "ladder");
    const char *argv[] = {"/bin/sh", "-c", c->prob->prepare, NULL};
    proc_spec spec = {.argv = argv, .env_add = strlist_argv(&env), .cwd = c->prob->dir,
                      .timeout_s = BUILD_TIMEOUT_S, .stdout_max = 1 << 16};
    proc_result res;
    bool ok = false;
    if (!strlist_ok(&env)) {
        str_setf(err, cap, "out of memory");
    } else if (proc_run(&spec, &res, err, cap) == 0) {
        ok = res.exited && res.exit_code == 0;
        if (!ok) {
            char desc[200];
            proc_describe(&res, BUILD_TIMEOUT_S, desc, sizeof desc);
            str_setf(err, cap, "preparing the input failed (%s)", desc);
        }
        proc_result_free(&res);
    }
    strlist_free(&env);
    return ok;
}

static void prepare_input(bench_case *c, const bench_opts *opts)
{
    char err[256];
    strbuf dir, tmp;
    strbuf_init(&dir);
    strbuf_init(&tmp);
    strbuf_appendf(&dir, "%s/inputs/%s", opts->build_root, c->prob->id);
    strbuf_appendf(&tmp, "%s/%ld.input", dir.s, c->n);
    c->input_path = strbuf_take(&tmp);
    strbuf_appendf(&tmp, "%s.tmp.%ld", c->input_path ? c->input_path : "", (long)getpid());
    struct stat st;
    if (!strbuf_ok(&dir) || !strbuf_ok(&tmp) || !c->input_path) {
        str_setf(c->error, sizeof c->error, "out of memory");
    } else if (fs_mkdirs(dir.s, err, sizeof err)) {
        str_setf(c->error, sizeof c->error, "%s", err);
    } else if (stat(c->input_path, &st) != 0 && !run_prepare(c, tmp.s, opts, err, sizeof err)) {
        unlink(tmp.s);
        str_setf(c->error, sizeof c->error, "%s", err);
    } else if (access(tmp.s, F_OK) == 0 && rename(tmp.s, c->input_path) != 0) {
        str_setf(c->error, sizeof c->error, "cannot create %s: %s", c->input_path, strerror(errno));
        unlink(tmp.s);
    } else if (stat(c->input_path, &st) != 0) {
        str_setf(c->error, sizeof c->error, "%s: %s", c->input_path, strerror(errno));
    } else {
        c->input_bytes = (long long)st.st_size;
    }
    strbuf_free(&dir);
    strbuf_free(&tmp);
}

void bench_case_prepare(bench_case *c, const problem *p, long n, rung_state *ref_state, const bench_opts *opts)
{
    memset(c, 0, sizeof *c);
    c->prob = p;
    c->n = n;
    if (p->prepare) {
        prepare_input(c, opts);
        if (c->error[0])
            return;
    }
    char *ref_path = manifest_reference_path(p, n);
    if (ref_path) {
        char err[256];
        c->ref = fs_read_all(ref_path, &c->ref_len, err, sizeof err);
        if (!c->ref)
            str_setf(c->error, sizeof c->error, "%s", err);
        snprintf(c->ref_source, sizeof c->ref_source, "problems/%s/ref/%ld.%s", p->id, n,
                 p->verify == VERIFY_MD5 ? "md5" : "txt");
        free(ref_path);
        return;
    }
    if (!ref_state)
        return;
    /* No reference file: the reference rung's own output at this N is the reference. */
    snprintf(c->ref_source, sizeof c->ref_source, "the %s rung's output", ref_state->r->name);
    if (!bench_prepare(ref_state, opts)) {
        str_setf(c->error, sizeof c->error, "no reference: %s: %s", ref_state->r->name, ref_state->reason);
        return;
    }
    proc_result res;
    char err[256];
    if (start_rung(ref_state, c, opts, 0, 1, false, &res, err, sizeof err)) {
        str_setf(c->error, sizeof c->error, "no reference: %s", err);
        return;
    }
    if (res.exited && res.exit_code == 0 && !res.out_truncated) {
        if (p->verify == VERIFY_MD5) {
            c->ref = malloc(33);
            if (c->ref && verify_md5_hex(res.out, res.out_len, c->ref) == 0)
                c->ref_len = 32;
        } else {
            c->ref = res.out;
            c->ref_len = res.out_len;
            res.out = NULL;
        }
    } else {
        char desc[200];
        proc_describe(&res, opts->timeout_s, desc, sizeof desc);
        str_setf(c->error, sizeof c->error, "no reference: the %s rung failed (%s)", ref_state->r->name, desc);
    }
    proc_result_free(&res);
}

void bench_case_free(bench_case *c)
{
    free(c->ref);
    free(c->input_path);
    c->ref = NULL;
    c->input_path = NULL;
}

void bench_run(rung_state *st, const bench_case *c, const char *size_label, const bench_opts *opts,
               bench_row *row)
{
    memset(row, 0, sizeof *row);
    row->prob = c->prob;
    row->r = st->r;
    row->n = c->n;
    row->threads = 1;
    row->rounds = 1;
    row->input_bytes = c->input_bytes;
    snprintf(row->size, sizeof row->size, "%s", size_label);
    if (!bench_prepare(st, opts)) {
        row->status = st->available ? ROW_FAILED : ROW_SKIPPED;
        row->failure = st->available ? "build" : "unavailable";
        str_setf(row->reason, sizeof row->reason, "%s", st->reason);
        return;
    }
    if (c->error[0]) {
        set_fail(row, "input", c->error);
        return;
    }
    proc_result res;
    char err[256];
    if (start_rung(st, c, opts, opts->warmup, opts->repeat, false, &res, err, sizeof err)) {
        set_fail(row, "exit", err);
        return;
    }
    row->wall_ns = res.wall_ns;
    row->user_ns = res.user_ns;
    row->sys_ns = res.sys_ns;
    row->max_rss_kb = res.max_rss_kb;
    row->output_bytes = res.out_len;
    char desc[256];
    proc_describe(&res, opts->timeout_s, desc, sizeof desc);
    if (res.timed_out) {
        set_fail(row, "timeout", desc);
    } else if (res.term_signal) {
        set_fail(row, "crash", desc);
    } else if (res.exit_code != 0) {
        set_fail(row, "exit", desc);
    } else if (bench_parse_timing(res.timing, row, desc, sizeof desc)) {
        set_fail(row, "protocol", desc);
    } else if (row->nsamples != (size_t)opts->repeat) {
        str_setf(desc, sizeof desc, "expected %d timing samples on LADDER_TIMING_FD, got %zu", opts->repeat,
                 row->nsamples);
        set_fail(row, "protocol", desc);
    } else if (res.out_truncated) {
        set_fail(row, "wrong", "output too large to verify");
    } else if (!c->ref) {
        row->status = ROW_OK;
        str_setf(row->reason, sizeof row->reason, "no reference output for N=%ld: not verified", c->n);
    } else if (verify_output(c->prob->verify, c->ref, c->ref_len, res.out, res.out_len, desc, sizeof desc)) {
        row->status = ROW_OK;
        row->verified = true;
    } else {
        char why[256];
        str_setf(why, sizeof why, "wrong answer: %s (reference: %s)", desc, c->ref_source);
        set_fail(row, "wrong", why);
    }
    if (bench_row_summarize(row))
        set_fail(row, "protocol", "out of memory summarising the samples");
    proc_result_free(&res);
}

void bench_row_free(bench_row *row)
{
    free(row->samples);
    free(row->warmup);
    row->samples = row->warmup = NULL;
    for (size_t i = 0; i < row->nparts; i++)
        free(row->parts[i].samples);
    free(row->parts);
    row->parts = NULL;
    row->nparts = 0;
}

/* Appends k values to a plain array of *n (its capacity exactly *n). */
static int append_samples(double **arr, size_t *n, const double *add, size_t k)
{
    if (!k) /* memcpy from NULL is undefined even for 0 bytes */
        return 0;
    double *g = realloc(*arr, (*n + k) * sizeof *g);
    if (!g)
        return -1;
    memcpy(g + *n, add, k * sizeof *g);
    *arr = g;
    *n += k;
    return 0;
}

int bench_row_append(bench_row *acc, const bench_row *r, char *reason, size_t cap)
{
    bool same = acc->nparts == r->nparts;
    for (size_t i = 0; same && i < r->nparts; i++)
        same = !strcmp(acc->parts[i].name, r->parts[i].name) && acc->parts[i].bytes == r->parts[i].bytes;
    if (!same) {
        str_setf(reason, cap, "its parts (%zu) are not the first round's (%zu)", r->nparts, acc->nparts);
        return -1;
    }
    int rc = append_samples(&acc->samples, &acc->nsamples, r->samples, r->nsamples) ||
             append_samples(&acc->warmup, &acc->nwarmup, r->warmup, r->nwarmup);
    for (size_t i = 0; !rc && i < r->nparts; i++)
        rc = append_samples(&acc->parts[i].samples, &acc->parts[i].nsamples, r->parts[i].samples, r->parts[i].nsamples);
    if (rc)
        str_setf(reason, cap, "out of memory");
    return rc ? -1 : 0;
}

int bench_row_summarize(bench_row *row)
{
    if (stats_summarize(row->samples, row->nsamples, &row->kernel))
        return -1;
    for (size_t i = 0; i < row->nparts; i++)
        if (stats_summarize(row->parts[i].samples, row->parts[i].nsamples, &row->parts[i].summary))
            return -1;
    return 0;
}

int bench_exec(rung_state *st, const bench_case *c, const bench_opts *opts, char *err, size_t cap)
{
    err[0] = '\0';
    if (!bench_prepare(st, opts)) {
        str_setf(err, cap, "%s: %s", st->r->name, st->reason);
        return 1;
    }
    if (c->error[0]) {
        str_setf(err, cap, "%s", c->error);
        return 1;
    }
    proc_result res;
    if (start_rung(st, c, opts, 0, 1, true, &res, err, cap))
        return 1;
    if (res.err_len)
        fputs(res.err, stderr);
    int rc = res.exited ? res.exit_code : 1;
    if (!res.exited || res.timed_out)
        proc_describe(&res, opts->timeout_s, err, cap);
    proc_result_free(&res);
    return rc;
}
