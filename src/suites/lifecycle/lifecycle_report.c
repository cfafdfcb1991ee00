#include "suites/lifecycle/lifecycle_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/fmt.h"
#include "report/html.h"
#include "report/table.h"
#include "report/rows.h"
#include "suites/lifecycle/lifecycle.h"

enum { MAXC = 8, MAXD = 4, MAXT = 8, MAXE = 4 };

typedef struct {
    const char *names[MAXC], *titles[MAXC];
    int nc;
    const char *dbs[MAXD];
    int nd;
    double rtts[MAXT];
    const char *rtt_labels[MAXT];
    int nt;
    const char *eps[MAXE], *ep_titles[MAXE];
    int ne;
    const json_value *cell[MAXC][MAXD][MAXT][MAXE];
    size_t dropped; /* rows beyond the grid's limits */
} grid;

static const json_value *lc(const json_value *r)
{
    return json_obj_get(r, "lifecycle");
}

static bool ok(const json_value *r)
{
    return r && !strcmp(rows_str(r, "status"), "ok");
}

static double med(const json_value *r, const char *series)
{
    return json_get_num(json_obj_get(json_obj_get(lc(r), "median_ms"), series));
}

static void build(const json_value *root, grid *g)
{
    memset(g, 0, sizeof *g);
    const json_value *r;
    for (size_t i = 0; (r = rows_next(root, "lifecycle", &i));) {
        int c = rows_index_of(g->names, &g->nc, MAXC, rows_str(r, "rung"));
        int d = rows_index_of(g->dbs, &g->nd, MAXD, rows_str(lc(r), "db"));
        int e = rows_index_of(g->eps, &g->ne, MAXE, rows_str(r, "problem"));
        double rtt = json_get_num(json_obj_get(lc(r), "rtt_ms"));
        int t = -1;
        for (int k = 0; k < g->nt; k++)
            if (g->rtts[k] == rtt)
                t = k;
        if (t < 0 && g->nt < MAXT) {
            t = g->nt++;
            g->rtts[t] = rtt;
            g->rtt_labels[t] = rows_str(lc(r), "rtt_label");
        }
        if (c < 0 || d < 0 || e < 0 || t < 0) {
            g->dropped++;
            continue;
        }
        g->titles[c] = rows_str(r, "rung_title");
        g->ep_titles[e] = rows_str(r, "problem_title");
        g->cell[c][d][t][e] = r;
    }
}

static const char *db_title(const char *name)
{
    return !strcmp(name, "postgres") ? "PostgreSQL" : !strcmp(name, "sqlite") ? "SQLite" : name;
}

static void rtt_title(const grid *g, int t, char *out, size_t cap)
{
    if (*g->rtt_labels[t])
        snprintf(out, cap, "RTT %g ms (%s)", g->rtts[t], g->rtt_labels[t]);
    else
        snprintf(out, cap, "RTT %g ms", g->rtts[t]);
}

/* Phase medians for one database and distance: one row per contender and endpoint. */
static void phase_table(const grid *g, int d, int t, FILE *f, report_format fmt)
{
    static const char *const head[] = {"Scenario", "Network", "DB driver", "ORM/hydrate", "Serialize", "Encode",
                                       "Framework", "Server", "Client", "Server+RTT", "Queries"};
    static const char *const series[] = {"network", "db", "hydrate", "serialize", "encode", "framework", "total",
                                         "client"};
    table tb;
    if (table_init(&tb, 11, head))
        return;
    for (int k = 1; k < 11; k++)
        tb.right[k] = true;
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++) {
            const json_value *r = g->cell[c][d][t][e];
            if (!r)
                continue;
            char cells[11][64];
            const char *row[11];
            snprintf(cells[0], sizeof cells[0], "%s · %s", lifecycle_short_name(g->names[c]), g->eps[e]);
            for (int k = 1; k < 11; k++)
                snprintf(cells[k], sizeof cells[k], "—");
            if (ok(r)) {
                for (int k = 0; k < 8; k++)
                    fmt_ms(med(r, series[k]), cells[k + 1], sizeof cells[k + 1]);
                fmt_ms(json_get_num(json_obj_get(lc(r), "what_if_ms")), cells[9], sizeof cells[9]);
                snprintf(cells[10], sizeof cells[10], "%.0f", json_get_num(json_obj_get(lc(r), "queries")));
            } else {
                snprintf(cells[1], sizeof cells[1], "%s", rows_str(r, "status"));
            }
            for (int k = 0; k < 11; k++)
                row[k] = cells[k];
            table_add(&tb, row);
        }
    char rt[128];
    rtt_title(g, t, rt, sizeof rt);
    report_heading(f, fmt, "%s, %s — median ms per request", db_title(g->dbs[d]), rt);
    table_emit(&tb, f, fmt);
    table_free(&tb);
    fputc('\n', f);
}

static void framework_table(const grid *g, FILE *f, report_format fmt)
{
    static const char *const head[] = {"Scenario", "Database", "RTT", "Total (client)", "Framework", "Framework %"};
    table tb;
    if (table_init(&tb, 6, head))
        return;
    for (int k = 2; k < 6; k++)
        tb.right[k] = true;
    double lo = INFINITY, hi = 0;
    for (int d = 0; d < g->nd; d++)
        for (int t = 0; t < g->nt; t++)
            for (int c = 0; c < g->nc; c++)
                for (int e = 0; e < g->ne; e++) {
                    const json_value *r = g->cell[c][d][t][e];
                    if (!ok(r))
                        continue;
                    char cells[6][64];
                    const char *row[6];
                    double total = med(r, "client"), fw = med(r, "framework");
                    double pct = total > 0 ? 100 * fw / total : 0;
                    lo = fmin(lo, pct);
                    hi = fmax(hi, pct);
                    snprintf(cells[0], sizeof cells[0], "%s · %s", lifecycle_short_name(g->names[c]), g->ep_titles[e]);
                    snprintf(cells[1], sizeof cells[1], "%s", db_title(g->dbs[d]));
                    snprintf(cells[2], sizeof cells[2], "%g ms", g->rtts[t]);
                    fmt_ms(total, cells[3], sizeof cells[3]);
                    strncat(cells[3], " ms", sizeof cells[3] - strlen(cells[3]) - 1);
                    fmt_ms(fw, cells[4], sizeof cells[4]);
                    strncat(cells[4], " ms", sizeof cells[4] - strlen(cells[4]) - 1);
                    snprintf(cells[5], sizeof cells[5], "%.2f%%", pct);
                    for (int k = 0; k < 6; k++)
                        row[k] = cells[k];
                    table_add(&tb, row);
                }
    report_heading(f, fmt, "Framework overhead across all scenarios");
    table_emit(&tb, f, fmt);
    table_free(&tb);
    if (fmt == REPORT_MARKDOWN)
        fputc('\n', f);
    if (hi > 0)
        report_note(f, fmt, "Framework is %.2f–%.2f%% of the total response time the client saw.", lo, hi);
    fputc('\n', f);
}

static int ep_index(const grid *g, const char *id)
{
    for (int e = 0; e < g->ne; e++)
        if (!strcmp(g->eps[e], id))
            return e;
    return -1;
}

static void n_plus_one_table(const grid *g, FILE *f, report_format fmt)
{
    int b = ep_index(g, "books"), n = ep_index(g, "n_plus_one");
    if (b < 0 || n < 0)
        return;
    static const char *const head[] = {"Contender", "Database", "RTT", "Batched server", "N+1 server",
                                       "Slowdown (server)", "Slowdown (client)", "Queries"};
    table tb;
    if (table_init(&tb, 8, head))
        return;
    for (int k = 2; k < 8; k++)
        tb.right[k] = true;
    for (int d = 0; d < g->nd; d++)
        for (int t = 0; t < g->nt; t++)
            for (int c = 0; c < g->nc; c++) {
                const json_value *rb = g->cell[c][d][t][b], *rn = g->cell[c][d][t][n];
                if (!ok(rb) || !ok(rn))
                    continue;
                char cells[8][64];
                const char *row[8];
                snprintf(cells[0], sizeof cells[0], "%s", g->titles[c]);
                snprintf(cells[1], sizeof cells[1], "%s", db_title(g->dbs[d]));
                snprintf(cells[2], sizeof cells[2], "%g ms", g->rtts[t]);
                fmt_ms(med(rb, "total"), cells[3], sizeof cells[3]);
                fmt_ms(med(rn, "total"), cells[4], sizeof cells[4]);
                double sb = med(rb, "total"), cb = med(rb, "client");
                snprintf(cells[5], sizeof cells[5], "%.1fx", sb > 0 ? med(rn, "total") / sb : 0);
                snprintf(cells[6], sizeof cells[6], "%.1fx", cb > 0 ? med(rn, "client") / cb : 0);
                snprintf(cells[7], sizeof cells[7], "%.0f vs %.0f", json_get_num(json_obj_get(lc(rb), "queries")),
                         json_get_num(json_obj_get(lc(rn), "queries")));
                for (int k = 0; k < 8; k++)
                    row[k] = cells[k];
                table_add(&tb, row);
            }
    report_heading(f, fmt, "The N+1 slowdown (median ms)");
    table_emit(&tb, f, fmt);
    table_free(&tb);
    fputc('\n', f);
}

/* Server time per request, ladder's C server against each other contender, at the first distance. */
static void versus_table(const grid *g, FILE *f, report_format fmt)
{
    int cc = -1;
    for (int c = 0; c < g->nc; c++)
        if (!strcmp(lifecycle_short_name(g->names[c]), "c"))
            cc = c;
    if (cc < 0 || g->nc < 2)
        return;
    for (int o = 0; o < g->nc; o++) {
        if (o == cc)
            continue;
        char h1[96], h2[96];
        snprintf(h1, sizeof h1, "%s server", g->titles[cc]);
        snprintf(h2, sizeof h2, "%s server", g->titles[o]);
        const char *head[] = {"Endpoint", "Database", h1, h2, "Ratio"};
        table tb;
        if (table_init(&tb, 5, head))
            return;
        for (int k = 2; k < 5; k++)
            tb.right[k] = true;
        for (int d = 0; d < g->nd; d++)
            for (int e = 0; e < g->ne; e++) {
                const json_value *a = g->cell[cc][d][0][e], *b = g->cell[o][d][0][e];
                if (!ok(a) || !ok(b))
                    continue;
                char cells[5][64];
                const char *row[5];
                snprintf(cells[0], sizeof cells[0], "%s", g->ep_titles[e]);
                snprintf(cells[1], sizeof cells[1], "%s", db_title(g->dbs[d]));
                fmt_ms(med(a, "total"), cells[2], sizeof cells[2]);
                fmt_ms(med(b, "total"), cells[3], sizeof cells[3]);
                double x = med(a, "total");
                snprintf(cells[4], sizeof cells[4], "%.1fx", x > 0 ? med(b, "total") / x : 0);
                for (int k = 0; k < 5; k++)
                    row[k] = cells[k];
                table_add(&tb, row);
            }
        report_heading(f, fmt, "Server time per request (median ms, RTT %g ms run)", g->rtts[0]);
        table_emit(&tb, f, fmt);
        table_free(&tb);
        fputc('\n', f);
    }
}

static void notes(const json_value *root, const grid *g, FILE *f, report_format fmt)
{
    const json_value *s = json_obj_get(root, "settings");
    report_note(f, fmt,
                "%g sequential requests per endpoint after %g discarded; medians. Network = client total − server "
                "total (Server-Timing); Server+RTT is the what-if arithmetic (measured server time plus the RTT) "
                "beside the measured client time.",
                json_get_num(json_obj_get(s, "repeat")), json_get_num(json_obj_get(s, "warmup")));
    report_note(f, fmt, "Network: %s — %s.", rows_str(s, "network_mode"), rows_str(s, "network_detail"));
    report_note(f, fmt, "Verified before timing: %s.", rows_str(s, "verify_detail"));
    for (int c = 0; c < g->nc; c++)
        for (int d = 0; d < g->nd; d++) {
            const json_value *r = NULL;
            for (int t = 0; t < g->nt && !r; t++)
                for (int e = 0; e < g->ne && !r; e++)
                    if (g->cell[c][d][t][e] && !ok(g->cell[c][d][t][e]))
                        r = g->cell[c][d][t][e];
            if (r)
                report_note(f, fmt, "%s on %s: %s: %s", g->names[c], db_title(g->dbs[d]), rows_str(r, "status"),
                            rows_str(r, "reason"));
        }
    if (g->dropped)
        report_note(f, fmt, "%zu rows not shown: the tables hold at most %d contenders, %d databases, %d distances "
                    "and %d endpoints", g->dropped, MAXC, MAXD, MAXT, MAXE);
    fputc('\n', f);
}

static const char *const SEG_NAMES[] = {"Network", "DB driver", "ORM/hydrate", "Serialize", "Encode", "Framework"};
static const char *const SEG_SERIES[] = {"network", "db", "hydrate", "serialize", "encode", "framework"};
static const char *const SEG_COLORS[] = {"#9aa5b1", "#3b6fd8", "#d77a2b", "#1b8a5a", "#8e44ad", "#c0392b"};

/* Stacked bars for one database and distance: one bar per contender and endpoint. */
static void chart(const grid *g, int d, int t, FILE *f)
{
    double max = 0;
    int nbars = 0;
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++)
            if (ok(g->cell[c][d][t][e])) {
                double sum = 0;
                for (int k = 0; k < 6; k++)
                    sum += med(g->cell[c][d][t][e], SEG_SERIES[k]);
                max = fmax(max, sum);
                nbars++;
            }
    if (max <= 0)
        return;
    const int label_w = 260, plot_w = 560, bar_h = 18, gap = 8;
    int height = 36 + nbars * (bar_h + gap) + g->nc * 6;
    fprintf(f, "<svg class=\"chart lifecycle\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            label_w + plot_w + 120, height, label_w + plot_w + 120, height);
    char rt[128];
    rtt_title(g, t, rt, sizeof rt);
    fprintf(f, "<title>Where a request's time goes: %s, ", db_title(g->dbs[d]));
    html_escape(f, rt);
    fprintf(f, "</title>\n");
    int lx = 0;
    for (int k = 0; k < 6; k++) {
        fprintf(f, "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"13\">%s</text>",
                lx, SEG_COLORS[k], lx + 14, SEG_NAMES[k]);
        lx += 14 + 7 * (int)strlen(SEG_NAMES[k]) + 14;
    }
    fputc('\n', f);
    int y = 26;
    for (int c = 0; c < g->nc; c++) {
        for (int e = 0; e < g->ne; e++) {
            const json_value *r = g->cell[c][d][t][e];
            if (!ok(r))
                continue;
            double v[6], sum = 0;
            for (int k = 0; k < 6; k++)
                sum += v[k] = med(r, SEG_SERIES[k]);
            fprintf(f, "<text x=\"0\" y=\"%d\">", y + bar_h - 5);
            html_escape(f, lifecycle_short_name(g->names[c]));
            fprintf(f, " · ");
            html_escape(f, g->ep_titles[e]);
            fprintf(f, "</text>\n");
            double x = label_w;
            for (int k = 0; k < 6; k++) {
                double w = plot_w * v[k] / max;
                if (w <= 0)
                    continue;
                fprintf(f, "<rect class=\"bar seg\" data-phase=\"%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
                           "style=\"fill:%s\"><title>",
                        SEG_SERIES[k], x, y, fmax(w, 0.5), bar_h, SEG_COLORS[k]);
                html_escape(f, lifecycle_short_name(g->names[c]));
                fprintf(f, " · ");
                html_escape(f, g->ep_titles[e]);
                fprintf(f, " — %s: %.3f ms (%.1f%%)</title></rect>", SEG_NAMES[k], v[k], sum > 0 ? 100 * v[k] / sum : 0);
                x += w;
            }
            fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.2f ms</text>\n", x + 4, y + bar_h - 5, med(r, "client"));
            y += bar_h + gap;
        }
        y += 6;
    }
    fprintf(f, "</svg>\n");
}

static void text_report(const json_value *root, const grid *g, FILE *f, report_format fmt)
{
    for (int d = 0; d < g->nd; d++)
        for (int t = 0; t < g->nt; t++)
            phase_table(g, d, t, f, fmt);
    framework_table(g, f, fmt);
    n_plus_one_table(g, f, fmt);
    versus_table(g, f, fmt);
    notes(root, g, f, fmt);
}

/* The experiments' what-if: the measured server phases of the first distance with the network
 * segment set by a slider, redrawn in the page (no round trip to a server). Each bar carries
 * its phases in data-ms; the script lays the bars out again on every move of the slider. */
static void what_if(const grid *g, int d, FILE *f)
{
    const int label_w = 260, plot_w = 560, bar_h = 18, gap = 8;
    int nbars = 0;
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++)
            nbars += ok(g->cell[c][d][0][e]);
    if (nbars == 0)
        return;
    int height = 12 + nbars * (bar_h + gap);
    fprintf(f, "<h3>What if: %s at another distance</h3>\n<p class=\"note\"><label>RTT <input type=\"range\" "
               "class=\"rtt\" min=\"0\" max=\"300\" step=\"1\" value=\"%g\"> <output>%g</output> ms</label> — the "
               "measured server phases (RTT %g ms run) with the network set to the chosen round trip.</p>\n",
            db_title(g->dbs[d]), g->rtts[0], g->rtts[0], g->rtts[0]);
    fprintf(f, "<svg class=\"chart whatif\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "data-label-w=\"%d\" data-plot-w=\"%d\">\n",
            label_w + plot_w + 120, height, label_w + plot_w + 120, height, label_w, plot_w);
    int y = 4;
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++) {
            const json_value *r = g->cell[c][d][0][e];
            if (!ok(r))
                continue;
            fprintf(f, "<g class=\"wi\"><text x=\"0\" y=\"%d\">", y + bar_h - 5);
            html_escape(f, lifecycle_short_name(g->names[c]));
            fprintf(f, " · ");
            html_escape(f, g->ep_titles[e]);
            fprintf(f, "</text>");
            for (int k = 0; k < 6; k++)
                fprintf(f, "<rect class=\"bar seg\" data-phase=\"%s\" data-ms=\"%.6f\" x=\"%d\" y=\"%d\" width=\"1\" "
                           "height=\"%d\" style=\"fill:%s\"><title>%s</title></rect>",
                        SEG_SERIES[k], med(r, SEG_SERIES[k]), label_w, y, bar_h, SEG_COLORS[k], SEG_NAMES[k]);
            fprintf(f, "<text class=\"total\" x=\"%d\" y=\"%d\"></text></g>\n", label_w, y + bar_h - 5);
            y += bar_h + gap;
        }
    fprintf(f, "</svg>\n");
}

static const char WHAT_IF_SCRIPT[] =
    "<script>(function(){function draw(svg,rtt){var lw=+svg.dataset.labelW,pw=+svg.dataset.plotW,max=0,"
    "bars=svg.querySelectorAll('g.wi');bars.forEach(function(b){var t=0;b.querySelectorAll('rect').forEach("
    "function(r){t+=r.dataset.phase=='network'?rtt:+r.dataset.ms;});b.dataset.total=t;max=Math.max(max,t);});"
    "bars.forEach(function(b){var x=lw;b.querySelectorAll('rect').forEach(function(r){var ms=r.dataset.phase=="
    "'network'?rtt:+r.dataset.ms,w=max>0?pw*ms/max:0;r.setAttribute('x',x);r.setAttribute('width',Math.max(w,0.5));"
    "r.querySelector('title').textContent=r.dataset.phase+': '+ms.toFixed(3)+' ms';x+=w;});var t=b.querySelector("
    "'text.total');t.setAttribute('x',x+4);t.textContent=(+b.dataset.total).toFixed(2)+' ms';});}"
    "document.querySelectorAll('svg.whatif').forEach(function(svg){var p=svg.previousElementSibling,"
    "i=p.querySelector('input.rtt'),o=p.querySelector('output');function go(){o.textContent=i.value;"
    "draw(svg,+i.value);}i.addEventListener('input',go);go();});})();</script>\n";

void lifecycle_report_render(const json_value *root, report_format fmt, FILE *f)
{
    grid g;
    build(root, &g);
    if (fmt == REPORT_HTML) {
        fprintf(f, "<section class=\"lifecycle\"><h2>The API lifecycle: where a request's time goes</h2>\n");
        fprintf(f, "<p class=\"note\">Stacked medians per request (hover a segment for ms and %%): network = client "
                   "total − server total; the server's phases come from its Server-Timing header.</p>\n");
        for (int d = 0; d < g.nd; d++)
            for (int t = 0; t < g.nt; t++) {
                char rt[128];
                rtt_title(&g, t, rt, sizeof rt);
                fprintf(f, "<h3>%s, ", db_title(g.dbs[d]));
                html_escape(f, rt);
                fprintf(f, "</h3>\n");
                chart(&g, d, t, f);
            }
        for (int d = 0; d < g.nd; d++)
            what_if(&g, d, f);
        text_report(root, &g, f, REPORT_HTML);
        fputs(WHAT_IF_SCRIPT, f);
        fprintf(f, "</section>\n");
        return;
    }
    fprintf(f, fmt == REPORT_MARKDOWN ? "## The API lifecycle: where a request's time goes\n\n"
                                      : "The API lifecycle: where a request's time goes\n\n");
    text_report(root, &g, f, fmt);
}
