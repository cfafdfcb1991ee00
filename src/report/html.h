/* The self-contained HTML report: tables plus SVG bar charts of speedups on a log scale.
 * Internal to src/report. */
#ifndef LADDER_REPORT_HTML_H
#define LADDER_REPORT_HTML_H

#include <stdio.h>

#include "report/model.h"

/* root: the results document, for the sections that read it directly (HTTP). */
void html_render(const model *m, const json_value *root, FILE *f);
void html_escape(FILE *f, const char *s);

#endif
