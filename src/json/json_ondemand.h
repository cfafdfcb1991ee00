/* ladder's on-demand JSON reader: the caller walks the text value by value without building a
 * tree. It is as strict as json_read() (see json.h) and shares its string and number code, so
 * both accept the same texts and give the same values; errors carry the same messages.
 *
 * Usage: json_od_init once, json_od_reset per input, then peek / begin / next / read / skip, and
 * json_od_finish at the end. Every call returns false (or JSON_NULL for peek) once reading has
 * failed; the first failure is kept (json_od_failed, json_od_error). Arrays and objects are
 * iterated with the count of members already read: `for (size_t i = 0; json_od_arr_next(od, i);
 * i++) read one value;`.
 *
 * Ownership: the input stays the caller's and must outlive the reads. The reader owns a scratch
 * buffer for strings with escapes (and long numbers) and a nesting stack; json_od_free releases
 * them. A string's bytes point into the input when it has no escapes, else into the scratch
 * buffer, where they stay valid until the next call that reads a string or number. */
#ifndef LADDER_JSON_ONDEMAND_H
#define LADDER_JSON_ONDEMAND_H

#include "json/json.h"
#include "json/json_number.h"

#include <float.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__AVX2__)
#include <immintrin.h>
#endif

/* The hot reads are inlined into the caller's loop, whatever the compiler's size heuristics say. */
#if defined(__GNUC__)
#define JSON_OD_INLINE static inline __attribute__((always_inline))
#else
#define JSON_OD_INLINE static inline
#endif

typedef struct {
    const char *ptr; /* not NUL-terminated; may hold \u0000 */
    size_t len;
} json_od_string;

typedef struct {
    double num;
    int64_t ival;
    bool is_int; /* written without fraction or exponent and fits int64_t */
} json_od_number;

/* What json_od_any read: a string's text or a number's value. */
typedef struct {
    json_od_string str;
    json_od_number num;
} json_od_value;

typedef struct {
    const unsigned char *start, *p, *end;
    size_t depth, max_depth;
    bool failed;
    json_error err; /* offset and msg; line and column are filled in by json_od_error */
    char *scratch;
    size_t scratch_cap;
    unsigned char *stack; /* json_od_skip's open containers */
    size_t stack_cap;
    const unsigned char *(*scan)(const unsigned char *p, const unsigned char *end);
    /* From a string's first non-ASCII byte: the end of its run of valid UTF-8 and plain ASCII */
    const unsigned char *(*plain)(const unsigned char *p, const unsigned char *end);
    /* Per nesting depth (mod 64): the length of the last whitespace run longer than one byte
     * (< 32) seen inside a container of that depth. Not char: a char store may alias every
     * field, and the compiler would reload them all after one. */
    uint16_t ws_runs[64];
} json_od;

/* max_depth 0 means JSON_DEFAULT_MAX_DEPTH. Picks the fastest string scanner this CPU runs. */
void json_od_init(json_od *od, size_t max_depth);
void json_od_free(json_od *od);
/* Forces a string scanner: "scalar", "sse2", "avx2" or "avx512" (for tests and measurements);
 * false when this build or CPU has no such scanner. "avx2" and "avx512" also validate non-ASCII
 * text 32 or 64 bytes at a time; the others step through it one UTF-8 sequence at a time. */
bool json_od_use_scanner(json_od *od, const char *name);
/* Starts reading buf[0..len), keeping the buffers of earlier inputs. */
void json_od_reset(json_od *od, const char *buf, size_t len);

/* The type of the next value, judged by its first byte (its validity is checked when it is
 * read). JSON_NULL with the reader failed at the end of input or an unexpected byte. */
static inline json_type json_od_peek(json_od *od);
JSON_OD_INLINE bool json_od_arr_begin(json_od *od);
/* True when element i (0-based; i elements were read before) follows; false at ']' or error. */
JSON_OD_INLINE bool json_od_arr_next(json_od *od, size_t i);
JSON_OD_INLINE bool json_od_obj_begin(json_od *od);
/* True with the member's key when member i follows (the ':' is consumed); false at '}'. */
JSON_OD_INLINE bool json_od_obj_next(json_od *od, size_t i, json_od_string *key);
JSON_OD_INLINE bool json_od_str(json_od *od, json_od_string *out);
JSON_OD_INLINE bool json_od_num(json_od *od, json_od_number *out);
/* Reads true, false or null; *type says which. */
JSON_OD_INLINE bool json_od_lit(json_od *od, json_type *type);
/* Reads the next value whatever its type, with *type saying which: a string (into v->str), a
 * number (v->num) or a literal whole, an array or object entered as by json_od_arr_begin or
 * json_od_obj_begin. One call where json_od_peek and a typed read take two: the same values
 * and errors. */
JSON_OD_INLINE bool json_od_any(json_od *od, json_type *type, json_od_value *v);
/* Reads and validates one whole value of any type. */
bool json_od_skip(json_od *od);
/* Checks that only whitespace follows the top-level value (and every container was closed). */
bool json_od_finish(json_od *od);

static inline bool json_od_failed(const json_od *od) { return od->failed; }
/* Byte offset of the next value, after whitespace (the offset of the failure once failed). */
static inline size_t json_od_offset(json_od *od);
/* Copies the first failure, with line and column computed. */
void json_od_error(const json_od *od, json_error *out);
/* Records a failure of the caller's own (e.g. a schema violation) at offset; the first failure
 * wins. Always returns false. */
bool json_od_fail(json_od *od, size_t offset, const char *msg);
/* 1-based line and column (bytes) of offset in buf. */
void json_od_locate(const char *buf, size_t offset, size_t *line, size_t *column);

/* ---- inline fast paths; the rest is in json_ondemand.c ----------------------------------- */

bool json__od_fail_at(json_od *od, const unsigned char *at, const char *msg);
bool json__od_str_slow(json_od *od, const unsigned char *quote, const unsigned char *q, json_od_string *out);
bool json__od_num_slow(json_od *od, const unsigned char *p, json_od_number *out);
/* w * 10^q correctly rounded, w != 0 (json_common.c); false where only the exact path decides. */
bool json__eisel_lemire(uint64_t w, long q, double *out);
bool json__od_eof(json_od *od, const unsigned char *at);
const unsigned char *json__od_scan_scalar(const unsigned char *p, const unsigned char *end);
/* The first byte in [p, end) that is not a space (end if none). */
const unsigned char *json__skip_spaces(const unsigned char *p, const unsigned char *end);
json_type json__od_peek_fail(json_od *od, const unsigned char *p);
bool json__od_open_slow(json_od *od, unsigned char opener);
bool json__od_lit_slow(json_od *od, json_type *type);

/* The first byte in [p, end) that is '"', '\\', a control character or non-ASCII (end if none),
 * 16 bytes at a time with SSE2. A string whose first such byte is its closing quote needs no
 * decoding, only a copy. Shared by both readers and the pipeline's fast path. */
JSON_OD_INLINE const unsigned char *json__scan_special(const unsigned char *p, const unsigned char *end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), low = _mm_set1_epi8(0x20);
    for (; end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)p);
        /* signed compare: bytes >= 0x80 are negative, so they count as "below 0x20" too */
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)), _mm_cmplt_epi8(v, low)));
        if (m)
            return p + __builtin_ctz(m);
    }
#endif
    while (p < end && *p - 0x20u < 0x60u && *p != '"' && *p != '\\')
        p++;
    return p;
}

#if defined(__SSE2__)
/* Bit i set where p[i] is JSON whitespace, for 32 bytes at p. */
JSON_OD_INLINE uint32_t json__ws_mask32(const unsigned char *p)
{
#if defined(__AVX2__)
    /* by low nibble the one whitespace byte with it (' ' 0, '\t' 9, '\n' A, '\r' D), else 0xFF:
     * a byte is whitespace where the lookup gives it back (bytes >= 0x80 look up 0) */
    const __m256i table = _mm256_setr_epi8(' ', -1, -1, -1, -1, -1, -1, -1, -1, '\t', '\n', -1, -1, '\r', -1, -1,
                                           ' ', -1, -1, -1, -1, -1, -1, -1, -1, '\t', '\n', -1, -1, '\r', -1, -1);
    __m256i v = _mm256_loadu_si256((const __m256i *)p);
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, v), v));
#else
    const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'),
                  cr = _mm_set1_epi8('\r');
    __m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i wa = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, sp), _mm_cmpeq_epi8(a, nl)),
                              _mm_or_si128(_mm_cmpeq_epi8(a, tab), _mm_cmpeq_epi8(a, cr)));
    __m128i wb = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, sp), _mm_cmpeq_epi8(b, nl)),
                              _mm_or_si128(_mm_cmpeq_epi8(b, tab), _mm_cmpeq_epi8(b, cr)));
    return (uint32_t)_mm_movemask_epi8(wa) | (uint32_t)_mm_movemask_epi8(wb) << 16;
#endif
}
#endif

JSON_OD_INLINE const unsigned char *json__od_ws(const unsigned char *p, const unsigned char *end)
{
    const uint64_t ws = (UINT64_C(1) << ' ') | (UINT64_C(1) << '\n') | (UINT64_C(1) << '\r') |
                        (UINT64_C(1) << '\t');
    /* Most calls are already at a token, or one space before one (": ", ", "). */
    if (p < end && *p > ' ')
        return p;
    if (p < end && *p == ' ' && end - p > 1 && p[1] > ' ')
        return p + 1;
#if defined(__SSE2__)
    /* a newline and indentation: 32 bytes at a time */
    for (; end - p >= 32; p += 32) {
        uint32_t m = ~json__ws_mask32(p);
        if (m)
            return p + __builtin_ctz(m);
    }
#endif
    while (p < end && *p <= ' ' && (ws >> *p & 1))
        p++;
    return p;
}

/* json__od_ws for the readers' hot paths. Indented text repeats its newline-and-indentation runs:
 * where the run has a predicted length, the next token's place is known before the bytes are
 * compared, and the compare is a predictable branch instead of a link in the chain of loads
 * each token's place depends on. The length is predicted per depth (runs[depth mod 64], depth
 * the open containers): inside a container it is the indentation of its members, or, before
 * its closer, that of the enclosing container's members; one prediction for all depths misses
 * at every change of depth (half the runs of a document of small nested objects). */
JSON_OD_INLINE const unsigned char *json__ws_pred(const unsigned char *p, const unsigned char *end,
                                                  uint16_t runs[64], size_t depth)
{
    if (p < end && *p > ' ')
        return p;
    if (p < end && *p == ' ' && end - p > 1 && p[1] > ' ')
        return p + 1;
#if defined(__SSE2__)
    if (end - p >= 32) {
        uint32_t stop = ~json__ws_mask32(p);
        unsigned run = runs[depth & 63], outer = runs[(depth - 1) & 63];
        if ((stop & ((2u << run) - 1)) == 1u << run) /* the first non-space right where predicted */
            return p + run;
        if ((stop & ((2u << outer) - 1)) == 1u << outer)
            return p + outer;
        if (stop) {
            run = (unsigned)__builtin_ctz(stop);
            runs[depth & 63] = (uint16_t)run;
            return p + run;
        }
        p += 32;
    }
#else
    (void)runs;
    (void)depth;
#endif
    return json__od_ws(p, end);
}

JSON_OD_INLINE const unsigned char *json__od_ws_pred(json_od *od, const unsigned char *p,
                                                     const unsigned char *end)
{
    return json__ws_pred(p, end, od->ws_runs, od->depth);
}

static inline size_t json_od_offset(json_od *od)
{
    if (od->failed)
        return od->err.offset;
    od->p = json__od_ws(od->p, od->end);
    return (size_t)(od->p - od->start);
}

static inline json_type json_od_peek(json_od *od)
{
    if (od->failed)
        return JSON_NULL;
    const unsigned char *p = json__od_ws_pred(od, od->p, od->end);
    od->p = p;
    if (p < od->end) {
        switch (*p) {
        case '"': return JSON_STRING;
        case '{': return JSON_OBJECT;
        case '[': return JSON_ARRAY;
        case 't': return JSON_TRUE;
        case 'f': return JSON_FALSE;
        case 'n': return JSON_NULL;
        case '-': case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            return JSON_NUMBER;
        default:
            break;
        }
    }
    return json__od_peek_fail(od, p);
}

#if defined(__AVX2__)
/* Bit i set where s[i] is a quote, a backslash, a control character or not ASCII, for 32 bytes
 * at s: where a string's plain ASCII run ends. */
JSON_OD_INLINE uint32_t json__str_mask32(const unsigned char *s)
{
    const __m256i quote = _mm256_set1_epi8('"'), bslash = _mm256_set1_epi8('\\'), low = _mm256_set1_epi8(0x20);
    __m256i v = _mm256_loadu_si256((const __m256i *)s);
    /* signed compare: bytes >= 0x80 are negative, so they count as "below 0x20" too */
    return (uint32_t)_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, bslash)),
                        _mm256_cmpgt_epi8(low, v)));
}
#endif

/* The string at p (a token's first byte, whitespace skipped); the place after it, or NULL once
 * failed. Returned, not stored in od->p, for json_od_obj_next: read back from od->p, the place
 * after a key came after the stores of its pointer and length (which may alias od->p), and the
 * reload sat on the chain of dependent steps through the text that bounds the walk's speed. */
JSON_OD_INLINE const unsigned char *json__od_str_end(json_od *od, const unsigned char *p, json_od_string *out)
{
    const unsigned char *end = od->end;
    if (p >= end) {
        json__od_eof(od, p);
        return NULL;
    }
    if (*p != '"') {
        json__od_fail_at(od, p, "expected a string");
        return NULL;
    }
    const unsigned char *s = p + 1, *q = s;
#if defined(__AVX2__)
    /* Most strings end within 32 bytes: check those inline, hand longer ones to the scanner
     * picked for this CPU. */
    if (end - q >= 32) {
        uint32_t m = json__str_mask32(q);
        q = m ? q + __builtin_ctz(m) : od->scan(q + 32, end);
    } else {
        q = json__od_scan_scalar(q, end);
    }
#elif defined(__SSE2__)
    /* Most strings end within 32 bytes: check those inline, hand longer ones to the scanner
     * picked for this CPU. */
    if (end - q >= 32) {
        const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                      low = _mm_set1_epi8(0x20);
        __m128i v = _mm_loadu_si128((const __m128i *)q);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)), _mm_cmplt_epi8(v, low)));
        if (m) {
            q += __builtin_ctz(m);
        } else {
            v = _mm_loadu_si128((const __m128i *)(q + 16));
            m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)), _mm_cmplt_epi8(v, low)));
            q = m ? q + 16 + __builtin_ctz(m) : od->scan(q + 32, end);
        }
    } else {
        q = json__od_scan_scalar(q, end);
    }
#else
    q = od->scan(q, end);
#endif
    if (q < end && *q == '"') {
        out->ptr = (const char *)s;
        out->len = (size_t)(q - s);
        return q + 1;
    }
    return json__od_str_slow(od, p, q, out) ? od->p : NULL;
}

/* The string at p; od->p after it. */
JSON_OD_INLINE bool json__od_str_at(json_od *od, const unsigned char *p, json_od_string *out)
{
    const unsigned char *e = json__od_str_end(od, p, out);
    if (e)
        od->p = e;
    return e != NULL;
}

JSON_OD_INLINE bool json_od_str(json_od *od, json_od_string *out)
{
    return json__od_str_at(od, json__od_ws_pred(od, od->p, od->end), out);
}

/* The number at p (a token's first byte, whitespace skipped); od->p after it. */
JSON_OD_INLINE bool json__od_num_at(json_od *od, const unsigned char *p, json_od_number *out)
{
    const unsigned char *end = od->end, *q = p;
    if (p >= end)
        return json__od_eof(od, p);
#if defined(__SSE2__)
    if ((q = json__number_sse(p, od->start, end, &out->num, &out->ival, &out->is_int))) {
        od->p = q;
        return true;
    }
    q = p;
#endif
    if (json__number_swar(&q, end, &out->num, &out->ival, &out->is_int)) {
        od->p = q;
        return true;
    }
    return json__od_num_slow(od, p, out);
}

JSON_OD_INLINE bool json_od_num(json_od *od, json_od_number *out)
{
    return json__od_num_at(od, json__od_ws_pred(od, od->p, od->end), out);
}

/* The container opener at p (a token's first byte, whitespace skipped): '[' or '{' below the
 * depth limit inline; everything else (errors) out of line. */
JSON_OD_INLINE bool json__od_open_at(json_od *od, const unsigned char *p, unsigned char opener)
{
    if (p < od->end && *p == opener && od->depth < od->max_depth) {
        od->depth++;
        od->p = p + 1;
        return true;
    }
    return json__od_open_slow(od, opener);
}

JSON_OD_INLINE bool json__od_open(json_od *od, unsigned char opener)
{
    return json__od_open_at(od, json__od_ws_pred(od, od->p, od->end), opener);
}

JSON_OD_INLINE bool json_od_arr_begin(json_od *od) { return json__od_open(od, '['); }
JSON_OD_INLINE bool json_od_obj_begin(json_od *od) { return json__od_open(od, '{'); }

/* The literal at p (a token's first byte, whitespace skipped); od->p after it. */
JSON_OD_INLINE bool json__od_lit_at(json_od *od, const unsigned char *p, json_type *type)
{
    size_t avail = (size_t)(od->end - p), n = 0;
    json_type t = JSON_NULL;
    if (avail >= 4) { /* fixed-size compares: one 32-bit load each */
        if (memcmp(p, "null", 4) == 0)
            n = 4;
        else if (memcmp(p, "true", 4) == 0)
            n = 4, t = JSON_TRUE;
        else if (avail >= 5 && memcmp(p, "false", 5) == 0)
            n = 5, t = JSON_FALSE;
    }
    if (n) {
        od->p = p + n;
        if (type)
            *type = t;
        return true;
    }
    od->p = p;
    return json__od_lit_slow(od, type);
}

JSON_OD_INLINE bool json_od_lit(json_od *od, json_type *type)
{
    return json__od_lit_at(od, json__od_ws_pred(od, od->p, od->end), type);
}

JSON_OD_INLINE bool json_od_any(json_od *od, json_type *type, json_od_value *v)
{
    const unsigned char *p = json__od_ws_pred(od, od->p, od->end);
    if (p < od->end) {
        switch (*p) {
        case '"':
            *type = JSON_STRING;
            return json__od_str_at(od, p, &v->str);
        case '-': case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            *type = JSON_NUMBER;
            return json__od_num_at(od, p, &v->num);
        case '{':
        case '[':
            *type = *p == '{' ? JSON_OBJECT : JSON_ARRAY;
            return json__od_open_at(od, p, *p);
        case 't': case 'f': case 'n':
            return json__od_lit_at(od, p, type);
        default:
            break;
        }
    }
    json__od_peek_fail(od, p);
    return false;
}

JSON_OD_INLINE bool json_od_arr_next(json_od *od, size_t i)
{
    const unsigned char *end = od->end;
    const unsigned char *p = json__od_ws_pred(od, od->p, end);
    if (p >= end)
        return json__od_eof(od, p);
    if (*p == ']') {
        od->p = p + 1;
        od->depth--;
        return false;
    }
    if (i) {
        if (*p != ',')
            return json__od_fail_at(od, p, "expected ',' or ']'");
        p = json__od_ws_pred(od, p + 1, end);
        if (p < end && *p == ']')
            return json__od_fail_at(od, p, "trailing comma");
    }
    od->p = p;
    return true;
}

JSON_OD_INLINE bool json_od_obj_next(json_od *od, size_t i, json_od_string *key)
{
    const unsigned char *end = od->end;
    const unsigned char *p = json__od_ws_pred(od, od->p, end);
    if (p >= end)
        return json__od_eof(od, p);
    if (*p == '}') {
        od->p = p + 1;
        od->depth--;
        return false;
    }
    if (i) {
        if (*p != ',')
            return json__od_fail_at(od, p, "expected ',' or '}'");
        p = json__od_ws_pred(od, p + 1, end);
        if (p < end && *p == '}')
            return json__od_fail_at(od, p, "trailing comma");
    }
    if (p >= end)
        return json__od_eof(od, p);
    if (*p != '"')
        return json__od_fail_at(od, p, "expected a string key");
    if (!(p = json__od_str_end(od, p, key)))
        return false;
    p = json__od_ws(p, end);
    if (p >= end)
        return json__od_eof(od, p);
    if (*p != ':')
        return json__od_fail_at(od, p, "expected ':' after object key");
    od->p = p + 1;
    return true;
}

#endif
