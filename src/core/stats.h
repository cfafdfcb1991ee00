/* Robust summary statistics of timing samples (nanoseconds). Pure functions, no allocation
 * visible to the caller. */
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

/* Summarises n samples (n may be 0: everything is 0). Returns -1 only if out of memory. */
int stats_summarize(const double *samples, size_t n, stats_summary *out);
double stats_median(double *v, size_t n); /* sorts v in place */

#endif
