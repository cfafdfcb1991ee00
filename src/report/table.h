/* A small table: rows of owned cell strings, rendered aligned (terminal), as Markdown or as an
 * HTML <table> (cells escaped; right-aligned columns get class "n"). */
#ifndef LADDER_REPORT_TABLE_H
#define LADDER_REPORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/report.h"

#define TABLE_MAX_COLS 16

typedef struct {
    size_t ncols, nrows, cap;
    char **cells; /* nrows * ncols, row 0 is the header */
    bool right[TABLE_MAX_COLS];
} table;

int table_init(table *t, size_t ncols, const char *const *header);
/* Adds a row; cells are copied. Returns -1 if out of memory. */
int table_add(table *t, const char *const *cells);
void table_print(const table *t, FILE *f, bool markdown);
void table_print_html(const table *t, FILE *f);
/* In the report's format: aligned text, Markdown or HTML. */
void table_emit(const table *t, FILE *f, report_format fmt);
void table_free(table *t);
size_t table_display_width(const char *s);

#endif
