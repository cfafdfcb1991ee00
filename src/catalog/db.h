/* A small database layer with two backends: SQLite (a file) and PostgreSQL (libpq).
 *
 * URLs: "postgres://..." or "postgresql://..." go to libpq as they are; "sqlite://PATH" (so
 * sqlite:///abs/file.db) or a plain path open an SQLite file, created if missing.
 *
 * Statements are prepared once (db_prepare) and run many times; SQL is written with PostgreSQL's
 * $1..$n placeholders. "= ANY($n)" takes an integer list (db_p_list): on SQLite it is rewritten to
 * "IN (SELECT value FROM json_each(?n))", so one prepared statement serves any list length.
 *
 * Every call that enters the driver (exec, bind, step, fetch, reset) adds its time to the
 * connection's db_stats, which the caller reads and clears per request; column reads are not
 * counted (they copy from the driver's row buffer and belong to hydration).
 *
 * Ownership: db_open returns a connection the caller closes with db_close, which also finalizes
 * every statement prepared on it. Text returned by db_col_text stays valid until the next
 * db_next or db_done on the same cursor. Errors are return values with a sentence in err. */
#ifndef LADDER_DB_H
#define LADDER_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { DB_SQLITE, DB_POSTGRES } db_backend;

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef struct {
    int64_t ns;      /* time inside the driver */
    int queries;     /* statements executed */
} db_stats;

typedef enum { DB_P_NULL, DB_P_INT, DB_P_TEXT, DB_P_LIST } db_param_kind;

typedef struct {
    db_param_kind kind;
    int64_t i;
    const char *s;        /* DB_P_TEXT: NUL-terminated, borrowed for the call */
    const int64_t *list;  /* DB_P_LIST: borrowed for the call */
    size_t n;
} db_param;

static inline db_param db_p_int(int64_t v) { return (db_param){.kind = DB_P_INT, .i = v}; }
static inline db_param db_p_text(const char *s) { return (db_param){.kind = s ? DB_P_TEXT : DB_P_NULL, .s = s}; }
static inline db_param db_p_null(void) { return (db_param){.kind = DB_P_NULL}; }
static inline db_param db_p_list(const int64_t *v, size_t n) { return (db_param){.kind = DB_P_LIST, .list = v, .n = n}; }

/* A cursor over one statement's rows. Lives on the caller's stack; always end it with db_done. */
typedef struct {
    db_stmt *st;
    void *res;          /* PostgreSQL: the PGresult */
    int row, nrows;     /* PostgreSQL: current row (-1 before the first) and count */
    bool started;
} db_rows;

int db_open(const char *url, db **out, char *err, size_t cap);
void db_close(db *d);
db_backend db_backend_of(const db *d);
const char *db_backend_name(db_backend b);
/* "sqlite" or "postgres" for a URL, without opening it. */
db_backend db_url_backend(const char *url);

/* Runs SQL that takes no parameters and returns no rows (DDL, BEGIN, COMMIT). Not counted. */
int db_exec(db *d, const char *sql, char *err, size_t cap);

/* Prepares sql on d; the statement belongs to d. */
int db_prepare(db *d, const char *sql, db_stmt **out, char *err, size_t cap);

/* Binds params and runs the statement; rows are then read with db_next. */
int db_query(db_stmt *st, const db_param *params, int nparams, db_rows *rows, char *err, size_t cap);
/* 1: a row is ready, 0: no more rows, -1: error (in err). */
int db_next(db_rows *rows, char *err, size_t cap);
bool db_col_null(const db_rows *rows, int col);
int64_t db_col_int(const db_rows *rows, int col);
const char *db_col_text(const db_rows *rows, int col, size_t *len);
void db_done(db_rows *rows);

/* Runs a statement that returns no rows (INSERT). */
int db_run(db_stmt *st, const db_param *params, int nparams, char *err, size_t cap);

/* The driver time and statement count since the last call; clears them. */
db_stats db_stats_take(db *d);

#endif
