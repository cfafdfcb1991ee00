/* The framework benchmark's results document: the load settings and one row per (contender,
 * worker count, endpoint) with suite "http" and an "http" object (requests/s, latency
 * percentiles, errors, the client's CPU use, the server's own cost, the latency sweep).
 * docs/ARCHITECTURE.md describes the row. */
#ifndef LADDER_HTTP_RESULTS_H
#define LADDER_HTTP_RESULTS_H

#include "core/results.h"
#include "json/json.h"
#include "suites/http/httpbench.h"

/* workers[0..nworkers): the worker counts of the run, in order. */
void http_results_write(json_writer *w, const results_meta *meta, const char *size, const hb_opts *o,
                        const int *workers, int nworkers, const hb_row *rows, int nrows, const rung_state *states,
                        size_t nstates);

#endif
