#include "report/fmt.h"

#include <stdio.h>

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

void fmt_ms(double v, char *out, size_t cap)
{
    if (v >= 100)
        snprintf(out, cap, "%.1f", v);
    else if (v >= 1)
        snprintf(out, cap, "%.2f", v);
    else
        snprintf(out, cap, "%.3f", v);
}
