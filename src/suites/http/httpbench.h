/* The framework benchmark: start a contender's server pinned to some CPUs, wait until it
 * answers, verify every endpoint byte for byte, then load each endpoint with wrk pinned to the
 * other CPUs and collect requests/s, latency percentiles, errors and the client's CPU use. */
#ifndef LADDER_HTTPBENCH_H
#define LADDER_HTTPBENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/bench.h"

typedef struct {
    const char *id, *method, *path, *body;
} hb_endpoint;

extern const hb_endpoint hb_endpoints[];
extern const int hb_nendpoints;
const hb_endpoint *hb_endpoint_find(const char *id);

typedef struct {
    int threads, connections;
    double duration_s;
    int workers;
    int pipeline;              /* requests per write on plaintext; 1 = none */
    bool pipeline_all;         /* pipeline every endpoint, not only plaintext */
    char server_cpus[64], client_cpus[64]; /* taskset lists; "" = no pinning */
    int client_ncpus;
    const char *wrk;           /* path of wrk */
    const char *script;        /* contenders/_wrk/ladder.lua */
    double start_timeout_s;
} hb_opts;

typedef struct {
    const rung *contender;
    const hb_endpoint *endpoint;
    row_status status;
    const char *failure;       /* "unavailable", "build", "start", "verify", "load" */
    char reason[256];
    bool verified;
    int pipeline;
    double requests_per_s;
    int64_t requests, bytes;
    double duration_s;
    double p50_us, p90_us, p99_us, mean_us, max_us;
    int64_t err_connect, err_read, err_write, err_timeout, non_2xx;
    double client_cpu_pct;     /* wrk's user+sys over wall, per client CPU */
    bool client_bound;
} hb_row;

/* Runs every selected endpoint of one contender; appends rows (one per endpoint) to rows[*n]. */
void hb_run_contender(rung_state *st, const bench_opts *bo, const hb_opts *o, const char *const *endpoints,
                      int nendpoints, hb_row *rows, int *n, bool progress);
/* Checks one running server's endpoints; 0, or -1 with the first difference in reason. */
int hb_verify(int port, const rung *contender, char *reason, size_t cap);

#endif
