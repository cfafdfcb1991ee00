/* The JSON event pipeline of docs/specs/pipeline.md, from raw bytes: filter, transform,
 * aggregate per user, and the canonical summary text (CPython's json.dumps of the summary).
 *
 * A pipeline holds every buffer a run needs (the on-demand reader, user and page tables, the
 * summary text) and keeps them between runs, so repeated runs do not allocate or fault pages
 * again. pipeline_new() returns one to free with pipeline_free(). The input stays the caller's.
 *
 * Stricter than the Python reference on bad input, never looser: every event must be an object
 * with an integer user_id, a string event_type, a timestamp string YYYY-MM-DDTHH:MM:SS (a 'T' or
 * a space between) followed by Z or a +HH:MM / -HH:MM offset, and a metadata object whose page,
 * when present, is a string and whose amount, when present, is a number. Duplicate keys: the
 * last one wins, as in Python's dicts. */
#ifndef LADDER_PIPELINE_H
#define LADDER_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pipeline pipeline;

typedef struct {
    size_t offset;  /* byte offset, 0-based */
    size_t line;    /* 1-based; 0 when the error has no position (out of memory) */
    size_t column;  /* 1-based, in bytes */
    int64_t event;  /* index of the event being read, or -1 outside any event */
    bool after;     /* the failure came after event `event`, which was whole (a truncated array) */
    char msg[160];
} pipeline_error;

typedef struct {
    uint64_t users, events, high_value;
    double amount; /* round2 of the sum, as printed */
} pipeline_totals;

pipeline *pipeline_new(void);
void pipeline_free(pipeline *pl);

/* Runs the pipeline over buf[0..len). Returns 0, or -1 with *err filled (err may be NULL). */
int pipeline_run(pipeline *pl, const char *buf, size_t len, pipeline_error *err);
/* Turns the fast path for events in json.dumps' layout on (the default) or off, so that tests
 * can check that both paths give the same summaries and errors. */
void pipeline_set_fast(pipeline *pl, bool on);
/* Runs split the event array into up to one chunk per thread (threads: default 1, at most 64;
 * see pipeline.c for how the split is found and checked), which the calling thread and
 * threads - 1 workers take in turn. The workers are started by the first run that splits and
 * kept, parked, for the next runs until pipeline_free stops them; each
 * chunk is aggregated on its own and the chunks are merged in order, so the summary, and
 * every error, are byte for byte those of one thread. Chunks are at least 128 KiB unless
 * pipeline_set_min_chunk says otherwise (tests use tiny chunks to split small inputs anywhere;
 * 0 restores the default). */
void pipeline_set_threads(pipeline *pl, int threads);
void pipeline_set_min_chunk(pipeline *pl, size_t bytes);
/* How many chunks the last successful run used: 1 when it ran on one thread (a single thread
 * set, an input too small to split, or bad input, which one thread reads again to word the
 * error). pipeline_last_stolen: how many of them a thread that had ended its own cut off the back
 * of another's while it read (at most one a thread; the others were cut before reading).
 * pipeline_last_redone: how many were read again after the threads because their start turned
 * out not to be an event boundary (inside a string or a nested value). */
/* The string scanners of pl's readers, its own and those it reads chunks with: one of
 * json_od_use_scanner's names ("scalar", "sse2", "avx2", "avx512"). False, changing nothing,
 * where this CPU or build has no such scanner. By default the best this CPU has. */
bool pipeline_use_scanner(pipeline *pl, const char *name);
int pipeline_last_chunks(const pipeline *pl);
int pipeline_last_stolen(const pipeline *pl);
int pipeline_last_redone(const pipeline *pl);
/* The canonical summary of the last successful run, NUL-terminated, owned by pl: valid until
 * the next pipeline_run or pipeline_free. */
const char *pipeline_summary(const pipeline *pl, size_t *len);
void pipeline_get_totals(const pipeline *pl, pipeline_totals *out);
/* "PREFIX:LINE:COLUMN (byte OFFSET, event N): MSG" (", after event N" between events, nothing
 * outside them), or "PREFIX: MSG" without a position. Always NUL-terminates out. */
void pipeline_error_format(const pipeline_error *err, const char *prefix, char *out, size_t cap);

/* Epoch seconds of "YYYY-MM-DDTHH:MM:SS" + "Z" or "+HH:MM"/"-HH:MM" ('T' or ' ' between date
 * and time). Returns NULL, or a short reason why s is not such a timestamp. */
const char *pipeline_parse_timestamp(const char *s, size_t len, int64_t *epoch);

#endif
