/* ladder: runs the same work on many implementations, verifies every output, times every run the
 * same way and reports side by side. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "harness/bench.h"
#include "harness/fsutil.h"
#include "harness/manifest.h"
#include "json/json.h"
#include "report/report.h"
#include "report/results.h"

#ifndef LADDER_VERSION
#define LADDER_VERSION "dev"
#endif
#ifndef LADDER_SOURCE_DIR
#define LADDER_SOURCE_DIR "."
#endif

enum { EXIT_USAGE = 2 };

static const char *const USAGE =
    "usage: ladder COMMAND [OPTIONS]\n"
    "\n"
    "The same problems on every rung, every output verified, every time measured the same way.\n"
    "\n"
    "commands:\n"
    "  list                     problems, rungs and whether each rung is available (and why not)\n"
    "  run [PROBLEM...]         run rungs on problems, verify, time, and write the report\n"
    "  verify [PROBLEM...]      check every rung's output at every size that has a reference\n"
    "  exec RUNG PROBLEM N      run one rung once at any N and pass its output through\n"
    "  report FILE.json         render a results document again (terminal, md or html)\n"
    "  serve                    ladder's HTTP server (the benchmark endpoints)\n"
    "  gen events [OPTIONS]     write the pipeline's JSON event log (CPython-identical)\n"
    "  pipeline FILE            run ladder's C pipeline over an event log, print the summary\n"
    "  http                     the framework benchmark: every contender, every endpoint, under wrk\n"
    "  catalog load [--db URL]  load the book catalog (data/books.csv) into SQLite or PostgreSQL\n"
    "  lifecycle                the API lifecycle: where a catalog request's time goes, network included\n"
    "\n"
    "Run 'ladder COMMAND --help' for a command's options.\n"
    "environment: LADDER_ROOT (source folder), LADDER_BUILD (build folder), LADDER_PYTHON,\n"
    "             LADDER_RUNGS_PATH (extra folders of rungs, ':'-separated)\n";

static const char *const RUN_USAGE =
    "usage: ladder run [PROBLEM...] [--rung NAME]... [--size quick|blog|bg|N] [--runs N]\n"
    "                  [--warmup N] [--timeout SEC] [--out DIR] [--json] [--strict]\n"
    "\n"
    "Runs every selected rung on every selected problem (default: all of both) by the rung\n"
    "protocol, verifies stdout against the reference, and writes DIR/results.json, report.md and\n"
    "report.html. Prints the report card (or, with --json, the results document) on stdout.\n"
    "\n"
    "  -r, --rung NAME     only this rung (repeatable)\n"
    "  -s, --size SIZE     quick (default), blog, bg or an explicit N\n"
    "  -n, --runs N        counted in-process iterations per rung (default 3)\n"
    "  -w, --warmup N      in-process warm-up iterations, not counted (default 1)\n"
    "  -t, --timeout SEC   kill a rung's whole process group after SEC seconds (default 600)\n"
    "  -o, --out DIR       where results and reports go (default: results)\n"
    "      --python PATH   the Python interpreter for Python-hosted rungs (default python3)\n"
    "      --rungs-dir DIR also load the rungs in DIR (repeatable)\n"
    "      --json          print the results document instead of the report card\n"
    "      --strict        exit 1 unless every row that ran is ok and verified\n"
    "  -q, --quiet         no progress on stderr\n";

static const char *const VERIFY_USAGE =
    "usage: ladder verify [PROBLEM...] [--rung NAME]... [--max-size quick|blog|bg|N] [--timeout SEC]\n"
    "\n"
    "Runs each rung once at every N that has a reference output, up to --max-size (default blog),\n"
    "and prints one line per check. Exit 0 when every available rung verified, 1 otherwise.\n";

static const char *const EXEC_USAGE =
    "usage: ladder exec RUNG PROBLEM N [--timeout SEC] [--python PATH]\n"
    "\n"
    "Builds the rung if needed, runs it once at N and passes its stdout and stderr through.\n"
    "Exits with the rung's exit status.\n";

static const char *const REPORT_USAGE =
    "usage: ladder report FILE.json [--format terminal|md|html] [-o FILE]\n"
    "\n"
    "Renders a results document written by 'ladder run'.\n";

static const char *const LIST_USAGE =
    "usage: ladder list [--json] [--rungs-dir DIR]...\n"
    "\n"
    "Lists problems (with sizes and reference outputs) and rungs (with availability, the reason\n"
    "when unavailable, and the tool version).\n";

typedef struct {
    char root[PATH_MAX];
    char build[PATH_MAX];
    char exe[PATH_MAX];
    const char *extra_dirs[32];
    size_t nextra;
    const char *python;
} context;

static int die(int code, const char *fmt, const char *arg)
{
    fprintf(stderr, "ladder: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return code;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int context_init(context *c)
{
    memset(c, 0, sizeof *c);
    const char *root = getenv("LADDER_ROOT");
    if (!root || !*root)
        root = LADDER_SOURCE_DIR;
    if (!realpath(root, c->root))
        return die(EXIT_USAGE, "cannot find ladder's source folder '%s' (set LADDER_ROOT)", root);
    ssize_t n = readlink("/proc/self/exe", c->exe, sizeof c->exe - 1);
    if (n <= 0)
        return die(1, "%s", "cannot locate the ladder executable");
    c->exe[n] = '\0';
    const char *build = getenv("LADDER_BUILD");
    if (build && *build) {
        /* manifest commands run in their own folders, so the build folder must be absolute */
        char err[256];
        if (fs_mkdirs(build, err, sizeof err) || !realpath(build, c->build))
            return die(EXIT_USAGE, "LADDER_BUILD=%s is not a usable folder", build);
    } else {
        snprintf(c->build, sizeof c->build, "%s", c->exe);
        char *slash = strrchr(c->build, '/');
        if (slash)
            *slash = '\0';
    }
    c->python = getenv("LADDER_PYTHON");
    if (!c->python || !*c->python)
        c->python = "python3";
    const char *path = getenv("LADDER_RUNGS_PATH");
    if (path && *path) {
        static char buf[4096];
        snprintf(buf, sizeof buf, "%s", path);
        for (char *save, *tok = strtok_r(buf, ":", &save); tok && c->nextra < 16; tok = strtok_r(NULL, ":", &save))
            c->extra_dirs[c->nextra++] = tok;
    }
    return 0;
}

static int add_rungs_dir(context *c, const char *dir)
{
    if (!is_dir(dir))
        return die(EXIT_USAGE, "--rungs-dir %s: not a folder", dir);
    if (c->nextra >= 31)
        return die(EXIT_USAGE, "%s", "too many --rungs-dir");
    c->extra_dirs[c->nextra++] = dir;
    return 0;
}

static int load(context *c, manifest_registry *reg)
{
    char err[512];
    c->extra_dirs[c->nextra] = NULL;
    if (manifest_load(c->root, c->extra_dirs, reg, err, sizeof err))
        return die(1, "%s", err);
    return 0;
}

static int parse_count(const char *s, const char *what, int min, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < min || v > 100000) {
        fprintf(stderr, "ladder: %s must be an integer >= %d, not '%s'\n", what, min, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v > 0) || v > 86400) {
        fprintf(stderr, "ladder: --timeout must be a number of seconds in (0, 86400], not '%s'\n", s);
        return -1;
    }
    *out = v;
    return 0;
}

/* ---- list ------------------------------------------------------------------------------ */

static int cmd_list(context *c, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, 0, 'j'}, {"rungs-dir", required_argument, 0, 'R'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    bool as_json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'j')
            as_json = true;
        else if (o == 'R') {
            if (add_rungs_dir(c, optarg))
                return EXIT_USAGE;
        } else if (o == 'h') {
            fputs(LIST_USAGE, stdout);
            return 0;
        } else {
            fputs(LIST_USAGE, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return die(EXIT_USAGE, "list takes no arguments (got '%s')", argv[optind]);
    manifest_registry reg;
    if (load(c, &reg))
        return 1;
    bench_opts bo = {.root = c->root, .build_root = c->build, .ladder_bin = c->exe, .python = c->python};
    json_writer w;
    json_writer_init(&w, true);
    json_obj_begin(&w);
    json_key(&w, "problems");
    json_arr_begin(&w);
    if (!as_json)
        printf("problems:\n");
    for (size_t i = 0; i < reg.nproblems; i++) {
        const problem *p = &reg.problems[i];
        long *ns;
        size_t nn;
        manifest_reference_sizes(p, &ns, &nn);
        json_obj_begin(&w);
        json_key(&w, "id");
        json_str(&w, p->id);
        json_key(&w, "title");
        json_str(&w, p->title);
        json_key(&w, "sizes");
        json_obj_begin(&w);
        for (int s = 0; s < SIZE_COUNT; s++) {
            json_key(&w, manifest_size_names[s]);
            json_int(&w, p->sizes[s]);
        }
        json_obj_end(&w);
        json_key(&w, "references");
        json_arr_begin(&w);
        for (size_t k = 0; k < nn; k++)
            json_int(&w, ns[k]);
        json_arr_end(&w);
        json_obj_end(&w);
        if (!as_json) {
            printf("  %-16s %-16s quick %-9ld blog %-9ld bg %-10ld references:", p->id, p->title, p->sizes[0],
                   p->sizes[1], p->sizes[2]);
            for (size_t k = 0; k < nn; k++)
                printf(" %ld", ns[k]);
            printf("\n");
        }
        free(ns);
    }
    json_arr_end(&w);
    json_key(&w, "rungs");
    json_arr_begin(&w);
    if (!as_json)
        printf("\nrungs:\n");
    for (size_t i = 0; i < reg.nrungs; i++) {
        rung_state st;
        rung_state_init(&st, &reg.rungs[i], &bo);
        if (!as_json && isatty(2))
            fprintf(stderr, "checking %s...\r", reg.rungs[i].name);
        st.build_tried = true; /* listing never builds */
        bench_prepare(&st, &bo);
        const rung *r = st.r;
        json_obj_begin(&w);
        json_key(&w, "name");
        json_str(&w, r->name);
        json_key(&w, "title");
        json_str(&w, r->title);
        json_key(&w, "available");
        json_bool(&w, st.available);
        json_key(&w, "reason");
        if (st.available)
            json_null(&w);
        else
            json_str(&w, st.reason);
        json_key(&w, "version");
        json_str(&w, st.version);
        json_key(&w, "costs");
        json_str(&w, r->costs);
        json_key(&w, "notes");
        if (r->notes)
            json_str(&w, r->notes);
        else
            json_null(&w);
        json_key(&w, "problems");
        json_arr_begin(&w);
        for (size_t k = 0; k < r->nproblems; k++)
            json_str(&w, r->problems[k]);
        json_arr_end(&w);
        json_obj_end(&w);
        if (!as_json) {
            printf("  %-14s %-34s %s\n", r->name, r->title,
                   st.available ? (*st.version ? st.version : "available") : "unavailable");
            if (!st.available)
                printf("  %-14s   why: %s\n", "", st.reason);
            printf("  %-14s   problems:", "");
            for (size_t k = 0; k < r->nproblems; k++)
                printf(" %s", r->problems[k]);
            printf("\n  %-14s   costs: %s\n", "", r->costs);
            if (r->notes)
                printf("  %-14s   notes: %s\n", "", r->notes);
        }
    }
    json_arr_end(&w);
    json_obj_end(&w);
    if (as_json) {
        size_t len;
        const char *text = json_writer_data(&w, &len);
        fwrite(text, 1, len, stdout);
        fputc('\n', stdout);
    }
    json_writer_free(&w);
    manifest_free(&reg);
    return 0;
}

typedef struct {
    const char *names[64];
    size_t n;
} name_list;

static int name_add(name_list *l, const char *s)
{
    if (l->n >= 64)
        return die(EXIT_USAGE, "%s", "too many names");
    l->names[l->n++] = s;
    return 0;
}

static bool name_has(const name_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->names[i], s))
            return true;
    return false;
}

/* Every named problem and rung must exist: EXIT_USAGE with a one-line error otherwise. */
static int check_names(const manifest_registry *reg, const name_list *problems, const name_list *rungs)
{
    for (size_t i = 0; i < problems->n; i++)
        if (!manifest_problem(reg, problems->names[i]))
            return die(EXIT_USAGE, "unknown problem '%s' (see 'ladder list')", problems->names[i]);
    for (size_t i = 0; i < rungs->n; i++)
        if (!manifest_rung(reg, rungs->names[i]))
            return die(EXIT_USAGE, "unknown rung '%s' (see 'ladder list')", rungs->names[i]);
    return 0;
}

/* The state of a problem's reference rung among states (NULL when it has none). */
static rung_state *reference_state(const problem *p, rung_state *states, size_t n)
{
    for (size_t i = 0; p->reference_rung && i < n; i++)
        if (!strcmp(states[i].r->name, p->reference_rung))
            return &states[i];
    return NULL;
}

/* ---- run ------------------------------------------------------------------------------- */


typedef struct {
    name_list problems, rungs;
    const char *size;
    long n;
    int size_index;
    bench_opts bo;
    const char *out;
    bool json, strict, quiet;
} run_args;

static void progress(const run_args *a, size_t i, size_t total, const bench_row *row)
{
    if (a->quiet || !isatty(2))
        return;
    char t[32] = "";
    if (row->status == ROW_OK)
        report_format_ns(row->kernel.median, t, sizeof t);
    fprintf(stderr, "[%zu/%zu] %-15s %-14s %-8s %s%s%s\n", i, total, row->prob->id, row->r->name,
            bench_status_name(row->status), t, row->status == ROW_OK ? "" : " ",
            row->status == ROW_OK ? "" : row->reason);
}

static void progress_start(const run_args *a, size_t i, size_t total, const problem *p, const rung *r, long n)
{
    if (a->quiet || !isatty(2))
        return;
    fprintf(stderr, "[%zu/%zu] %-15s %-14s running N=%ld...\r", i, total, p->id, r->name, n);
}

static int run_matrix(context *c, run_args *a, int argc, char **argv)
{
    manifest_registry reg;
    if (load(c, &reg))
        return 1;
    int rc = check_names(&reg, &a->problems, &a->rungs);
    if (rc)
        goto out;
    rung_state *states = calloc(reg.nrungs, sizeof *states);
    bench_row *rows = calloc(reg.nproblems * reg.nrungs + 1, sizeof *rows);
    if (!states || !rows) {
        free(states);
        free(rows);
        rc = die(1, "%s", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < reg.nrungs; i++)
        rung_state_init(&states[i], &reg.rungs[i], &a->bo);
    size_t total = 0, nrows = 0;
    for (size_t p = 0; p < reg.nproblems; p++)
        for (size_t r = 0; r < reg.nrungs; r++)
            if ((!a->problems.n || name_has(&a->problems, reg.problems[p].id)) &&
                (!a->rungs.n || name_has(&a->rungs, reg.rungs[r].name)) &&
                rung_implements(&reg.rungs[r], reg.problems[p].id))
                total++;
    if (total == 0) {
        free(states);
        free(rows);
        rc = die(EXIT_USAGE, "%s", "nothing to run: no selected rung implements a selected problem");
        goto out;
    }
    int64_t started = (int64_t)time(NULL);
    for (size_t p = 0; p < reg.nproblems; p++) {
        const problem *prob = &reg.problems[p];
        if (a->problems.n && !name_has(&a->problems, prob->id))
            continue;
        long n = a->size_index >= 0 ? prob->sizes[a->size_index] : a->n;
        if (n < prob->min_n || n > prob->max_n) {
            char msg[160];
            snprintf(msg, sizeof msg, "N=%ld is outside %s's range [%ld, %ld]", n, prob->id, prob->min_n,
                     prob->max_n);
            free(states);
            free(rows);
            rc = die(EXIT_USAGE, "%s", msg);
            goto out;
        }
        bench_case bc;
        bench_case_prepare(&bc, prob, n, reference_state(prob, states, reg.nrungs), &a->bo);
        for (size_t r = 0; r < reg.nrungs; r++) {
            const rung *rg = &reg.rungs[r];
            if ((a->rungs.n && !name_has(&a->rungs, rg->name)) || !rung_implements(rg, prob->id))
                continue;
            progress_start(a, nrows + 1, total, prob, rg, n);
            bench_run(&states[r], &bc, a->size, &a->bo, &rows[nrows]);
            progress(a, nrows + 1, total, &rows[nrows]);
            nrows++;
        }
        bench_case_free(&bc);
    }
    char cmdline[1024] = "ladder";
    for (int i = 0; i < argc; i++) {
        strncat(cmdline, " ", sizeof cmdline - strlen(cmdline) - 1);
        strncat(cmdline, argv[i], sizeof cmdline - strlen(cmdline) - 1);
    }
    results_meta meta = {.command = cmdline, .size = a->size, .warmup = a->bo.warmup, .repeat = a->bo.repeat,
                         .timeout_s = a->bo.timeout_s, .started_unix = started, .ladder_version = LADDER_VERSION};
    json_writer w;
    json_writer_init(&w, true);
    results_write(&w, &meta, rows, nrows, states, reg.nrungs);
    size_t len;
    const char *text = json_writer_data(&w, &len);
    json_error je;
    json_doc *doc = json_writer_ok(&w) ? json_read(text, len, NULL, &je) : NULL;
    char err[512];
    if (!doc) {
        rc = die(1, "%s", "internal error: the results document did not read back");
    } else if (report_write_outputs(a->out, text, len, json_doc_root(doc), err, sizeof err)) {
        rc = die(1, "%s", err);
    } else {
        if (a->json) {
            fwrite(text, 1, len, stdout);
            fputc('\n', stdout);
        } else if (report_render(json_doc_root(doc), REPORT_TERMINAL, stdout, err, sizeof err)) {
            rc = die(1, "%s", err);
        }
        if (!a->quiet)
            fprintf(stderr, "ladder: wrote %s/results.json, report.md and report.html\n", a->out);
        if (a->strict)
            for (size_t i = 0; i < nrows; i++)
                if (rows[i].status == ROW_FAILED || (rows[i].status == ROW_OK && !rows[i].verified))
                    rc = rc ? rc : 1;
    }
    json_doc_free(doc);
    json_writer_free(&w);
    for (size_t i = 0; i < nrows; i++)
        bench_row_free(&rows[i]);
    free(rows);
    free(states);
out:
    manifest_free(&reg);
    return rc;
}

static int cmd_run(context *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"rung", required_argument, 0, 'r'},    {"size", required_argument, 0, 's'},
        {"runs", required_argument, 0, 'n'},    {"warmup", required_argument, 0, 'w'},
        {"timeout", required_argument, 0, 't'}, {"out", required_argument, 0, 'o'},
        {"json", no_argument, 0, 'j'},          {"strict", no_argument, 0, 'S'},
        {"quiet", no_argument, 0, 'q'},         {"python", required_argument, 0, 'P'},
        {"rungs-dir", required_argument, 0, 'R'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    run_args a = {.size = "quick", .size_index = SIZE_QUICK, .out = "results"};
    a.bo = (bench_opts){.root = c->root, .timeout_s = 600, .warmup = 1, .repeat = 3, .build_root = c->build, .ladder_bin = c->exe,
                        .python = c->python};
    int o;
    while ((o = getopt_long(argc, argv, "r:s:n:w:t:o:qh", opts, NULL)) != -1) {
        switch (o) {
        case 'r':
            if (name_add(&a.rungs, optarg))
                return EXIT_USAGE;
            break;
        case 's':
            a.size = optarg;
            a.size_index = manifest_parse_size(optarg, &a.n);
            if (a.size_index == -2)
                return die(EXIT_USAGE, "--size must be quick, blog, bg or a positive integer, not '%s'", optarg);
            break;
        case 'n':
            if (parse_count(optarg, "--runs", 1, &a.bo.repeat))
                return EXIT_USAGE;
            break;
        case 'w':
            if (parse_count(optarg, "--warmup", 0, &a.bo.warmup))
                return EXIT_USAGE;
            break;
        case 't':
            if (parse_seconds(optarg, &a.bo.timeout_s))
                return EXIT_USAGE;
            break;
        case 'o':
            a.out = optarg;
            break;
        case 'j':
            a.json = true;
            break;
        case 'S':
            a.strict = true;
            break;
        case 'q':
            a.quiet = true;
            break;
        case 'P':
            a.bo.python = optarg;
            break;
        case 'R':
            if (add_rungs_dir(c, optarg))
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(RUN_USAGE, stdout);
            return 0;
        default:
            fputs(RUN_USAGE, stderr);
            return EXIT_USAGE;
        }
    }
    for (int i = optind; i < argc; i++)
        if (name_add(&a.problems, argv[i]))
            return EXIT_USAGE;
    return run_matrix(c, &a, argc, argv);
}

/* ---- verify ---------------------------------------------------------------------------- */

static int cmd_verify(context *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"rung", required_argument, 0, 'r'},    {"max-size", required_argument, 0, 'm'},
        {"timeout", required_argument, 0, 't'}, {"python", required_argument, 0, 'P'},
        {"rungs-dir", required_argument, 0, 'R'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    name_list problems = {0}, rungs = {0};
    int max_index = SIZE_BLOG;
    long max_n = 0;
    bench_opts bo = {.root = c->root, .timeout_s = 600, .warmup = 0, .repeat = 1, .build_root = c->build, .ladder_bin = c->exe,
                     .python = c->python};
    int o;
    while ((o = getopt_long(argc, argv, "r:t:h", opts, NULL)) != -1) {
        switch (o) {
        case 'r':
            if (name_add(&rungs, optarg))
                return EXIT_USAGE;
            break;
        case 'm':
            max_index = manifest_parse_size(optarg, &max_n);
            if (max_index == -2)
                return die(EXIT_USAGE, "--max-size must be quick, blog, bg or a positive integer, not '%s'",
                           optarg);
            break;
        case 't':
            if (parse_seconds(optarg, &bo.timeout_s))
                return EXIT_USAGE;
            break;
        case 'P':
            bo.python = optarg;
            break;
        case 'R':
            if (add_rungs_dir(c, optarg))
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(VERIFY_USAGE, stdout);
            return 0;
        default:
            fputs(VERIFY_USAGE, stderr);
            return EXIT_USAGE;
        }
    }
    for (int i = optind; i < argc; i++)
        if (name_add(&problems, argv[i]))
            return EXIT_USAGE;
    manifest_registry reg;
    if (load(c, &reg))
        return 1;
    int rc = check_names(&reg, &problems, &rungs);
    if (rc)
        goto out;
    size_t checks = 0, failed = 0, skipped = 0;
    rung_state *states = calloc(reg.nrungs ? reg.nrungs : 1, sizeof *states);
    if (!states) {
        rc = die(1, "%s", "out of memory");
        goto out;
    }
    for (size_t r = 0; r < reg.nrungs; r++)
        rung_state_init(&states[r], &reg.rungs[r], &bo);
    for (size_t r = 0; r < reg.nrungs; r++) {
        const rung *rg = &reg.rungs[r];
        if (rungs.n && !name_has(&rungs, rg->name))
            continue;
        rung_state *st = &states[r];
        for (size_t p = 0; p < reg.nproblems; p++) {
            const problem *prob = &reg.problems[p];
            if ((problems.n && !name_has(&problems, prob->id)) || !rung_implements(rg, prob->id))
                continue;
            long limit = max_index >= 0 ? prob->sizes[max_index] : max_n;
            long *ns;
            size_t nn;
            manifest_reference_sizes(prob, &ns, &nn);
            for (size_t k = 0; k < nn && ns[k] <= limit; k++) {
                bench_row row;
                bench_case bc;
                bench_case_prepare(&bc, prob, ns[k], reference_state(prob, states, reg.nrungs), &bo);
                bench_run(st, &bc, "verify", &bo, &row);
                bench_case_free(&bc);
                checks++;
                const char *word = row.status == ROW_OK ? (row.verified ? "ok" : "UNVERIFIED")
                                   : row.status == ROW_SKIPPED ? "skipped"
                                                               : "FAILED";
                if (row.status == ROW_FAILED || (row.status == ROW_OK && !row.verified))
                    failed++;
                if (row.status == ROW_SKIPPED)
                    skipped++;
                printf("%-10s %-14s %-16s N=%-10ld %s%s\n", word, rg->name, prob->id, ns[k],
                       *row.reason ? "— " : "", row.reason);
                fflush(stdout);
                bench_row_free(&row);
                if (row.status == ROW_SKIPPED)
                    break;
            }
            free(ns);
        }
    }
    free(states);
    printf("%zu checks: %zu passed, %zu failed, %zu skipped\n", checks, checks - failed - skipped, failed, skipped);
    rc = failed ? 1 : 0;
out:
    manifest_free(&reg);
    return rc;
}

/* ---- exec ------------------------------------------------------------------------------ */

static int cmd_exec(context *c, int argc, char **argv)
{
    static const struct option opts[] = {{"timeout", required_argument, 0, 't'}, {"python", required_argument, 0, 'P'},
                                         {"rungs-dir", required_argument, 0, 'R'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    bench_opts bo = {.root = c->root, .timeout_s = 0, .warmup = 0, .repeat = 1, .build_root = c->build, .ladder_bin = c->exe,
                     .python = c->python};
    int o;
    while ((o = getopt_long(argc, argv, "+t:h", opts, NULL)) != -1) {
        if (o == 't') {
            if (parse_seconds(optarg, &bo.timeout_s))
                return EXIT_USAGE;
        } else if (o == 'P') {
            bo.python = optarg;
        } else if (o == 'R') {
            if (add_rungs_dir(c, optarg))
                return EXIT_USAGE;
        } else if (o == 'h') {
            fputs(EXEC_USAGE, stdout);
            return 0;
        } else {
            fputs(EXEC_USAGE, stderr);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 3) {
        fputs(EXEC_USAGE, stderr);
        return EXIT_USAGE;
    }
    long n;
    if (manifest_parse_size(argv[optind + 2], &n) != -1)
        return die(EXIT_USAGE, "N must be a positive integer, not '%s'", argv[optind + 2]);
    manifest_registry reg;
    if (load(c, &reg))
        return 1;
    const rung *r = manifest_rung(&reg, argv[optind]);
    const problem *p = manifest_problem(&reg, argv[optind + 1]);
    int rc;
    if (!r) {
        rc = die(EXIT_USAGE, "unknown rung '%s' (see 'ladder list')", argv[optind]);
    } else if (!p) {
        rc = die(EXIT_USAGE, "unknown problem '%s' (see 'ladder list')", argv[optind + 1]);
    } else if (!rung_implements(r, p->id)) {
        char msg[200];
        snprintf(msg, sizeof msg, "rung '%s' does not implement '%s'", r->name, p->id);
        rc = die(EXIT_USAGE, "%s", msg);
    } else {
        rung_state st;
        rung_state_init(&st, r, &bo);
        bench_case bc;
        /* exec passes output through unverified, so it only needs the input, not a reference */
        bench_case_prepare(&bc, p, n, NULL, &bo);
        char err[512];
        rc = bench_exec(&st, &bc, &bo, err, sizeof err);
        if (*err)
            die(rc ? rc : 1, "%s", err);
        bench_case_free(&bc);
    }
    manifest_free(&reg);
    return rc;
}

/* ---- report ---------------------------------------------------------------------------- */

static int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    report_format fmt = REPORT_TERMINAL;
    const char *output = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        if (o == 'f') {
            if (!strcmp(optarg, "terminal") || !strcmp(optarg, "text"))
                fmt = REPORT_TERMINAL;
            else if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown"))
                fmt = REPORT_MARKDOWN;
            else if (!strcmp(optarg, "html"))
                fmt = REPORT_HTML;
            else
                return die(EXIT_USAGE, "--format must be terminal, md or html, not '%s'", optarg);
        } else if (o == 'o') {
            output = optarg;
        } else if (o == 'h') {
            fputs(REPORT_USAGE, stdout);
            return 0;
        } else {
            fputs(REPORT_USAGE, stderr);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fputs(REPORT_USAGE, stderr);
        return EXIT_USAGE;
    }
    json_error je;
    json_doc *doc = json_read_file(argv[optind], NULL, &je);
    char err[512];
    if (!doc) {
        json_error_format(&je, argv[optind], err, sizeof err);
        return die(1, "%s", err);
    }
    int rc = 0;
    size_t len;
    char *text = report_render_alloc(json_doc_root(doc), fmt, &len, err, sizeof err);
    if (!text) {
        char msg[700];
        snprintf(msg, sizeof msg, "%s: %s", argv[optind], err);
        rc = die(1, "%s", msg);
    } else if (output) {
        if (fs_write_atomic(output, text, len, err, sizeof err))
            rc = die(1, "%s", err);
    } else if (fwrite(text, 1, len, stdout) != len) {
        rc = die(1, "%s", "cannot write to stdout");
    }
    free(text);
    json_doc_free(doc);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("ladder %s\n", LADDER_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "report"))
        return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "serve"))
        return cmd_serve(argc - 1, argv + 1);
    if (!strcmp(cmd, "gen"))
        return cmd_gen(argc - 1, argv + 1);
    if (!strcmp(cmd, "pipeline"))
        return cmd_pipeline(argc - 1, argv + 1);
    context c;
    int rc = context_init(&c);
    if (rc)
        return rc;
    if (!strcmp(cmd, "list"))
        return cmd_list(&c, argc - 1, argv + 1);
    if (!strcmp(cmd, "run"))
        return cmd_run(&c, argc - 1, argv + 1);
    if (!strcmp(cmd, "verify"))
        return cmd_verify(&c, argc - 1, argv + 1);
    if (!strcmp(cmd, "exec"))
        return cmd_exec(&c, argc - 1, argv + 1);
    if (!strcmp(cmd, "http")) {
        c.extra_dirs[c.nextra] = NULL;
        return cmd_http_with(c.root, c.build, c.exe, c.extra_dirs, argc - 1, argv + 1);
    }
    if (!strcmp(cmd, "catalog"))
        return cmd_catalog_with(c.root, c.build, argc - 1, argv + 1);
    if (!strcmp(cmd, "lifecycle"))
        return cmd_lifecycle_with(c.root, c.build, c.exe, argc - 1, argv + 1);
    fprintf(stderr, "ladder: unknown command '%s'\n\n%s", cmd, USAGE);
    return EXIT_USAGE;
}
