#include "suites/http/httpbench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "core/proc.h"
#include "core/server.h"
#include "http/http_client.h"
#include "json/json.h"
#include "suites/http/http_rounds.h"

const hb_endpoint hb_endpoints[] = {
    {"plaintext", "GET", "/plaintext", NULL},
    {"json", "GET", "/json", NULL},
    {"user", "GET", "/user/42", NULL},
    {"validate", "POST", "/validate", "{\"name\":\"Ada\",\"age\":36}"},
};
const int hb_nendpoints = 4;

const hb_endpoint *hb_endpoint_find(const char *id)
{
    for (int i = 0; i < hb_nendpoints; i++)
        if (!strcmp(hb_endpoints[i].id, id))
            return &hb_endpoints[i];
    return NULL;
}

typedef struct {
    const char *endpoint, *method, *path, *body;
    int status;
    const char *want_body;     /* exact; NULL: any */
    const char *want_type;     /* prefix of Content-Type */
} hb_check;

/* What TechEmpower's verifier would ask: status, exact body, Content-Type, and the 400 cases. */
static const hb_check CHECKS[] = {
    {"plaintext", "GET", "/plaintext", NULL, 200, "Hello, World!", "text/plain"},
    {"json", "GET", "/json", NULL, 200, "{\"message\":\"Hello, World!\"}", "application/json"},
    {"user", "GET", "/user/42", NULL, 200, "{\"id\":\"42\",\"name\":\"User 42\"}", "application/json"},
    {"user", "GET", "/user/7", NULL, 200, "{\"id\":\"7\",\"name\":\"User 7\"}", "application/json"},
    {"validate", "POST", "/validate", "{\"name\":\"Ada\",\"age\":36}", 200,
     "{\"name\":\"Ada\",\"age\":36,\"valid\":true}", "application/json"},
    {"validate", "POST", "/validate", "{\"name\":\"\",\"age\":36}", 400,
     "{\"error\":\"name must be a non-empty string\"}", "application/json"},
    {"validate", "POST", "/validate", "{\"age\":36}", 400, "{\"error\":\"name must be a non-empty string\"}",
     "application/json"},
    {"validate", "POST", "/validate", "{\"name\":\"Ada\",\"age\":151}", 400,
     "{\"error\":\"age must be an integer between 0 and 150\"}", "application/json"},
    {"validate", "POST", "/validate", "{\"name\":\"Ada\",\"age\":\"36\"}", 400,
     "{\"error\":\"age must be an integer between 0 and 150\"}", "application/json"},
    {"validate", "POST", "/validate", "this is not JSON", 400, NULL, NULL},
};

static void shorten(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = n < cap - 4 ? n : cap - 4;
    memcpy(out, s, k);
    strcpy(out + k, n > k ? "..." : "");
}

int hb_verify(int port, const rung *contender, char *reason, size_t cap)
{
    for (size_t i = 0; i < sizeof CHECKS / sizeof CHECKS[0]; i++) {
        const hb_check *c = &CHECKS[i];
        if (!rung_implements(contender, c->endpoint))
            continue;
        http_client_response r;
        char err[256];
        if (http_client_request("127.0.0.1", port, c->method, c->path, "application/json", c->body,
                                c->body ? strlen(c->body) : 0, 10, &r, err, sizeof err)) {
            str_setf(reason, cap, "%s %s: %s", c->method, c->path, err);
            return -1;
        }
        char got[80];
        shorten(r.body, r.body_len, got, sizeof got);
        int bad = 0;
        if (r.status != c->status)
            str_setf(reason, cap, "%s %s%s%s: status %d, expected %d", c->method, c->path, c->body ? " " : "",
                     c->body ? c->body : "", r.status, c->status), bad = 1;
        else if (c->want_body && (r.body_len != strlen(c->want_body) || memcmp(r.body, c->want_body, r.body_len)))
            str_setf(reason, cap, "%s %s: body '%s', expected '%s'", c->method, c->path, got, c->want_body), bad = 1;
        else if (c->want_type && strncasecmp(r.content_type, c->want_type, strlen(c->want_type)))
            str_setf(reason, cap, "%s %s: Content-Type '%s', expected %s", c->method, c->path, r.content_type,
                     c->want_type), bad = 1;
        http_client_free(&r);
        if (bad)
            return -1;
    }
    return 0;
}

static void set_row(hb_row *row, const rung *c, const hb_endpoint *e, row_status s, const char *failure,
                    const char *reason)
{
    memset(row, 0, sizeof *row);
    row->contender = c;
    row->endpoint = e;
    row->status = s;
    row->failure = failure;
    str_setf(row->reason, sizeof row->reason, "%s", reason ? reason : "");
}

static int parse_wrk(const char *out, hb_row *row, char *reason, size_t cap)
{
    const char *line = strstr(out, "LADDER_JSON ");
    if (!line) {
        str_setf(reason, cap, "wrk printed no results");
        return -1;
    }
    line += 12;
    size_t len = strcspn(line, "\n");
    json_error je;
    json_doc *doc = json_read(line, len, NULL, &je);
    if (!doc) {
        str_setf(reason, cap, "wrk's results do not parse: %s", je.msg);
        return -1;
    }
    const json_value *r = json_doc_root(doc), *e = json_obj_get(r, "errors"), *l = json_obj_get(r, "latency_us");
    row->requests = (int64_t)json_get_num(json_obj_get(r, "requests"));
    row->bytes = (int64_t)json_get_num(json_obj_get(r, "bytes"));
    row->duration_s = json_get_num(json_obj_get(r, "duration_us")) / 1e6;
    row->err_connect = (int64_t)json_get_num(json_obj_get(e, "connect"));
    row->err_read = (int64_t)json_get_num(json_obj_get(e, "read"));
    row->err_write = (int64_t)json_get_num(json_obj_get(e, "write"));
    row->err_timeout = (int64_t)json_get_num(json_obj_get(e, "timeout"));
    row->non_2xx = (int64_t)json_get_num(json_obj_get(e, "status"));
    row->p50_us = json_get_num(json_obj_get(l, "p50"));
    row->p90_us = json_get_num(json_obj_get(l, "p90"));
    row->p99_us = json_get_num(json_obj_get(l, "p99"));
    row->mean_us = json_get_num(json_obj_get(l, "mean"));
    row->max_us = json_get_num(json_obj_get(l, "max"));
    row->requests_per_s = row->duration_s > 0 ? (double)row->requests / row->duration_s : 0;
    json_doc_free(doc);
    return 0;
}

/* The server's cost over a load: its tree's CPU, utilisation of its CPUs, peak RSS. */
static void note_server(const hb_opts *o, const server_usage *u, hb_row *row)
{
    row->server_measured = true;
    row->server_cpu_s = (double)u->cpu_ns / 1e9;
    int ncpu = o->server_ncpus > 0 ? o->server_ncpus : 1;
    row->server_cpu_pct = u->wall_ns > 0 ? 100.0 * (double)u->cpu_ns / (double)u->wall_ns / ncpu : 0;
    row->requests_per_cpu_s = row->server_cpu_s > 0 ? (double)row->requests / row->server_cpu_s : 0;
    row->peak_rss_kb = u->peak_rss_kb;
    row->server_procs = u->max_procs;
}

/* Runs a load generator while metering the server's process tree over exactly that window.
 * -1 (with why, naming the tool) when the meter or the tool could not start. */
static int run_metered(server *srv, const proc_spec *spec, proc_result *res, server_usage *use, const char *tool,
                       char *err, size_t cap)
{
    server_meter *meter = server_meter_start(srv, 100, err, cap);
    if (!meter)
        return -1;
    char why[200];
    int ran = proc_run(spec, res, why, sizeof why);
    server_meter_stop(meter, use);
    if (ran)
        str_setf(err, cap, "%s: %s", tool, why);
    return ran ? -1 : 0;
}

static void load(const hb_opts *o, server *srv, const hb_endpoint *e, hb_row *row)
{
    int port = srv->port;
    char threads[16], conns[16], dur[32], url[128], body[300], depth[48];
    snprintf(threads, sizeof threads, "%d", o->threads);
    snprintf(conns, sizeof conns, "%d", o->connections);
    snprintf(dur, sizeof dur, "%.0fs", o->duration_s < 1 ? 1 : o->duration_s);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, e->path);
    snprintf(body, sizeof body, "LADDER_WRK_BODY=%s", e->body ? e->body : "");
    row->pipeline = (o->pipeline_all || !strcmp(e->id, "plaintext")) && o->pipeline > 1 ? o->pipeline : 1;
    snprintf(depth, sizeof depth, "LADDER_WRK_PIPELINE=%d", row->pipeline);
    const char *env[] = {body, depth, NULL};
    const char *argv[16];
    int k = 0;
    if (o->client_cpus[0]) {
        argv[k++] = "taskset";
        argv[k++] = "-c";
        argv[k++] = o->client_cpus;
    }
    const char *tail[] = {o->wrk, "-t", threads, "-c", conns, "-d", dur, "--latency", "-s", o->script, url, NULL};
    for (int i = 0; tail[i]; i++)
        argv[k++] = tail[i];
    argv[k] = NULL;
    proc_spec spec = {.argv = argv, .env_add = env, .timeout_s = o->duration_s + 60, .stdout_max = 1 << 20};
    proc_result res;
    char err[256];
    server_usage use;
    if (run_metered(srv, &spec, &res, &use, "wrk", err, sizeof err)) {
        row->status = ROW_FAILED;
        row->failure = "load";
        str_setf(row->reason, sizeof row->reason, "%s", err);
        return;
    }
    if (!res.exited || res.exit_code != 0) {
        char desc[200];
        proc_describe(&res, o->duration_s + 60, desc, sizeof desc);
        row->status = ROW_FAILED;
        row->failure = "load";
        str_setf(row->reason, sizeof row->reason, "wrk failed (%s)", desc);
    } else if (parse_wrk(res.out, row, err, sizeof err)) {
        row->status = ROW_FAILED;
        row->failure = "load";
        str_setf(row->reason, sizeof row->reason, "%s", err);
    } else {
        row->status = ROW_OK;
        row->verified = true;
        double wall = (double)res.wall_ns;
        int ncpu = o->client_ncpus > 0 ? o->client_ncpus : 1;
        row->client_cpu_pct = wall > 0 ? 100.0 * (double)(res.user_ns + res.sys_ns) / wall / ncpu : 0;
        row->client_bound = row->client_cpu_pct >= 90;
        note_server(o, &use, row);
        int64_t errors = row->err_connect + row->err_read + row->err_write + row->err_timeout;
        if (row->requests == 0) {
            row->status = ROW_FAILED;
            row->failure = "load";
            str_setf(row->reason, sizeof row->reason, "no request completed under load");
        } else if (errors || row->non_2xx) {
            str_setf(row->reason, sizeof row->reason, "%lld socket errors, %lld non-2xx responses under load",
                     (long long)errors, (long long)row->non_2xx);
        }
        if (row->client_bound && !row->reason[0])
            str_setf(row->reason, sizeof row->reason, "client-bound: wrk used %.0f%% of its CPU",
                     row->client_cpu_pct);
    }
    proc_result_free(&res);
}

static double num_at(const json_value *obj, const char *key)
{
    const json_value *v = json_obj_get(obj, key);
    return v ? json_get_num(v) : 0;
}

/* oha's JSON report: summary.total (s), latencyPercentiles (s, corrected for coordinated
 * omission with --latency-correction), statusCodeDistribution, errorDistribution. Requests cut
 * off at the deadline are not errors. */
static int parse_oha(const char *out, size_t len, double duration_s, hb_rate *r, char *reason, size_t cap)
{
    const char *brace = memchr(out, '{', len);
    if (!brace) {
        str_setf(reason, cap, "oha printed no report");
        return -1;
    }
    json_error je;
    json_doc *doc = json_read(brace, len - (size_t)(brace - out), NULL, &je);
    if (!doc) {
        str_setf(reason, cap, "oha's report does not parse: %s", je.msg);
        return -1;
    }
    const json_value *root = json_doc_root(doc), *sum = json_obj_get(root, "summary"),
                     *pct = json_obj_get(root, "latencyPercentiles"),
                     *codes = json_obj_get(root, "statusCodeDistribution"),
                     *errs = json_obj_get(root, "errorDistribution");
    int64_t ok = 0, all = 0, errors = 0;
    for (size_t i = 0; i < json_obj_len(codes); i++) {
        const char *code = json_obj_key_at(codes, i, NULL);
        int64_t k = (int64_t)json_get_num(json_obj_val_at(codes, i));
        all += k;
        if (code[0] == '2')
            ok += k;
    }
    for (size_t i = 0; i < json_obj_len(errs); i++) {
        const char *what = json_obj_key_at(errs, i, NULL);
        int64_t k = (int64_t)json_get_num(json_obj_val_at(errs, i));
        if (!strstr(what, "deadline"))
            errors += k;
    }
    double total = num_at(sum, "total");
    r->requests = all;
    r->non_2xx = all - ok;
    r->errors = errors;
    r->achieved_rps = (double)ok / (total > 0 ? total : duration_s);
    r->p50_us = num_at(pct, "p50") * 1e6;
    r->p90_us = num_at(pct, "p90") * 1e6;
    r->p99_us = num_at(pct, "p99") * 1e6;
    r->p999_us = num_at(pct, "p99.9") * 1e6;
    r->max_us = num_at(sum, "slowest") * 1e6;
    json_doc_free(doc);
    if (all == 0) {
        str_setf(reason, cap, "no request answered at %.0f req/s", r->offered_rps);
        return -1;
    }
    return 0;
}

/* Offers r->offered_rps for o->rate_duration_s with oha, pinned like wrk. */
static void run_rate(const hb_opts *o, server *srv, const hb_endpoint *e, hb_rate *r)
{
    char rate[32], conns[16], dur[32], url[128];
    snprintf(rate, sizeof rate, "%.0f", r->offered_rps < 1 ? 1 : r->offered_rps);
    snprintf(conns, sizeof conns, "%d", o->rate_connections);
    snprintf(dur, sizeof dur, "%.0fs", o->rate_duration_s < 1 ? 1 : o->rate_duration_s);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv->port, e->path);
    const char *argv[32];
    int k = 0;
    if (o->client_cpus[0]) {
        argv[k++] = "taskset";
        argv[k++] = "-c";
        argv[k++] = o->client_cpus;
    }
    const char *tail[] = {o->oha, "--no-tui", "--output-format", "json", "--latency-correction", "-z", dur, "-q", rate,
                          "-c", conns, NULL};
    for (int i = 0; tail[i]; i++)
        argv[k++] = tail[i];
    if (e->body) {
        argv[k++] = "-m";
        argv[k++] = e->method;
        argv[k++] = "-T";
        argv[k++] = "application/json";
        argv[k++] = "-d";
        argv[k++] = e->body;
    }
    argv[k++] = url;
    argv[k] = NULL;
    double limit = o->rate_duration_s + 60;
    proc_spec spec = {.argv = argv, .timeout_s = limit, .stdout_max = 4 << 20};
    proc_result res;
    char err[256];
    server_usage use;
    if (run_metered(srv, &spec, &res, &use, "oha", err, sizeof err)) {
        str_setf(r->reason, sizeof r->reason, "%s", err);
        return;
    }
    if (!res.exited || res.exit_code != 0) {
        char desc[200];
        proc_describe(&res, limit, desc, sizeof desc);
        str_setf(r->reason, sizeof r->reason, "oha failed (%s)", desc);
    } else if (parse_oha(res.out, res.out_len, o->rate_duration_s, r, err, sizeof err) == 0) {
        r->ok = true;
        r->server_cpu_s = (double)use.cpu_ns / 1e9;
        int ncpu = o->client_ncpus > 0 ? o->client_ncpus : 1;
        r->client_cpu_pct = res.wall_ns > 0 ? 100.0 * (double)(res.user_ns + res.sys_ns) / (double)res.wall_ns / ncpu : 0;
        r->client_bound = r->client_cpu_pct >= 90;
    } else {
        str_setf(r->reason, sizeof r->reason, "%s", err);
    }
    proc_result_free(&res);
}

/* The latency sweep's rates of one row, not yet measured: fractions of the maximum wrk reached,
 * then the common rates. */
static void plan_rates(const hb_opts *o, hb_row *row)
{
    row->nrates = 0;
    for (int i = 0; i < o->nfractions + o->ncommon && row->nrates < HB_MAX_RATES; i++) {
        hb_rate *r = &row->rates[row->nrates++];
        memset(r, 0, sizeof *r);
        r->fraction = i < o->nfractions ? o->fractions[i] : 0;
        r->offered_rps = i < o->nfractions ? r->fraction * row->requests_per_s : o->common_rates[i - o->nfractions];
    }
}

/* One (row, rate) of the interleaved sweep, with the server that answers it. */
typedef struct {
    hb_live *live;
    hb_row *row;
    int rate;
} sweep_item;

/* The machine's 1-minute load average, or -1: beside each measurement, since the rounds' spread
 * is mostly what else the machine ran. */
static double load_average(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double l1 = -1;
    if (f) {
        if (fscanf(f, "%lf", &l1) != 1)
            l1 = -1;
        fclose(f);
    }
    return l1;
}

static void sweep_one(const hb_opts *o, const sweep_item *it, int round, int position, bool progress)
{
    hb_row *row = it->row;
    hb_rate *m = &row->round_rates[it->rate][round];
    memset(m, 0, sizeof *m);
    m->offered_rps = row->rates[it->rate].offered_rps;
    m->fraction = row->rates[it->rate].fraction;
    m->round = round;
    m->position = position;
    m->load1 = load_average();
    if (!server_alive(&it->live->srv)) {
        str_setf(m->reason, sizeof m->reason, "the server had died");
        return;
    }
    if (progress)
        fprintf(stderr, "  round %d: %-20s w%d %-10s offering %.0f req/s...\r", round + 1, row->contender->name,
                row->workers, row->endpoint->id, m->offered_rps);
    run_rate(o, &it->live->srv, row->endpoint, m);
    if (progress)
        fprintf(stderr, "  round %d: %-20s w%d %-10s at %8.0f req/s  p99 %.2f ms%s%s\n", round + 1,
                row->contender->name, row->workers, row->endpoint->id, m->offered_rps, m->p99_us / 1000,
                m->ok ? "" : "  ", m->ok ? "" : m->reason);
}

void hb_sweep_rounds(const hb_opts *o, hb_live *live, int nlive, hb_row *rows, bool progress)
{
    int rounds = o->rounds < 1 ? 1 : o->rounds > HB_MAX_ROUNDS ? HB_MAX_ROUNDS : o->rounds;
    size_t nitems = 0;
    for (int l = 0; l < nlive; l++)
        for (int i = live[l].first_row; live[l].running && i < live[l].first_row + live[l].nrows; i++)
            nitems += rows[i].status == ROW_OK ? (size_t)rows[i].nrates : 0;
    if (nitems == 0)
        return;
    sweep_item *items = calloc(nitems, sizeof *items);
    size_t *orders = calloc(nitems * (size_t)rounds, sizeof *orders);
    if (!items || !orders) {
        free(items);
        free(orders);
        for (int l = 0; l < nlive; l++)
            for (int i = live[l].first_row; i < live[l].first_row + live[l].nrows; i++)
                for (int k = 0; k < rows[i].nrates; k++)
                    str_setf(rows[i].rates[k].reason, sizeof rows[i].rates[k].reason, "out of memory");
        return;
    }
    size_t n = 0;
    for (int l = 0; l < nlive; l++)
        for (int i = live[l].first_row; live[l].running && i < live[l].first_row + live[l].nrows; i++)
            for (int k = 0; rows[i].status == ROW_OK && k < rows[i].nrates; k++)
                items[n++] = (sweep_item){.live = &live[l], .row = &rows[i], .rate = k};
    http_rounds_schedule(o->seed, nitems, rounds, orders);
    for (int r = 0; r < rounds; r++)
        for (size_t p = 0; p < nitems; p++)
            sweep_one(o, &items[orders[(size_t)r * nitems + p]], r, (int)p, progress);
    for (size_t i = 0; i < nitems; i++) {
        hb_row *row = items[i].row;
        row->nrounds = rounds;
        http_rounds_aggregate(row->round_rates[items[i].rate], rounds, &row->rates[items[i].rate]);
    }
    free(items);
    free(orders);
}

/* The endpoints of this run that the contender serves, into list; their count. */
static int endpoints_of(const rung *c, const char *const *endpoints, int nendpoints, const hb_endpoint **list)
{
    int count = 0;
    for (int i = 0; i < hb_nendpoints; i++) {
        bool wanted = nendpoints == 0;
        for (int k = 0; k < nendpoints; k++)
            wanted |= !strcmp(endpoints[k], hb_endpoints[i].id);
        if (wanted && rung_implements(c, hb_endpoints[i].id))
            list[count++] = &hb_endpoints[i];
    }
    return count;
}

static void fail_all(hb_row *rows, int *n, const rung *c, const hb_endpoint **list, int count, row_status s,
                     const char *failure, const char *reason, int workers)
{
    for (int i = 0; i < count; i++) {
        set_row(&rows[*n], c, list[i], s, failure, reason);
        rows[(*n)++].workers = workers;
    }
}

/* Ready when any HTTP answer comes back. */
static int probe(int port, void *ctx, char *why, size_t cap)
{
    const hb_endpoint *e = ctx;
    http_client_response r;
    if (http_client_request("127.0.0.1", port, "GET", e->path, NULL, NULL, 0, 2, &r, why, cap))
        return -1;
    http_client_free(&r);
    return 0;
}

static void load_all(server *srv, const rung *c, const hb_opts *o, const hb_endpoint **list, int count,
                     hb_row *rows, int *n, bool progress)
{
    for (int i = 0; i < count; i++) {
        hb_row *row = &rows[(*n)++];
        set_row(row, c, list[i], ROW_OK, NULL, NULL);
        if (progress)
            fprintf(stderr, "  %-26s %-10s loading for %.0f s...\r", c->name, list[i]->id, o->duration_s);
        row->workers = o->workers;
        load(o, srv, list[i], row);
        if (progress)
            fprintf(stderr, "  %-26s %-10s %10.0f req/s  %8.0f per server CPU-s  p99 %.2f ms%s\n", c->name, list[i]->id,
                    row->requests_per_s, row->requests_per_cpu_s, row->p99_us / 1000,
                    row->status == ROW_OK ? "" : "  FAILED");
        if (o->oha && row->status == ROW_OK)
            plan_rates(o, row);
        if (!server_alive(srv)) {
            fail_all(rows, n, c, list + i + 1, count - i - 1, ROW_FAILED, "load", "the server died under load", o->workers);
            return;
        }
    }
}

void hb_live_stop(hb_live *live)
{
    if (!live->running)
        return;
    server_stop(&live->srv, 10);
    server_free(&live->srv);
    live->running = false;
}

void hb_run_contender(rung_state *st, const bench_opts *bo, const hb_opts *o, const char *const *endpoints,
                      int nendpoints, hb_row *rows, int *n, bool progress, hb_live *live)
{
    const rung *c = st->r;
    const hb_endpoint *list[8];
    int count = endpoints_of(c, endpoints, nendpoints, list);
    if (live)
        *live = (hb_live){.first_row = *n};
    if (count == 0)
        return;
    if (!bench_prepare(st, bo)) {
        fail_all(rows, n, c, list, count, st->available ? ROW_FAILED : ROW_SKIPPED,
                 st->available ? "build" : "unavailable", st->reason, o->workers);
        return;
    }
    /* one log per worker count: with the interleaved sweep, each count's server runs at once */
    char log_name[48];
    snprintf(log_name, sizeof log_name, "server-w%d.log", o->workers);
    server_spec spec = {.st = st, .bo = bo, .cpus = o->server_cpus, .workers = o->workers, .log_name = log_name,
                        .start_timeout_s = o->start_timeout_s, .probe = probe, .probe_ctx = (void *)list[0]};
    server srv;
    char why[256];
    int first = *n;
    bool loaded = false;
    if (server_start(&srv, &spec, why, sizeof why)) {
        fail_all(rows, n, c, list, count, ROW_FAILED, "start", why, o->workers);
    } else if (hb_verify(srv.port, c, why, sizeof why)) {
        char msg[300];
        str_setf(msg, sizeof msg, "verification failed, not loaded: %s", why);
        fail_all(rows, n, c, list, count, ROW_FAILED, "verify", msg, o->workers);
    } else {
        load_all(&srv, c, o, list, count, rows, n, progress);
        loaded = true;
    }
    if (live && loaded && o->oha && server_alive(&srv)) {
        *live = (hb_live){.srv = srv, .running = true, .first_row = first, .nrows = *n - first};
        return;
    }
    for (int i = first; i < *n; i++) /* planned rates that no round will measure */
        for (int k = 0; k < rows[i].nrates; k++)
            str_setf(rows[i].rates[k].reason, sizeof rows[i].rates[k].reason, "not measured: %s",
                     server_alive(&srv) ? "no server kept for the rounds" : "the server had died");
    server_stop(&srv, 10);
    server_free(&srv);
}
