#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"
#include "json/json.h"

/* ---- a per-request arena: hydrated structs and their strings ------------------------------- */

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];
} arena_block;

typedef struct {
    arena_block *head;
    bool failed;
} arena;

static void *arena_alloc(arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > 256 * 1024 ? n : 256 * 1024;
        arena_block *b = malloc(sizeof *b + cap);
        if (!b) {
            a->failed = true;
            return NULL;
        }
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

static const char *arena_strn(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return "";
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Keeps the newest block for the next request, frees the rest. */
static void arena_reset(arena *a)
{
    if (!a->head)
        return;
    for (arena_block *b = a->head->next, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head->next = NULL;
    a->head->used = 0;
    a->failed = false;
}

static void arena_free(arena *a)
{
    for (arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}

/* ---- the model ------------------------------------------------------------------------------ */

typedef struct {
    int64_t id;
    const char *name, *isbn_prefix; /* isbn_prefix NULL for "Unknown" */
} publisher;

typedef struct {
    int64_t id;
    const char *title;
    bool has_year;
    int64_t year;
} book_ref;

typedef struct {
    int64_t id;
    const char *name;
    int64_t publisher_id;
    const publisher *pub;
    book_ref *books; /* all of the author's books, by id */
    size_t nbooks;
} author;

typedef struct {
    int64_t id;
    const char *title, *isbn13, *language; /* NULL when absent */
    bool has_year;
    int64_t year;
    int64_t author_id;
    const author *auth;
} book;

struct catalog_app {
    char *url;
    db *d;
    json_writer w;
    arena a;
    char err[256];
    db_stmt *count_books, *page_books, *book_by_id, *author_by_id, *publisher_by_id, *books_by_author;
    db_stmt *authors_in, *publishers_in, *books_by_authors;
};

#define BOOK_COLS "id, title, isbn13, year, language, author_id"

static const struct {
    size_t offset;
    const char *sql;
} STATEMENTS[] = {
    {offsetof(catalog_app, count_books), "SELECT count(*) FROM books"},
    {offsetof(catalog_app, page_books), "SELECT " BOOK_COLS " FROM books ORDER BY id LIMIT $1 OFFSET $2"},
    {offsetof(catalog_app, book_by_id), "SELECT " BOOK_COLS " FROM books WHERE id = $1"},
    {offsetof(catalog_app, author_by_id), "SELECT id, name, publisher_id FROM authors WHERE id = $1"},
    {offsetof(catalog_app, publisher_by_id), "SELECT id, name, isbn_prefix FROM publishers WHERE id = $1"},
    {offsetof(catalog_app, books_by_author), "SELECT id, title, year FROM books WHERE author_id = $1 ORDER BY id"},
    {offsetof(catalog_app, authors_in), "SELECT id, name, publisher_id FROM authors WHERE id = ANY($1) ORDER BY id"},
    {offsetof(catalog_app, publishers_in),
     "SELECT id, name, isbn_prefix FROM publishers WHERE id = ANY($1) ORDER BY id"},
    {offsetof(catalog_app, books_by_authors),
     "SELECT author_id, id, title, year FROM books WHERE author_id = ANY($1) ORDER BY author_id, id"},
};

catalog_app *catalog_app_new(const char *db_url)
{
    catalog_app *app = calloc(1, sizeof *app);
    if (!app)
        return NULL;
    app->url = strdup(db_url);
    if (!app->url) {
        free(app);
        return NULL;
    }
    json_writer_init(&app->w, false);
    return app;
}

void catalog_app_worker_done(void *vapp)
{
    catalog_app *app = vapp;
    db_close(app->d);
    app->d = NULL;
}

void catalog_app_free(catalog_app *app)
{
    if (!app)
        return;
    catalog_app_worker_done(app);
    json_writer_free(&app->w);
    arena_free(&app->a);
    free(app->url);
    free(app);
}

int catalog_app_worker_init(void *vapp, int worker, char *err, size_t cap)
{
    (void)worker;
    catalog_app *app = vapp;
    if (db_open(app->url, &app->d, err, cap))
        return -1;
    for (size_t i = 0; i < sizeof STATEMENTS / sizeof STATEMENTS[0]; i++) {
        db_stmt **slot = (db_stmt **)((char *)app + STATEMENTS[i].offset);
        if (db_prepare(app->d, STATEMENTS[i].sql, slot, err, cap)) {
            catalog_app_worker_done(app);
            return -1;
        }
    }
    db_stats_take(app->d);
    return 0;
}

/* ---- hydration: rows -> structs --------------------------------------------------------------- */

static const char *col_str(arena *a, const db_rows *r, int col)
{
    if (db_col_null(r, col))
        return NULL;
    size_t n;
    const char *s = db_col_text(r, col, &n);
    return arena_strn(a, s, n);
}

typedef struct {
    void *items;
    size_t n, cap, size;
} vec;

static void *vec_push(arena *a, vec *v)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 16;
        void *ni = arena_alloc(a, ncap * v->size);
        if (!ni)
            return NULL;
        if (v->n)
            memcpy(ni, v->items, v->n * v->size);
        v->items = ni;
        v->cap = ncap;
    }
    return (char *)v->items + v->size * v->n++;
}

/* Runs st and hydrates each row with fn; -1 with app->err on failure. */
typedef int (*hydrate_fn)(catalog_app *app, const db_rows *r, void *item);

static int fetch(catalog_app *app, db_stmt *st, const db_param *p, int np, vec *out, size_t size, hydrate_fn fn)
{
    memset(out, 0, sizeof *out);
    out->size = size;
    db_rows rows;
    if (db_query(st, p, np, &rows, app->err, sizeof app->err))
        return -1;
    int rc;
    while ((rc = db_next(&rows, app->err, sizeof app->err)) == 1) {
        void *item = vec_push(&app->a, out);
        if (!item || fn(app, &rows, item)) {
            rc = -1;
            snprintf(app->err, sizeof app->err, "out of memory");
            break;
        }
    }
    db_done(&rows);
    return rc < 0 || app->a.failed ? -1 : 0;
}

static int h_book(catalog_app *app, const db_rows *r, void *item)
{
    book *b = item;
    b->id = db_col_int(r, 0);
    b->title = col_str(&app->a, r, 1);
    b->isbn13 = col_str(&app->a, r, 2);
    b->has_year = !db_col_null(r, 3);
    b->year = b->has_year ? db_col_int(r, 3) : 0;
    b->language = col_str(&app->a, r, 4);
    b->author_id = db_col_int(r, 5);
    b->auth = NULL;
    return b->title ? 0 : -1;
}

static int h_author(catalog_app *app, const db_rows *r, void *item)
{
    author *a = item;
    a->id = db_col_int(r, 0);
    a->name = col_str(&app->a, r, 1);
    a->publisher_id = db_col_int(r, 2);
    a->pub = NULL;
    a->books = NULL;
    a->nbooks = 0;
    return a->name ? 0 : -1;
}

static int h_publisher(catalog_app *app, const db_rows *r, void *item)
{
    publisher *p = item;
    p->id = db_col_int(r, 0);
    p->name = col_str(&app->a, r, 1);
    p->isbn_prefix = col_str(&app->a, r, 2);
    return p->name ? 0 : -1;
}

static int h_book_ref(catalog_app *app, const db_rows *r, void *item)
{
    book_ref *b = item;
    b->id = db_col_int(r, 0);
    b->title = col_str(&app->a, r, 1);
    b->has_year = !db_col_null(r, 2);
    b->year = b->has_year ? db_col_int(r, 2) : 0;
    return b->title ? 0 : -1;
}

typedef struct {
    int64_t author_id;
    book_ref ref;
} author_book;

static int h_author_book(catalog_app *app, const db_rows *r, void *item)
{
    author_book *ab = item;
    ab->author_id = db_col_int(r, 0);
    ab->ref.id = db_col_int(r, 1);
    ab->ref.title = col_str(&app->a, r, 2);
    ab->ref.has_year = !db_col_null(r, 3);
    ab->ref.year = ab->ref.has_year ? db_col_int(r, 3) : 0;
    return ab->ref.title ? 0 : -1;
}

/* ---- loading: batched and N+1 ------------------------------------------------------------------ */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorted distinct values; the result lives in the arena. */
static int64_t *distinct(arena *a, const int64_t *v, size_t n, size_t *out_n)
{
    int64_t *d = arena_alloc(a, (n ? n : 1) * sizeof *d);
    if (!d)
        return NULL;
    memcpy(d, v, n * sizeof *d);
    qsort(d, n, sizeof *d, cmp_i64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || d[k - 1] != d[i])
            d[k++] = d[i];
    *out_n = k;
    return d;
}

/* Loads the author, publisher and books of each of books[0..n) in three queries. */
static int load_batched(catalog_app *app, book *books, size_t n)
{
    arena *a = &app->a;
    int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof *ids);
    if (!ids)
        return -1;
    for (size_t i = 0; i < n; i++)
        ids[i] = books[i].author_id;
    size_t nauth;
    int64_t *aids = distinct(a, ids, n, &nauth);
    vec authors, pubs, refs;
    db_param p = db_p_list(aids, nauth);
    if (!aids || fetch(app, app->authors_in, &p, 1, &authors, sizeof(author), h_author))
        return -1;
    author *au = authors.items;
    int64_t *pids = arena_alloc(a, (authors.n ? authors.n : 1) * sizeof *pids);
    if (!pids)
        return -1;
    for (size_t i = 0; i < authors.n; i++)
        pids[i] = au[i].publisher_id;
    size_t npub;
    int64_t *dp = distinct(a, pids, authors.n, &npub);
    db_param pp = db_p_list(dp, npub);
    if (!dp || fetch(app, app->publishers_in, &pp, 1, &pubs, sizeof(publisher), h_publisher))
        return -1;
    if (fetch(app, app->books_by_authors, &p, 1, &refs, sizeof(author_book), h_author_book))
        return -1;
    publisher *pu = pubs.items;
    author_book *ab = refs.items;
    /* every result is ordered by id, so one merge pass links them */
    size_t r = 0;
    for (size_t i = 0; i < authors.n; i++) {
        author *x = &au[i];
        const publisher *hit = bsearch(&x->publisher_id, pu, pubs.n, sizeof *pu, cmp_i64);
        x->pub = hit;
        while (r < refs.n && ab[r].author_id < x->id)
            r++;
        size_t start = r;
        while (r < refs.n && ab[r].author_id == x->id)
            r++;
        x->nbooks = r - start;
        x->books = arena_alloc(a, (x->nbooks ? x->nbooks : 1) * sizeof(book_ref));
        if (!x->books)
            return -1;
        for (size_t j = 0; j < x->nbooks; j++)
            x->books[j] = ab[start + j].ref;
    }
    for (size_t i = 0; i < n; i++)
        books[i].auth = bsearch(&books[i].author_id, au, authors.n, sizeof *au, cmp_i64);
    return 0;
}

/* The classic N+1: one query per book for its author, the author's publisher and books. */
static int load_one_by_one(catalog_app *app, book *books, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        vec av, pv, rv;
        db_param p = db_p_int(books[i].author_id);
        if (fetch(app, app->author_by_id, &p, 1, &av, sizeof(author), h_author))
            return -1;
        author *x = av.items;
        if (av.n != 1)
            continue;
        db_param pp = db_p_int(x->publisher_id);
        if (fetch(app, app->publisher_by_id, &pp, 1, &pv, sizeof(publisher), h_publisher))
            return -1;
        db_param ap = db_p_int(x->id);
        if (fetch(app, app->books_by_author, &ap, 1, &rv, sizeof(book_ref), h_book_ref))
            return -1;
        x->pub = pv.n == 1 ? pv.items : NULL;
        x->books = rv.items;
        x->nbooks = rv.n;
        books[i].auth = x;
    }
    return 0;
}

/* ---- serialization ------------------------------------------------------------------------------ */

static void write_book(json_writer *w, const book *b)
{
    json_obj_begin(w);
    json_key(w, "id");
    json_int(w, b->id);
    json_key(w, "title");
    json_str(w, b->title);
    json_key(w, "isbn13");
    json_str(w, b->isbn13);
    json_key(w, "year");
    if (b->has_year)
        json_int(w, b->year);
    else
        json_null(w);
    json_key(w, "language");
    json_str(w, b->language);
    json_key(w, "author");
    const author *a = b->auth;
    if (!a) {
        json_null(w);
    } else {
        json_obj_begin(w);
        json_key(w, "id");
        json_int(w, a->id);
        json_key(w, "name");
        json_str(w, a->name);
        json_key(w, "publisher");
        if (!a->pub) {
            json_null(w);
        } else {
            json_obj_begin(w);
            json_key(w, "id");
            json_int(w, a->pub->id);
            json_key(w, "name");
            json_str(w, a->pub->name);
            json_key(w, "isbn_prefix");
            json_str(w, a->pub->isbn_prefix);
            json_obj_end(w);
        }
        json_key(w, "other_books");
        json_arr_begin(w);
        for (size_t i = 0; i < a->nbooks; i++) {
            const book_ref *r = &a->books[i];
            if (r->id == b->id)
                continue;
            json_obj_begin(w);
            json_key(w, "id");
            json_int(w, r->id);
            json_key(w, "title");
            json_str(w, r->title);
            json_key(w, "year");
            if (r->has_year)
                json_int(w, r->year);
            else
                json_null(w);
            json_obj_end(w);
        }
        json_arr_end(w);
        json_obj_end(w);
    }
    json_obj_end(w);
}

/* ---- timing --------------------------------------------------------------------------------- */

void catalog_timing_format(const catalog_timing *t, char *out, size_t cap)
{
    snprintf(out, cap, "db;dur=%.3f, hydrate;dur=%.3f, serialize;dur=%.3f, encode;dur=%.3f, framework;dur=%.3f, "
                       "total;dur=%.3f",
             t->db, t->hydrate, t->serialize, t->encode, t->framework, t->total);
}

int catalog_timing_parse(const char *h, catalog_timing *t)
{
    memset(t, 0, sizeof *t);
    static const char *const names[] = {"db", "hydrate", "serialize", "encode", "framework", "total"};
    double *slots[] = {&t->db, &t->hydrate, &t->serialize, &t->encode, &t->framework, &t->total};
    int found = 0;
    const char *p = h;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t nlen = strcspn(p, ";, ");
        const char *name = p;
        const char *end = p + strcspn(p, ",");
        const char *dur = NULL;
        for (const char *q = p + nlen; q < end; q++)
            if (!strncmp(q, ";dur=", 5)) {
                dur = q + 5;
                break;
            }
        for (int i = 0; dur && i < 6; i++)
            if (strlen(names[i]) == nlen && !strncmp(name, names[i], nlen)) {
                char *e;
                double v = strtod(dur, &e);
                if (e != dur) {
                    *slots[i] = v;
                    found++;
                }
            }
        p = end;
    }
    return found;
}

static double now_ms(void)
{
    return http_now_ms();
}

typedef struct {
    double t0;          /* request start */
    double load_ms;     /* queries + hydration */
    double serialize_ms, encode_ms;
    db_stats stats;
} phase;

static void finish(catalog_app *app, const http_request *req, http_response *res, int status, phase *ph)
{
    double e0 = now_ms();
    http_response_json(res, status, &app->w);
    if (res->failed)
        return;
    double end = now_ms();
    ph->encode_ms = end - e0;
    catalog_timing t = {0};
    t.db = (double)ph->stats.ns / 1e6;
    t.hydrate = ph->load_ms - t.db;
    if (t.hydrate < 0)
        t.hydrate = 0;
    t.serialize = ph->serialize_ms;
    t.encode = ph->encode_ms;
    t.total = end - req->started_ms;
    t.framework = t.total - t.db - t.hydrate - t.serialize - t.encode;
    if (t.framework < 0)
        t.framework = 0;
    char value[256], count[32];
    catalog_timing_format(&t, value, sizeof value);
    snprintf(count, sizeof count, "%d", ph->stats.queries);
    http_response_header(res, "Server-Timing", value);
    http_response_header(res, "X-Query-Count", count);
}

static void error_reply(catalog_app *app, const http_request *req, http_response *res, int status, const char *msg,
                        phase *ph)
{
    double s0 = now_ms();
    json_writer_reset(&app->w);
    json_obj_begin(&app->w);
    json_key(&app->w, "error");
    json_str(&app->w, msg);
    json_obj_end(&app->w);
    ph->serialize_ms = now_ms() - s0;
    finish(app, req, res, status, ph);
}

static void internal_error(catalog_app *app, const http_request *req, http_response *res, phase *ph)
{
    fprintf(stderr, "catalog: %s\n", app->err);
    error_reply(app, req, res, 500, "internal error", ph);
}

/* ---- requests ------------------------------------------------------------------------------- */

/* A positive decimal integer of at most 9 digits (the Python peer accepts exactly the same). */
static bool parse_id(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 9)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Form decoding of s[0..n) ('+' is a space, %XX a byte; a broken escape stays as it is) into
 * out, cut at cap - 1 bytes. Returns the decoded length, or cap when it did not fit. */
static size_t form_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t x = 0; x < n; x++) {
        char c = s[x];
        if (c == '%' && x + 2 < n && hexval(s[x + 1]) >= 0 && hexval(s[x + 2]) >= 0) {
            c = (char)(hexval(s[x + 1]) * 16 + hexval(s[x + 2]));
            x += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (k + 1 >= cap)
            return cap;
        out[k++] = c;
    }
    out[k] = '\0';
    return k;
}

/* The last value of key in the query string, decoded into out. False when absent. A value too
 * long for out is returned cut (it cannot be a valid number anyway). */
static bool query_get(http_str q, const char *key, char *out, size_t cap, size_t *out_len)
{
    bool found = false;
    for (size_t i = 0; i <= q.n;) {
        size_t j = i;
        while (j < q.n && q.p[j] != '&')
            j++;
        size_t eq = i;
        while (eq < j && q.p[eq] != '=')
            eq++;
        char k[64];
        if (j > i && form_decode(q.p + i, eq - i, k, sizeof k) < sizeof k && !strcmp(k, key)) {
            size_t vstart = eq < j ? eq + 1 : j;
            size_t vn = form_decode(q.p + vstart, j - vstart, out, cap);
            *out_len = vn == cap ? cap - 1 : vn;
            out[*out_len] = '\0';
            found = true;
        }
        i = j + 1;
    }
    return found;
}

static void get_book(catalog_app *app, const http_request *req, http_response *res, int64_t id, phase *ph)
{
    double l0 = now_ms();
    vec bv, av, pv, rv;
    db_param p = db_p_int(id);
    if (fetch(app, app->book_by_id, &p, 1, &bv, sizeof(book), h_book))
        goto fail;
    if (bv.n == 0) {
        ph->load_ms = now_ms() - l0;
        ph->stats = db_stats_take(app->d);
        error_reply(app, req, res, 404, "book not found", ph);
        return;
    }
    book *b = bv.items;
    db_param ap = db_p_int(b->author_id);
    if (fetch(app, app->author_by_id, &ap, 1, &av, sizeof(author), h_author))
        goto fail;
    if (av.n == 1) {
        author *a = av.items;
        db_param pp = db_p_int(a->publisher_id);
        db_param bp = db_p_int(a->id);
        if (fetch(app, app->publisher_by_id, &pp, 1, &pv, sizeof(publisher), h_publisher) ||
            fetch(app, app->books_by_author, &bp, 1, &rv, sizeof(book_ref), h_book_ref))
            goto fail;
        a->pub = pv.n == 1 ? pv.items : NULL;
        a->books = rv.items;
        a->nbooks = rv.n;
        b->auth = a;
    }
    ph->load_ms = now_ms() - l0;
    ph->stats = db_stats_take(app->d);
    double s0 = now_ms();
    json_writer_reset(&app->w);
    write_book(&app->w, b);
    ph->serialize_ms = now_ms() - s0;
    finish(app, req, res, 200, ph);
    return;
fail:
    ph->stats = db_stats_take(app->d);
    internal_error(app, req, res, ph);
}

static void list_books(catalog_app *app, const http_request *req, http_response *res, bool n_plus_one, phase *ph)
{
    char v[32];
    size_t vn;
    int64_t page = 1, per_page = CATALOG_PER_PAGE_DEFAULT;
    http_str q = req->head->query;
    if (query_get(q, "page", v, sizeof v, &vn) && (!parse_id(v, vn, &page) || page < 1)) {
        error_reply(app, req, res, 400, "page must be an integer >= 1", ph);
        return;
    }
    if (query_get(q, "per_page", v, sizeof v, &vn) &&
        (!parse_id(v, vn, &per_page) || per_page < 1 || per_page > CATALOG_PER_PAGE_MAX)) {
        error_reply(app, req, res, 400, "per_page must be an integer between 1 and 100", ph);
        return;
    }
    double l0 = now_ms();
    db_rows rows;
    int64_t total = 0;
    if (db_query(app->count_books, NULL, 0, &rows, app->err, sizeof app->err))
        goto fail;
    int r = db_next(&rows, app->err, sizeof app->err);
    if (r == 1)
        total = db_col_int(&rows, 0);
    db_done(&rows);
    if (r != 1)
        goto fail;
    int64_t pages = (total + per_page - 1) / per_page;
    if (page > pages) {
        ph->load_ms = now_ms() - l0;
        ph->stats = db_stats_take(app->d);
        error_reply(app, req, res, 404, "page out of range", ph);
        return;
    }
    vec bv;
    db_param p[] = {db_p_int(per_page), db_p_int((page - 1) * per_page)};
    if (fetch(app, app->page_books, p, 2, &bv, sizeof(book), h_book))
        goto fail;
    if ((n_plus_one ? load_one_by_one : load_batched)(app, bv.items, bv.n))
        goto fail;
    ph->load_ms = now_ms() - l0;
    ph->stats = db_stats_take(app->d);
    double s0 = now_ms();
    json_writer *w = &app->w;
    json_writer_reset(w);
    json_obj_begin(w);
    json_key(w, "page");
    json_int(w, page);
    json_key(w, "per_page");
    json_int(w, per_page);
    json_key(w, "total");
    json_int(w, total);
    json_key(w, "pages");
    json_int(w, pages);
    json_key(w, "books");
    json_arr_begin(w);
    for (size_t i = 0; i < bv.n; i++)
        write_book(w, &((book *)bv.items)[i]);
    json_arr_end(w);
    json_obj_end(w);
    ph->serialize_ms = now_ms() - s0;
    finish(app, req, res, 200, ph);
    return;
fail:
    ph->stats = db_stats_take(app->d);
    internal_error(app, req, res, ph);
}

void catalog_app_handle(void *vapp, const http_request *req, http_response *res)
{
    catalog_app *app = vapp;
    phase ph = {.t0 = req->started_ms};
    arena_reset(&app->a);
    if (app->d)
        db_stats_take(app->d);
    http_str path = req->head->path;
    static const char books[] = "/api/books";
    bool known = http_str_eq(path, "/api/health") || http_str_eq(path, books) ||
                 (path.n > sizeof books && !memcmp(path.p, "/api/books/", sizeof books) &&
                  !memchr(path.p + sizeof books, '/', path.n - sizeof books));
    if (!known) {
        error_reply(app, req, res, 404, "not found", &ph);
        return;
    }
    /* HEAD is GET without the body (RFC 9110 9.3.2), which the server leaves out */
    if (!http_str_eq(req->head->method, "GET") && !http_str_eq(req->head->method, "HEAD")) {
        error_reply(app, req, res, 405, "method not allowed", &ph);
        http_response_header(res, "Allow", "GET, HEAD");
        return;
    }
    if (http_str_eq(path, "/api/health")) {
        double s0 = now_ms();
        json_writer_reset(&app->w);
        json_obj_begin(&app->w);
        json_key(&app->w, "status");
        json_str(&app->w, "ok");
        json_obj_end(&app->w);
        ph.serialize_ms = now_ms() - s0;
        finish(app, req, res, 200, &ph);
        return;
    }
    if (!app->d) {
        snprintf(app->err, sizeof app->err, "no database connection");
        internal_error(app, req, res, &ph);
        return;
    }
    if (http_str_eq(path, books)) {
        list_books(app, req, res, false, &ph);
        return;
    }
    const char *rest = path.p + sizeof books;
    size_t rn = path.n - sizeof books;
    if (rn == 10 && !memcmp(rest, "n-plus-one", 10)) {
        list_books(app, req, res, true, &ph);
        return;
    }
    int64_t id;
    if (!parse_id(rest, rn, &id) || id < 1) {
        error_reply(app, req, res, 400, "book id must be a positive integer", &ph);
        return;
    }
    get_book(app, req, res, id, &ph);
}
