/* The framework benchmark: start a contender's server pinned to some CPUs, wait until it
 * answers, verify every endpoint byte for byte, then load each endpoint with wrk pinned to the
 * other CPUs and collect requests/s, latency percentiles, errors and the client's CPU use, and
 * the server's own cost over the same window: the CPU time and peak RSS of its whole process
 * tree (server_meter), never the load generator's. With a latency sweep, oha then offers the
 * endpoint fixed rates (fractions of the req/s wrk reached, and one rate common to every
 * contender) with coordinated-omission correction, and records the percentiles at each.
 *
 * The latency sweep is interleaved: every contender's server stays up after its wrk run, and in
 * each of o->rounds rounds every (server, endpoint, offered rate) is measured once, in an order
 * shuffled per round from o->seed (http_rounds_schedule), so that a change in the machine's load
 * falls on every contender alike instead of deciding their order. Each rate then reports the
 * median over its rounds of each percentile with the min-max (http_rounds_aggregate). */
#ifndef LADDER_HTTPBENCH_H
#define LADDER_HTTPBENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/bench.h"
#include "core/server.h"

typedef struct {
    const char *id, *method, *path, *body;
} hb_endpoint;

extern const hb_endpoint hb_endpoints[];
extern const int hb_nendpoints;
const hb_endpoint *hb_endpoint_find(const char *id);

#define HB_MAX_FRACTIONS 8
#define HB_MAX_COMMON 8

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
    int server_ncpus;          /* CPUs the server may use: utilisation is over these */
    /* the latency sweep; oha == NULL: none */
    const char *oha;           /* path of oha */
    double rate_duration_s;    /* seconds per offered rate */
    double fractions[HB_MAX_FRACTIONS]; /* of the measured maximum, e.g. 0.1 ... 0.9 */
    int nfractions;
    double common_rates[HB_MAX_COMMON];    /* req/s offered to every contender, ascending, so that curves meet */
    int ncommon;
    int rate_connections;      /* oha's connection pool */
    int rounds;                /* of the interleaved sweep, 1..HB_MAX_ROUNDS */
    uint64_t seed;             /* of the rounds' shuffles; recorded in the results */
} hb_opts;

#define HB_MAX_ROUNDS 15
#define HB_NPCT 5              /* p50, p90, p99, p99.9, max: the order of lo_us and hi_us */

/* One offered rate of the latency sweep. */
typedef struct {
    double offered_rps;        /* what oha was asked for */
    double fraction;           /* of the maximum; 0 for the common rate */
    bool ok;                   /* oha ran and reported; else reason says why */
    double achieved_rps;       /* answered requests over the duration */
    int64_t requests, errors, non_2xx;
    double p50_us, p90_us, p99_us, p999_us, max_us; /* corrected for coordinated omission */
    double server_cpu_s;       /* the server tree's CPU time over this rate's window */
    double client_cpu_pct;     /* oha's user+sys over wall, per client CPU */
    bool client_bound;         /* oha used 90% or more of its CPUs: the rate may be the client's limit */
    char reason[96];
    /* one round's measurement: its round (from 0) and its place in that round's shuffled order */
    int round, position;
    double load1;              /* the 1-minute load average as it began; -1: unreadable */
    /* over the rounds (http_rounds_aggregate): the figures above are medians over the ok rounds,
     * requests and errors sums, client_bound any round's */
    int rounds, rounds_ok;
    double lo_us[HB_NPCT], hi_us[HB_NPCT]; /* min and max over the ok rounds */
} hb_rate;

#define HB_MAX_RATES 16

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
    int workers;
    /* the server's process tree over wrk's window (server_meter) */
    bool server_measured;
    double server_cpu_s;       /* user+system CPU time of every process of the server */
    double server_cpu_pct;     /* of the CPUs it may use */
    double requests_per_cpu_s; /* requests answered per second of server CPU */
    long peak_rss_kb;          /* the largest sum of its processes' RSS sampled */
    int server_procs;          /* the most processes seen */
    hb_rate rates[HB_MAX_RATES]; /* over the rounds */
    int nrates;                /* 0: no latency sweep */
    hb_rate round_rates[HB_MAX_RATES][HB_MAX_ROUNDS]; /* [rate][round] */
    int nrounds;
} hb_row;

/* A contender's server kept up for the interleaved sweep, and its rows. */
typedef struct {
    server srv;
    bool running;
    int first_row, nrows;
} hb_live;

/* Starts, verifies and loads with wrk every selected endpoint of one contender; appends rows
 * (one per endpoint) to rows[*n]. With o->oha, each ok row gets its offered rates (not yet
 * measured) and, when live is not NULL and the server still runs, the server is left running in
 * *live for hb_sweep_rounds; otherwise it is stopped. hb_live_stop ends a live server. */
void hb_run_contender(rung_state *st, const bench_opts *bo, const hb_opts *o, const char *const *endpoints,
                      int nendpoints, hb_row *rows, int *n, bool progress, hb_live *live);
/* The interleaved latency sweep over every live server (see above); fills each swept row's
 * round_rates, nrounds and rates. */
void hb_sweep_rounds(const hb_opts *o, hb_live *live, int nlive, hb_row *rows, bool progress);
void hb_live_stop(hb_live *live);
/* Checks one running server's endpoints; 0, or -1 with the first difference in reason. */
int hb_verify(int port, const rung *contender, char *reason, size_t cap);

#endif
