/* The self-contained HTML report: tables plus SVG bar charts of speedups on a log scale.
 * Internal to src/report. */
#ifndef LADDER_REPORT_HTML_H
#define LADDER_REPORT_HTML_H

#include <stdio.h>

#include "report/model.h"

void html_render(const model *m, FILE *f);
void html_escape(FILE *f, const char *s);

#endif
