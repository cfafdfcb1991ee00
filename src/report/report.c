#include "report/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "core/results.h"
#include "core/strbuf.h"
#include "report/html.h"
#include "report/rows.h"

static void vmarkup(FILE *f, report_format fmt, const char *md_pre, const char *md_post, const char *html_tag,
                    const char *html_class, const char *text, va_list ap)
{
    char *line = NULL;
    if (vasprintf(&line, text, ap) < 0)
        return;
    if (fmt == REPORT_HTML) {
        fprintf(f, "<%s%s>", html_tag, html_class);
        html_escape(f, line);
        fprintf(f, "</%s>\n", html_tag);
    } else {
        fprintf(f, "%s%s%s", fmt == REPORT_MARKDOWN ? md_pre : "", line, fmt == REPORT_MARKDOWN ? md_post : "\n");
    }
    free(line);
}

void report_heading(FILE *f, report_format fmt, const char *text, ...)
{
    va_list ap;
    va_start(ap, text);
    vmarkup(f, fmt, "### ", "\n\n", "h3", "", text, ap);
    va_end(ap);
}

void report_note(FILE *f, report_format fmt, const char *text, ...)
{
    va_list ap;
    va_start(ap, text);
    vmarkup(f, fmt, "- ", "\n", "p", " class=\"note\"", text, ap);
    va_end(ap);
}

static bool claims(const report_section *s, const char *suite)
{
    for (const char *const *p = s->suites; p && *p; p++)
        if (!strcmp(*p, suite))
            return true;
    return false;
}

bool report_section_present(const report_section *s, const json_value *root)
{
    const json_value *rows = json_obj_get(root, "rows");
    for (size_t i = 0; i < json_arr_len(rows); i++)
        if (claims(s, rows_str(json_arr_get(rows, i), "suite")))
            return true;
    return false;
}

static void header(const json_value *root, report_format fmt, FILE *f)
{
    const json_value *m = json_obj_get(root, "machine");
    long cores = (long)json_get_num(json_obj_get(m, "cores"));
    if (fmt == REPORT_HTML)
        html_page_begin(root, f);
    else if (fmt == REPORT_MARKDOWN)
        fprintf(f, "# ladder report\n\n- Machine: %s, %ld cores, %s, %s\n- Started: %s\n\n", rows_str(m, "cpu_model"),
                cores, rows_str(m, "kernel"), rows_str(m, "os"), rows_str(root, "started"));
    else
        fprintf(f, "ladder — %s, %ld cores, %s\n\n", rows_str(m, "cpu_model"), cores, rows_str(m, "kernel"));
}

/* Rows of a suite no section renders: say so rather than drop them. */
static void unclaimed(const json_value *root, const report_sections *sections, report_format fmt, FILE *f)
{
    const json_value *rows = json_obj_get(root, "rows");
    const char *suites[16];
    size_t counts[16] = {0}, other = 0;
    int nsuites = 0;
    for (size_t i = 0; i < json_arr_len(rows); i++) {
        const char *suite = rows_str(json_arr_get(rows, i), "suite");
        bool known = false;
        for (size_t s = 0; s < sections->n && !known; s++)
            known = claims(&sections->list[s], suite);
        if (known)
            continue;
        int k = rows_index_of(suites, &nsuites, 16, suite);
        if (k < 0)
            other++;
        else
            counts[k]++;
    }
    for (int k = 0; k < nsuites; k++) {
        if (fmt == REPORT_HTML) {
            fprintf(f, "<p class=\"note\">%zu row%s of suite \"", counts[k], counts[k] == 1 ? "" : "s");
            html_escape(f, suites[k]);
            fprintf(f, "\" not shown: this ladder has no report section for it.</p>\n");
        } else {
            fprintf(f, "%s%zu row%s of suite \"%s\" not shown: this ladder has no report section for it.\n\n",
                    fmt == REPORT_MARKDOWN ? "> " : "", counts[k], counts[k] == 1 ? "" : "s", suites[k]);
        }
    }
    if (other)
        fprintf(f, "%zu more rows of other suites not shown.\n", other);
}

int report_render(const json_value *results, const report_sections *sections, report_format fmt, FILE *out,
                  char *err, size_t cap)
{
    if (results_check(results, err, cap))
        return -1;
    header(results, fmt, out);
    for (size_t i = 0; i < sections->n; i++)
        if (report_section_present(&sections->list[i], results))
            sections->list[i].render(results, fmt, out);
    unclaimed(results, sections, fmt, out);
    if (fmt == REPORT_HTML)
        html_page_end(out);
    if (ferror(out)) {
        snprintf(err, cap, "write error");
        return -1;
    }
    return 0;
}

char *report_render_alloc(const json_value *results, const report_sections *sections, report_format fmt,
                          size_t *len, char *err, size_t cap)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    int rc = report_render(results, sections, fmt, f, err, cap);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, cap, "out of memory");
        rc = -1;
    }
    if (rc) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int write_file(const char *dir, const char *name, const char *text, size_t len, char *err, size_t cap)
{
    strbuf path;
    strbuf_init(&path);
    strbuf_appendf(&path, "%s/%s", dir, name);
    int rc = strbuf_ok(&path) ? fs_write_atomic(path.s, text, len, err, cap) : -1;
    if (!strbuf_ok(&path))
        snprintf(err, cap, "out of memory");
    strbuf_free(&path);
    return rc;
}

int report_write_outputs(const char *dir, const char *json_text, size_t json_len, const json_value *results,
                         const report_sections *sections, char *err, size_t cap)
{
    if (fs_mkdirs(dir, err, cap))
        return -1;
    char *with_nl = malloc(json_len + 1);
    if (!with_nl) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    memcpy(with_nl, json_text, json_len);
    with_nl[json_len] = '\n';
    int rc = write_file(dir, "results.json", with_nl, json_len + 1, err, cap);
    free(with_nl);
    static const struct {
        const char *name;
        report_format fmt;
    } outs[] = {{"report.md", REPORT_MARKDOWN}, {"report.html", REPORT_HTML}};
    for (size_t i = 0; rc == 0 && i < 2; i++) {
        size_t len;
        char *text = report_render_alloc(results, sections, outs[i].fmt, &len, err, cap);
        rc = text ? write_file(dir, outs[i].name, text, len, err, cap) : -1;
        free(text);
    }
    return rc;
}
