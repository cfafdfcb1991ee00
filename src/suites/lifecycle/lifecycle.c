#include "suites/lifecycle/lifecycle.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "core/proc.h"

const lifecycle_endpoint lifecycle_endpoints[LIFECYCLE_NENDPOINTS] = {
    {"health", "Health check (no DB)", "/api/health"},
    {"book", "Single book + author", "/api/books/1"},
    {"books", "100 books, batched", "/api/books?page=1&per_page=100"},
    {"n_plus_one", "100 books, N+1 queries", "/api/books/n-plus-one?page=1&per_page=100"},
};

const lifecycle_preset lifecycle_presets[] = {
    {"local", "same machine", 0},
    {"building", "same building", 5},
    {"city", "same city", 10},
    {"europe", "across Europe", 35},
    {"experiment", "Ankara -> Amsterdam (the experiments' link)", 57},
    {"continent", "other continent", 150},
};
const int lifecycle_npresets = sizeof lifecycle_presets / sizeof lifecycle_presets[0];

const char *const lifecycle_series_names[LC_NSERIES] = {"client", "db",        "hydrate", "serialize",
                                                        "encode", "framework", "total",   "network"};

int lifecycle_parse_rtt(const char *s, double *ms, const char **label)
{
    static const struct {
        const char *alias, *name;
    } aliases[] = {{"same-building", "building"}, {"same-city", "city"}, {"across-europe", "europe"},
                   {"other-continent", "continent"}, {"none", "local"}};
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(s, aliases[i].alias))
            s = aliases[i].name;
    for (int i = 0; i < lifecycle_npresets; i++)
        if (!strcmp(s, lifecycle_presets[i].name)) {
            *ms = lifecycle_presets[i].rtt_ms;
            *label = lifecycle_presets[i].label;
            return 0;
        }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !(v >= 0 && v <= 10000) || (*end && strcmp(end, "ms")))
        return -1;
    *ms = v;
    *label = NULL;
    return 0;
}

/* ---- client ---- */

struct lifecycle_client {
    CURL *curl;
    char *body;
    size_t len, cap;
    bool oom;
    char timing[512];
    bool has_timing;
    int queries;
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    lifecycle_client *c = ctx;
    size_t k = size * n;
    if (c->len + k + 1 > c->cap) {
        size_t ncap = c->cap ? c->cap : 65536;
        while (ncap < c->len + k + 1)
            ncap *= 2;
        char *nb = realloc(c->body, ncap);
        if (!nb) {
            c->oom = true;
            return 0;
        }
        c->body = nb;
        c->cap = ncap;
    }
    memcpy(c->body + c->len, data, k);
    c->len += k;
    c->body[c->len] = '\0';
    return k;
}

static bool header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
        return false;
    const char *v = line + k + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    *value = v;
    *vlen = (size_t)(end - v);
    return true;
}

static size_t on_header(char *line, size_t size, size_t n, void *ctx)
{
    lifecycle_client *c = ctx;
    size_t k = size * n;
    const char *v;
    size_t vn;
    if (header_is(line, k, "server-timing", &v, &vn)) {
        snprintf(c->timing, sizeof c->timing, "%.*s", (int)vn, v);
        c->has_timing = true;
    } else if (header_is(line, k, "x-query-count", &v, &vn)) {
        c->queries = atoi(v);
    }
    return k;
}

lifecycle_client *lifecycle_client_new(char *err, size_t cap)
{
    lifecycle_client *c = calloc(1, sizeof *c);
    if (!c || !(c->curl = curl_easy_init())) {
        free(c);
        str_setf(err, cap, "cannot start libcurl");
        return NULL;
    }
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c->curl, CURLOPT_PROXY, "");
    curl_easy_setopt(c->curl, CURLOPT_NOPROXY, "*");
    return c;
}

void lifecycle_client_free(lifecycle_client *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c->body);
    free(c);
}

int lifecycle_get(lifecycle_client *c, const char *url, lifecycle_response *r, char *err, size_t cap)
{
    memset(r, 0, sizeof *r);
    c->len = 0;
    c->oom = false;
    c->has_timing = false;
    c->queries = -1;
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    CURLcode rc = curl_easy_perform(c->curl);
    if (rc != CURLE_OK || c->oom) {
        str_setf(err, cap, "GET %s: %s", url, c->oom ? "out of memory" : curl_easy_strerror(rc));
        return -1;
    }
    long status = 0;
    curl_off_t total_us = 0;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c->curl, CURLINFO_TOTAL_TIME_T, &total_us);
    r->status = (int)status;
    r->client_ms = (double)total_us / 1000.0;
    r->body = malloc(c->len + 1);
    if (!r->body) {
        str_setf(err, cap, "out of memory");
        return -1;
    }
    if (c->len)
        memcpy(r->body, c->body, c->len);
    r->body[c->len] = '\0';
    r->len = c->len;
    r->queries = c->queries;
    r->has_timing = c->has_timing && catalog_timing_parse(c->timing, &r->timing) == 6;
    return 0;
}

void lifecycle_response_free(lifecycle_response *r)
{
    free(r->body);
    r->body = NULL;
}

int lifecycle_measure(lifecycle_client *c, const char *base_url, const lifecycle_endpoint *e, int warmup,
                      int requests, lifecycle_samples *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    for (int s = 0; s < LC_NSERIES; s++) {
        out->v[s] = calloc(requests > 0 ? (size_t)requests : 1, sizeof(double));
        if (!out->v[s]) {
            lifecycle_samples_free(out);
            str_setf(err, cap, "out of memory");
            return -1;
        }
    }
    char url[512];
    snprintf(url, sizeof url, "%s%s", base_url, e->path);
    for (int i = 0; i < warmup + requests; i++) {
        lifecycle_response r;
        if (lifecycle_get(c, url, &r, err, cap))
            return -1;
        if (r.status != 200 || !r.has_timing) {
            str_setf(err, cap, "GET %s: %s", e->path, r.status != 200 ? "status is not 200" : "no valid Server-Timing");
            if (r.status != 200)
                str_setf(err, cap, "GET %s: status %d", e->path, r.status);
            lifecycle_response_free(&r);
            return -1;
        }
        if (i >= warmup) {
            size_t k = out->n++;
            const catalog_timing *t = &r.timing;
            out->v[LC_CLIENT][k] = r.client_ms;
            out->v[LC_DB][k] = t->db;
            out->v[LC_HYDRATE][k] = t->hydrate;
            out->v[LC_SERIALIZE][k] = t->serialize;
            out->v[LC_ENCODE][k] = t->encode;
            out->v[LC_FRAMEWORK][k] = t->framework;
            out->v[LC_TOTAL][k] = t->total;
            out->v[LC_NETWORK][k] = r.client_ms > t->total ? r.client_ms - t->total : 0;
            out->queries = r.queries;
            out->bytes = r.len;
        }
        lifecycle_response_free(&r);
    }
    return 0;
}

void lifecycle_samples_free(lifecycle_samples *s)
{
    for (int i = 0; i < LC_NSERIES; i++) {
        free(s->v[i]);
        s->v[i] = NULL;
    }
}

/* ---- network namespace ---- */

static int ip(char *err, size_t cap, const char *const *argv)
{
    proc_spec spec = {.argv = argv, .timeout_s = 20, .stdout_max = 1 << 16};
    proc_result res;
    char why[256];
    if (proc_run(&spec, &res, why, sizeof why)) {
        str_setf(err, cap, "%s: %s", argv[0], why);
        return -1;
    }
    int rc = res.exited && res.exit_code == 0 ? 0 : -1;
    if (rc) {
        char cmd[160] = "";
        for (int i = 0; argv[i]; i++)
            snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "%s%s", i ? " " : "", argv[i]);
        const char *text = res.err_len ? res.err : res.out ? res.out : "";
        str_setf(err, cap, "'%s' failed: %.*s", cmd, (int)strcspn(text, "\n"), *text ? text : "non-zero exit");
    }
    proc_result_free(&res);
    return rc;
}

int lifecycle_net_setup(lifecycle_net *n, char *err, size_t cap)
{
    memset(n, 0, sizeof *n);
    n->ns_fd = n->orig_fd = -1;
    if (geteuid() != 0) {
        str_setf(err, cap, "not root: network namespaces need CAP_SYS_ADMIN");
        return -1;
    }
    unsigned pid = (unsigned)getpid();
    snprintf(n->ns, sizeof n->ns, "ladder-lc-%u", pid);
    snprintf(n->host_if, sizeof n->host_if, "lcH%u", pid % 1000000000u);
    snprintf(n->ns_if, sizeof n->ns_if, "lcN%u", pid % 1000000000u);
    /* a /30 of 10.213.0.0/16 chosen by pid, so concurrent runs do not share a subnet */
    unsigned a = (pid >> 6) & 255, b = (pid & 63) * 4;
    snprintf(n->host_ip, sizeof n->host_ip, "10.213.%u.%u", a, b + 1);
    snprintf(n->ns_ip, sizeof n->ns_ip, "10.213.%u.%u", a, b + 2);
    char host_cidr[24], ns_cidr[24];
    snprintf(host_cidr, sizeof host_cidr, "%s/30", n->host_ip);
    snprintf(ns_cidr, sizeof ns_cidr, "%s/30", n->ns_ip);
    const char *add_ns[] = {"ip", "netns", "add", n->ns, NULL};
    if (ip(err, cap, add_ns))
        return -1;
    n->active = true;
    const char *steps[][12] = {
        {"ip", "link", "add", n->host_if, "type", "veth", "peer", "name", n->ns_if, "netns", n->ns, NULL},
        {"ip", "addr", "add", host_cidr, "dev", n->host_if, NULL},
        {"ip", "link", "set", n->host_if, "up", NULL},
        {"ip", "-n", n->ns, "addr", "add", ns_cidr, "dev", n->ns_if, NULL},
        {"ip", "-n", n->ns, "link", "set", n->ns_if, "up", NULL},
        {"ip", "-n", n->ns, "link", "set", "lo", "up", NULL},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (ip(err, cap, steps[i])) {
            lifecycle_net_teardown(n);
            return -1;
        }
    char path[96];
    snprintf(path, sizeof path, "/var/run/netns/%s", n->ns);
    n->ns_fd = open(path, O_RDONLY | O_CLOEXEC);
    n->orig_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (n->ns_fd < 0 || n->orig_fd < 0) {
        str_setf(err, cap, "cannot open the namespaces: %s", strerror(errno));
        lifecycle_net_teardown(n);
        return -1;
    }
    return 0;
}

int lifecycle_net_enter(lifecycle_net *n, char *err, size_t cap)
{
    if (setns(n->ns_fd, CLONE_NEWNET)) {
        str_setf(err, cap, "setns into %s: %s", n->ns, strerror(errno));
        return -1;
    }
    return 0;
}

int lifecycle_net_leave(lifecycle_net *n, char *err, size_t cap)
{
    if (setns(n->orig_fd, CLONE_NEWNET)) {
        str_setf(err, cap, "setns back: %s", strerror(errno));
        return -1;
    }
    return 0;
}

void lifecycle_net_teardown(lifecycle_net *n)
{
    if (!n->active)
        return;
    char ignored[256];
    const char *del_link[] = {"ip", "link", "del", n->host_if, NULL};
    const char *del_ns[] = {"ip", "netns", "del", n->ns, NULL};
    ip(ignored, sizeof ignored, del_link);
    ip(ignored, sizeof ignored, del_ns);
    if (n->ns_fd >= 0)
        close(n->ns_fd);
    if (n->orig_fd >= 0)
        close(n->orig_fd);
    n->ns_fd = n->orig_fd = -1;
    n->active = false;
}
