/* The API lifecycle's part of a report (rows with suite "lifecycle", written by
 * 'ladder lifecycle'): phase medians per endpoint and distance, the framework's share, the N+1
 * slowdown, ladder's server time against the peer's and, in HTML, the stacked bars (network, DB
 * driver, ORM/hydrate, serialize, encode, framework). Reads the results document directly. */
#ifndef LADDER_REPORT_LIFECYCLE_H
#define LADDER_REPORT_LIFECYCLE_H

#include <stdbool.h>
#include <stdio.h>

#include "json/json.h"
#include "report/report.h"

void lifecycle_report_render(const json_value *root, report_format fmt, FILE *f);

#endif
