#include "catalog/db.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { DB_MAX_PARAMS = 16 };

struct db_stmt {
    db *d;
    sqlite3_stmt *lite;
    char name[24];        /* PostgreSQL's prepared statement name */
    int nparams;
    db_stmt *next;
};

struct db {
    db_backend backend;
    sqlite3 *lite;
    PGconn *pg;
    db_stmt *stmts;
    int nstmts;
    db_stats stats;
    char *scratch;        /* parameter text */
    size_t scratch_cap;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

db_backend db_url_backend(const char *url)
{
    return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13) ? DB_POSTGRES : DB_SQLITE;
}

const char *db_backend_name(db_backend b)
{
    return b == DB_POSTGRES ? "postgres" : "sqlite";
}

db_backend db_backend_of(const db *d)
{
    return d->backend;
}

static void pg_error(const db *d, const char *what, char *err, size_t cap)
{
    const char *msg = PQerrorMessage(d->pg);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    snprintf(err, cap, "%s: %.*s", what, (int)n, msg);
}

int db_open(const char *url, db **out, char *err, size_t cap)
{
    *out = NULL;
    db *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    d->backend = db_url_backend(url);
    if (d->backend == DB_POSTGRES) {
        d->pg = PQconnectdb(url);
        if (!d->pg || PQstatus(d->pg) != CONNECTION_OK) {
            if (d->pg)
                pg_error(d, "cannot connect to PostgreSQL", err, cap);
            else
                snprintf(err, cap, "cannot connect to PostgreSQL: out of memory");
            db_close(d);
            return -1;
        }
        PGresult *r = PQexec(d->pg, "SET client_min_messages = warning");
        PQclear(r);
    } else {
        const char *path = !strncmp(url, "sqlite://", 9) ? url + 9 : url;
        if (!*path) {
            snprintf(err, cap, "sqlite URL has no path: '%s'", url);
            db_close(d);
            return -1;
        }
        int rc = sqlite3_open_v2(path, &d->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, cap, "cannot open SQLite database '%s': %s", path,
                     d->lite ? sqlite3_errmsg(d->lite) : sqlite3_errstr(rc));
            db_close(d);
            return -1;
        }
        sqlite3_busy_timeout(d->lite, 10000);
        sqlite3_exec(d->lite, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    }
    *out = d;
    return 0;
}

void db_close(db *d)
{
    if (!d)
        return;
    for (db_stmt *s = d->stmts, *next; s; s = next) {
        next = s->next;
        if (s->lite)
            sqlite3_finalize(s->lite);
        free(s);
    }
    if (d->lite)
        sqlite3_close(d->lite);
    if (d->pg)
        PQfinish(d->pg);
    free(d->scratch);
    free(d);
}

int db_exec(db *d, const char *sql, char *err, size_t cap)
{
    if (d->backend == DB_POSTGRES) {
        PGresult *r = PQexec(d->pg, sql);
        ExecStatusType s = PQresultStatus(r);
        PQclear(r);
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
            pg_error(d, "PostgreSQL", err, cap);
            return -1;
        }
        return 0;
    }
    char *msg = NULL;
    if (sqlite3_exec(d->lite, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, cap, "SQLite: %s", msg ? msg : sqlite3_errmsg(d->lite));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Highest $n in sql; PostgreSQL needs the count to send, SQLite checks its own. */
static int count_params(const char *sql)
{
    int max = 0;
    for (const char *p = sql; *p; p++)
        if (*p == '$') {
            int v = atoi(p + 1);
            if (v > max)
                max = v;
        }
    return max;
}

/* $n -> ?n, and "= ANY($n)" -> "IN (SELECT value FROM json_each(?n))". Caller frees. */
static char *sqlite_dialect(const char *sql)
{
    size_t n = strlen(sql), cap = n * 3 + 64, k = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = sql; *p;) {
        int num, used = 0;
        if (!strncmp(p, "= ANY($", 7) && sscanf(p + 7, "%d)%n", &num, &used) == 1 && used > 0) {
            k += (size_t)snprintf(out + k, cap - k, "IN (SELECT value FROM json_each(?%d))", num);
            p += 7 + used;
        } else if (*p == '$') {
            out[k++] = '?';
            p++;
        } else {
            out[k++] = *p++;
        }
        if (k + 64 >= cap) {
            free(out);
            return NULL;
        }
    }
    out[k] = '\0';
    return out;
}

int db_prepare(db *d, const char *sql, db_stmt **out, char *err, size_t cap)
{
    *out = NULL;
    db_stmt *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    s->d = d;
    s->nparams = count_params(sql);
    if (s->nparams > DB_MAX_PARAMS) {
        snprintf(err, cap, "too many parameters (%d) in: %s", s->nparams, sql);
        free(s);
        return -1;
    }
    int64_t t0 = now_ns();
    if (d->backend == DB_POSTGRES) {
        snprintf(s->name, sizeof s->name, "ladder_%d", d->nstmts + 1);
        PGresult *r = PQprepare(d->pg, s->name, sql, 0, NULL);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok) {
            pg_error(d, "cannot prepare", err, cap);
            free(s);
            return -1;
        }
    } else {
        char *lite_sql = sqlite_dialect(sql);
        if (!lite_sql || sqlite3_prepare_v3(d->lite, lite_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->lite, NULL) !=
                             SQLITE_OK) {
            snprintf(err, cap, "cannot prepare '%s': %s", sql, lite_sql ? sqlite3_errmsg(d->lite) : "out of memory");
            free(lite_sql);
            free(s);
            return -1;
        }
        free(lite_sql);
    }
    d->stats.ns += now_ns() - t0;
    d->nstmts++;
    s->next = d->stmts;
    d->stmts = s;
    *out = s;
    return 0;
}

static bool scratch_reserve(db *d, size_t need)
{
    if (need <= d->scratch_cap)
        return true;
    size_t c = d->scratch_cap ? d->scratch_cap : 1024;
    while (c < need)
        c *= 2;
    char *p = realloc(d->scratch, c);
    if (!p)
        return false;
    d->scratch = p;
    d->scratch_cap = c;
    return true;
}

/* Writes every parameter's text form into d->scratch; offs[i] is where param i starts, or -1 for NULL. */
static int params_text(db *d, const db_param *params, int n, long *offs, char *err, size_t cap)
{
    size_t need = 1;
    for (int i = 0; i < n; i++)
        need += params[i].kind == DB_P_TEXT ? strlen(params[i].s) + 1
                : params[i].kind == DB_P_LIST ? params[i].n * 21 + 3 : 24;
    if (!scratch_reserve(d, need)) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    size_t k = 0;
    char open = d->backend == DB_POSTGRES ? '{' : '[', close = d->backend == DB_POSTGRES ? '}' : ']';
    for (int i = 0; i < n; i++) {
        const db_param *p = &params[i];
        offs[i] = (long)k;
        switch (p->kind) {
        case DB_P_NULL: offs[i] = -1; continue;
        case DB_P_INT: k += (size_t)snprintf(d->scratch + k, need - k, "%" PRId64, p->i); break;
        case DB_P_TEXT: {
            size_t len = strlen(p->s);
            memcpy(d->scratch + k, p->s, len);
            k += len;
            break;
        }
        case DB_P_LIST:
            d->scratch[k++] = open;
            for (size_t j = 0; j < p->n; j++)
                k += (size_t)snprintf(d->scratch + k, need - k, j ? ",%" PRId64 : "%" PRId64, p->list[j]);
            d->scratch[k++] = close;
            break;
        }
        d->scratch[k++] = '\0';
    }
    return 0;
}

int db_query(db_stmt *st, const db_param *params, int nparams, db_rows *rows, char *err, size_t cap)
{
    memset(rows, 0, sizeof *rows);
    rows->st = st;
    rows->row = -1;
    db *d = st->d;
    if (nparams != st->nparams) {
        snprintf(err, cap, "statement takes %d parameters, %d given", st->nparams, nparams);
        return -1;
    }
    int64_t t0 = now_ns();
    int rc = 0;
    long offs[DB_MAX_PARAMS];
    if (d->backend == DB_POSTGRES) {
        const char *values[DB_MAX_PARAMS];
        if (params_text(d, params, nparams, offs, err, cap)) {
            rc = -1;
        } else {
            for (int i = 0; i < nparams; i++)
                values[i] = offs[i] < 0 ? NULL : d->scratch + offs[i];
            PGresult *r = PQexecPrepared(d->pg, st->name, nparams, values, NULL, NULL, 0);
            ExecStatusType s = PQresultStatus(r);
            if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
                pg_error(d, "query failed", err, cap);
                PQclear(r);
                rc = -1;
            } else {
                rows->res = r;
                rows->nrows = PQntuples(r);
            }
        }
    } else {
        sqlite3_stmt *s = st->lite;
        for (int i = 0; i < nparams && rc == 0; i++) {
            const db_param *p = &params[i];
            int b = SQLITE_OK;
            if (p->kind == DB_P_NULL)
                b = sqlite3_bind_null(s, i + 1);
            else if (p->kind == DB_P_INT)
                b = sqlite3_bind_int64(s, i + 1, p->i);
            else if (p->kind == DB_P_TEXT)
                b = sqlite3_bind_text(s, i + 1, p->s, -1, SQLITE_TRANSIENT);
            else if (params_text(d, p, 1, offs, err, cap))
                rc = -1;
            else
                b = sqlite3_bind_text(s, i + 1, d->scratch, -1, SQLITE_TRANSIENT);
            if (b != SQLITE_OK) {
                snprintf(err, cap, "cannot bind parameter %d: %s", i + 1, sqlite3_errmsg(d->lite));
                rc = -1;
            }
        }
        if (rc)
            sqlite3_reset(s);
    }
    d->stats.ns += now_ns() - t0;
    d->stats.queries++;
    rows->started = rc == 0;
    return rc;
}

int db_next(db_rows *rows, char *err, size_t cap)
{
    db *d = rows->st->d;
    if (d->backend == DB_POSTGRES) {
        if (rows->row + 1 >= rows->nrows)
            return 0;
        rows->row++;
        return 1;
    }
    int64_t t0 = now_ns();
    int rc = sqlite3_step(rows->st->lite);
    d->stats.ns += now_ns() - t0;
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    snprintf(err, cap, "SQLite: %s", sqlite3_errmsg(d->lite));
    return -1;
}

bool db_col_null(const db_rows *rows, int col)
{
    if (rows->st->d->backend == DB_POSTGRES)
        return PQgetisnull(rows->res, rows->row, col);
    return sqlite3_column_type(rows->st->lite, col) == SQLITE_NULL;
}

int64_t db_col_int(const db_rows *rows, int col)
{
    if (rows->st->d->backend == DB_POSTGRES)
        return strtoll(PQgetvalue(rows->res, rows->row, col), NULL, 10);
    return sqlite3_column_int64(rows->st->lite, col);
}

const char *db_col_text(const db_rows *rows, int col, size_t *len)
{
    if (rows->st->d->backend == DB_POSTGRES) {
        if (len)
            *len = (size_t)PQgetlength(rows->res, rows->row, col);
        return PQgetvalue(rows->res, rows->row, col);
    }
    const char *t = (const char *)sqlite3_column_text(rows->st->lite, col);
    if (len)
        *len = t ? (size_t)sqlite3_column_bytes(rows->st->lite, col) : 0;
    return t ? t : "";
}

void db_done(db_rows *rows)
{
    if (!rows->st || !rows->started)
        return;
    db *d = rows->st->d;
    int64_t t0 = now_ns();
    if (d->backend == DB_POSTGRES) {
        PQclear(rows->res);
        rows->res = NULL;
    } else {
        sqlite3_reset(rows->st->lite);
        sqlite3_clear_bindings(rows->st->lite);
    }
    d->stats.ns += now_ns() - t0;
    rows->started = false;
}

int db_run(db_stmt *st, const db_param *params, int nparams, char *err, size_t cap)
{
    db_rows rows;
    if (db_query(st, params, nparams, &rows, err, cap))
        return -1;
    int rc = 0;
    if (st->d->backend == DB_SQLITE)
        rc = db_next(&rows, err, cap) < 0 ? -1 : 0;
    db_done(&rows);
    return rc;
}

db_stats db_stats_take(db *d)
{
    db_stats s = d->stats;
    d->stats = (db_stats){0};
    return s;
}
