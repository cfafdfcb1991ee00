#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "json/json_ondemand.h"
#include "json/json_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#include "cpu/cpu_features.h"
#define JSON_OD_X86 1
#endif

/* ---- string scanners: the first byte that is '"', '\\', a control character or non-ASCII ---- */

static inline bool od_special(unsigned c)
{
    return c - 0x20u >= 0x60u || c == '"' || c == '\\';
}

const unsigned char *json__skip_spaces(const unsigned char *p, const unsigned char *end)
{
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' ');
    for (; end - p >= 16; p += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), space));
        if (m != 0xFFFF)
            return p + __builtin_ctz(~m);
    }
#endif
    while (p < end && *p == ' ')
        p++;
    return p;
}

const unsigned char *json__od_scan_scalar(const unsigned char *p, const unsigned char *end)
{
    while (p < end && !od_special(*p))
        p++;
    return p;
}

#if defined(JSON_OD_X86)
__attribute__((target("avx2"))) static const unsigned char *od_scan_avx2(const unsigned char *p,
                                                                          const unsigned char *end)
{
    const __m256i quote = _mm256_set1_epi8('"'), bslash = _mm256_set1_epi8('\\'),
                  low = _mm256_set1_epi8(0x20);
    for (; end - p >= 32; p += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)p);
        /* signed compare: bytes >= 0x80 are negative, so they count as "below 0x20" too */
        __m256i m = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, bslash)),
                                    _mm256_cmpgt_epi8(low, v));
        unsigned bits = (unsigned)_mm256_movemask_epi8(m);
        if (bits)
            return p + __builtin_ctz(bits);
    }
    return json__scan_special(p, end);
}
#endif

bool json_od_use_scanner(json_od *od, const char *name)
{
    if (!strcmp(name, "scalar")) {
        od->scan = json__od_scan_scalar;
        return true;
    }
#if defined(__SSE2__)
    if (!strcmp(name, "sse2")) { /* json__scan_special is SSE2 wherever __SSE2__ is defined */
        od->scan = json__scan_special;
        return true;
    }
#endif
#if defined(JSON_OD_X86)
    if (!strcmp(name, "avx2")) {
        if (!cpu_has(CPU_AVX2))
            return false;
        od->scan = od_scan_avx2;
        return true;
    }
#endif
    return false;
}

/* ---- setup --------------------------------------------------------------------------------- */

void json_od_init(json_od *od, size_t max_depth)
{
    memset(od, 0, sizeof *od);
    od->max_depth = max_depth ? max_depth : JSON_DEFAULT_MAX_DEPTH;
    od->scan = json__od_scan_scalar;
#if defined(__SSE2__)
    od->scan = json__scan_special;
#endif
#if defined(JSON_OD_X86)
    json_od_use_scanner(od, "avx2");
#endif
    json_od_reset(od, "", 0);
}

void json_od_free(json_od *od)
{
    free(od->scratch);
    free(od->stack);
    od->scratch = NULL;
    od->stack = NULL;
    od->scratch_cap = od->stack_cap = 0;
}

void json_od_reset(json_od *od, const char *buf, size_t len)
{
    if (!buf) {
        buf = "";
        len = 0;
    }
    od->start = od->p = (const unsigned char *)buf;
    od->end = od->start + len;
    od->depth = 0;
    od->failed = false;
    memset(&od->err, 0, sizeof od->err);
}

/* ---- errors -------------------------------------------------------------------------------- */

bool json__od_fail_at(json_od *od, const unsigned char *at, const char *msg)
{
    if (od->failed)
        return false;
    od->failed = true;
    od->err.offset = (size_t)(at - od->start);
    snprintf(od->err.msg, sizeof od->err.msg, "%s", msg);
    return false;
}

bool json_od_fail(json_od *od, size_t offset, const char *msg)
{
    if (offset > (size_t)(od->end - od->start))
        offset = (size_t)(od->end - od->start);
    return json__od_fail_at(od, od->start + offset, msg);
}

bool json__od_eof(json_od *od, const unsigned char *at)
{
    bool blank = json__od_ws(od->start, od->end) == od->end;
    return json__od_fail_at(od, at, blank ? "empty input" : "unexpected end of input");
}

static bool od_unexpected(json_od *od, const unsigned char *at)
{
    char msg[48];
    unsigned c = *at;
    if (c >= 0x20 && c < 0x7F)
        snprintf(msg, sizeof msg, "unexpected character '%c'", (int)c);
    else
        snprintf(msg, sizeof msg, "unexpected byte 0x%02X", c);
    return json__od_fail_at(od, at, msg);
}

void json_od_locate(const char *buf, size_t offset, size_t *line, size_t *column)
{
    json__locate(buf, offset, line, column);
}

void json_od_error(const json_od *od, json_error *out)
{
    *out = od->err;
    if (od->failed)
        json__locate((const char *)od->start, out->offset, &out->line, &out->column);
}

/* ---- values ------------------------------------------------------------------------------- */

json_type json__od_peek_fail(json_od *od, const unsigned char *p)
{
    if (p >= od->end)
        json__od_eof(od, p);
    else
        od_unexpected(od, p);
    return JSON_NULL;
}

static bool od_open(json_od *od, unsigned char opener, const char *what)
{
    if (od->failed)
        return false;
    const unsigned char *p = json__od_ws(od->p, od->end);
    if (p >= od->end)
        return json__od_eof(od, p);
    if (*p != opener)
        return json__od_fail_at(od, p, what);
    if (od->depth >= od->max_depth)
        return json__od_fail_at(od, p, "nesting too deep");
    od->depth++;
    od->p = p + 1;
    return true;
}

bool json_od_arr_begin(json_od *od)
{
    return od_open(od, '[', "expected an array");
}

bool json_od_obj_begin(json_od *od)
{
    return od_open(od, '{', "expected an object");
}

bool json__od_str_slow(json_od *od, const unsigned char *quote, const unsigned char *q, json_od_string *out)
{
    const unsigned char *end = od->end, *s = quote + 1;
    if (q < end && *q >= 0x80) /* valid UTF-8 needs no decoding either */
        q = json__skip_plain(q, end);
    if (q >= end)
        return json__od_fail_at(od, quote, "unterminated string");
    unsigned c = *q;
    if (c == '"') {
        out->ptr = (const char *)s;
        out->len = (size_t)(q - s);
        od->p = q + 1;
        return true;
    }
    if (c < 0x20)
        return json__od_fail_at(od, q, "unescaped control character in string");
    if (c != '\\') /* json__skip_plain stops at a non-ASCII byte only where it is invalid */
        return json__od_fail_at(od, q, "invalid UTF-8");
    /* Escapes: unescape into the scratch buffer, sized by the raw span. */
    const unsigned char *r = json__find_close(q, end);
    size_t need = (size_t)(r - s) + 1;
    if (need > od->scratch_cap) {
        size_t cap = od->scratch_cap ? od->scratch_cap : 256;
        while (cap < need)
            cap *= 2;
        char *nb = realloc(od->scratch, cap);
        if (!nb)
            return json__od_fail_at(od, quote, "out of memory");
        od->scratch = nb;
        od->scratch_cap = cap;
    }
    unsigned char *dst = (unsigned char *)od->scratch, *o = dst + (q - s);
    memcpy(dst, s, (size_t)(q - s));
    const unsigned char *pp = q;
    const char *msg = json__decode_string(&pp, end, &o);
    if (msg)
        return json__od_fail_at(od, pp ? pp : quote, msg);
    out->ptr = (const char *)dst;
    out->len = (size_t)(o - dst);
    od->p = pp;
    return true;
}

bool json__od_num_slow(json_od *od, const unsigned char *p, json_od_number *out)
{
    if (*p != '-' && (*p < '0' || *p > '9'))
        return json__od_fail_at(od, p, "expected a number");
    json__number n;
    const unsigned char *pp = p;
    const char *msg = json__parse_number(&pp, od->end, &n, &od->scratch, &od->scratch_cap);
    if (msg)
        return json__od_fail_at(od, pp, msg);
    out->num = n.num;
    out->ival = n.ival;
    out->is_int = n.is_int;
    od->p = pp;
    return true;
}

bool json_od_lit(json_od *od, json_type *type)
{
    static const struct {
        const char *text;
        size_t len;
        json_type type;
        const char *msg;
    } lits[] = {{"true", 4, JSON_TRUE, "invalid literal (expected 'true')"},
                {"false", 5, JSON_FALSE, "invalid literal (expected 'false')"},
                {"null", 4, JSON_NULL, "invalid literal (expected 'null')"}};
    if (od->failed)
        return false;
    const unsigned char *p = json__od_ws(od->p, od->end);
    if (p >= od->end)
        return json__od_eof(od, p);
    json_type t;
    size_t n = json__literal(p, od->end, &t);
    if (n) {
        od->p = p + n;
        if (type)
            *type = t;
        return true;
    }
    for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        if (*p != (unsigned char)lits[i].text[0])
            continue;
        if ((size_t)(od->end - p) < lits[i].len || memcmp(p, lits[i].text, lits[i].len) != 0)
            return json__od_fail_at(od, p, lits[i].msg);
        od->p = p + lits[i].len;
        if (type)
            *type = lits[i].type;
        return true;
    }
    return od_unexpected(od, p);
}

bool json_od_skip(json_od *od)
{
    size_t base = od->depth;
    json_od_string s;
    json_od_number n;
    for (;;) {
        /* one value; containers are entered here and left below */
        json_type t = json_od_peek(od);
        if (od->failed)
            return false;
        bool ok;
        if (t == JSON_ARRAY || t == JSON_OBJECT) {
            if (!(t == JSON_ARRAY ? json_od_arr_begin(od) : json_od_obj_begin(od)))
                return false;
            size_t level = od->depth - base - 1;
            if (level >= od->stack_cap) {
                size_t cap = od->stack_cap ? od->stack_cap * 2 : 64;
                unsigned char *ns = realloc(od->stack, cap);
                if (!ns)
                    return json__od_fail_at(od, od->p, "out of memory");
                od->stack = ns;
                od->stack_cap = cap;
            }
            od->stack[level] = t == JSON_OBJECT;
            if (t == JSON_ARRAY ? json_od_arr_next(od, 0) : json_od_obj_next(od, 0, &s))
                continue;
            if (od->failed)
                return false;
        } else {
            if (t == JSON_STRING)
                ok = json_od_str(od, &s);
            else if (t == JSON_NUMBER)
                ok = json_od_num(od, &n);
            else
                ok = json_od_lit(od, NULL);
            if (!ok)
                return false;
        }
        /* after a value: the next member of the enclosing container, or its end */
        for (;;) {
            if (od->depth == base)
                return true;
            bool is_obj = od->stack[od->depth - base - 1];
            if (is_obj ? json_od_obj_next(od, 1, &s) : json_od_arr_next(od, 1))
                break;
            if (od->failed)
                return false;
        }
    }
}

bool json_od_finish(json_od *od)
{
    if (od->failed)
        return false;
    const unsigned char *p = json__od_ws(od->p, od->end);
    if (od->depth)
        return json__od_fail_at(od, p, "unclosed array or object");
    if (p < od->end)
        return json__od_fail_at(od, p, "trailing characters after the value");
    od->p = p;
    return true;
}
