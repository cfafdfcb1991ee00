/* Statistics of timing samples (nanoseconds): robust summaries, confidence intervals and the
 * tests ladder's verdicts rest on. Pure functions: inputs are never modified, scratch memory is
 * allocated and freed inside, and -1 means out of memory or unusable input (e.g. a sample <= 0
 * where logarithms are taken). docs/METHODOLOGY.md says why each method was chosen. */
#ifndef LADDER_STATS_H
#define LADDER_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    size_t n;
    double median, mad, min, max, mean;
    double rel_spread;   /* MAD / median */
    size_t outliers;     /* samples further than 3 scaled MADs from the median */
    bool noisy;          /* rel_spread above STATS_NOISY_REL, or any outlier */
} stats_summary;

#define STATS_NOISY_REL 0.05
/* The confidence every interval aims at. Small samples cannot reach it: they get the widest
 * interval they have, and its real level says so. */
#define STATS_CONFIDENCE 0.95

/* Summarises n samples (n may be 0: everything is 0). Returns -1 only if out of memory. */
int stats_summarize(const double *samples, size_t n, stats_summary *out);
double stats_median(double *v, size_t n); /* sorts v in place */

/* An estimate with its interval; level is the confidence the interval really has (it may be
 * below the one asked for, or above it: order statistics come in steps). level 0: no interval. */
typedef struct {
    double est, lo, hi, level;
} stats_interval;

/* True when the interval says the ratio differs from 1 (lo > 1 or hi < 1). */
bool stats_interval_excludes_one(const stats_interval *ci);

/* The median of n samples with the distribution-free order-statistic interval
 * [x(k), x(n+1-k)], k the largest with 2 P(Binomial(n, 1/2) <= k-1) <= 1 - conf. For n < 6 no
 * k reaches 95%: the interval is [min, max] at its level 1 - 2^(1-n) (75% for n = 3). */
int stats_median_ci(const double *samples, size_t n, double conf, stats_interval *out);

/* P(U <= u) for the Mann-Whitney U statistic of samples of sizes n and m without ties, exact
 * (the count of partitions of u into at most n parts of at most m). -1 when n or m exceeds
 * STATS_MWU_EXACT_MAX or out of memory. */
#define STATS_MWU_EXACT_MAX 50
double stats_mwu_cdf(size_t n, size_t m, size_t u);

/* The two-sided Mann-Whitney U test of x against y. u is U of x (pairs x > y, ties counting
 * one half). Exact when both samples have at most STATS_MWU_EXACT_MAX values and no value is
 * shared; otherwise the normal approximation with the tie correction and a continuity
 * correction (SciPy's mannwhitneyu, method "exact" and "asymptotic"). */
typedef struct {
    double u, p;
    bool exact;
} stats_mwu;
int stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny, stats_mwu *out);

/* The ratio x/y of two samples of times: est is median(x) / median(y); lo and hi are the
 * Hodges-Lehmann (Moses) interval of the scale shift: order statistics d(k), d(nm+1-k) of the
 * nm pairwise log(x_i) - log(y_j), exponentiated, k from the exact distribution of U (the
 * normal one beyond STATS_MWU_EXACT_MAX). It excludes 1 exactly when the two-sided
 * Mann-Whitney test at the same level rejects. Samples above 500 values are thinned to 500
 * evenly spaced order statistics first. 3 against 3 reach 90% at most. */
int stats_ratio_ci(const double *x, size_t nx, const double *y, size_t ny, double conf, stats_interval *out);

/* The ratio of ratios (median(a)/median(b)) / (median(c)/median(d)) with a percentile
 * bootstrap interval (reps resamples of each sample, a splitmix64 stream from seed: the same
 * inputs give the same interval). For comparing speedups measured on two machines. */
int stats_bootstrap_ratio2(const double *a, size_t na, const double *b, size_t nb, const double *c, size_t nc,
                           const double *d, size_t nd, double conf, unsigned reps, uint64_t seed,
                           stats_interval *out);

/* The geometric mean of n ratios with an interval for it: each ratio's log half-widths become
 * standard errors through the normal quantile of its own level, combined as independent
 * (root sum of squares / n) on each side, and widened by the normal quantile of conf. The
 * interval is about measurement error with the problems held fixed. n = 0: all zero. */
int stats_geomean_ci(const stats_interval *items, size_t n, double conf, stats_interval *out);

/* The next number of a splitmix64 stream (the bootstrap's and the rounds' shuffles). */
uint64_t stats_splitmix64(uint64_t *state);

/* Fisher-Yates over order[0..n) drawing from the splitmix64 stream *state: the same state gives
 * the same permutation, so a run's order is reproduced from its recorded seed. */
void stats_shuffle(size_t *order, size_t n, uint64_t *state);

/* The standard normal quantile (|error| < 1e-9 over (1e-12, 1 - 1e-12)). */
double stats_normal_quantile(double p);

/* Rounds: samples pooled in round order, per_round from each of nrounds rounds. spread is the
 * range of the rounds' medians over the pooled median; within the median over rounds of each
 * round's own range over the pooled median. disagree: at least 2 rounds of at least 2 samples,
 * and spread above both 2 x within and 1%. */
typedef struct {
    size_t nrounds;
    double spread, within;
    bool disagree;
} stats_rounds;
int stats_rounds_check(const double *samples, size_t per_round, size_t nrounds, stats_rounds *out);

/* Student's t distribution with df degrees of freedom (df may be INFINITY: the normal). */
double stats_t_cdf(double t, double df);
double stats_t_quantile(double p, double df);

/* Empirical-Bayes pooling of many rows' variances (Smyth 2004, limma's fitFDist by moments):
 * each row's sample variance var[i] on df[i] degrees of freedom (rows with df 0 are skipped,
 * variances below STATS_VAR_FLOOR count as the floor) is taken as a scaled chi-square draw around
 * a common prior variance var with df prior degrees of freedom; df INFINITY when the rows'
 * variances are no more spread than chance alone would make them. -1 with fewer than 3 rows. */
#define STATS_VAR_FLOOR 1e-12
typedef struct {
    double var, df;
    size_t rows;
} stats_prior;
int stats_prior_fit(const double *var, const double *df, size_t n, stats_prior *out);
/* A row's variance moderated toward the prior: (df0 var0 + df var) / (df0 + df), to be used with
 * df0 + df degrees of freedom. Without a prior (NULL or no rows) the row's own variance. */
double stats_moderated_var(const stats_prior *prior, double var, double df);

/* A location a few wild processes do not move (a round that shared the CPU with a compiler
 * is 2-5x slow, and one such round in 40 decides a mean): Yuen's trimmed mean of x[0..n), the
 * mean of what is left after the g = floor(STATS_TRIM * n) smallest and largest values are
 * removed. var is what the existing Student-t machinery takes as one value's variance, so var / k
 * is the squared standard error: var = (n - 1) s_w^2 / (h - 1), s_w^2 the variance of x
 * winsorized at the same g, on df = h - 1 degrees of freedom, k = h = n - 2g (Wilcox,
 * "Introduction to Robust Estimation", 4th ed., 4.3). Below 5 values g = 0: the mean and the
 * sample variance on n - 1. -1 when n is 0 or out of memory. */
#define STATS_TRIM 0.2
typedef struct {
    double mean, var, df;
    size_t k;
} stats_trimmed;
int stats_trimmed_mean(const double *x, size_t n, double trim, stats_trimmed *out);

/* Two rows that ran once in each of k rounds (per_ref and per_row samples a round, pooled in
 * round order): d = log median(ref's round) - log median(row's round) per round, whose trimmed
 * mean (STATS_TRIM) and its variance describe log(ref / row) with the round's drift cancelled.
 * -1 when a median is <= 0, k or a count is 0, or out of memory. */
int stats_paired_rounds(const double *ref, size_t per_ref, const double *row, size_t per_row, size_t k,
                        stats_trimmed *out);
/* exp(mean) with the Student-t interval of a mean of k values whose variance var (on df degrees
 * of freedom) is moderated toward prior (may be NULL); level 0 without degrees of freedom. */
void stats_t_ratio(double mean, double var, double df, size_t k, const stats_prior *prior, double conf,
                   stats_interval *out);

#endif
