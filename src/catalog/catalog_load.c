#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS publishers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, isbn_prefix TEXT UNIQUE);"
    "CREATE TABLE IF NOT EXISTS authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " publisher_id INTEGER NOT NULL REFERENCES publishers (id));"
    "CREATE TABLE IF NOT EXISTS books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, isbn13 TEXT, year INTEGER,"
    " language TEXT, author_id INTEGER NOT NULL REFERENCES authors (id));"
    "CREATE INDEX IF NOT EXISTS books_author_id ON books (author_id, id);"
    "CREATE INDEX IF NOT EXISTS authors_publisher_id ON authors (publisher_id);";

enum { COL_ISBN, COL_TITLE, COL_AUTHOR, COL_PREFIX, COL_YEAR, COL_LANG, NCOLS };
static const char *const COLUMNS[NCOLS] = {"isbn13", "title", "author", "publisher_prefix", "year", "language"};

typedef struct {
    char *f[NCOLS]; /* point into the parsed text */
    long year;
    bool has_year;
    size_t author;  /* index into authors */
    size_t pub;     /* index into prefixes, or npub for Unknown */
} row;

typedef struct {
    const char *name;
    size_t *pubs, *counts, n, cap; /* books per publisher index */
    size_t pub;
} author;

typedef struct {
    char *text;      /* the file, unescaped in place */
    row *rows;
    size_t nrows;
    const char **prefixes;
    size_t npub;
    bool unknown;    /* some book has no prefix */
    author *authors;
    size_t nauthors;
} catalog_data;

/* Parses RFC 4180 CSV in place: quoted fields lose their quotes and "" becomes ". Calls back per
 * record with NCOLS fields; a record with another field count is an error. */
_Static_assert(NCOLS == CATALOG_CSV_COLUMNS, "catalog.h's column count must match the loader's");

int catalog_csv_records(char *text, size_t len, int (*fn)(void *, char **, size_t), void *ctx, char *err,
                        size_t cap)
{
    char *p = text, *end = text + len;
    size_t line = 1;
    while (p < end) {
        char *fields[NCOLS + 1];
        size_t nf = 0;
        size_t start_line = line;
        for (;;) {
            char *out = p, *field = p;
            if (p < end && *p == '"') {
                p++;
                for (;;) {
                    if (p >= end) {
                        snprintf(err, cap, "line %zu: unterminated quoted field", start_line);
                        return -1;
                    }
                    if (*p == '"') {
                        if (p + 1 < end && p[1] == '"') {
                            *out++ = '"';
                            p += 2;
                            continue;
                        }
                        p++;
                        break;
                    }
                    if (*p == '\n')
                        line++;
                    *out++ = *p++;
                }
            } else {
                while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                    out++, p++;
            }
            if (nf < NCOLS + 1)
                fields[nf] = field;
            nf++;
            char sep = p < end ? *p : '\n';
            *out = '\0';
            if (sep == ',') {
                p++;
                continue;
            }
            if (sep == '\r' && p + 1 < end && p[1] == '\n')
                p++;
            if (sep == '\r' || sep == '\n') {
                if (p < end)
                    p++;
                line++;
                break;
            }
            snprintf(err, cap, "line %zu: unexpected character after a quoted field", start_line);
            return -1;
        }
        if (nf == 1 && !*fields[0])
            continue; /* blank line */
        if (nf != NCOLS) {
            snprintf(err, cap, "line %zu: %zu fields, expected %d", start_line, nf, NCOLS);
            return -1;
        }
        if (fn(ctx, fields, start_line)) {
            snprintf(err, cap, "line %zu: %s", start_line, fields[0]);
            return -1;
        }
    }
    return 0;
}

typedef struct {
    catalog_data *c;
    size_t cap;
    bool header;
    char why[160];
} collect_ctx;

static int collect(void *vctx, char **f, size_t line)
{
    (void)line;
    collect_ctx *x = vctx;
    catalog_data *c = x->c;
    if (!x->header) {
        for (int i = 0; i < NCOLS; i++)
            if (strcmp(f[i], COLUMNS[i])) {
                snprintf(x->why, sizeof x->why, "header column %d is '%s', expected '%s'", i + 1, f[i], COLUMNS[i]);
                f[0] = x->why;
                return -1;
            }
        x->header = true;
        return 0;
    }
    if (c->nrows == x->cap) {
        size_t ncap = x->cap ? x->cap * 2 : 1024;
        row *nr = realloc(c->rows, ncap * sizeof *nr);
        if (!nr) {
            f[0] = "out of memory";
            return -1;
        }
        c->rows = nr;
        x->cap = ncap;
    }
    row *r = &c->rows[c->nrows];
    memset(r, 0, sizeof *r);
    for (int i = 0; i < NCOLS; i++)
        r->f[i] = f[i];
    if (!*f[COL_TITLE] || !*f[COL_AUTHOR]) {
        snprintf(x->why, sizeof x->why, "a book needs a title and an author");
        f[0] = x->why;
        return -1;
    }
    if (*f[COL_YEAR]) {
        char *e;
        errno = 0;
        r->year = strtol(f[COL_YEAR], &e, 10);
        if (*e || errno || r->year < -100000 || r->year > 100000) {
            snprintf(x->why, sizeof x->why, "year '%s' is not an integer", f[COL_YEAR]);
            f[0] = x->why;
            return -1;
        }
        r->has_year = true;
    }
    c->nrows++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t find_prefix(const catalog_data *c, const char *p)
{
    size_t lo = 0, hi = c->npub;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = strcmp(c->prefixes[mid], p);
        if (r == 0)
            return mid;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return c->npub;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int count_pub(author *a, size_t pub)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->pubs[i] == pub) {
            a->counts[i]++;
            return 0;
        }
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 4;
        size_t *np = realloc(a->pubs, ncap * sizeof *np);
        if (!np)
            return -1;
        a->pubs = np;
        size_t *nc = realloc(a->counts, ncap * sizeof *nc);
        if (!nc)
            return -1;
        a->counts = nc;
        a->cap = ncap;
    }
    a->pubs[a->n] = pub;
    a->counts[a->n++] = 1;
    return 0;
}

static void data_free(catalog_data *c)
{
    for (size_t i = 0; i < c->nauthors; i++) {
        free(c->authors[i].pubs);
        free(c->authors[i].counts);
    }
    free(c->authors);
    free(c->prefixes);
    free(c->rows);
    free(c->text);
}

static int build(catalog_data *c, char *err, size_t cap)
{
    /* publishers: the distinct prefixes in byte order */
    c->prefixes = malloc((c->nrows ? c->nrows : 1) * sizeof *c->prefixes);
    if (!c->prefixes)
        goto oom;
    size_t n = 0;
    for (size_t i = 0; i < c->nrows; i++)
        if (*c->rows[i].f[COL_PREFIX])
            c->prefixes[n++] = c->rows[i].f[COL_PREFIX];
        else
            c->unknown = true;
    qsort(c->prefixes, n, sizeof *c->prefixes, cmp_str);
    c->npub = 0;
    for (size_t i = 0; i < n; i++)
        if (c->npub == 0 || strcmp(c->prefixes[c->npub - 1], c->prefixes[i]))
            c->prefixes[c->npub++] = c->prefixes[i];
    for (size_t i = 0; i < c->nrows; i++)
        c->rows[i].pub = *c->rows[i].f[COL_PREFIX] ? find_prefix(c, c->rows[i].f[COL_PREFIX]) : c->npub;

    /* authors in order of first appearance, through an open-addressing table of indexes */
    size_t tcap = 16;
    while (tcap < c->nrows * 2)
        tcap *= 2;
    size_t *table = malloc(tcap * sizeof *table);
    c->authors = calloc(c->nrows ? c->nrows : 1, sizeof *c->authors);
    if (!table || !c->authors) {
        free(table);
        goto oom;
    }
    for (size_t i = 0; i < tcap; i++)
        table[i] = SIZE_MAX;
    for (size_t i = 0; i < c->nrows; i++) {
        const char *name = c->rows[i].f[COL_AUTHOR];
        size_t h = (size_t)hash_str(name) & (tcap - 1);
        while (table[h] != SIZE_MAX && strcmp(c->authors[table[h]].name, name))
            h = (h + 1) & (tcap - 1);
        if (table[h] == SIZE_MAX) {
            table[h] = c->nauthors;
            c->authors[c->nauthors++].name = name;
        }
        c->rows[i].author = table[h];
        if (c->rows[i].pub < c->npub && count_pub(&c->authors[table[h]], c->rows[i].pub)) {
            free(table);
            goto oom;
        }
    }
    free(table);
    for (size_t i = 0; i < c->nauthors; i++) {
        author *a = &c->authors[i];
        a->pub = c->npub;
        size_t best = 0;
        for (size_t k = 0; k < a->n; k++)
            if (a->counts[k] > best || (a->counts[k] == best && a->pubs[k] < a->pub)) {
                best = a->counts[k];
                a->pub = a->pubs[k];
            }
        if (a->pub == c->npub)
            c->unknown = true;
    }
    return 0;
oom:
    snprintf(err, cap, "out of memory");
    return -1;
}

static int64_t ms_since(const struct timespec *t0, double *ms)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
    return 0;
}

static int write_all(db *d, const catalog_data *c, char *err, size_t cap)
{
    db_stmt *ins_pub, *ins_author, *ins_book;
    if (db_prepare(d, "INSERT INTO publishers (id, name, isbn_prefix) VALUES ($1, $2, $3)", &ins_pub, err, cap) ||
        db_prepare(d, "INSERT INTO authors (id, name, publisher_id) VALUES ($1, $2, $3)", &ins_author, err, cap) ||
        db_prepare(d,
                   "INSERT INTO books (id, title, isbn13, year, language, author_id) VALUES ($1, $2, $3, $4, $5, $6)",
                   &ins_book, err, cap))
        return -1;
    if (db_exec(d, "DELETE FROM books; DELETE FROM authors; DELETE FROM publishers;", err, cap))
        return -1;
    for (size_t i = 0; i < c->npub; i++) {
        db_param p[] = {db_p_int((int64_t)i + 1), db_p_text(c->prefixes[i]), db_p_text(c->prefixes[i])};
        if (db_run(ins_pub, p, 3, err, cap))
            return -1;
    }
    if (c->unknown) {
        db_param p[] = {db_p_int((int64_t)c->npub + 1), db_p_text("Unknown"), db_p_null()};
        if (db_run(ins_pub, p, 3, err, cap))
            return -1;
    }
    for (size_t i = 0; i < c->nauthors; i++) {
        db_param p[] = {db_p_int((int64_t)i + 1), db_p_text(c->authors[i].name),
                        db_p_int((int64_t)c->authors[i].pub + 1)};
        if (db_run(ins_author, p, 3, err, cap))
            return -1;
    }
    for (size_t i = 0; i < c->nrows; i++) {
        const row *r = &c->rows[i];
        db_param p[] = {db_p_int((int64_t)i + 1),
                        db_p_text(r->f[COL_TITLE]),
                        *r->f[COL_ISBN] ? db_p_text(r->f[COL_ISBN]) : db_p_null(),
                        r->has_year ? db_p_int(r->year) : db_p_null(),
                        *r->f[COL_LANG] ? db_p_text(r->f[COL_LANG]) : db_p_null(),
                        db_p_int((int64_t)r->author + 1)};
        if (db_run(ins_book, p, 6, err, cap))
            return -1;
    }
    return 0;
}

int catalog_load(db *d, const char *csv_path, catalog_load_stats *stats, char *err, size_t cap)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(stats, 0, sizeof *stats);
    catalog_data c = {0};
    FILE *f = fopen(csv_path, "rb");
    if (!f) {
        snprintf(err, cap, "%s: %s", csv_path, strerror(errno));
        return -1;
    }
    size_t len = 0, tcap = 0;
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (len + got + 1 > tcap) {
            size_t ncap = tcap ? tcap * 2 : 1 << 20;
            while (ncap < len + got + 1)
                ncap *= 2;
            char *nt = realloc(c.text, ncap);
            if (!nt) {
                fclose(f);
                free(c.text);
                snprintf(err, cap, "out of memory");
                return -1;
            }
            c.text = nt;
            tcap = ncap;
        }
        memcpy(c.text + len, buf, got);
        len += got;
    }
    bool rerr = ferror(f);
    fclose(f);
    if (rerr || !c.text) {
        snprintf(err, cap, "%s: %s", csv_path, rerr ? "read error" : "empty file");
        free(c.text);
        return -1;
    }
    c.text[len] = '\0';
    collect_ctx x = {.c = &c};
    char why[256];
    if (catalog_csv_records(c.text, len, collect, &x, why, sizeof why) || build(&c, why, sizeof why)) {
        snprintf(err, cap, "%s: %s", csv_path, why);
        data_free(&c);
        return -1;
    }
    if (!x.header) {
        snprintf(err, cap, "%s: no header line", csv_path);
        data_free(&c);
        return -1;
    }
    int rc = db_exec(d, "BEGIN", err, cap);
    if (!rc)
        rc = db_exec(d, SCHEMA, err, cap);
    if (!rc)
        rc = write_all(d, &c, err, cap);
    if (!rc)
        rc = db_exec(d, "COMMIT", err, cap);
    else {
        char ignored[64];
        db_exec(d, "ROLLBACK", ignored, sizeof ignored);
    }
    if (!rc)
        rc = db_exec(d, "ANALYZE", err, cap);
    if (!rc) {
        stats->publishers = c.npub + (c.unknown ? 1 : 0);
        stats->authors = c.nauthors;
        stats->books = c.nrows;
    }
    db_stats_take(d);
    data_free(&c);
    ms_since(&t0, &stats->ms);
    return rc;
}
