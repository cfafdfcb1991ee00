/* Internals shared by the strict DOM reader (json_read.c) and the on-demand reader
 * (json_ondemand.c), so that both accept exactly the same texts and give the same values.
 * Not part of the public API. */
#ifndef LADDER_JSON_INTERNAL_H
#define LADDER_JSON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>

#include "json/json_ondemand.h" /* json_type, json__scan_special */

/* strtod in the C locale, whatever LC_NUMERIC says. s is NUL-terminated. */
double json__strtod(const char *s);
/* The C numeric locale, made once (NULL if newlocale failed): for strtod_l and uselocale around
 * printf. The pipeline's CPython-exact float code uses it too. */
locale_t json__c_locale(void);

/* The length of the UTF-8 sequence a lead byte c starts (0: c cannot start one), and the range
 * [*lo, *hi] its second byte must fall in (which rules out overlongs, surrogates and code
 * points above U+10FFFF; later bytes are 0x80..0xBF). One table for the readers and the writer. */
static inline size_t json__utf8_lead(unsigned c, unsigned *lo, unsigned *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0)
            *lo = 0xA0;
        else if (c == 0xED)
            *hi = 0x9F;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0)
            *lo = 0x90;
        else if (c == 0xF4)
            *hi = 0x8F;
        return 4;
    }
    return 0;
}

/* Length of the valid UTF-8 sequence at p (p < end), or 0 if there is none. */
static inline size_t json__utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned lo, hi;
    size_t n = json__utf8_lead(p[0], &lo, &hi);
    if (n <= 1 || (size_t)(end - p) < n)
        return n == 1 ? 1 : 0;
    for (size_t i = 1; i < n; i++) {
        if (p[i] < lo || p[i] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
    }
    return n;
}

/* The byte a one-letter escape stands for ('n' after the backslash: '\n'), or 0 when c starts
 * none (\u or an invalid escape): every one-letter escape stands for a nonzero byte. */
static inline unsigned char json__short_escape(unsigned char c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return 0;
    }
}

/* The first byte at or after q that ends a string's plain run: '"', '\\', a control character,
 * the start of an invalid UTF-8 sequence, or end. Valid multi-byte sequences are stepped over in a
 * tight loop (the common two- and three-byte forms inline), so text in other scripts costs a few
 * instructions per character instead of a restart of the vector scan per character. */
static inline const unsigned char *json__skip_plain(const unsigned char *q, const unsigned char *end)
{
    for (;;) {
        q = json__scan_special(q, end);
        while (q < end && *q >= 0x80) {
            unsigned c = q[0];
            if (end - q >= 4) {
                /* three bytes at once: a lead E1..EC or EE..EF (0xDFFE's set bits) and two
                 * continuation bytes; E0 and ED restrict their second byte, left to utf8_len */
                uint32_t w = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
                             (uint32_t)q[3] << 24;
                if ((w & 0xC0C0F0u) == 0x8080E0u && (0xDFFEu >> (c & 15)) & 1) {
                    q += 3;
                    continue;
                }
            } else if (c >= 0xE1 && c <= 0xEF && c != 0xED && end - q >= 3 && (q[1] & 0xC0) == 0x80 &&
                       (q[2] & 0xC0) == 0x80) {
                q += 3;
                continue;
            }
            if (c >= 0xC2 && c <= 0xDF && end - q >= 2 && (q[1] & 0xC0) == 0x80) {
                q += 2;
                continue;
            }
            size_t n = json__utf8_len(q, end);
            if (!n)
                return q;
            q += n;
        }
        if (q >= end || *q == '"' || *q == '\\' || *q < 0x20)
            return q;
    }
}

/* The string's closing quote at or after q (end if none), stepping over each backslash's next
 * byte: a bound for an unescaped copy. Only quotes and backslashes stop the scan. */
static inline const unsigned char *json__find_close(const unsigned char *q, const unsigned char *end)
{
    for (;;) {
#if defined(__SSE2__)
        const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
        for (; end - q >= 16; q += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)q);
            __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash));
            unsigned m = (unsigned)_mm_movemask_epi8(hit);
            if (m) {
                q += __builtin_ctz(m);
                break;
            }
        }
#endif
        while (q < end && *q != '"' && *q != '\\')
            q++;
        if (q >= end || *q == '"')
            return q;
        q += end - q >= 2 ? 2 : 1;
    }
}

/* The length of the literal (true, false, null) at p, with its type in *type; 0 when there is
 * none, and the caller's loop says which literal was expected. Fixed-size compares, inlined. */
static inline size_t json__literal(const unsigned char *p, const unsigned char *end, json_type *type)
{
    size_t avail = (size_t)(end - p);
    if (avail >= 4 && memcmp(p, "null", 4) == 0) {
        *type = JSON_NULL;
        return 4;
    }
    if (avail >= 4 && memcmp(p, "true", 4) == 0) {
        *type = JSON_TRUE;
        return 4;
    }
    if (avail >= 5 && memcmp(p, "false", 5) == 0) {
        *type = JSON_FALSE;
        return 5;
    }
    return 0;
}

/* Decodes string content from *pp (inside a string, after the opening quote or after bytes
 * already handled) up to and including the closing quote, writing the unescaped bytes at *po
 * (room for end - *pp bytes suffices: unescaping never lengthens). Returns NULL on success with
 * *pp after the closing quote and *po after the last byte written. On error returns the message
 * with *pp at the offending byte, or NULL'd *pp when the string is unterminated. */
const char *json__decode_string(const unsigned char **pp, const unsigned char *end, unsigned char **po);

typedef struct {
    double num;
    int64_t ival;
    bool is_int; /* no fraction or exponent, and fits int64_t */
} json__number;

/* Parses the number at *pp (which holds '-' or a digit). *scratch / *scratch_cap: a growable
 * buffer (malloc'd, owned by the caller) for numbers too long for the stack. Returns NULL on
 * success with *pp after the number, else the message with *pp at the offending byte. */
const char *json__parse_number(const unsigned char **pp, const unsigned char *end, json__number *out,
                               char **scratch, size_t *scratch_cap);

/* 1-based line and column (in bytes) of offset in buf. */
void json__locate(const char *buf, size_t offset, size_t *line, size_t *column);

#endif
