#include "report/fmt.h"

#include <stdio.h>
#include <string.h>

void fmt_ns(double ns, char *out, size_t cap)
{
    if (ns >= 1e9)
        snprintf(out, cap, "%.*f s", ns >= 1e11 ? 0 : ns >= 1e10 ? 1 : 2, ns / 1e9);
    else if (ns >= 1e6)
        snprintf(out, cap, "%.*f ms", ns >= 1e8 ? 0 : ns >= 1e7 ? 1 : 2, ns / 1e6);
    else if (ns >= 1e3)
        snprintf(out, cap, "%.*f µs", ns >= 1e5 ? 0 : ns >= 1e4 ? 1 : 2, ns / 1e3);
    else
        snprintf(out, cap, "%.0f ns", ns);
}

void fmt_ratio(double x, char *out, size_t cap)
{
    if (x <= 0)
        snprintf(out, cap, "—");
    else if (x >= 100)
        snprintf(out, cap, "%.0fx", x);
    else if (x >= 10)
        snprintf(out, cap, "%.1fx", x);
    else
        snprintf(out, cap, "%.2fx", x);
}

void fmt_rss(long kb, char *out, size_t cap)
{
    if (kb <= 0)
        snprintf(out, cap, "—");
    else if (kb >= 1024 * 1024)
        snprintf(out, cap, "%.2f GiB", kb / 1048576.0);
    else
        snprintf(out, cap, "%.1f MiB", kb / 1024.0);
}

void fmt_bytes(double b, char *out, size_t cap)
{
    if (b < 0)
        snprintf(out, cap, "—");
    else if (b < 1024)
        snprintf(out, cap, "%.0f B", b);
    else if (b < 1024.0 * 1024)
        snprintf(out, cap, "%.1f KiB", b / 1024);
    else if (b < 1024.0 * 1024 * 1024)
        snprintf(out, cap, "%.2f MiB", b / (1024.0 * 1024));
    else
        snprintf(out, cap, "%.2f GiB", b / (1024.0 * 1024 * 1024));
}

static const char *rate_unit(double v, double *scale)
{
    static const char *const units[] = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
    size_t i = 0;
    *scale = 1;
    while (i + 1 < sizeof units / sizeof units[0] && v >= *scale * 1000)
        *scale *= 1000, i++;
    return units[i];
}

static void rate_digits(double v, char *out, size_t cap)
{
    snprintf(out, cap, "%.*f", v >= 100 ? 0 : v >= 10 ? 1 : 2, v);
}

void fmt_rate(double b, char *out, size_t cap)
{
    if (!(b > 0)) {
        snprintf(out, cap, "—");
        return;
    }
    double scale;
    const char *unit = rate_unit(b, &scale);
    char d[32];
    rate_digits(b / scale, d, sizeof d);
    snprintf(out, cap, "%s %s", d, unit);
}

void fmt_rate_ci(double bytes, const stats_interval *ci, char *out, size_t cap)
{
    if (!(bytes > 0) || ci->level <= 0 || ci->lo <= 0 || ci->hi <= 0) {
        snprintf(out, cap, "—");
        return;
    }
    double lo = bytes / ci->hi * 1e9, hi = bytes / ci->lo * 1e9, scale;
    const char *unit = rate_unit(hi, &scale);
    char a[32], b[32];
    rate_digits(lo / scale, a, sizeof a);
    rate_digits(hi / scale, b, sizeof b);
    snprintf(out, cap, "%s–%s %s", a, b, unit);
}

void fmt_ms(double v, char *out, size_t cap)
{
    if (v >= 100)
        snprintf(out, cap, "%.1f", v);
    else if (v >= 1)
        snprintf(out, cap, "%.2f", v);
    else
        snprintf(out, cap, "%.3f", v);
}

/* A ratio's digits without the "x": the precision fmt_ratio would use for est, and three
 * significant digits below 0.1 (where fmt_ratio's 0.00x would say nothing). */
static void ratio_digits(double x, double est, char *out, size_t cap)
{
    if (est < 0.1)
        snprintf(out, cap, "%.3g", x);
    else
        snprintf(out, cap, "%.*f", est >= 100 ? 0 : est >= 10 ? 1 : 2, x);
}

void fmt_interval(const stats_interval *ci, char *out, size_t cap)
{
    char r[32], lo[32], hi[32];
    if (ci->est > 0 && ci->est < 0.1) {
        ratio_digits(ci->est, ci->est, r, sizeof r - 1);
        strcat(r, "x");
    } else {
        fmt_ratio(ci->est, r, sizeof r);
    }
    if (ci->est <= 0 || ci->level <= 0) {
        snprintf(out, cap, "%s", r);
        return;
    }
    ratio_digits(ci->lo, ci->est, lo, sizeof lo);
    ratio_digits(ci->hi, ci->est, hi, sizeof hi);
    snprintf(out, cap, "%s (%s–%s)", r, lo, hi);
}

void fmt_speedup_ci(const stats_interval *ci, char *out, size_t cap)
{
    if (ci->est > 0 && ci->level > 0 && !stats_interval_excludes_one(ci))
        snprintf(out, cap, "no significant difference");
    else
        fmt_interval(ci, out, cap);
}

void fmt_ns_ci(const stats_interval *ci, char *out, size_t cap)
{
    if (ci->level <= 0 || ci->est <= 0) {
        snprintf(out, cap, "—");
        return;
    }
    char lo[32], hi[32];
    fmt_ns(ci->lo, lo, sizeof lo);
    fmt_ns(ci->hi, hi, sizeof hi);
    snprintf(out, cap, "%s–%s", lo, hi);
}
