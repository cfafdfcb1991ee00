/* ladder lifecycle: the book catalog on each database, served by each catalog contender, measured
 * from a client at each network distance. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "core/strbuf.h"
#include "core/bench.h"
#include "core/fsutil.h"
#include "core/manifest.h"
#include "core/results.h"
#include "core/server.h"
#include "suites/lifecycle/delay_proxy.h"
#include "suites/lifecycle/lifecycle.h"

static const char *const LIFECYCLE_USAGE =
    "usage: ladder lifecycle [--contender c|fastapi]... [--db URL]... [--requests 200] [--warmup 30]\n"
    "                        [--rtt MS|PRESET]... [--network auto|netns|loopback] [--out DIR] [--json]\n"
    "\n"
    "Where a catalog API request's time goes. Loads the catalog (data/books.csv) into each database,\n"
    "starts each catalog contender on each database (ladder's C server, the FastAPI + SQLAlchemy\n"
    "peer), verifies that every endpoint returns the same JSON everywhere, then sends sequential\n"
    "requests to each endpoint through a delay proxy at each distance, and reports medians per phase\n"
    "from Server-Timing (db, hydrate, serialize, encode, framework) with network = client total -\n"
    "server total, the query count and the N+1 slowdown.\n"
    "\n"
    "Endpoints: /api/health, /api/books/1, /api/books?page=1&per_page=100,\n"
    "           /api/books/n-plus-one?page=1&per_page=100.\n"
    "\n"
    "  -c, --contender NAME  c (ladder's C server) or fastapi (the peer); repeatable (default both)\n"
    "  -d, --db URL          postgres://USER@HOST:PORT/DB, sqlite:///PATH or a file path; repeatable\n"
    "                        (default: BUILD/lifecycle/catalog.db, SQLite)\n"
    "  -n, --requests N      counted requests per endpoint (default 200)\n"
    "  -w, --warmup N        discarded requests first (default 30)\n"
    "  -r, --rtt MS|PRESET   network round trip the client's traffic crosses; repeatable\n"
    "                        (default: building and experiment). Presets:\n"
    "                          local 0 ms        same machine (still through the proxy)\n"
    "                          building 5 ms     same building\n"
    "                          city 10 ms        same city\n"
    "                          europe 35 ms      across Europe\n"
    "                          experiment 57 ms  Ankara -> Amsterdam, the experiments' own link\n"
    "                          continent 150 ms  other continent\n"
    "      --network MODE    auto (default): the client in its own network namespace behind a veth\n"
    "                        pair when root, else on loopback; netns or loopback to insist\n"
    "      --workers N       server workers (default 1)\n"
    "      --csv FILE        the books to load (default data/books.csv)\n"
    "      --no-load         use the databases as they are\n"
    "      --rungs-dir DIR   also load the contenders in DIR (repeatable; and LADDER_RUNGS_PATH)\n"
    "  -o, --out DIR         where results.json, report.md and report.html go (default results/lifecycle)\n"
    "      --json            print the results document instead of the tables\n"
    "      --strict          exit 1 unless every scenario verified and measured\n"
    "\n"
    "Only the client's traffic is delayed: the servers reach their databases directly.\n";

enum { MAX_CONTENDERS = 8, MAX_DBS = 4, MAX_RTTS = 8, MAX_SERVERS = MAX_CONTENDERS * MAX_DBS };

typedef struct {
    const rung *contender;
    rung_state *state;
    const char *db_url;
    const char *db;
    server srv;
    bool ok;
    const char *failure;
    char reason[256];
} catalog_server;

static void server_fail(catalog_server *s, const char *failure, const char *reason)
{
    s->ok = false;
    s->failure = failure;
    str_setf(s->reason, sizeof s->reason, "%s", reason);
}

static int probe_health(int port, void *ctx, char *why, size_t cap)
{
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/api/health", port);
    lifecycle_response r;
    if (lifecycle_get(ctx, url, &r, why, cap))
        return -1;
    lifecycle_response_free(&r);
    return 0;
}

static void catalog_server_start(catalog_server *s, const bench_opts *bo, int workers, lifecycle_client *probe)
{
    strlist env;
    strlist_init(&env);
    strlist_addf(&env, "CATALOG_DB=%s", s->db_url);
    strbuf log;
    strbuf_init(&log);
    strbuf_appendf(&log, "server-%s.log", s->db);
    char why[256];
    if (!strlist_ok(&env) || !strbuf_ok(&log)) {
        server_fail(s, "start", "out of memory");
    } else {
        server_spec spec = {.st = s->state, .bo = bo, .workers = workers, .extra_env = strlist_argv(&env),
                            .log_name = log.s, .start_timeout_s = 60, .probe = probe_health, .probe_ctx = probe};
        if (server_start(&s->srv, &spec, why, sizeof why))
            server_fail(s, "start", why);
        else
            s->ok = true;
    }
    strlist_free(&env);
    strbuf_free(&log);
}

/* What every server must answer identically before anything is timed. */
static const char *const VERIFY_PATHS[] = {
    "/api/health",
    "/api/books/1",
    "/api/books/42",
    "/api/books/9999",
    "/api/books?page=1&per_page=100",
    "/api/books/n-plus-one?page=1&per_page=100",
    "/api/books?page=3&per_page=7",
    "/api/books/n-plus-one?page=3&per_page=7",
    "/api/books",
    "/api/books/0",
    "/api/books/abc",
    "/api/books/99999999",
    "/api/books?page=0",
    "/api/books?page=99999",
    "/api/books?per_page=101",
    "/api/nope",
};
enum { NVERIFY = sizeof VERIFY_PATHS / sizeof VERIFY_PATHS[0] };

typedef struct {
    int status[NVERIFY];
    int queries[NVERIFY];
    char *body[NVERIFY];
    size_t len[NVERIFY];
} answers;

static void answers_free(answers *a)
{
    for (int i = 0; i < NVERIFY; i++)
        free(a->body[i]);
}

static int fetch_answers(lifecycle_client *c, int port, answers *a, char *err, size_t cap)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < NVERIFY; i++) {
        char url[256];
        snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, VERIFY_PATHS[i]);
        lifecycle_response r;
        if (lifecycle_get(c, url, &r, err, cap))
            return -1;
        a->status[i] = r.status;
        a->queries[i] = r.queries;
        a->body[i] = r.body;
        a->len[i] = r.len;
        if (!r.has_timing) {
            str_setf(err, cap, "GET %s: no valid Server-Timing header", VERIFY_PATHS[i]);
            return -1;
        }
    }
    return 0;
}

static size_t first_diff(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0;
    while (i < an && i < bn && a[i] == b[i])
        i++;
    return i;
}

/* Checks one server's answers: batched and N+1 the same, the query counts the design fixes. */
static int check_self(const answers *a, char *why, size_t cap)
{
    static const struct {
        int batched, n_plus_one, per_page;
    } pairs[] = {{4, 5, 100}, {6, 7, 7}};
    for (size_t i = 0; i < 2; i++) {
        int b = pairs[i].batched, n = pairs[i].n_plus_one;
        if (a->len[b] != a->len[n] || memcmp(a->body[b], a->body[n], a->len[b])) {
            str_setf(why, cap, "%s and %s differ at byte %zu", VERIFY_PATHS[b], VERIFY_PATHS[n],
                     first_diff(a->body[b], a->len[b], a->body[n], a->len[n]));
            return -1;
        }
        if (a->queries[b] != 5 || a->queries[n] != 2 + 3 * pairs[i].per_page) {
            str_setf(why, cap, "query counts %d (%s) and %d (%s), expected 5 and %d", a->queries[b], VERIFY_PATHS[b],
                     a->queries[n], VERIFY_PATHS[n], 2 + 3 * pairs[i].per_page);
            return -1;
        }
    }
    if (a->queries[1] != 4) {
        str_setf(why, cap, "%s made %d queries, expected 4", VERIFY_PATHS[1], a->queries[1]);
        return -1;
    }
    return 0;
}

static int compare_answers(const answers *ref, const answers *a, char *why, size_t cap)
{
    for (int i = 0; i < NVERIFY; i++) {
        if (ref->status[i] != a->status[i]) {
            str_setf(why, cap, "GET %s: status %d, the reference answered %d", VERIFY_PATHS[i], a->status[i],
                     ref->status[i]);
            return -1;
        }
        if (ref->len[i] != a->len[i] || memcmp(ref->body[i], a->body[i], a->len[i])) {
            size_t at = first_diff(ref->body[i], ref->len[i], a->body[i], a->len[i]);
            str_setf(why, cap, "GET %s: body differs from the reference at byte %zu ('%.40s' vs '%.40s')",
                     VERIFY_PATHS[i], at, a->body[i] + (at < a->len[i] ? at : a->len[i]),
                     ref->body[i] + (at < ref->len[i] ? at : ref->len[i]));
            return -1;
        }
    }
    return 0;
}

typedef struct {
    const char *contenders[MAX_CONTENDERS];
    int ncont;
    const char *dbs[MAX_DBS];
    int ndb;
    double rtts[MAX_RTTS];
    const char *rtt_labels[MAX_RTTS];
    int nrtt;
    int requests, warmup, workers;
    const char *network, *csv, *out;
    bool load, json, strict;
} options;

static int parse_options(cli_ctx *c, int argc, char **argv, options *o)
{
    static const struct option opts[] = {
        {"contender", required_argument, 0, 'c'}, {"db", required_argument, 0, 'd'},
        {"requests", required_argument, 0, 'n'},  {"warmup", required_argument, 0, 'w'},
        {"rtt", required_argument, 0, 'r'},       {"network", required_argument, 0, 'N'},
        {"workers", required_argument, 0, 'W'},   {"csv", required_argument, 0, 'C'},
        {"no-load", no_argument, 0, 'L'},         {"out", required_argument, 0, 'o'},
        {"json", no_argument, 0, 'j'},            {"strict", no_argument, 0, 'X'},
        {"help", no_argument, 0, 'h'},            {"rungs-dir", required_argument, 0, 'R'},
        {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "c:d:n:w:r:o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            if (o->ncont == MAX_CONTENDERS)
                return fprintf(stderr, "ladder lifecycle: too many --contender\n"), 2;
            o->contenders[o->ncont++] = optarg;
            break;
        case 'd':
            if (o->ndb == MAX_DBS)
                return fprintf(stderr, "ladder lifecycle: at most %d --db\n", MAX_DBS), 2;
            o->dbs[o->ndb++] = optarg;
            break;
        case 'n':
            if (cli_parse_int(optarg, "--requests", 1, 1000000, &o->requests))
                return 2;
            break;
        case 'w':
            if (cli_parse_int(optarg, "--warmup", 0, 1000000, &o->warmup))
                return 2;
            break;
        case 'W':
            if (cli_parse_int(optarg, "--workers", 1, 64, &o->workers))
                return 2;
            break;
        case 'r':
            if (o->nrtt == MAX_RTTS)
                return fprintf(stderr, "ladder lifecycle: at most %d --rtt\n", MAX_RTTS), 2;
            if (lifecycle_parse_rtt(optarg, &o->rtts[o->nrtt], &o->rtt_labels[o->nrtt])) {
                fprintf(stderr, "ladder lifecycle: --rtt takes ms in [0, 10000] or a preset (local, building, city, "
                                "europe, experiment, continent), not '%s'\n", optarg);
                return 2;
            }
            o->nrtt++;
            break;
        case 'N':
            if (strcmp(optarg, "auto") && strcmp(optarg, "netns") && strcmp(optarg, "loopback")) {
                fprintf(stderr, "ladder lifecycle: --network is auto, netns or loopback, not '%s'\n", optarg);
                return 2;
            }
            o->network = optarg;
            break;
        case 'C': o->csv = optarg; break;
        case 'R':
            if (cli_add_rungs_dir(c, optarg))
                return CLI_USAGE;
            break;
        case 'L': o->load = false; break;
        case 'o': o->out = optarg; break;
        case 'j': o->json = true; break;
        case 'X': o->strict = true; break;
        case 'h': return cli_usage(LIFECYCLE_USAGE, true);
        default: return cli_usage(LIFECYCLE_USAGE, false);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ladder lifecycle: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (o->nrtt == 0) {
        lifecycle_parse_rtt("building", &o->rtts[0], &o->rtt_labels[0]);
        lifecycle_parse_rtt("experiment", &o->rtts[1], &o->rtt_labels[1]);
        o->nrtt = 2;
    }
    return -1;
}

/* One (rtt, server): proxy, client, the four endpoints. Rows go to rows[0..3]. */
static void measure_server(const options *o, catalog_server *s, double rtt, lifecycle_net *net, lifecycle_row *rows,
                           bool progress)
{
    char err[512];
    proxy_config pc = {.listen_host = net->active ? net->host_ip : "127.0.0.1", .upstream_host = "127.0.0.1",
                       .upstream_port = s->srv.port, .rtt_ms = rtt};
    proxy *px;
    if (proxy_start(&pc, &px, err, sizeof err)) {
        for (int e = 0; e < LIFECYCLE_NENDPOINTS; e++) {
            rows[e].status = ROW_FAILED;
            rows[e].failure = "network";
            str_setf(rows[e].reason, sizeof rows[e].reason, "%s", err);
        }
        return;
    }
    char base[96];
    snprintf(base, sizeof base, "http://%s:%d", pc.listen_host, proxy_port(px));
    bool entered = net->active && lifecycle_net_enter(net, err, sizeof err) == 0;
    lifecycle_client *c = (!net->active || entered) ? lifecycle_client_new(err, sizeof err) : NULL;
    for (int e = 0; e < LIFECYCLE_NENDPOINTS; e++) {
        lifecycle_row *r = &rows[e];
        if (!c) {
            r->status = ROW_FAILED;
            r->failure = "network";
            str_setf(r->reason, sizeof r->reason, "%s", err);
            continue;
        }
        if (lifecycle_measure(c, base, r->endpoint, o->warmup, o->requests, &r->s, err, sizeof err)) {
            r->status = ROW_FAILED;
            r->failure = "measure";
            str_setf(r->reason, sizeof r->reason, "%s", err);
            lifecycle_samples_free(&r->s);
            memset(&r->s, 0, sizeof r->s);
            continue;
        }
        r->status = ROW_OK;
        if (progress) {
            double *v = r->s.v[LC_TOTAL], *cl = r->s.v[LC_CLIENT];
            fprintf(stderr, "  %-8s %-9s rtt %5.1f ms  %-11s server %.3f ms, client %.3f ms (first sample)\n",
                    lifecycle_short_name(s->contender->name), s->db, rtt, r->endpoint->id, v[0], cl[0]);
        }
    }
    lifecycle_client_free(c);
    if (entered && lifecycle_net_leave(net, err, sizeof err))
        fprintf(stderr, "ladder lifecycle: %s\n", err);
    proxy_stop(px);
}

/* Picks the catalog contenders the options name (all by default); CLI_USAGE for an unknown one. */
static int choose(const options *o, const manifest_registry *reg, const rung **chosen, int *nchosen)
{
    *nchosen = 0;
    for (size_t i = 0; i < reg->ncontenders && *nchosen < MAX_CONTENDERS; i++) {
        const rung *c = &reg->contenders[i];
        if (!rung_implements(c, "catalog"))
            continue;
        bool wanted = o->ncont == 0;
        for (int k = 0; k < o->ncont; k++)
            wanted |= !strcmp(o->contenders[k], c->name) || !strcmp(o->contenders[k], lifecycle_short_name(c->name));
        if (wanted)
            chosen[(*nchosen)++] = c;
    }
    for (int k = 0; k < o->ncont; k++) {
        bool found = false;
        for (int i = 0; i < *nchosen; i++)
            found |= !strcmp(o->contenders[k], chosen[i]->name) ||
                     !strcmp(o->contenders[k], lifecycle_short_name(chosen[i]->name));
        if (!found)
            return cli_error(CLI_USAGE, "unknown catalog contender '%s' (c, fastapi)", o->contenders[k]);
    }
    return 0;
}

static int load_databases(const options *o, bool progress)
{
    char err[512];
    for (int d = 0; o->load && d < o->ndb; d++) {
        db *conn;
        catalog_load_stats st;
        if (db_open(o->dbs[d], &conn, err, sizeof err) ||
            (catalog_load(conn, o->csv, &st, err, sizeof err) && (db_close(conn), 1)))
            return cli_error(CLI_FAILED, "%s: %s", db_backend_name(db_url_backend(o->dbs[d])), err);
        db_close(conn);
        if (progress)
            fprintf(stderr, "loaded %zu books into %s in %.0f ms\n", st.books, db_backend_name(db_url_backend(o->dbs[d])),
                    st.ms);
    }
    return 0;
}

typedef struct {
    rung_state states[MAX_CONTENDERS];
    catalog_server servers[MAX_SERVERS];
    int nserv;
    answers ans[MAX_SERVERS];
} fleet;

static void start_all(fleet *f, const options *o, const bench_opts *bo, const rung **chosen, int nchosen,
                      lifecycle_client *probe, bool progress)
{
    for (int i = 0; i < nchosen; i++) {
        rung_state_init(&f->states[i], chosen[i], bo);
        bool ready = bench_prepare(&f->states[i], bo);
        for (int d = 0; d < o->ndb; d++) {
            catalog_server *s = &f->servers[f->nserv++];
            s->contender = chosen[i];
            s->state = &f->states[i];
            s->db_url = o->dbs[d];
            s->db = db_backend_name(db_url_backend(o->dbs[d]));
            if (!ready) {
                server_fail(s, f->states[i].available ? "build" : "unavailable", f->states[i].reason);
                continue;
            }
            if (progress)
                fprintf(stderr, "starting %s on %s...\n", chosen[i]->name, s->db);
            catalog_server_start(s, bo, o->workers, probe);
        }
    }
}

/* Verifies everything before timing anything: each server against itself, then against the first. */
static void verify_all(fleet *f, lifecycle_client *probe, lifecycle_run *run, bool progress)
{
    int refi = -1, nverified = 0;
    for (int i = 0; i < f->nserv; i++) {
        catalog_server *s = &f->servers[i];
        char why[512];
        if (!s->ok)
            continue;
        if (fetch_answers(probe, s->srv.port, &f->ans[i], why, sizeof why) || check_self(&f->ans[i], why, sizeof why)) {
            server_fail(s, "verify", why);
        } else if (refi < 0) {
            refi = i;
        } else if (compare_answers(&f->ans[refi], &f->ans[i], why, sizeof why)) {
            char msg[700];
            str_setf(msg, sizeof msg, "%s (reference: %s on %s)", why, f->servers[refi].contender->name,
                     f->servers[refi].db);
            server_fail(s, "verify", msg);
        }
    }
    for (int i = 0; i < f->nserv; i++)
        nverified += f->servers[i].ok;
    str_setf(run->verify_detail, sizeof run->verify_detail,
             "%d of %d servers answered %d requests (the four endpoints, a second page, the 400/404 cases) with "
             "identical status and bytes, batched = N+1 bodies, 4/5/2+3N queries",
             nverified, f->nserv, (int)NVERIFY);
    if (!progress)
        return;
    fprintf(stderr, "verified: %s\n", run->verify_detail);
    for (int i = 0; i < f->nserv; i++)
        if (!f->servers[i].ok)
            fprintf(stderr, "  %s on %s: %s: %s\n", f->servers[i].contender->name, f->servers[i].db,
                    f->servers[i].failure ? f->servers[i].failure : "failed", f->servers[i].reason);
}

/* The client's network; false when --network netns was asked for and cannot be had. */
static bool setup_network(const options *o, lifecycle_net *net, lifecycle_run *run)
{
    char err[512];
    run->network_mode = "loopback";
    if (!strcmp(o->network, "loopback")) {
        str_setf(run->network_detail, sizeof run->network_detail,
                 "client and delay proxy on 127.0.0.1 (--network loopback)");
    } else if (lifecycle_net_setup(net, err, sizeof err) == 0) {
        run->network_mode = "netns+veth";
        str_setf(run->network_detail, sizeof run->network_detail,
                 "client in network namespace %s (%s), delay proxy on the veth peer %s in the servers' namespace; "
                 "the servers reach their databases without delay",
                 net->ns, net->ns_ip, net->host_ip);
    } else if (!strcmp(o->network, "netns")) {
        run->network_mode = "netns+veth";
        str_setf(run->network_detail, sizeof run->network_detail, "could not make the namespace: %s", err);
        return false;
    } else {
        str_setf(run->network_detail, sizeof run->network_detail,
                 "client and delay proxy on 127.0.0.1 (no network namespace: %s)", err);
    }
    return true;
}

static void measure_all(fleet *f, const options *o, lifecycle_net *net, bool net_ok, lifecycle_run *run,
                        bool progress)
{
    size_t k = 0;
    for (int t = 0; t < o->nrtt; t++)
        for (int i = 0; i < f->nserv; i++) {
            catalog_server *s = &f->servers[i];
            lifecycle_row *group = &run->rows[k];
            for (int e = 0; e < LIFECYCLE_NENDPOINTS; e++) {
                lifecycle_row *r = &run->rows[k++];
                r->contender = s->contender->name;
                r->contender_title = s->contender->title;
                r->kind = s->contender->kind;
                r->costs = s->contender->costs;
                r->version = s->state->version;
                r->db = s->db;
                r->rtt_ms = o->rtts[t];
                r->rtt_label = o->rtt_labels[t];
                r->endpoint = &lifecycle_endpoints[e];
                r->verified = s->ok;
                if (!s->ok || !net_ok) {
                    r->status = s->failure && !strcmp(s->failure, "unavailable") ? ROW_SKIPPED : ROW_FAILED;
                    r->failure = !net_ok && s->ok ? "network" : s->failure;
                    str_setf(r->reason, sizeof r->reason, "%s", !net_ok && s->ok ? run->network_detail : s->reason);
                }
            }
            if (s->ok && net_ok)
                measure_server(o, s, o->rtts[t], net, group, progress);
        }
}

static int run_lifecycle(cli_ctx *c, const options *o, const rung **chosen, int nchosen, int argc, char **argv)
{
    bool progress = !o->json;
    bench_opts bo = {.root = c->root, .build_root = c->build, .ladder_bin = c->exe, .python = c->python};
    lifecycle_run run = {.ladder_version = LADDER_VERSION, .started_unix = (int64_t)time(NULL),
                         .requests = o->requests, .warmup = o->warmup, .workers = o->workers, .rtts = o->rtts,
                         .rtt_labels = o->rtt_labels, .nrtts = o->nrtt};
    char err[512];
    fleet *f = calloc(1, sizeof *f);
    lifecycle_client *probe = f ? lifecycle_client_new(err, sizeof err) : NULL;
    if (!probe) {
        free(f);
        return cli_error(CLI_FAILED, "%s", f ? err : "out of memory");
    }
    start_all(f, o, &bo, chosen, nchosen, probe, progress);
    verify_all(f, probe, &run, progress);
    lifecycle_net net = {.ns_fd = -1, .orig_fd = -1};
    bool net_ok = setup_network(o, &net, &run);
    if (progress)
        fprintf(stderr, "network: %s: %s\n", run.network_mode, run.network_detail);
    run.nrows = (size_t)f->nserv * (size_t)o->nrtt * LIFECYCLE_NENDPOINTS;
    run.rows = calloc(run.nrows ? run.nrows : 1, sizeof *run.rows);
    char *cmdline = results_command_line("ladder", argc, argv);
    int rc = 0;
    if (!run.rows || !cmdline)
        rc = cli_error(CLI_FAILED, "out of memory");
    else
        measure_all(f, o, &net, net_ok, &run, progress);
    lifecycle_net_teardown(&net);
    for (int i = 0; i < f->nserv; i++) {
        server_free(&f->servers[i].srv);
        answers_free(&f->ans[i]);
    }
    lifecycle_client_free(probe);
    if (!rc) {
        run.command = cmdline;
        json_writer w;
        json_writer_init(&w, true);
        lifecycle_results_write(&w, &run);
        rc = cli_publish(&w, o->out, o->json, !progress);
        json_writer_free(&w);
    }
    for (size_t i = 0; !rc && o->strict && i < run.nrows; i++)
        if (run.rows[i].status != ROW_OK)
            rc = CLI_FAILED;
    for (size_t i = 0; run.rows && i < run.nrows; i++)
        lifecycle_samples_free(&run.rows[i].s);
    free(run.rows);
    free(cmdline);
    free(f); /* the rows borrow the contenders' states (their versions) until the document is written */
    return rc;
}

static int with_defaults(cli_ctx *c, options *o, int argc, char **argv)
{
    strbuf dir, def_db, def_csv;
    strbuf_init(&dir);
    strbuf_init(&def_db);
    strbuf_init(&def_csv);
    strbuf_appendf(&dir, "%s/lifecycle", c->build);
    strbuf_appendf(&def_db, "%s/catalog.db", dir.s);
    strbuf_appendf(&def_csv, "%s/data/books.csv", c->root);
    char err[512];
    int rc = 0;
    if (!strbuf_ok(&dir) || !strbuf_ok(&def_db) || !strbuf_ok(&def_csv))
        rc = cli_error(CLI_FAILED, "out of memory");
    else if (o->ndb == 0 && fs_mkdirs(dir.s, err, sizeof err))
        rc = cli_error(CLI_FAILED, "%s", err);
    if (!o->csv)
        o->csv = def_csv.s;
    if (o->ndb == 0)
        o->dbs[o->ndb++] = def_db.s;
    manifest_registry reg = {0};
    const rung *chosen[MAX_CONTENDERS];
    int nchosen = 0;
    if (!rc && cli_load_contenders(c, &reg))
        rc = CLI_FAILED;
    if (!rc)
        rc = choose(o, &reg, chosen, &nchosen);
    /* the contenders' checks look for this */
    setenv("LADDER_LIFECYCLE", "1", 1);
    if (!rc)
        rc = load_databases(o, !o->json);
    if (!rc) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        rc = run_lifecycle(c, o, chosen, nchosen, argc, argv);
        curl_global_cleanup();
    }
    manifest_free(&reg);
    strbuf_free(&dir);
    strbuf_free(&def_db);
    strbuf_free(&def_csv);
    return rc;
}

int cmd_lifecycle(cli_ctx *c, int argc, char **argv)
{
    options o = {.requests = 200, .warmup = 30, .workers = 1, .network = "auto", .out = "results/lifecycle",
                 .load = true};
    int prc = parse_options(c, argc, argv, &o);
    if (prc >= 0)
        return prc;
    return with_defaults(c, &o, argc, argv);
}
