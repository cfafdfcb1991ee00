/* ladder lifecycle's measuring parts: the endpoints and distance presets, a libcurl client that
 * reads Server-Timing, the sequential measurement loop, and the client's network namespace.
 *
 * The client namespace: a network namespace with one end of a veth pair, the other end in the
 * caller's namespace, where the delay proxy listens. Only the measuring thread enters it
 * (setns is per thread), so its sockets, and nothing else's, can reach the servers only through
 * the proxy; the servers' database connections never leave the caller's namespace.
 *
 * Ownership: lifecycle_response and lifecycle_samples own their buffers (free with their _free);
 * lifecycle_net_teardown removes the namespace and the veth pair that lifecycle_net_setup made. */
#ifndef LADDER_LIFECYCLE_H
#define LADDER_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "core/bench.h"
#include "json/json.h"

typedef struct {
    const char *id, *title, *path;
} lifecycle_endpoint;

enum { LIFECYCLE_NENDPOINTS = 4 };
extern const lifecycle_endpoint lifecycle_endpoints[LIFECYCLE_NENDPOINTS];

typedef struct {
    const char *name, *label;
    double rtt_ms;
} lifecycle_preset;

extern const lifecycle_preset lifecycle_presets[];
extern const int lifecycle_npresets;
/* A preset name or a number of ms in [0, 10000]; *label is the preset's label or NULL. */
int lifecycle_parse_rtt(const char *s, double *ms, const char **label);

/* ---- the client ---- */

typedef struct lifecycle_client lifecycle_client;

typedef struct {
    int status;
    char *body;          /* NUL-terminated */
    size_t len;
    bool has_timing;
    catalog_timing timing;   /* from Server-Timing */
    int queries;         /* X-Query-Count, -1 when absent */
    double client_ms;    /* CURLINFO_TOTAL_TIME_T */
} lifecycle_response;

lifecycle_client *lifecycle_client_new(char *err, size_t cap);
void lifecycle_client_free(lifecycle_client *c);
/* One GET on the client's kept-alive connection. */
int lifecycle_get(lifecycle_client *c, const char *url, lifecycle_response *r, char *err, size_t cap);
void lifecycle_response_free(lifecycle_response *r);

enum { LC_CLIENT, LC_DB, LC_HYDRATE, LC_SERIALIZE, LC_ENCODE, LC_FRAMEWORK, LC_TOTAL, LC_NETWORK, LC_NSERIES };
extern const char *const lifecycle_series_names[LC_NSERIES];

typedef struct {
    size_t n;
    double *v[LC_NSERIES];  /* per request, ms; network = client - server total */
    int queries;            /* of the last request */
    size_t bytes;           /* body size of the last request */
} lifecycle_samples;

/* warmup requests (discarded), then `requests` counted ones, one after another. Every answer must
 * be 200 with a Server-Timing header. */
int lifecycle_measure(lifecycle_client *c, const char *base_url, const lifecycle_endpoint *e, int warmup,
                      int requests, lifecycle_samples *out, char *err, size_t cap);
void lifecycle_samples_free(lifecycle_samples *s);

/* ---- the client's network namespace ---- */

typedef struct {
    bool active;
    char ns[32], host_if[16], ns_if[16];
    char host_ip[16], ns_ip[16];
    int ns_fd, orig_fd;
} lifecycle_net;

/* Makes the namespace and veth pair (needs root and iproute2); -1 with the reason otherwise. */
int lifecycle_net_setup(lifecycle_net *n, char *err, size_t cap);
/* Moves the calling thread into the client namespace, and back. */
int lifecycle_net_enter(lifecycle_net *n, char *err, size_t cap);
int lifecycle_net_leave(lifecycle_net *n, char *err, size_t cap);
void lifecycle_net_teardown(lifecycle_net *n);

/* ---- the run's rows and its results document ---- */


typedef struct {
    const char *contender, *contender_title, *kind, *costs, *version; /* borrowed */
    const char *db;           /* "sqlite" or "postgres" */
    double rtt_ms;
    const char *rtt_label;    /* preset label or NULL */
    const lifecycle_endpoint *endpoint;
    row_status status;
    const char *failure;      /* "unavailable", "start", "verify", "measure", "network"; NULL when ok */
    char reason[256];
    bool verified;
    lifecycle_samples s;      /* owned */
} lifecycle_row;

typedef struct {
    const char *command, *ladder_version;
    int64_t started_unix;
    int requests, warmup, workers;
    const char *network_mode;     /* "netns+veth" or "loopback" */
    char network_detail[320];
    char verify_detail[320];      /* what was compared before timing */
    const double *rtts;
    const char *const *rtt_labels;
    int nrtts;
    lifecycle_row *rows;
    size_t nrows;
} lifecycle_run;

/* A catalog contender's name without its "catalog-" prefix ("catalog-c" -> "c"). */
const char *lifecycle_short_name(const char *name);

/* The results document (schema ladder.results/1, rows with suite "lifecycle") into w. */
void lifecycle_results_write(json_writer *w, const lifecycle_run *run);

#endif
