#include "suites/compute/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/fmt.h"
#include "report/html.h"
#include "report/rows.h"
#include "report/table.h"

#define COMPARE_BOOTSTRAP_REPS 2000
#define COMPARE_SEED 20240601u

const char *compare_verdict_name(compare_verdict v)
{
    switch (v) {
    case COMPARE_SAME: return "no significant difference";
    case COMPARE_WITHIN: return "within threshold";
    case COMPARE_FASTER: return "faster";
    case COMPARE_SLOWER: return "slower";
    case COMPARE_NONE: return "not comparable";
    case COMPARE_ONLY_BASE: return "only in base";
    case COMPARE_ONLY_NEW: return "only in new";
    }
    return "?";
}

static bool same_machine(const json_value *a, const json_value *b)
{
    const json_value *ma = json_obj_get(a, "machine"), *mb = json_obj_get(b, "machine");
    static const char *const strs[] = {"cpu_model", "arch"};
    for (size_t i = 0; i < 2; i++)
        if (strcmp(rows_str(ma, strs[i]), rows_str(mb, strs[i])))
            return false;
    static const char *const nums[] = {"cores", "memory_kb"};
    for (size_t i = 0; i < 2; i++)
        if (json_get_num(json_obj_get(ma, nums[i])) != json_get_num(json_obj_get(mb, nums[i])))
            return false;
    return true;
}

static bool timed(const model_row *r)
{
    return r && r->ok && r->has_time && r->nsamples > 0;
}

static const model_row *find_row(const model *m, const model_row *like)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (!strcmp(m->rows[i].problem, like->problem) && !strcmp(m->rows[i].rung, like->rung) &&
            m->rows[i].n == like->n)
            return &m->rows[i];
    return NULL;
}

static const model_row *baseline_of(const model *m, const model_row *r)
{
    for (size_t q = 0; q < m->ngroups; q++)
        if (!strcmp(m->groups[q].problem, r->problem) && m->groups[q].n == r->n)
            return m->groups[q].baseline;
    return NULL;
}

static void judge(compare_result *res, compare_row *c)
{
    const model_row *b = c->base, *n = c->new_;
    c->p = -1;
    if (!timed(b) || !timed(n)) {
        c->verdict = COMPARE_NONE;
        c->why = !timed(b) && !timed(n) ? "no time in either" : !timed(b) ? "no time in base" : "no time in new";
        return;
    }
    if (res->cross_machine) {
        if (!strcmp(b->rung, MODEL_BASELINE)) {
            c->verdict = COMPARE_NONE;
            c->why = "the reference across machines";
            return;
        }
        const model_row *bc = baseline_of(&res->base, b), *nc = baseline_of(&res->new_, n);
        if (!timed(bc) || !timed(nc) ||
            stats_bootstrap_ratio2(n->samples, n->nsamples, nc->samples, nc->nsamples, b->samples, b->nsamples,
                                   bc->samples, bc->nsamples, STATS_CONFIDENCE, COMPARE_BOOTSTRAP_REPS, COMPARE_SEED,
                                   &c->ratio)) {
            c->verdict = COMPARE_NONE;
            c->why = "no CPython time to normalize by";
            return;
        }
    } else {
        stats_mwu t;
        if (stats_ratio_ci(n->samples, n->nsamples, b->samples, b->nsamples, STATS_CONFIDENCE, &c->ratio) ||
            stats_mann_whitney(n->samples, n->nsamples, b->samples, b->nsamples, &t)) {
            c->verdict = COMPARE_NONE;
            c->why = "samples not usable";
            return;
        }
        c->p = t.p;
    }
    if (!stats_interval_excludes_one(&c->ratio))
        c->verdict = COMPARE_SAME;
    else if (c->ratio.est > 1 + res->threshold)
        c->verdict = COMPARE_SLOWER;
    else if (c->ratio.est < 1 / (1 + res->threshold))
        c->verdict = COMPARE_FASTER;
    else
        c->verdict = COMPARE_WITHIN;
}

static int per_rung(compare_result *res)
{
    res->rungs = calloc(res->nrows ? res->nrows : 1, sizeof *res->rungs);
    stats_interval *items = calloc(res->nrows ? res->nrows : 1, sizeof *items);
    if (!res->rungs || !items) {
        free(items);
        return -1;
    }
    for (size_t i = 0; i < res->nrows; i++) {
        const compare_row *c = &res->rows[i];
        if (c->ratio.est <= 0)
            continue;
        const model_row *r = c->new_;
        bool seen = false;
        for (size_t q = 0; q < res->nrungs && !seen; q++)
            seen = !strcmp(res->rungs[q].rung, r->rung);
        if (seen)
            continue;
        size_t k = 0;
        for (size_t j = i; j < res->nrows; j++)
            if (res->rows[j].ratio.est > 0 && !strcmp(res->rows[j].new_->rung, r->rung))
                items[k++] = res->rows[j].ratio;
        compare_rung *g = &res->rungs[res->nrungs++];
        g->rung = r->rung;
        g->rung_title = r->rung_title;
        g->nrows = k;
        if (stats_geomean_ci(items, k, STATS_CONFIDENCE, &g->gm)) {
            free(items);
            return -1;
        }
    }
    free(items);
    return 0;
}

int compare_docs(const json_value *base, const char *base_path, const json_value *new_, const char *new_path,
                 double threshold, compare_result *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    out->base_path = base_path;
    out->new_path = new_path;
    out->threshold = threshold;
    out->cross_machine = !same_machine(base, new_);
    char why[200];
    if (model_build(base, &out->base, why, sizeof why)) {
        snprintf(err, cap, "%s: %s", base_path, why);
        return -1;
    }
    if (model_build(new_, &out->new_, why, sizeof why)) {
        snprintf(err, cap, "%s: %s", new_path, why);
        model_free(&out->base);
        return -1;
    }
    out->rows = calloc(out->base.nrows + out->new_.nrows + 1, sizeof *out->rows);
    if (!out->rows) {
        compare_free(out);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    /* in NEW's order, then what only BASE has */
    for (size_t i = 0; i < out->new_.nrows; i++) {
        compare_row *c = &out->rows[out->nrows++];
        c->new_ = &out->new_.rows[i];
        c->base = find_row(&out->base, c->new_);
        if (c->base)
            judge(out, c);
        else
            c->verdict = COMPARE_ONLY_NEW, c->p = -1;
    }
    for (size_t i = 0; i < out->base.nrows; i++)
        if (!find_row(&out->new_, &out->base.rows[i])) {
            compare_row *c = &out->rows[out->nrows++];
            c->base = &out->base.rows[i];
            c->verdict = COMPARE_ONLY_BASE;
            c->p = -1;
        }
    for (size_t i = 0; i < out->nrows; i++)
        out->counts[out->rows[i].verdict]++;
    if (per_rung(out)) {
        compare_free(out);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    return 0;
}

void compare_free(compare_result *r)
{
    model_free(&r->base);
    model_free(&r->new_);
    free(r->rows);
    free(r->rungs);
    memset(r, 0, sizeof *r);
}

static const model_row *any_row(const compare_row *c)
{
    return c->new_ ? c->new_ : c->base;
}

static void method_line(const compare_result *r, FILE *f, bool md)
{
    const char *b = md ? "- " : "";
    if (r->cross_machine)
        fprintf(f, "%sThe machine records differ: times are not compared, speedups are. Each row's time is divided by "
                   "its own document's CPython time on the same problem; the ratio is NEW/BASE of those, with a "
                   "percentile bootstrap 95%% interval (%d resamples, fixed seed).\n",
                b, COMPARE_BOOTSTRAP_REPS);
    else
        fprintf(f, "%sSame machine: the ratio is NEW/BASE median kernel time, with its Hodges–Lehmann interval; "
                   "p is the two-sided Mann–Whitney U test (the interval excludes 1 exactly when p is below 1 − its "
                   "level). Below 1 is faster.\n",
                b);
    fprintf(f, "%sVerdict: faster/slower when the interval excludes 1 and the change exceeds the threshold (%.1f%%); "
               "\"within threshold\" when significant but smaller.\n",
            b, 100 * r->threshold);
}

static void counts_line(const compare_result *r, FILE *f)
{
    size_t compared = r->counts[COMPARE_SAME] + r->counts[COMPARE_WITHIN] + r->counts[COMPARE_FASTER] +
                      r->counts[COMPARE_SLOWER];
    fprintf(f, "%zu rows compared: %zu faster, %zu slower, %zu no significant difference, %zu within threshold",
            compared, r->counts[COMPARE_FASTER], r->counts[COMPARE_SLOWER], r->counts[COMPARE_SAME],
            r->counts[COMPARE_WITHIN]);
    if (r->counts[COMPARE_NONE])
        fprintf(f, "; %zu not comparable", r->counts[COMPARE_NONE]);
    if (r->counts[COMPARE_ONLY_BASE] || r->counts[COMPARE_ONLY_NEW])
        fprintf(f, "; %zu only in base, %zu only in new", r->counts[COMPARE_ONLY_BASE], r->counts[COMPARE_ONLY_NEW]);
    fprintf(f, "\n");
}

static void time_cell(const model_row *r, char *out, size_t cap)
{
    if (timed(r))
        fmt_ns(r->median, out, cap);
    else
        snprintf(out, cap, "%s", r ? r->status : "—");
}

/* The text cells a comparison row shows in every format. */
typedef struct {
    char base[32], new_[32], ratio[48], p[16];
} row_text;

static void row_cells(const compare_row *c, row_text *t)
{
    time_cell(c->base, t->base, sizeof t->base);
    time_cell(c->new_, t->new_, sizeof t->new_);
    snprintf(t->ratio, sizeof t->ratio, "—");
    snprintf(t->p, sizeof t->p, "—");
    if (c->ratio.est > 0)
        fmt_interval(&c->ratio, t->ratio, sizeof t->ratio);
    if (c->p >= 0)
        snprintf(t->p, sizeof t->p, "%.3g", c->p);
}

static void render_text(const compare_result *r, FILE *f, bool md)
{
    if (md)
        fprintf(f, "## Comparison: `%s` → `%s`\n\n", r->base_path, r->new_path);
    else
        fprintf(f, "ladder compare: %s (base) → %s (new)\n", r->base_path, r->new_path);
    method_line(r, f, md);
    fputc('\n', f);
    static const char *const head[] = {"Problem", "N", "Approach", "Base", "New", "New/Base", "p", "Verdict"};
    table t;
    if (table_init(&t, 8, head))
        return;
    t.right[1] = t.right[3] = t.right[4] = t.right[5] = t.right[6] = true;
    for (size_t i = 0; i < r->nrows; i++) {
        const compare_row *c = &r->rows[i];
        const model_row *x = any_row(c);
        char n[24];
        row_text rt;
        snprintf(n, sizeof n, "%ld", x->n);
        row_cells(c, &rt);
        char verdict[64];
        snprintf(verdict, sizeof verdict, "%s%s%s", compare_verdict_name(c->verdict), c->why ? ": " : "",
                 c->why ? c->why : "");
        const char *cells[] = {x->problem, n, x->rung_title, rt.base, rt.new_, rt.ratio, rt.p, verdict};
        table_add(&t, cells);
    }
    table_print(&t, f, md);
    table_free(&t);
    fputc('\n', f);
    if (md)
        fprintf(f, "### Per approach: geometric mean of New/Base\n\n");
    else
        fprintf(f, "Per approach: geometric mean of New/Base over its rows (95%% interval)\n");
    static const char *const ghead[] = {"Approach", "New/Base", "Rows"};
    if (table_init(&t, 3, ghead))
        return;
    t.right[1] = t.right[2] = true;
    for (size_t i = 0; i < r->nrungs; i++) {
        char gm[48], k[16];
        fmt_interval(&r->rungs[i].gm, gm, sizeof gm);
        snprintf(k, sizeof k, "%zu", r->rungs[i].nrows);
        const char *cells[] = {r->rungs[i].rung_title, gm, k};
        table_add(&t, cells);
    }
    table_print(&t, f, md);
    table_free(&t);
    fputc('\n', f);
    counts_line(r, f);
}

static void render_html(const compare_result *r, FILE *f)
{
    fprintf(f, "<section class=\"compare\"><h2>Comparison <small><code>");
    html_escape(f, r->base_path);
    fprintf(f, "</code> → <code>");
    html_escape(f, r->new_path);
    fprintf(f, "</code></small></h2>\n<p class=\"note\">");
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (m) {
        method_line(r, m, false);
        counts_line(r, m);
        fclose(m);
        html_escape(f, text);
        free(text);
    }
    fprintf(f, "</p>\n");
    /* the chart: each compared row's ratio as a dot with its interval, log scale around 1 */
    size_t k = 0;
    double lo = 1, hi = 1;
    for (size_t i = 0; i < r->nrows; i++) {
        const stats_interval *ci = &r->rows[i].ratio;
        if (ci->est <= 0)
            continue;
        k++;
        lo = fmin(lo, ci->level > 0 ? ci->lo : ci->est);
        hi = fmax(hi, ci->level > 0 ? ci->hi : ci->est);
    }
    double span = fmax(log10(hi), -log10(lo)) * 1.1;
    if (span < 0.02)
        span = 0.02;
    const int label_w = 300, plot_w = 500, row_h = 18, top = 28, extra = 340;
    int height = top + (int)k * row_h + 30, width = label_w + plot_w + extra;
    fprintf(f, "<svg class=\"chart compare\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", width,
            height, width, height);
    fprintf(f, "<title>New/Base ratio per row with its interval, log scale</title>\n");
#define CXPOS(v) (label_w + plot_w * (log10(v) + span) / (2 * span))
    double x1 = CXPOS(1.0);
    fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x1, top - 6, x1, height - 24);
    fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">1x (no change)</text>", x1, height - 8);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"start\">%.3gx faster</text>", label_w, height - 8, pow(10, span));
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3gx slower</text>\n", label_w + plot_w, height - 8,
            pow(10, span));
    size_t y_i = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const compare_row *c = &r->rows[i];
        if (c->ratio.est <= 0)
            continue;
        double y = top + (double)y_i++ * row_h + row_h / 2.0;
        const char *color = c->verdict == COMPARE_SLOWER   ? "#c0392b"
                            : c->verdict == COMPARE_FASTER ? "#1b8a5a"
                                                           : "#555";
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", label_w - 8, y + 4);
        html_escape(f, c->new_->problem);
        fprintf(f, " · ");
        html_escape(f, c->new_->rung_title);
        fprintf(f, "</text>");
        if (c->ratio.level > 0)
            fprintf(f, "<line class=\"ci\" stroke=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", color,
                    CXPOS(c->ratio.lo), y, CXPOS(c->ratio.hi), y);
        char lab[64];
        fmt_interval(&c->ratio, lab, sizeof lab);
        fprintf(f, "<circle class=\"ratio\" fill=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%s: %s</title></circle>",
                color, CXPOS(c->ratio.est), y, lab, compare_verdict_name(c->verdict));
        fprintf(f, "<text x=\"%d\" y=\"%.1f\">%s · %s</text>\n", label_w + plot_w + 8, y + 4, lab,
                compare_verdict_name(c->verdict));
    }
#undef CXPOS
    fprintf(f, "</svg>\n<table><thead><tr><th>Problem</th><th>N</th><th>Approach</th><th>Base</th><th>New</th>"
               "<th>New/Base</th><th>p</th><th>Verdict</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->nrows; i++) {
        const compare_row *c = &r->rows[i];
        const model_row *x = any_row(c);
        row_text rt;
        row_cells(c, &rt);
        fprintf(f, "<tr class=\"%s\"><td>", c->verdict == COMPARE_SLOWER ? "failed" : "ok");
        html_escape(f, x->problem);
        fprintf(f, "</td><td class=\"n\">%ld</td><td>", x->n);
        html_escape(f, x->rung_title);
        fprintf(f, "</td><td class=\"n\">");
        html_escape(f, rt.base);
        fprintf(f, "</td><td class=\"n\">");
        html_escape(f, rt.new_);
        fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s", rt.ratio, rt.p, compare_verdict_name(c->verdict));
        if (c->why) {
            fprintf(f, ": ");
            html_escape(f, c->why);
        }
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody></table>\n<h3>Per approach: geometric mean of New/Base</h3>\n<table><thead><tr><th>Approach"
               "</th><th>New/Base</th><th>Rows</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->nrungs; i++) {
        char gm[48];
        fmt_interval(&r->rungs[i].gm, gm, sizeof gm);
        fprintf(f, "<tr><td>");
        html_escape(f, r->rungs[i].rung_title);
        fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%zu</td></tr>\n", gm, r->rungs[i].nrows);
    }
    fprintf(f, "</tbody></table></section>\n");
}

void compare_render(const compare_result *r, report_format fmt, FILE *out)
{
    if (fmt == REPORT_HTML)
        render_html(r, out);
    else
        render_text(r, out, fmt == REPORT_MARKDOWN);
}

static void interval_kv(json_writer *w, const char *key, const stats_interval *ci)
{
    json_key(w, key);
    if (ci->est <= 0) {
        json_null(w);
        return;
    }
    json_obj_begin(w);
    json_kv_num(w, "est", ci->est);
    json_kv_num(w, "lo", ci->lo);
    json_kv_num(w, "hi", ci->hi);
    json_kv_num(w, "level", ci->level);
    json_obj_end(w);
}

void compare_write(json_writer *w, const compare_result *r)
{
    json_obj_begin(w);
    json_kv_str(w, "base", r->base_path);
    json_kv_str(w, "new", r->new_path);
    json_kv_str(w, "mode", r->cross_machine ? "cross-machine" : "same-machine");
    json_kv_str(w, "method", r->cross_machine ? "bootstrap of (new/new cpython)/(base/base cpython)"
                                              : "hodges-lehmann interval, mann-whitney u");
    json_kv_num(w, "threshold", r->threshold);
    json_key(w, "counts");
    json_obj_begin(w);
    for (int v = COMPARE_SAME; v <= COMPARE_ONLY_NEW; v++)
        json_kv_int(w, compare_verdict_name((compare_verdict)v), (int64_t)r->counts[v]);
    json_obj_end(w);
    json_key(w, "rows");
    json_arr_begin(w);
    for (size_t i = 0; i < r->nrows; i++) {
        const compare_row *c = &r->rows[i];
        const model_row *x = any_row(c);
        json_obj_begin(w);
        json_kv_str(w, "problem", x->problem);
        json_kv_str(w, "rung", x->rung);
        json_kv_str(w, "size", x->size);
        json_kv_int(w, "n", x->n);
        json_kv_str(w, "verdict", compare_verdict_name(c->verdict));
        json_kv_str(w, "why", c->why);
        interval_kv(w, "ratio", &c->ratio);
        json_key(w, "p");
        if (c->p >= 0)
            json_num(w, c->p);
        else
            json_null(w);
        json_key(w, "base_median_ns");
        timed(c->base) ? json_num(w, c->base->median) : json_null(w);
        json_key(w, "new_median_ns");
        timed(c->new_) ? json_num(w, c->new_->median) : json_null(w);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "rungs");
    json_arr_begin(w);
    for (size_t i = 0; i < r->nrungs; i++) {
        json_obj_begin(w);
        json_kv_str(w, "rung", r->rungs[i].rung);
        json_kv_int(w, "rows", (int64_t)r->rungs[i].nrows);
        interval_kv(w, "geomean", &r->rungs[i].gm);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}
