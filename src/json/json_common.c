#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "json/json_internal.h"
#include "json/json_ondemand.h"
#include "json/json_eisel_lemire.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t json_locale_once = PTHREAD_ONCE_INIT;
static locale_t json_c_locale;

static void json_locale_init(void)
{
    json_c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

locale_t json__c_locale(void)
{
    pthread_once(&json_locale_once, json_locale_init);
    return json_c_locale;
}

double json__strtod(const char *s)
{
    pthread_once(&json_locale_once, json_locale_init);
    if (json_c_locale)
        return strtod_l(s, NULL, json_c_locale);
    return strtod(s, NULL);
}

static int json_hex4(const unsigned char *p, const unsigned char *end, unsigned *out)
{
    unsigned v = 0;
    if (end - p < 4)
        return 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return 0;
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

static unsigned char *json_put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *o++ = (unsigned char)(0xC0 | cp >> 6);
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (unsigned char)(0xE0 | cp >> 12);
        *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | cp >> 18);
        *o++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    return o;
}

const char *json__decode_string(const unsigned char **pp, const unsigned char *end, unsigned char **po)
{
    const unsigned char *p = *pp;
    unsigned char *o = *po;
    for (;;) {
        const unsigned char *run = p;
        p = json__skip_plain(p, end);
        memcpy(o, run, (size_t)(p - run));
        o += p - run;
        if (p >= end) {
            *pp = NULL;
            return "unterminated string";
        }
        unsigned c = *p;
        if (c == '"')
            break;
        if (c < 0x20) {
            *pp = p;
            return "unescaped control character in string";
        }
        if (c >= 0x80) { /* json__skip_plain stops at a non-ASCII byte only where it is invalid */
            *pp = p;
            return "invalid UTF-8";
        }
        const unsigned char *esc = p++;
        if (p >= end) {
            *pp = NULL;
            return "unterminated string";
        }
        unsigned char ch = json__short_escape(*p);
        if (ch) {
            *o++ = ch;
            p++;
            continue;
        }
        switch (*p++) {
        case 'u': {
            unsigned cp, lo;
            if (!json_hex4(p, end, &cp)) {
                *pp = esc;
                return "invalid \\u escape";
            }
            p += 4;
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                *pp = esc;
                return "unpaired surrogate in \\u escape";
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !json_hex4(p + 2, end, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF) {
                    *pp = esc;
                    return "unpaired surrogate in \\u escape";
                }
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            o = json_put_utf8(o, cp);
            break;
        }
        default:
            *pp = esc;
            return "invalid escape sequence";
        }
    }
    *pp = p + 1;
    *po = o;
    return NULL;
}

static bool json_digit(const unsigned char *p, const unsigned char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

bool json__eisel_lemire(uint64_t w, long q, double *out)
{
    if (w == 0 || q < JSON_POW5_MIN) {
        *out = 0; /* w < 2^64 times 10^-343 is below half the smallest subnormal */
        return true;
    }
    if (q > JSON_POW5_MAX) {
        *out = INFINITY;
        return true;
    }
    return json_eisel_lemire_core(w, q, out);
}

/* The readers' decimals (w != 0): nf <= 19 fraction digits keep q in the table's range. */
bool json__eisel_lemire_frac(uint64_t w, size_t nf, double *out)
{
    return json_eisel_lemire_core(w, -(long)nf, out);
}

/* Appends the digits at *pp to *sig (while it holds at most 19) and counts them in *count. */
static inline void json_read_digits(const unsigned char **pp, const unsigned char *end, uint64_t *sig,
                                    long *count)
{
    static const uint64_t scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    const unsigned char *p = *pp;
    uint64_t val;
    int n;
    while (end - p >= 8 && (n = json__swar_digits(p, &val)) > 0 && *count + n <= 19) {
        *sig = *sig * scale[n] + val;
        *count += n;
        p += n;
        if (n < 8) {
            *pp = p;
            return;
        }
    }
    for (; p < end && *p >= '0' && *p <= '9'; p++) {
        if (*count < 19)
            *sig = *sig * 10 + (unsigned)(*p - '0');
        (*count)++;
    }
    *pp = p;
}

/* The exact path: strtod on a NUL-terminated copy of [start, p). Kept out of line so that the
 * common path's frame stays small. */
static __attribute__((noinline)) const char *json_number_exact(const unsigned char *start, const unsigned char *p,
                                                              double *d, char **scratch, size_t *scratch_cap)
{
    size_t n = (size_t)(p - start);
    char small[64], *buf = small;
    if (n >= sizeof small) {
        if (n >= *scratch_cap) {
            char *nb = realloc(*scratch, n + 1);
            if (!nb)
                return "out of memory";
            *scratch = nb;
            *scratch_cap = n + 1;
        }
        buf = *scratch;
    }
    memcpy(buf, start, n);
    buf[n] = '\0';
    *d = fabs(json__strtod(buf));
    return isinf(*d) ? "number out of range" : NULL;
}

const char *json__parse_number(const unsigned char **pp, const unsigned char *end, json__number *out,
                               char **scratch, size_t *scratch_cap)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const unsigned char *start = *pp, *p = start;
    bool neg = false, is_int = true;
    uint64_t sig = 0; /* the first 19 significant digits */
    long sig_digits = 0, frac_digits = 0, int_digits = 0;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (!json_digit(p, end)) {
        *pp = p;
        return "expected digit after '-'";
    }
    if (*p == '0') {
        p++;
        if (json_digit(p, end)) {
            *pp = p;
            return "leading zeros are not allowed";
        }
    } else {
        json_read_digits(&p, end, &sig, &sig_digits);
        int_digits = sig_digits;
    }
    if (p < end && *p == '.') {
        p++;
        if (!json_digit(p, end)) {
            *pp = p;
            return "expected digit after '.'";
        }
        const unsigned char *f = p;
        if (sig_digits == 0) /* leading zeros of 0.00ddd are not significant */
            while (p < end && *p == '0')
                p++;
        json_read_digits(&p, end, &sig, &sig_digits);
        frac_digits = p - f;
        is_int = false;
    }
    long exp10 = 0;
    bool exp_saturated = false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (!json_digit(p, end)) {
            *pp = p;
            return "expected digit in exponent";
        }
        for (; json_digit(p, end); p++) {
            if (exp10 < 100000)
                exp10 = exp10 * 10 + (*p - '0');
            else
                exp_saturated = true; /* the exact path reads the text itself */
        }
        if (eneg)
            exp10 = -exp10;
        is_int = false;
    }
    out->is_int = false;
    out->ival = 0;
    /* an integer of at most 19 digits is sig itself */
    bool wide = int_digits > 19;
    uint64_t mag = sig;
    if (is_int && !wide && mag <= (UINT64_C(1) << 53)) {
        out->num = neg ? -(double)mag : (double)mag; /* exact */
    } else {
        double d = 0;
        bool done = false;
        long e = exp10 - frac_digits; /* the value is sig * 10^e while sig_digits <= 19 */
#if FLT_EVAL_METHOD == 0
        /* Clinger's fast path: an exact significand and an exact power of ten give a correctly
         * rounded product or quotient. */
        if (!exp_saturated && sig_digits <= 19 && sig <= (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
            d = (double)sig;
            d = e < 0 ? d / pow10[-e] : d * pow10[e];
            done = true;
        }
#endif
        if (!done && !exp_saturated) {
            if (sig_digits <= 19) {
                done = json__eisel_lemire(sig, e, &d);
            } else {
                /* sig holds the first 19 digits: the value lies in [sig, sig + 1) * 10^q, and
                 * where both ends round alike so does the value */
                long q = e + (sig_digits - 19);
                double up;
                done = json__eisel_lemire(sig, q, &d) && json__eisel_lemire(sig + 1, q, &up) && d == up;
            }
            if (done && isinf(d)) {
                *pp = start;
                return "number out of range";
            }
        }
        if (!done) {
            const char *msg = json_number_exact(start, p, &d, scratch, scratch_cap);
            if (msg) {
                *pp = start;
                return msg;
            }
        }
        out->num = neg ? -d : d;
    }
    if (is_int && !wide) {
        if (!neg && mag <= (uint64_t)INT64_MAX) {
            out->is_int = true;
            out->ival = (int64_t)mag;
        } else if (neg && mag <= (uint64_t)INT64_MAX + 1) {
            out->is_int = true;
            out->ival = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
        }
    }
    *pp = p;
    return NULL;
}

void json__locate(const char *buf, size_t offset, size_t *line, size_t *column)
{
    size_t ln = 1, line_start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (buf[i] == '\n') {
            ln++;
            line_start = i + 1;
        }
    }
    *line = ln;
    *column = offset - line_start + 1;
}
