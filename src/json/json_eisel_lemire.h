/* The Eisel-Lemire core, inline for the readers' hot paths (json_common.c's wrappers and the
 * DOM reader's decimals). Not part of the public API. Each file that includes it gets its own
 * copy of the power-of-five table (json_pow5.h, about 11 KB). */
#ifndef LADDER_JSON_EISEL_LEMIRE_H
#define LADDER_JSON_EISEL_LEMIRE_H

#include "json/json_pow5.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* High 64 bits of a * b; *lo gets the low 64. */
static inline uint64_t json_mul64(uint64_t a, uint64_t b, uint64_t *lo)
{
#if defined(__SIZEOF_INT128__)
    unsigned __int128 p = (unsigned __int128)a * b;
    *lo = (uint64_t)p;
    return (uint64_t)(p >> 64);
#else
    uint64_t al = a & 0xFFFFFFFFu, ah = a >> 32, bl = b & 0xFFFFFFFFu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
    *lo = (mid << 32) | (ll & 0xFFFFFFFFu);
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

/* w * 10^q correctly rounded to nearest-even (Eisel and Lemire, "Number parsing at a gigabyte
 * per second", 2021): w, shifted to its top bit, times a 128-bit truncation T of 5^q gives the
 * top bits of the exact product; the truncation makes it low by less than one unit of the 192-bit
 * product's last word, so the rounding is settled unless the bits below the rounding bit are all
 * ones (or, where T is exact, a possible tie). Returns false for those and for subnormal results,
 * which the caller reads exactly. Overflow gives infinity. */
static inline __attribute__((always_inline)) bool json_eisel_lemire_core(uint64_t w, long q, double *out)
{
    int lz = __builtin_clzll(w);
    w <<= lz;
    size_t i = (size_t)(q - JSON_POW5_MIN);
    uint64_t mid, hi = json_mul64(w, json_pow5_sig[i].hi, &mid);
    /* w >= 2^63 and T >= 2^127, so hi's top bit is 63 or 62: keep 53 bits and the rounding bit */
    int shift = 9 + (int)(hi >> 63);
    uint64_t mask = (UINT64_C(1) << shift) - 1;
    bool tie = false;
    if (((hi + 1) & mask) <= 1) { /* the bits below the rounding bit all zeros or all ones */
        /* the second word's product can carry into hi, or decide a tie: take it */
        uint64_t lo, add = json_mul64(w, json_pow5_sig[i].lo, &lo);
        mid += add;
        hi += mid < add;
        shift = 9 + (int)(hi >> 63);
        mask = (UINT64_C(1) << shift) - 1;
        if (q >= 0 && q <= 55)
            tie = (hi & mask) == 0 && mid == 0 && lo == 0; /* exact: T is 5^q itself */
        else if ((hi & mask) == mask && mid == UINT64_MAX)
            return false; /* the missing part could carry into the rounding bit */
    }
    long biased = 129 + shift + json_pow5_exp[i] + q - lz + 52 + 1023;
    if (biased <= 0)
        return false; /* subnormal: rounds at another bit */
    uint64_t m = hi >> shift;
    uint64_t round = m & 1;
    m >>= 1;
    m += round & ((uint64_t)!tie | (m & 1)); /* the rounding bit is random: no branch on it */
    if (m == UINT64_C(1) << 53) {
        m >>= 1;
        biased++;
    }
    if (biased >= 0x7FF) {
        *out = INFINITY;
        return true;
    }
    uint64_t bits = (uint64_t)biased << 52 | (m & ((UINT64_C(1) << 52) - 1));
    memcpy(out, &bits, sizeof *out);
    return true;
}

#endif
