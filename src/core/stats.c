#include "core/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double stats_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int stats_summarize(const double *samples, size_t n, stats_summary *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n == 0)
        return 0;
    double *v = malloc(n * sizeof *v);
    if (!v)
        return -1;
    memcpy(v, samples, n * sizeof *v);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    out->mean = sum / (double)n;
    out->median = stats_median(v, n);
    out->min = v[0];
    out->max = v[n - 1];
    for (size_t i = 0; i < n; i++)
        v[i] = fabs(samples[i] - out->median);
    out->mad = stats_median(v, n);
    free(v);
    out->rel_spread = out->median > 0 ? out->mad / out->median : 0;
    /* 1.4826 * MAD estimates the standard deviation of normal noise; a zero MAD (e.g. two equal
     * samples of three) must not flag every other sample, so the band never shrinks below 1%. */
    double band = 3 * fmax(1.4826 * out->mad, 0.01 * out->median);
    for (size_t i = 0; i < n; i++)
        if (fabs(samples[i] - out->median) > band)
            out->outliers++;
    out->noisy = out->rel_spread > STATS_NOISY_REL || out->outliers > 0;
    return 0;
}

uint64_t stats_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void stats_shuffle(size_t *order, size_t n, uint64_t *state)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(stats_splitmix64(state) % i);
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
}

bool stats_interval_excludes_one(const stats_interval *ci)
{
    return ci->level > 0 && (ci->lo > 1 || ci->hi < 1);
}

static double *sorted_copy(const double *v, size_t n)
{
    double *c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        return NULL;
    if (n)
        memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp_double);
    return c;
}

static double median_sorted(const double *v, size_t n)
{
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* P(Binomial(n, 1/2) = i), in logs so that large n neither overflows nor underflows early. */
static double binom_half_pmf(size_t n, size_t i)
{
    return exp(lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) - (double)n * log(2.0));
}

int stats_median_ci(const double *samples, size_t n, double conf, stats_interval *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return 0;
    double *v = sorted_copy(samples, n);
    if (!v)
        return -1;
    double half_alpha = (1 - conf) / 2;
    /* k (1-based): the interval is [v(k), v(n+1-k)]; cdf = P(B <= k-1). */
    size_t k = 1;
    double cdf = binom_half_pmf(n, 0);
    while (k < (n + 1) / 2) {
        double next = cdf + binom_half_pmf(n, k);
        if (next > half_alpha)
            break;
        cdf = next;
        k++;
    }
    out->est = median_sorted(v, n);
    out->lo = v[k - 1];
    out->hi = v[n - k];
    out->level = fmax(0, 1 - 2 * cdf);
    free(v);
    return 0;
}

/* counts[u] for u in [0, umax]: the number of the C(n+m, n) arrangements with U = u, i.e. the
 * partitions of u into at most n parts of at most m. dp[j][v]: partitions of v into j parts. */
static int mwu_counts(size_t n, size_t m, size_t umax, double *counts)
{
    size_t w = umax + 1;
    double *dp = calloc((n + 1) * w, sizeof *dp);
    if (!dp)
        return -1;
    dp[0] = 1;
    for (size_t s = 1; s <= m && s <= umax; s++)
        for (size_t j = 1; j <= n; j++)
            for (size_t v = s; v < w; v++)
                dp[j * w + v] += dp[(j - 1) * w + v - s];
    for (size_t v = 0; v < w; v++) {
        counts[v] = 0;
        for (size_t j = 0; j <= n; j++)
            counts[v] += dp[j * w + v];
    }
    free(dp);
    return 0;
}

static double choose(size_t n, size_t k)
{
    double c = 1;
    for (size_t i = 1; i <= k; i++)
        c = c * (double)(n - k + i) / (double)i;
    return c;
}

double stats_mwu_cdf(size_t n, size_t m, size_t u)
{
    if (n > STATS_MWU_EXACT_MAX || m > STATS_MWU_EXACT_MAX)
        return -1;
    size_t nm = n * m;
    if (u >= nm)
        return 1;
    if (2 * u > nm) /* symmetric about nm/2 */
        return 1 - stats_mwu_cdf(n, m, nm - u - 1);
    double *c = malloc((u + 1) * sizeof *c);
    if (!c || mwu_counts(n, m, u, c)) {
        free(c);
        return -1;
    }
    double sum = 0;
    for (size_t v = 0; v <= u; v++)
        sum += c[v];
    free(c);
    return sum / choose(n + m, n);
}

typedef struct {
    double v;
    int from_x;
} tagged;

static int cmp_tagged(const void *a, const void *b)
{
    return cmp_double(&((const tagged *)a)->v, &((const tagged *)b)->v);
}

int stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny, stats_mwu *out)
{
    memset(out, 0, sizeof *out);
    out->p = 1;
    if (nx == 0 || ny == 0)
        return 0;
    size_t N = nx + ny;
    tagged *t = malloc(N * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < nx; i++)
        t[i] = (tagged){x[i], 1};
    for (size_t j = 0; j < ny; j++)
        t[nx + j] = (tagged){y[j], 0};
    qsort(t, N, sizeof *t, cmp_tagged);
    double rank_x = 0, tie_term = 0;
    for (size_t i = 0; i < N;) {
        size_t j = i;
        while (j < N && t[j].v == t[i].v)
            j++;
        double avg = ((double)i + 1 + (double)j) / 2; /* ranks i+1 .. j */
        for (size_t q = i; q < j; q++)
            if (t[q].from_x)
                rank_x += avg;
        double len = (double)(j - i);
        tie_term += len * len * len - len;
        i = j;
    }
    free(t);
    double nm = (double)nx * (double)ny;
    out->u = rank_x - (double)nx * ((double)nx + 1) / 2;
    double umax = fmax(out->u, nm - out->u);
    if (tie_term == 0 && nx <= STATS_MWU_EXACT_MAX && ny <= STATS_MWU_EXACT_MAX) {
        double cdf = stats_mwu_cdf(nx, ny, (size_t)(nm - umax + 0.5));
        if (cdf < 0)
            return -1;
        out->exact = true;
        out->p = fmin(1, 2 * cdf);
        return 0;
    }
    double Nd = (double)N;
    double s = sqrt(nm / 12 * ((Nd + 1) - tie_term / (Nd * (Nd - 1))));
    if (s <= 0)
        return 0;
    double z = (umax - nm / 2 - 0.5) / s;
    out->p = fmin(1, erfc(z / sqrt(2.0)));
    return 0;
}

/* At most max values of the sorted v: evenly spaced order statistics (v itself when it fits). */
static size_t thin(double *v, size_t n, size_t max)
{
    if (n <= max)
        return n;
    for (size_t i = 0; i < max; i++)
        v[i] = v[(size_t)((double)i * (double)(n - 1) / (double)(max - 1) + 0.5)];
    return max;
}

#define STATS_THIN 500

int stats_ratio_ci(const double *x, size_t nx, const double *y, size_t ny, double conf, stats_interval *out)
{
    memset(out, 0, sizeof *out);
    if (nx == 0 || ny == 0)
        return 0;
    double *a = sorted_copy(x, nx), *b = sorted_copy(y, ny);
    double *d = NULL;
    int rc = -1;
    if (!a || !b || a[0] <= 0 || b[0] <= 0)
        goto out;
    out->est = median_sorted(a, nx) / median_sorted(b, ny);
    size_t n = thin(a, nx, STATS_THIN), m = thin(b, ny, STATS_THIN), nm = n * m;
    d = malloc(nm * sizeof *d);
    if (!d)
        goto out;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            d[i * m + j] = log(a[i]) - log(b[j]);
    qsort(d, nm, sizeof *d, cmp_double);
    double half_alpha = (1 - conf) / 2;
    size_t k = 1; /* 1-based: [d(k), d(nm+1-k)], level 1 - 2 P(U <= k-1) */
    if (n <= STATS_MWU_EXACT_MAX && m <= STATS_MWU_EXACT_MAX) {
        size_t umax = nm / 2;
        double *c = malloc((umax + 1) * sizeof *c);
        if (!c || mwu_counts(n, m, umax, c)) {
            free(c);
            goto out;
        }
        double total = choose(n + m, n), cdf = c[0] / total;
        while (k <= umax && cdf + c[k] / total <= half_alpha)
            cdf += c[k++] / total;
        free(c);
        out->level = fmax(0, 1 - 2 * cdf);
    } else {
        double sd = sqrt((double)nm * (double)(n + m + 1) / 12);
        double kk = floor((double)nm / 2 - stats_normal_quantile(1 - half_alpha) * sd);
        k = kk < 1 ? 1 : (size_t)kk;
        out->level = 1 - erfc(((double)nm / 2 - ((double)k - 0.5)) / sd / sqrt(2.0));
    }
    out->lo = exp(d[k - 1]);
    out->hi = exp(d[nm - k]);
    rc = 0;
out:
    free(a);
    free(b);
    free(d);
    return rc;
}

static double resampled_median(const double *v, size_t n, double *scratch, uint64_t *rng)
{
    for (size_t i = 0; i < n; i++)
        scratch[i] = v[stats_splitmix64(rng) % n];
    qsort(scratch, n, sizeof *scratch, cmp_double);
    return median_sorted(scratch, n);
}

int stats_bootstrap_ratio2(const double *a, size_t na, const double *b, size_t nb, const double *c, size_t nc,
                           const double *d, size_t nd, double conf, unsigned reps, uint64_t seed,
                           stats_interval *out)
{
    memset(out, 0, sizeof *out);
    if (!na || !nb || !nc || !nd || reps < 2)
        return 0;
    const double *in[4] = {a, b, c, d};
    size_t n[4] = {na, nb, nc, nd};
    double *s[4] = {0}, med[4], *scratch = malloc(STATS_THIN * sizeof *scratch), *ratios = malloc(reps * sizeof *ratios);
    int rc = -1;
    if (!scratch || !ratios)
        goto out;
    for (int i = 0; i < 4; i++) {
        if (!(s[i] = sorted_copy(in[i], n[i])) || s[i][0] <= 0)
            goto out;
        med[i] = median_sorted(s[i], n[i]);
        n[i] = thin(s[i], n[i], STATS_THIN);
    }
    out->est = (med[0] / med[1]) / (med[2] / med[3]);
    uint64_t rng = seed;
    for (unsigned r = 0; r < reps; r++) {
        double m[4];
        for (int i = 0; i < 4; i++)
            m[i] = resampled_median(s[i], n[i], scratch, &rng);
        ratios[r] = (m[0] / m[1]) / (m[2] / m[3]);
    }
    qsort(ratios, reps, sizeof *ratios, cmp_double);
    double half_alpha = (1 - conf) / 2;
    out->lo = ratios[(size_t)floor(half_alpha * (reps - 1))];
    out->hi = ratios[(size_t)ceil((1 - half_alpha) * (reps - 1))];
    out->level = conf;
    rc = 0;
out:
    for (int i = 0; i < 4; i++)
        free(s[i]);
    free(scratch);
    free(ratios);
    return rc;
}

double stats_normal_quantile(double p)
{
    /* Acklam's rational approximation, then one Halley step on erfc. */
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01,  -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (p <= 0)
        return -INFINITY;
    if (p >= 1)
        return INFINITY;
    double q, r, x;
    if (p < 0.02425) {
        q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p > 1 - 0.02425) {
        q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        q = p - 0.5;
        r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
    double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

int stats_geomean_ci(const stats_interval *items, size_t n, double conf, stats_interval *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return 0;
    double sum = 0, var_lo = 0, var_hi = 0;
    bool intervals = true;
    for (size_t i = 0; i < n; i++) {
        const stats_interval *it = &items[i];
        if (it->est <= 0)
            return -1;
        double L = log(it->est);
        sum += L;
        if (it->level <= 0 || it->lo <= 0 || it->hi <= 0) {
            intervals = false;
            continue;
        }
        double z = stats_normal_quantile(0.5 + it->level / 2);
        double lo = fmax(0, L - log(it->lo)) / z, hi = fmax(0, log(it->hi) - L) / z;
        var_lo += lo * lo;
        var_hi += hi * hi;
    }
    double mean = sum / (double)n, z = stats_normal_quantile(0.5 + conf / 2);
    out->est = exp(mean);
    if (!intervals) {
        out->lo = out->hi = out->est;
        return 0;
    }
    out->lo = exp(mean - z * sqrt(var_lo) / (double)n);
    out->hi = exp(mean + z * sqrt(var_hi) / (double)n);
    out->level = conf;
    return 0;
}

int stats_rounds_check(const double *samples, size_t per_round, size_t nrounds, stats_rounds *out)
{
    memset(out, 0, sizeof *out);
    out->nrounds = nrounds;
    if (nrounds == 0 || per_round == 0)
        return 0;
    double *all = sorted_copy(samples, per_round * nrounds);
    double *meds = malloc(nrounds * sizeof *meds), *ranges = malloc(nrounds * sizeof *ranges);
    double *one = malloc(per_round * sizeof *one);
    int rc = -1;
    if (!all || !meds || !ranges || !one)
        goto out;
    double pooled = median_sorted(all, per_round * nrounds);
    if (pooled <= 0) {
        rc = 0;
        goto out;
    }
    for (size_t r = 0; r < nrounds; r++) {
        memcpy(one, samples + r * per_round, per_round * sizeof *one);
        qsort(one, per_round, sizeof *one, cmp_double);
        meds[r] = median_sorted(one, per_round);
        ranges[r] = one[per_round - 1] - one[0];
    }
    qsort(meds, nrounds, sizeof *meds, cmp_double);
    qsort(ranges, nrounds, sizeof *ranges, cmp_double);
    out->spread = (meds[nrounds - 1] - meds[0]) / pooled;
    out->within = median_sorted(ranges, nrounds) / pooled;
    out->disagree = nrounds >= 2 && per_round >= 2 && out->spread > 2 * out->within && out->spread > 0.01;
    rc = 0;
out:
    free(all);
    free(meds);
    free(ranges);
    free(one);
    return rc;
}

/* The regularized incomplete beta I_x(a, b) by its continued fraction (modified Lentz), on the
 * side of x where it converges fast. */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    d = 1 / (fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 500; m++) {
        for (int odd = 0; odd < 2; odd++) {
            double num = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                             : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + num * d;
            d = 1 / (fabs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            if (fabs(c) < tiny)
                c = tiny;
            h *= d * c;
            if (odd && fabs(d * c - 1) < 1e-15)
                return h;
        }
    }
    return h;
}

static double beta_inc(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_cf(a, b, x) / a;
    return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double stats_t_cdf(double t, double df)
{
    if (isinf(df))
        return 0.5 * erfc(-t / sqrt(2));
    double tail = 0.5 * beta_inc(df / 2, 0.5, df / (df + t * t));
    return t > 0 ? 1 - tail : tail;
}

double stats_t_quantile(double p, double df)
{
    if (isinf(df))
        return stats_normal_quantile(p);
    if (p == 0.5)
        return 0;
    double lo = -1, hi = 1;
    while (stats_t_cdf(lo, df) > p)
        lo *= 2;
    while (stats_t_cdf(hi, df) < p)
        hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * fmax(1, fabs(lo)); i++) {
        double mid = (lo + hi) / 2;
        if (stats_t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* digamma and trigamma: the recurrence up to 6, then the asymptotic series. */
static double digamma(double x)
{
    double r = 0;
    for (; x < 6; x++)
        r -= 1 / x;
    double f = 1 / (x * x);
    return r + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
}

static double trigamma(double x)
{
    double r = 0;
    for (; x < 6; x++)
        r += 1 / (x * x);
    double f = 1 / (x * x);
    return r + 1 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));
}

static double tetragamma(double x)
{
    double r = 0;
    for (; x < 6; x++)
        r -= 2 / (x * x * x);
    double f = 1 / (x * x);
    return r - f - f / x - f * f / 2 + f * f * f * (1.0 / 6 - f * (1.0 / 6 - f * (3.0 / 10 - f * 5 / 6)));
}

/* The y with trigamma(y) = x, by Newton's method from 0.5 + 1/x (Smyth 2004, as limma does). */
static double trigamma_inverse(double x)
{
    if (x > 1e7)
        return 1 / sqrt(x);
    if (x < 1e-6)
        return 1 / x;
    double y = 0.5 + 1 / x;
    for (int i = 0; i < 100; i++) {
        double tri = trigamma(y), step = tri * (1 - tri / x) / tetragamma(y);
        y += step;
        if (-step / y < 1e-8)
            break;
    }
    return y;
}

int stats_prior_fit(const double *var, const double *df, size_t n, stats_prior *out)
{
    memset(out, 0, sizeof *out);
    size_t k = 0;
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        if (df[i] > 0) {
            mean += log(fmax(var[i], STATS_VAR_FLOOR)) - digamma(df[i] / 2) + log(df[i] / 2);
            k++;
        }
    if (k < 3)
        return -1;
    mean /= (double)k;
    double ss = 0, tri = 0;
    for (size_t i = 0; i < n; i++)
        if (df[i] > 0) {
            double e = log(fmax(var[i], STATS_VAR_FLOOR)) - digamma(df[i] / 2) + log(df[i] / 2) - mean;
            ss += e * e;
            tri += trigamma(df[i] / 2);
        }
    double evar = ss / (double)(k - 1) - tri / (double)k;
    out->rows = k;
    if (evar <= 0) {
        out->df = INFINITY;
        out->var = exp(mean);
    } else {
        out->df = 2 * trigamma_inverse(evar);
        out->var = exp(mean + digamma(out->df / 2) - log(out->df / 2));
    }
    return 0;
}

double stats_moderated_var(const stats_prior *prior, double var, double df)
{
    if (!prior || prior->rows == 0)
        return var;
    if (isinf(prior->df))
        return prior->var;
    return (prior->df * prior->var + df * var) / (prior->df + df);
}

int stats_trimmed_mean(const double *x, size_t n, double trim, stats_trimmed *out)
{
    if (n == 0)
        return -1;
    double *v = malloc(n * sizeof *v);
    if (!v)
        return -1;
    memcpy(v, x, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    size_t g = n >= 5 ? (size_t)floor(trim * (double)n) : 0, h = n - 2 * g;
    double sum = 0, wsum = 0;
    for (size_t i = g; i < n - g; i++)
        sum += v[i];
    for (size_t i = 0; i < n; i++) /* winsorized: the trimmed ends take the nearest kept value */
        wsum += v[i < g ? g : i >= n - g ? n - g - 1 : i];
    double wmean = wsum / (double)n, ss = 0;
    for (size_t i = 0; i < n; i++) {
        double w = v[i < g ? g : i >= n - g ? n - g - 1 : i];
        ss += (w - wmean) * (w - wmean);
    }
    free(v);
    out->mean = sum / (double)h;
    out->k = h;
    out->df = (double)h - 1;
    out->var = h > 1 ? ss / (double)(h - 1) : 0; /* (n - 1) s_w^2 / (h - 1), s_w^2 = ss / (n - 1) */
    return 0;
}

int stats_paired_rounds(const double *ref, size_t per_ref, const double *row, size_t per_row, size_t k,
                        stats_trimmed *out)
{
    if (k == 0 || per_ref == 0 || per_row == 0)
        return -1;
    double *v = malloc((per_ref > per_row ? per_ref : per_row) * sizeof *v), *d = malloc(k * sizeof *d);
    int rc = v && d ? 0 : -1;
    for (size_t r = 0; !rc && r < k; r++) {
        memcpy(v, ref + r * per_ref, per_ref * sizeof *v);
        double a = stats_median(v, per_ref);
        memcpy(v, row + r * per_row, per_row * sizeof *v);
        double b = stats_median(v, per_row);
        if (!(a > 0) || !(b > 0))
            rc = -1;
        else
            d[r] = log(a) - log(b);
    }
    if (!rc)
        rc = stats_trimmed_mean(d, k, STATS_TRIM, out);
    free(v);
    free(d);
    return rc;
}

void stats_t_ratio(double mean, double var, double df, size_t k, const stats_prior *prior, double conf,
                   stats_interval *out)
{
    double v = stats_moderated_var(prior, var, df), dft = prior && prior->rows ? df + prior->df : df;
    if (!(dft > 0) || k == 0) {
        *out = (stats_interval){exp(mean), 0, 0, 0};
        return;
    }
    double h = stats_t_quantile(0.5 + conf / 2, dft) * sqrt(v / (double)k);
    *out = (stats_interval){exp(mean), exp(mean - h), exp(mean + h), conf};
}
