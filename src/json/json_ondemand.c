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
    static const uint8_t byte1_high_t[16] = {
        U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
        U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT,
        U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
        U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4};
    const __m256i byte1_high = od_table(byte1_high_t);
    static const uint8_t byte1_low_t[16] = {
        U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4, U8_CARRY | U8_OVERLONG_2, U8_CARRY, U8_CARRY,
        U8_CARRY | U8_TOO_LARGE, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000, U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000};
    const __m256i byte1_low = od_table(byte1_low_t);
    static const uint8_t byte2_high_t[16] = {
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
        U8_TOO_SHORT,
        U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE_1000 | U8_OVERLONG_4,
        U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE,
        U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
        U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE, U8_TOO_SHORT, U8_TOO_SHORT,
        U8_TOO_SHORT, U8_TOO_SHORT};
    const __m256i byte2_high = od_table(byte2_high_t);
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
    /* back to the lead byte of a sequence the last block may have cut */
    int back = 0;
    while (p > q && back < 3 && (p[-1] & 0xC0) == 0x80) {
        p--;
        back++;
    }
    if (p > q && p[-1] >= 0xC0)
        p--;
    return json__skip_plain(p, end);
}
#endif

static const unsigned char *od_plain_scalar(const unsigned char *p, const unsigned char *end)
{
    return json__skip_plain(p, end);
}

/* ---- structural index ---------------------------------------------------------------------- */

/* The technique of simdjson's stage 1 (Langdale and Lemire, "Parsing Gigabytes of JSON per
 * Second", 2019): classify 64 bytes at a time into bit masks, find the quotes no backslash
 * escapes, take the bytes inside strings as the prefix XOR of those quotes, and mark every token
 * start outside strings: the six structural characters, an opening quote, and the first byte of
 * any other run (a number or literal, or something the walk rejects). The walk still reads and
 * checks every token's bytes itself; the index only says where the next token starts, so that
 * place does not wait on the scan of the token before it. It is built a window at a time, with
 * what a block leaves open carried to the next, so its memory stays small and in cache. */

#define OD_WINDOW 4096
#define OD_SLACK 64 /* od_flatten writes up to 16 slots past the count */

const unsigned char json__od_ends_run[256] = {
    [' '] = 1, ['\n'] = 1, ['\r'] = 1, ['\t'] = 1, ['"'] = 1, [','] = 1, [':'] = 1,
    ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1,
};

/* bit i: the parity of the set bits at or below i */
static inline __attribute__((always_inline)) uint64_t od_prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* The quotes no backslash escapes. carry[1]: 1 when a backslash escapes the block's first byte.
 * A backslash escapes the next byte unless it is itself escaped, so the byte after a run of
 * backslashes is escaped when the run is odd. Adding a run's first bit to the mask carries past
 * the run's end; the end's parity against the start's gives the run's. Branch-free: text such as
 * twitter.json is full of escapes. */
static inline __attribute__((always_inline)) uint64_t od_real_quotes(uint64_t quote, uint64_t bslash,
                                                                     uint64_t carry[3])
{
    const uint64_t even = UINT64_C(0x5555555555555555), odd = ~even;
    uint64_t bs = bslash & ~carry[1]; /* an escaped backslash starts no run */
    uint64_t starts = bs & ~(bs << 1);
    uint64_t from_even, from_odd;
    __builtin_add_overflow(bs, starts & even, &from_even);
    uint64_t out = __builtin_add_overflow(bs, starts & odd, &from_odd);
    uint64_t esc = carry[1] | (((from_even & odd) | (from_odd & even)) & ~bs);
    carry[1] = out;
    return quote & ~esc;
}

/* The token starts of one block. in: the prefix XOR of its real quotes (an opening quote and
 * the bytes after it up to, not with, its closing quote); carry[0]: all ones when a string is
 * open at the block's start, carry[2]: 1 when a run goes on from the last block. */
static inline __attribute__((always_inline)) uint64_t od_block_starts(uint64_t quote, uint64_t in, uint64_t ws,
                                                                      uint64_t ops, uint64_t carry[3])
{
    in ^= carry[0];
    carry[0] = (uint64_t)((int64_t)in >> 63);
    uint64_t run = ~(ws | ops | quote);
    uint64_t run_start = run & ~(run << 1 | carry[2]);
    carry[2] = run >> 63;
    return ((ops | run_start) & ~in) | (quote & in);
}

/* Appends off + the place of each set bit. Eight at a time without a test per bit, so the
 * loop's end is not a mispredicted branch in every block. */
static inline __attribute__((always_inline)) uint32_t *od_flatten(uint32_t *o, uint64_t bits, uint32_t off)
{
    int cnt = __builtin_popcountll(bits);
    for (int j = 0; j < 8; j++) {
        o[j] = off + (uint32_t)__builtin_ctzll(bits | UINT64_C(1) << 63);
        bits &= bits - 1;
    }
    if (cnt > 8) {
        for (int j = 8; j < 16; j++) {
            o[j] = off + (uint32_t)__builtin_ctzll(bits | UINT64_C(1) << 63);
            bits &= bits - 1;
        }
        for (int j = 16; bits; j++) {
            o[j] = off + (uint32_t)__builtin_ctzll(bits);
            bits &= bits - 1;
        }
    }
    return o + cnt;
}

#if defined(JSON_OD_X86)
/* The four masks of 64 bytes: one lookup by each nibble, whose AND has a bit of 0x07 set only for
 * the six structural characters and of 0x18 only for the four whitespace bytes. */
__attribute__((target("avx2"))) static inline void od_classify_avx2(const unsigned char *b, uint64_t *quote,
                                                                    uint64_t *bslash, uint64_t *ws, uint64_t *ops)
{
    /* bits: 1 ',' (2c), 2 ':' (3a), 4 '[' ']' '{' '}' (5b 5d 7b 7d), 8 ' ' (20), 16 '\t' '\n' '\r' (09 0a 0d) */
    const __m256i lo_tab = _mm256_setr_epi8(8, 0, 0, 0, 0, 0, 0, 0, 0, 16, 2 | 16, 4, 1, 4 | 16, 0, 0,
                                            8, 0, 0, 0, 0, 0, 0, 0, 0, 16, 2 | 16, 4, 1, 4 | 16, 0, 0);
    const __m256i hi_tab = _mm256_setr_epi8(16, 0, 1 | 8, 2, 0, 4, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0,
                                            16, 0, 1 | 8, 2, 0, 4, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i qv = _mm256_set1_epi8('"'), bv = _mm256_set1_epi8('\\'), nib = _mm256_set1_epi8(0x0F),
                  ws_bits = _mm256_set1_epi8(8 | 16), ops_bits = _mm256_set1_epi8(1 | 2 | 4),
                  zero = _mm256_setzero_si256();
    uint64_t q = 0, bs = 0, w = 0, o = 0;
    for (int i = 0; i < 2; i++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(b + 32 * i));
        __m256i c = _mm256_and_si256(_mm256_shuffle_epi8(lo_tab, _mm256_and_si256(v, nib)),
                                     _mm256_shuffle_epi8(hi_tab, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib)));
        w |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(c, ws_bits), zero)) << 32 * i;
        o |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(c, ops_bits), zero)) << 32 * i;
        q |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, qv)) << 32 * i;
        bs |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, bv)) << 32 * i;
    }
    *quote = q, *bslash = bs, *ws = w, *ops = o;
}

__attribute__((target("avx2,pclmul"))) static inline uint64_t od_prefix_xor_clmul(uint64_t x)
{
    return (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8(-1), 0));
}

__attribute__((target("avx2,pclmul"))) static uint32_t *od_index_avx2(const unsigned char *at, size_t len,
                                                                     uint64_t carry[3], uint32_t *o)
{
    uint64_t quote, bslash, ws, ops;
    size_t i = 0;
    for (; len - i >= 64; i += 64) {
        od_classify_avx2(at + i, &quote, &bslash, &ws, &ops);
        quote = od_real_quotes(quote, bslash, carry);
        o = od_flatten(o, od_block_starts(quote, od_prefix_xor_clmul(quote), ws, ops, carry), (uint32_t)i);
    }
    if (i < len) {
        unsigned char tail[64];
        memset(tail, ' ', sizeof tail);
        memcpy(tail, at + i, len - i);
        od_classify_avx2(tail, &quote, &bslash, &ws, &ops);
        quote = od_real_quotes(quote, bslash, carry);
        o = od_flatten(o, od_block_starts(quote, od_prefix_xor_clmul(quote), ws, ops, carry), (uint32_t)i);
    }
    return o;
}
#endif

const unsigned char *json__od_refill(json_od *od)
{
    if (!od->index) { /* the scanner level changed since json_od_reset */
        od->ix_on = false;
        return json__od_ws(od->p, od->end);
    }
    while (od->ix_wend < od->end) {
        size_t len = (size_t)(od->end - od->ix_wend);
        if (len > OD_WINDOW)
            len = OD_WINDOW;
        od->ix_lim = od->index(od->ix_wend, len, od->ix_carry, od->ix);
        od->ix_cur = od->ix;
        od->ix_base = od->ix_wend;
        od->ix_wend += len;
        if (od->ix_lim > od->ix)
            return od->ix_base + *od->ix_cur;
    }
    return od->end;
}

bool json_od_use_scanner(json_od *od, const char *name)
{
    if (!strcmp(name, "scalar")) {
        od->scan = json__od_scan_scalar;
        od->plain = od_plain_scalar;
        od->index = NULL;
        return true;
    }
#if defined(__SSE2__)
    if (!strcmp(name, "sse2")) { /* json__scan_special is SSE2 wherever __SSE2__ is defined */
        od->scan = json__scan_special;
        od->plain = od_plain_scalar;
        od->index = NULL;
        return true;
    }
#endif
#if defined(JSON_OD_X86)
    if (!strcmp(name, "avx2")) {
        if (!cpu_has(CPU_AVX2))
            return false;
        od->scan = od_scan_avx2;
        od->plain = od_plain_avx2;
        od->index = __builtin_cpu_supports("pclmul") ? od_index_avx2 : NULL;
        return true;
    }
#endif
    return false;
}

bool json_od_use_index(json_od *od, bool on)
{
    od->ix_want = on;
    return !on || od->index;
}

/* ---- setup --------------------------------------------------------------------------------- */

void json_od_init(json_od *od, size_t max_depth)
{
    memset(od, 0, sizeof *od);
    od->max_depth = max_depth ? max_depth : JSON_DEFAULT_MAX_DEPTH;
    od->ix_want = true;
    json_od_use_scanner(od, "scalar");
#if defined(__SSE2__)
    json_od_use_scanner(od, "sse2");
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
    free(od->ix);
    od->scratch = NULL;
    od->stack = NULL;
    od->ix = NULL;
    od->ix_on = false;
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
    od->ix_on = false;
    if (od->ix_want && od->index && !od->ix)
        od->ix = malloc((OD_WINDOW + OD_SLACK) * sizeof *od->ix);
    if (od->ix_want && od->index && od->ix) {
        od->ix_on = true;
        od->ix_cur = od->ix_lim = od->ix;
        od->ix_base = od->ix_wend = od->start;
        memset(od->ix_carry, 0, sizeof od->ix_carry);
    }
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
