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

/* UTF-8 checked 32 bytes at a time by the lookup method of Keiser and Lemire ("Validating UTF-8
 * in less than one instruction per byte", 2021): three 16-entry tables indexed by the high and low
 * nibble of the previous byte and the high nibble of this one each give a set of error kinds the
 * pair may be; a pair is wrong where all three agree. A continuation byte that a lead two or three
 * bytes back asks for is the one pair ("two continuations") that is right where the tables flag it. */
enum {
    U8_TOO_SHORT = 1 << 0,  /* a lead not followed by a continuation */
    U8_TOO_LONG = 1 << 1,   /* ASCII followed by a continuation */
    U8_OVERLONG_3 = 1 << 2, /* E0 80..9F */
    U8_TOO_LARGE = 1 << 3,  /* F4 90..BF, F5..FF */
    U8_SURROGATE = 1 << 4,  /* ED A0..BF */
    U8_OVERLONG_2 = 1 << 5, /* C0, C1 */
    U8_TOO_LARGE_1000 = 1 << 6,
    U8_OVERLONG_4 = 1 << 6, /* F0 80..8F: shares the bit, told apart by the low nibble */
    U8_TWO_CONTS = 1 << 7,
    U8_CARRY = U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS,
};

/* The tables: per nibble, the error kinds a pair may be. */
static const uint8_t od_byte1_high_t[16] = {
    U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
    U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT,
    U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
    U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4};
static const uint8_t od_byte1_low_t[16] = {
    U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4, U8_CARRY | U8_OVERLONG_2, U8_CARRY, U8_CARRY,
    U8_CARRY | U8_TOO_LARGE, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000};
static const uint8_t od_byte2_high_t[16] = {
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
    U8_TOO_SHORT,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE_1000 | U8_OVERLONG_4,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE, U8_TOO_SHORT, U8_TOO_SHORT,
    U8_TOO_SHORT, U8_TOO_SHORT};

/* in's bytes shifted n places later, the first n taken from the end of prev */
#define OD_PREV(in, prev, n) _mm256_alignr_epi8((in), _mm256_permute2x128_si256((prev), (in), 0x21), 16 - (n))
/* A 16-byte lookup table in both lanes (bytes as unsigned: a signed char cannot hold the high flags). */
__attribute__((target("avx2"))) static inline __m256i od_table(const uint8_t t[16])
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t));
}

/* Nonzero bytes where the sequence ending at that byte of in is invalid UTF-8 (prev: the 32 bytes
 * before in). A sequence cut off by in's end is not an error yet: the next block's first bytes
 * settle it. */
__attribute__((target("avx2"))) static inline __m256i od_utf8_errors(__m256i in, __m256i prev)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    const __m256i byte1_high = od_table(od_byte1_high_t);
    const __m256i byte1_low = od_table(od_byte1_low_t);
    const __m256i byte2_high = od_table(od_byte2_high_t);
    __m256i p1 = OD_PREV(in, prev, 1);
    __m256i kinds = _mm256_and_si256(
        _mm256_and_si256(_mm256_shuffle_epi8(byte1_high, _mm256_and_si256(_mm256_srli_epi16(p1, 4), nib)),
                         _mm256_shuffle_epi8(byte1_low, _mm256_and_si256(p1, nib))),
        _mm256_shuffle_epi8(byte2_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), nib)));
    /* a third or fourth byte: E0..FF two back or F0..FF three back */
    __m256i must = _mm256_or_si256(_mm256_subs_epu8(OD_PREV(in, prev, 2), _mm256_set1_epi8((char)(0xE0 - 0x80))),
                                   _mm256_subs_epu8(OD_PREV(in, prev, 3), _mm256_set1_epi8((char)(0xF0 - 0x80))));
    return _mm256_xor_si256(_mm256_and_si256(must, _mm256_set1_epi8((char)0x80)), kinds);
}

/* Where a vector scan from q stopped at p: back to the lead byte of a UTF-8 sequence the last
 * block may have cut, so that a scan from there sees the whole sequence. */
static inline const unsigned char *od_sequence_start(const unsigned char *q, const unsigned char *p)
{
    int back = 0;
    while (p > q && back < 3 && (p[-1] & 0xC0) == 0x80) {
        p--;
        back++;
    }
    if (p > q && p[-1] >= 0xC0)
        p--;
    return p;
}

/* json__skip_plain from q (a string's first non-ASCII byte, ASCII before it), 32 bytes at a
 * time: the first '"', '\\' or control character where everything before it is valid UTF-8. An
 * invalid sequence, or the last 31 bytes of input, go to json__skip_plain from the start of the
 * character the vector loop stopped in, which finds the exact place. */
__attribute__((target("avx2"))) static const unsigned char *od_plain_avx2(const unsigned char *q,
                                                                           const unsigned char *end)
{
    const __m256i quote = _mm256_set1_epi8('"'), bslash = _mm256_set1_epi8('\\'), ctl = _mm256_set1_epi8(0x1F);
    const unsigned char *p = q;
    __m256i prev = _mm256_setzero_si256();
    for (; end - p >= 32; p += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)p);
        __m256i sp = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, bslash)),
                                     _mm256_cmpeq_epi8(_mm256_min_epu8(v, ctl), v));
        uint32_t stop = (uint32_t)_mm256_movemask_epi8(sp);
        uint32_t bad = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(od_utf8_errors(v, prev), _mm256_setzero_si256()));
        if (stop) {
            if (!(bad & (stop ^ (stop - 1)))) /* nothing wrong up to and at the stop */
                return p + __builtin_ctz(stop);
            break;
        }
        if (bad)
            break;
        prev = v;
    }
    return json__skip_plain(od_sequence_start(q, p), end);
}

/* The AVX-512 level: the same scans 64 bytes at a time, the masks straight from compares. */
#define OD_AVX512 __attribute__((target("avx2,avx512f,avx512bw")))

OD_AVX512 static const unsigned char *od_scan_avx512(const unsigned char *p, const unsigned char *end)
{
    const __m512i quote = _mm512_set1_epi8('"'), bslash = _mm512_set1_epi8('\\'), low = _mm512_set1_epi8(0x20);
    for (; end - p >= 64; p += 64) {
        __m512i v = _mm512_loadu_si512((const void *)p);
        /* signed compare: bytes >= 0x80 are negative, so they count as "below 0x20" too */
        uint64_t m = _mm512_cmpeq_epi8_mask(v, quote) | _mm512_cmpeq_epi8_mask(v, bslash) |
                     _mm512_cmplt_epi8_mask(v, low);
        if (m)
            return p + __builtin_ctzll(m);
    }
    return od_scan_avx2(p, end);
}

/* in's bytes shifted n places later, the first n taken from the end of prev: each 128-bit lane
 * joined with the lane before it (prev's last for the first) */
#define OD_PREV512(in, prev, n) _mm512_alignr_epi8((in), _mm512_alignr_epi64((in), (prev), 6), 16 - (n))

/* od_utf8_errors for 64 bytes: a mask of the bytes where a sequence ending there is invalid. */
OD_AVX512 static inline uint64_t od_utf8_errors512(__m512i in, __m512i prev)
{
    const __m512i nib = _mm512_set1_epi8(0x0F);
    const __m512i byte1_high = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)od_byte1_high_t));
    const __m512i byte1_low = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)od_byte1_low_t));
    const __m512i byte2_high = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)od_byte2_high_t));
    __m512i p1 = OD_PREV512(in, prev, 1);
    __m512i kinds = _mm512_and_si512(
        _mm512_and_si512(_mm512_shuffle_epi8(byte1_high, _mm512_and_si512(_mm512_srli_epi16(p1, 4), nib)),
                         _mm512_shuffle_epi8(byte1_low, _mm512_and_si512(p1, nib))),
        _mm512_shuffle_epi8(byte2_high, _mm512_and_si512(_mm512_srli_epi16(in, 4), nib)));
    __m512i must = _mm512_or_si512(_mm512_subs_epu8(OD_PREV512(in, prev, 2), _mm512_set1_epi8((char)(0xE0 - 0x80))),
                                   _mm512_subs_epu8(OD_PREV512(in, prev, 3), _mm512_set1_epi8((char)(0xF0 - 0x80))));
    __m512i err = _mm512_xor_si512(_mm512_and_si512(must, _mm512_set1_epi8((char)0x80)), kinds);
    return _mm512_test_epi8_mask(err, err);
}

/* od_plain_avx2 64 bytes at a time. */
OD_AVX512 static const unsigned char *od_plain_avx512(const unsigned char *q, const unsigned char *end)
{
    const __m512i quote = _mm512_set1_epi8('"'), bslash = _mm512_set1_epi8('\\'), ctl = _mm512_set1_epi8(0x1F);
    const unsigned char *p = q;
    __m512i prev = _mm512_setzero_si512();
    for (; end - p >= 64; p += 64) {
        __m512i v = _mm512_loadu_si512((const void *)p);
        uint64_t stop = _mm512_cmpeq_epi8_mask(v, quote) | _mm512_cmpeq_epi8_mask(v, bslash) |
                        _mm512_cmple_epu8_mask(v, ctl);
        uint64_t bad = od_utf8_errors512(v, prev);
        if (stop) {
            if (!(bad & (stop ^ (stop - 1)))) /* nothing wrong up to and at the stop */
                return p + __builtin_ctzll(stop);
            break;
        }
        if (bad)
            break;
        prev = v;
    }
    return od_plain_avx2(od_sequence_start(q, p), end);
}
#endif

static const unsigned char *od_plain_scalar(const unsigned char *p, const unsigned char *end)
{
    return json__skip_plain(p, end);
}

bool json_od_use_scanner(json_od *od, const char *name)
{
    if (!strcmp(name, "scalar")) {
        od->scan = json__od_scan_scalar;
        od->plain = od_plain_scalar;
        return true;
    }
#if defined(__SSE2__)
    if (!strcmp(name, "sse2")) { /* json__scan_special is SSE2 wherever __SSE2__ is defined */
        od->scan = json__scan_special;
        od->plain = od_plain_scalar;
        return true;
    }
#endif
#if defined(JSON_OD_X86)
    if (!strcmp(name, "avx512")) {
        if (!cpu_has(CPU_AVX2 | CPU_AVX512F | CPU_AVX512BW))
            return false;
        od->scan = od_scan_avx512;
        od->plain = od_plain_avx512;
        return true;
    }
    if (!strcmp(name, "avx2")) {
        if (!cpu_has(CPU_AVX2))
            return false;
        od->scan = od_scan_avx2;
        od->plain = od_plain_avx2;
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
    json_od_use_scanner(od, "scalar");
#if defined(__SSE2__)
    json_od_use_scanner(od, "sse2");
#endif
#if defined(JSON_OD_X86)
    json_od_use_scanner(od, "avx2");
    json_od_use_scanner(od, "avx512");
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
    memset(od->ws_runs, 0, sizeof od->ws_runs);
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
    /* at the end, every read finds nothing left and goes its slow way, which sees the failure:
     * the inline reads need no check of their own */
    od->p = od->end;
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
    if (od->failed)
        return false;
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

bool json__od_open_slow(json_od *od, unsigned char opener)
{
    if (od->failed)
        return false;
    const unsigned char *p = json__od_ws(od->p, od->end);
    if (p >= od->end)
        return json__od_eof(od, p);
    if (*p != opener)
        return json__od_fail_at(od, p, opener == '[' ? "expected an array" : "expected an object");
    if (od->depth >= od->max_depth)
        return json__od_fail_at(od, p, "nesting too deep");
    od->depth++;
    od->p = p + 1;
    return true;
}

bool json__od_str_slow(json_od *od, const unsigned char *quote, const unsigned char *q, json_od_string *out)
{
    const unsigned char *end = od->end, *s = quote + 1;
    if (q < end && *q >= 0x80) /* valid UTF-8 needs no decoding either */
        q = od->plain(q, end);
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
    /* The one-letter escapes and the runs between them here, with this reader's UTF-8 scanner;
     * \\u escapes and every error from the first one on are json__decode_string's. */
    const unsigned char *pp = q;
    for (;;) {
        unsigned char ch;
        if (end - pp < 2 || !(ch = json__short_escape(pp[1])))
            break;
        *o++ = ch;
        const unsigned char *run = pp + 2;
        pp = json__scan_special(run, end);
        if (pp < end && *pp >= 0x80)
            pp = od->plain(pp, end);
        memcpy(o, run, (size_t)(pp - run));
        o += pp - run;
        if (pp < end && *pp == '"') {
            out->ptr = (const char *)dst;
            out->len = (size_t)(o - dst);
            od->p = pp + 1;
            return true;
        }
        if (pp >= end || *pp != '\\')
            break;
    }
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

bool json__od_lit_slow(json_od *od, json_type *type)
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
    json_od_value v;
    json_type t;
    for (;;) {
        /* one value; a container is entered here and left below */
        if (!json_od_any(od, &t, &v))
            return false;
        bool first = false;
        if (t == JSON_ARRAY || t == JSON_OBJECT) {
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
            first = true;
        }
        /* the next member of the innermost open container, or its end */
        for (;;) {
            if (od->depth == base)
                return true;
            bool is_obj = od->stack[od->depth - base - 1];
            if (is_obj ? json_od_obj_next(od, !first, &v.str) : json_od_arr_next(od, !first))
                break;
            if (od->failed)
                return false;
            first = false;
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
