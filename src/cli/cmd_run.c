/* ladder run, verify and exec: the compute suite from the command line. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/bench.h"
#include "core/noise.h"
#include "core/stats.h"
#include "core/results.h"
#include "suites/compute/compute_results.h"
#include "suites/compute/compute_run.h"

/* Two rounds: each rung then runs in two processes at different moments, so drift and one
 * process's unlucky layout show up as disagreeing rounds, while the quick run stays short
 * (docs/METHODOLOGY.md, "Rounds"). */
#define RUN_DEFAULT_ROUNDS 2
/* Rows whose process costs milliseconds (the compiled rungs at the quick size) get more rounds
 * for a fraction of a second each: their between-process spread is what limits a comparison
 * (docs/METHODOLOGY.md, "Rounds"). */
#define RUN_DEFAULT_MIN_TIME 0.25
#define RUN_DEFAULT_MAX_ROUNDS 20
#define RUN_STR_(x) #x
#define RUN_STR(x) RUN_STR_(x)

static const char *const RUN_USAGE =
    "usage: ladder run [PROBLEM...] [--rung NAME]... [--size quick|blog|bg|N] [--runs N]\n"
    "                  [--rounds N] [--min-time SEC] [--max-rounds N] [--seed N] [--warmup N]\n"
    "                  [--timeout SEC] [--out DIR] [--json] [--strict] [--rebuild]\n"
    "\n"
    "Runs every selected rung on every selected problem (default: all of both) by the rung\n"
    "protocol, verifies stdout against the reference, and writes DIR/results.json, report.md and\n"
    "report.html. Prints the report card (or, with --json, the results document) on stdout.\n"
    "\n"
    "  -r, --rung NAME     only this rung (repeatable)\n"
    "  -s, --size SIZE     quick (default), blog, bg or an explicit N\n"
    "  -n, --runs N        counted in-process iterations per process (default 3)\n"
    "      --rounds N      start every rung of a problem N times, in an order shuffled per round;\n"
    "                      samples pool into the row (default 2: see docs/METHODOLOGY.md)\n"
    "      --min-time SEC  after those rounds, a row whose processes took less than SEC in all\n"
    "                      gets more rounds, shuffled among such rows, until it has SEC or\n"
    "                      --max-rounds (default " RUN_STR(RUN_DEFAULT_MIN_TIME) " s; 0: exactly --rounds)\n"
    "      --max-rounds N  the cap on a row's rounds with --min-time (default " RUN_STR(RUN_DEFAULT_MAX_ROUNDS) ")\n"
    "      --seed N        the seed of the rounds' shuffles (default: from the clock; recorded)\n"
    "  -w, --warmup N      in-process warm-up iterations, not counted (default 1)\n"
    "  -t, --timeout SEC   kill a rung's whole process group after SEC seconds (default 600)\n"
    "  -o, --out DIR       where results and reports go (default: results)\n"
    "      --python PATH   the Python interpreter for Python-hosted rungs and the cpython baseline\n"
    "                      (default $LADDER_PYTHON or python3); repeated, each later one is one\n"
    "                      more interpreter for the per-interpreter rungs (cpython-3.X)\n"
    "      --rungs-dir DIR also load the rungs in DIR (repeatable)\n"
    "      --rebuild       ignore the build cache: build every selected rung from cold, so each row\n"
    "                      records its build's wall time (and its product's size, as always)\n"
    "      --json          print the results document instead of the report card\n"
    "      --strict        exit 1 unless every row that ran is ok and verified\n"
    "  -q, --quiet         no progress on stderr (nor the machine's noise warnings)\n"
    "\n"
    "Before the run the machine is checked as 'ladder doctor' does; the findings go into the\n"
    "results document and warnings to stderr.\n";

static const char *const VERIFY_USAGE =
    "usage: ladder verify [PROBLEM...] [--rung NAME]... [--max-size quick|blog|bg|N] [--timeout SEC]\n"
    "\n"
    "Runs each rung once at every N that has a reference output, up to --max-size (default blog),\n"
    "and prints one line per check. Exit 0 when every available rung verified, 1 otherwise.\n";

static const char *const BUILD_USAGE =
    "usage: ladder build [RUNG...] [--python PATH] [--rungs-dir DIR]\n"
    "\n"
    "Checks and builds every rung (default: all) as 'ladder run' does before a rung's first\n"
    "process, so that the first run times instead of building; the build cache makes a second\n"
    "call cheap. One line a rung: built (and how long it took), cached, nothing to build,\n"
    "unavailable (why) or FAILED (why), with progress on stderr. Exit 0 unless a build failed.\n";

static const char *const EXEC_USAGE =
    "usage: ladder exec RUNG PROBLEM N [--timeout SEC] [--python PATH]\n"
    "\n"
    "Builds the rung if needed, runs it once at N and passes its stdout and stderr through.\n"
    "Exits with the rung's exit status.\n";


/* Every named problem and rung must exist: CLI_USAGE with a one-line error otherwise. */
static int check_names(const manifest_registry *reg, const char *const *problems, const char *const *rungs)
{
    for (; *problems; problems++)
        if (!manifest_problem(reg, *problems))
            return cli_error(CLI_USAGE, "unknown problem '%s' (see 'ladder list')", *problems);
    for (; *rungs; rungs++)
        if (!manifest_rung(reg, *rungs))
            return cli_error(CLI_USAGE, "unknown rung '%s' (see 'ladder list')", *rungs);
    return 0;
}

typedef struct {
    strlist problems, rungs;
    compute_plan plan;
    bench_opts bo;
    const char *out;
    bool json, strict, quiet, seeded;
    noise_report noise;
} run_args;

static int publish(const run_args *a, const compute_run *run, const manifest_registry *reg, int64_t started,
                   int argc, char **argv)
{
    char *cmdline = results_command_line("ladder", argc, argv);
    if (!cmdline)
        return cli_error(CLI_FAILED, "out of memory");
    results_meta meta = {.command = cmdline, .started_unix = started, .ladder_version = LADDER_VERSION};
    compute_settings set = {.size = a->plan.size_label, .warmup = a->bo.warmup, .repeat = a->bo.repeat,
                            .timeout_s = a->bo.timeout_s, .rounds = a->plan.rounds, .seed = a->plan.seed,
                            .min_time_s = a->plan.min_time_s, .max_rounds = a->plan.max_rounds,
                            .noise = &a->noise, .rebuild = a->bo.rebuild,
                            .python = a->bo.python && *a->bo.python ? a->bo.python : "python3"};
    json_writer w;
    json_writer_init(&w, true);
    compute_results_write(&w, &meta, &set, run->rows, run->nrows, run->states, reg->nrungs);
    int rc = cli_publish(&w, a->out, a->json, a->quiet);
    json_writer_free(&w);
    free(cmdline);
    for (size_t i = 0; !rc && a->strict && i < run->nrows; i++)
        if (run->rows[i].status == ROW_FAILED || (run->rows[i].status == ROW_OK && !run->rows[i].verified))
            rc = CLI_FAILED;
    return rc;
}

static int run_matrix(cli_ctx *c, run_args *a, int argc, char **argv)
{
    manifest_registry reg;
    if (cli_load(c, &reg))
        return CLI_FAILED;
    a->plan.problems = strlist_argv(&a->problems);
    a->plan.rungs = strlist_argv(&a->rungs);
    a->plan.progress = !a->quiet;
    int rc = check_names(&reg, a->plan.problems, a->plan.rungs);
    if (!rc && compute_count(&reg, &a->plan) == 0)
        rc = cli_error(CLI_USAGE, "nothing to run: no selected rung implements a selected problem");
    if (!rc) {
        noise_check(&a->noise, 250);
        if (!a->quiet && noise_warnings(&a->noise)) {
            fprintf(stderr, "ladder run: this machine may add noise (details: ladder doctor):\n");
            noise_print(stderr, &a->noise, true, "  ");
        }
        if (!a->seeded) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            uint64_t st = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
            a->plan.seed = stats_splitmix64(&st) & 0x1fffffffffffffULL;
        }
        int64_t started = (int64_t)time(NULL);
        compute_run run;
        char err[256];
        if (compute_run_plan(&reg, &a->plan, &a->bo, &run, err, sizeof err))
            rc = cli_error(strstr(err, "memory") ? CLI_FAILED : CLI_USAGE, "%s", err);
        else
            rc = publish(a, &run, &reg, started, argc, argv);
        compute_run_free(&run);
    }
    manifest_free(&reg);
    return rc;
}

/* 0 to go on, else the exit code (-1: --help printed, exit 0). */
static int run_option(cli_ctx *c, run_args *a, int o)
{
    switch (o) {
    case 'r':
        return strlist_add(&a->rungs, optarg) ? cli_error(CLI_FAILED, "out of memory") : 0;
    case 's':
        a->plan.size_label = optarg;
        a->plan.size_index = manifest_parse_size(optarg, &a->plan.n);
        if (a->plan.size_index == -2)
            return cli_error(CLI_USAGE, "--size must be quick, blog, bg or a positive integer, not '%s'", optarg);
        return 0;
    case 'n':
        return cli_parse_int(optarg, "--runs", 1, 100000, &a->bo.repeat) ? CLI_USAGE : 0;
    case 'w':
        return cli_parse_int(optarg, "--warmup", 0, 100000, &a->bo.warmup) ? CLI_USAGE : 0;
    case 'N':
        return cli_parse_int(optarg, "--rounds", 1, 1000, &a->plan.rounds) ? CLI_USAGE : 0;
    case 'm':
        return cli_parse_seconds(optarg, "--min-time", 0, 86400, &a->plan.min_time_s) ? CLI_USAGE : 0;
    case 'M':
        return cli_parse_int(optarg, "--max-rounds", 1, 1000, &a->plan.max_rounds) ? CLI_USAGE : 0;
    case 'e': {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(optarg, &end, 10);
        if (errno || end == optarg || *end || v > 0x1fffffffffffffULL)
            return cli_error(CLI_USAGE, "--seed must be an integer in [0, 2^53), not '%s'", optarg);
        a->plan.seed = v;
        a->seeded = true;
        return 0;
    }
    case 't':
        return cli_parse_seconds(optarg, "--timeout", 0.001, 86400, &a->bo.timeout_s) ? CLI_USAGE : 0;
    case 'o': a->out = optarg; return 0;
    case 'j': a->json = true; return 0;
    case 'S': a->strict = true; return 0;
    case 'q': a->quiet = true; return 0;
    case 'B': a->bo.rebuild = true; return 0;
    case 'P':
        if (cli_add_python(c, optarg))
            return CLI_FAILED;
        a->bo.python = c->python;
        return 0;
    case 'R': return cli_add_rungs_dir(c, optarg) ? CLI_USAGE : 0;
    case 'h': cli_usage(RUN_USAGE, true); return -1;
    default: return cli_usage(RUN_USAGE, false);
    }
}

int cmd_run(cli_ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"rung", required_argument, 0, 'r'},    {"size", required_argument, 0, 's'},
        {"runs", required_argument, 0, 'n'},    {"warmup", required_argument, 0, 'w'},
        {"timeout", required_argument, 0, 't'}, {"out", required_argument, 0, 'o'},
        {"json", no_argument, 0, 'j'},          {"strict", no_argument, 0, 'S'},
        {"quiet", no_argument, 0, 'q'},         {"python", required_argument, 0, 'P'},
        {"rungs-dir", required_argument, 0, 'R'}, {"help", no_argument, 0, 'h'},
        {"rounds", required_argument, 0, 'N'},  {"seed", required_argument, 0, 'e'},
        {"rebuild", no_argument, 0, 'B'},       {"min-time", required_argument, 0, 'm'},
        {"max-rounds", required_argument, 0, 'M'}, {0, 0, 0, 0}};
    run_args a = {.plan = {.size_label = "quick", .size_index = SIZE_QUICK, .rounds = RUN_DEFAULT_ROUNDS,
                           .min_time_s = RUN_DEFAULT_MIN_TIME, .max_rounds = RUN_DEFAULT_MAX_ROUNDS},
                  .out = "results"};
    strlist_init(&a.problems);
    strlist_init(&a.rungs);
    a.bo = (bench_opts){.root = c->root, .timeout_s = 600, .warmup = 1, .repeat = 3, .build_root = c->build,
                        .ladder_bin = c->exe, .python = c->python};
    int o, rc = 0;
    while (!rc && (o = getopt_long(argc, argv, "r:s:n:w:t:o:qh", opts, NULL)) != -1)
        rc = run_option(c, &a, o);
    for (int i = optind; !rc && i < argc; i++)
        if (strlist_add(&a.problems, argv[i]))
            rc = cli_error(CLI_FAILED, "out of memory");
    if (!rc)
        rc = run_matrix(c, &a, argc, argv);
    strlist_free(&a.problems);
    strlist_free(&a.rungs);
    return rc < 0 ? 0 : rc;
}

typedef struct {
    size_t checks, failed, skipped;
} tally;

/* One rung on one problem at every N with a reference up to limit: a line each. */
static void verify_one(tally *t, rung_state *st, const problem *prob, long limit, rung_state *states,
                       size_t nstates, const bench_opts *bo)
{
    long *ns;
    size_t nn;
    if (manifest_reference_sizes(prob, &ns, &nn)) {
        t->failed++;
        printf("%-10s %-14s %-16s out of memory\n", "FAILED", st->r->name, prob->id);
        return;
    }
    for (size_t k = 0; k < nn && ns[k] <= limit; k++) {
        bench_row row;
        bench_case bc;
        bench_case_prepare(&bc, prob, ns[k], compute_reference_state(prob, states, nstates), bo);
        bench_run(st, &bc, "verify", bo, &row);
        bench_case_free(&bc);
        t->checks++;
        const char *word = row.status == ROW_OK        ? (row.verified ? "ok" : "UNVERIFIED")
                           : row.status == ROW_SKIPPED ? "skipped"
                                                       : "FAILED";
        t->failed += row.status == ROW_FAILED || (row.status == ROW_OK && !row.verified);
        t->skipped += row.status == ROW_SKIPPED;
        printf("%-10s %-14s %-16s N=%-10ld %s%s\n", word, st->r->name, prob->id, ns[k], *row.reason ? "— " : "",
               row.reason);
        fflush(stdout);
        bench_row_free(&row);
        if (row.status == ROW_SKIPPED)
            break;
    }
    free(ns);
}

int cmd_verify(cli_ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"rung", required_argument, 0, 'r'},    {"max-size", required_argument, 0, 'm'},
        {"timeout", required_argument, 0, 't'}, {"python", required_argument, 0, 'P'},
        {"rungs-dir", required_argument, 0, 'R'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    strlist problems, rungs;
    strlist_init(&problems);
    strlist_init(&rungs);
    int max_index = SIZE_BLOG;
    long max_n = 0;
    bench_opts bo = {.root = c->root, .timeout_s = 600, .warmup = 0, .repeat = 1, .build_root = c->build, .ladder_bin = c->exe,
                     .python = c->python};
    int o, rc = 0;
    manifest_registry reg = {0};
    while (!rc && (o = getopt_long(argc, argv, "r:t:h", opts, NULL)) != -1) {
        switch (o) {
        case 'r':
            if (strlist_add(&rungs, optarg))
                rc = cli_error(CLI_FAILED, "out of memory");
            break;
        case 'm':
            max_index = manifest_parse_size(optarg, &max_n);
            if (max_index == -2)
                rc = cli_error(CLI_USAGE, "--max-size must be quick, blog, bg or a positive integer, not '%s'",
                           optarg);
            break;
        case 't':
            if (cli_parse_seconds(optarg, "--timeout", 0.001, 86400, &bo.timeout_s))
                rc = CLI_USAGE;
            break;
        case 'P':
            if (cli_add_python(c, optarg))
                rc = CLI_FAILED;
            bo.python = c->python;
            break;
        case 'R':
            if (cli_add_rungs_dir(c, optarg))
                rc = CLI_USAGE;
            break;
        default:
            rc = cli_usage(VERIFY_USAGE, o == 'h');
            rc = rc == CLI_OK ? -1 : rc;
        }
    }
    for (int i = optind; !rc && i < argc; i++)
        if (strlist_add(&problems, argv[i]))
            rc = cli_error(CLI_FAILED, "out of memory");
    if (rc)
        goto out;
    if (cli_load(c, &reg)) {
        rc = CLI_FAILED;
        goto out;
    }
    rc = check_names(&reg, strlist_argv(&problems), strlist_argv(&rungs));
    if (rc)
        goto out;
    tally t = {0};
    rung_state *states = calloc(reg.nrungs ? reg.nrungs : 1, sizeof *states);
    if (!states) {
        rc = cli_error(CLI_FAILED, "out of memory");
        goto out;
    }
    for (size_t r = 0; r < reg.nrungs; r++)
        rung_state_init(&states[r], &reg.rungs[r], &bo);
    for (size_t r = 0; r < reg.nrungs; r++) {
        const rung *rg = &reg.rungs[r];
        if (!compute_selected(strlist_argv(&rungs), rg->name))
            continue;
        rung_state *st = &states[r];
        for (size_t p = 0; p < reg.nproblems; p++) {
            const problem *prob = &reg.problems[p];
            if (!compute_selected(strlist_argv(&problems), prob->id) || !rung_implements(rg, prob->id))
                continue;
            long limit = max_index >= 0 ? prob->sizes[max_index] : max_n;
            verify_one(&t, st, prob, limit, states, reg.nrungs, &bo);
        }
    }
    free(states);
    printf("%zu checks: %zu passed, %zu failed, %zu skipped\n", t.checks, t.checks - t.failed - t.skipped, t.failed,
           t.skipped);
    rc = t.failed ? 1 : 0;
out:
    manifest_free(&reg);
    strlist_free(&problems);
    strlist_free(&rungs);
    return rc < 0 ? 0 : rc;
}

/* --python and --rungs-dir, which every command that runs rungs takes: CLI_OK when o was one of
 * them and taken, CLI_FAILED or CLI_USAGE when its value was not, -1 when o is another option. */
static int rung_option(cli_ctx *c, int o, bench_opts *bo)
{
    if (o == 'P') {
        if (cli_add_python(c, optarg))
            return CLI_FAILED;
        bo->python = c->python;
        return CLI_OK;
    }
    if (o == 'R')
        return cli_add_rungs_dir(c, optarg) ? CLI_USAGE : CLI_OK;
    return -1;
}

int cmd_build(cli_ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {{"python", required_argument, 0, 'P'}, {"rungs-dir", required_argument, 0, 'R'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    bench_opts bo = {.root = c->root, .timeout_s = 600, .warmup = 0, .repeat = 1, .build_root = c->build,
                     .ladder_bin = c->exe, .python = c->python};
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = rung_option(c, o, &bo);
        if (rc >= 0 && rc != CLI_OK)
            return rc;
        if (rc < 0)
            return cli_usage(BUILD_USAGE, o == 'h');
    }
    manifest_registry reg;
    if (cli_load(c, &reg))
        return CLI_FAILED;
    const char *const none[] = {NULL};
    int rc = check_names(&reg, none, (const char *const *)argv + optind);
    size_t failed = 0, built = 0;
    bool tty = isatty(2);
    for (size_t i = 0; !rc && i < reg.nrungs; i++) {
        const rung *r = &reg.rungs[i];
        bool named = optind == argc;
        for (int a = optind; a < argc && !named; a++)
            named = !strcmp(argv[a], r->name);
        if (!named)
            continue;
        if (tty)
            fprintf(stderr, "\r\033[Kladder build: %s ...", r->name);
        rung_state st;
        rung_state_init(&st, r, &bo);
        bool ready = bench_prepare(&st, &bo);
        if (tty)
            fprintf(stderr, "\r\033[K");
        if (!st.available)
            printf("%-22s unavailable: %s\n", r->name, st.reason);
        else if (!ready)
            printf("%-22s FAILED: %s\n", r->name, st.reason), failed++;
        else if (!r->build)
            printf("%-22s nothing to build\n", r->name);
        else if (st.build_cached)
            printf("%-22s cached\n", r->name);
        else
            printf("%-22s built in %.1f s\n", r->name, (double)st.build_ns / 1e9), built++;
        fflush(stdout);
    }
    if (!rc)
        fprintf(stderr, "ladder build: %zu built, %zu failed\n", built, failed);
    manifest_free(&reg);
    return rc ? rc : failed ? CLI_FAILED : CLI_OK;
}

int cmd_exec(cli_ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {{"timeout", required_argument, 0, 't'}, {"python", required_argument, 0, 'P'},
                                         {"rungs-dir", required_argument, 0, 'R'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    bench_opts bo = {.root = c->root, .timeout_s = 0, .warmup = 0, .repeat = 1, .build_root = c->build, .ladder_bin = c->exe,
                     .python = c->python};
    int o;
    while ((o = getopt_long(argc, argv, "+t:h", opts, NULL)) != -1) {
        int rc = o == 't' ? (cli_parse_seconds(optarg, "--timeout", 0.001, 86400, &bo.timeout_s) ? CLI_USAGE : CLI_OK)
                          : rung_option(c, o, &bo);
        if (rc >= 0 && rc != CLI_OK)
            return rc;
        if (rc < 0)
            return cli_usage(EXEC_USAGE, o == 'h');
    }
    if (argc - optind != 3)
        return cli_usage(EXEC_USAGE, false);
    long n;
    if (manifest_parse_size(argv[optind + 2], &n) != -1)
        return cli_error(CLI_USAGE, "N must be a positive integer, not '%s'", argv[optind + 2]);
    manifest_registry reg;
    if (cli_load(c, &reg))
        return 1;
    const rung *r = manifest_rung(&reg, argv[optind]);
    const problem *p = manifest_problem(&reg, argv[optind + 1]);
    int rc;
    if (!r) {
        rc = cli_error(CLI_USAGE, "unknown rung '%s' (see 'ladder list')", argv[optind]);
    } else if (!p) {
        rc = cli_error(CLI_USAGE, "unknown problem '%s' (see 'ladder list')", argv[optind + 1]);
    } else if (!rung_implements(r, p->id)) {
        rc = cli_error(CLI_USAGE, "rung '%s' does not implement '%s'", r->name, p->id);
    } else {
        rung_state st;
        rung_state_init(&st, r, &bo);
        bench_case bc;
        /* exec passes output through unverified, so it only needs the input, not a reference */
        bench_case_prepare(&bc, p, n, NULL, &bo);
        char err[512];
        rc = bench_exec(&st, &bc, &bo, err, sizeof err);
        if (*err)
            cli_error(rc ? rc : 1, "%s", err);
        bench_case_free(&bc);
    }
    manifest_free(&reg);
    return rc;
}

