#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "pipeline/pyfloat.h"

#include "json/json_internal.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static double pyf_strtod(const char *s)
{
    locale_t c = json__c_locale();
    return c ? strtod_l(s, NULL, c) : strtod(s, NULL);
}

/* glibc prints the exact binary value, rounded to nearest with ties to even, which is what
 * CPython's dtoa mode 3 does; used only where the integer path below cannot be exact. */
static double pyf_round2_slow(double x)
{
    char buf[400];
    locale_t c = json__c_locale(), old = (locale_t)0;
    if (c)
        old = uselocale(c);
    snprintf(buf, sizeof buf, "%.2f", x);
    if (old)
        uselocale(old);
    return pyf_strtod(buf);
}

double pipeline_round2(double x)
{
    if (!isfinite(x) || x == 0.0)
        return x;
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int biased = (int)(bits >> 52 & 0x7FF);
    uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
    int e; /* |x| = m * 2^e */
    if (biased == 0) {
        e = -1074;
    } else {
        m |= UINT64_C(1) << 52;
        e = biased - 1075;
    }
    if (e >= 0)
        return x; /* an integer already */
    int s = -e;
    if (s > 62)
        return copysign(0.0, x); /* |x| * 100 < 1/4 */
    uint64_t p = m * 100; /* < 2^60: exact */
    uint64_t q = p >> s, rem = p & ((UINT64_C(1) << s) - 1), half = UINT64_C(1) << (s - 1);
    if (rem > half || (rem == half && (q & 1)))
        q++;
    if (q >= (UINT64_C(1) << 53))
        return pyf_round2_slow(x);
    /* q and 100 are exact doubles, so the division is the correctly rounded q/100. */
    return copysign((double)q / 100.0, x);
}

/* Python's 'r' layout of digits d1..dn with value 0.d1...dn * 10^decpt. */
static size_t pyf_layout(bool neg, const char *dig, int n, int decpt, char *out)
{
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            out[o++] = '0';
            out[o++] = '.';
            for (int i = decpt; i < 0; i++)
                out[o++] = '0';
            memcpy(out + o, dig, (size_t)n);
            o += (size_t)n;
        } else if (decpt < n) {
            memcpy(out + o, dig, (size_t)decpt);
            o += (size_t)decpt;
            out[o++] = '.';
            memcpy(out + o, dig + decpt, (size_t)(n - decpt));
            o += (size_t)(n - decpt);
        } else {
            memcpy(out + o, dig, (size_t)n);
            o += (size_t)n;
            for (int i = n; i < decpt; i++)
                out[o++] = '0';
            out[o++] = '.';
            out[o++] = '0';
        }
    } else {
        out[o++] = dig[0];
        if (n > 1) {
            out[o++] = '.';
            memcpy(out + o, dig + 1, (size_t)(n - 1));
            o += (size_t)(n - 1);
        }
        int ex = decpt - 1;
        out[o++] = 'e';
        out[o++] = ex < 0 ? '-' : '+';
        o = (size_t)(pyf_put_u64(out + o, (uint64_t)(ex < 0 ? -ex : ex), 2) - out);
    }
    out[o] = '\0';
    return o;
}

/* Digits of |x| as glibc's "%.*e" at precision prec: fills dig (no trailing zeros trimmed) and
 * returns decpt. */
static int pyf_sci_digits(double x, int prec, char *dig, int *n)
{
    char sci[48];
    snprintf(sci, sizeof sci, "%.*e", prec - 1, fabs(x));
    const char *p = sci;
    int k = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            dig[k++] = *p;
    *n = k;
    return atoi(p + 1) + 1;
}

/* Reads back digits dig[0..n) with decpt as a double (positive). */
static double pyf_read_digits(const char *dig, int n, int decpt)
{
    char buf[48];
    int o = 0;
    buf[o++] = '.';
    memcpy(buf + o, dig, (size_t)n);
    o += n;
    snprintf(buf + o, sizeof buf - (size_t)o, "e%d", decpt);
    return pyf_strtod(buf);
}

/* Adds one in the last of the n digits; returns the new decpt. */
static int pyf_next_up(char *dig, int n, int decpt)
{
    int i = n - 1;
    while (i >= 0 && dig[i] == '9')
        dig[i--] = '0';
    if (i >= 0) {
        dig[i]++;
        return decpt;
    }
    dig[0] = '1'; /* 99..9 + 1 = 100..0: one more power of ten */
    return decpt + 1;
}

size_t pipeline_float_repr(double x, char *out)
{
    if (isnan(x)) {
        memcpy(out, "NaN", 4);
        return 3;
    }
    if (isinf(x)) {
        const char *s = x < 0 ? "-Infinity" : "Infinity";
        size_t n = strlen(s);
        memcpy(out, s, n + 1);
        return n;
    }
    bool neg = signbit(x);
    double a = fabs(x);
    if (a == 0.0)
        return pyf_layout(neg, "0", 1, 1, out);
    char dig[24];
    /* Fast path: a == q/100 for an integer q below 10^15, so q's digits are the shortest
     * (two decimals of at most 15 significant digits never share a double). */
    if (a >= 1e-2 && a < 1e13) {
        double y = a * 100.0;
        double qd = nearbyint(y);
        if (qd / 100.0 == a) {
            uint64_t q = (uint64_t)qd;
            char t[24];
            int k = 0;
            while (q) {
                t[k++] = (char)('0' + q % 10);
                q /= 10;
            }
            int n = 0;
            for (int i = k - 1; i >= 0; i--)
                dig[n++] = t[i];
            int decpt = k - 2;
            while (n > 1 && dig[n - 1] == '0')
                n--;
            return pyf_layout(neg, dig, n, decpt, out);
        }
    }
    locale_t c = json__c_locale();
    locale_t old = c ? uselocale(c) : (locale_t)0;
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    /* Only at a power of two is the rounding interval lopsided, so that the nearest decimal of
     * some length may miss while its neighbour on the wide side still reads back. */
    bool pow2 = (bits & ((UINT64_C(1) << 52) - 1)) == 0 && (bits >> 52) > 1;
    int n = 0, decpt = 0;
    for (int prec = 1; prec <= 17; prec++) {
        decpt = pyf_sci_digits(a, prec, dig, &n);
        double back = pyf_read_digits(dig, n, decpt);
        if (back == a)
            break;
        if (pow2 && back < a) {
            char alt[24];
            memcpy(alt, dig, (size_t)n);
            int adp = pyf_next_up(alt, n, decpt);
            if (pyf_read_digits(alt, n, adp) == a) {
                memcpy(dig, alt, (size_t)n);
                decpt = adp;
                break;
            }
        }
    }
    if (old)
        uselocale(old);
    while (n > 1 && dig[n - 1] == '0')
        n--;
    return pyf_layout(neg, dig, n, decpt, out);
}

char *pyf_put_u64(char *o, uint64_t v, int min_digits)
{
    char t[24];
    int k = 0;
    do {
        t[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k < min_digits)
        t[k++] = '0';
    while (k)
        *o++ = t[--k];
    return o;
}
