#include "report/html.h"

#include <math.h>
#include <string.h>

#include "report/report.h"
#include "report/report_http.h"
#include "report/report_lifecycle.h"

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

/* The log-scale chart: one bar per timed row, from 1x (the reference) to its speedup. */
static void chart(const model_group *g, FILE *f)
{
    const model_row *ref = g->baseline;
    const char *ref_name = "CPython";
    if (!ref) {
        for (size_t i = 0; i < g->nrows; i++)
            if (g->rows[i]->ok && g->rows[i]->has_time) {
                ref = g->rows[i]; /* rows are slowest first */
                ref_name = ref->rung_title;
                break;
            }
    }
    if (!ref)
        return;
    double lo = 1, hi = 1;
    size_t bars = 0;
    for (size_t i = 0; i < g->nrows; i++) {
        double s = model_speedup(g->rows[i], ref);
        if (s <= 0)
            continue;
        bars++;
        lo = fmin(lo, s);
        hi = fmax(hi, s);
    }
    double dlo = floor(log10(lo)), dhi = ceil(log10(hi));
    if (dhi <= dlo)
        dhi = dlo + 1;
    const int label_w = 230, plot_w = 600, bar_h = 22, top = 28;
    int height = top + (int)bars * bar_h + 30;
    fprintf(f, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            label_w + plot_w + 80, height, label_w + plot_w + 80, height);
    fprintf(f, "<title>Speedup over ");
    html_escape(f, ref_name);
    fprintf(f, ", log scale</title>\n");
#define XPOS(v) (label_w + plot_w * (log10(v) - dlo) / (dhi - dlo))
    for (double d = dlo; d <= dhi; d++) {
        double x = label_w + plot_w * (d - dlo) / (dhi - dlo);
        fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, top - 6, x,
                height - 24);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%gx</text>\n", x, height - 8, pow(10, d));
    }
    fprintf(f, "<text x=\"%d\" y=\"14\">speedup over ", label_w);
    html_escape(f, ref_name);
    fprintf(f, " (log scale)</text>\n");
    size_t k = 0;
    for (size_t i = 0; i < g->nrows; i++) {
        const model_row *r = g->rows[i];
        double s = model_speedup(r, ref);
        if (s <= 0)
            continue;
        double y = top + (double)k++ * bar_h;
        double x0 = XPOS(1.0), x1 = XPOS(s);
        double bx = fmin(x0, x1), bw = fmax(fabs(x1 - x0), 2.0);
        const char *cls = r == g->ceiling ? "bar ceiling" : r == ref ? "bar baseline" : s < 1 ? "bar slower" : "bar";
        char tm[32];
        report_format_ns(r->median, tm, sizeof tm);
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", label_w - 8, y + 15);
        html_escape(f, r->rung_title);
        fprintf(f, "</text><rect class=\"%s\" data-rung=\"", cls);
        html_escape(f, r->rung);
        fprintf(f, "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"><title>", bx, y + 3, bw, bar_h - 6);
        html_escape(f, r->rung_title);
        fprintf(f, ": %s, %.3gx</title></rect>", tm, s);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%.3gx</text>\n", fmax(x0, x1) + 6, y + 15, s);
    }
#undef XPOS
    fprintf(f, "</svg>\n");
}

static void table_html(const model_group *g, FILE *f)
{
    fprintf(f, "<table><thead><tr><th>Approach</th><th>Time (median)</th><th>±MAD</th><th>vs CPython</th>"
               "<th>vs C</th><th>Threads</th><th>First call</th><th>Process wall</th><th>CPU</th>"
               "<th>Peak RSS</th><th>What it costs you</th><th>Status</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < g->nrows; i++) {
        const model_row *r = g->rows[i];
        fprintf(f, "<tr class=\"%s\"><td>", r->status);
        html_escape(f, r->rung_title);
        fprintf(f, "</td>");
        char a[32] = "—", b[32] = "—";
        if (r->ok && r->has_time) {
            report_format_ns(r->median, a, sizeof a);
            snprintf(b, sizeof b, "%.1f%%", 100 * r->rel_spread);
        }
        fprintf(f, "<td class=\"n\">%s%s</td><td class=\"n\">%s</td>", a, r->noisy ? " !" : "", b);
        double s1 = model_speedup(r, g->baseline), s2 = model_speedup(r, g->ceiling);
        if (s1 > 0)
            fprintf(f, "<td class=\"n\">%.3gx</td>", s1);
        else
            fprintf(f, "<td class=\"n\">—</td>");
        if (s2 > 0)
            fprintf(f, "<td class=\"n\">%.3gx</td>", s2);
        else
            fprintf(f, "<td class=\"n\">—</td>");
        fprintf(f, "<td class=\"n\">%d</td>", r->ok ? r->threads : 0);
        if (r->ok && r->jit && r->first_ns > 0) {
            report_format_ns(r->first_ns, a, sizeof a);
            fprintf(f, "<td class=\"n\">%s</td>", a);
        } else {
            fprintf(f, "<td class=\"n\">—</td>");
        }
        if (r->wall_ns > 0) {
            report_format_ns(r->wall_ns, a, sizeof a);
            report_format_ns(r->cpu_ns, b, sizeof b);
            fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td>", a, b);
        } else {
            fprintf(f, "<td class=\"n\">—</td><td class=\"n\">—</td>");
        }
        if (r->rss_kb > 0)
            fprintf(f, "<td class=\"n\">%.1f MiB</td>", r->rss_kb / 1024.0);
        else
            fprintf(f, "<td class=\"n\">—</td>");
        fprintf(f, "<td>");
        html_escape(f, r->costs);
        fprintf(f, "</td><td>");
        if (r->ok)
            fprintf(f, "%s", r->verified ? "verified" : "unverified");
        else
            html_escape(f, r->status);
        if (*r->reason) {
            fprintf(f, "<div class=\"note\">");
            html_escape(f, r->reason);
            fprintf(f, "</div>");
        }
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody></table>\n");
}

void html_render(const model *m, const json_value *root, FILE *f)
{
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
               "<title>ladder report</title><style>%s</style></head><body>\n", STYLE);
    fprintf(f, "<h1>ladder report</h1>\n<p class=\"note\">");
    html_escape(f, m->cpu);
    fprintf(f, ", %ld cores, ", m->cores);
    html_escape(f, m->kernel);
    fprintf(f, ", ");
    html_escape(f, m->os);
    fprintf(f, "<br>Run ");
    html_escape(f, m->started);
    if (m->nrows > 0) {
        fprintf(f, ", size <code>");
        html_escape(f, m->size);
        fprintf(f, "</code>, %ld warm-up + %ld counted iterations. Time is the median in-process kernel time "
                   "(± median absolute deviation); bars are speedups on a log scale.", m->warmup, m->repeat);
    }
    fprintf(f, "</p>\n");
    for (size_t q = 0; q < m->ngroups; q++) {
        const model_group *g = &m->groups[q];
        fprintf(f, "<section class=\"problem\" data-problem=\"");
        html_escape(f, g->problem);
        fprintf(f, "\"><h2>");
        html_escape(f, g->title);
        fprintf(f, " <small>N = %ld (", g->n);
        html_escape(f, g->size);
        fprintf(f, ")</small></h2>\n");
        chart(g, f);
        table_html(g, f);
        fprintf(f, "</section>\n");
    }
    if (report_http_present(root))
        report_http(root, REPORT_HTML, f);
    if (report_lifecycle_present(root))
        report_lifecycle(root, REPORT_HTML, f);
    /* Lets a headless browser test confirm the bars were really laid out, not just written. */
    fprintf(f, "<script>addEventListener('load',function(){var n=0;"
               "document.querySelectorAll('svg.chart rect.bar').forEach(function(r){"
               "var b=r.getBBox();if(b.width>0&&b.height>0)n++;});"
               "document.body.setAttribute('data-bars-drawn',n);});</script>\n");
    fprintf(f, "</body></html>\n");
}
