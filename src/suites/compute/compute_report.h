/* The compute suite's report section: one card per (problem, size) — the terminal and
 * Markdown table of every rung with its speedups over CPython and C, costs and status — and in
 * HTML a log-scale speedup chart above each table. Reads the results document only. */
#ifndef LADDER_COMPUTE_REPORT_H
#define LADDER_COMPUTE_REPORT_H

#include <stdio.h>

#include "json/json.h"
#include "report/report.h"

void compute_report_render(const json_value *root, report_format fmt, FILE *out);

#endif
