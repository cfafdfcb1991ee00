#include "suites/suites.h"

#include "suites/compute/compute_report.h"
#include "suites/compute/model.h"
#include "suites/http/http_report.h"
#include "suites/lifecycle/lifecycle_report.h"

static const char *const HTTP_SUITES[] = {"http", NULL};
static const char *const LIFECYCLE_SUITES[] = {"lifecycle", NULL};

static const report_section SECTIONS[] = {
    {"compute", model_suites, compute_report_render},
    {"http", HTTP_SUITES, http_report_render},
    {"lifecycle", LIFECYCLE_SUITES, lifecycle_report_render},
};

const report_sections suites_report = {SECTIONS, sizeof SECTIONS / sizeof SECTIONS[0]};
