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
