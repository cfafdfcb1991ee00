/* Number formatting shared by every report section. Leaf module: writes into out (cap bytes). */
#ifndef LADDER_REPORT_FMT_H
#define LADDER_REPORT_FMT_H

#include <stddef.h>

#include "core/stats.h"

/* Nanoseconds as "1.23 s", "45.6 ms", "789 µs" or "12 ns". */
void fmt_ns(double ns, char *out, size_t cap);
/* A speed ratio as "123x", "12.3x", "1.23x"; "—" when x <= 0 (not comparable). */
void fmt_ratio(double x, char *out, size_t cap);
/* A ratio with its interval, "62.1x (58.0–66.3)"; just the ratio when ci has no interval
 * (level 0); "—" when est <= 0. */
void fmt_interval(const stats_interval *ci, char *out, size_t cap);
/* A speedup: fmt_interval, or "no significant difference" when the interval includes 1. */
void fmt_speedup_ci(const stats_interval *ci, char *out, size_t cap);
/* A time interval, "1.20–1.25 s" (each end by fmt_ns); "—" without an interval. */
void fmt_ns_ci(const stats_interval *ci, char *out, size_t cap);

/* Kilobytes as "1.5 MiB" or "2.00 GiB"; "—" when kb <= 0. */
void fmt_rss(long kb, char *out, size_t cap);
/* A file size: "812 B", "41.3 KiB", "2.10 MiB", "1.05 GiB"; "—" when bytes < 0. */
void fmt_bytes(double bytes, char *out, size_t cap);
/* Bytes per second in decimal units, as JSON parsers publish them: "3.75 GB/s", "812 MB/s",
 * "45.6 kB/s", "120 B/s"; "—" when bytes_per_s <= 0. */
void fmt_rate(double bytes_per_s, char *out, size_t cap);
/* Throughput over a time interval, "3.61–3.90 GB/s" (the slow end from ci->hi); "—" without one. */
void fmt_rate_ci(double bytes, const stats_interval *ci, char *out, size_t cap);
/* Milliseconds with three significant-ish digits: "123.4", "12.34", "0.123". */
void fmt_ms(double ms, char *out, size_t cap);

#endif
