#include "suites/http/http_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "report/html.h"
#include "report/table.h"
#include "report/rows.h"
#include "suites/http/httpbench.h"

#define MAXC 32
#define MAXE 8

typedef struct {
    const char *names[MAXC], *titles[MAXC];
    int workers[MAXC];
    char labels[MAXC][96]; /* "title, N workers" */
    int nc;
    const char *eps[MAXE], *ep_titles[MAXE];
    int ne;
    const json_value *cell[MAXC][MAXE];
    bool any_sweep;
    size_t dropped; /* rows beyond MAXC series or MAXE endpoints */
} grid;

/* A series is one contender at one worker count. */
static int series_of(grid *g, const char *name, int workers)
{
    for (int i = 0; i < g->nc; i++)
        if (!strcmp(g->names[i], name) && g->workers[i] == workers)
            return i;
    if (g->nc == MAXC)
        return -1;
    g->names[g->nc] = name;
    g->workers[g->nc] = workers;
    return g->nc++;
}

static void build(const json_value *root, grid *g)
{
    memset(g, 0, sizeof *g);
    const json_value *r;
    for (size_t i = 0; (r = rows_next(root, "http", &i));) {
        int c = series_of(g, rows_str(r, "rung"), (int)json_get_num(json_obj_get(r, "workers")));
        int e = rows_index_of(g->eps, &g->ne, MAXE, rows_str(r, "problem"));
        if (c < 0 || e < 0) {
            g->dropped++;
            continue;
        }
        g->titles[c] = rows_str(r, "rung_title");
        g->ep_titles[e] = rows_str(r, "problem_title");
        g->cell[c][e] = r;
        if (json_arr_len(json_obj_get(json_obj_get(r, "http"), "latency_sweep")))
            g->any_sweep = true;
    }
    for (int c = 0; c < g->nc; c++)
        snprintf(g->labels[c], sizeof g->labels[c], "%s, %d worker%s", g->titles[c], g->workers[c],
                 g->workers[c] == 1 ? "" : "s");
}

static const json_value *http_of(const json_value *r)
{
    return json_obj_get(r, "http");
}

static double rps(const json_value *r)
{
    return json_get_num(json_obj_get(http_of(r), "requests_per_s"));
}

static double p99(const json_value *r)
{
    return json_get_num(json_obj_get(json_obj_get(http_of(r), "latency_us"), "p99"));
}

static const json_value *server_of(const json_value *r)
{
    return json_obj_get(http_of(r), "server");
}

static double per_cpu(const json_value *r)
{
    return json_get_num(json_obj_get(server_of(r), "requests_per_cpu_s"));
}

static bool row_ok(const json_value *r)
{
    return r && !strcmp(rows_str(r, "status"), "ok");
}

static void setup_line(const json_value *root, FILE *f)
{
    const json_value *s = json_obj_get(root, "settings"), *wl = json_obj_get(s, "workers");
    const char *sc = rows_str(s, "server_cpus"), *cc = rows_str(s, "client_cpus");
    double depth = json_get_num(json_obj_get(s, "pipeline"));
    fprintf(f, "Each server: ");
    for (size_t i = 0; i < json_arr_len(wl); i++)
        fprintf(f, "%s%g", i ? ", then " : "", json_get_num(json_arr_get(wl, i)));
    fprintf(f, " worker%s, %s%s; load: wrk -t%g -c%g, %g s per endpoint, %s%s",
            json_arr_len(wl) == 1 && json_get_num(json_arr_get(wl, 0)) == 1 ? "" : "s",
            *sc ? "pinned to CPU " : "not pinned", sc, json_get_num(json_obj_get(s, "threads")),
            json_get_num(json_obj_get(s, "connections")), json_get_num(json_obj_get(s, "duration_s")),
            *cc ? "pinned to CPU " : "not pinned", cc);
    if (depth > 1)
        fprintf(f, "; %s pipelined %g requests per write",
                json_get_bool(json_obj_get(s, "pipeline_all")) ? "every endpoint" : "plaintext", depth);
    fprintf(f, ".\nServer cost: the CPU time of the server's whole process tree (every worker and child, from "
               "/proc) over the load, never wrk's; busy is that time over the load's wall time on the server's "
               "CPUs; peak RSS sums the tree's processes (sampled every 100 ms).\n");
    const json_value *lat = json_obj_get(s, "latency");
    if (json_get_type(lat) == JSON_OBJECT) {
        fprintf(f, "Latency sweep: %s, %g connections, %g s per rate, at ", rows_str(lat, "tool"),
                json_get_num(json_obj_get(lat, "connections")), json_get_num(json_obj_get(lat, "duration_s")));
        const json_value *fr = json_obj_get(lat, "of_max");
        for (size_t i = 0; i < json_arr_len(fr); i++)
            fprintf(f, "%s%g%%", i ? ", " : "", 100 * json_get_num(json_arr_get(fr, i)));
        fprintf(f, " of each contender's wrk maximum");
        const json_value *cr = json_obj_get(lat, "common_rates");
        for (size_t i = 0; i < json_arr_len(cr); i++)
            fprintf(f, "%s%g", i == 0 ? " and " : i + 1 == json_arr_len(cr) ? " and " : ", ",
                    json_get_num(json_arr_get(cr, i)));
        if (json_arr_len(cr))
            fprintf(f, " req/s for all");
        double rounds = json_get_num(json_obj_get(lat, "rounds"));
        if (rounds > 0)
            fprintf(f, "; interleaved: every server up at once, %g round%s, each offering every contender each rate "
                       "once in an order shuffled per round (seed %.0f); each figure is the median over the "
                       "rounds, (min-max) beside it, errors summed over the rounds",
                    rounds, rounds == 1 ? "" : "s", json_get_num(json_obj_get(lat, "seed")));
        fprintf(f, "; latency from each request's scheduled start (coordinated omission corrected). Achieved "
                   "(client-bound): oha used 90%% or more of its CPU, so the rate may be the client's limit; "
                   "(short): under 95%% of the offered rate was answered.\n");
    }
}

/* The setup lines as notes of the report's format. */
static void notes(const json_value *root, FILE *f, report_format fmt)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    setup_line(root, mem);
    fclose(mem);
    for (char *save, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        report_note(f, fmt, "%s", line);
    free(text);
}

enum { T_RPS, T_PER_CPU, T_BUSY, T_RSS, T_P99, T_COUNT };

static void cell_text(const json_value *r, int what, char *out, size_t cap)
{
    const json_value *srv = server_of(r);
    if (!r) {
        snprintf(out, cap, "—");
    } else if (!row_ok(r)) {
        snprintf(out, cap, "%s", rows_str(r, "status"));
    } else if (what == T_RPS) {
        snprintf(out, cap, "%.0f%s", rps(r),
                 json_get_bool(json_obj_get(http_of(r), "client_bound")) ? " (client-bound)" : "");
    } else if (what != T_P99 && json_get_type(srv) != JSON_OBJECT) {
        snprintf(out, cap, "—");
    } else if (what == T_PER_CPU) {
        snprintf(out, cap, "%.0f", per_cpu(r));
    } else if (what == T_BUSY) {
        snprintf(out, cap, "%.0f%%", json_get_num(json_obj_get(srv, "cpu_pct")));
    } else if (what == T_RSS) {
        snprintf(out, cap, "%.1f MiB", json_get_num(json_obj_get(srv, "peak_rss_kb")) / 1024);
    } else if (p99(r) > 0) {
        snprintf(out, cap, "%.2f ms", p99(r) / 1000);
    } else { /* wrk records no per-request latency for some pipelined runs */
        snprintf(out, cap, "—");
    }
}

static void ms_text(double us, char *out, size_t cap)
{
    if (us >= 100000)
        snprintf(out, cap, "%.0f ms", us / 1000);
    else
        snprintf(out, cap, "%.2f ms", us / 1000);
}

/* The median over rounds and, when the document has them and the rounds differ, "(min-max)". */
static void range_text(const json_value *x, const char *key, char *out, size_t cap)
{
    double med = json_get_num(json_obj_get(json_obj_get(x, "latency_us"), key));
    const json_value *rg = json_obj_get(json_obj_get(x, "range_us"), key);
    double lo = json_get_num(json_arr_get(rg, 0)), hi = json_get_num(json_arr_get(rg, 1));
    char m[24];
    ms_text(med, m, sizeof m);
    if (json_arr_len(rg) == 2 && json_get_num(json_obj_get(x, "rounds_ok")) > 1)
        snprintf(out, cap, "%s (%.2f-%.2f)", m, lo / 1000, hi / 1000);
    else
        snprintf(out, cap, "%s", m);
}

/* Writes the table when it has rows, and frees it either way. */
static void emit_if_any(table *t, bool any, FILE *f, report_format fmt)
{
    if (any) {
        table_emit(t, f, fmt);
        fputc('\n', f);
    }
    table_free(t);
}

/* One table per endpoint: every series at every offered rate. */
static void sweep_tables(const grid *g, FILE *f, report_format fmt)
{
    static const char *const head[] = {"", "Offered/s", "of max", "Achieved/s", "p50", "p90",
                                       "p99", "p99.9", "max", "errors", "server CPU-s", "rounds ok"};
    const size_t ncols = sizeof head / sizeof head[0];
    for (int e = 0; e < g->ne; e++) {
        table t;
        const char *h[sizeof head / sizeof head[0]];
        char title[96];
        snprintf(title, sizeof title, "Latency at a fixed rate: %s", g->ep_titles[e]);
        for (size_t i = 0; i < ncols; i++)
            h[i] = head[i];
        h[0] = title;
        if (table_init(&t, ncols, h))
            return;
        for (size_t i = 1; i < ncols; i++)
            t.right[i] = true;
        bool any = false;
        for (int c = 0; c < g->nc; c++) {
            const json_value *sw = json_obj_get(http_of(g->cell[c][e]), "latency_sweep");
            for (size_t i = 0; i < json_arr_len(sw); i++) {
                const json_value *x = json_arr_get(sw, i);
                char cells[12][48];
                const char *row[12];
                snprintf(cells[1], sizeof cells[1], "%.0f", json_get_num(json_obj_get(x, "offered_rps")));
                double frac = json_get_num(json_obj_get(x, "of_max"));
                snprintf(cells[2], sizeof cells[2], frac > 0 ? "%.0f%%" : "common", 100 * frac);
                if (json_get_bool(json_obj_get(x, "ok"))) {
                    double offered = json_get_num(json_obj_get(x, "offered_rps")),
                           got = json_get_num(json_obj_get(x, "achieved_rps"));
                    /* "client-bound": oha saturated its CPUs; "short": the rate was not reached */
                    snprintf(cells[3], sizeof cells[3], "%.0f%s", got,
                             json_get_bool(json_obj_get(x, "client_bound")) ? " (client-bound)"
                             : got < 0.95 * offered                            ? " (short)"
                                                                               : "");
                    static const char *const keys[] = {"p50", "p90", "p99", "p99_9", "max"};
                    for (int k = 0; k < 5; k++)
                        range_text(x, keys[k], cells[4 + k], sizeof cells[4 + k]);
                    snprintf(cells[9], sizeof cells[9], "%.0f",
                             json_get_num(json_obj_get(x, "errors")) + json_get_num(json_obj_get(x, "non_2xx")));
                    snprintf(cells[10], sizeof cells[10], "%.2f", json_get_num(json_obj_get(x, "server_cpu_s")));
                } else {
                    snprintf(cells[3], sizeof cells[3], "failed");
                    for (int k = 4; k < 11; k++)
                        snprintf(cells[k], sizeof cells[k], "—");
                }
                if (json_obj_get(x, "rounds"))
                    snprintf(cells[11], sizeof cells[11], "%.0f/%.0f", json_get_num(json_obj_get(x, "rounds_ok")),
                             json_get_num(json_obj_get(x, "rounds")));
                else
                    snprintf(cells[11], sizeof cells[11], "—");
                for (int k = 1; k < 12; k++)
                    row[k] = cells[k];
                row[0] = i == 0 ? g->labels[c] : ""; /* whole: a label may be longer than a cell */
                table_add(&t, row);
                any = true;
            }
        }
        emit_if_any(&t, any, f, fmt);
    }
}

/* The sweep's entry of series c at endpoint e offered exactly rate req/s, or NULL. */
static const json_value *at_rate(const grid *g, int c, int e, double rate)
{
    const json_value *sw = json_obj_get(http_of(g->cell[c][e]), "latency_sweep");
    for (size_t i = 0; i < json_arr_len(sw); i++) {
        const json_value *x = json_arr_get(sw, i);
        if (json_get_num(json_obj_get(x, "of_max")) <= 0 && fabs(json_get_num(json_obj_get(x, "offered_rps")) - rate) < 0.5)
            return x;
    }
    return NULL;
}

/* A rate's median p99, or -1 when it was not measured or under 95% of it was answered (a server
 * past its limit has no latency to compare). */
static double comparable_p99(const json_value *x)
{
    if (!x || !json_get_bool(json_obj_get(x, "ok")))
        return -1;
    if (json_get_num(json_obj_get(x, "achieved_rps")) < 0.95 * json_get_num(json_obj_get(x, "offered_rps")))
        return -1;
    return json_get_num(json_obj_get(json_obj_get(x, "latency_us"), "p99"));
}

/* One table per endpoint: p99 of every series at each common rate side by side, the lowest marked,
 * since only at the same offered rate do two servers' latencies compare. */
static void common_tables(const grid *g, const json_value *root, FILE *f, report_format fmt)
{
    const json_value *rates = json_obj_get(json_obj_get(json_obj_get(root, "settings"), "latency"), "common_rates");
    size_t nr = json_arr_len(rates);
    if (nr == 0 || nr > HB_MAX_COMMON)
        return;
    bool marked = false;
    for (int e = 0; e < g->ne; e++) {
        const char *head[HB_MAX_COMMON + 1];
        char title[96], rh[HB_MAX_COMMON][32];
        snprintf(title, sizeof title, "p99 at the common rates: %s", g->ep_titles[e]);
        head[0] = title;
        double best[HB_MAX_COMMON];
        for (size_t k = 0; k < nr; k++) {
            double rate = json_get_num(json_arr_get(rates, k));
            snprintf(rh[k], sizeof rh[k], "%.0f/s", rate);
            head[k + 1] = rh[k];
            best[k] = -1;
            for (int c = 0; c < g->nc; c++) {
                double p = comparable_p99(at_rate(g, c, e, rate));
                if (p > 0 && (best[k] < 0 || p < best[k]))
                    best[k] = p;
            }
        }
        table t;
        if (table_init(&t, nr + 1, head))
            return;
        for (size_t k = 1; k <= nr; k++)
            t.right[k] = true;
        bool any = false;
        for (int c = 0; c < g->nc; c++) {
            char cells[HB_MAX_COMMON][64];
            const char *row[HB_MAX_COMMON + 1];
            bool has = false;
            row[0] = g->labels[c];
            for (size_t k = 0; k < nr; k++) {
                const json_value *x = at_rate(g, c, e, json_get_num(json_arr_get(rates, k)));
                double p = comparable_p99(x);
                if (p > 0) {
                    char r[48];
                    range_text(x, "p99", r, sizeof r);
                    snprintf(cells[k], sizeof cells[k], "%s%s", r, p == best[k] ? " *" : "");
                    marked |= p == best[k];
                } else {
                    snprintf(cells[k], sizeof cells[k], "%s", !x ? "—" : json_get_bool(json_obj_get(x, "ok")) ? "short" : "failed");
                }
                has |= x != NULL;
                row[k + 1] = cells[k];
            }
            if (has) {
                table_add(&t, row);
                any = true;
            }
        }
        emit_if_any(&t, any, f, fmt);
    }
    if (marked)
        report_note(f, fmt, "p99 at the common rates: * the lowest median p99 at that rate; short: under 95%% of the "
                            "offered rate was answered, so there is no latency to compare");
}

/* The machine's 1-minute load average as the sweep's measurements began: what else ran is most
 * of the rounds' spread. */
static void load_note(const grid *g, FILE *f, report_format fmt)
{
    double v[4096];
    size_t n = 0;
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++) {
            const json_value *sw = json_obj_get(http_of(g->cell[c][e]), "latency_sweep");
            for (size_t i = 0; i < json_arr_len(sw); i++) {
                const json_value *per = json_obj_get(json_arr_get(sw, i), "per_round");
                for (size_t k = 0; k < json_arr_len(per) && n < sizeof v / sizeof v[0]; k++) {
                    const json_value *l = json_obj_get(json_arr_get(per, k), "load1");
                    if (l && json_get_num(l) >= 0)
                        v[n++] = json_get_num(l);
                }
            }
        }
    if (n == 0)
        return;
    double med = stats_median(v, n); /* sorts v */
    report_note(f, fmt, "Load average (1 min) as the %zu sweep measurements began: median %.2f, min-max %.2f-%.2f",
                n, med, v[0], v[n - 1]);
}

static void text_tables(const grid *g, const json_value *root, FILE *f, report_format fmt)
{
    static const char *const names[T_COUNT] = {"Requests/s", "Requests per server CPU-second", "Server CPU busy",
                                               "Server peak RSS", "Latency p99 (wrk, closed loop)"};
    const char *head[MAXE + 1];
    for (int e = 0; e < g->ne; e++)
        head[e + 1] = g->ep_titles[e];
    for (int pass = 0; pass < T_COUNT; pass++) {
        table t;
        head[0] = names[pass];
        if (table_init(&t, (size_t)g->ne + 1, head))
            return;
        for (int e = 1; e <= g->ne; e++)
            t.right[e] = true;
        for (int c = 0; c < g->nc; c++) {
            char cells[MAXE][48];
            const char *row[MAXE + 1];
            row[0] = g->labels[c];
            for (int e = 0; e < g->ne; e++) {
                cell_text(g->cell[c][e], pass, cells[e], sizeof cells[e]);
                row[e + 1] = cells[e];
            }
            table_add(&t, row);
        }
        table_emit(&t, f, fmt);
        table_free(&t);
        fputc('\n', f);
    }
    if (g->any_sweep) {
        sweep_tables(g, f, fmt);
        common_tables(g, root, f, fmt);
    }
    notes(root, f, fmt);
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++) {
            const json_value *r = g->cell[c][e];
            if (r && *rows_str(r, "reason"))
                report_note(f, fmt, "%s (%d worker%s) %s: %s", g->names[c], g->workers[c],
                            g->workers[c] == 1 ? "" : "s", g->eps[e], rows_str(r, "reason"));
        }
    load_note(g, f, fmt);
    if (g->dropped)
        report_note(f, fmt, "%zu rows not shown: a table holds at most %d contenders and %d endpoints", g->dropped,
                    MAXC, MAXE);
}

static const char *const colors[] = {"#3b6fd8", "#1b8a5a", "#d77a2b", "#8e44ad", "#c0392b", "#16a085",
                                     "#7f8c8d", "#2c3e50"};

/* The legend's rows of series labels, wrapped at width; returns the height it takes. */
static int legend(const grid *g, FILE *f, int width)
{
    int ly = 6;
    for (int c = 0, lx = 0; c < g->nc; c++) {
        int item = 14 + 7 * (int)strlen(g->labels[c]) + 16;
        if (lx + item > width && lx > 0) {
            lx = 0;
            ly += 16;
        }
        if (f) {
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" style=\"fill:%s\"/><text x=\"%d\" y=\"%d\">",
                    lx, ly, colors[c % 8], lx + 14, ly + 9);
            html_escape(f, g->labels[c]);
            fprintf(f, "</text>");
        }
        lx += item;
    }
    return ly + 24;
}

/* Bars of req/s; each bar and label also carry the requests per server CPU-second, and the
 * buttons above swap the two (a few lines of script: the page stays self-contained). */
static void chart(const grid *g, FILE *f)
{
    double max = 0, max_cpu = 0;
    for (int c = 0; c < g->nc; c++)
        for (int e = 0; e < g->ne; e++)
            if (row_ok(g->cell[c][e])) {
                max = fmax(max, rps(g->cell[c][e]));
                max_cpu = fmax(max_cpu, per_cpu(g->cell[c][e]));
            }
    if (max <= 0)
        return;
    const int label_w = 120, plot_w = 640, bar_h = 14, gap = 14, width = label_w + plot_w + 160;
    int top = legend(g, NULL, width);
    int height = top + g->ne * (g->nc * bar_h + gap) + 20;
    fprintf(f, "<p class=\"metric-switch\">Show: <button type=\"button\" data-metric=\"rps\">requests per "
               "second</button> <button type=\"button\" data-metric=\"cpu\">requests per server "
               "CPU-second</button></p>\n");
    fprintf(f, "<svg class=\"chart http\" id=\"http-bars\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            width, height, width, height);
    fprintf(f, "<title>Requests per second (or per server CPU-second) by endpoint and contender</title>\n");
    int y = top;
    for (int e = 0; e < g->ne; e++) {
        fprintf(f, "<text x=\"0\" y=\"%d\">", y + (g->nc * bar_h) / 2 + 4);
        html_escape(f, g->eps[e]);
        fprintf(f, "</text>\n");
        for (int c = 0; c < g->nc; c++, y += bar_h) {
            const json_value *r = g->cell[c][e];
            if (!row_ok(r))
                continue;
            double v = rps(r), w = fmax(plot_w * v / max, 1), pc = per_cpu(r);
            double wc = max_cpu > 0 ? fmax(plot_w * pc / max_cpu, 1) : 1;
            bool bound = json_get_bool(json_obj_get(http_of(r), "client_bound"));
            fprintf(f, "<rect class=\"bar\" data-rung=\"");
            html_escape(f, g->names[c]);
            /* style, not fill=: the page's CSS colours .bar, and CSS beats presentation attributes */
            fprintf(f, "\" data-w-rps=\"%.1f\" data-w-cpu=\"%.1f\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                       "style=\"fill:%s\"><title>",
                    w, wc, label_w, y + 1, w, bar_h - 2, colors[c % 8]);
            html_escape(f, g->labels[c]);
            fprintf(f, " %s: %.0f req/s, %.0f per server CPU-second, p99 %.2f ms%s</title></rect>", g->eps[e], v, pc,
                    p99(r) / 1000, bound ? "; client-bound: the load generator was saturated" : "");
            fprintf(f, "<text class=\"bar-label\" data-x-rps=\"%.1f\" data-x-cpu=\"%.1f\" data-t-rps=\"%.0f%s\" "
                       "data-t-cpu=\"%.0f per CPU-s\" x=\"%.1f\" y=\"%d\">%.0f%s</text>\n",
                    label_w + w + 4, label_w + wc + 4, v, bound ? " (client-bound)" : "", pc, label_w + w + 4,
                    y + bar_h - 3, v, bound ? " (client-bound)" : ""); /* the long reason would run off the chart */
        }
        y += gap;
    }
    legend(g, f, width);
    fprintf(f, "\n</svg>\n");
    fprintf(f, "<script>document.querySelectorAll('.metric-switch button').forEach(function(b){"
               "b.addEventListener('click',function(){var m=b.getAttribute('data-metric');"
               "document.querySelectorAll('#http-bars rect.bar').forEach(function(r){"
               "r.setAttribute('width',r.getAttribute('data-w-'+m));});"
               "document.querySelectorAll('#http-bars text.bar-label').forEach(function(t){"
               "t.setAttribute('x',t.getAttribute('data-x-'+m));t.textContent=t.getAttribute('data-t-'+m);});});});"
               "</script>\n");
}

/* The p99's min and max over the rounds; the median itself for a document without them. */
static void p99_range(const json_value *x, double p, double *lo, double *hi)
{
    const json_value *rg = json_obj_get(json_obj_get(x, "range_us"), "p99");
    *lo = json_arr_len(rg) == 2 && json_get_num(json_arr_get(rg, 0)) > 0 ? json_get_num(json_arr_get(rg, 0)) : p;
    *hi = json_arr_len(rg) == 2 && json_get_num(json_arr_get(rg, 1)) > 0 ? json_get_num(json_arr_get(rg, 1)) : p;
}

/* Per endpoint: p99 (the median over rounds, a bar from the rounds' min to max) against offered
 * rate, both axes logarithmic, one line per series. */
static void latency_charts(const grid *g, FILE *f)
{
    const int left = 70, plot_w = 640, plot_h = 260, width = left + plot_w + 60;
    for (int e = 0; e < g->ne; e++) {
        double xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = 0;
        for (int c = 0; c < g->nc; c++) {
            const json_value *sw = json_obj_get(http_of(g->cell[c][e]), "latency_sweep");
            for (size_t i = 0; i < json_arr_len(sw); i++) {
                const json_value *x = json_arr_get(sw, i);
                double p = json_get_num(json_obj_get(json_obj_get(x, "latency_us"), "p99"));
                double o = json_get_num(json_obj_get(x, "offered_rps"));
                if (!json_get_bool(json_obj_get(x, "ok")) || p <= 0 || o <= 0)
                    continue;
                double lo, hi;
                p99_range(x, p, &lo, &hi);
                xmin = fmin(xmin, o), xmax = fmax(xmax, o), ymin = fmin(ymin, lo), ymax = fmax(ymax, hi);
            }
        }
        if (xmax <= 0)
            continue;
        double lx0 = floor(log10(xmin)), lx1 = fmax(ceil(log10(xmax)), lx0 + 1);
        double ly0 = floor(log10(ymin)), ly1 = fmax(ceil(log10(ymax)), ly0 + 1);
        int top = legend(g, NULL, width) + 10, height = top + plot_h + 50;
        fprintf(f, "<h4>p99 against offered load: ");
        html_escape(f, g->ep_titles[e]);
        fprintf(f, "</h4>\n<svg class=\"chart latency\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
                width, height, width, height);
        fprintf(f, "<title>p99 latency against offered load: ");
        html_escape(f, g->ep_titles[e]);
        fprintf(f, "</title>\n");
        legend(g, f, width);
#define XPOS(v) (left + plot_w * (log10(v) - lx0) / (lx1 - lx0))
#define YPOS(v) (top + plot_h - plot_h * (log10(v) - ly0) / (ly1 - ly0))
        for (double d = ly0; d <= ly1; d++) {
            double yy = YPOS(pow(10, d));
            fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" style=\"stroke:#ddd\"/>", left,
                    left + plot_w, yy, yy);
            fprintf(f, "<text x=\"0\" y=\"%.1f\">%g ms</text>\n", yy + 4, pow(10, d) / 1000);
        }
        for (double d = lx0; d <= lx1; d++) {
            double xx = XPOS(pow(10, d));
            fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" style=\"stroke:#ddd\"/>", xx, xx, top,
                    top + plot_h);
            fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.0f/s</text>\n", xx - 12, top + plot_h + 16, pow(10, d));
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\">offered requests per second (log); p99 latency (log), corrected for "
                   "coordinated omission; bars: min-max over the rounds</text>\n",
                left, top + plot_h + 36);
        for (int c = 0; c < g->nc; c++) {
            const json_value *sw = json_obj_get(http_of(g->cell[c][e]), "latency_sweep");
            if (!json_arr_len(sw))
                continue;
            fprintf(f, "<polyline class=\"latency-line\" style=\"fill:none;stroke:%s;stroke-width:2\" points=\"",
                    colors[c % 8]);
            /* the common rate may fall anywhere: points in order of offered rate */
            size_t n = json_arr_len(sw), order[HB_MAX_RATES];
            size_t m = 0;
            for (size_t i = 0; i < n && m < HB_MAX_RATES; i++)
                order[m++] = i;
            for (size_t i = 1; i < m; i++)
                for (size_t k = i; k > 0 && json_get_num(json_obj_get(json_arr_get(sw, order[k]), "offered_rps")) <
                                                json_get_num(json_obj_get(json_arr_get(sw, order[k - 1]), "offered_rps"));
                     k--) {
                    size_t tmp = order[k];
                    order[k] = order[k - 1];
                    order[k - 1] = tmp;
                }
            for (size_t i = 0; i < m; i++) {
                const json_value *x = json_arr_get(sw, order[i]);
                double p = json_get_num(json_obj_get(json_obj_get(x, "latency_us"), "p99"));
                double o = json_get_num(json_obj_get(x, "offered_rps"));
                if (json_get_bool(json_obj_get(x, "ok")) && p > 0 && o > 0)
                    fprintf(f, "%.1f,%.1f ", XPOS(o), YPOS(p));
            }
            fprintf(f, "\"/>\n");
            for (size_t i = 0; i < m; i++) {
                const json_value *x = json_arr_get(sw, order[i]);
                double p = json_get_num(json_obj_get(json_obj_get(x, "latency_us"), "p99"));
                double o = json_get_num(json_obj_get(x, "offered_rps"));
                if (!json_get_bool(json_obj_get(x, "ok")) || p <= 0 || o <= 0)
                    continue;
                double lo, hi;
                p99_range(x, p, &lo, &hi);
                if (hi > lo)
                    fprintf(f, "<line class=\"latency-range\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                               "style=\"stroke:%s;stroke-width:1.5\"/>",
                            XPOS(o), XPOS(o), YPOS(lo), YPOS(hi), colors[c % 8]);
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" style=\"fill:%s\"><title>", XPOS(o), YPOS(p),
                        colors[c % 8]);
                html_escape(f, g->labels[c]);
                fprintf(f, ": %.0f req/s offered, p99 %.2f ms", o, p / 1000);
                if (json_get_num(json_obj_get(x, "rounds_ok")) > 1)
                    fprintf(f, " (median of %.0f rounds, %.2f-%.2f)", json_get_num(json_obj_get(x, "rounds_ok")),
                            lo / 1000, hi / 1000);
                fprintf(f, "</title></circle>");
            }
            fputc('\n', f);
        }
#undef XPOS
#undef YPOS
        fprintf(f, "</svg>\n");
    }
}

void http_report_render(const json_value *root, report_format fmt, FILE *f)
{
    grid g;
    build(root, &g);
    if (fmt == REPORT_HTML) {
        fprintf(f, "<section class=\"http\"><h2>Does the framework matter? Requests per second, and per "
                   "second of the server's CPU</h2>\n");
        chart(&g, f);
        if (g.any_sweep) {
            fprintf(f, "<h3>Latency against offered load</h3>\n");
            latency_charts(&g, f);
        }
        text_tables(&g, root, f, REPORT_HTML);
        fprintf(f, "</section>\n");
    } else {
        if (fmt == REPORT_MARKDOWN)
            fprintf(f, "## Does the framework matter?\n\n");
        else
            fprintf(f, "HTTP: requests per second and per server CPU-second (higher is better), the server's CPU "
                       "and memory, p99 latency\n");
        text_tables(&g, root, f, fmt);
        fputc('\n', f);
    }
}
