#include "pipeline/gen.h"

#include "pipeline/pyfloat.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MT_N = 624, MT_M = 397 };

static void mt_init(gen_rng *r, uint32_t s)
{
    r->mt[0] = s;
    for (int i = 1; i < MT_N; i++)
        r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
    r->index = MT_N;
}

void gen_rng_seed_words(gen_rng *r, const uint32_t *key, size_t n)
{
    static const uint32_t zero = 0;
    if (n == 0) {
        key = &zero;
        n = 1;
    }
    mt_init(r, 19650218u);
    uint32_t *mt = r->mt;
    size_t i = 1, j = 0;
    for (size_t k = n > MT_N ? n : MT_N; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
        if (j >= n)
            j = 0;
    }
    for (size_t k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        i++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000u;
}

void gen_rng_seed(gen_rng *r, int64_t seed)
{
    uint64_t a = seed < 0 ? (uint64_t)0 - (uint64_t)seed : (uint64_t)seed;
    uint32_t key[2] = {(uint32_t)a, (uint32_t)(a >> 32)};
    gen_rng_seed_words(r, key, key[1] ? 2 : 1);
}

static void mt_twist(gen_rng *r)
{
    static const uint32_t mag[2] = {0, 0x9908b0dfu};
    uint32_t *mt = r->mt, y;
    int k = 0;
    for (; k < MT_N - MT_M; k++) {
        y = (mt[k] & 0x80000000u) | (mt[k + 1] & 0x7fffffffu);
        mt[k] = mt[k + MT_M] ^ (y >> 1) ^ mag[y & 1];
    }
    for (; k < MT_N - 1; k++) {
        y = (mt[k] & 0x80000000u) | (mt[k + 1] & 0x7fffffffu);
        mt[k] = mt[k + (MT_M - MT_N)] ^ (y >> 1) ^ mag[y & 1];
    }
    y = (mt[MT_N - 1] & 0x80000000u) | (mt[0] & 0x7fffffffu);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag[y & 1];
    r->index = 0;
}

uint32_t gen_rng_u32(gen_rng *r)
{
    if (r->index >= MT_N)
        mt_twist(r);
    uint32_t y = r->mt[r->index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

uint32_t gen_getrandbits(gen_rng *r, int k)
{
    return gen_rng_u32(r) >> (32 - k);
}

uint32_t gen_below(gen_rng *r, uint32_t n)
{
    int k = 32 - __builtin_clz(n);
    uint32_t v;
    do
        v = gen_getrandbits(r, k);
    while (v >= n);
    return v;
}

int64_t gen_randint(gen_rng *r, int64_t a, int64_t b)
{
    return a + (int64_t)gen_below(r, (uint32_t)(b - a + 1));
}

double gen_random(gen_rng *r)
{
    uint32_t a = gen_rng_u32(r) >> 5, b = gen_rng_u32(r) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

double gen_uniform(gen_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * gen_random(r);
}

/* ---- the file ------------------------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t n;
} gen_word;

#define W(x) {x, sizeof x - 1}
static const gen_word TYPES[] = {W("page_view"),   W("click"),           W("purchase"),
                                 W("signup"),      W("logout"),          W("search"),
                                 W("add_to_cart"), W("remove_from_cart"), W("checkout_start"),
                                 W("error")};
static const gen_word PAGES[] = {W("/home"),    W("/products"), W("/products/123"), W("/cart"),
                                 W("/checkout"), W("/account"), W("/search"),       W("/about"),
                                 W("/contact"), W("/blog")};
static const gen_word TERMS[] = {W("python"),  W("laptop"), W("headphones"), W("keyboard"),
                                 W("monitor"), W("mouse"),  W("charger"),    W("backpack"),
                                 W("shoes"),   W("coffee")};
#undef W
enum { T_CLICK = 1, T_PURCHASE = 2, T_SEARCH = 5, T_ADD_TO_CART = 6, T_ERROR = 9 };
static const int ERROR_CODES[] = {400, 404, 500, 502, 503};
static const int MONTH_START[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
#define GEN_SPAN 31535999 /* 2025-01-01T00:00:00 to 2025-12-31T23:59:59, inside 2025 */

static char *put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

#define PUT_LIT(o, lit) put(o, lit, sizeof lit - 1)


static char *put2(char *o, int v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
    return o + 2;
}

static char *put_time(char *o, uint32_t secs)
{
    uint32_t day = secs / 86400, rest = secs % 86400;
    int month = 0;
    while ((uint32_t)MONTH_START[month + 1] <= day)
        month++;
    o = PUT_LIT(o, "2025-");
    o = put2(o, month + 1);
    *o++ = '-';
    o = put2(o, (int)(day - (uint32_t)MONTH_START[month]) + 1);
    *o++ = 'T';
    o = put2(o, (int)(rest / 3600));
    *o++ = ':';
    o = put2(o, (int)(rest / 60 % 60));
    *o++ = ':';
    o = put2(o, (int)(rest % 60));
    return PUT_LIT(o, "+00:00");
}

static char *put_float(char *o, double d)
{
    return o + pipeline_float_repr(d, o);
}

static char *put_word(char *o, const gen_word *w)
{
    *o++ = '"';
    o = put(o, w->s, w->n);
    *o++ = '"';
    return o;
}

/* One event; at most ~300 bytes. */
static char *put_event(char *o, gen_rng *r, uint32_t users)
{
    uint32_t user = 1 + gen_below(r, users);
    unsigned type = gen_below(r, 10);
    uint32_t secs = gen_below(r, GEN_SPAN + 1);
    const gen_word *page = &PAGES[gen_below(r, 10)];
    o = PUT_LIT(o, "{\"user_id\": ");
    o = pyf_put_u64(o, user, 1);
    o = PUT_LIT(o, ", \"event_type\": ");
    o = put_word(o, &TYPES[type]);
    o = PUT_LIT(o, ", \"timestamp\": \"");
    o = put_time(o, secs);
    o = PUT_LIT(o, "\", \"metadata\": {\"page\": ");
    o = put_word(o, page);
    switch (type) {
    case T_PURCHASE:
        o = PUT_LIT(o, ", \"amount\": ");
        o = put_float(o, pipeline_round2(gen_uniform(r, 1.0, 500.0)));
        o = PUT_LIT(o, ", \"currency\": \"USD\", \"item_count\": ");
        o = pyf_put_u64(o, 1 + gen_below(r, 10), 1);
        break;
    case T_SEARCH:
        o = PUT_LIT(o, ", \"query\": ");
        o = put_word(o, &TERMS[gen_below(r, 10)]);
        o = PUT_LIT(o, ", \"results_count\": ");
        o = pyf_put_u64(o, gen_below(r, 201), 1);
        break;
    case T_CLICK:
        o = PUT_LIT(o, ", \"element_id\": \"btn-");
        o = pyf_put_u64(o, 1 + gen_below(r, 50), 1);
        *o++ = '"';
        break;
    case T_ERROR:
        o = PUT_LIT(o, ", \"error_code\": ");
        o = pyf_put_u64(o, (uint64_t)ERROR_CODES[gen_below(r, 5)], 1);
        o = PUT_LIT(o, ", \"message\": \"Error on ");
        o = put(o, page->s, page->n);
        *o++ = '"';
        break;
    case T_ADD_TO_CART: {
        uint32_t product = 1000 + gen_below(r, 9000);
        uint32_t quantity = 1 + gen_below(r, 5);
        double price = pipeline_round2(gen_uniform(r, 5.0, 300.0));
        o = PUT_LIT(o, ", \"product_id\": ");
        o = pyf_put_u64(o, product, 1);
        o = PUT_LIT(o, ", \"quantity\": ");
        o = pyf_put_u64(o, quantity, 1);
        o = PUT_LIT(o, ", \"price\": ");
        o = put_float(o, price);
        break;
    }
    default:
        break;
    }
    return PUT_LIT(o, "}}");
}

int gen_events(const gen_params *p, gen_sink sink, void *ctx, char *err, size_t cap)
{
    if (p->users < 1 || p->users > GEN_MAX_USERS) {
        snprintf(err, cap, "users must be from 1 to %lu", (unsigned long)GEN_MAX_USERS);
        return -1;
    }
    enum { SLACK = 512 };
    char *buf = malloc(GEN_CHUNK + SLACK);
    if (!buf) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    gen_rng r;
    gen_rng_seed(&r, p->seed);
    char *o = buf;
    *o++ = '[';
    int rc = 0;
    for (uint64_t i = 0; i < p->events; i++) {
        if (i)
            o = PUT_LIT(o, ", ");
        o = put_event(o, &r, (uint32_t)p->users);
        if ((size_t)(o - buf) >= GEN_CHUNK) {
            if (sink(ctx, buf, GEN_CHUNK)) {
                rc = -1;
                break;
            }
            size_t left = (size_t)(o - buf) - GEN_CHUNK;
            memcpy(buf, buf + GEN_CHUNK, left);
            o = buf + left;
        }
    }
    if (rc == 0) {
        *o++ = ']';
        if (sink(ctx, buf, (size_t)(o - buf)))
            rc = -1;
    }
    free(buf);
    if (rc)
        snprintf(err, cap, "output failed");
    return rc;
}
