#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "json/json.h"
#include "json/json_internal.h"

#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void json_writer_init(json_writer *w, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->pretty = pretty;
}

void json_writer_reset(json_writer *w)
{
    char *buf = w->buf;
    size_t cap = w->cap;
    bool pretty = w->pretty;
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = cap;
    w->pretty = pretty;
}

void json_writer_free(json_writer *w)
{
    free(w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

static bool json_reserve(json_writer *w, size_t extra)
{
    if (w->failed)
        return false;
    if (extra >= SIZE_MAX - w->len) {
        w->failed = true;
        return false;
    }
    size_t need = w->len + extra + 1;
    if (need <= w->cap)
        return true;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < need)
        cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
    char *nb = realloc(w->buf, cap);
    if (!nb) {
        w->failed = true;
        return false;
    }
    w->buf = nb;
    w->cap = cap;
    return true;
}

static void json_put(json_writer *w, const char *s, size_t n)
{
    if (!json_reserve(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void json_newline(json_writer *w, int depth)
{
    size_t n = 1 + 2 * (size_t)depth;
    if (!json_reserve(w, n))
        return;
    w->buf[w->len] = '\n';
    memset(w->buf + w->len + 1, ' ', n - 1);
    w->len += n;
    w->buf[w->len] = '\0';
}

/* Emits the separator in front of an array element, or checks that a key precedes a member. */
static bool json_before_value(json_writer *w)
{
    if (w->failed)
        return false;
    if (w->depth == 0) {
        if (w->need_comma[0]) {
            w->failed = true; /* a second top-level value */
            return false;
        }
        return true;
    }
    if (w->in_object[w->depth]) {
        if (!w->after_key) {
            w->failed = true;
            return false;
        }
        w->after_key = false;
        return true;
    }
    if (w->need_comma[w->depth])
        json_put(w, ",", 1);
    if (w->pretty)
        json_newline(w, w->depth);
    return !w->failed;
}

static void json_after_value(json_writer *w)
{
    w->need_comma[w->depth] = true;
}

static void json_begin(json_writer *w, bool obj)
{
    if (!json_before_value(w))
        return;
    if (w->depth + 1 >= JSON_WRITER_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    json_put(w, obj ? "{" : "[", 1);
    w->depth++;
    w->need_comma[w->depth] = false;
    w->in_object[w->depth] = obj;
}

static void json_end(json_writer *w, bool obj)
{
    if (w->failed)
        return;
    if (w->depth == 0 || w->in_object[w->depth] != obj || w->after_key) {
        w->failed = true;
        return;
    }
    if (w->pretty && w->need_comma[w->depth])
        json_newline(w, w->depth - 1);
    json_put(w, obj ? "}" : "]", 1);
    w->depth--;
    json_after_value(w);
}

void json_obj_begin(json_writer *w) { json_begin(w, true); }
void json_obj_end(json_writer *w) { json_end(w, true); }
void json_arr_begin(json_writer *w) { json_begin(w, false); }
void json_arr_end(json_writer *w) { json_end(w, false); }

/* Length of the valid UTF-8 sequence at p, or 0 with *bad set to the length of the maximal
 * invalid subpart (which becomes a single U+FFFD). */
static size_t json_utf8_seq(const unsigned char *p, const unsigned char *end, size_t *bad)
{
    unsigned lo, hi;
    size_t n = json__utf8_lead(p[0], &lo, &hi);
    if (n == 0) {
        *bad = 1;
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if (p + i >= end || p[i] < lo || p[i] > hi) {
            *bad = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return n;
}

static void json_put_string(json_writer *w, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    json_put(w, "\"", 1);
    while (p < end && !w->failed) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        json_put(w, (const char *)run, (size_t)(p - run));
        if (p >= end)
            break;
        unsigned c = *p;
        if (c >= 0x80) {
            size_t bad = 0, n = json_utf8_seq(p, end, &bad);
            if (n) {
                json_put(w, (const char *)p, n);
                p += n;
            } else {
                json_put(w, "\xEF\xBF\xBD", 3);
                p += bad;
            }
            continue;
        }
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        json_put(w, esc, n);
        p++;
    }
    json_put(w, "\"", 1);
}

void json_keyn(json_writer *w, const char *key, size_t len)
{
    if (w->failed)
        return;
    if (w->depth == 0 || !w->in_object[w->depth] || w->after_key || (!key && len)) {
        w->failed = true;
        return;
    }
    if (w->need_comma[w->depth])
        json_put(w, ",", 1);
    if (w->pretty)
        json_newline(w, w->depth);
    json_put_string(w, key ? key : "", len);
    json_put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = true;
}

void json_key(json_writer *w, const char *key)
{
    if (!key)
        w->failed = true;
    else
        json_keyn(w, key, strlen(key));
}

void json_strn(json_writer *w, const char *s, size_t len)
{
    if (!s && len) {
        w->failed = true;
        return;
    }
    if (!json_before_value(w))
        return;
    json_put_string(w, s ? s : "", len);
    json_after_value(w);
}

void json_str(json_writer *w, const char *s)
{
    if (!s)
        json_null(w);
    else
        json_strn(w, s, strlen(s));
}

/* Turns the digits and exponent of d.ddd...e<exp> into JSON text, ECMAScript style: plain
 * notation for decimal exponents in [-6, 21), exponent notation otherwise. */
static size_t json_layout(bool neg, const char *digits, size_t k, int exp, char *out, size_t cap)
{
    char tmp[48];
    size_t o = 0;
    int n = exp + 1; /* value = 0.DIGITS * 10^n */
    if (neg)
        tmp[o++] = '-';
    if (n >= (int)k && n <= 21) {
        memcpy(tmp + o, digits, k);
        o += k;
        for (int i = (int)k; i < n; i++)
            tmp[o++] = '0';
    } else if (n > 0 && n <= 21) {
        memcpy(tmp + o, digits, (size_t)n);
        o += (size_t)n;
        tmp[o++] = '.';
        memcpy(tmp + o, digits + n, k - (size_t)n);
        o += k - (size_t)n;
    } else if (n > -6 && n <= 0) {
        tmp[o++] = '0';
        tmp[o++] = '.';
        for (int i = n; i < 0; i++)
            tmp[o++] = '0';
        memcpy(tmp + o, digits, k);
        o += k;
    } else {
        tmp[o++] = digits[0];
        if (k > 1) {
            tmp[o++] = '.';
            memcpy(tmp + o, digits + 1, k - 1);
            o += k - 1;
        }
        o += (size_t)snprintf(tmp + o, sizeof tmp - o, "e%+d", exp);
    }
    if (o >= cap)
        o = cap - 1;
    memcpy(out, tmp, o);
    out[o] = '\0';
    return o;
}

/* Replaces sci ("[-]D.DDDe(+|-)X") by the decimal one unit above it in its last digit, keeping
 * the number of digits. */
static bool json_sci_up(char *sci, size_t cap)
{
    char *e = strchr(sci, 'e');
    if (!e)
        return false;
    int exp = atoi(e + 1);
    char *p = e;
    while (p-- > sci) {
        if (*p == '.')
            continue;
        if (*p < '0' || *p > '9')
            break;
        if (*p != '9') {
            (*p)++;
            return true;
        }
        *p = '0';
    }
    /* 9.99..9 + 1 unit = 10.00..0: one digit more, so shift the exponent instead */
    char *first = sci + (sci[0] == '-');
    *first = '1';
    return snprintf(e, cap - (size_t)(e - sci), "e%+d", exp + 1) > 0;
}

size_t json_format_double(double d, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    if (!isfinite(d)) {
        size_t n = cap > 4 ? 4 : cap - 1;
        memcpy(out, "null", n);
        out[n] = '\0';
        return n;
    }
    locale_t c = json__c_locale();
    locale_t old = c ? uselocale(c) : (locale_t)0;
    char sci[40];
    /* For normal doubles a decimal of <= 15 digits that reads back to d is also the nearest
     * 15-digit decimal (DBL_DIG), so trying 15, 16, 17 finds the shortest; subnormals have
     * less precision and need the full search. At a power of two the gap to the double below is
     * half the gap above, so where the nearest decimal of a length falls below d's rounding
     * interval the next one up may still read back (2^-24: 5.960464477539063e-8). */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    bool pow2 = (bits & ((UINT64_C(1) << 52) - 1)) == 0 && (bits >> 52 & 0x7FF) > 1;
    int prec = fabs(d) >= DBL_MIN ? 15 : 1;
    for (; prec <= 17; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec - 1, d);
        if (prec == 17 || strtod(sci, NULL) == d)
            break;
        if (pow2 && json_sci_up(sci, sizeof sci) && strtod(sci, NULL) == d)
            break;
    }
    if (old)
        uselocale(old);
    /* sci is "[-]D[.DDD]e(+|-)XX" */
    const char *p = sci;
    bool neg = *p == '-';
    if (neg)
        p++;
    char digits[20];
    size_t k = 0;
    for (; *p != 'e'; p++) {
        if (*p >= '0' && *p <= '9' && k < sizeof digits)
            digits[k++] = *p;
    }
    int exp = atoi(p + 1);
    while (k > 1 && digits[k - 1] == '0')
        k--;
    return json_layout(neg, digits, k, exp, out, cap);
}

void json_num(json_writer *w, double d)
{
    char buf[40];
    size_t n = json_format_double(d, buf, sizeof buf);
    if (!json_before_value(w))
        return;
    json_put(w, buf, n);
    json_after_value(w);
}

void json_int(json_writer *w, int64_t i)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%" PRId64, i);
    if (!json_before_value(w))
        return;
    json_put(w, buf, (size_t)n);
    json_after_value(w);
}

void json_bool(json_writer *w, bool b)
{
    if (!json_before_value(w))
        return;
    json_put(w, b ? "true" : "false", b ? 4 : 5);
    json_after_value(w);
}

void json_null(json_writer *w)
{
    if (!json_before_value(w))
        return;
    json_put(w, "null", 4);
    json_after_value(w);
}

void json_kv_num(json_writer *w, const char *key, double d)
{
    json_key(w, key);
    json_num(w, d);
}

void json_kv_int(json_writer *w, const char *key, int64_t i)
{
    json_key(w, key);
    json_int(w, i);
}

void json_raw(json_writer *w, const char *text, size_t len)
{
    if (!text && len) {
        w->failed = true;
        return;
    }
    if (!json_before_value(w))
        return;
    json_put(w, text ? text : "", len);
    json_after_value(w);
}

bool json_writer_ok(const json_writer *w)
{
    return !w->failed && w->depth == 0 && w->need_comma[0];
}

const char *json_writer_data(const json_writer *w, size_t *len)
{
    if (len)
        *len = w->buf ? w->len : 0;
    return w->buf ? w->buf : "";
}

char *json_writer_take(json_writer *w, size_t *len)
{
    bool pretty = w->pretty;
    char *buf = NULL;
    size_t n = 0;
    if (json_writer_ok(w)) {
        buf = w->buf;
        n = w->len;
    } else {
        free(w->buf);
    }
    json_writer_init(w, pretty);
    if (len)
        *len = n;
    return buf;
}

void json_kv_str(json_writer *w, const char *key, const char *s)
{
    json_key(w, key);
    json_str(w, s);
}

void json_kv_bool(json_writer *w, const char *key, bool b)
{
    json_key(w, key);
    json_bool(w, b);
}

void json_write_value(json_writer *w, const json_value *v)
{
    int64_t i;
    size_t len;
    switch (json_get_type(v)) {
    case JSON_NULL: json_null(w); break;
    case JSON_FALSE: json_bool(w, false); break;
    case JSON_TRUE: json_bool(w, true); break;
    case JSON_NUMBER:
        if (json_get_int(v, &i) && !signbit(json_get_num(v)))
            json_int(w, i);
        else
            json_num(w, json_get_num(v));
        break;
    case JSON_STRING: {
        const char *s = json_get_str(v, &len);
        json_strn(w, s, len);
        break;
    }
    case JSON_ARRAY:
        json_arr_begin(w);
        for (size_t k = 0; k < json_arr_len(v); k++)
            json_write_value(w, json_arr_get(v, k));
        json_arr_end(w);
        break;
    case JSON_OBJECT:
        json_obj_begin(w);
        for (size_t k = 0; k < json_obj_len(v); k++) {
            const char *key = json_obj_key_at(v, k, &len);
            json_keyn(w, key, len);
            json_write_value(w, json_obj_val_at(v, k));
        }
        json_obj_end(w);
        break;
    }
}
