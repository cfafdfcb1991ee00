/* The framework benchmark's part of a report: contender x endpoint tables (requests/s, p99) and,
 * in HTML, a grouped bar chart. Reads the results document directly. */
#ifndef LADDER_REPORT_HTTP_H
#define LADDER_REPORT_HTTP_H

#include <stdbool.h>
#include <stdio.h>

#include "json/json.h"
#include "report/report.h"

void http_report_render(const json_value *root, report_format fmt, FILE *f);

#endif
