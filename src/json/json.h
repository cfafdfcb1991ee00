/* ladder's JSON codec: a strict RFC 8259 reader (DOM) and a streaming writer.
 *
 * Ownership:
 *  - json_read() returns a json_doc that owns every value reachable from its root, including
 *    string bytes (copied, unescaped, NUL-terminated). Free it once with json_doc_free().
 *    Pointers returned by the accessors stay valid until then.
 *  - The input buffer is only read during json_read(); the caller keeps owning it.
 *  - A json_writer owns a growable buffer; json_writer_free() releases it, or
 *    json_writer_take() hands it to the caller (free() it).
 *
 * Strictness: exactly one value with optional surrounding whitespace; no comments, no trailing
 * commas, no leading zeros, no NaN/Infinity; strings must be valid UTF-8 (no overlongs, no
 * surrogates encoded directly, no code points above U+10FFFF); escapes \uD800-\uDFFF must form
 * valid pairs; control characters below 0x20 must be escaped. Numbers are correctly rounded to
 * the nearest double; a number whose magnitude overflows a double is rejected. Nesting deeper
 * than max_depth is rejected. Duplicate object keys are accepted; json_obj_get() returns the first.
 */
#ifndef LADDER_JSON_H
#define LADDER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

typedef struct json_value json_value;
typedef struct json_doc json_doc;

/* Where and why reading failed. offset is 0-based in bytes; line and column are 1-based
 * (column counts bytes). msg is a short human sentence without position information. */
typedef struct {
    size_t offset;
    size_t line;
    size_t column;
    char msg[96];
} json_error;

typedef struct {
    size_t max_depth; /* 0 means JSON_DEFAULT_MAX_DEPTH */
    /* A document from an earlier json_read to take over: the new document is built in its
     * memory (no page faults for a second document of similar size) and may be the same
     * pointer. The call consumes it whatever happens, so the caller must neither use nor free
     * it afterwards; on failure it is freed. */
    json_doc *reuse;
} json_read_opts;

#define JSON_DEFAULT_MAX_DEPTH 512

/* Parses buf[0..len). Returns NULL on error (and fills *err when err is non-NULL). */
json_doc *json_read(const char *buf, size_t len, const json_read_opts *opts, json_error *err);
/* Reads a whole file and parses it; on I/O failure err->msg says so and offset/line/column are 0. */
json_doc *json_read_file(const char *path, const json_read_opts *opts, json_error *err);
/* Formats "PREFIX:LINE:COLUMN (byte OFFSET): MSG" into out (always NUL-terminated); errors
 * without a position (line 0: I/O failures) format as "PREFIX: MSG". */
void json_error_format(const json_error *err, const char *prefix, char *out, size_t cap);
void json_doc_free(json_doc *doc);
const json_value *json_doc_root(const json_doc *doc);

const char *json_type_name(json_type t);

/* A document's values. The layout is public only so that the accessors below inline into a
 * caller's walk (a call per value is most of a walk's cost, as yyjson's header accessors show);
 * read values through the accessors, never write them. 24 bytes: a document holds one per value,
 * and an object member is its key's pointer and its value (32 bytes), the key's length in the
 * value's spare bytes. */
typedef struct json_member json_member;
struct json_value {
    unsigned char type; /* a json_type */
    bool is_int;
    uint32_t key_len; /* a member's value: its key's length (at most 4 GiB - 1); else unset */
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
    json_value val;
};

static inline json_type json_get_type(const json_value *v)
{
    return v ? (json_type)v->type : JSON_NULL;
}

static inline bool json_is_bool(const json_value *v)
{
    return v && (v->type == JSON_TRUE || v->type == JSON_FALSE);
}

/* false unless v is JSON_TRUE */
static inline bool json_get_bool(const json_value *v)
{
    return v && v->type == JSON_TRUE;
}

/* 0 unless v is a number */
static inline double json_get_num(const json_value *v)
{
    return v && v->type == JSON_NUMBER ? v->u.n.num : 0.0;
}

/* True when v is a number written without fraction or exponent that fits in int64_t. */
static inline bool json_get_int(const json_value *v, int64_t *out)
{
    if (!v || v->type != JSON_NUMBER || !v->is_int)
        return false;
    if (out)
        *out = v->u.n.ival;
    return true;
}

/* NULL unless v is a string; *len (if non-NULL) gets the byte length (strings may hold \u0000). */
static inline const char *json_get_str(const json_value *v, size_t *len)
{
    bool ok = v && v->type == JSON_STRING;
    if (len)
        *len = ok ? v->u.c.len : 0;
    return ok ? v->u.c.p.str : NULL;
}

/* 0 unless an array */
static inline size_t json_arr_len(const json_value *v)
{
    return v && v->type == JSON_ARRAY ? v->u.c.len : 0;
}

/* NULL when out of range */
static inline const json_value *json_arr_get(const json_value *v, size_t i)
{
    return v && v->type == JSON_ARRAY && i < v->u.c.len ? &v->u.c.p.items[i] : NULL;
}

/* 0 unless an object */
static inline size_t json_obj_len(const json_value *v)
{
    return v && v->type == JSON_OBJECT ? v->u.c.len : 0;
}

/* NULL if absent */
const json_value *json_obj_get(const json_value *v, const char *key);

static inline const char *json_obj_key_at(const json_value *v, size_t i, size_t *len)
{
    bool ok = v && v->type == JSON_OBJECT && i < v->u.c.len;
    if (len)
        *len = ok ? v->u.c.p.members[i].val.key_len : 0;
    return ok ? v->u.c.p.members[i].key : NULL;
}

static inline const json_value *json_obj_val_at(const json_value *v, size_t i)
{
    return v && v->type == JSON_OBJECT && i < v->u.c.len ? &v->u.c.p.members[i].val : NULL;
}

/* ---- writer ---------------------------------------------------------------------------- */

#define JSON_WRITER_MAX_DEPTH 64

typedef struct {
    char *buf;
    size_t len, cap;
    int depth;
    bool pretty;
    bool failed;           /* out of memory, depth overflow or misuse; sticky */
    bool need_comma[JSON_WRITER_MAX_DEPTH];
    bool in_object[JSON_WRITER_MAX_DEPTH];
    bool after_key;
} json_writer;

void json_writer_init(json_writer *w, bool pretty);
void json_writer_free(json_writer *w);
/* Starts a new document, keeping the buffer (for writers reused across requests). */
void json_writer_reset(json_writer *w);
void json_obj_begin(json_writer *w);
void json_obj_end(json_writer *w);
void json_arr_begin(json_writer *w);
void json_arr_end(json_writer *w);
void json_key(json_writer *w, const char *key);
void json_keyn(json_writer *w, const char *key, size_t len); /* key may hold \u0000 */
void json_str(json_writer *w, const char *s); /* NULL is written as null */
void json_strn(json_writer *w, const char *s, size_t len);
/* Shortest decimal text that reads back to the same double; non-finite values are written as null. */
void json_num(json_writer *w, double d);
void json_int(json_writer *w, int64_t i);
void json_bool(json_writer *w, bool b);
void json_null(json_writer *w);
/* A key and its value in one call. */
void json_kv_num(json_writer *w, const char *key, double d);
void json_kv_int(json_writer *w, const char *key, int64_t i);
void json_kv_str(json_writer *w, const char *key, const char *s); /* NULL is written as null */
/* Writes a parsed value (and everything in it) at the writer's position; an integer that was
 * read as one is written as one, -0 as a double. */
void json_write_value(json_writer *w, const json_value *v);
void json_kv_bool(json_writer *w, const char *key, bool b);
/* Inserts already-encoded JSON text as one value (the caller vouches for it). */
void json_raw(json_writer *w, const char *text, size_t len);
/* Returns false if anything failed or the document is not complete (unbalanced begin/end). */
bool json_writer_ok(const json_writer *w);
/* The text so far (NUL-terminated; owned by the writer). */
const char *json_writer_data(const json_writer *w, size_t *len);
/* Hands the buffer to the caller (free() it) and resets the writer. NULL (and the buffer freed)
 * if it failed or the document is incomplete, i.e. when json_writer_ok() is false. */
char *json_writer_take(json_writer *w, size_t *len);

/* Writes the shortest round-trip decimal for d into out (cap >= 32), returns its length. */
size_t json_format_double(double d, char *out, size_t cap);

#endif
