/* ladder http: the framework benchmark over every HTTP contender. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/results.h"
#include "core/stats.h"
#include "core/strbuf.h"
#include "suites/http/http_results.h"
#include "suites/http/httpbench.h"

static const char *const HTTP_USAGE =
    "usage: ladder http [--contender NAME]... [--endpoint NAME]... [--threads 2] [--connections 128]\n"
    "                   [--duration 10s] [--workers 2|1,all] [--size quick] [--pipeline N [--pipeline-all]]\n"
    "                   [--latency [--rates 10,25,50,75,90] [--common-rate 2000[,R...]] [--rate-duration 5s]\n"
    "                   [--rounds 3] [--seed N]]\n"
    "                   [--server-cpus LIST] [--client-cpus LIST] [--out DIR] [--json] [--strict]\n"
    "\n"
    "Starts each contender's server pinned to the server CPUs, verifies every endpoint (status,\n"
    "body, Content-Type, the 400 cases), then loads each endpoint with wrk pinned to the client\n"
    "CPUs, and reports requests/s and latency percentiles beside the server's own cost over the\n"
    "same window: the CPU time of its whole process tree (every worker and child, never wrk),\n"
    "requests per server CPU-second, its CPU utilisation and peak RSS. Endpoints: plaintext, json,\n"
    "user, validate.\n"
    "\n"
    "  -c, --contender NAME  only this contender (repeatable; see 'ladder list')\n"
    "  -e, --endpoint NAME   only this endpoint (repeatable)\n"
    "      --threads N       wrk threads (default 2)\n"
    "      --connections N   wrk connections (default 128)\n"
    "  -d, --duration T      seconds of load per endpoint, e.g. 10 or 10s (default 10)\n"
    "  -w, --workers LIST    server workers, the same for every contender: a number, 'all' (one per\n"
    "                        server CPU), or a list run one after another, e.g. 1,all (default 2)\n"
    "  -s, --size quick      3 s per endpoint\n"
    "      --pipeline N      send plaintext requests N per write, as TechEmpower does (labelled)\n"
    "      --pipeline-all    pipeline every endpoint: on a machine where wrk saturates its CPUs\n"
    "                        first, this makes the server the bottleneck again (labelled)\n"
    "      --server-cpus L   taskset CPU list for servers (default: the first half of the CPUs)\n"
    "      --client-cpus L   taskset CPU list for wrk (default: the other half)\n"
    "      --latency         after each wrk run (the maximum), offer fixed rates with oha (constant\n"
    "                        rate, coordinated-omission correction, HDR histograms): the --rates\n"
    "                        percentages of that maximum and --common-rate for every contender;\n"
    "                        p50/p90/p99/p99.9, max and errors at each (oha: contenders/setup.sh)\n"
    "      --rates LIST      percentages of the maximum to offer (default 10,25,50,75,90)\n"
    "      --common-rate LIST req/s offered to every contender, so that their curves can be\n"
    "                        compared at the same rates: one rate or a list, 0 for none (default 2000)\n"
    "      --rate-duration T seconds per offered rate (default 5; quick: 2)\n"
    "      --rounds N        the latency sweep is interleaved: every contender's server stays up, and\n"
    "                        in each of N rounds every contender is offered each rate once, in an\n"
    "                        order shuffled per round; each rate reports the median over the\n"
    "                        rounds of each percentile with its min-max (default 3, at most 15)\n"
    "      --seed N          the seed of the rounds' shuffles (default: from the clock; recorded)\n"
    "  -o, --out DIR         where results and reports go (default results/http)\n"
    "      --json            print the results document instead of the tables\n"
    "      --strict          exit 1 unless every contender that ran verified and loaded cleanly\n";

/* Three rounds: the least whose median is neither extreme, so one round caught by a burst of
 * load elsewhere moves the min-max but not the figure. At the defaults (6 rates of 5 s) that is
 * 90 s per contender and endpoint (36 s at --size quick), three times the old one-pass sweep. */
#define HTTP_DEFAULT_ROUNDS 3

typedef struct {
    hb_opts o;
    strlist contenders;
    const char *endpoints[8];
    int nend;
    const char *out, *size;
    bool json, strict, cpus_given, latency, rate_duration_given, seeded;
    int workers[4];            /* 0: all server CPUs */
    int nworkers;
} http_args;

/* "2", "all", "1,all": up to 4 worker counts. */
static int parse_workers(http_args *a, const char *s)
{
    a->nworkers = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (a->nworkers == 4)
            return cli_error(CLI_USAGE, "--workers takes at most 4 counts");
        int n = 0;
        if (strcmp(tok, "all") && cli_parse_int(tok, "--workers", 1, 256, &n))
            return CLI_USAGE;
        a->workers[a->nworkers++] = n;
    }
    return a->nworkers ? 0 : cli_error(CLI_USAGE, "--workers needs a count");
}

/* A comma-separated list of integers in [lo, hi], at most max of them, into out; 0 or the exit code. */
static int parse_int_list(const char *s, const char *flag, int lo, int hi, int *out, int max, int *n)
{
    char buf[128];
    *n = 0;
    if (strlen(s) >= sizeof buf)
        return cli_error(CLI_USAGE, "%s: list too long", flag);
    memcpy(buf, s, strlen(s) + 1);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n == max)
            return cli_error(CLI_USAGE, "%s takes at most %d values", flag, max);
        if (cli_parse_int(tok, flag, lo, hi, &out[*n]))
            return CLI_USAGE;
        ++*n;
    }
    return *n ? 0 : cli_error(CLI_USAGE, "%s needs a value", flag);
}

/* "10,25,50": percentages of the maximum, each in (0, 100]. */
static int parse_rates(http_args *a, const char *s)
{
    int pct[HB_MAX_FRACTIONS];
    if (parse_int_list(s, "--rates", 1, 100, pct, HB_MAX_FRACTIONS, &a->o.nfractions))
        return CLI_USAGE;
    for (int i = 0; i < a->o.nfractions; i++)
        a->o.fractions[i] = pct[i] / 100.0;
    return 0;
}

/* "2000" or "1000,2000,5000": req/s offered to every contender, kept ascending; "0" for none. */
static int parse_common_rates(http_args *a, const char *s)
{
    int v[HB_MAX_COMMON], n;
    a->o.ncommon = 0;
    if (parse_int_list(s, "--common-rate", 0, 10000000, v, HB_MAX_COMMON, &n))
        return CLI_USAGE;
    for (int i = 0; i < n; i++) {
        if (v[i] == 0) {
            if (n > 1)
                return cli_error(CLI_USAGE, "--common-rate: 0 (none) cannot be in a list");
            return 0;
        }
        int k = a->o.ncommon++;
        while (k > 0 && a->o.common_rates[k - 1] > v[i]) {
            a->o.common_rates[k] = a->o.common_rates[k - 1];
            k--;
        }
        if (k > 0 && a->o.common_rates[k - 1] == v[i])
            return cli_error(CLI_USAGE, "--common-rate: %d given twice", v[i]);
        a->o.common_rates[k] = v[i];
    }
    return 0;
}

/* 0 to go on, -1 after --help, else the exit code. */
static int http_option(http_args *a, int opt)
{
    switch (opt) {
    case 'c':
        return strlist_add(&a->contenders, optarg) ? cli_error(CLI_FAILED, "out of memory") : 0;
    case 'e':
        if (!hb_endpoint_find(optarg))
            return cli_error(CLI_USAGE, "unknown endpoint '%s' (plaintext, json, user, validate)", optarg);
        if (a->nend == 8)
            return cli_error(CLI_USAGE, "too many --endpoint");
        a->endpoints[a->nend++] = optarg;
        return 0;
    case 'T': return cli_parse_int(optarg, "--threads", 1, 256, &a->o.threads) ? CLI_USAGE : 0;
    case 'C': return cli_parse_int(optarg, "--connections", 1, 100000, &a->o.connections) ? CLI_USAGE : 0;
    case 'd': return cli_parse_seconds(optarg, "--duration", 1, 3600, &a->o.duration_s) ? CLI_USAGE : 0;
    case 'w': return parse_workers(a, optarg);
    case 'R': a->latency = true; return 0;
    case 'F': return parse_rates(a, optarg);
    case 'K': return parse_common_rates(a, optarg);
    case 'D':
        a->rate_duration_given = true;
        return cli_parse_seconds(optarg, "--rate-duration", 1, 600, &a->o.rate_duration_s) ? CLI_USAGE : 0;
    case 'N': return cli_parse_int(optarg, "--rounds", 1, HB_MAX_ROUNDS, &a->o.rounds) ? CLI_USAGE : 0;
    case 'Z': {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(optarg, &end, 10);
        if (errno || end == optarg || *end || optarg[0] == '-' || v >= (1ULL << 53))
            return cli_error(CLI_USAGE, "--seed must be an integer in [0, 2^53), not '%s'", optarg);
        a->o.seed = v;
        a->seeded = true;
        return 0;
    }
    case 's':
        if (strcmp(optarg, "quick"))
            return cli_error(CLI_USAGE, "--size must be quick, not '%s' (use --duration for longer runs)", optarg);
        a->size = "quick";
        a->o.duration_s = 3;
        if (!a->rate_duration_given)
            a->o.rate_duration_s = 2;
        return 0;
    case 'P': return cli_parse_int(optarg, "--pipeline", 1, 256, &a->o.pipeline) ? CLI_USAGE : 0;
    case 'S':
    case 'L': {
        int n;
        if (cli_parse_cpus(optarg, opt == 'S' ? "--server-cpus" : "--client-cpus", &n))
            return CLI_USAGE;
        snprintf(opt == 'S' ? a->o.server_cpus : a->o.client_cpus, sizeof a->o.server_cpus, "%s", optarg);
        if (opt == 'L')
            a->o.client_ncpus = n;
        else
            a->o.server_ncpus = n;
        a->cpus_given = true;
        return 0;
    }
    case 'A': a->o.pipeline_all = true; return 0;
    case 'o': a->out = optarg; return 0;
    case 'j': a->json = true; return 0;
    case 'X': a->strict = true; return 0;
    case 'h': cli_usage(HTTP_USAGE, true); return -1;
    default: return cli_usage(HTTP_USAGE, false);
    }
}

static int parse(http_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"contender", required_argument, 0, 'c'}, {"endpoint", required_argument, 0, 'e'},
        {"threads", required_argument, 0, 'T'},   {"connections", required_argument, 0, 'C'},
        {"duration", required_argument, 0, 'd'},  {"workers", required_argument, 0, 'w'},
        {"size", required_argument, 0, 's'},      {"pipeline", required_argument, 0, 'P'},
        {"pipeline-all", no_argument, 0, 'A'},   {"latency", no_argument, 0, 'R'},
        {"rates", required_argument, 0, 'F'},     {"common-rate", required_argument, 0, 'K'},
        {"rate-duration", required_argument, 0, 'D'}, {"rounds", required_argument, 0, 'N'},
        {"seed", required_argument, 0, 'Z'},
        {"server-cpus", required_argument, 0, 'S'}, {"client-cpus", required_argument, 0, 'L'},
        {"out", required_argument, 0, 'o'},       {"json", no_argument, 0, 'j'},
        {"strict", no_argument, 0, 'X'},          {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int opt, rc = 0;
    while (!rc && (opt = getopt_long(argc, argv, "c:e:d:w:s:o:h", opts, NULL)) != -1)
        rc = http_option(a, opt);
    if (!rc && optind < argc)
        rc = cli_error(CLI_USAGE, "unexpected argument '%s'", argv[optind]);
    return rc;
}

/* Server on the first half of the CPUs, wrk on the rest, unless the user chose. */
static void default_cpus(http_args *a)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (!a->cpus_given && ncpu >= 2) {
        long half = ncpu / 2;
        snprintf(a->o.server_cpus, sizeof a->o.server_cpus, half == 1 ? "0" : "0-%ld", half - 1);
        snprintf(a->o.client_cpus, sizeof a->o.client_cpus, ncpu - half == 1 ? "%ld" : "%ld-%ld", half, ncpu - 1);
        a->o.client_ncpus = (int)(ncpu - half);
        a->o.server_ncpus = (int)half;
    } else {
        if (!a->o.client_cpus[0])
            a->o.client_ncpus = ncpu > 0 ? (int)ncpu : 1;
        if (!a->o.server_cpus[0])
            a->o.server_ncpus = ncpu > 0 ? (int)ncpu : 1;
    }
}

/* oha for --latency: LADDER_OHA, else what contenders/setup.sh installed (BUILD/tools/bin/oha),
 * else PATH. NULL when none runs. */
static const char *find_oha(const cli_ctx *c, strbuf *path)
{
    const char *env = getenv("LADDER_OHA");
    if (env && *env)
        strbuf_appendf(path, "%s", env);
    else
        strbuf_appendf(path, "%s/tools/bin/oha", c->build);
    if (strbuf_ok(path) && access(path->s, X_OK) == 0)
        return path->s;
    return system("command -v oha >/dev/null 2>&1") == 0 ? "oha" : NULL;
}

static bool wanted(const http_args *a, const rung *c)
{
    const char *const *names = strlist_argv(&a->contenders);
    if (!*names)
        return true;
    for (; *names; names++)
        if (!strcmp(*names, c->name))
            return true;
    return false;
}

static int run(cli_ctx *c, http_args *a, const manifest_registry *reg, int argc, char **argv)
{
    bench_opts bo = {.root = c->root, .build_root = c->build, .ladder_bin = c->exe, .python = c->python};
    rung_state *states = calloc(reg->ncontenders + 1, sizeof *states);
    hb_row *rows = calloc(reg->ncontenders * 4 * (size_t)a->nworkers + 1, sizeof *rows);
    hb_live *live = calloc(reg->ncontenders * (size_t)a->nworkers + 1, sizeof *live);
    char *cmdline = results_command_line("ladder", argc, argv);
    int nrows = 0, rc = 0;
    /* "all" is one worker per server CPU; a count already in the list is not run twice */
    int nw = 0;
    for (int k = 0; k < a->nworkers; k++) {
        int w = a->workers[k] ? a->workers[k] : (a->o.server_ncpus > 0 ? a->o.server_ncpus : 1);
        bool seen = false;
        for (int j = 0; j < nw; j++)
            seen |= a->workers[j] == w;
        if (seen)
            fprintf(stderr, "ladder http: %d worker%s already in --workers (the server has %d CPU%s); run once\n", w,
                    w == 1 ? "" : "s", a->o.server_ncpus, a->o.server_ncpus == 1 ? "" : "s");
        else
            a->workers[nw++] = w;
    }
    a->nworkers = nw;
    if (!states || !rows || !live || !cmdline) {
        rc = cli_error(CLI_FAILED, "out of memory");
        goto out;
    }
    int64_t started = (int64_t)time(NULL);
    bool progress = isatty(2);
    /* every server stays up for the interleaved latency sweep: one live slot per (contender, workers) */
    int nlive = 0;
    for (size_t i = 0; i < reg->ncontenders; i++) {
        if (!wanted(a, &reg->contenders[i]))
            continue;
        rung_state_init(&states[i], &reg->contenders[i], &bo);
        for (int k = 0; k < a->nworkers; k++) {
            hb_opts o = a->o;
            o.workers = a->workers[k];
            if (progress)
                fprintf(stderr, "%s: starting with %d worker%s...\n", reg->contenders[i].name, o.workers,
                        o.workers == 1 ? "" : "s");
            hb_run_contender(&states[i], &bo, &o, a->endpoints, a->nend, rows, &nrows, progress,
                             a->o.oha ? &live[nlive] : NULL);
            nlive += a->o.oha && live[nlive].running;
        }
    }
    if (a->o.oha) {
        if (progress && nlive)
            fprintf(stderr, "latency: %d server%s up, %d interleaved round%s (seed %llu)\n", nlive,
                    nlive == 1 ? "" : "s", a->o.rounds, a->o.rounds == 1 ? "" : "s", (unsigned long long)a->o.seed);
        hb_sweep_rounds(&a->o, live, nlive, rows, progress);
        for (int i = 0; i < nlive; i++)
            hb_live_stop(&live[i]);
    }
    results_meta meta = {.command = cmdline, .started_unix = started, .ladder_version = LADDER_VERSION};
    json_writer w;
    json_writer_init(&w, true);
    http_results_write(&w, &meta, a->size, &a->o, a->workers, a->nworkers, rows, nrows, states, reg->ncontenders);
    rc = cli_publish(&w, a->out, a->json, false);
    json_writer_free(&w);
    for (int i = 0; !rc && a->strict && i < nrows; i++)
        if (rows[i].status == ROW_FAILED)
            rc = CLI_FAILED;
out:
    free(cmdline);
    free(rows);
    free(live);
    free(states);
    return rc;
}

static int check_contenders(const http_args *a, const manifest_registry *reg)
{
    for (const char *const *n = strlist_argv(&a->contenders); *n; n++)
        if (!manifest_contender(reg, *n))
            return cli_error(CLI_USAGE, "unknown contender '%s' (see 'ladder list')", *n);
    return 0;
}

int cmd_http(cli_ctx *c, int argc, char **argv)
{
    http_args a = {.o = {.threads = 2, .connections = 128, .duration_s = 10, .workers = 2, .pipeline = 1,
                         .start_timeout_s = 60, .client_ncpus = 1, .wrk = "wrk", .rate_duration_s = 5,
                         .fractions = {0.10, 0.25, 0.50, 0.75, 0.90}, .nfractions = 5,
                         .common_rates = {2000}, .ncommon = 1,
                         .rate_connections = 64, .rounds = HTTP_DEFAULT_ROUNDS},
                   .out = "results/http", .size = "default", .workers = {2}, .nworkers = 1};
    strlist_init(&a.contenders);
    strbuf script, oha;
    strbuf_init(&script);
    strbuf_init(&oha);
    int rc = parse(&a, argc, argv);
    manifest_registry reg = {0};
    if (!rc) {
        default_cpus(&a);
        strbuf_appendf(&script, "%s/contenders/_wrk/ladder.lua", c->root);
        a.o.script = script.s;
        if (!strbuf_ok(&script))
            rc = cli_error(CLI_FAILED, "out of memory");
        else if (cli_load_contenders(c, &reg))
            rc = CLI_FAILED;
        else if (!(rc = check_contenders(&a, &reg)) && system("command -v wrk >/dev/null 2>&1") != 0)
            rc = cli_error(CLI_FAILED, "wrk not found on PATH (run ./setup.sh)");
        else if (a.latency && !(a.o.oha = find_oha(c, &oha)))
            rc = cli_error(CLI_FAILED, "--latency needs oha, not found in %s/tools/bin, LADDER_OHA or PATH "
                                       "(contenders/setup.sh installs it with cargo)", c->build);
        if (!rc && !a.seeded) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            uint64_t st = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
            a.o.seed = stats_splitmix64(&st) & 0x1fffffffffffffULL;
        }
        if (!rc)
            rc = run(c, &a, &reg, argc, argv);
    }
    manifest_free(&reg);
    strlist_free(&a.contenders);
    strbuf_free(&script);
    strbuf_free(&oha);
    return rc < 0 ? 0 : rc;
}
