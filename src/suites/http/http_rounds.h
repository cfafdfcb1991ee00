/* The interleaved latency sweep's order and its aggregation over rounds, apart from the servers
 * and oha so that both can be checked with known inputs. */
#ifndef LADDER_HTTP_ROUNDS_H
#define LADDER_HTTP_ROUNDS_H

#include <stddef.h>
#include <stdint.h>

#include "suites/http/httpbench.h"

/* orders[r * nitems + p]: the item measured at place p of round r, for rounds 0..nrounds; each
 * round a fresh shuffle of 0..nitems continuing one splitmix64 stream from seed (the same seed
 * gives the same orders). */
void http_rounds_schedule(uint64_t seed, size_t nitems, int nrounds, size_t *orders);

/* One offered rate over n rounds' measurements into *out: offered_rps, fraction from rounds[0];
 * percentiles, achieved_rps, server_cpu_s and client_cpu_pct the median over the ok rounds
 * (the mean of the middle two when even), lo_us/hi_us their min and max; requests, errors and
 * non_2xx summed over the ok rounds; ok when any round was; reason names the failed rounds. */
void http_rounds_aggregate(const hb_rate *rounds, int n, hb_rate *out);

#endif
