#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "json/json.h"
#include "json/json_internal.h"
#include "json/json_number.h"
#include "json/json_ondemand.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    const unsigned char *start, *end;
    json_doc *doc;
    json_error *err;
    bool failed;
    size_t max_depth;
    unsigned char *stack;
    size_t stack_cap; /* in bytes */
    json_frame *frames;
    size_t frames_cap;
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

/* The parser keeps the front chunk's free span [at, end) in registers; this is the slow way
 * (the span too small): the span is written back, a block taken, and the new span returned. */
typedef struct {
    unsigned char *at, *end;
    void *block; /* NULL when out of memory */
} json_arena_span;

static __attribute__((noinline)) json_arena_span json_arena_refill(json_doc *doc, unsigned char *at,
                                                                   size_t size)
{
    json_arena_span s = {at, at, NULL};
    json_chunk *c = doc->chunks;
    if (c)
        c->used = (size_t)(at - (unsigned char *)c->data);
    s.block = json_arena_grow(doc, size);
    c = doc->chunks;
    if (c) {
        s.at = (unsigned char *)c->data + c->used;
        s.end = (unsigned char *)c->data + c->cap;
    }
    return s;
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

static __attribute__((noinline, cold)) bool json_unexpected(json_parser *ps, const unsigned char *at)
{
    unsigned c = *at;
    if (c >= 0x20 && c < 0x7F)
        return json_fail(ps, at, "unexpected character '%c'", (int)c);
    return json_fail(ps, at, "unexpected byte 0x%02X", c);
}

/* p holds no literal (json__literal said so): which error it is. */
static __attribute__((noinline, cold)) bool json_literal_error(json_parser *ps, const unsigned char *p)
{
    static const struct {
        const char *text;
        size_t len;
    } lits[] = {{"true", 4}, {"false", 5}, {"null", 4}};
    for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        if (*p == (unsigned char)lits[i].text[0])
            return json_fail(ps, p, "invalid literal (expected '%s')", lits[i].text);
    }
    return json_unexpected(ps, p);
}

/* A number json__number_swar left alone: NULL (the failure recorded) or the byte after it. */
static __attribute__((noinline)) const unsigned char *json_number_slow(json_parser *ps,
                                                                      const unsigned char *p,
                                                                      json_value *v)
{
    json__number n;
    const char *msg = json__parse_number(&p, ps->end, &n, &ps->scratch, &ps->scratch_cap);
    if (msg) {
        json_fail(ps, p, "%s", msg);
        return NULL;
    }
    v->type = JSON_NUMBER;
    v->is_int = n.is_int;
    v->u.n.num = n.num;
    v->u.n.ival = n.ival;
    return p;
}

/* A string with escapes (or an error): the bytes from after its opening quote up to from are
 * plain (scanned and valid), so they are copied as they are. The one-letter escapes and the
 * plain runs after them are taken here (runs with json_skip_text); the first \u escape, control
 * byte, invalid byte or end hands the rest to json__decode_string, which resumes mid-string and
 * words every error. dst has room for the raw span and a NUL. NULL (the failure recorded) or
 * the byte after the closing quote. */
static const unsigned char *json_skip_text(const unsigned char *q, const unsigned char *end);

static __attribute__((noinline)) const unsigned char *json_string_slow(json_parser *ps,
                                                                      const unsigned char *quote,
                                                                      const unsigned char *from,
                                                                      unsigned char *dst, size_t *len)
{
    const unsigned char *p = from, *end = ps->end;
    size_t plain = (size_t)(from - (quote + 1));
    memcpy(dst, quote + 1, plain);
    unsigned char *o = dst + plain;
    while (end - p >= 2 && *p == '\\') {
        unsigned char c = json__short_escape(p[1]);
        if (!c)
            goto rest;
        *o++ = c;
        p += 2;
        const unsigned char *run = p;
        p = json__scan_special(p, end);
        if (p < end && *p >= 0x80)
            p = json_skip_text(p, end);
        memcpy(o, run, (size_t)(p - run));
        o += p - run;
        if (p < end && *p == '"') {
            *o = '\0';
            *len = (size_t)(o - dst);
            return p + 1;
        }
    }
rest:;
    const char *msg = json__decode_string(&p, end, &o);
    if (msg) {
        json_fail(ps, p ? p : quote, "%s", msg);
        return NULL;
    }
    *o = '\0';
    *len = (size_t)(o - dst);
    return p;
}

/* json__skip_plain from a non-ASCII byte, with the commonest text outside ASCII (three-byte
 * characters with leads E1..EC and EE..EF: CJK, most symbols) taken two at a time, and two-byte
 * characters one at a time, without re-entering the shared loop after each ASCII run. */
static const unsigned char *json_skip_text(const unsigned char *q, const unsigned char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - q >= 8) {
        uint64_t w;
        memcpy(&w, q, 8);
        if ((w & UINT64_C(0xC0C0F0C0C0F0)) == UINT64_C(0x8080E08080E0) &&
            (0xDFFEu >> (q[0] & 15)) & (0xDFFEu >> (q[3] & 15)) & 1)
            q += 6;
        else if ((w & 0xC0C0F0u) == 0x8080E0u && (0xDFFEu >> (q[0] & 15)) & 1)
            q += 3;
        else if ((w & 0xC0E0u) == 0x80C0u && q[0] >= 0xC2) /* two bytes: Latin, Greek, Cyrillic... */
            q += 2;
        else
            break;
        if (*q < 0x80) {
            q = json__scan_special(q, end);
            if (q >= end || *q < 0x80)
                return q;
        }
    }
#endif
    return json__skip_plain(q, end);
}

/* Room for at least one more child (a json_member, the larger kind) on the stack: the new
 * stack, or NULL (the failure recorded, the old stack kept). */
static __attribute__((noinline)) unsigned char *json_grow_stack(json_parser *ps, const unsigned char *at)
{
    size_t cap = ps->stack_cap ? ps->stack_cap * 2 : 64 * sizeof(json_member);
    unsigned char *ns = cap > ps->stack_cap ? realloc(ps->stack, cap) : NULL;
    if (!ns) {
        json_fail(ps, at, "out of memory");
        return NULL;
    }
    ps->stack = ns;
    ps->stack_cap = cap;
    return ns;
}

static __attribute__((noinline)) bool json_grow_frames(json_parser *ps, const unsigned char *at)
{
    size_t cap = ps->frames_cap ? ps->frames_cap * 2 : 32;
    json_frame *nf = cap <= SIZE_MAX / sizeof(json_frame) ? realloc(ps->frames, cap * sizeof(json_frame))
                                                          : NULL;
    if (!nf)
        return json_fail(ps, at, "out of memory");
    ps->frames = nf;
    ps->frames_cap = cap;
    return true;
}

/* Most containers hold one to two values (canada.json's coordinate pairs): copied inline with
 * fixed-size moves, head and tail overlapping, instead of a call into memcpy per container. The
 * source (the parser's stack) and the destination (the arena) never overlap, so the head and
 * the tail go straight across. */
static inline void json_copy_children(void *restrict dst, const void *restrict src, size_t bytes)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (bytes >= 16 && bytes <= 64) {
        if (bytes >= 32) {
            memcpy(d, s, 32);
            memcpy(d + bytes - 32, s + bytes - 32, 32);
        } else {
            memcpy(d, s, 16);
            memcpy(d + bytes - 16, s + bytes - 16, 16);
        }
        return;
    }
    memcpy(d, s, bytes);
}

/* One loop with labels for the grammar's states (a value, an array element, an object key, what
 * follows a value), in the style of a state machine: the cursor, the stack top and the arena's
 * free span stay in registers, and a value is parsed straight into its slot on the stack (an
 * array's json_value or an object member's val, always the last 24 bytes pushed), so closing a
 * container is one copy into the arena. Only rare paths call out, taking copies of the locals. */
static bool json_parse(json_parser *ps)
{
    const unsigned char *p = ps->start, *end = ps->end;
    unsigned char *stack = ps->stack, *top = stack, *stack_end = stack + ps->stack_cap;
    json_frame *frames = ps->frames;
    size_t depth = 0;
    uint16_t ws_runs[64] = {0}; /* json__ws_pred's run per depth */
    bool is_obj = false;
    json_doc *doc = ps->doc;
    unsigned char *aat = NULL, *aend = NULL; /* the arena's free span */
    if (doc->chunks) {
        aat = (unsigned char *)doc->chunks->data + doc->chunks->used;
        aend = (unsigned char *)doc->chunks->data + doc->chunks->cap;
    }
    json_value rootv, *slot = &rootv;
    const unsigned char *at;
    const char *msg;
    bool ok = false;

/* dst = a block of size bytes aligned to align (a power of two) */
#define JSON_ALLOC(dst, size, align)                                                              \
    do {                                                                                          \
        unsigned char *a_ = (unsigned char *)(((uintptr_t)aat + (align) - 1) & ~(uintptr_t)((align) - 1)); \
        size_t sz_ = (size);                                                                      \
        if (a_ <= aend && sz_ <= (size_t)(aend - a_)) {                                           \
            aat = a_ + sz_;                                                                       \
            (dst) = (void *)a_;                                                                   \
        } else {                                                                                  \
            json_arena_span sp_ = json_arena_refill(doc, aat, sz_);                               \
            aat = sp_.at;                                                                         \
            aend = sp_.end;                                                                       \
            if (!sp_.block) {                                                                     \
                at = p;                                                                           \
                goto oom;                                                                         \
            }                                                                                     \
            (dst) = sp_.block;                                                                    \
        }                                                                                         \
    } while (0)
/* room on the stack for one more child */
#define JSON_ROOM()                                                                               \
    do {                                                                                          \
        if ((size_t)(stack_end - top) < sizeof(json_member)) {                                    \
            size_t off_ = (size_t)(top - stack);                                                  \
            unsigned char *ns_ = json_grow_stack(ps, p);                                          \
            if (!ns_)                                                                             \
                goto out;                                                                         \
            stack = ns_;                                                                          \
            top = ns_ + off_;                                                                     \
            stack_end = ns_ + ps->stack_cap;                                                      \
        }                                                                                         \
    } while (0)
#if defined(__SSE2__)
/* The common string: ASCII without escapes, copied 16 bytes at a time into the arena's free span
 * while it is scanned (both the input and the span must hold each 16 bytes), so it costs no
 * separate copy. On a stop at anything but the closing quote, q_ is where the scan stopped. */
#define JSON_STRING_COPY(str, len, copied_)                                                       \
    {                                                                                             \
        size_t lim_ = (size_t)(aend - aat) < (size_t)(end - s_) ? (size_t)(aend - aat)            \
                                                                 : (size_t)(end - s_);            \
        const __m128i quote_ = _mm_set1_epi8('"'), bslash_ = _mm_set1_epi8('\\'),                 \
                      low_ = _mm_set1_epi8(0x20);                                                 \
        for (; (size_t)(q_ - s_) + 16 <= lim_; q_ += 16) {                                        \
            __m128i v_ = _mm_loadu_si128((const __m128i *)q_);                                    \
            _mm_storeu_si128((__m128i *)(aat + (q_ - s_)), v_);                                   \
            unsigned m_ = (unsigned)_mm_movemask_epi8(_mm_or_si128(                               \
                _mm_or_si128(_mm_cmpeq_epi8(v_, quote_), _mm_cmpeq_epi8(v_, bslash_)),            \
                _mm_cmplt_epi8(v_, low_)));                                                       \
            if (m_) {                                                                             \
                q_ += __builtin_ctz(m_);                                                          \
                if (*q_ == '"') {                                                                 \
                    size_t n_ = (size_t)(q_ - s_);                                                \
                    unsigned char *d_ = aat;                                                      \
                    d_[n_] = '\0';                                                                \
                    aat = d_ + n_ + 1;                                                            \
                    p = q_ + 1;                                                                   \
                    (len) = n_;                                                                   \
                    (str) = (const char *)d_;                                                     \
                    goto copied_;                                                                 \
                }                                                                                 \
                break;                                                                            \
            }                                                                                     \
        }                                                                                         \
    }
#else
#define JSON_STRING_COPY(str, len, copied_)
#endif
/* the string at p (its opening quote) into (str, len); p after its closing quote */
#define JSON_STRING(str, len, copied_)                                                            \
    do {                                                                                          \
        const unsigned char *s_ = p + 1, *q_ = s_;                                                \
        JSON_STRING_COPY(str, len, copied_)                                                       \
        q_ = json__scan_special(q_, end);                                                         \
        if (q_ < end && *q_ >= 0x80) /* valid UTF-8 needs no decoding either */                   \
            q_ = json_skip_text(q_, end);                                                         \
        unsigned char *d_;                                                                        \
        if (q_ < end && *q_ == '"') { /* no escapes or control characters: a copy */              \
            size_t n_ = (size_t)(q_ - s_);                                                        \
            JSON_ALLOC(d_, n_ + 1, 1);                                                            \
            memcpy(d_, s_, n_);                                                                   \
            d_[n_] = '\0';                                                                        \
            p = q_ + 1;                                                                           \
            (len) = n_;                                                                           \
        } else {                                                                                  \
            /* unescaping never lengthens: the raw span up to the closing quote bounds it */      \
            JSON_ALLOC(d_, (size_t)(json__find_close(q_, end) - s_) + 1, 1);                      \
            size_t n_;                                                                            \
            p = json_string_slow(ps, p, q_, d_, &n_);                                             \
            if (!p)                                                                               \
                goto out;                                                                         \
            (len) = n_;                                                                           \
        }                                                                                         \
        (str) = (const char *)d_;                                                                 \
    copied_:;                                                                                     \
    } while (0)

    p = json__od_ws(p, end);
    if (p >= end) {
        at = p;
        msg = "empty input";
        goto fail;
    }

value: /* p at a value's first byte (whitespace skipped), slot where it goes */
    if (p >= end)
        goto eof;
    switch (*p) { /* one jump through a table instead of a chain of compares */
    case '"':
        slot->type = JSON_STRING;
        slot->is_int = false;
        JSON_STRING(slot->u.c.p.str, slot->u.c.len, value_copied);
        goto value_end;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': {
        const unsigned char *q;
#if defined(__SSE2__)
        if ((q = json__number_sse(p, ps->start, end, &slot->u.n.num, &slot->u.n.ival, &slot->is_int))) {
            slot->type = JSON_NUMBER;
            p = q;
            /* the fast path had 40 bytes from the number's first digit, so the two after it are
             * readable: the commonest followers, a comma and the next value or the closer,
             * without the general checks of value_end */
            if (depth) {
                if (*p == ',' && p[1] > ' ') {
                    p++;
                    if (is_obj)
                        goto key;
                    goto element;
                }
                if (*p == (is_obj ? '}' : ']')) {
                    p++;
                    goto close;
                }
            }
            goto value_end;
        }
#endif
        q = p;
        if (json__number_swar(&q, end, &slot->u.n.num, &slot->u.n.ival, &slot->is_int)) {
            slot->type = JSON_NUMBER;
            p = q;
        } else if (!(p = json_number_slow(ps, p, slot))) {
            goto out;
        }
        goto value_end;
    }
    case '[':
    case '{':
        if (depth >= ps->max_depth) {
            at = p;
            msg = "nesting too deep";
            goto fail;
        }
        if (depth == ps->frames_cap) {
            if (!json_grow_frames(ps, p))
                goto out;
            frames = ps->frames;
        }
        is_obj = *p == '{';
        frames[depth].base = (size_t)(top - stack);
        frames[depth].is_obj = is_obj;
        depth++;
        p = json__ws_pred(p + 1, end, ws_runs, depth);
        if (p < end && *p == (is_obj ? '}' : ']')) {
            p++;
            goto close;
        }
        if (is_obj)
            goto key;
        goto element;
    default: {
        json_type t;
        size_t n = json__literal(p, end, &t);
        if (!n) {
            /* an element follows '[' (where ']' closes at once) or a comma */
            if (*p == ']' && depth && !is_obj) {
                at = p;
                msg = "trailing comma";
                goto fail;
            }
            json_literal_error(ps, p);
            goto out;
        }
        p += n;
        slot->type = t;
        slot->is_int = false;
        slot->u.c.len = 0;
        slot->u.c.p.str = NULL;
        goto value_end;
    }
    }

element: /* p at an array element (whitespace skipped) */
    JSON_ROOM();
    slot = (json_value *)top;
    top += sizeof(json_value);
    goto value;

key: /* p where an object's key must be (whitespace skipped) */
    if (p >= end)
        goto eof;
    if (*p != '"') {
        at = p;
        /* a key follows '{' (where '}' closes at once) or a comma */
        msg = *p == '}' ? "trailing comma" : "expected a string key";
        goto fail;
    }
    JSON_ROOM();
    {
        json_member *m = (json_member *)top;
        top += sizeof(json_member);
        const unsigned char *key_at = p;
        size_t klen;
        JSON_STRING(m->key, klen, key_copied);
        if (klen > UINT32_MAX) {
            at = key_at;
            msg = "object key longer than 4 GiB";
            goto fail;
        }
        m->val.key_len = (uint32_t)klen;
        slot = &m->val;
    }
    /* the usual separators, ":" and ": ", without the general whitespace skip */
    if (end - p >= 3 && p[0] == ':') {
        if (p[1] > ' ') {
            p++;
            goto value;
        }
        if (p[1] == ' ' && p[2] > ' ') {
            p += 2;
            goto value;
        }
    }
    p = json__od_ws(p, end);
    if (p >= end)
        goto eof;
    if (*p != ':') {
        at = p;
        msg = "expected ':' after object key";
        goto fail;
    }
    p = json__od_ws(p + 1, end);
    goto value;

value_end: /* after a value: a comma and the next child, or the container's end */
    if (depth == 0)
        goto done;
    p = json__ws_pred(p, end, ws_runs, depth);
    if (p >= end)
        goto eof;
    if (*p == ',') {
        /* a closer right after the comma is reported where it shows up: at a key, or as an
         * element's value */
        p = json__ws_pred(p + 1, end, ws_runs, depth);
        if (is_obj)
            goto key;
        goto element;
    }
    if (*p != (is_obj ? '}' : ']')) {
        at = p;
        msg = is_obj ? "expected ',' or '}'" : "expected ',' or ']'";
        goto fail;
    }
    p++;

close: /* p after the innermost container's closer: pop it into its parent's slot */
    {
        json_frame *f = &frames[--depth];
        unsigned char *base = stack + f->base;
        size_t bytes = (size_t)(top - base);
        void *children = NULL;
        if (bytes) {
            _Static_assert(_Alignof(json_member) == _Alignof(json_value), "one alignment for both layouts");
            JSON_ALLOC(children, bytes, _Alignof(json_member));
            json_copy_children(children, base, bytes);
        }
        top = base;
        /* the parent's slot is the last 24 bytes pushed (an element, or a member's val) */
        _Static_assert(offsetof(json_member, val) + sizeof(json_value) == sizeof(json_member),
                       "a member's val ends it");
        slot = depth ? (json_value *)top - 1 : &rootv;
        slot->type = f->is_obj ? JSON_OBJECT : JSON_ARRAY;
        slot->is_int = false;
        slot->u.c.len = bytes / (f->is_obj ? sizeof(json_member) : sizeof(json_value));
        slot->u.c.p.items = children;
        if (depth)
            is_obj = frames[depth - 1].is_obj;
        goto value_end;
    }

done:
    {
        json_value *root;
        JSON_ALLOC(root, sizeof *root, _Alignof(json_value));
        *root = rootv;
        doc->root = root;
    }
    p = json__od_ws(p, end);
    if (p < end) {
        at = p;
        msg = "trailing characters after the value";
        goto fail;
    }
    ok = true;
    goto out;

eof:
    at = p;
    msg = "unexpected end of input";
fail:
    json_fail(ps, at, "%s", msg);
    goto out;
oom:
    json_fail(ps, at, "out of memory");
out:
    if (doc->chunks)
        doc->chunks->used = (size_t)(aat - (unsigned char *)doc->chunks->data);
    return ok;
#undef JSON_ALLOC
#undef JSON_ROOM
#undef JSON_STRING
#undef JSON_STRING_COPY
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
        /* the last read's chunks oldest first, then those it did not need: the same text then
         * takes the same memory in the same order. Taken newest first, citm_catalog's second
         * read filled the untouched end of the first read's second chunk (211 page faults; that
         * read took as long as the first) and every read after it swapped the two. */
        json_chunk *order = doc->spare;
        for (json_chunk *c = doc->chunks, *next; c; c = next) {
            next = c->next;
            c->next = order;
            order = c;
        }
        doc->spare = order;
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

const json_value *json_obj_get(const json_value *v, const char *key)
{
    if (!v || v->type != JSON_OBJECT || !key)
        return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < v->u.c.len; i++) {
        const json_member *m = &v->u.c.p.members[i];
        if (m->val.key_len == klen && memcmp(m->key, key, klen) == 0)
            return &m->val;
    }
    return NULL;
}

