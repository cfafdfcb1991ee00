/* Renders a results document (parsed JSON) as the terminal report, Markdown, or a
 * self-contained HTML page. The page shell and the header (machine, run) are written here;
 * everything else comes from the sections the caller passes, one per suite, each rendering
 * the rows of its own suites (src/suites/suites.h lists them). Rows that no section claims are
 * not dropped silently: the report says how many there were and of which suite. Reads only
 * the document; writes to out. */
#ifndef LADDER_REPORT_H
#define LADDER_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "json/json.h"

typedef enum { REPORT_TERMINAL, REPORT_MARKDOWN, REPORT_HTML } report_format;

typedef struct {
    const char *name;
    const char *const *suites; /* the row "suite" values it renders, NULL-terminated */
    void (*render)(const json_value *root, report_format fmt, FILE *out);
} report_section;

typedef struct {
    const report_section *list;
    size_t n;
} report_sections;

/* Markup every section shares, so one function renders all three formats: a heading (### in
 * Markdown, <h3> in HTML), a note line (a "- " bullet in Markdown, <p class="note"> in HTML;
 * HTML escaped). */
void report_heading(FILE *f, report_format fmt, const char *text, ...) __attribute__((format(printf, 3, 4)));
void report_note(FILE *f, report_format fmt, const char *text, ...) __attribute__((format(printf, 3, 4)));

/* True when some row of the document has one of the section's suites. */
bool report_section_present(const report_section *s, const json_value *root);

/* Returns 0, or -1 with a reason when the document cannot be rendered. */
int report_render(const json_value *results, const report_sections *sections, report_format fmt, FILE *out,
                  char *err, size_t cap);
/* Renders into a malloc'd buffer (caller frees); NULL with a reason in err. */
char *report_render_alloc(const json_value *results, const report_sections *sections, report_format fmt,
                          size_t *len, char *err, size_t cap);
/* Writes DIR/results.json (json_text plus a newline), DIR/report.md and DIR/report.html, each
 * atomically; creates DIR. Returns 0, or -1 with a reason in err. */
int report_write_outputs(const char *dir, const char *json_text, size_t json_len, const json_value *results,
                         const report_sections *sections, char *err, size_t cap);

#endif
