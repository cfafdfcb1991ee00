/* The readers' common-number fast path, inline into both (json_read.c and json_ondemand.h), so
 * a number gives the same value whichever reader reads it. Not part of the public API. */
#ifndef LADDER_JSON_NUMBER_H
#define LADDER_JSON_NUMBER_H

#include "json/json_eisel_lemire.h"

#include <float.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__GNUC__)
#define JSON_NUM_INLINE static inline __attribute__((always_inline))
#else
#define JSON_NUM_INLINE static inline
#endif

/* The value of the n (1..8) digits at p, which has 8 readable bytes: the digits are shifted to
 * the top (the bytes after them, and any borrows they cause, fall off) and combined in pairs,
 * fours and eights. */
JSON_NUM_INLINE uint64_t json__swar8(const unsigned char *p, unsigned n)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    v = (v - UINT64_C(0x3030303030303030)) << (8 * (8 - n));
    v = (v * 10 + (v >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
    v = (v * 100 + (v >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
    return (v * 10000 + (v >> 32)) & 0xFFFFFFFFu;
}

/* The n (1..16) digits at p (16 readable bytes). */
JSON_NUM_INLINE uint64_t json__swar16(const unsigned char *p, unsigned n)
{
    static const uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    if (n <= 8)
        return json__swar8(p, n);
    return json__swar8(p, 8) * pow10[n - 8] + json__swar8(p + 8, n - 8);
}

/* w * 10^-nf correctly rounded, w != 0 and 1 <= nf <= 19 (json_common.c); false where only the
 * exact path decides. */
bool json__eisel_lemire_frac(uint64_t w, size_t nf, double *out);

/* The bits of w * 10^-nf (w >= 1 with no more than 19 digits, nf 1..19) from the first word of
 * Eisel-Lemire alone (json_eisel_lemire_core has the reasoning). The value lies between 1e-19
 * and 1e19, a normal double, so the subnormal and overflow cases cannot arise; a significand
 * that rounds up to 2^53 carries into the exponent by the addition. False where the bits below
 * the rounding bit are all zeros or all ones (the second word could change the rounding, or it
 * is a tie): the caller then asks json__eisel_lemire_frac, out of line. */
JSON_NUM_INLINE bool json__el_fraction(uint64_t w, unsigned nf, uint64_t *bits)
{
    int lz = __builtin_clzll(w);
    w <<= lz;
    size_t i = (size_t)(-(long)nf - JSON_POW5_MIN);
    uint64_t lo, hi = json_mul64(w, json_pow5_sig[i].hi, &lo);
    (void)lo;
    unsigned upper = (unsigned)(hi >> 63);
    uint64_t below = UINT64_C(0x1FF) | (uint64_t)upper << 9; /* the bits below the rounding bit */
    if (((hi + 1) & below) <= 1)
        return false;
    uint64_t m = hi >> (9 + upper); /* 53 bits and the rounding bit */
    m = (m >> 1) + (m & 1);
    /* the biased exponent less one, so that m's leading bit (or its carry) completes it */
    uint64_t e = (uint64_t)(1212 + (long)upper + json_pow5_exp[i] - (long)nf - lz);
    *bits = (e << 52) + m;
    return true;
}

/* The bits (sign apart) of w * 10^-nf correctly rounded, for a decimal of total <= 19
 * significant digits, w >= 1, 1 <= nf <= total: an exact significand below 2^53 over an exact
 * power of ten rounds correctly; more digits take json__el_fraction, and the rare case it
 * leaves open the second word, out of line. False where only the exact path decides. */
JSON_NUM_INLINE bool json__decimal_bits(uint64_t w, unsigned nf, unsigned total, uint64_t *bits)
{
#if FLT_EVAL_METHOD == 0
    static const double pow10d[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (total <= 15) {
        double d = (double)w / pow10d[nf];
        memcpy(bits, &d, sizeof *bits);
        return true;
    }
#else
    (void)total;
#endif
    if (json__el_fraction(w, nf, bits))
        return true;
    /* 1.4% of canada.json's numbers (17 digits printed from a double sit close to one): the
     * second word out of line, not the whole number again on the long way */
    double d;
    if (!json__eisel_lemire_frac(w, nf, &d))
        return false;
    memcpy(bits, &d, sizeof *bits);
    return true;
}

/* The digits starting at p, at most 8 (p has 8 readable bytes): how many, and their value in
 * *val. One load and three multiplies instead of a loop: neighbouring digits combine into pairs,
 * pairs into fours, fours into eight, no lane ever carrying into the next. Bytes after the first
 * non-digit may be anything: the carries and borrows they cause only run towards later bytes,
 * which are shifted out. */
JSON_NUM_INLINE int json__swar_digits(const unsigned char *p, uint64_t *val)
{
    const uint64_t ones = UINT64_C(0x0101010101010101);
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v); /* the first digit in the low byte */
#endif
    /* t = byte - '0' is below 10 for a digit: otherwise t or t + 0x76 has its high bit set.
     * Borrows and carries only run from a non-digit towards later bytes, so the first flagged
     * byte is the first non-digit. */
    uint64_t t = v - 0x30 * ones;
    uint64_t bad = (t | (t + 0x76 * ones)) & 0x80 * ones;
    int n = bad ? __builtin_ctzll(bad) / 8 : 8;
    if (n == 0)
        return 0;
    v = t << (8 * (8 - n)); /* the n digits, after 8 - n leading zeros */
    v = (v * 10 + (v >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
    v = (v * 100 + (v >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
    *val = (v * 10000 + (v >> 32)) & 0xFFFFFFFFu;
    return n;
}

/* Appends up to limit - *count digits at *pp to *v (SWAR, then byte by byte near the end). */
JSON_NUM_INLINE void json__digits(const unsigned char **pp, const unsigned char *end, uint64_t *v,
                                    size_t *count, size_t limit)
{
    static const uint64_t scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    const unsigned char *q = *pp;
    uint64_t val;
    int n;
    while (end - q >= 8) {
        n = json__swar_digits(q, &val);
        /* eight digits: a constant step on a predicted branch, so the next load's address does
         * not wait for this one's digit count */
        if (n == 8 && *count + 8 <= limit) {
            *v = *v * 100000000 + val;
            *count += 8;
            q += 8;
            continue;
        }
        if (n > 0 && *count + (size_t)n <= limit) {
            *v = *v * scale[n] + val;
            *count += (size_t)n;
            *pp = q + n;
            return;
        }
        break;
    }
    for (; q < end && *q >= '0' && *q <= '9' && *count < limit; q++, (*count)++)
        *v = *v * 10 + (uint64_t)(*q - '0');
    *pp = q;
}

/* The common numbers where the 32-byte path cannot look (near the input's end) or does not take
 * them (integers of 16-18 digits): an integer of up to 18 digits, or d.ddd with at most 19
 * significant digits and no exponent. False, with *pp unmoved, for anything else (including
 * every malformed number): json__parse_number decides those, giving the same value. */
JSON_NUM_INLINE bool json__number_swar(const unsigned char **pp, const unsigned char *end, double *num,
                                       int64_t *ival, bool *is_int)
{
    const unsigned char *q = *pp;
    bool neg = *q == '-';
    q += neg;
    if (q >= end || *q < '1' || *q > '9')
        return false;
    uint64_t v = 0;
    size_t int_digits = 0;
    json__digits(&q, end, &v, &int_digits, 18);
    if (q >= end || ((*q < '0' || *q > '9') && *q != '.' && *q != 'e' && *q != 'E')) {
        int64_t iv = (int64_t)((v ^ -(uint64_t)neg) + neg); /* no branch on the sign */
        *ival = iv;
        *num = (double)iv; /* exact below 2^53, correctly rounded above */
        *is_int = true;
        *pp = q;
        return true;
    }
    if (*q != '.')
        return false;
    const unsigned char *f = ++q;
    size_t total = int_digits;
    json__digits(&q, end, &v, &total, 19);
    size_t nf = (size_t)(q - f);
    uint64_t bits;
    if (!nf || (q < end && ((*q >= '0' && *q <= '9') || *q == 'e' || *q == 'E')) ||
        !json__decimal_bits(v, (unsigned)nf, (unsigned)(int_digits + nf), &bits))
        return false;
    bits |= (uint64_t)neg << 63;
    memcpy(num, &bits, sizeof *num);
    *ival = 0;
    *is_int = false;
    *pp = q;
    return true;
}

#if defined(__SSE2__)
/* The common numbers with no loop: an integer of up to 15 digits, or d.ddd with at most 19
 * significant digits and no exponent, found from one 32-byte digit mask (begin: the input's
 * first byte, for a load that ends at a number's last digit). NULL (nothing written)
 * for anything else, which json__number_swar and json__parse_number decide, giving the same
 * value; else the byte after the number, its value in *num, *ival and *is_int. */
JSON_NUM_INLINE const unsigned char *json__number_sse(const unsigned char *p, const unsigned char *begin,
                                                     const unsigned char *end, double *num, int64_t *ival,
                                                     bool *is_int)
{
    bool neg = *p == '-';
    const unsigned char *q = p + neg;
    if (end - q < 40) /* the mask's 32 bytes, and 8 for the last swar8 of a fraction ending at 31 */
        return NULL;
    const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    __m128i a = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)q), zero);
    __m128i b = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(q + 16)), zero);
    uint64_t digits = (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(a, nine), a)) |
                      (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(b, nine), b)) << 16;
    unsigned ni = (unsigned)__builtin_ctzll(~digits); /* integer digits, at most 32 */
    if (ni - 1 >= 15 || *q == '0')                     /* leading zeros and "0" go the long way */
        return NULL;
    uint64_t w = json__swar16(q, ni);
    unsigned c = q[ni];
    if (c != '.' && (c | 0x20) != 'e') {
        int64_t iv = (int64_t)((w ^ -(uint64_t)neg) + neg);
        *is_int = true;
        *num = (double)iv; /* exact: below 2^53 */
        *ival = iv;
        return q + ni;
    }
    unsigned nf = (unsigned)__builtin_ctzll(~(digits >> (ni + 1))); /* fraction digits */
    const unsigned char *f = q + ni + 1;
    if (c != '.' || nf == 0 || ni + 1 + nf >= 32 || ni + nf > 19 || (f[nf] | 0x20) == 'e')
        return NULL;
    static const uint64_t pow10[] = {1,
                                     10,
                                     100,
                                     1000,
                                     10000,
                                     100000,
                                     1000000,
                                     10000000,
                                     100000000,
                                     1000000000,
                                     10000000000,
                                     100000000000,
                                     1000000000000,
                                     10000000000000,
                                     100000000000000,
                                     1000000000000000,
                                     10000000000000000};
    /* 16 zero bytes, then 16 ones: loaded from offset n, the last n lanes kept */
    static const unsigned char last_lanes[32] = {0,    0,    0,    0,    0,    0,    0,    0,
                                                 0,    0,    0,    0,    0,    0,    0,    0,
                                                 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    const unsigned char *after = f + nf;
    if (nf <= 16 && (size_t)(after - begin) >= 16) {
        /* the 16 bytes ending at the last fraction digit, all but the fraction's lanes zeroed,
         * combined in pairs, fours and eights by multiply-adds (the first lane the most
         * significant) */
        __m128i d = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(after - 16)), zero);
        d = _mm_and_si128(d, _mm_loadu_si128((const __m128i *)(last_lanes + nf)));
        const __m128i z = _mm_setzero_si128();
        const __m128i by10 = _mm_set1_epi32(0x0001000A), by100 = _mm_set1_epi32(0x00010064),
                      by10000 = _mm_set1_epi32(0x00012710);
        __m128i pairs = _mm_packs_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(d, z), by10),
                                        _mm_madd_epi16(_mm_unpackhi_epi8(d, z), by10));
        __m128i fours = _mm_madd_epi16(pairs, by100);
        __m128i eights = _mm_madd_epi16(_mm_packs_epi32(fours, fours), by10000);
        uint64_t frac = (uint64_t)(uint32_t)_mm_cvtsi128_si32(eights) * 100000000u +
                        (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(eights, 4));
        w = w * pow10[nf] + frac;
    } else {
        unsigned r = nf;
        for (; r > 8; r -= 8, f += 8)
            w = w * 100000000u + json__swar8(f, 8);
        w = w * pow10[r] + json__swar8(f, r);
    }
    uint64_t bits;
    if (!json__decimal_bits(w, nf, ni + nf, &bits))
        return NULL;
    bits |= (uint64_t)neg << 63;
    *is_int = false;
    memcpy(num, &bits, sizeof *num);
    *ival = 0;
    return after;
}
#endif

#endif
