/* The book catalog: publishers -> authors -> books, loaded from data/books.csv, served on
 * ladder's HTTP server with every request's time split into phases.
 *
 * Loading (catalog_load) builds the whole catalog in memory, then replaces the tables' contents
 * in one transaction, so loading twice leaves the same rows:
 *   - a publisher is an ISBN registrant prefix from the file; publisher ids follow the prefixes in
 *     byte order, and books without a prefix go to one "Unknown" publisher (the last id);
 *   - an author (exact name) gets ids in order of first appearance, and belongs to the publisher
 *     of most of their books, counting only books with a prefix (an author with none belongs to
 *     "Unknown"); a tie goes to the smallest prefix in byte order;
 *   - a book's id is its row number in the file (1-based).
 *
 * The HTTP app (catalog_app_*) keeps one database connection per worker process and answers
 *   GET /api/health, GET /api/books/{id}, GET /api/books?page=&per_page=,
 *   GET /api/books/n-plus-one?page=&per_page=
 * with the JSON documented in docs/LIFECYCLE.md, Server-Timing and X-Query-Count headers. */
#ifndef LADDER_CATALOG_H
#define LADDER_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/db.h"
#include "http/http_server.h"

typedef struct {
    size_t publishers, authors, books;
    double ms;
} catalog_load_stats;

/* Parses books.csv-shaped RFC 4180 CSV in place (text must have room for len + 1 bytes): quoted
 * fields lose their quotes and "" becomes ". Calls fn once per record with CATALOG_CSV_COLUMNS
 * NUL-terminated fields and the record's first line; a record with another field count, an
 * unterminated quote or garbage after a quote is an error (-1, with the line in err). Blank lines
 * are skipped. A non-zero fn return stops the parse and is returned. */
#define CATALOG_CSV_COLUMNS 6
int catalog_csv_records(char *text, size_t len, int (*fn)(void *, char **, size_t), void *ctx, char *err,
                        size_t cap);

/* Creates the schema if missing and replaces its contents with the books in csv_path. */
int catalog_load(db *d, const char *csv_path, catalog_load_stats *stats, char *err, size_t cap);

enum { CATALOG_PER_PAGE_DEFAULT = 20, CATALOG_PER_PAGE_MAX = 100 };

/* Per-request phase times in ms (see docs/LIFECYCLE.md). */
typedef struct {
    double db, hydrate, serialize, encode, framework, total;
    int queries;
} catalog_timing;

/* Formats "db;dur=X, hydrate;dur=X, serialize;dur=X, encode;dur=X, framework;dur=X, total;dur=X". */
void catalog_timing_format(const catalog_timing *t, char *out, size_t cap);
/* Reads a Server-Timing value written by any server; absent phases are 0. Returns the number of
 * known phases found. */
int catalog_timing_parse(const char *header, catalog_timing *t);

typedef struct catalog_app catalog_app;

/* The app owns a copy of db_url; the connection opens in catalog_app_worker_init (one per worker
 * process) and closes in catalog_app_worker_done. */
catalog_app *catalog_app_new(const char *db_url);
void catalog_app_free(catalog_app *app);
int catalog_app_worker_init(void *app, int worker, char *err, size_t cap);
void catalog_app_worker_done(void *app);
void catalog_app_handle(void *app, const http_request *req, http_response *res);

#endif
