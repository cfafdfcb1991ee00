/* The framework benchmark's part of a report: contender x endpoint tables (requests/s, p99) and,
 * in HTML, a grouped bar chart. Internal to src/report; reads the results document directly. */
#ifndef LADDER_REPORT_HTTP_H
#define LADDER_REPORT_HTTP_H

#include <stdbool.h>
#include <stdio.h>

#include "json/json.h"
#include "report/report.h"

bool report_http_present(const json_value *root);
void report_http(const json_value *root, report_format fmt, FILE *f);

#endif
