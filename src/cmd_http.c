/* ladder http: the framework benchmark over every HTTP contender. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "harness/fsutil.h"
#include "harness/httpbench.h"
#include "harness/manifest.h"
#include "json/json.h"
#include "report/report.h"
#include "report/results.h"

static const char *const HTTP_USAGE =
    "usage: ladder http [--contender NAME]... [--endpoint NAME]... [--threads 2] [--connections 128]\n"
    "                   [--duration 10s] [--workers 2] [--size quick] [--pipeline N [--pipeline-all]]\n"
    "                   [--server-cpus LIST] [--client-cpus LIST] [--out DIR] [--json] [--strict]\n"
    "\n"
    "Starts each contender's server pinned to the server CPUs, verifies every endpoint (status,\n"
    "body, Content-Type, the 400 cases), then loads each endpoint with wrk pinned to the client\n"
    "CPUs, and reports requests/s and latency percentiles. Endpoints: plaintext, json, user, validate.\n"
    "\n"
    "  -c, --contender NAME  only this contender (repeatable; see 'ladder list')\n"
    "  -e, --endpoint NAME   only this endpoint (repeatable)\n"
    "      --threads N       wrk threads (default 2)\n"
    "      --connections N   wrk connections (default 128)\n"
    "  -d, --duration T      seconds of load per endpoint, e.g. 10 or 10s (default 10)\n"
    "  -w, --workers N       server workers, the same for every contender (default 2)\n"
    "  -s, --size quick      3 s per endpoint\n"
    "      --pipeline N      send plaintext requests N per write, as TechEmpower does (labelled)\n"
    "      --pipeline-all    pipeline every endpoint: on a machine where wrk saturates its CPUs\n"
    "                        first, this makes the server the bottleneck again (labelled)\n"
    "      --server-cpus L   taskset CPU list for servers (default: the first half of the CPUs)\n"
    "      --client-cpus L   taskset CPU list for wrk (default: the other half)\n"
    "  -o, --out DIR         where results and reports go (default results/http)\n"
    "      --json            print the results document instead of the tables\n"
    "      --strict          exit 1 unless every contender that ran verified and loaded cleanly\n";


static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "ladder http: ");
    fprintf(stderr, msg, arg);
    fputc('\n', stderr);
    return 2;
}

static int int_opt(const char *s, const char *what, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max) {
        fprintf(stderr, "ladder http: %s must be an integer in [%d, %d], not '%s'\n", what, min, max, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static bool valid_cpu_list(const char *s)
{
    if (!*s || strlen(s) >= 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == ',' || *s == '-'))
            return false;
    return true;
}

int cmd_http_with(const char *root, const char *build, const char *exe, const char *const *extra_dirs, int argc,
                  char **argv)
{
    static const struct option opts[] = {
        {"contender", required_argument, 0, 'c'}, {"endpoint", required_argument, 0, 'e'},
        {"threads", required_argument, 0, 'T'},   {"connections", required_argument, 0, 'C'},
        {"duration", required_argument, 0, 'd'},  {"workers", required_argument, 0, 'w'},
        {"size", required_argument, 0, 's'},      {"pipeline", required_argument, 0, 'P'},
        {"pipeline-all", no_argument, 0, 'A'},
        {"server-cpus", required_argument, 0, 'S'}, {"client-cpus", required_argument, 0, 'L'},
        {"out", required_argument, 0, 'o'},       {"json", no_argument, 0, 'j'},
        {"strict", no_argument, 0, 'X'},          {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    hb_opts o = {.threads = 2, .connections = 128, .duration_s = 10, .workers = 2, .pipeline = 1,
                 .start_timeout_s = 60};
    const char *contenders[64], *endpoints[8], *out = "results/http", *size = "default";
    int ncont = 0, nend = 0;
    bool json = false, strict = false, cpus_given = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:e:d:w:s:o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            if (ncont == 64)
                return usage_error("%s", "too many --contender");
            contenders[ncont++] = optarg;
            break;
        case 'e':
            if (!hb_endpoint_find(optarg))
                return usage_error("unknown endpoint '%s' (plaintext, json, user, validate)", optarg);
            if (nend == 8)
                return usage_error("%s", "too many --endpoint");
            endpoints[nend++] = optarg;
            break;
        case 'T':
            if (int_opt(optarg, "--threads", 1, 256, &o.threads))
                return 2;
            break;
        case 'C':
            if (int_opt(optarg, "--connections", 1, 100000, &o.connections))
                return 2;
            break;
        case 'd': {
            char *end;
            errno = 0;
            double d = strtod(optarg, &end);
            if (end == optarg || errno || !(d >= 1 && d <= 3600) || (*end && strcmp(end, "s")))
                return usage_error("--duration must be seconds in [1, 3600] (e.g. 10 or 10s), not '%s'", optarg);
            o.duration_s = d;
            break;
        }
        case 'w':
            if (int_opt(optarg, "--workers", 1, 256, &o.workers))
                return 2;
            break;
        case 's':
            if (strcmp(optarg, "quick"))
                return usage_error("--size must be quick, not '%s' (use --duration for longer runs)", optarg);
            size = "quick";
            o.duration_s = 3;
            break;
        case 'P':
            if (int_opt(optarg, "--pipeline", 1, 256, &o.pipeline))
                return 2;
            break;
        case 'S':
        case 'L':
            if (!valid_cpu_list(optarg))
                return usage_error("a CPU list looks like 0 or 0-1 or 0,2, not '%s'", optarg);
            snprintf(opt == 'S' ? o.server_cpus : o.client_cpus, sizeof o.server_cpus, "%s", optarg);
            cpus_given = true;
            break;
        case 'A': o.pipeline_all = true; break;
        case 'o': out = optarg; break;
        case 'j': json = true; break;
        case 'X': strict = true; break;
        case 'h': fputs(HTTP_USAGE, stdout); return 0;
        default: fputs(HTTP_USAGE, stderr); return 2;
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (!cpus_given && ncpu >= 2) {
        long half = ncpu / 2;
        snprintf(o.server_cpus, sizeof o.server_cpus, half == 1 ? "0" : "0-%ld", half - 1);
        snprintf(o.client_cpus, sizeof o.client_cpus, ncpu - half == 1 ? "%ld" : "%ld-%ld", half, ncpu - 1);
    }
    o.client_ncpus = 1;
    if (o.client_cpus[0]) {
        int lo, hi;
        if (sscanf(o.client_cpus, "%d-%d", &lo, &hi) == 2 && hi >= lo)
            o.client_ncpus = hi - lo + 1;
        else
            for (const char *p = o.client_cpus; *p; p++)
                o.client_ncpus += *p == ',';
    } else {
        o.client_ncpus = (int)ncpu;
    }
    char script[PATH_MAX];
    snprintf(script, sizeof script, "%s/contenders/_wrk/ladder.lua", root);
    o.script = script;
    o.wrk = "wrk";

    manifest_registry reg;
    char err[512];
    if (manifest_load(root, extra_dirs, &reg, err, sizeof err)) {
        fprintf(stderr, "ladder: %s\n", err);
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < ncont; i++)
        if (!manifest_contender(&reg, contenders[i])) {
            fprintf(stderr, "ladder http: unknown contender '%s' (see 'ladder list')\n", contenders[i]);
            manifest_free(&reg);
            return 2;
        }
    if (system("command -v wrk >/dev/null 2>&1") != 0) {
        fprintf(stderr, "ladder http: wrk not found on PATH (run ./setup.sh)\n");
        manifest_free(&reg);
        return 1;
    }
    bench_opts bo = {.root = root, .build_root = build, .ladder_bin = exe, .python = getenv("LADDER_PYTHON")};
    rung_state *states = calloc(reg.ncontenders + 1, sizeof *states);
    hb_row *rows = calloc(reg.ncontenders * 4 + 1, sizeof *rows);
    int nrows = 0;
    int64_t started = (int64_t)time(NULL);
    bool progress = isatty(2);
    for (size_t i = 0; states && rows && i < reg.ncontenders; i++) {
        const rung *c = &reg.contenders[i];
        bool wanted = ncont == 0;
        for (int k = 0; k < ncont; k++)
            wanted |= !strcmp(contenders[k], c->name);
        if (!wanted)
            continue;
        rung_state_init(&states[i], c, &bo);
        if (progress)
            fprintf(stderr, "%s: starting...\n", c->name);
        hb_run_contender(&states[i], &bo, &o, endpoints, nend, rows, &nrows, progress);
    }
    char cmdline[1024] = "ladder";
    for (int i = 0; i < argc; i++) {
        strncat(cmdline, " ", sizeof cmdline - strlen(cmdline) - 1);
        strncat(cmdline, argv[i], sizeof cmdline - strlen(cmdline) - 1);
    }
    results_meta meta = {.command = cmdline, .size = size, .started_unix = started, .ladder_version = LADDER_VERSION};
    json_writer w;
    json_writer_init(&w, true);
    results_write_http(&w, &meta, &o, rows, nrows, states, reg.ncontenders);
    size_t len;
    const char *text = json_writer_data(&w, &len);
    json_error je;
    json_doc *doc = json_writer_ok(&w) ? json_read(text, len, NULL, &je) : NULL;
    if (!doc) {
        fprintf(stderr, "ladder http: internal error: the results document did not read back\n");
        rc = 1;
    } else {
        if (report_write_outputs(out, text, len, json_doc_root(doc), err, sizeof err)) {
            fprintf(stderr, "ladder http: %s\n", err);
            rc = 1;
        }
        if (json) {
            fwrite(text, 1, len, stdout);
            fputc('\n', stdout);
        } else {
            size_t rlen;
            char *r = report_render_alloc(json_doc_root(doc), REPORT_TERMINAL, &rlen, err, sizeof err);
            if (r)
                fwrite(r, 1, rlen, stdout);
            else
                fprintf(stderr, "ladder http: %s\n", err);
            free(r);
        }
        if (!rc)
            fprintf(stderr, "ladder http: wrote %s/results.json, report.md and report.html\n", out);
        if (strict)
            for (int i = 0; i < nrows; i++)
                if (rows[i].status == ROW_FAILED)
                    rc = rc ? rc : 1;
    }
    json_doc_free(doc);
    json_writer_free(&w);
    free(rows);
    free(states);
    manifest_free(&reg);
    return rc;
}
