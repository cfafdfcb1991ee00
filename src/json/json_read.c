#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "json/json.h"
#include "json/json_internal.h"
#include "json/json_ondemand.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct json_member json_member;

/* 24 bytes: a document holds one per value, so its size is most of the document's memory. */
struct json_value {
    json_type type;
    bool is_int;
    union {
        struct {
            double num;
            int64_t ival; /* when is_int */
        } n;              /* JSON_NUMBER */
        struct {
            size_t len; /* string bytes, array items or object members */
            union {
                const char *str;
                json_value *items;
                json_member *members;
            } p;
        } c; /* JSON_STRING, JSON_ARRAY, JSON_OBJECT */
    } u;
};

struct json_member {
    const char *key;
    size_t key_len;
    json_value val;
};

typedef struct json_chunk {
    struct json_chunk *next;
    size_t cap, used;
    max_align_t data[];
} json_chunk;

struct json_doc {
    json_chunk *chunks;
    json_chunk *spare; /* a reused document's chunks, taken before malloc is asked */
    size_t next_chunk;
    json_value *root;
    unsigned char *stack; /* the parser's value stack, kept for the next json_read that reuses this */
    size_t stack_cap;
};

/* The stack holds each open container's children in their final layout (json_value for an
 * array's, json_member for an object's), so closing one is a single copy into the arena. */
typedef struct {
    size_t base; /* byte offset in the stack of this container's first child */
    bool is_obj;
} json_frame;

typedef struct {
    const unsigned char *start, *p, *end;
    json_doc *doc;
    json_error *err;
    bool failed;
    size_t max_depth;
    unsigned char *stack;
    size_t stack_len, stack_cap; /* in bytes */
    json_frame *frames;
    size_t depth, frames_cap;
    char *scratch;
    size_t scratch_cap;
} json_parser;

#define JSON_CHUNK_MIN 4096u
#define JSON_CHUNK_MAX (1u << 20)

static void *json_arena_grow(json_doc *doc, size_t size)
{
    json_chunk *c = doc->chunks;
    for (json_chunk **sp = &doc->spare; *sp; sp = &(*sp)->next) {
        json_chunk *r = *sp;
        if (r->cap >= size) {
            *sp = r->next;
            r->used = size;
            r->next = c;
            doc->chunks = r;
            return r->data;
        }
    }
    bool large = size > doc->next_chunk;
    size_t cap = large ? size : doc->next_chunk;
    if (cap > SIZE_MAX - sizeof(json_chunk))
        return NULL;
    json_chunk *n = malloc(sizeof(json_chunk) + cap);
    if (!n)
        return NULL;
    n->cap = cap;
    n->used = size;
    /* A dedicated chunk for a large block keeps the current, partly free chunk in front. */
    if (large && c) {
        n->next = c->next;
        c->next = n;
    } else {
        n->next = c;
        doc->chunks = n;
        if (!large && doc->next_chunk < JSON_CHUNK_MAX)
            doc->next_chunk *= 2;
    }
    return n->data;
}

/* The common case inline: the block fits the current chunk. */
static inline void *json_arena_alloc(json_doc *doc, size_t size, size_t align)
{
    json_chunk *c = doc->chunks;
    if (c) {
        size_t at = (c->used + align - 1) & ~(align - 1);
        if (at <= c->cap && size <= c->cap - at) {
            c->used = at + size;
            return (unsigned char *)c->data + at;
        }
    }
    return json_arena_grow(doc, size);
}

__attribute__((format(printf, 3, 4))) static bool json_fail(json_parser *ps,
                                                             const unsigned char *at,
                                                             const char *fmt, ...)
{
    if (ps->failed)
        return false;
    ps->failed = true;
    if (ps->err) {
        ps->err->offset = (size_t)(at - ps->start);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err->msg, sizeof ps->err->msg, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool json_oom(json_parser *ps)
{
    return json_fail(ps, ps->p, "out of memory");
}

static bool json_unexpected(json_parser *ps, const unsigned char *at)
{
    unsigned c = *at;
    if (c >= 0x20 && c < 0x7F)
        return json_fail(ps, at, "unexpected character '%c'", (int)c);
    return json_fail(ps, at, "unexpected byte 0x%02X", c);
}

static inline void json_skip_ws(json_parser *ps)
{
    ps->p = json__od_ws(ps->p, ps->end); /* the on-demand reader's, shared */
}

/* ps->p is at the opening quote. */
static inline __attribute__((always_inline)) bool json_parse_string(json_parser *ps, const char **out,
                                                                    size_t *out_len)
{
    const unsigned char *quote = ps->p, *end = ps->end;
    const unsigned char *p = quote + 1, *q = json__scan_special(p, end);
    if (q < end && *q >= 0x80) /* valid UTF-8 needs no decoding either */
        q = json__skip_plain(q, end);
    if (q < end && *q == '"') { /* no escapes or control characters: the bytes are the value */
        size_t n = (size_t)(q - p);
        /* most strings are short: one fixed 16-byte copy (room for it taken) instead of a call */
        bool small = n < 16 && end - p >= 16;
        unsigned char *dst = json_arena_alloc(ps->doc, small ? 16 : n + 1, 1);
        if (!dst)
            return json_oom(ps);
        if (small)
            memcpy(dst, p, 16);
        else
            memcpy(dst, p, n);
        dst[n] = '\0';
        ps->p = q + 1;
        *out = (const char *)dst;
        *out_len = n;
        return true;
    }
    /* Unescaping never lengthens a string, so the raw span bounds the output. Bytes before q
     * hold no quote or backslash, so the bound's walk can start there. */
    q = json__find_close(q, end);
    unsigned char *dst = json_arena_alloc(ps->doc, (size_t)(q - p) + 1, 1);
    if (!dst)
        return json_oom(ps);
    unsigned char *o = dst;
    const char *msg = json__decode_string(&p, end, &o);
    if (msg)
        return json_fail(ps, p ? p : quote, "%s", msg);
    *o = '\0';
    ps->p = p;
    *out = (const char *)dst;
    *out_len = (size_t)(o - dst);
    return true;
}

static bool json_parse_number(json_parser *ps, json_value *v)
{
    json__number n;
    const unsigned char *p = ps->p;
    if (json__number_fast(&p, ps->end, &n)) {
        ps->p = p;
        v->type = JSON_NUMBER;
        v->is_int = n.is_int;
        v->u.n.num = n.num;
        v->u.n.ival = n.ival;
        return true;
    }
    const char *msg = json__parse_number(&p, ps->end, &n, &ps->scratch, &ps->scratch_cap);
    if (msg)
        return json_fail(ps, p, "%s", msg);
    ps->p = p;
    memset(v, 0, sizeof *v);
    v->type = JSON_NUMBER;
    v->u.n.num = n.num;
    v->is_int = n.is_int;
    v->u.n.ival = n.ival;
    return true;
}

static bool json_parse_literal(json_parser *ps, json_value *v)
{
    static const struct {
        const char *text;
        size_t len;
        json_type type;
    } lits[] = {{"true", 4, JSON_TRUE}, {"false", 5, JSON_FALSE}, {"null", 4, JSON_NULL}};
    json_type t;
    size_t n = json__literal(ps->p, ps->end, &t);
    if (n) {
        ps->p += n;
        memset(v, 0, sizeof *v);
        v->type = t;
        return true;
    }
    for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        if (*ps->p != (unsigned char)lits[i].text[0])
            continue;
        if ((size_t)(ps->end - ps->p) < lits[i].len || memcmp(ps->p, lits[i].text, lits[i].len) != 0)
            return json_fail(ps, ps->p, "invalid literal (expected '%s')", lits[i].text);
        ps->p += lits[i].len;
        memset(v, 0, sizeof *v);
        v->type = lits[i].type;
        return true;
    }
    return json_unexpected(ps, ps->p);
}

/* Room for one more child (a json_member, the larger kind) on the stack. */
static __attribute__((noinline)) bool json_grow_stack(json_parser *ps)
{
    size_t cap = ps->stack_cap ? ps->stack_cap * 2 : 64 * sizeof(json_member);
    if (cap < ps->stack_cap)
        return json_oom(ps);
    unsigned char *ns = realloc(ps->stack, cap);
    if (!ns)
        return json_oom(ps);
    ps->stack = ns;
    ps->stack_cap = cap;
    return true;
}

static bool json_push_member(json_parser *ps, const char *key, size_t key_len)
{
    if (ps->stack_cap - ps->stack_len < sizeof(json_member) && !json_grow_stack(ps))
        return false;
    json_member *m = (json_member *)(ps->stack + ps->stack_len);
    ps->stack_len += sizeof(json_member);
    m->key = key;
    m->key_len = key_len;
    memset(&m->val, 0, sizeof m->val);
    return true;
}

/* Parses `"key" :` and leaves a member slot for the value on the stack. */
static inline __attribute__((always_inline)) bool json_parse_key(json_parser *ps)
{
    json_skip_ws(ps);
    if (ps->p >= ps->end)
        return json_fail(ps, ps->p, "unexpected end of input");
    if (*ps->p != '"')
        return json_fail(ps, ps->p, "expected a string key");
    const char *key = NULL;
    size_t key_len = 0;
    if (!json_parse_string(ps, &key, &key_len) || !json_push_member(ps, key, key_len))
        return false;
    json_skip_ws(ps);
    if (ps->p >= ps->end)
        return json_fail(ps, ps->p, "unexpected end of input");
    if (*ps->p != ':')
        return json_fail(ps, ps->p, "expected ':' after object key");
    ps->p++;
    json_skip_ws(ps); /* before the value, as every other way into json_parse's loop does */
    return true;
}

static bool json_open(json_parser *ps)
{
    if (ps->depth >= ps->max_depth)
        return json_fail(ps, ps->p, "nesting too deep");
    if (ps->depth == ps->frames_cap) {
        size_t cap = ps->frames_cap ? ps->frames_cap * 2 : 32;
        if (cap > SIZE_MAX / sizeof(json_frame))
            return json_oom(ps);
        json_frame *nf = realloc(ps->frames, cap * sizeof(json_frame));
        if (!nf)
            return json_oom(ps);
        ps->frames = nf;
        ps->frames_cap = cap;
    }
    ps->frames[ps->depth].base = ps->stack_len;
    ps->frames[ps->depth].is_obj = *ps->p == '{';
    ps->depth++;
    ps->p++;
    return true;
}

/* Pops the innermost container into *v, copying its children off the stack into the arena. */
static bool json_close(json_parser *ps, json_value *v)
{
    json_frame *f = &ps->frames[--ps->depth];
    size_t bytes = ps->stack_len - f->base;
    memset(v, 0, sizeof *v);
    v->type = f->is_obj ? JSON_OBJECT : JSON_ARRAY;
    v->u.c.len = bytes / (f->is_obj ? sizeof(json_member) : sizeof(json_value));
    if (bytes) {
        _Static_assert(_Alignof(json_member) == _Alignof(json_value), "one alignment for both layouts");
        void *dst = json_arena_alloc(ps->doc, bytes, _Alignof(json_member));
        if (!dst)
            return json_oom(ps);
        memcpy(dst, ps->stack + f->base, bytes);
        if (f->is_obj)
            v->u.c.p.members = dst;
        else
            v->u.c.p.items = dst;
    }
    ps->stack_len = f->base;
    return true;
}

static bool json_parse(json_parser *ps)
{
    json_value v;
    json_skip_ws(ps);
    if (ps->p >= ps->end)
        return json_fail(ps, ps->p, "empty input");
    for (;;) {
        /* Parse one value into v (whitespace before it already skipped); containers are opened
         * here and closed below. */
        if (ps->p >= ps->end)
            return json_fail(ps, ps->p, "unexpected end of input");
        unsigned c = *ps->p;
        if (c == '{' || c == '[') {
            if (!json_open(ps))
                return false;
            json_skip_ws(ps);
            if (ps->p < ps->end && *ps->p == (c == '{' ? '}' : ']')) {
                ps->p++;
                if (!json_close(ps, &v))
                    return false;
            } else {
                if (c == '{' && !json_parse_key(ps))
                    return false;
                continue;
            }
        } else if (c == '"') {
            memset(&v, 0, sizeof v);
            v.type = JSON_STRING;
            if (!json_parse_string(ps, &v.u.c.p.str, &v.u.c.len))
                return false;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            if (!json_parse_number(ps, &v))
                return false;
        } else if (!json_parse_literal(ps, &v)) {
            return false;
        }

        /* Attach v to its parent, closing every container that ends right after it. */
        for (;;) {
            if (ps->depth == 0) {
                json_value *root = json_arena_alloc(ps->doc, sizeof *root, _Alignof(json_value));
                if (!root)
                    return json_oom(ps);
                *root = v;
                ps->doc->root = root;
                json_skip_ws(ps);
                if (ps->p < ps->end)
                    return json_fail(ps, ps->p, "trailing characters after the value");
                return true;
            }
            bool is_obj = ps->frames[ps->depth - 1].is_obj;
            unsigned char closer = is_obj ? '}' : ']';
            if (is_obj) {
                ((json_member *)(ps->stack + ps->stack_len - sizeof(json_member)))->val = v;
            } else {
                if (ps->stack_cap - ps->stack_len < sizeof(json_member) && !json_grow_stack(ps))
                    return false;
                memcpy(ps->stack + ps->stack_len, &v, sizeof v);
                ps->stack_len += sizeof(json_value);
            }
            json_skip_ws(ps);
            if (ps->p >= ps->end)
                return json_fail(ps, ps->p, "unexpected end of input");
            if (*ps->p == ',') {
                ps->p++;
                json_skip_ws(ps);
                if (ps->p < ps->end && *ps->p == closer)
                    return json_fail(ps, ps->p, "trailing comma");
                if (is_obj && !json_parse_key(ps))
                    return false;
                break;
            }
            if (*ps->p != closer)
                return json_fail(ps, ps->p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
            ps->p++;
            if (!json_close(ps, &v))
                return false;
        }
    }
}

static void json_set_position(json_error *err, const char *buf)
{
    json__locate(buf, err->offset, &err->line, &err->column);
}

json_doc *json_read(const char *buf, size_t len, const json_read_opts *opts, json_error *err)
{
    static const char empty[1] = "";
    if (err)
        memset(err, 0, sizeof *err);
    if (!buf) {
        buf = empty;
        len = 0;
    }
    json_doc *doc = opts ? opts->reuse : NULL;
    if (doc) {
        json_chunk **tail = &doc->spare;
        while (*tail)
            tail = &(*tail)->next;
        *tail = doc->chunks;
        doc->chunks = NULL;
    } else {
        doc = calloc(1, sizeof *doc);
    }
    if (!doc) {
        if (err) {
            snprintf(err->msg, sizeof err->msg, "out of memory");
            err->line = err->column = 1;
        }
        return NULL;
    }
    doc->root = NULL;
    doc->next_chunk = len / 2 > JSON_CHUNK_MIN ? (len / 2 < JSON_CHUNK_MAX ? len / 2 : JSON_CHUNK_MAX)
                                               : JSON_CHUNK_MIN;
    json_parser ps = {
        .start = (const unsigned char *)buf,
        .p = (const unsigned char *)buf,
        .end = (const unsigned char *)buf + len,
        .doc = doc,
        .err = err,
        .max_depth = opts && opts->max_depth ? opts->max_depth : JSON_DEFAULT_MAX_DEPTH,
        .stack = doc->stack,
        .stack_cap = doc->stack_cap,
    };
    bool ok = json_parse(&ps);
    doc->stack = ps.stack;
    doc->stack_cap = ps.stack_cap;
    free(ps.frames);
    free(ps.scratch);
    if (!ok) {
        json_doc_free(doc);
        if (err)
            json_set_position(err, buf);
        return NULL;
    }
    return doc;
}

/* Every failure of json_read_file consumes opts->reuse, as json_read's do. */
static json_doc *json_file_fail(json_error *err, const json_read_opts *opts, const char *what,
                                const char *path, int errnum)
{
    if (opts)
        json_doc_free(opts->reuse);
    if (err) {
        memset(err, 0, sizeof *err);
        if (what)
            snprintf(err->msg, sizeof err->msg, "cannot %s %s: %s", what, path, strerror(errnum));
        else
            snprintf(err->msg, sizeof err->msg, "out of memory");
    }
    return NULL;
}

json_doc *json_read_file(const char *path, const json_read_opts *opts, json_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return json_file_fail(err, opts, "open", path, errno);
    size_t cap = 1 << 16, len = 0;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size < SIZE_MAX - 1)
        cap = (size_t)st.st_size + 1; /* +1 so that reaching EOF needs no extra growth */
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return json_file_fail(err, opts, NULL, path, 0);
    }
    for (;;) {
        if (len == cap) {
            char *nb = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                free(buf);
                fclose(f);
                return json_file_fail(err, opts, NULL, path, 0);
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) {
                int e = errno;
                free(buf);
                fclose(f);
                return json_file_fail(err, opts, "read", path, e);
            }
            break;
        }
    }
    fclose(f);
    json_doc *doc = json_read(buf, len, opts, err);
    free(buf);
    return doc;
}

void json_error_format(const json_error *err, const char *prefix, char *out, size_t cap)
{
    if (!out || cap == 0)
        return;
    if (!prefix)
        prefix = "<json>";
    if (!err) {
        snprintf(out, cap, "%s: unknown error", prefix);
    } else if (err->line == 0) {
        snprintf(out, cap, "%s: %s", prefix, err->msg);
    } else {
        snprintf(out, cap, "%s:%zu:%zu (byte %zu): %s", prefix, err->line, err->column, err->offset,
                 err->msg);
    }
}

void json_doc_free(json_doc *doc)
{
    if (!doc)
        return;
    free(doc->stack);
    for (json_chunk *c = doc->spare; c;) {
        json_chunk *next = c->next;
        free(c);
        c = next;
    }
    json_chunk *c = doc->chunks;
    while (c) {
        json_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(doc);
}

const json_value *json_doc_root(const json_doc *doc)
{
    return doc ? doc->root : NULL;
}

json_type json_get_type(const json_value *v)
{
    return v ? v->type : JSON_NULL;
}

const char *json_type_name(json_type t)
{
    switch (t) {
    case JSON_NULL: return "null";
    case JSON_FALSE: return "false";
    case JSON_TRUE: return "true";
    case JSON_NUMBER: return "number";
    case JSON_STRING: return "string";
    case JSON_ARRAY: return "array";
    case JSON_OBJECT: return "object";
    }
    return "unknown";
}

bool json_is_bool(const json_value *v)
{
    return v && (v->type == JSON_TRUE || v->type == JSON_FALSE);
}

bool json_get_bool(const json_value *v)
{
    return v && v->type == JSON_TRUE;
}

double json_get_num(const json_value *v)
{
    return v && v->type == JSON_NUMBER ? v->u.n.num : 0.0;
}

bool json_get_int(const json_value *v, int64_t *out)
{
    if (!v || v->type != JSON_NUMBER || !v->is_int)
        return false;
    if (out)
        *out = v->u.n.ival;
    return true;
}

const char *json_get_str(const json_value *v, size_t *len)
{
    if (!v || v->type != JSON_STRING) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = v->u.c.len;
    return v->u.c.p.str;
}

size_t json_arr_len(const json_value *v)
{
    return v && v->type == JSON_ARRAY ? v->u.c.len : 0;
}

const json_value *json_arr_get(const json_value *v, size_t i)
{
    return v && v->type == JSON_ARRAY && i < v->u.c.len ? &v->u.c.p.items[i] : NULL;
}

size_t json_obj_len(const json_value *v)
{
    return v && v->type == JSON_OBJECT ? v->u.c.len : 0;
}

const json_value *json_obj_get(const json_value *v, const char *key)
{
    if (!v || v->type != JSON_OBJECT || !key)
        return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < v->u.c.len; i++) {
        const json_member *m = &v->u.c.p.members[i];
        if (m->key_len == klen && memcmp(m->key, key, klen) == 0)
            return &m->val;
    }
    return NULL;
}

const char *json_obj_key_at(const json_value *v, size_t i, size_t *len)
{
    if (!v || v->type != JSON_OBJECT || i >= v->u.c.len) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = v->u.c.p.members[i].key_len;
    return v->u.c.p.members[i].key;
}

const json_value *json_obj_val_at(const json_value *v, size_t i)
{
    return v && v->type == JSON_OBJECT && i < v->u.c.len ? &v->u.c.p.members[i].val : NULL;
}
