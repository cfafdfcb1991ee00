/* The results document (schema "ladder.results/1"): one JSON object per run with the command,
 * the suite's settings, the machine and one row per measured thing. Every suite writes its
 * document with these pieces, so the header, the machine record and each row's common head
 * (docs/ARCHITECTURE.md, "The results document") are written in one place:
 *
 *   results_begin(w, meta, size);      {"schema", "ladder_version", "started", "command",
 *                                       "settings": {"size": ...
 *   ...                                 the suite's other settings
 *   results_settings_end(w);           }, "machine": {...}
 *   ...                                 the suite's other top-level members, if any
 *   results_rows_begin(w);             "rows": [
 *   {results_head_write(w, &head); the suite's own fields} ...
 *   results_end(w);                    ]}
 */
#ifndef LADDER_RESULTS_H
#define LADDER_RESULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/bench.h"
#include "json/json.h"

#define RESULTS_SCHEMA "ladder.results/1"

typedef struct {
    const char *command;   /* the command line, for the record */
    int64_t started_unix;
    const char *ladder_version;
} results_meta;

/* The fields every row has, whatever its suite. Strings are borrowed; "" and NULL are null. */
typedef struct {
    const char *suite, *problem, *problem_title, *rung, *rung_title, *kind, *costs, *size;
    row_status status;
    const char *failure, *reason, *version;
    bool verified;
} results_head;

/* One numeric member of a flat object: written as an integer when integer is set. */
typedef struct {
    const char *key;
    double value;
    bool integer;
} results_field;

/* Writes the members fields[0..n) into an object the caller has opened. */
void results_fields(json_writer *w, const results_field *fields, size_t n);
/* Writes "key": {fields...}. */
void results_object(json_writer *w, const char *key, const results_field *fields, size_t n);

/* Opens the document, writes its header members and opens "settings" with its "size". */
void results_begin(json_writer *w, const results_meta *meta, const char *size);
/* Closes "settings" and writes "machine". */
void results_settings_end(json_writer *w);
/* Opens "rows". */
void results_rows_begin(json_writer *w);
/* Closes "rows" and the document. */
void results_end(json_writer *w);
/* Writes the common members of a row into an object the caller has opened. */
void results_head_write(json_writer *w, const results_head *h);
/* The head of a row about rung r (its name, title, kind, costs). */
results_head results_head_of(const rung *r, const char *suite, const char *problem_id, const char *problem_title,
                                 const char *size);

/* "cmd arg arg ..." as typed, for the record; NULL when out of memory (free with free()). */
char *results_command_line(const char *prefix, int argc, char **argv);

/* Checks that a parsed document is a results document this version can render: the schema,
 * a rows array, and in every row the common head (strings, status one of ok/failed/skipped,
 * verified a boolean). */
int results_check(const json_value *root, char *err, size_t cap);

#endif
