/* Renders a results document (parsed JSON) as the terminal report card, Markdown, or a
 * self-contained HTML page with SVG charts. Reads only the document; writes to out. */
#ifndef LADDER_REPORT_H
#define LADDER_REPORT_H

#include <stdio.h>

#include "json/json.h"

typedef enum { REPORT_TERMINAL, REPORT_MARKDOWN, REPORT_HTML } report_format;

/* Returns 0, or -1 with a reason when the document cannot be rendered. */
int report_render(const json_value *results, report_format fmt, FILE *out, char *err, size_t cap);
/* Renders into a malloc'd buffer (caller frees); NULL with a reason in err. */
char *report_render_alloc(const json_value *results, report_format fmt, size_t *len, char *err, size_t cap);
/* Writes DIR/results.json (json_text plus a newline), DIR/report.md and DIR/report.html, each
 * atomically; creates DIR. Returns 0, or -1 with a reason in err. */
int report_write_outputs(const char *dir, const char *json_text, size_t json_len, const json_value *results,
                         char *err, size_t cap);

/* Formats nanoseconds as "1.23 s", "45.6 ms", "789 µs" or "12 ns". */
void report_format_ns(double ns, char *out, size_t cap);

#endif
