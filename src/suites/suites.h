/* The suites a report can show, in report order. Adding a suite: a folder under src/suites
 * with its runner, its results writer and its report section, plus one entry here. */
#ifndef LADDER_SUITES_H
#define LADDER_SUITES_H

#include "report/report.h"

extern const report_sections suites_report;

#endif
