#include "suites/http/http_rounds.h"

#include <string.h>

#include "core/stats.h"
#include "core/strbuf.h"

void http_rounds_schedule(uint64_t seed, size_t nitems, int nrounds, size_t *orders)
{
    uint64_t state = seed;
    for (int r = 0; r < nrounds; r++) {
        size_t *order = orders + (size_t)r * nitems;
        for (size_t i = 0; i < nitems; i++)
            order[i] = i;
        stats_shuffle(order, nitems, &state);
    }
}

static double pct_of(const hb_rate *r, int k)
{
    const double v[HB_NPCT] = {r->p50_us, r->p90_us, r->p99_us, r->p999_us, r->max_us};
    return v[k];
}

static double median_of(const hb_rate *rounds, int n, double (*get)(const hb_rate *, int), int k)
{
    double v[HB_MAX_ROUNDS];
    size_t m = 0;
    for (int i = 0; i < n && m < HB_MAX_ROUNDS; i++)
        if (rounds[i].ok)
            v[m++] = get(&rounds[i], k);
    return m ? stats_median(v, m) : 0;
}

static double achieved(const hb_rate *r, int k)
{
    (void)k;
    return r->achieved_rps;
}

static double server_cpu(const hb_rate *r, int k)
{
    (void)k;
    return r->server_cpu_s;
}

static double client_cpu(const hb_rate *r, int k)
{
    (void)k;
    return r->client_cpu_pct;
}

void http_rounds_aggregate(const hb_rate *rounds, int n, hb_rate *out)
{
    memset(out, 0, sizeof *out);
    if (n <= 0)
        return;
    if (n > HB_MAX_ROUNDS)
        n = HB_MAX_ROUNDS;
    out->offered_rps = rounds[0].offered_rps;
    out->fraction = rounds[0].fraction;
    out->rounds = n;
    int failed = -1;
    for (int i = 0; i < n; i++) {
        const hb_rate *r = &rounds[i];
        if (!r->ok) {
            failed = failed < 0 ? i : failed;
            continue;
        }
        for (int k = 0; k < HB_NPCT; k++) {
            double v = pct_of(r, k);
            out->lo_us[k] = out->rounds_ok == 0 || v < out->lo_us[k] ? v : out->lo_us[k];
            out->hi_us[k] = out->rounds_ok == 0 || v > out->hi_us[k] ? v : out->hi_us[k];
        }
        out->rounds_ok++;
        out->requests += r->requests;
        out->errors += r->errors;
        out->non_2xx += r->non_2xx;
        out->client_bound |= r->client_bound;
    }
    out->ok = out->rounds_ok > 0;
    out->p50_us = median_of(rounds, n, pct_of, 0);
    out->p90_us = median_of(rounds, n, pct_of, 1);
    out->p99_us = median_of(rounds, n, pct_of, 2);
    out->p999_us = median_of(rounds, n, pct_of, 3);
    out->max_us = median_of(rounds, n, pct_of, 4);
    out->achieved_rps = median_of(rounds, n, achieved, 0);
    out->server_cpu_s = median_of(rounds, n, server_cpu, 0);
    out->client_cpu_pct = median_of(rounds, n, client_cpu, 0);
    if (failed >= 0)
        str_setf(out->reason, sizeof out->reason, "%d of %d rounds failed; round %d: %s", n - out->rounds_ok, n,
                 failed + 1, rounds[failed].reason);
}
