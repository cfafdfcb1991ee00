/* Unit tests of core/stats' intervals and tests against values computed independently: SciPy
 * (quantile_test, mannwhitneyu, binom) and brute-force enumeration in tests/unit/stats_reference.py,
 * which printed the tables below. Small samples (n = 3, 5) and ties included. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "core/stats.h"

#define CLOSE(a, b) (fabs((double)(a) - (double)(b)) <= 1e-9 * fmax(1, fabs((double)(b))))

typedef struct {
    double x[64];
    size_t n;
    double est, lo, hi, level;
} median_case;

static const median_case MEDIAN[] = {
{{3.0, 1.0, 2.0}, 3, 2.0, 1.0, 3.0, 0.75},
{{5.0, 3.0, 9.0, 1.0, 7.0}, 5, 5.0, 1.0, 9.0, 0.9375},
{{4.0, 4.0, 4.0}, 3, 4.0, 4.0, 4.0, 0.75},
{{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}, 6, 3.5, 1.0, 6.0, 0.96875},
{{2.0, 2.0, 2.0, 5.0, 5.0, 9.0, 9.0, 9.0}, 8, 5.0, 2.0, 9.0, 0.9921875},
{{1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0}, 20, 10.5, 6.0, 15.0, 0.9586105346679688},
{{20.058, 24.76, 23.297, 23.215, 27.764, 15.782, 17.718, 15.423, 19.657, 24.526, 19.998, 22.18, 13.706, 20.685, 16.754, 28.648, 23.984, 24.285, 19.854, 22.705, 22.91, 18.749, 18.184, 19.63, 17.795, 17.834, 18.979, 17.363, 23.412, 14.597, 23.682, 17.723, 18.008, 15.33, 19.514, 19.115, 20.87}, 37, 19.657, 18.184, 22.18, 0.952968972560484},
};

typedef struct {
    double x[64];
    size_t nx;
    double y[64];
    size_t ny;
    double u, p;
    int exact;
} mwu_case;

static const mwu_case MWU[] = {
{{1.1, 2.3, 3.5}, 3, {4.2, 5.0, 6.1}, 3, 0.0, 0.1, true},
{{10.0, 12.0, 11.0, 14.0, 13.0}, 5, {12.5, 15.0, 16.0, 11.5, 17.0}, 5, 5.0, 0.15079365079365079, true},
{{1.0, 2.0, 2.0, 3.0, 3.0}, 5, {2.0, 3.0, 4.0, 4.0, 5.0}, 5, 4.0, 0.08567343955231686, false},
{{7.0, 7.0, 7.0}, 3, {7.0, 7.0, 7.0}, 3, 4.5, 1.0, false},
{{3.0, 1.0, 2.0}, 3, {2.5, 4.0, 0.5, 6.0, 7.0}, 5, 4.0, 0.39285714285714285, true},
{{97.3311, 100.4688, 109.0985, 102.045, 97.1315, 104.7655, 99.356, 102.9694, 103.0637, 98.0447, 90.3486, 98.2617, 102.7573, 98.0994, 102.1948, 104.8977, 97.2794, 106.1568, 108.109, 105.3952, 105.8273, 105.484, 111.2727, 100.9293, 100.0104, 103.0155, 95.459, 92.2341, 95.59, 101.8628, 102.3653, 92.3182, 90.5827, 98.4193, 99.0597, 99.754, 103.3568, 106.1442, 101.1545, 103.0634, 94.524, 94.1185, 101.1812, 103.3233, 103.6312, 102.9637, 103.9209, 104.0491, 91.2391, 96.3292, 102.2758, 102.9834, 92.4395, 105.8653, 97.8058, 98.8379, 101.3691, 103.7482, 92.8344, 104.9496}, 60, {103.3865, 99.1459, 101.6236, 92.0708, 99.7619, 103.9095, 99.4547, 101.3599, 102.2662, 103.2419, 108.1032, 102.8755, 101.7002, 105.6932, 113.3831, 101.2863, 105.5643, 95.1135, 109.7275, 106.2969, 109.664, 102.7047, 97.7859, 107.4305, 106.7677, 98.6648, 95.6353, 105.2457, 102.143, 116.0608, 99.9288, 100.3572, 102.4462, 94.6747, 98.5546, 111.2218, 102.3431, 99.9581, 96.6405, 105.9024, 106.2915, 104.2823, 101.054, 104.5277, 104.9079, 99.5956, 106.1117, 92.4232, 96.5549, 101.4804, 102.4575, 97.1786, 104.6436, 108.278, 105.2552}, 55, 1307.0, 0.05515770862362646, false},
};

typedef struct {
    size_t n, m, u;
    double cdf;
} cdf_case;

static const cdf_case CDF[] = {
{3, 3, 0, 0.05},
{3, 3, 2, 0.2},
{5, 5, 2, 0.015873015873015872},
{5, 5, 3, 0.027777777777777776},
{6, 6, 5, 0.020562770562770564},
{4, 7, 9, 0.20606060606060606},
{8, 8, 32, 0.5204351204351204},
};

typedef struct {
    double x[16];
    size_t nx;
    double y[16];
    size_t ny;
    double est, lo, hi, level;
} ratio_case;

static const ratio_case RATIO[] = {
{{30.0, 31.0, 29.5}, 3, {10.0, 10.4, 9.8}, 3, 3.0, 2.8365384615384617, 3.1632653061224487, 0.9},
{{100.0, 103.0, 98.0, 101.0, 99.0}, 5, {100.5, 102.0, 97.0, 104.0, 99.5}, 5, 0.9950248756218906, 0.960784313725491, 1.0351758793969852, 0.9682539682539683},
{{12.0, 12.0, 13.0, 12.0, 14.0, 12.0}, 6, {6.0, 6.0, 7.0, 6.0, 6.0, 6.5}, 6, 2.0, 1.8461538461538465, 2.166666666666667, 0.9588744588744589},
{{55.215, 56.907, 55.713, 51.567, 54.048, 58.24, 51.58, 54.768, 53.546}, 9, {47.233, 46.966, 49.653, 50.188, 50.172, 45.957, 48.694, 50.264}, 8, 1.1137706284889217, 1.0772542453958383, 1.1689920182922955, 0.9535993418346359},
};

#define COUNT(a) (sizeof a / sizeof a[0])

static void test_median_ci(void)
{
    for (size_t i = 0; i < COUNT(MEDIAN); i++) {
        const median_case *c = &MEDIAN[i];
        stats_interval ci;
        CHECK(stats_median_ci(c->x, c->n, STATS_CONFIDENCE, &ci) == 0);
        if (!(CLOSE(ci.est, c->est) && CLOSE(ci.lo, c->lo) && CLOSE(ci.hi, c->hi) && CLOSE(ci.level, c->level)))
            fprintf(stderr, "median case %zu: got %g [%g, %g] %g\n", i, ci.est, ci.lo, ci.hi, ci.level);
        CHECK(CLOSE(ci.est, c->est) && CLOSE(ci.lo, c->lo) && CLOSE(ci.hi, c->hi) && CLOSE(ci.level, c->level));
    }
    stats_interval ci;
    double one[] = {7};
    CHECK(stats_median_ci(one, 1, STATS_CONFIDENCE, &ci) == 0 && ci.est == 7 && ci.level == 0);
    CHECK(stats_median_ci(NULL, 0, STATS_CONFIDENCE, &ci) == 0 && ci.level == 0);
    /* the input is left alone */
    double keep[] = {3, 1, 2};
    CHECK(stats_median_ci(keep, 3, STATS_CONFIDENCE, &ci) == 0 && keep[0] == 3 && keep[1] == 1);
    /* large n (SciPy: quantile_test(arange(10001), q=5000).confidence_interval(), binom.cdf) */
    double *big = malloc(10001 * sizeof *big);
    for (size_t i = 0; i < 10001; i++)
        big[i] = (double)i;
    CHECK(stats_median_ci(big, 10001, STATS_CONFIDENCE, &ci) == 0);
    CHECK(ci.est == 5000 && ci.lo == 4901 && ci.hi == 5099 && fabs(ci.level - 0.9522907611993353) < 1e-9);
    free(big);
}

static void test_mann_whitney(void)
{
    for (size_t i = 0; i < COUNT(CDF); i++)
        CHECK(CLOSE(stats_mwu_cdf(CDF[i].n, CDF[i].m, CDF[i].u), CDF[i].cdf));
    CHECK(stats_mwu_cdf(3, 3, 9) == 1);
    CHECK(CLOSE(stats_mwu_cdf(3, 3, 8), 1 - 0.05));
    CHECK(stats_mwu_cdf(STATS_MWU_EXACT_MAX + 1, 3, 1) < 0);
    for (size_t i = 0; i < COUNT(MWU); i++) {
        const mwu_case *c = &MWU[i];
        stats_mwu r;
        CHECK(stats_mann_whitney(c->x, c->nx, c->y, c->ny, &r) == 0);
        if (!(CLOSE(r.u, c->u) && CLOSE(r.p, c->p) && r.exact == (bool)c->exact))
            fprintf(stderr, "mwu case %zu: got U=%g p=%.17g exact=%d\n", i, r.u, r.p, r.exact);
        CHECK(CLOSE(r.u, c->u) && CLOSE(r.p, c->p) && r.exact == (bool)c->exact);
    }
}

static void test_ratio_ci(void)
{
    for (size_t i = 0; i < COUNT(RATIO); i++) {
        const ratio_case *c = &RATIO[i];
        stats_interval ci;
        CHECK(stats_ratio_ci(c->x, c->nx, c->y, c->ny, STATS_CONFIDENCE, &ci) == 0);
        if (!(CLOSE(ci.est, c->est) && CLOSE(ci.lo, c->lo) && CLOSE(ci.hi, c->hi) && CLOSE(ci.level, c->level)))
            fprintf(stderr, "ratio case %zu: got %.17g [%.17g, %.17g] %.17g\n", i, ci.est, ci.lo, ci.hi, ci.level);
        CHECK(CLOSE(ci.est, c->est) && CLOSE(ci.lo, c->lo) && CLOSE(ci.hi, c->hi) && CLOSE(ci.level, c->level));
    }
    /* the interval excludes 1 exactly when the Mann-Whitney test rejects at its level */
    double a[] = {100, 103, 98, 101, 99}, b[] = {100.5, 102, 97, 104, 99.5}, c[] = {110, 112, 109, 111, 113};
    stats_interval ci;
    CHECK(stats_ratio_ci(a, 5, b, 5, STATS_CONFIDENCE, &ci) == 0 && !stats_interval_excludes_one(&ci));
    CHECK(stats_ratio_ci(c, 5, a, 5, STATS_CONFIDENCE, &ci) == 0 && stats_interval_excludes_one(&ci) && ci.lo > 1);
    stats_mwu r;
    CHECK(stats_mann_whitney(c, 5, a, 5, &r) == 0 && r.p < 1 - ci.level + 1e-12);
    /* a sample <= 0 cannot be a time */
    double bad[] = {1, 0, 2};
    CHECK(stats_ratio_ci(bad, 3, a, 5, STATS_CONFIDENCE, &ci) == -1);
    /* beyond the exact tables: normal k, still about 95%, 1.1 inside */
    double *x = malloc(400 * sizeof *x), *y = malloc(300 * sizeof *y);
    uint64_t s = 1;
    for (int i = 0; i < 400; i++)
        x[i] = 110 * (1 + 0.02 * ((double)(stats_splitmix64(&s) % 1000) / 1000 - 0.5));
    for (int i = 0; i < 300; i++)
        y[i] = 100 * (1 + 0.02 * ((double)(stats_splitmix64(&s) % 1000) / 1000 - 0.5));
    CHECK(stats_ratio_ci(x, 400, y, 300, STATS_CONFIDENCE, &ci) == 0);
    CHECK(ci.lo < 1.1 && ci.hi > 1.1 && ci.hi - ci.lo < 0.01 && fabs(ci.level - 0.95) < 0.002);
    free(x);
    free(y);
}

static void test_bootstrap_geomean(void)
{
    double cb[] = {100, 101, 99, 100}, rb[] = {10, 10.2, 9.9}, cn[] = {200, 199, 202}, rn[] = {22, 21.8, 22.3, 22.1};
    stats_interval a, b;
    /* (rn/cn) / (rb/cb): the rung got 10% slower relative to its own CPython */
    CHECK(stats_bootstrap_ratio2(rn, 4, cn, 3, rb, 3, cb, 4, STATS_CONFIDENCE, 2000, 42, &a) == 0);
    CHECK(stats_bootstrap_ratio2(rn, 4, cn, 3, rb, 3, cb, 4, STATS_CONFIDENCE, 2000, 42, &b) == 0);
    CHECK(a.lo == b.lo && a.hi == b.hi); /* fixed seed: the same interval */
    CHECK(CLOSE(a.est, (22.05 / 200) / (10 / 100.0)));
    CHECK(a.lo <= a.est && a.est <= a.hi && a.lo > 1.05 && a.hi < 1.16 && a.level == STATS_CONFIDENCE);
    double same[] = {5, 5, 5};
    CHECK(stats_bootstrap_ratio2(same, 3, same, 3, same, 3, same, 3, STATS_CONFIDENCE, 500, 1, &a) == 0);
    CHECK(a.est == 1 && a.lo == 1 && a.hi == 1);

    CHECK(CLOSE(stats_normal_quantile(0.975), 1.959963984540054));
    CHECK(CLOSE(stats_normal_quantile(0.05), -1.6448536269514729));
    CHECK(CLOSE(stats_normal_quantile(1e-6), -4.753424308822899));
    /* one ratio at 95%: its own interval back (normal widths round trip) */
    stats_interval one = {.est = 60, .lo = 55, .hi = 66, .level = 0.95}, g;
    CHECK(stats_geomean_ci(&one, 1, STATS_CONFIDENCE, &g) == 0);
    CHECK(CLOSE(g.est, 60) && CLOSE(g.lo, 55) && CLOSE(g.hi, 66));
    /* four equal ratios with equal intervals: the geometric mean is the same, the log width halves */
    stats_interval four[4] = {one, one, one, one};
    CHECK(stats_geomean_ci(four, 4, STATS_CONFIDENCE, &g) == 0);
    CHECK(CLOSE(g.est, 60) && CLOSE(log(g.est / g.lo), log(60.0 / 55) / 2) && CLOSE(log(g.hi / g.est), log(66.0 / 60) / 2));
    stats_interval mixed[2] = {{.est = 2, .lo = 1.9, .hi = 2.1, .level = 0.95}, {.est = 8}};
    CHECK(stats_geomean_ci(mixed, 2, STATS_CONFIDENCE, &g) == 0 && CLOSE(g.est, 4) && g.level == 0);
}

static void test_rounds(void)
{
    stats_rounds r;
    double steady[] = {100, 101, 99, 100, 102, 98, 101, 100, 99};
    CHECK(stats_rounds_check(steady, 3, 3, &r) == 0 && r.nrounds == 3 && !r.disagree);
    double drift[] = {100, 100.5, 99.5, 120, 120.5, 119.5, 100, 100.2, 99.8};
    CHECK(stats_rounds_check(drift, 3, 3, &r) == 0 && r.disagree);
    CHECK(CLOSE(r.spread, 20.0 / 100.5) || r.spread > 0.19);
    double single[] = {100, 130};
    CHECK(stats_rounds_check(single, 1, 2, &r) == 0 && !r.disagree); /* one sample per round: no spread of its own */
}

/* Student's t from scipy.stats.t: df, x, cdf(x), quantile(0.975) */
typedef struct {
    double df, x, cdf, q975;
} t_case;
static const t_case TDIST[] = {
    {1.0, 1.5, 0.8128329581890011, 12.706204736174694},
    {2.0, -0.3, 0.3962428304200888, 4.302652729749462},
    {3.0, 2.0, 0.9303370157205785, 3.1824463052837078},
    {4.7, 1.1, 0.8377725175006492, 2.62072607535317},
    {10.0, -2.5, 0.01572342211830441, 2.228138851986274},
    {30.0, 0.7, 0.7553397782501642, 2.0422724563012378},
    {1000.0, 1.96, 0.9748634075221256, 1.9623390808264083},
};

/* limma's fitFDist by moments, computed with SciPy: var, df, n, prior df (-1: infinite), prior var */
typedef struct {
    double var[40], df[40];
    size_t n;
    double d0, s0;
} prior_case;
static const prior_case PRIOR[] = {
    {{0.01, 0.002, 0.05, 0.0004, 0.03, 0.008, 0.1, 0.0009}, {1.0, 2.0, 1.0, 3.0, 2.0, 1.0, 4.0, 2.0}, 8, 1.8838229343414055, 0.008602424791707081},
    {{0.004, 0.0041, 0.0039}, {2.0, 2.0, 2.0}, 3, -1.0, 0.007122805135624429},
    {{0.016782, 0.015434, 0.015347, 0.008203, 0.0346, 0.000227, 0.024665, 0.011102, 0.007194, 0.015033, 0.016127, 0.006304, 0.018874, 0.00389, 0.006636, 0.000876, 0.024744, 0.011299, 0.012071, 0.00342, 0.008515, 0.007574, 0.013247, 0.012355, 0.010992, 0.011598, 0.006337, 0.002981, 0.004357, 0.010178, 0.031587, 0.015774, 0.012686, 0.006883, 0.014922, 0.004647, 0.004299, 0.006157, 0.015081, 0.008288}, {3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0}, 40, -1.0, 0.012618668409720667},
    {{0.0001, 0.2, 0.003, 0.05, 0.0007, 0.3}, {1.0, 1.0, 1.0, 1.0, 1.0, 1.0}, 6, 0.9260859253971447, 0.00822859247695208},
};

static void test_student_t(void)
{
    for (size_t i = 0; i < sizeof TDIST / sizeof *TDIST; i++) {
        const t_case *c = &TDIST[i];
        CHECK(fabs(stats_t_cdf(c->x, c->df) - c->cdf) < 1e-10);
        CHECK(fabs(stats_t_quantile(0.975, c->df) - c->q975) < 1e-8 * c->q975);
        CHECK(fabs(stats_t_quantile(c->cdf, c->df) - c->x) < 1e-7);
    }
    CHECK(fabs(stats_t_quantile(0.975, INFINITY) - 1.959963984540054) < 1e-9);
}

static void test_prior(void)
{
    for (size_t i = 0; i < sizeof PRIOR / sizeof *PRIOR; i++) {
        const prior_case *c = &PRIOR[i];
        stats_prior p;
        CHECK(stats_prior_fit(c->var, c->df, c->n, &p) == 0 && p.rows == c->n);
        if (c->d0 < 0)
            CHECK(isinf(p.df));
        else
            CHECK(fabs(p.df - c->d0) < 1e-6 * c->d0);
        CHECK(fabs(p.var - c->s0) < 1e-8 * c->s0);
    }
    /* fewer than three rows with degrees of freedom: no prior; a row keeps its own variance */
    double v[] = {0.01, 0.02, 0.03}, d[] = {1, 0, 2};
    stats_prior p;
    CHECK(stats_prior_fit(v, d, 3, &p) == -1 && p.rows == 0);
    CHECK(stats_moderated_var(&p, 0.05, 1) == 0.05);
    /* moderation: the prior's df weigh as many rounds of evidence */
    stats_prior q = {.var = 0.01, .df = 3, .rows = 10};
    CHECK(CLOSE(stats_moderated_var(&q, 0.05, 1), (3 * 0.01 + 0.05) / 4));
    q.df = INFINITY;
    CHECK(stats_moderated_var(&q, 0.05, 1) == 0.01);
}

static void test_paired_rounds(void)
{
    /* two rounds of three: medians 11 and 21 against 5 and 10 */
    double ref[] = {10, 11, 12, 22, 21, 20}, row[] = {5, 5, 5, 10, 11, 9};
    stats_trimmed t;
    CHECK(stats_paired_rounds(ref, 3, row, 3, 2, &t) == 0);
    double d1 = log(11.0 / 5), d2 = log(21.0 / 10);
    CHECK(CLOSE(t.mean, (d1 + d2) / 2) && CLOSE(t.var, (d1 - d2) * (d1 - d2) / 2) && t.df == 1 && t.k == 2);
    double bad[] = {1, 0, 0, 2, 2, 2};
    CHECK(stats_paired_rounds(ref, 3, bad, 3, 2, &t) == -1); /* a median of 0 has no log */
    CHECK(stats_paired_rounds(ref, 3, row, 3, 0, &t) == -1);
    /* t on 1 degree of freedom without a prior: half-width t(0.975, 1) * sqrt(var / k) */
    stats_interval ci;
    stats_t_ratio(0.1, 0.01, 1, 2, NULL, 0.95, &ci);
    double h = 12.706204736174694 * sqrt(0.01 / 2);
    CHECK(CLOSE(ci.est, exp(0.1)) && CLOSE(ci.lo, exp(0.1 - h)) && CLOSE(ci.hi, exp(0.1 + h)) && ci.level == 0.95);
    /* with a prior of 3 degrees of freedom: the variance is moderated and t has 4 */
    stats_prior p = {.var = 0.04, .df = 3, .rows = 9};
    stats_t_ratio(0.1, 0.01, 1, 2, &p, 0.95, &ci);
    h = 2.7764451051977934 * sqrt((3 * 0.04 + 0.01) / 4 / 2);
    CHECK(CLOSE(ci.lo, exp(0.1 - h)) && CLOSE(ci.hi, exp(0.1 + h)));
    /* one round and no prior: no interval */
    stats_t_ratio(0.1, 0, 0, 1, NULL, 0.95, &ci);
    CHECK(ci.level == 0 && CLOSE(ci.est, exp(0.1)));
}

/* Yuen's trimmed mean against scipy.stats.trim_mean and mstats.winsorize (stats_reference.py):
 * below 5 values nothing is trimmed; one wild value of 10 moves nothing; ties winsorize to a
 * variance of 0. */
static const struct {
    double x[40];
    size_t n;
    double mean, var, df;
    size_t k;
} trim_cases[] = {
{{0.1, 0.3, -0.2, 0.05}, 4, 0.06249999999999999, 0.042291666666666665, 3, 4},
{{1.0, 2.0, 3.0, 4.0, 100.0}, 5, 3.0, 2.0, 2, 3},
{{0.01, 0.02, 0.0, -0.01, 0.03, 0.02, 5.0, 0.01, -0.02, 0.0}, 10, 0.01, 0.00016000000000000004, 5, 6},
{{3.0, 3.0, 3.0, 1.0, 3.0, 3.0, 7.0, 3.0}, 8, 3.0, 0.0, 5, 6},
{{-0.00981, -0.046206, 0.034101, 0.084573, 0.015871, 0.101762, 0.075728, 0.034826, -0.043012, 0.010444, -0.066959, 0.057547, 0.011937, 0.074943, 0.021012, -0.090214, 0.039384, 0.053724, 0.090461, -0.04129, -0.038783, 0.010595, -0.045426, -0.061587, -0.04763, 0.136484, -0.024971, -0.044551, -0.01659, 0.005628, 0.069865, 0.052504, 0.044608, 0.007358, 0.012954, -0.02681, -0.070213, 0.106967, -0.017819, 0.055623}, 40, 0.010376291666666667, 0.0027966777650858697, 23, 24},
};

static void test_trimmed(void)
{
    for (size_t i = 0; i < sizeof trim_cases / sizeof trim_cases[0]; i++) {
        stats_trimmed t;
        CHECK(stats_trimmed_mean(trim_cases[i].x, trim_cases[i].n, STATS_TRIM, &t) == 0);
        CHECK(CLOSE(t.mean, trim_cases[i].mean) && CLOSE(t.var, trim_cases[i].var) && t.df == trim_cases[i].df &&
              t.k == trim_cases[i].k);
    }
    /* Yuen-Welch t of case 3 against yb: scipy.stats.ttest_ind(trim=0.2, equal_var=False) */
    const double yb[] = {0.5, 0.4, 0.45, 0.6, 0.5, 0.55, 0.4, 0.5, 0.45, 0.5};
    stats_trimmed a, b;
    CHECK(stats_trimmed_mean(trim_cases[2].x, trim_cases[2].n, STATS_TRIM, &a) == 0 &&
          stats_trimmed_mean(yb, 10, STATS_TRIM, &b) == 0);
    CHECK(CLOSE((a.mean - b.mean) / sqrt(a.var / (double)a.k + b.var / (double)b.k), -31.439328436673385));
    stats_trimmed none;
    CHECK(stats_trimmed_mean(yb, 0, STATS_TRIM, &none) == -1);
}

int main(void)
{
    test_median_ci();
    test_mann_whitney();
    test_ratio_ci();
    test_bootstrap_geomean();
    test_rounds();
    test_student_t();
    test_prior();
    test_paired_rounds();
    test_trimmed();
    return check_done("test_stats");
}
