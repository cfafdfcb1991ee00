#include "suites/compute/compute_report.h"

#include <math.h>
#include <string.h>

#include "report/fmt.h"
#include "report/html.h"
#include "report/table.h"
#include "suites/compute/model.h"

static void status_cell(const model_row *r, char *out, size_t cap)
{
    if (r->ok)
        snprintf(out, cap, "%s", r->verified ? "verified" : "UNVERIFIED");
    else if (!strcmp(r->status, "failed"))
        snprintf(out, cap, "FAILED (%s)", *r->failure ? r->failure : "error");
    else
        snprintf(out, cap, "skipped");
}

static void card(const model_group *g, FILE *f, bool markdown)
{
    static const char *const head[] = {"Approach", "Time", "±", "vs CPython", "vs C", "Threads, SIMD",
                                       "First call", "Process", "CPU", "Peak RSS", "What it costs you", "Status"};
    table t;
    if (table_init(&t, 12, head))
        return;
    for (int c = 1; c <= 9; c++)
        t.right[c] = true;
    for (size_t i = 0; i < g->nrows; i++) {
        const model_row *r = g->rows[i];
        char tm[32] = "—", sp[24] = "—", vb[16], vc[16], th[16] = "—", first[32] = "—", wall[32] = "—",
             cpu[32] = "—", rss[32], st[48];
        if (r->ok && r->has_time) {
            fmt_ns(r->median, tm, sizeof tm);
            if (r->noisy)
                strcat(tm, " !");
            snprintf(sp, sizeof sp, "%.1f%%", 100 * r->rel_spread);
        }
        fmt_ratio(model_speedup(r, g->baseline), vb, sizeof vb);
        fmt_ratio(model_speedup(r, g->ceiling), vc, sizeof vc);
        if (r->ok)
            snprintf(th, sizeof th, *r->simd ? "%d %s" : "%d", r->threads, r->simd);
        if (r->ok && r->jit && r->first_ns > 0)
            fmt_ns(r->first_ns, first, sizeof first);
        if (r->wall_ns > 0) {
            fmt_ns(r->wall_ns, wall, sizeof wall);
            fmt_ns(r->cpu_ns, cpu, sizeof cpu);
        }
        fmt_rss(r->rss_kb, rss, sizeof rss);
        status_cell(r, st, sizeof st);
        const char *cells[] = {r->rung_title, tm, sp, vb, vc, th, first, wall, cpu, rss, r->costs, st};
        table_add(&t, cells);
    }
    table_print(&t, f, markdown);
    table_free(&t);
    bool noted = false;
    for (size_t i = 0; i < g->nrows; i++) {
        const model_row *r = g->rows[i];
        const char *bullet = markdown ? "- " : "  ";
        if (!r->ok || !r->verified) {
            if (!noted && markdown)
                fputc('\n', f);
            noted = true;
            fprintf(f, "%s%s %s: %s\n", bullet, r->rung, r->status, *r->reason ? r->reason : "no reason given");
        } else if (r->noisy) {
            if (!noted && markdown)
                fputc('\n', f);
            noted = true;
            fprintf(f, "%s%s: noisy — spread %.1f%% of the median over %zu samples, %zu outlier%s\n", bullet,
                    r->rung, 100 * r->rel_spread, r->nsamples, r->outliers, r->outliers == 1 ? "" : "s");
        }
    }
}

static void settings_text(const model *m, FILE *f, bool markdown)
{
    if (markdown) {
        fprintf(f, "- Run: size `%s`, %ld warm-up + %ld counted iterations per rung\n", m->size, m->warmup,
                m->repeat);
        fprintf(f, "- Time is the median in-process kernel time; ± is the median absolute deviation; "
                   "Process and CPU are whole-process wall and user+sys time from wait4.\n\n");
    } else {
        fprintf(f, "size %s · %ld warm-up + %ld counted iterations · time = median kernel time, ± = MAD\n\n",
                m->size, m->warmup, m->repeat);
    }
}

static void render_text(const model *m, FILE *out, bool md)
{
    settings_text(m, out, md);
    for (size_t q = 0; q < m->ngroups; q++) {
        const model_group *g = &m->groups[q];
        if (md)
            fprintf(out, "## %s (N = %ld, size %s)\n\n", g->title, g->n, g->size);
        else
            fprintf(out, "%s  N=%ld (%s)\n", g->title, g->n, g->size);
        card(g, out, md);
        fputc('\n', out);
    }
}

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
        fmt_ns(r->median, tm, sizeof tm);
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
               "<th>vs C</th><th>Threads, SIMD</th><th>First call</th><th>Process wall</th><th>CPU</th>"
               "<th>Peak RSS</th><th>What it costs you</th><th>Status</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < g->nrows; i++) {
        const model_row *r = g->rows[i];
        fprintf(f, "<tr class=\"%s\"><td>", r->status);
        html_escape(f, r->rung_title);
        fprintf(f, "</td>");
        char a[32] = "—", b[32] = "—";
        if (r->ok && r->has_time) {
            fmt_ns(r->median, a, sizeof a);
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
        fprintf(f, "<td class=\"n\">%d", r->ok ? r->threads : 0);
        if (r->ok && *r->simd) {
            fputc(' ', f);
            html_escape(f, r->simd);
        }
        fprintf(f, "</td>");
        if (r->ok && r->jit && r->first_ns > 0) {
            fmt_ns(r->first_ns, a, sizeof a);
            fprintf(f, "<td class=\"n\">%s</td>", a);
        } else {
            fprintf(f, "<td class=\"n\">—</td>");
        }
        if (r->wall_ns > 0) {
            fmt_ns(r->wall_ns, a, sizeof a);
            fmt_ns(r->cpu_ns, b, sizeof b);
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

static void render_html(const model *m, FILE *f)
{
    fprintf(f, "<p class=\"note\">Size <code>");
    html_escape(f, m->size);
    fprintf(f, "</code>, %ld warm-up + %ld counted iterations. Time is the median in-process kernel time "
               "(± median absolute deviation); bars are speedups on a log scale.</p>\n", m->warmup, m->repeat);
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
}

void compute_report_render(const json_value *root, report_format fmt, FILE *out)
{
    model m;
    char err[256];
    if (model_build(root, &m, err, sizeof err)) {
        fprintf(out, "compute rows not shown: %s\n", err);
        return;
    }
    if (fmt == REPORT_HTML)
        render_html(&m, out);
    else
        render_text(&m, out, fmt == REPORT_MARKDOWN);
    model_free(&m);
}
