/* The results document: one JSON file per run (schema "ladder.results/1") holding the machine,
 * the settings, every raw sample and one row per (problem, rung). Reports render from it. */
#ifndef LADDER_RESULTS_H
#define LADDER_RESULTS_H

#include "harness/bench.h"
#include "json/json.h"

#define RESULTS_SCHEMA "ladder.results/1"

typedef struct {
    const char *command;   /* the command line, for the record */
    const char *size;      /* size label asked for */
    int warmup, repeat;
    double timeout_s;
    int64_t started_unix;
    const char *ladder_version;
} results_meta;

/* Writes the whole document (a JSON object) into w. */
void results_write(json_writer *w, const results_meta *meta, const bench_row *rows, size_t nrows,
                   const rung_state *states, size_t nstates);
/* The framework benchmark's document: same schema, rows with suite "http". */
#include "harness/httpbench.h"
void results_write_http(json_writer *w, const results_meta *meta, const hb_opts *o, const hb_row *rows, int nrows,
                        const rung_state *states, size_t nstates);

/* Checks that a parsed document is a results document this version can render. */
int results_check(const json_value *root, char *err, size_t cap);

#endif
