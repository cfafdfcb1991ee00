#include "report/html.h"

#include <stdlib.h>

#include "report/rows.h"

void html_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

static const char *const STYLE =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#1d2330;padding:0 1em}"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #dde}"
    "table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px}"
    "th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".failed{color:#b3261e}.skipped{color:#777}.note{color:#555;font-size:12px}"
    "svg text{font:12px system-ui,sans-serif;fill:#1d2330}svg .axis{stroke:#bbb}"
    "svg .bar{fill:#3b6fd8}svg .bar.ceiling{fill:#1b8a5a}svg .bar.baseline{fill:#999}"
    "svg .bar.slower{fill:#d77a2b}";

void html_page_begin(const json_value *root, FILE *f)
{
    const json_value *machine = json_obj_get(root, "machine");
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
               "<title>ladder report</title><style>%s</style></head><body>\n", STYLE);
    fprintf(f, "<h1>ladder report</h1>\n<p class=\"note\">");
    html_escape(f, rows_str(machine, "cpu_model"));
    fprintf(f, ", %ld cores, ", (long)json_get_num(json_obj_get(machine, "cores")));
    html_escape(f, rows_str(machine, "kernel"));
    fprintf(f, ", ");
    html_escape(f, rows_str(machine, "os"));
    fprintf(f, "<br>Run ");
    html_escape(f, rows_str(root, "started"));
    fprintf(f, "</p>\n");
}

void html_page_end(FILE *f)
{
    /* Lets a headless browser test confirm the bars were really laid out, not just written. */
    fprintf(f, "<script>addEventListener('load',function(){var n=0;"
               "document.querySelectorAll('svg.chart rect.bar').forEach(function(r){"
               "var b=r.getBBox();if(b.width>0&&b.height>0)n++;});"
               "document.body.setAttribute('data-bars-drawn',n);});</script>\n");
    fprintf(f, "</body></html>\n");
}
