#include "suites/http/http_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/table.h"
#include "report/rows.h"

#define MAXC 32
#define MAXE 8

typedef struct {
    const char *names[MAXC], *titles[MAXC];
    int nc;
    const char *eps[MAXE], *ep_titles[MAXE];
    int ne;
    const json_value *cell[MAXC][MAXE];
    const json_value *root;
    size_t dropped; /* rows beyond MAXC contenders or MAXE endpoints */
} grid;

static void build(const json_value *root, grid *g)
{
    memset(g, 0, sizeof *g);
    g->root = root;
    const json_value *rows = json_obj_get(root, "rows");
    for (size_t i = 0; i < json_arr_len(rows); i++) {
        const json_value *r = json_arr_get(rows, i);
        if (strcmp(rows_str(r, "suite"), "http"))
            continue;
        int c = rows_index_of(g->names, &g->nc, MAXC, rows_str(r, "rung"));
        int e = rows_index_of(g->eps, &g->ne, MAXE, rows_str(r, "problem"));
        if (c < 0 || e < 0) {
            g->dropped++;
            continue;
        }
        g->titles[c] = rows_str(r, "rung_title");
        g->ep_titles[e] = rows_str(r, "problem_title");
        g->cell[c][e] = r;
    }
}

static double rps(const json_value *r)
{
    return json_get_num(json_obj_get(json_obj_get(r, "http"), "requests_per_s"));
}

static double p99(const json_value *r)
{
    return json_get_num(json_obj_get(json_obj_get(json_obj_get(r, "http"), "latency_us"), "p99"));
}

static void setup_line(const json_value *root, FILE *f)
{
    const json_value *s = json_obj_get(root, "settings");
    const char *sc = rows_str(s, "server_cpus"), *cc = rows_str(s, "client_cpus");
    double workers = json_get_num(json_obj_get(s, "workers")), depth = json_get_num(json_obj_get(s, "pipeline"));
    fprintf(f, "Each server: %g worker%s, %s%s; load: wrk -t%g -c%g, %g s per endpoint, %s%s", workers,
            workers == 1 ? "" : "s", *sc ? "pinned to CPU " : "not pinned", sc,
            json_get_num(json_obj_get(s, "threads")), json_get_num(json_obj_get(s, "connections")),
            json_get_num(json_obj_get(s, "duration_s")), *cc ? "pinned to CPU " : "not pinned", cc);
    if (depth > 1)
        fprintf(f, "; %s pipelined %g requests per write",
                json_get_bool(json_obj_get(s, "pipeline_all")) ? "every endpoint" : "plaintext", depth);
    fprintf(f, ".\n");
}

static void text_tables(const grid *g, const json_value *root, FILE *f, bool md)
{
    const char *head[MAXE + 1];
    char hbuf[MAXE][64];
    head[0] = "Requests/s";
    for (int e = 0; e < g->ne; e++) {
        snprintf(hbuf[e], sizeof hbuf[e], "%s", g->ep_titles[e]);
        head[e + 1] = hbuf[e];
    }
    for (int pass = 0; pass < 2; pass++) {
        table t;
        head[0] = pass == 0 ? "Requests/s" : "Latency p99";
        if (table_init(&t, (size_t)g->ne + 1, head))
            return;
        for (int e = 1; e <= g->ne; e++)
            t.right[e] = true;
        for (int c = 0; c < g->nc; c++) {
            char cells[MAXE][48];
            const char *row[MAXE + 1];
            row[0] = g->titles[c];
            for (int e = 0; e < g->ne; e++) {
                const json_value *r = g->cell[c][e];
                if (!r)
                    snprintf(cells[e], sizeof cells[e], "—");
                else if (strcmp(rows_str(r, "status"), "ok"))
                    snprintf(cells[e], sizeof cells[e], "%s", rows_str(r, "status"));
                else if (pass == 0)
                    snprintf(cells[e], sizeof cells[e], "%.0f%s", rps(r),
                             json_get_bool(json_obj_get(json_obj_get(r, "http"), "client_bound")) ? " (client-bound)"
                                                                                                   : "");
                else if (p99(r) > 0)
                    snprintf(cells[e], sizeof cells[e], "%.2f ms", p99(r) / 1000);
                else /* wrk records no per-request latency for some pipelined runs */
                    snprintf(cells[e], sizeof cells[e], "—");
                row[e + 1] = cells[e];
            }
            table_add(&t, row);
        }
        table_print(&t, f, md);
        table_free(&t);
        fputc('\n', f);
    }
    setup_line(root, f);
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++) {
            const json_value *r = g->cell[c][e];
            if (r && *rows_str(r, "reason"))
                fprintf(f, "%s%s %s: %s\n", md ? "- " : "  ", g->names[c], g->eps[e], rows_str(r, "reason"));
        }
    if (g->dropped)
        fprintf(f, "%s%zu rows not shown: a table holds at most %d contenders and %d endpoints\n", md ? "- " : "  ",
                g->dropped, MAXC, MAXE);
}

static void text_plain(const void *ctx, FILE *f)
{
    const grid *g = ctx;
    text_tables(g, g->root, f, false);
}

static void chart(const grid *g, FILE *f)
{
    double max = 0;
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++)
            if (g->cell[c][e] && !strcmp(rows_str(g->cell[c][e], "status"), "ok"))
                max = fmax(max, rps(g->cell[c][e]));
    if (max <= 0)
        return;
    static const char *const colors[] = {"#3b6fd8", "#1b8a5a", "#d77a2b", "#8e44ad", "#c0392b", "#16a085",
                                         "#7f8c8d", "#2c3e50"};
    const int label_w = 120, plot_w = 640, bar_h = 14, gap = 14, width = label_w + plot_w + 110;
    int legend_rows = 1;
    for (int c = 0, lx = 0; c < g->nc; c++) {
        int item = 14 + 7 * (int)strlen(g->titles[c]) + 16;
        if (lx + item > width && lx > 0) {
            legend_rows++;
            lx = 0;
        }
        lx += item;
    }
    int top = 16 * legend_rows + 14;
    int height = top + g->ne * (g->nc * bar_h + gap) + 20;
    fprintf(f, "<svg class=\"chart http\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", width,
            height, width, height);
    fprintf(f, "<title>Requests per second by endpoint and contender</title>\n");
    int y = top;
    for (int e = 0; e < g->ne; e++) {
        fprintf(f, "<text x=\"0\" y=\"%d\">", y + (g->nc * bar_h) / 2 + 4);
        html_escape(f, g->eps[e]);
        fprintf(f, "</text>\n");
        for (int c = 0; c < g->nc; c++, y += bar_h) {
            const json_value *r = g->cell[c][e];
            if (!r || strcmp(rows_str(r, "status"), "ok"))
                continue;
            double v = rps(r), w = fmax(plot_w * v / max, 1);
            fprintf(f, "<rect class=\"bar\" data-rung=\"");
            html_escape(f, g->names[c]);
            /* style, not fill=: the page's CSS colours .bar, and CSS beats presentation attributes */
            fprintf(f, "\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" style=\"fill:%s\"><title>", label_w, y + 1,
                    w, bar_h - 2, colors[c % 8]);
            html_escape(f, g->titles[c]);
            fprintf(f, " %s: %.0f req/s, p99 %.2f ms</title></rect>", g->eps[e], v, p99(r) / 1000);
            bool bound = json_get_bool(json_obj_get(json_obj_get(r, "http"), "client_bound"));
            fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.0f%s</text>\n", label_w + w + 4, y + bar_h - 3, v,
                    bound ? " (client-bound: the load generator was saturated)" : "");
        }
        y += gap;
    }
    for (int c = 0, lx = 0, ly = 6; c < g->nc; c++) {
        int item = 14 + 7 * (int)strlen(g->titles[c]) + 16;
        if (lx + item > width && lx > 0) {
            lx = 0;
            ly += 16;
        }
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" style=\"fill:%s\"/><text x=\"%d\" y=\"%d\">",
                lx, ly, colors[c % 8], lx + 14, ly + 9);
        html_escape(f, g->titles[c]);
        fprintf(f, "</text>");
        lx += item;
    }
    fprintf(f, "\n</svg>\n");
}

void http_report_render(const json_value *root, report_format fmt, FILE *f)
{
    grid g;
    build(root, &g);
    if (fmt == REPORT_HTML) {
        fprintf(f, "<section class=\"http\"><h2>Does the framework matter? Requests per second</h2>\n");
        chart(&g, f);
        html_pre(f, text_plain, &g);
        fprintf(f, "</section>\n");
    } else {
        if (fmt == REPORT_MARKDOWN)
            fprintf(f, "## Does the framework matter?\n\n");
        else
            fprintf(f, "HTTP: requests per second (higher is better) and p99 latency\n");
        text_tables(&g, root, f, fmt == REPORT_MARKDOWN);
        fputc('\n', f);
    }
}
