/* libFuzzer target: any JSON document handed to `ladder report` is rendered or rejected with a
 * reason, in every format, without crashing. */
#include <stdint.h>
#include <stdio.h>

#include "json/json.h"
#include "report/report.h"
#include "suites/suites.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_doc *doc = json_read((const char *)data, size, NULL, NULL);
    if (!doc)
        return 0;
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
        char err[256];
        for (int fmt = REPORT_TERMINAL; fmt <= REPORT_HTML; fmt++)
            if (report_render(json_doc_root(doc), &suites_report, (report_format)fmt, sink, err, sizeof err) != 0 && !err[0])
                __builtin_trap();
        fclose(sink);
    }
    json_doc_free(doc);
    return 0;
}
