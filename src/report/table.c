#include "report/table.h"

#include "report/html.h"

#include <stdlib.h>
#include <string.h>

int table_init(table *t, size_t ncols, const char *const *header)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols > TABLE_MAX_COLS ? TABLE_MAX_COLS : ncols;
    return table_add(t, header);
}

int table_add(table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **g = realloc(t->cells, cap * t->ncols * sizeof *g);
        if (!g)
            return -1;
        t->cells = g;
        t->cap = cap;
    }
    for (size_t c = 0; c < t->ncols; c++)
        t->cells[t->nrows * t->ncols + c] = strdup(cells[c] ? cells[c] : "");
    t->nrows++;
    return 0;
}

size_t table_display_width(const char *s)
{
    size_t w = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

void table_print(const table *t, FILE *f, bool markdown)
{
    size_t width[TABLE_MAX_COLS] = {0};
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = table_display_width(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        if (markdown)
            fputs("|", f);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t gap = width[c] - table_display_width(s);
            if (markdown) {
                fputc(' ', f);
                md_cell(f, s);
                fputs(" |", f);
                continue;
            }
            if (c)
                fputs("  ", f);
            if (t->right[c])
                pad(f, gap);
            fputs(s, f);
            if (!t->right[c] && c + 1 < t->ncols)
                pad(f, gap);
        }
        fputc('\n', f);
        if (r == 0) {
            if (markdown) {
                fputs("|", f);
                for (size_t c = 0; c < t->ncols; c++)
                    fputs(t->right[c] ? "---:|" : "---|", f);
            } else {
                size_t total = 0;
                for (size_t c = 0; c < t->ncols; c++)
                    total += width[c] + (c ? 2 : 0);
                for (size_t i = 0; i < total; i++)
                    fputs("─", f);
            }
            fputc('\n', f);
        }
    }
}

void table_print_html(const table *t, FILE *f)
{
    fputs("<table>", f);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(r == 0 ? "<thead><tr>" : "<tr>", f);
        for (size_t c = 0; c < t->ncols; c++) {
            fprintf(f, "<%s%s>", r ? "td" : "th", t->right[c] ? " class=\"n\"" : "");
            html_escape(f, t->cells[r * t->ncols + c]);
            fprintf(f, "</%s>", r ? "td" : "th");
        }
        fputs(r == 0 ? "</tr></thead><tbody>\n" : "</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

void table_emit(const table *t, FILE *f, report_format fmt)
{
    if (fmt == REPORT_HTML)
        table_print_html(t, f);
    else
        table_print(t, f, fmt == REPORT_MARKDOWN);
}

void table_free(table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}
