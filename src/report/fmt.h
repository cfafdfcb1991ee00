/* Number formatting shared by every report section. Leaf module: writes into out (cap bytes). */
#ifndef LADDER_REPORT_FMT_H
#define LADDER_REPORT_FMT_H

#include <stddef.h>

/* Nanoseconds as "1.23 s", "45.6 ms", "789 µs" or "12 ns". */
void fmt_ns(double ns, char *out, size_t cap);
/* A speed ratio as "123x", "12.3x", "1.23x"; "—" when x <= 0 (not comparable). */
void fmt_ratio(double x, char *out, size_t cap);
/* Kilobytes as "1.5 MiB" or "2.00 GiB"; "—" when kb <= 0. */
void fmt_rss(long kb, char *out, size_t cap);
/* Milliseconds with three significant-ish digits: "123.4", "12.34", "0.123". */
void fmt_ms(double ms, char *out, size_t cap);

#endif
