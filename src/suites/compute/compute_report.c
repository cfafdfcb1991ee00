#include "suites/compute/compute_report.h"

#include <math.h>
#include <stdlib.h>
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

/* The build's cost: its wall time ("41.2 s", "41.2 s, cached" when the product in use came from the
 * cache and its build time is known, "cached" when not) and the product's size; "—" for a rung
 * without a build step. */
static void build_cells(const model_row *r, char *bt, size_t bcap, char *sz, size_t scap)
{
    snprintf(bt, bcap, "—");
    fmt_bytes(r->built ? r->product_bytes : -1, sz, scap);
    if (!r->built)
        return;
    if (r->build_ns > 0) {
        fmt_ns(r->build_ns, bt, bcap);
        if (r->build_cached)
            snprintf(bt + strlen(bt), bcap - strlen(bt), ", cached");
    } else if (r->build_cached) {
        snprintf(bt, bcap, "cached");
    }
}

/* "62.1x (58.0–66.3)", "no significant difference", or "1.00x" for the reference row itself. */
static void speedup_cell(const model_row *r, const model_row *ref, const stats_interval *ci, char *out, size_t cap)
{
    if (r == ref)
        fmt_ratio(1, out, cap);
    else if (!r->ok || !r->has_time || ci->est <= 0)
        fmt_ratio(0, out, cap);
    else
        fmt_speedup_ci(ci, out, cap);
}

/* Throughput cells: bytes over the median time and over its interval; "—" when there are no bytes
 * or no time. */
static void rate_of(double bytes, double median, const stats_interval *ci, char *rate, size_t rcap, char *rci,
                    size_t ccap)
{
    snprintf(rate, rcap, "—");
    snprintf(rci, ccap, "—");
    if (bytes > 0 && median > 0) {
        fmt_rate(bytes / median * 1e9, rate, rcap);
        fmt_rate_ci(bytes, ci, rci, ccap);
    }
}

/* The throughput cells of a row that reported its bytes per iteration: at the median and over the
 * median's interval; "—" otherwise. */
static void rate_cells(const model_row *r, char *rate, size_t rcap, char *ci, size_t ccap)
{
    rate_of(r->ok && r->has_time ? r->work_bytes : 0, r->median, &r->time_ci, rate, rcap, ci, ccap);
}

/* The parts table of a card whose rows timed named parts of their iterations: per part, in the
 * order the rows first name them, each ok row that timed it, in the card's order, with the part's
 * median time, its interval and its throughput, each as the row's own. */
static void parts_card(const model_group *g, FILE *f, report_format fmt)
{
    if (!g->any_parts)
        return;
    size_t total = 0, nnames = 0;
    for (size_t i = 0; i < g->nrows; i++)
        total += g->rows[i]->nparts;
    const char **names = calloc(total ? total : 1, sizeof *names);
    static const char *const head[] = {"Part", "Approach", "Time", "95% CI", "Throughput", "Throughput 95% CI"};
    table t;
    if (!names || table_init(&t, 6, head)) {
        free(names);
        return;
    }
    for (size_t c = 2; c < 6; c++)
        t.right[c] = true;
    for (size_t i = 0; i < g->nrows; i++)
        for (size_t k = 0; k < g->rows[i]->nparts; k++) {
            bool seen = false;
            for (size_t q = 0; q < nnames && !seen; q++)
                seen = !strcmp(names[q], g->rows[i]->parts[k].name);
            if (!seen)
                names[nnames++] = g->rows[i]->parts[k].name;
        }
    for (size_t q = 0; q < nnames; q++)
        for (size_t i = 0; i < g->nrows; i++) {
            const model_row *r = g->rows[i];
            const model_part *p = NULL;
            for (size_t k = 0; k < r->nparts && !p; k++)
                if (!strcmp(r->parts[k].name, names[q]))
                    p = &r->parts[k];
            if (!p || !r->ok || !r->has_time)
                continue;
            char part[96], tm[32] = "—", ci[48] = "—", rate[32], rci[48], sz[32];
            fmt_bytes(p->bytes, sz, sizeof sz);
            snprintf(part, sizeof part, p->bytes > 0 ? "%s (%s)" : "%s", p->name, sz);
            if (p->median > 0) {
                fmt_ns(p->median, tm, sizeof tm);
                if (p->noisy)
                    strcat(tm, " !");
                fmt_ns_ci(&p->time_ci, ci, sizeof ci);
            }
            rate_of(p->bytes, p->median, &p->time_ci, rate, sizeof rate, rci, sizeof rci);
            const char *cells[] = {part, r->rung_title, tm, ci, rate, rci};
            table_add(&t, cells);
        }
    if (fmt == REPORT_HTML)
        fprintf(f, "<h3>Parts <small>timed inside the same iterations</small></h3>\n");
    else if (fmt == REPORT_MARKDOWN)
        fprintf(f, "\nParts, timed inside the same iterations:\n\n");
    else
        fprintf(f, "Parts, timed inside the same iterations:\n");
    table_emit(&t, f, fmt);
    table_free(&t);
    free(names);
}

/* Drops column `at` (and its cell) from a row of n cells: the throughput columns where no row of
 * the card has bytes. */
static void drop_cols(const char **cells, size_t n, size_t at, size_t count)
{
    memmove(cells + at, cells + at + count, (n - at - count) * sizeof *cells);
}

static void card(const model_group *g, FILE *f, bool markdown)
{
    const char *head[] = {"Approach", "Time", "95% CI", "Throughput", "Throughput 95% CI", "vs CPython", "vs C",
                          "Threads, SIMD", "First call", "Process", "CPU", "Peak RSS", "Build", "Product",
                          "What it costs you", "Status"};
    size_t ncols = sizeof head / sizeof head[0];
    if (!g->any_bytes) {
        drop_cols(head, ncols, 3, 2);
        ncols -= 2;
    }
    table t;
    if (table_init(&t, ncols, head))
        return;
    for (size_t c = 1; c + 2 < ncols; c++)
        t.right[c] = true;
    for (size_t i = 0; i < g->nrows; i++) {
        const model_row *r = g->rows[i];
        char tm[32] = "—", sp[48] = "—", vb[48], vc[48], th[16] = "—", first[32] = "—", wall[32] = "—",
             cpu[32] = "—", rss[32], st[48], bt[48], sz[32];
        if (r->ok && r->has_time) {
            fmt_ns(r->median, tm, sizeof tm);
            if (r->noisy || r->rounds_disagree)
                strcat(tm, " !");
            fmt_ns_ci(&r->time_ci, sp, sizeof sp);
        }
        speedup_cell(r, g->baseline, &r->vs_baseline, vb, sizeof vb);
        speedup_cell(r, g->ceiling, &r->vs_ceiling, vc, sizeof vc);
        if (r->ok)
            snprintf(th, sizeof th, *r->simd ? "%d %s" : "%d", r->threads, r->simd);
        if (r->ok && r->jit && r->first_ns > 0)
            fmt_ns(r->first_ns, first, sizeof first);
        if (r->wall_ns > 0) {
            fmt_ns(r->wall_ns, wall, sizeof wall);
            fmt_ns(r->cpu_ns, cpu, sizeof cpu);
        }
        fmt_rss(r->rss_kb, rss, sizeof rss);
        build_cells(r, bt, sizeof bt, sz, sizeof sz);
        status_cell(r, st, sizeof st);
        char rate[32], rci[48];
        rate_cells(r, rate, sizeof rate, rci, sizeof rci);
        const char *cells[] = {r->rung_title, tm, sp, rate, rci, vb, vc, th, first, wall, cpu, rss, bt, sz, r->costs, st};
        if (!g->any_bytes)
            drop_cols(cells, sizeof cells / sizeof cells[0], 3, 2);
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
        } else if (r->noisy || r->rounds_disagree) {
            if (!noted && markdown)
                fputc('\n', f);
            noted = true;
            if (r->noisy)
                fprintf(f, "%s%s: noisy — spread (MAD) %.1f%% of the median over %zu samples, %zu outlier%s\n", bullet,
                        r->rung, 100 * r->rel_spread, r->nsamples, r->outliers, r->outliers == 1 ? "" : "s");
            if (r->rounds_disagree)
                fprintf(f, "%s%s: rounds disagree — their medians differ by %.1f%%, more than twice a round's own "
                           "range (%.1f%%): the machine drifted while it ran\n",
                        bullet, r->rung, 100 * r->round_spread, 100 * r->round_within);
        }
    }
}

/* The intervals' level when some are below 95%, as a sentence ("" otherwise). */
static void level_note(const model *m, char *out, size_t cap)
{
    out[0] = '\0';
    if (m->min_level < STATS_CONFIDENCE - 1e-9)
        snprintf(out, cap, " Some intervals reach only %.0f%%: too few samples for 95%% (more --rounds or --runs).",
                 100 * m->min_level);
}

/* How many rounds, and how the speedups' intervals were made: the sentence each format shows. */
static void rounds_note(const model *m, char *rounds, size_t rcap, char *speedups, size_t scap)
{
    int k = snprintf(rounds, rcap, "%ld round%s", m->rounds, m->rounds == 1 ? "" : "s");
    if (k > 0 && (size_t)k < rcap && m->min_time_s > 0 && m->max_rounds > m->rounds)
        snprintf(rounds + k, rcap - (size_t)k, " (a row whose processes took under %g s in all: more, up to %ld)",
                 m->min_time_s, m->max_rounds);
    snprintf(speedups, scap, "%s",
             m->rounds > 1 ? "speedups pair the rounds both rows ran (the trimmed mean of the per-round log ratios, "
                             "with a Student-t interval moderated across the document's pairs)"
                           : "speedups are ratios of medians with Hodges–Lehmann intervals");
}

static void settings_text(const model *m, FILE *f, bool markdown)
{
    char lv[160], rounds[160], sp[200];
    level_note(m, lv, sizeof lv);
    rounds_note(m, rounds, sizeof rounds, sp, sizeof sp);
    if (markdown) {
        fprintf(f, "- Run: size `%s`, %s of %ld warm-up + %ld counted iterations per rung\n", m->size, rounds, m->warmup,
                m->repeat);
        fprintf(f, "- Time is the median in-process kernel time with its 95%% order-statistic interval; %s, \"no "
                   "significant difference\" where the interval includes 1; Process and CPU are whole-process wall and "
                   "user+sys time from wait4.%s\n\n",
                sp, lv);
    } else {
        fprintf(f, "size %s · %s × (%ld warm-up + %ld counted iterations) · time = median kernel time, CI = its 95%% "
                   "interval; %s%s\n\n",
                m->size, rounds, m->warmup, m->repeat, sp, lv);
    }
}

/* The summary card: each rung's geometric-mean speedup over CPython across its problems. */
static void summary_text(const model *m, FILE *f, bool md)
{
    model_summary *list;
    size_t n;
    if (model_summarize(m, &list, &n) || n == 0) {
        if (n == 0)
            free(list);
        return;
    }
    if (md)
        fprintf(f, "## Summary: geometric-mean speedup over CPython\n\n");
    else
        fprintf(f, "Summary: geometric-mean speedup over CPython (95%% interval from the rows' intervals)\n");
    static const char *const head[] = {"Approach", "Speedup (geometric mean)", "Problems"};
    table t;
    if (table_init(&t, 3, head) == 0) {
        t.right[1] = t.right[2] = true;
        for (size_t i = 0; i < n; i++) {
            char sp[64], cnt[16];
            fmt_speedup_ci(&list[i].gm, sp, sizeof sp);
            snprintf(cnt, sizeof cnt, "%zu", list[i].nproblems);
            const char *cells[] = {list[i].rung_title, sp, cnt};
            table_add(&t, cells);
        }
        table_print(&t, f, md);
        table_free(&t);
    }
    fputc('\n', f);
    free(list);
}

/* "cpython-3.12" / "cpython-3.13t": the version as minor*1000 + patch-free order (t after); -1 if
 * the rung is not one of the per-interpreter CPython rungs. */
static long cpython_version_key(const char *rung)
{
    unsigned major, minor;
    char t = 0;
    if (strncmp(rung, "cpython-", 8) || sscanf(rung + 8, "%u.%u%c", &major, &minor, &t) < 2)
        return -1;
    return (long)major * 100000 + (long)minor * 10 + (t == 't');
}

typedef struct {
    const char *rung, *title;
    long key;
} version_line;

static int cmp_version_line(const void *a, const void *b)
{
    const version_line *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* The experiments' "CPython versions" table: the same bench.py on every CPython found (the
 * per-interpreter rungs cpython-3.X), each problem's time and its ratio to the baseline (the
 * cpython rung, on LADDER_PYTHON, named with its version), oldest version first. */
static void versions_card(const model *m, FILE *f, report_format fmt)
{
    version_line *lines = calloc(m->nrows + 1, sizeof *lines);
    const model_group **cols = calloc(m->ngroups + 1, sizeof *cols);
    size_t nl = 0, nc = 0;
    if (!lines || !cols)
        goto out;
    for (size_t i = 0; i < m->nrows; i++) {
        const model_row *r = &m->rows[i];
        long key = cpython_version_key(r->rung);
        if (key < 0)
            continue;
        bool seen = false;
        for (size_t k = 0; k < nl && !seen; k++)
            seen = !strcmp(lines[k].rung, r->rung);
        if (!seen)
            lines[nl++] = (version_line){r->rung, r->rung_title, key};
    }
    if (nl == 0)
        goto out;
    qsort(lines, nl, sizeof *lines, cmp_version_line);
    for (size_t q = 0; q < m->ngroups; q++) {
        bool any = false;
        for (size_t i = 0; i < m->groups[q].nrows && !any; i++)
            any = cpython_version_key(m->groups[q].rows[i]->rung) >= 0;
        if (any)
            cols[nc++] = &m->groups[q];
    }
    const char *base_version = "";
    for (size_t q = 0; q < nc && !*base_version; q++)
        if (cols[q]->baseline)
            base_version = cols[q]->baseline->version;
    const char *head[TABLE_MAX_COLS] = {"Version"};
    size_t ncols = nc + 1 < TABLE_MAX_COLS ? nc + 1 : TABLE_MAX_COLS;
    for (size_t q = 0; q + 1 < ncols; q++)
        head[q + 1] = cols[q]->title;
    table t;
    if (table_init(&t, ncols, head))
        goto out;
    for (size_t c = 1; c < ncols; c++)
        t.right[c] = true;
    char cells[TABLE_MAX_COLS][128], base_title[200];
    const char *row[TABLE_MAX_COLS];
    for (size_t k = 0; k <= nl; k++) {
        /* the baseline last: the reference the ratios are to */
        const char *rung = k < nl ? lines[k].rung : MODEL_BASELINE;
        if (k < nl) {
            row[0] = lines[k].title;
        } else {
            snprintf(base_title, sizeof base_title, "baseline: %s", *base_version ? base_version : "cpython");
            row[0] = base_title;
        }
        for (size_t q = 0; q + 1 < ncols; q++) {
            const model_row *r = NULL;
            for (size_t i = 0; i < cols[q]->nrows && !r; i++)
                if (!strcmp(cols[q]->rows[i]->rung, rung))
                    r = cols[q]->rows[i];
            snprintf(cells[q + 1], sizeof cells[q + 1], "—");
            if (r && r->ok && r->has_time) {
                char tm[32], ratio[48];
                fmt_ns(r->median, tm, sizeof tm);
                if (r == cols[q]->baseline)
                    snprintf(ratio, sizeof ratio, "1.00x");
                else if (r->vs_baseline.est > 0)
                    fmt_speedup_ci(&r->vs_baseline, ratio, sizeof ratio);
                else
                    snprintf(ratio, sizeof ratio, "?");
                snprintf(cells[q + 1], sizeof cells[q + 1], "%s · %s", tm, ratio);
            } else if (r) {
                snprintf(cells[q + 1], sizeof cells[q + 1], "%s", r->ok ? "—" : r->status);
            }
            row[q + 1] = cells[q + 1];
        }
        table_add(&t, row);
    }
    if (fmt == REPORT_HTML)
        fprintf(f, "<section class=\"versions\" data-problem=\"cpython-versions\"><h2>CPython versions <small>the same "
                   "bench.py on every CPython found; time (speed relative to the baseline)</small></h2>\n");
    else if (fmt == REPORT_MARKDOWN)
        fprintf(f, "## CPython versions: the same bench.py on every CPython found\n\n");
    else
        fprintf(f, "CPython versions: the same bench.py on every CPython found (time, speed relative to the baseline)\n");
    table_emit(&t, f, fmt);
    table_free(&t);
    if (fmt == REPORT_HTML)
        fprintf(f, "</section>\n");
    else
        fputc('\n', f);
out:
    free(lines);
    free(cols);
}

static void render_text(const model *m, FILE *out, bool md)
{
    settings_text(m, out, md);
    summary_text(m, out, md);
    versions_card(m, out, md ? REPORT_MARKDOWN : REPORT_TERMINAL);
    for (size_t q = 0; q < m->ngroups; q++) {
        const model_group *g = &m->groups[q];
        if (md)
            fprintf(out, "## %s (N = %ld, size %s)\n\n", g->title, g->n, g->size);
        else
            fprintf(out, "%s  N=%ld (%s)\n", g->title, g->n, g->size);
        card(g, out, md);
        parts_card(g, out, md ? REPORT_MARKDOWN : REPORT_TERMINAL);
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
        const stats_interval *ci = ref == g->ceiling ? &g->rows[i]->vs_ceiling : &g->rows[i]->vs_baseline;
        if (ci->level > 0 && ci->lo > 0) {
            lo = fmin(lo, ci->lo);
            hi = fmax(hi, ci->hi);
        }
    }
    double dlo = floor(log10(lo)), dhi = ceil(log10(hi));
    if (dhi <= dlo)
        dhi = dlo + 1;
    const int label_w = 230, plot_w = 600, bar_h = 22, top = 28, extra = 220; /* room for "no significant difference" */
    int height = top + (int)bars * bar_h + 30;
    fprintf(f, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            label_w + plot_w + extra, height, label_w + plot_w + extra, height);
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
        const stats_interval *ci = ref == g->ceiling ? &r->vs_ceiling : &r->vs_baseline;
        double tx = fmax(x0, x1);
        if (r != ref && ci->level > 0 && ci->lo > 0 && ci->hi > 0) {
            double wl = XPOS(ci->lo), wh = XPOS(ci->hi);
            fprintf(f, "<path class=\"ci\" stroke=\"#1d2330\" fill=\"none\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f\"/>", wl, y + 6, y + 16, wl,
                    y + 11, wh, wh, y + 6, y + 16);
            tx = fmax(tx, wh);
        }
        char lab[64];
        if (r == ref)
            snprintf(lab, sizeof lab, "1x");
        else
            fmt_speedup_ci(ci, lab, sizeof lab);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", tx + 6, y + 15, lab);
    }
#undef XPOS
    fprintf(f, "</svg>\n");
}

static void table_html(const model_group *g, FILE *f)
{
    fprintf(f, "<table><thead><tr><th>Approach</th><th>Time (median)</th><th>95%% CI</th>%s<th>vs CPython</th>"
               "<th>vs C</th><th>Threads, SIMD</th><th>First call</th><th>Process wall</th><th>CPU</th>"
               "<th>Peak RSS</th><th>Build</th><th>Product</th><th>What it costs you</th><th>Status</th></tr></thead>"
               "<tbody>\n", g->any_bytes ? "<th>Throughput</th><th>Throughput 95% CI</th>" : "");
    for (size_t i = 0; i < g->nrows; i++) {
        const model_row *r = g->rows[i];
        fprintf(f, "<tr class=\"%s\"><td>", r->status);
        html_escape(f, r->rung_title);
        fprintf(f, "</td>");
        char a[48] = "—", b[48] = "—";
        if (r->ok && r->has_time) {
            fmt_ns(r->median, a, sizeof a);
            fmt_ns_ci(&r->time_ci, b, sizeof b);
        }
        fprintf(f, "<td class=\"n\">%s%s</td><td class=\"n\">%s</td>", a, r->noisy || r->rounds_disagree ? " !" : "", b);
        if (g->any_bytes) {
            rate_cells(r, a, sizeof a, b, sizeof b);
            fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td>", a, b);
        }
        char s1[48], s2[48];
        speedup_cell(r, g->baseline, &r->vs_baseline, s1, sizeof s1);
        speedup_cell(r, g->ceiling, &r->vs_ceiling, s2, sizeof s2);
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td>", s1, s2);
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
        char bt[48], sz[32];
        build_cells(r, bt, sizeof bt, sz, sizeof sz);
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td>", bt, sz);
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
        if (r->ok && r->rounds_disagree)
            fprintf(f, "<div class=\"note\">rounds disagree: medians %.1f%% apart, a round's own range %.1f%%</div>",
                    100 * r->round_spread, 100 * r->round_within);
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody></table>\n");
}

/* The summary card in HTML: a table and a log-scale chart of geometric means with intervals. */
static void summary_html(const model *m, FILE *f)
{
    model_summary *list;
    size_t n;
    if (model_summarize(m, &list, &n))
        return;
    if (n == 0) {
        free(list);
        return;
    }
    double lo = 1, hi = 1;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, list[i].gm.level > 0 ? list[i].gm.lo : list[i].gm.est);
        hi = fmax(hi, list[i].gm.level > 0 ? list[i].gm.hi : list[i].gm.est);
    }
    double dlo = floor(log10(lo)), dhi = ceil(log10(hi));
    if (dhi <= dlo)
        dhi = dlo + 1;
    const int label_w = 230, plot_w = 600, bar_h = 22, top = 28, extra = 220;
    int height = top + (int)n * bar_h + 30, width = label_w + plot_w + extra;
    fprintf(f, "<section class=\"summary\" data-problem=\"summary\"><h2>Summary <small>geometric-mean speedup over "
               "CPython across the problems each approach implements</small></h2>\n");
    fprintf(f, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", width,
            height, width, height);
    fprintf(f, "<title>Geometric-mean speedup over CPython, log scale</title>\n");
#define SXPOS(v) (label_w + plot_w * (log10(v) - dlo) / (dhi - dlo))
    for (double d = dlo; d <= dhi; d++) {
        double x = SXPOS(pow(10, d));
        fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, top - 6, x, height - 24);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%gx</text>\n", x, height - 8, pow(10, d));
    }
    for (size_t i = 0; i < n; i++) {
        const model_summary *s = &list[i];
        double y = top + (double)i * bar_h, x0 = SXPOS(1.0), x1 = SXPOS(s->gm.est);
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", label_w - 8, y + 15);
        html_escape(f, s->rung_title);
        fprintf(f, "</text><rect class=\"bar%s\" data-rung=\"", s->gm.est < 1 ? " slower" : "");
        html_escape(f, s->rung);
        fprintf(f, "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"></rect>", fmin(x0, x1), y + 3,
                fmax(fabs(x1 - x0), 2.0), bar_h - 6);
        double tx = fmax(x0, x1);
        if (s->gm.level > 0) {
            double wl = SXPOS(s->gm.lo), wh = SXPOS(s->gm.hi);
            fprintf(f, "<path class=\"ci\" stroke=\"#1d2330\" fill=\"none\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f\"/>", wl, y + 6, y + 16, wl,
                    y + 11, wh, wh, y + 6, y + 16);
            tx = fmax(tx, wh);
        }
        char lab[64];
        fmt_speedup_ci(&s->gm, lab, sizeof lab);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s · %zu problem%s</text>\n", tx + 6, y + 15, lab, s->nproblems,
                s->nproblems == 1 ? "" : "s");
    }
#undef SXPOS
    fprintf(f, "</svg>\n</section>\n");
    free(list);
}

static void render_html(const model *m, FILE *f)
{
    char lv[160], rounds[160], sp[200];
    level_note(m, lv, sizeof lv);
    rounds_note(m, rounds, sizeof rounds, sp, sizeof sp);
    fprintf(f, "<p class=\"note\">Size <code>");
    html_escape(f, m->size);
    fprintf(f, "</code>, %s of %ld warm-up + %ld counted iterations. Time is the median in-process kernel time with "
               "its 95%% order-statistic interval; %s (whiskers), \"no significant difference\" where the interval "
               "includes 1; bars are on a log scale.%s</p>\n",
            rounds, m->warmup, m->repeat, sp, lv);
    summary_html(m, f);
    versions_card(m, f, REPORT_HTML);
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
        parts_card(g, f, REPORT_HTML);
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
