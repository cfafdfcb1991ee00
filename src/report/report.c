#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "harness/fsutil.h"
#include "report/model.h"
#include "report/report_http.h"
#include "report/report_lifecycle.h"
#include "report/results.h"
#include "report/table.h"

void report_format_ns(double ns, char *out, size_t cap)
{
    if (ns >= 1e9)
        snprintf(out, cap, "%.*f s", ns >= 1e11 ? 0 : ns >= 1e10 ? 1 : 2, ns / 1e9);
    else if (ns >= 1e6)
        snprintf(out, cap, "%.*f ms", ns >= 1e8 ? 0 : ns >= 1e7 ? 1 : 2, ns / 1e6);
    else if (ns >= 1e3)
        snprintf(out, cap, "%.*f µs", ns >= 1e5 ? 0 : ns >= 1e4 ? 1 : 2, ns / 1e3);
    else
        snprintf(out, cap, "%.0f ns", ns);
}

static void format_ratio(double x, char *out, size_t cap)
{
    if (x <= 0)
        snprintf(out, cap, "—");
    else if (x >= 100)
        snprintf(out, cap, "%.0fx", x);
    else if (x >= 10)
        snprintf(out, cap, "%.1fx", x);
    else
        snprintf(out, cap, "%.2fx", x);
}

static void format_rss(long kb, char *out, size_t cap)
{
    if (kb <= 0)
        snprintf(out, cap, "—");
    else if (kb >= 1024 * 1024)
        snprintf(out, cap, "%.2f GiB", kb / 1048576.0);
    else
        snprintf(out, cap, "%.1f MiB", kb / 1024.0);
}

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
    static const char *const head[] = {"Approach", "Time", "±", "vs CPython", "vs C", "Threads",
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
            report_format_ns(r->median, tm, sizeof tm);
            if (r->noisy)
                strcat(tm, " !");
            snprintf(sp, sizeof sp, "%.1f%%", 100 * r->rel_spread);
        }
        format_ratio(model_speedup(r, g->baseline), vb, sizeof vb);
        format_ratio(model_speedup(r, g->ceiling), vc, sizeof vc);
        if (r->ok)
            snprintf(th, sizeof th, "%d", r->threads);
        if (r->ok && r->jit && r->first_ns > 0)
            report_format_ns(r->first_ns, first, sizeof first);
        if (r->wall_ns > 0) {
            report_format_ns(r->wall_ns, wall, sizeof wall);
            report_format_ns(r->cpu_ns, cpu, sizeof cpu);
        }
        format_rss(r->rss_kb, rss, sizeof rss);
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

static void header_line(const model *m, FILE *f, bool markdown)
{
    if (m->nrows == 0) {
        fprintf(f, markdown ? "# ladder report\n\n- Machine: %s, %ld cores, %s\n\n" : "ladder — %s, %ld cores, %s\n\n",
                m->cpu, m->cores, m->kernel);
        return;
    }
    if (markdown) {
        fprintf(f, "# ladder report\n\n");
        fprintf(f, "- Machine: %s, %ld cores, %s, %s\n", m->cpu, m->cores, m->kernel, m->os);
        fprintf(f, "- Run: %s, size `%s`, %ld warm-up + %ld counted iterations per rung\n", m->started, m->size,
                m->warmup, m->repeat);
        fprintf(f, "- Time is the median in-process kernel time; ± is the median absolute deviation; "
                   "Process and CPU are whole-process wall and user+sys time from wait4.\n\n");
    } else {
        fprintf(f, "ladder — %s, %ld cores, %s\n", m->cpu, m->cores, m->kernel);
        fprintf(f, "size %s · %ld warm-up + %ld counted iterations · time = median kernel time, ± = MAD\n\n",
                m->size, m->warmup, m->repeat);
    }
}

int report_render(const json_value *results, report_format fmt, FILE *out, char *err, size_t cap)
{
    if (results_check(results, err, cap))
        return -1;
    model m;
    if (model_build(results, &m, err, cap))
        return -1;
    if (fmt == REPORT_HTML) {
        html_render(&m, results, out);
    } else {
        bool md = fmt == REPORT_MARKDOWN;
        header_line(&m, out, md);
        for (size_t q = 0; q < m.ngroups; q++) {
            const model_group *g = &m.groups[q];
            if (md)
                fprintf(out, "## %s (N = %ld, size %s)\n\n", g->title, g->n, g->size);
            else
                fprintf(out, "%s  N=%ld (%s)\n", g->title, g->n, g->size);
            card(g, out, md);
            fputc('\n', out);
        }
        if (report_http_present(results))
            report_http(results, fmt, out);
        if (report_lifecycle_present(results))
            report_lifecycle(results, fmt, out);
    }
    model_free(&m);
    if (ferror(out)) {
        snprintf(err, cap, "write error");
        return -1;
    }
    return 0;
}

char *report_render_alloc(const json_value *results, report_format fmt, size_t *len, char *err, size_t cap)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    int rc = report_render(results, fmt, f, err, cap);
    fclose(f);
    if (rc) {
        free(buf);
        return NULL;
    }
    return buf;
}

int report_write_outputs(const char *dir, const char *json_text, size_t json_len, const json_value *results,
                         char *err, size_t cap)
{
    char path[4096];
    if (fs_mkdirs(dir, err, cap))
        return -1;
    char *with_nl = malloc(json_len + 1);
    if (!with_nl) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    memcpy(with_nl, json_text, json_len);
    with_nl[json_len] = '\n';
    snprintf(path, sizeof path, "%s/results.json", dir);
    int rc = fs_write_atomic(path, with_nl, json_len + 1, err, cap);
    free(with_nl);
    static const struct {
        const char *name;
        report_format fmt;
    } outs[] = {{"report.md", REPORT_MARKDOWN}, {"report.html", REPORT_HTML}};
    for (size_t i = 0; rc == 0 && i < 2; i++) {
        size_t len;
        char *text = report_render_alloc(results, outs[i].fmt, &len, err, cap);
        snprintf(path, sizeof path, "%s/%s", dir, outs[i].name);
        rc = text ? fs_write_atomic(path, text, len, err, cap) : -1;
        free(text);
    }
    return rc;
}
