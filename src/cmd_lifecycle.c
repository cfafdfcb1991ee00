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
#include "commands.h"
#include "harness/httpbench.h"
#include "harness/bench.h"
#include "harness/fsutil.h"
#include "harness/manifest.h"
#include "harness/proc.h"
#include "lifecycle/delay_proxy.h"
#include "lifecycle/lifecycle.h"
#include "report/report.h"

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
    proc_handle h;
    bool running, ok;
    int port;
    char log[PATH_MAX];
    const char *failure;
    char reason[256];
} server;

static void server_fail(server *s, const char *failure, const char *reason)
{
    s->ok = false;
    s->failure = failure;
    snprintf(s->reason, sizeof s->reason, "%s", reason);
}

static void server_start(server *s, const bench_opts *bo, int workers, lifecycle_client *probe)
{
    const rung *c = s->contender;
    s->port = hb_free_port();
    char portv[32], workersv[32], rungdir[PATH_MAX + 20], builddir[600], ladder[PATH_MAX + 10], root[PATH_MAX + 16],
        dbv[1100];
    snprintf(portv, sizeof portv, "PORT=%d", s->port);
    snprintf(workersv, sizeof workersv, "WORKERS=%d", workers);
    snprintf(rungdir, sizeof rungdir, "LADDER_RUNG_DIR=%s", c->dir);
    snprintf(builddir, sizeof builddir, "LADDER_BUILD_DIR=%s", s->state->build_dir);
    snprintf(ladder, sizeof ladder, "LADDER=%s", bo->ladder_bin);
    snprintf(root, sizeof root, "LADDER_ROOT=%s", bo->root);
    snprintf(dbv, sizeof dbv, "CATALOG_DB=%s", s->db_url);
    const char *env[80] = {portv, workersv, rungdir, builddir, ladder, root, dbv};
    int k = 7;
    for (size_t i = 0; i < c->nenv && k < 78; i++)
        env[k++] = c->env[i];
    env[k] = NULL;
    const char *argv[] = {"/bin/sh", "-c", c->run, NULL};
    char err[256];
    fs_mkdirs(s->state->build_dir, err, sizeof err);
    snprintf(s->log, sizeof s->log, "%s/server-%s.log", s->state->build_dir, s->db);
    unlink(s->log);
    proc_spec spec = {.argv = argv, .env_add = env, .cwd = c->dir};
    if (proc_spawn(&spec, s->log, &s->h, err, sizeof err)) {
        server_fail(s, "start", err);
        return;
    }
    s->running = true;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/api/health", s->port);
    for (int waited = 0; waited < 600; waited++) {
        lifecycle_response r;
        if (lifecycle_get(probe, url, &r, err, sizeof err) == 0) {
            lifecycle_response_free(&r);
            s->ok = true;
            return;
        }
        proc_result dead;
        if (!proc_alive(&s->h, &dead)) {
            char tail[200], why[256];
            hb_log_tail(s->log, tail, sizeof tail);
            snprintf(why, sizeof why, "server exited before answering%s%s", *tail ? ": " : "", tail);
            s->running = false;
            server_fail(s, "start", why);
            return;
        }
        hb_sleep_ms(100);
    }
    server_fail(s, "start", "no answer on /api/health within 60 s");
}

static void server_stop(server *s)
{
    if (!s->running)
        return;
    proc_result res;
    proc_stop(&s->h, 5, &res);
    s->running = false;
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
            snprintf(err, cap, "GET %s: no valid Server-Timing header", VERIFY_PATHS[i]);
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
            snprintf(why, cap, "%s and %s differ at byte %zu", VERIFY_PATHS[b], VERIFY_PATHS[n],
                     first_diff(a->body[b], a->len[b], a->body[n], a->len[n]));
            return -1;
        }
        if (a->queries[b] != 5 || a->queries[n] != 2 + 3 * pairs[i].per_page) {
            snprintf(why, cap, "query counts %d (%s) and %d (%s), expected 5 and %d", a->queries[b], VERIFY_PATHS[b],
                     a->queries[n], VERIFY_PATHS[n], 2 + 3 * pairs[i].per_page);
            return -1;
        }
    }
    if (a->queries[1] != 4) {
        snprintf(why, cap, "%s made %d queries, expected 4", VERIFY_PATHS[1], a->queries[1]);
        return -1;
    }
    return 0;
}

static int compare_answers(const answers *ref, const answers *a, char *why, size_t cap)
{
    for (int i = 0; i < NVERIFY; i++) {
        if (ref->status[i] != a->status[i]) {
            snprintf(why, cap, "GET %s: status %d, the reference answered %d", VERIFY_PATHS[i], a->status[i],
                     ref->status[i]);
            return -1;
        }
        if (ref->len[i] != a->len[i] || memcmp(ref->body[i], a->body[i], a->len[i])) {
            size_t at = first_diff(ref->body[i], ref->len[i], a->body[i], a->len[i]);
            snprintf(why, cap, "GET %s: body differs from the reference at byte %zu ('%.40s' vs '%.40s')",
                     VERIFY_PATHS[i], at, a->body[i] + (at < a->len[i] ? at : a->len[i]),
                     ref->body[i] + (at < ref->len[i] ? at : ref->len[i]));
            return -1;
        }
    }
    return 0;
}

static const char *short_name(const char *name)
{
    return !strncmp(name, "catalog-", 8) ? name + 8 : name;
}

static char *render(const json_value *root, report_format fmt, size_t *len)
{
    char *buf = NULL, err[256];
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    int rc = report_render(root, fmt, f, err, sizeof err);
    fclose(f);
    if (rc) {
        fprintf(stderr, "ladder lifecycle: %s\n", err);
        free(buf);
        return NULL;
    }
    return buf;
}

static int write_reports(const lifecycle_run *run, const char *out, bool json, bool *wrote)
{
    json_writer w;
    json_writer_init(&w, true);
    lifecycle_results_write(&w, run);
    size_t len;
    const char *text = json_writer_data(&w, &len);
    json_error je;
    json_doc *doc = json_writer_ok(&w) ? json_read(text, len, NULL, &je) : NULL;
    int rc = 0;
    char err[512], path[PATH_MAX];
    if (!doc) {
        fprintf(stderr, "ladder lifecycle: internal error: the results document did not read back\n");
        rc = 1;
    } else if (fs_mkdirs(out, err, sizeof err)) {
        fprintf(stderr, "ladder lifecycle: %s\n", err);
        rc = 1;
    } else {
        snprintf(path, sizeof path, "%s/results.json", out);
        if (fs_write_atomic(path, text, len, err, sizeof err)) {
            fprintf(stderr, "ladder lifecycle: %s\n", err);
            rc = 1;
        }
        static const struct {
            const char *name;
            report_format fmt;
        } files[] = {{"report.md", REPORT_MARKDOWN}, {"report.html", REPORT_HTML}};
        for (size_t i = 0; !rc && i < 2; i++) {
            size_t rlen;
            char *r = render(json_doc_root(doc), files[i].fmt, &rlen);
            snprintf(path, sizeof path, "%s/%s", out, files[i].name);
            if (!r || fs_write_atomic(path, r, rlen, err, sizeof err)) {
                fprintf(stderr, "ladder lifecycle: %s\n", r ? err : "cannot render the report");
                rc = 1;
            }
            free(r);
        }
        if (json) {
            fwrite(text, 1, len, stdout);
            fputc('\n', stdout);
        } else {
            size_t rlen;
            char *r = render(json_doc_root(doc), REPORT_TERMINAL, &rlen);
            if (r)
                fwrite(r, 1, rlen, stdout);
            free(r);
        }
        *wrote = rc == 0;
    }
    json_doc_free(doc);
    json_writer_free(&w);
    return rc;
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

static int int_opt(const char *s, const char *what, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max) {
        fprintf(stderr, "ladder lifecycle: %s must be an integer in [%d, %d], not '%s'\n", what, min, max, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
    static const struct option opts[] = {
        {"contender", required_argument, 0, 'c'}, {"db", required_argument, 0, 'd'},
        {"requests", required_argument, 0, 'n'},  {"warmup", required_argument, 0, 'w'},
        {"rtt", required_argument, 0, 'r'},       {"network", required_argument, 0, 'N'},
        {"workers", required_argument, 0, 'W'},   {"csv", required_argument, 0, 'C'},
        {"no-load", no_argument, 0, 'L'},         {"out", required_argument, 0, 'o'},
        {"json", no_argument, 0, 'j'},            {"strict", no_argument, 0, 'X'},
        {"help", no_argument, 0, 'h'},            {0, 0, 0, 0}};
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
            if (int_opt(optarg, "--requests", 1, 1000000, &o->requests))
                return 2;
            break;
        case 'w':
            if (int_opt(optarg, "--warmup", 0, 1000000, &o->warmup))
                return 2;
            break;
        case 'W':
            if (int_opt(optarg, "--workers", 1, 64, &o->workers))
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
        case 'L': o->load = false; break;
        case 'o': o->out = optarg; break;
        case 'j': o->json = true; break;
        case 'X': o->strict = true; break;
        case 'h': fputs(LIFECYCLE_USAGE, stdout); return 0;
        default: fputs(LIFECYCLE_USAGE, stderr); return 2;
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
static void measure_server(const options *o, server *s, double rtt, lifecycle_net *net, lifecycle_row *rows,
                           bool progress)
{
    char err[512];
    proxy_config pc = {.listen_host = net->active ? net->host_ip : "127.0.0.1", .upstream_host = "127.0.0.1",
                       .upstream_port = s->port, .rtt_ms = rtt};
    proxy *px;
    if (proxy_start(&pc, &px, err, sizeof err)) {
        for (int e = 0; e < LIFECYCLE_NENDPOINTS; e++) {
            rows[e].status = LC_FAILED;
            rows[e].failure = "network";
            snprintf(rows[e].reason, sizeof rows[e].reason, "%s", err);
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
            r->status = LC_FAILED;
            r->failure = "network";
            snprintf(r->reason, sizeof r->reason, "%s", err);
            continue;
        }
        if (lifecycle_measure(c, base, r->endpoint, o->warmup, o->requests, &r->s, err, sizeof err)) {
            r->status = LC_FAILED;
            r->failure = "measure";
            snprintf(r->reason, sizeof r->reason, "%s", err);
            lifecycle_samples_free(&r->s);
            memset(&r->s, 0, sizeof r->s);
            continue;
        }
        r->status = LC_OK;
        if (progress) {
            double *v = r->s.v[LC_TOTAL], *cl = r->s.v[LC_CLIENT];
            fprintf(stderr, "  %-8s %-9s rtt %5.1f ms  %-11s server %.3f ms, client %.3f ms (first sample)\n",
                    short_name(s->contender->name), s->db, rtt, r->endpoint->id, v[0], cl[0]);
        }
    }
    lifecycle_client_free(c);
    if (entered && lifecycle_net_leave(net, err, sizeof err))
        fprintf(stderr, "ladder lifecycle: %s\n", err);
    proxy_stop(px);
}

int cmd_lifecycle_with(const char *root, const char *build, const char *exe, int argc, char **argv)
{
    options o = {.requests = 200, .warmup = 30, .workers = 1, .network = "auto", .out = "results/lifecycle",
                 .load = true};
    int prc = parse_options(argc, argv, &o);
    if (prc >= 0)
        return prc;
    char def_db[PATH_MAX], def_csv[PATH_MAX], err[512];
    snprintf(def_db, sizeof def_db, "%s/lifecycle/catalog.db", build);
    snprintf(def_csv, sizeof def_csv, "%s/data/books.csv", root);
    if (!o.csv)
        o.csv = def_csv;
    if (o.ndb == 0) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/lifecycle", build);
        if (fs_mkdirs(dir, err, sizeof err)) {
            fprintf(stderr, "ladder lifecycle: %s\n", err);
            return 1;
        }
        o.dbs[o.ndb++] = def_db;
    }
    manifest_registry reg;
    if (manifest_load(root, NULL, &reg, err, sizeof err)) {
        fprintf(stderr, "ladder: %s\n", err);
        return 1;
    }
    const rung *chosen[MAX_CONTENDERS];
    int nchosen = 0;
    for (size_t i = 0; i < reg.ncontenders && nchosen < MAX_CONTENDERS; i++) {
        const rung *c = &reg.contenders[i];
        if (!rung_implements(c, "catalog"))
            continue;
        bool wanted = o.ncont == 0;
        for (int k = 0; k < o.ncont; k++)
            wanted |= !strcmp(o.contenders[k], c->name) || !strcmp(o.contenders[k], short_name(c->name));
        if (wanted)
            chosen[nchosen++] = c;
    }
    for (int k = 0; k < o.ncont; k++) {
        bool found = false;
        for (int i = 0; i < nchosen; i++)
            found |= !strcmp(o.contenders[k], chosen[i]->name) || !strcmp(o.contenders[k], short_name(chosen[i]->name));
        if (!found) {
            fprintf(stderr, "ladder lifecycle: unknown catalog contender '%s' (c, fastapi)\n", o.contenders[k]);
            manifest_free(&reg);
            return 2;
        }
    }
    /* ladder.c is the one place that owns the environment; the contenders' checks look for this */
    setenv("LADDER_LIFECYCLE", "1", 1);
    bool progress = !o.json;
    int64_t started = (int64_t)time(NULL);

    if (o.load)
        for (int d = 0; d < o.ndb; d++) {
            db *conn;
            catalog_load_stats st;
            if (db_open(o.dbs[d], &conn, err, sizeof err) ||
                (catalog_load(conn, o.csv, &st, err, sizeof err) && (db_close(conn), 1))) {
                fprintf(stderr, "ladder lifecycle: %s: %s\n", db_backend_name(db_url_backend(o.dbs[d])), err);
                manifest_free(&reg);
                return 1;
            }
            db_close(conn);
            if (progress)
                fprintf(stderr, "loaded %zu books into %s in %.0f ms\n", st.books,
                        db_backend_name(db_url_backend(o.dbs[d])), st.ms);
        }

    curl_global_init(CURL_GLOBAL_DEFAULT);
    bench_opts bo = {.root = root, .build_root = build, .ladder_bin = exe, .python = getenv("LADDER_PYTHON")};
    rung_state states[MAX_CONTENDERS];
    server servers[MAX_SERVERS];
    int nserv = 0;
    memset(servers, 0, sizeof servers);
    lifecycle_client *probe = lifecycle_client_new(err, sizeof err);
    int rc = 0;
    if (!probe) {
        fprintf(stderr, "ladder lifecycle: %s\n", err);
        manifest_free(&reg);
        curl_global_cleanup();
        return 1;
    }
    for (int i = 0; i < nchosen; i++) {
        rung_state_init(&states[i], chosen[i], &bo);
        bool ready = bench_prepare(&states[i], &bo);
        for (int d = 0; d < o.ndb; d++) {
            server *s = &servers[nserv++];
            s->contender = chosen[i];
            s->state = &states[i];
            s->db_url = o.dbs[d];
            s->db = db_backend_name(db_url_backend(o.dbs[d]));
            if (!ready) {
                server_fail(s, states[i].available ? "build" : "unavailable", states[i].reason);
                continue;
            }
            if (progress)
                fprintf(stderr, "starting %s on %s...\n", chosen[i]->name, s->db);
            server_start(s, &bo, o.workers, probe);
        }
    }

    /* verify everything before timing anything */
    answers ref, ans[MAX_SERVERS];
    int refi = -1;
    memset(ans, 0, sizeof ans);
    for (int i = 0; i < nserv; i++) {
        server *s = &servers[i];
        if (!s->ok)
            continue;
        char why[512];
        if (fetch_answers(probe, s->port, &ans[i], why, sizeof why) || check_self(&ans[i], why, sizeof why)) {
            server_fail(s, "verify", why);
            continue;
        }
        if (refi < 0) {
            refi = i;
            ref = ans[i];
        } else if (compare_answers(&ref, &ans[i], why, sizeof why)) {
            char msg[600];
            snprintf(msg, sizeof msg, "%s (reference: %s on %s)", why, servers[refi].contender->name, servers[refi].db);
            server_fail(s, "verify", msg);
        }
    }
    lifecycle_run run = {.ladder_version = LADDER_VERSION, .started_unix = started, .requests = o.requests,
                         .warmup = o.warmup, .workers = o.workers, .rtts = o.rtts, .rtt_labels = o.rtt_labels,
                         .nrtts = o.nrtt};
    int nverified = 0;
    for (int i = 0; i < nserv; i++)
        nverified += servers[i].ok;
    snprintf(run.verify_detail, sizeof run.verify_detail,
             "%d of %d servers answered %d requests (the four endpoints, a second page, the 400/404 cases) with "
             "identical status and bytes, batched = N+1 bodies, 4/5/2+3N queries",
             nverified, nserv, (int)NVERIFY);
    if (progress)
        fprintf(stderr, "verified: %s\n", run.verify_detail);
    for (int i = 0; i < nserv; i++)
        if (!servers[i].ok && progress)
            fprintf(stderr, "  %s on %s: %s: %s\n", servers[i].contender->name, servers[i].db,
                    servers[i].failure ? servers[i].failure : "failed", servers[i].reason);

    /* the network */
    lifecycle_net net = {.ns_fd = -1, .orig_fd = -1};
    bool net_failed = false;
    if (strcmp(o.network, "loopback")) {
        if (lifecycle_net_setup(&net, err, sizeof err) == 0) {
            run.network_mode = "netns+veth";
            snprintf(run.network_detail, sizeof run.network_detail,
                     "client in network namespace %s (%s), delay proxy on the veth peer %s in the servers' namespace; "
                     "the servers reach their databases without delay",
                     net.ns, net.ns_ip, net.host_ip);
        } else if (!strcmp(o.network, "netns")) {
            net_failed = true;
            run.network_mode = "netns+veth";
            snprintf(run.network_detail, sizeof run.network_detail, "could not make the namespace: %s", err);
        } else {
            run.network_mode = "loopback";
            snprintf(run.network_detail, sizeof run.network_detail,
                     "client and delay proxy on 127.0.0.1 (no network namespace: %s)", err);
        }
    } else {
        run.network_mode = "loopback";
        snprintf(run.network_detail, sizeof run.network_detail, "client and delay proxy on 127.0.0.1 (--network loopback)");
    }
    if (progress)
        fprintf(stderr, "network: %s: %s\n", run.network_mode, run.network_detail);

    size_t nrows = (size_t)nserv * (size_t)o.nrtt * LIFECYCLE_NENDPOINTS;
    lifecycle_row *rows = calloc(nrows ? nrows : 1, sizeof *rows);
    if (!rows) {
        fprintf(stderr, "ladder lifecycle: out of memory\n");
        rc = 1;
        nrows = 0;
    }
    size_t k = 0;
    for (int t = 0; rows && t < o.nrtt; t++)
        for (int i = 0; i < nserv; i++) {
            server *s = &servers[i];
            lifecycle_row *group = &rows[k];
            for (int e = 0; e < LIFECYCLE_NENDPOINTS; e++) {
                lifecycle_row *r = &rows[k++];
                r->contender = s->contender->name;
                r->contender_title = s->contender->title;
                r->kind = s->contender->kind;
                r->costs = s->contender->costs;
                r->version = s->state->version;
                r->db = s->db;
                r->rtt_ms = o.rtts[t];
                r->rtt_label = o.rtt_labels[t];
                r->endpoint = &lifecycle_endpoints[e];
                r->verified = s->ok;
                if (!s->ok || net_failed) {
                    r->status = s->failure && !strcmp(s->failure, "unavailable") ? LC_SKIPPED : LC_FAILED;
                    r->failure = net_failed && s->ok ? "network" : s->failure;
                    snprintf(r->reason, sizeof r->reason, "%s", net_failed && s->ok ? run.network_detail : s->reason);
                }
            }
            if (s->ok && !net_failed)
                measure_server(&o, s, o.rtts[t], &net, group, progress);
        }
    lifecycle_net_teardown(&net);
    for (int i = 0; i < nserv; i++)
        server_stop(&servers[i]);
    for (int i = 0; i < nserv; i++)
        answers_free(&ans[i]);
    lifecycle_client_free(probe);
    curl_global_cleanup();

    char cmdline[1024] = "ladder lifecycle";
    for (int i = 1; i < argc; i++) {
        strncat(cmdline, " ", sizeof cmdline - strlen(cmdline) - 1);
        strncat(cmdline, argv[i], sizeof cmdline - strlen(cmdline) - 1);
    }
    run.command = cmdline;
    run.rows = rows;
    run.nrows = nrows;
    bool wrote = false;
    if (rows && write_reports(&run, o.out, o.json, &wrote))
        rc = 1;
    if (wrote && progress)
        fprintf(stderr, "ladder lifecycle: wrote %s/results.json, report.md and report.html\n", o.out);
    if (o.strict)
        for (size_t i = 0; i < nrows; i++)
            if (rows[i].status != LC_OK)
                rc = rc ? rc : 1;
    for (size_t i = 0; i < nrows; i++)
        lifecycle_samples_free(&rows[i].s);
    free(rows);
    manifest_free(&reg);
    return rc;
}
