/* Unit tests of the interleaved latency sweep's order (each round a permutation, reproduced from
 * its seed, different for another seed and between rounds) and of its aggregation over rounds
 * with known inputs (medians, min-max, failed rounds left out, sums). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "suites/http/http_rounds.h"

enum { NITEMS = 12, NROUNDS = 4 };

static bool is_permutation(const size_t *order, size_t n)
{
    bool seen[64] = {false};
    for (size_t i = 0; i < n; i++) {
        if (order[i] >= n || seen[order[i]])
            return false;
        seen[order[i]] = true;
    }
    return true;
}

static void test_schedule(void)
{
    size_t a[NITEMS * NROUNDS], b[NITEMS * NROUNDS], c[NITEMS * NROUNDS];
    http_rounds_schedule(42, NITEMS, NROUNDS, a);
    http_rounds_schedule(42, NITEMS, NROUNDS, b);
    http_rounds_schedule(43, NITEMS, NROUNDS, c);
    for (int r = 0; r < NROUNDS; r++)
        CHECK(is_permutation(a + r * NITEMS, NITEMS));
    CHECK(memcmp(a, b, sizeof a) == 0); /* the recorded seed reproduces the order */
    CHECK(memcmp(a, c, sizeof a) != 0); /* another seed, another order */
    /* shuffled, not the contenders one after another, and not the same order every round */
    size_t identity[NITEMS];
    for (size_t i = 0; i < NITEMS; i++)
        identity[i] = i;
    int same_as_identity = 0, same_as_first = 0;
    for (int r = 0; r < NROUNDS; r++) {
        same_as_identity += !memcmp(a + r * NITEMS, identity, sizeof identity);
        same_as_first += r > 0 && !memcmp(a + r * NITEMS, a, sizeof identity);
    }
    CHECK(same_as_identity == 0);
    CHECK(same_as_first == 0);
    /* a single item and zero rounds are not errors */
    size_t one[3];
    http_rounds_schedule(7, 1, 3, one);
    CHECK(one[0] == 0 && one[1] == 0 && one[2] == 0);
}

static hb_rate measured(double p99, double achieved, int64_t errors)
{
    hb_rate r = {.offered_rps = 1000, .fraction = 0.5, .ok = true, .achieved_rps = achieved, .requests = 100,
                 .errors = errors, .p50_us = p99 / 10, .p90_us = p99 / 2, .p99_us = p99, .p999_us = p99 * 2,
                 .max_us = p99 * 3, .server_cpu_s = 0.1, .client_cpu_pct = 50};
    return r;
}

static void test_aggregate(void)
{
    hb_rate rounds[4] = {measured(3000, 990, 1), measured(1000, 1000, 0), measured(2000, 995, 2)};
    hb_rate out;
    http_rounds_aggregate(rounds, 3, &out);
    CHECK(out.ok && out.rounds == 3 && out.rounds_ok == 3);
    CHECK(out.p99_us == 2000 && out.lo_us[2] == 1000 && out.hi_us[2] == 3000);
    CHECK(out.p50_us == 200 && out.lo_us[0] == 100 && out.hi_us[0] == 300);
    CHECK(out.p999_us == 4000 && out.lo_us[3] == 2000 && out.hi_us[3] == 6000);
    CHECK(out.max_us == 6000 && out.hi_us[4] == 9000);
    CHECK(out.achieved_rps == 995);
    CHECK(out.requests == 300 && out.errors == 3);
    CHECK(out.offered_rps == 1000 && out.fraction == 0.5);
    CHECK(out.reason[0] == '\0');
    /* even count: the mean of the middle two */
    rounds[3] = measured(8000, 1000, 0);
    http_rounds_aggregate(rounds, 4, &out);
    CHECK(out.p99_us == 2500 && out.hi_us[2] == 8000);
    /* a failed round is left out of the figures and named */
    rounds[1].ok = false;
    snprintf(rounds[1].reason, sizeof rounds[1].reason, "oha failed");
    http_rounds_aggregate(rounds, 3, &out);
    CHECK(out.ok && out.rounds == 3 && out.rounds_ok == 2);
    CHECK(out.p99_us == 2500 && out.lo_us[2] == 2000 && out.hi_us[2] == 3000);
    CHECK(out.requests == 200);
    CHECK(strstr(out.reason, "1 of 3 rounds failed; round 2: oha failed") != NULL);
    /* every round failed: not ok, no figures */
    rounds[0].ok = rounds[2].ok = false;
    http_rounds_aggregate(rounds, 3, &out);
    CHECK(!out.ok && out.rounds_ok == 0 && out.p99_us == 0);
}

int main(void)
{
    test_schedule();
    test_aggregate();
    return check_done("test_http_rounds");
}
