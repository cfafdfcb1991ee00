#include "pipeline/pipeline.h"

#include "cpu/cpu_pool.h"
#include "json/json_ondemand.h"
#include "pipeline/pyfloat.h"

#include <float.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__GNUC__)
#define FAST_INLINE static inline __attribute__((always_inline))
#else
#define FAST_INLINE static inline
#endif

enum { T_PAGE_VIEW, T_PURCHASE, T_CLICK, T_SEARCH, T_ADD_TO_CART, N_KEPT_TYPES, T_OTHER = N_KEPT_TYPES };
static const char *const TYPE_UPPER[N_KEPT_TYPES] = {"PAGE_VIEW", "PURCHASE", "CLICK", "SEARCH", "ADD_TO_CART"};

enum { INLINE_PAGES = 10 };

typedef struct {
    uint32_t page, count;
} page_count;

typedef struct {
    int64_t id, first, last;
    double total;
    uint32_t events, high;
    uint32_t type_count[N_KEPT_TYPES];
    uint8_t type_order[N_KEPT_TYPES], ntypes;
    uint32_t npages, more_cap;
    uint32_t amt_head; /* a helper's: 1 + the index in amounts[] of its last amount, 0 for none */
    page_count *more; /* all of the user's pages once they outgrow pages[] (kept between runs) */
    page_count pages[INLINE_PAGES];
} pl_user;

typedef struct {
    uint64_t hash;
    uint32_t off, len;
} pl_page;

typedef struct {
    uint32_t next; /* 1 + the index of the same user's amount before this one, 0 for none */
    double amount;
} pl_amount;

/* A direct-mapped cache in front of page_intern for strings of at most 16 bytes, which
 * (len, a, b) as page_key makes them identify exactly. */
enum { PAGE_CACHE = 64 };
typedef struct {
    uint64_t a, b;
    uint32_t len, id; /* len UINT32_MAX: empty */
} pl_page_cache;

struct pipeline {
    json_od od;
    pl_user *users;
    size_t nusers, users_cap;
    int64_t *user_ids; /* users[i].id again: the lookups and the order read only ids */
    size_t user_ids_cap;
    uint32_t *user_slots; /* index + 1 into users, 0 = empty; open addressing by id */
    size_t user_mask;
    pl_page *pages;
    size_t npages, pages_cap;
    uint32_t *page_slots; /* index + 1 into pages */
    size_t page_mask;
    char *page_bytes;
    size_t page_bytes_len, page_bytes_cap;
    pl_page_cache page_cache[PAGE_CACHE];
    uint32_t *order;
    size_t order_cap;
    uint32_t *rank; /* summarize: index + 1 into users by id - smallest id, 0 = none */
    size_t rank_cap;
    char *out;
    size_t out_start, out_len, out_cap; /* the summary is out[out_start..out_len) */
    int64_t event; /* the event being read, or -1 */
    bool after;    /* between events: event is the last whole one */
    bool oom;
    bool slow; /* pipeline_set_fast(pl, false) */
    pipeline_totals totals;
    int64_t window_lo, window_hi;
    /* splitting the event array over threads (pipeline_set_threads) */
    int threads;
    char scanner[8]; /* pipeline_use_scanner's name, "" for the default */
    size_t min_chunk;
    int last_chunks, last_redone, last_stolen;
    pipeline **helpers; /* one a chunk past the first, made on first use and kept */
    int nhelpers;
    cpu_pool *pool; /* threads - 1 parked workers, started by the first run that splits */
    bool log_amounts; /* a helper: every kept event's non-zero amount goes to amounts[] */
    pl_amount *amounts;
    size_t namounts, amounts_cap;
    uint32_t *user_map; /* a helper: its user index -> the merging pipeline's (map_lookup, map_rest) */
    size_t user_map_cap;
    uint32_t *page_map;
    size_t page_map_cap;
    /* a helper's chunk of chunk_buf[0..chunk_len): chunk_end is the offset of the event it
     * stopped before, or SIZE_MAX at the array's end; chunk_ok when it read without error (and,
     * at the end, with nothing after the array) */
    const char *chunk_buf;
    size_t chunk_len, chunk_end;
    bool chunk_ok;
    struct chunk_queue *chunk_q; /* while a run's threads read: its queue, and ... */
    struct pl_chunk *claim;      /* ... the chunk this pipeline reads (its limit can move) */
    double first_share; /* balance_first_chunk's share of the input for chunk 0 of first_share_n */
    size_t first_share_n;
    uint32_t *rev; /* a helper: the merging pipeline's user index -> 1 + its own, 0 for none */
    size_t rev_cap;
    double *tot_rank; /* the merging pipeline: each user's merged total, in the summary's order */
    size_t tot_rank_cap;
    uint32_t *rank_of; /* the merging pipeline: user index -> place in the summary's order */
    size_t rank_of_cap;
    /* the thread that writes a share of the summary with this pipeline's out: room for a merged
     * user's pages past INLINE_PAGES, and for a user's amounts, newest first */
    page_count *scratch_more;
    uint32_t scratch_more_cap;
    uint32_t *amt_stack;
    size_t amt_stack_cap;
    /* a share of the summary: the users in places [fmt_from, fmt_to) of the order, their sums */
    size_t fmt_from, fmt_to;
    uint64_t fmt_events, fmt_high;
    bool fmt_ok;
};

/* ---- time ------------------------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Digit i of u as a number; sets *bad when it is not a digit. Branch-free, so that the common,
 * valid timestamp costs one test at the end. */
static inline int digit(const unsigned char *u, int i, unsigned *bad)
{
    unsigned d = (unsigned)u[i] - '0';
    *bad |= d > 9;
    return (int)d;
}

/* The checks and arithmetic after the fields are read, shared by both readers below. */
FAST_INLINE const char *ts_finish(int year, int mo, int d, int h, int mi, int sec, int64_t offset, int64_t *epoch)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1)
        return "year out of range";
    if (mo < 1 || mo > 12)
        return "month out of range";
    if (d < 1 || (d > mdays[mo - 1] && !(mo == 2 && d == 29 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))))
        return "day out of range";
    if (h > 23 || mi > 59 || sec > 59)
        return "time of day out of range";
    int64_t days;
    if (year >= 1901 && year <= 2099) {
        /* every fourth year is a leap year in this range: days before the year, the month and
         * the day, without days_from_civil's eras */
        static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
        days = (int64_t)((year - 1970) * 365 + (int)((unsigned)(year - 1) >> 2) - 492 + before[mo - 1] +
                         (mo > 2 && (year & 3) == 0) + d - 1);
    } else {
        days = days_from_civil(year, mo, d);
    }
    *epoch = days * 86400 + h * 3600 + mi * 60 + sec - offset;
    return NULL;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TS_SWAR 1
#if defined(__SSSE3__)
#include <tmmintrin.h>

/* "YYYY-MM-DDTHH:MM:SS+HH:MM", the common form, with years 1901 to 2099: two 16-byte loads
 * checked lane by lane, the digit pairs gathered and combined with one multiply-add. True with
 * *why NULL and *epoch set when u is such a valid timestamp; false for anything else (errors
 * included), which the bytewise reader below then judges and words. */
FAST_INLINE bool ts_fast25(const unsigned char *u, int64_t *epoch, const char **why)
{
    const __m128i zero = _mm_set1_epi8('0');
    __m128i v0 = _mm_loadu_si128((const __m128i *)u);       /* u[0..16) */
    __m128i v1 = _mm_loadu_si128((const __m128i *)(u + 9)); /* u[9..25) */
    __m128i t0 = _mm_sub_epi8(v0, zero), t1 = _mm_sub_epi8(v1, zero);
    /* digit lanes: at most 9 (other lanes: 0xFF, always); punctuation lanes: exactly these
     * bytes (other lanes: any, by the or'ed mask). v0 is checked in u[0..9) only, v1 holds the
     * rest; u[10] ('T' or ' ') and u[19] ('+' or '-') are checked below. */
    const __m128i lim0 = _mm_setr_epi8(9, 9, 9, 9, -1, 9, 9, -1, 9, -1, -1, -1, -1, -1, -1, -1);
    const __m128i lim1 = _mm_setr_epi8(9, -1, 9, 9, -1, 9, 9, -1, 9, 9, -1, 9, 9, -1, 9, 9);
    const __m128i pat0 = _mm_setr_epi8(0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 0, 0, 0, 0, 0, 0);
    const __m128i any0 = _mm_setr_epi8(-1, -1, -1, -1, 0, -1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i pat1 = _mm_setr_epi8(0, 0, 0, 0, ':', 0, 0, ':', 0, 0, 0, 0, 0, ':', 0, 0);
    const __m128i any1 = _mm_setr_epi8(-1, -1, -1, -1, 0, -1, -1, 0, -1, -1, -1, -1, -1, 0, -1, -1);
    __m128i ok0 = _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(t0, lim0), lim0), _mm_or_si128(_mm_cmpeq_epi8(v0, pat0), any0));
    __m128i ok1 = _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(t1, lim1), lim1), _mm_or_si128(_mm_cmpeq_epi8(v1, pat1), any1));
    if (_mm_movemask_epi8(_mm_and_si128(ok0, ok1)) != 0xFFFF || (u[10] != 'T' && u[10] != ' ') ||
        (u[19] != '+' && u[19] != '-'))
        return false;
    /* the pairs YY YY MM DD HH MM SS OH as 16-bit numbers 10 * first + second */
    const __m128i g0 = _mm_setr_epi8(0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, -1, -1, -1, -1);
    const __m128i g1 = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 8, 9, 11, 12);
    __m128i pairs = _mm_or_si128(_mm_shuffle_epi8(t0, g0), _mm_shuffle_epi8(t1, g1));
    __m128i w = _mm_maddubs_epi16(pairs, _mm_set1_epi16(0x010A)); /* bytes 10, 1 */
    /* month and day at least 1; hour, minute, second and the offset's hour in range (the day's
     * upper bound by month below) */
    const __m128i lo = _mm_setr_epi16(19, 0, 1, 1, 0, 0, 0, 0), hi = _mm_setr_epi16(20, 99, 12, 31, 23, 59, 59, 23);
    if (_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi16(w, lo), _mm_cmpgt_epi16(w, hi))))
        return false;
    uint16_t f[8];
    _mm_storeu_si128((__m128i *)f, w);
    int year = f[0] * 100 + f[1], mo = f[2], d = f[3];
    int om = (u[23] - '0') * 10 + (u[24] - '0');
    static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1901 || year > 2099 || om > 59 || (d > mdays[mo - 1] && !(mo == 2 && d == 29 && (year & 3) == 0)))
        return false;
    static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    /* every fourth year is a leap year from 1901 to 2099 */
    int days = (year - 1970) * 365 + ((year - 1) >> 2) - 492 + before[mo - 1] + (mo > 2 && (year & 3) == 0) + d - 1;
    int offset = (f[7] * 3600 + om * 60) * (u[19] == '-' ? -1 : 1);
    *epoch = (int64_t)days * 86400 + (f[4] * 3600 + f[5] * 60 + f[6] - offset);
    *why = NULL;
    return true;
}
#else
static inline uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Eight bytes x against a pattern: each lane of d (0xFF) must be a digit, each other lane of
 * want must match exactly unless free (0xFF) says it is checked elsewhere. Returns the digits'
 * values in the digit lanes and 0 elsewhere, or UINT64_MAX when x does not fit. */
FAST_INLINE uint64_t pattern_digits(uint64_t x, uint64_t want, uint64_t d, uint64_t free)
{
    uint64_t t = x ^ want; /* want holds '0' in the digit lanes: t is the digit there */
    /* a digit lane is bad when t > 9: a high nibble, or a carry into it after adding 6 (a carry
     * out of a lane needs t >= 0xFA, itself bad, so it cannot hide a bad lane) */
    uint64_t bad = (t & ~free & (~d | UINT64_C(0xF0F0F0F0F0F0F0F0))) |
                   ((t + (d & UINT64_C(0x0606060606060606))) & d & UINT64_C(0xF0F0F0F0F0F0F0F0));
    return bad ? UINT64_MAX : t & d;
}

#define LANE(x, i) ((int)(((x) >> (8 * (i))) & 0xFF))

/* "YYYY-MM-DDTHH:MM:SS+HH:MM", the common form, checked eight bytes at a time: true with *why
 * set (NULL or the reason) when u has this shape, false for anything else, which the bytewise
 * reader below then judges. */
FAST_INLINE bool ts_fast25(const unsigned char *u, int64_t *epoch, const char **why)
{
    /* a = "YYYY-MM-", b = "DDTHH:MM" ('T' or ' '), c = ":SS+HH:M" ('+' or '-'), u[24] = 'M' */
    const uint64_t ma = UINT64_C(0x00FFFF00FFFFFFFF), mb = UINT64_C(0xFFFF00FFFF00FFFF),
                   mc = UINT64_C(0xFF00FFFF00FFFF00);
    uint64_t a = pattern_digits(load64(u), load64((const unsigned char *)"0000-00-"), ma, 0);
    uint64_t b = pattern_digits(load64(u + 8), load64((const unsigned char *)"00T00:00"), mb, UINT64_C(0xFF0000));
    uint64_t c = pattern_digits(load64(u + 16), load64((const unsigned char *)":00+00:0"), mc, UINT64_C(0xFF000000));
    if ((a | b | c) == UINT64_MAX || u[24] - (unsigned)'0' > 9 || (u[10] != 'T' && u[10] != ' ') ||
        (u[19] != '+' && u[19] != '-'))
        return false;
    /* each lane i + the lane after it as a two-digit number 10 * x[i] + x[i + 1] (at most 99:
     * no carries) */
    a = a * 10 + (a >> 8);
    b = b * 10 + (b >> 8);
    c = c * 10 + (c >> 8);
    int year = LANE(a, 0) * 100 + LANE(a, 2), mo = LANE(a, 5), d = LANE(b, 0);
    int h = LANE(b, 3), mi = LANE(b, 6), sec = LANE(c, 1), oh = LANE(c, 4);
    int om = LANE(c, 7) + (u[24] - '0');
    if (oh > 23 || om > 59) {
        *why = "UTC offset out of range";
        return true;
    }
    int64_t offset = (oh * 3600 + om * 60) * (u[19] == '-' ? -1 : 1);
    *why = ts_finish(year, mo, d, h, mi, sec, offset, epoch);
    return true;
}
#endif
#endif

const char *pipeline_parse_timestamp(const char *s, size_t len, int64_t *epoch)
{
    static const char *const shape = "not YYYY-MM-DDTHH:MM:SS with Z or a +HH:MM offset";
    if (len != 20 && len != 25)
        return shape;
    const unsigned char *u = (const unsigned char *)s;
#if defined(TS_SWAR)
    const char *why;
    if (len == 25 && ts_fast25(u, epoch, &why))
        return why;
#endif
    unsigned bad = (u[4] != '-') | (u[7] != '-') | (u[10] != 'T' && u[10] != ' ') | (u[13] != ':') | (u[16] != ':');
    int year = digit(u, 0, &bad) * 1000 + digit(u, 1, &bad) * 100 + digit(u, 2, &bad) * 10 + digit(u, 3, &bad);
    int mo = digit(u, 5, &bad) * 10 + digit(u, 6, &bad);
    int d = digit(u, 8, &bad) * 10 + digit(u, 9, &bad);
    int h = digit(u, 11, &bad) * 10 + digit(u, 12, &bad);
    int mi = digit(u, 14, &bad) * 10 + digit(u, 15, &bad);
    int sec = digit(u, 17, &bad) * 10 + digit(u, 18, &bad);
    int64_t offset = 0;
    if (len == 20) {
        bad |= u[19] != 'Z';
    } else {
        int oh = digit(u, 20, &bad) * 10 + digit(u, 21, &bad);
        int om = digit(u, 23, &bad) * 10 + digit(u, 24, &bad);
        bad |= (u[19] != '+' && u[19] != '-') | (u[22] != ':');
        if (bad)
            return shape;
        if (oh > 23 || om > 59)
            return "UTC offset out of range";
        offset = (oh * 3600 + om * 60) * (u[19] == '-' ? -1 : 1);
    }
    if (bad)
        return shape;
    return ts_finish(year, mo, d, h, mi, sec, offset, epoch);
}

/* ---- setup ----------------------------------------------------------------------------------- */


pipeline *pipeline_new(void)
{
    pipeline *pl = calloc(1, sizeof *pl);
    if (!pl)
        return NULL;
    json_od_init(&pl->od, 0);
    pl->window_lo = days_from_civil(2025, 3, 1) * 86400;
    pl->window_hi = days_from_civil(2025, 9, 30) * 86400 + 86399;
    pl->threads = 1;
    pl->min_chunk = 0; /* PIPELINE_MIN_CHUNK */
    pl->last_chunks = 1;
    return pl;
}

void pipeline_free(pipeline *pl)
{
    if (!pl)
        return;
    json_od_free(&pl->od);
    for (size_t i = 0; i < pl->users_cap; i++)
        free(pl->users[i].more);
    free(pl->users);
    free(pl->user_ids);
    free(pl->user_slots);
    free(pl->pages);
    free(pl->page_slots);
    free(pl->page_bytes);
    free(pl->order);
    free(pl->rank);
    free(pl->out);
    cpu_pool_free(pl->pool);
    for (int i = 0; i < pl->nhelpers; i++)
        pipeline_free(pl->helpers[i]);
    free(pl->helpers);
    free(pl->amounts);
    free(pl->user_map);
    free(pl->page_map);
    free(pl->rev);
    free(pl->tot_rank);
    free(pl->rank_of);
    free(pl->scratch_more);
    free(pl->amt_stack);
    free(pl);
}

static bool pl_oom(pipeline *pl)
{
    pl->oom = true;
    return json_od_fail(&pl->od, json_od_offset(&pl->od), "out of memory");
}

static bool grow(void **buf, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : first;
    while (n < need)
        n *= 2;
    void *nb = realloc(*buf, n * elem);
    if (!nb)
        return false;
    *buf = nb;
    *cap = n;
    return true;
}

/* ---- users ----------------------------------------------------------------------------------- */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    return x;
}

static bool user_rehash(pipeline *pl, size_t slots)
{
    uint32_t *t = calloc(slots, sizeof *t);
    if (!t)
        return false;
    free(pl->user_slots);
    pl->user_slots = t;
    pl->user_mask = slots - 1;
    for (size_t i = 0; i < pl->nusers; i++) {
        size_t h = mix64((uint64_t)pl->user_ids[i]) & pl->user_mask;
        while (t[h])
            h = (h + 1) & pl->user_mask;
        t[h] = (uint32_t)i + 1;
    }
    return true;
}

static pl_user *user_get(pipeline *pl, int64_t id)
{
    size_t h = mix64((uint64_t)id) & pl->user_mask;
    uint32_t s;
    while ((s = pl->user_slots[h]) != 0) {
        if (pl->users[s - 1].id == id)
            return &pl->users[s - 1];
        h = (h + 1) & pl->user_mask;
    }
    if (pl->nusers >= UINT32_MAX - 1)
        return NULL;
    if (pl->nusers == pl->users_cap) {
        size_t old = pl->users_cap;
        if (!grow((void **)&pl->users, &pl->users_cap, pl->nusers + 1, sizeof *pl->users, 1024))
            return NULL;
        for (size_t i = old; i < pl->users_cap; i++) {
            pl->users[i].more = NULL;
            pl->users[i].more_cap = 0;
        }
    }
    if (!grow((void **)&pl->user_ids, &pl->user_ids_cap, pl->nusers + 1, sizeof *pl->user_ids, 1024))
        return NULL;
    if ((pl->nusers + 1) * 2 > pl->user_mask + 1) {
        if (!user_rehash(pl, (pl->user_mask + 1) * 2))
            return NULL;
        return user_get(pl, id);
    }
    pl->user_slots[h] = (uint32_t)(pl->nusers + 1);
    pl_user *u = &pl->users[pl->nusers++];
    page_count *more = u->more;
    uint32_t more_cap = u->more_cap;
    memset(u, 0, offsetof(pl_user, pages));
    u->more = more;
    u->more_cap = more_cap;
    u->id = id;
    pl->user_ids[pl->nusers - 1] = id;
    return u;
}

static inline bool user_add_page(pl_user *u, uint32_t page, uint32_t count)
{
    page_count *pc = u->npages > INLINE_PAGES ? u->more : u->pages;
    for (uint32_t i = 0; i < u->npages; i++) {
        if (pc[i].page == page) {
            pc[i].count += count;
            return true;
        }
    }
    if (u->npages == INLINE_PAGES) {
        if (!u->more) {
            u->more = malloc(2 * INLINE_PAGES * sizeof *u->more);
            if (!u->more)
                return false;
            u->more_cap = 2 * INLINE_PAGES;
        }
        memcpy(u->more, u->pages, sizeof u->pages);
        pc = u->more;
    } else if (u->npages > INLINE_PAGES && u->npages == u->more_cap) {
        page_count *nb = realloc(u->more, (size_t)u->more_cap * 2 * sizeof *nb);
        if (!nb)
            return false;
        u->more = pc = nb;
        u->more_cap *= 2;
    }
    pc[u->npages].page = page;
    pc[u->npages].count = count;
    u->npages++;
    return true;
}

static const page_count *user_pages(const pl_user *u)
{
    return u->npages > INLINE_PAGES ? u->more : u->pages;
}

/* ---- pages ----------------------------------------------------------------------------------- */

static inline uint64_t str_hash(const char *s, size_t n)
{
    uint64_t h = n * UINT64_C(0x9E3779B97F4A7C15), a, b;
    if (n >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, s, 4);
        memcpy(&y, s + n - 4, 4);
        a = x;
        b = y;
    } else {
        a = n ? (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8 |
                    (unsigned char)s[n - 1]
              : 0;
        b = 0;
    }
    if (n > 16) {
        for (size_t i = 8; i + 8 < n; i += 8) {
            uint64_t c;
            memcpy(&c, s + i, 8);
            h = (h ^ mix64(c)) * UINT64_C(0x9E3779B97F4A7C15);
        }
    }
    return mix64(h ^ mix64(a ^ (b * UINT64_C(0xC2B2AE3D27D4EB4F))));
}

static bool page_rehash(pipeline *pl, size_t slots)
{
    uint32_t *t = calloc(slots, sizeof *t);
    if (!t)
        return false;
    free(pl->page_slots);
    pl->page_slots = t;
    pl->page_mask = slots - 1;
    for (size_t i = 0; i < pl->npages; i++) {
        size_t h = pl->pages[i].hash & pl->page_mask;
        while (t[h])
            h = (h + 1) & pl->page_mask;
        t[h] = (uint32_t)i + 1;
    }
    return true;
}

/* a[0..n) == b[0..n), inline for the short strings pages are (overlapping word loads). */
static inline bool bytes_equal(const char *a, const char *b, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t x0, x1, y0, y1;
        memcpy(&x0, a, 8);
        memcpy(&y0, b, 8);
        memcpy(&x1, a + n - 8, 8);
        memcpy(&y1, b + n - 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t x0, x1, y0, y1;
        memcpy(&x0, a, 4);
        memcpy(&y0, b, 4);
        memcpy(&x1, a + n - 4, 4);
        memcpy(&y1, b + n - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    return memcmp(a, b, n) == 0;
}

/* The id of page string s[0..n), added on first sight; UINT32_MAX when out of memory. */
static uint32_t page_intern(pipeline *pl, const char *s, size_t n)
{
    uint64_t hash = str_hash(s, n);
    size_t h = hash & pl->page_mask;
    uint32_t slot;
    while ((slot = pl->page_slots[h]) != 0) {
        const pl_page *p = &pl->pages[slot - 1];
        if (p->hash == hash && p->len == n && bytes_equal(pl->page_bytes + p->off, s, n))
            return slot - 1;
        h = (h + 1) & pl->page_mask;
    }
    if (n > UINT32_MAX || pl->page_bytes_len + n > UINT32_MAX || pl->npages >= UINT32_MAX - 2)
        return UINT32_MAX;
    if (!grow((void **)&pl->pages, &pl->pages_cap, pl->npages + 1, sizeof *pl->pages, 64) ||
        !grow((void **)&pl->page_bytes, &pl->page_bytes_cap, pl->page_bytes_len + n + 1, 1, 4096))
        return UINT32_MAX;
    if ((pl->npages + 1) * 2 > pl->page_mask + 1) {
        if (!page_rehash(pl, (pl->page_mask + 1) * 2))
            return UINT32_MAX;
        return page_intern(pl, s, n);
    }
    memcpy(pl->page_bytes + pl->page_bytes_len, s, n);
    pl_page *p = &pl->pages[pl->npages];
    p->hash = hash;
    p->off = (uint32_t)pl->page_bytes_len;
    p->len = (uint32_t)n;
    pl->page_bytes_len += n;
    pl->page_slots[h] = (uint32_t)(pl->npages + 1);
    return (uint32_t)pl->npages++;
}

/* The words of a string of at most 16 bytes that, with its length, are the whole string: the
 * first and last 8 (or 4) bytes, overlapping, or for 3 bytes or fewer the bytes themselves. */
FAST_INLINE void page_key(const char *s, size_t n, uint64_t *a, uint64_t *b)
{
    if (n >= 8) {
        memcpy(a, s, 8);
        memcpy(b, s + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, s, 4);
        memcpy(&y, s + n - 4, 4);
        *a = x;
        *b = y;
    } else {
        *a = n ? (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8 | (unsigned char)s[n - 1]
               : 0;
        *b = 0;
    }
}

/* page_intern through the cache. */
FAST_INLINE uint32_t page_id(pipeline *pl, const char *s, size_t n)
{
    if (n > 16)
        return page_intern(pl, s, n);
    uint64_t a, b;
    page_key(s, n, &a, &b);
    pl_page_cache *c = &pl->page_cache[((a ^ (b * UINT64_C(0xC2B2AE3D27D4EB4F)) ^ n) * UINT64_C(0x9E3779B97F4A7C15)) >> 58];
    if (c->len == n && c->a == a && c->b == b)
        return c->id;
    uint32_t id = page_intern(pl, s, n);
    if (id != UINT32_MAX) {
        c->a = a;
        c->b = b;
        c->len = (uint32_t)n;
        c->id = id;
    }
    return id;
}

/* ---- reading events -------------------------------------------------------------------------- */

static bool key_is(const json_od_string *k, const char *lit, size_t n)
{
    return k->len == n && memcmp(k->ptr, lit, n) == 0;
}

#define KEY_IS(k, lit) key_is(k, lit, sizeof lit - 1)

/* The kept types by length: one inline compare (bytes_equal's word loads), no memcmp call. */
FAST_INLINE int classify_type(const json_od_string *s)
{
    switch (s->len) {
    case 5: return bytes_equal(s->ptr, "click", 5) ? T_CLICK : T_OTHER;
    case 6: return bytes_equal(s->ptr, "search", 6) ? T_SEARCH : T_OTHER;
    case 8: return bytes_equal(s->ptr, "purchase", 8) ? T_PURCHASE : T_OTHER;
    case 9: return bytes_equal(s->ptr, "page_view", 9) ? T_PAGE_VIEW : T_OTHER;
    case 11: return bytes_equal(s->ptr, "add_to_cart", 11) ? T_ADD_TO_CART : T_OTHER;
    default: return T_OTHER;
    }
}

static bool mistyped(pipeline *pl, size_t at, const char *field, const char *want, json_type got)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s must be %s, not %s", field, want,
             got == JSON_TRUE || got == JSON_FALSE ? "a boolean"
             : got == JSON_NULL                  ? "null"
             : got == JSON_NUMBER                ? "a number"
             : got == JSON_STRING                ? "a string"
             : got == JSON_ARRAY                 ? "an array"
                                                 : "an object");
    return json_od_fail(&pl->od, at, msg);
}

typedef struct {
    int64_t user, ts;
    int type;
    double amount;
    const char *page; /* NULL: absent, i.e. "" */
    size_t page_len;
    uint32_t page_id; /* UINT32_MAX: not interned yet */
    unsigned have;
} pl_event;

enum { HAVE_USER = 1, HAVE_TYPE = 2, HAVE_TS = 4, HAVE_META = 8 };

static bool read_metadata(pipeline *pl, pl_event *ev)
{
    json_od *od = &pl->od;
    json_type t = json_od_peek(od);
    size_t at = json_od_offset(od);
    if (t != JSON_OBJECT)
        return json_od_failed(od) ? false : mistyped(pl, at, "metadata", "an object", t);
    ev->page = NULL;
    ev->page_len = 0;
    ev->page_id = UINT32_MAX;
    ev->amount = 0.0;
    json_od_obj_begin(od);
    json_od_string key;
    for (size_t i = 0; json_od_obj_next(od, i, &key); i++) {
        if (KEY_IS(&key, "page")) {
            t = json_od_peek(od);
            at = json_od_offset(od);
            if (t != JSON_STRING)
                return json_od_failed(od) ? false : mistyped(pl, at, "metadata.page", "a string", t);
            json_od_string s;
            if (!json_od_str(od, &s))
                return false;
            ev->page = s.ptr;
            ev->page_len = s.len;
            ev->page_id = UINT32_MAX;
            /* Unescaped bytes live in the reader's scratch buffer only until the next string. */
            if (s.ptr < (const char *)od->start || s.ptr >= (const char *)od->end) {
                ev->page_id = page_intern(pl, s.ptr, s.len);
                if (ev->page_id == UINT32_MAX)
                    return pl_oom(pl);
            }
        } else if (KEY_IS(&key, "amount")) {
            t = json_od_peek(od);
            at = json_od_offset(od);
            if (t != JSON_NUMBER)
                return json_od_failed(od) ? false : mistyped(pl, at, "metadata.amount", "a number", t);
            json_od_number n;
            if (!json_od_num(od, &n))
                return false;
            ev->amount = n.num;
        } else if (!json_od_skip(od)) {
            return false;
        }
    }
    return !json_od_failed(od);
}

static bool read_event_general(pipeline *pl, pl_event *ev)
{
    json_od *od = &pl->od;
    json_type t = json_od_peek(od);
    size_t start = json_od_offset(od);
    if (t != JSON_OBJECT)
        return json_od_failed(od) ? false : mistyped(pl, start, "event", "an object", t);
    json_od_obj_begin(od);
    ev->have = 0;
    json_od_string key, s;
    json_od_number n;
    for (size_t i = 0; json_od_obj_next(od, i, &key); i++) {
        size_t at = (size_t)(json__od_ws(od->p, od->end) - od->start);
        switch (key.len) {
        case 7:
            if (!KEY_IS(&key, "user_id"))
                break;
            t = json_od_peek(od);
            if (t != JSON_NUMBER)
                return json_od_failed(od) ? false : mistyped(pl, at, "user_id", "an integer", t);
            if (!json_od_num(od, &n))
                return false;
            if (!n.is_int)
                return json_od_fail(od, at, "user_id must be an integer (no fraction or exponent) that fits 64 bits");
            ev->user = n.ival;
            ev->have |= HAVE_USER;
            continue;
        case 10:
            if (!KEY_IS(&key, "event_type"))
                break;
            t = json_od_peek(od);
            if (t != JSON_STRING)
                return json_od_failed(od) ? false : mistyped(pl, at, "event_type", "a string", t);
            if (!json_od_str(od, &s))
                return false;
            ev->type = classify_type(&s);
            ev->have |= HAVE_TYPE;
            continue;
        case 9:
            if (!KEY_IS(&key, "timestamp"))
                break;
            t = json_od_peek(od);
            if (t != JSON_STRING)
                return json_od_failed(od) ? false : mistyped(pl, at, "timestamp", "a string", t);
            if (!json_od_str(od, &s))
                return false;
            const char *why = pipeline_parse_timestamp(s.ptr, s.len, &ev->ts);
            if (why) {
                char msg[160];
                snprintf(msg, sizeof msg, "bad timestamp \"%.*s\": %s", s.len > 40 ? 40 : (int)s.len, s.ptr, why);
                return json_od_fail(od, at, msg);
            }
            ev->have |= HAVE_TS;
            continue;
        case 8:
            if (!KEY_IS(&key, "metadata"))
                break;
            if (!read_metadata(pl, ev))
                return false;
            ev->have |= HAVE_META;
            continue;
        default:
            break;
        }
        if (!json_od_skip(od))
            return false;
    }
    if (json_od_failed(od))
        return false;
    if (ev->have != (HAVE_USER | HAVE_TYPE | HAVE_TS | HAVE_META)) {
        const char *missing = !(ev->have & HAVE_USER) ? "user_id"
                              : !(ev->have & HAVE_TYPE) ? "event_type"
                              : !(ev->have & HAVE_TS)   ? "timestamp"
                                                        : "metadata";
        char msg[64];
        snprintf(msg, sizeof msg, "missing field '%s'", missing);
        return json_od_fail(od, start, msg);
    }
    return true;
}

/* json_od_arr_next, with the ", {" between two events in json.dumps' layout first. */
static inline bool next_event(json_od *od, size_t i)
{
    const unsigned char *p = od->p;
    if (i && od->end - p >= 3 && p[0] == ',' && p[1] == ' ' && p[2] == '{') {
        od->p = p + 2;
        return true;
    }
    return json_od_arr_next(od, i);
}

/* ---- the fast path: events in json.dumps' layout -------------------------------------------- *
 * Every generated event is written as
 *   {"user_id": INT, "event_type": STR, "timestamp": "YYYY-MM-DDTHH:MM:SS+HH:MM",
 *    "metadata": {"page": STR, "amount": NUM, OTHER: SCALAR, ...}}
 * read_event_fast reads exactly that shape with a local cursor: punctuation and keys are matched
 * as raw bytes, strings must be plain (ASCII without escapes or control characters), numbers
 * short (see fast_num), metadata's members in any order with page and amount at most once and
 * every other value a plain string, a short number, true, false or null. What it accepts is
 * valid JSON and it gives exactly the values read_event_general would give; at the first
 * surprise it returns NULL without touching the reader, and the caller reads the event the
 * general way (which also words any error). */

FAST_INLINE uint64_t load_n(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    memcpy(&v, p, n);
    return v;
}

/* p[0..n) == lit[0..n) with p + n <= end checked; for a constant lit, a few word compares.
 * Unoptimised gcc inlines the word path for literals shorter than 4 bytes too (the branch that
 * returns before it is not folded at -O0) and warns of a read past them that never happens. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
FAST_INLINE bool match_at(const unsigned char *p, const unsigned char *end, const char *lit, size_t n, bool chk)
{
    const unsigned char *l = (const unsigned char *)lit;
    if (chk && (size_t)(end - p) < n)
        return false;
    if (n < 4)
        return memcmp(p, lit, n) == 0;
    size_t w = n >= 8 ? 8 : 4, i = 0;
    uint64_t diff = 0;
    for (; i + w <= n; i += w)
        diff |= load_n(p + i, w) ^ load_n(l + i, w);
    if (i < n) /* the last word, overlapping the one before */
        diff |= load_n(p + n - w, w) ^ load_n(l + n - w, w);
    return diff == 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#define FAST_LIT(p, end, lit) (match_at(p, end, lit, sizeof lit - 1, true) ? (p) += sizeof lit - 1, true : false)
/* The same where the caller has checked that FAST_MARGIN bytes remain (see read_event_fast). */
#define FAST_LIT_U(p, lit) (match_at(p, NULL, lit, sizeof lit - 1, false) ? (p) += sizeof lit - 1, true : false)

/* Bytes that read_event_fast may read after one of its margin checks before the next one: at
 * most a literal of 17 bytes, a number (at most 20 bytes and an 8-byte load) and another literal
 * of 17 bytes, or the 57 bytes between event_type's string and metadata's first key. */
enum { FAST_MARGIN = 96 };

/* A plain string at p (just after its opening quote): the position of its closing quote, or
 * NULL when it holds a backslash, a control character or a byte >= 0x80 before the quote, or
 * does not end. */
FAST_INLINE const unsigned char *fast_str(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = json__scan_special(p, end);
    return q < end && *q == '"' ? q : NULL;
}

/* A number at p of one of the forms -?D (D: 1 to 18 digits without a leading zero, or "0") or
 * -?D.F (at most 15 digits in all), followed by a byte that cannot continue a number; NULL for
 * anything else. The value is the one json__parse_number gives: an integer below 10^18 exactly,
 * a decimal as an exact significand below 2^53 over an exact power of ten, correctly rounded. */
FAST_INLINE const unsigned char *fast_num_(const unsigned char *p, const unsigned char *end, json_od_number *out, bool chk)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    bool neg = (!chk || p < end) && *p == '-';
    p += neg;
    const unsigned char *digits = p;
    uint64_t v = 0;
    if ((!chk || p < end) && *p == '0') {
        p++;
    } else if ((!chk || end - p >= 8)) {
        /* up to 8 digits at once: the lanes before the first non-digit, as a number */
        uint64_t x = load_n(p, 8);
        uint64_t bad = ((x & UINT64_C(0xF0F0F0F0F0F0F0F0)) ^ UINT64_C(0x3030303030303030)) |
                       (((x + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) ^ UINT64_C(0x3030303030303030));
        /* (a lane after a byte >= 0xFA may look bad wrongly; only the first bad lane counts) */
        unsigned k = bad ? (unsigned)__builtin_ctzll(bad) / 8 : 8;
        if (k == 0)
            return NULL;
        x = (x & UINT64_C(0x0F0F0F0F0F0F0F0F)) << (8 * (8 - k)); /* k digits, behind 8 - k zeros */
        x = (x * 10 + (x >> 8)) & UINT64_C(0x00FF00FF00FF00FF);      /* pairs */
        x = (x * 100 + (x >> 16)) & UINT64_C(0x0000FFFF0000FFFF);    /* quads */
        v = (x * 10000 + (x >> 32)) & UINT64_C(0xFFFFFFFF);          /* eight */
        p += k;
        while ((!chk || p < end) && *p - (unsigned)'0' <= 9 && p - digits < 18)
            v = v * 10 + (uint64_t)(*p++ - '0');
    } else {
        while ((!chk || p < end) && *p - (unsigned)'0' <= 9 && p - digits < 18)
            v = v * 10 + (uint64_t)(*p++ - '0');
        if (p == digits)
            return NULL;
    }
    if ((chk && p >= end))
        return NULL; /* a number ends the input: leave it to the general path */
    if (*p - (unsigned)'0' > 9 && *p != '.' && *p != 'e' && *p != 'E') {
        out->ival = neg ? -(int64_t)v : (int64_t)v;
        out->num = neg ? -(double)v : (double)v; /* correctly rounded; "-0" is -0.0 */
        out->is_int = true;
        return p;
    }
#if FLT_EVAL_METHOD == 0
    if (*p == '.' && p - digits < 15) {
        const unsigned char *f = ++p;
        size_t room = 15 - (size_t)(f - 1 - digits);
        while ((!chk || p < end) && *p - (unsigned)'0' <= 9 && (size_t)(p - f) < room)
            v = v * 10 + (uint64_t)(*p++ - '0');
        if (p > f && (!chk || p < end) && *p - (unsigned)'0' > 9 && *p != 'e' && *p != 'E') {
            double d = (double)v / pow10[p - f];
            out->num = neg ? -d : d;
            out->ival = 0;
            out->is_int = false;
            return p;
        }
    }
#endif
    return NULL;
}

#define fast_num(p, end, out) fast_num_(p, end, out, true)
#define fast_num_u(p, out) fast_num_(p, NULL, out, false)

/* A metadata value that is not needed: a plain string, a short number or a literal. The caller
 * has checked that FAST_MARGIN bytes remain; a string is scanned with its own checks. */
FAST_INLINE const unsigned char *fast_skip(const unsigned char *p, const unsigned char *end)
{
    json_od_number n;
    switch (*p) {
    case '"': {
        const unsigned char *q = fast_str(p + 1, end);
        return q ? q + 1 : NULL;
    }
    case 't': return FAST_LIT_U(p, "true") ? p : NULL;
    case 'f': return FAST_LIT_U(p, "false") ? p : NULL;
    case 'n': return FAST_LIT_U(p, "null") ? p : NULL;
    default: return fast_num_u(p, &n);
    }
}

/* At least FAST_MARGIN bytes from p on: the checks between them are left out. */
#define FAST_ROOM(p, end) ((size_t)((end) - (p)) >= FAST_MARGIN)

static bool read_event_fast(pipeline *pl, pl_event *ev)
{
    json_od *od = &pl->od;
    const unsigned char *p = od->p, *end = od->end, *q;
    json_od_number n;
    json_od_string s;
    /* the event's object and its metadata: json_od_obj_begin's depth check; the last bytes of
     * the input (within FAST_MARGIN of its end) are left to the general path */
    if (od->max_depth - od->depth < 2 || !FAST_ROOM(p, end) || !FAST_LIT_U(p, "{\"user_id\": ") ||
        !(q = fast_num_u(p, &n)) || !n.is_int)
        return false;
    ev->user = n.ival;
    p = q;
    if (!FAST_LIT_U(p, ", \"event_type\": \"") || !(q = fast_str(p, end)))
        return false;
    s.ptr = (const char *)p;
    s.len = (size_t)(q - p);
    ev->type = classify_type(&s);
    p = q + 1;
    /* 25 bytes that parse as a timestamp are digits and punctuation, so with a quote after them
     * they are the whole string */
    if (!FAST_ROOM(p, end) || !FAST_LIT_U(p, ", \"timestamp\": \"") || p[25] != '"')
        return false;
#if defined(TS_SWAR)
    const char *why;
    if (!ts_fast25(p, &ev->ts, &why) || why)
        return false;
#else
    if (pipeline_parse_timestamp((const char *)p, 25, &ev->ts))
        return false;
#endif
    p += 26;
    if (!FAST_LIT_U(p, ", \"metadata\": {"))
        return false;
    ev->page = NULL;
    ev->page_len = 0;
    ev->page_id = UINT32_MAX;
    ev->amount = 0.0;
    if (*p != '}') {
        bool page = false, amount = false;
        for (;;) {
            if (!FAST_ROOM(p, end))
                return false;
            if (FAST_LIT_U(p, "\"page\": \"")) {
                if (page || !(q = fast_str(p, end)))
                    return false;
                page = true;
                ev->page = (const char *)p;
                ev->page_len = (size_t)(q - p);
                p = q + 1;
                if (!FAST_ROOM(p, end))
                    return false;
            } else if (FAST_LIT_U(p, "\"amount\": ")) {
                if (amount || !(q = fast_num_u(p, &n)))
                    return false;
                amount = true;
                ev->amount = n.num;
                p = q;
            } else {
                /* another key: plain, so compared as it is written */
                if (*p != '"' || !(q = fast_str(p + 1, end)))
                    return false;
                size_t klen = (size_t)(q - p - 1);
                if ((klen == 4 && !memcmp(p + 1, "page", 4)) || (klen == 6 && !memcmp(p + 1, "amount", 6)))
                    return false; /* "page" or "amount" written another way */
                p = q + 1;
                if (!FAST_ROOM(p, end) || !FAST_LIT_U(p, ": ") || !(p = fast_skip(p, end)) || !FAST_ROOM(p, end))
                    return false;
            }
            if (*p == '}')
                break;
            if (!FAST_LIT_U(p, ", "))
                return false;
        }
    }
    if (!FAST_LIT_U(p, "}}"))
        return false;
    od->p = p;
    ev->have = HAVE_USER | HAVE_TYPE | HAVE_TS | HAVE_META;
    return true;
}

static inline bool read_event(pipeline *pl, pl_event *ev)
{
    return (!pl->slow && read_event_fast(pl, ev)) || read_event_general(pl, ev);
}

static bool aggregate(pipeline *pl, pl_event *ev)
{
    pl_user *u = user_get(pl, ev->user);
    if (!u)
        return pl_oom(pl);
    if (ev->page_id == UINT32_MAX) {
        ev->page_id = ev->page ? page_id(pl, ev->page, ev->page_len) : page_id(pl, "", 0);
        if (ev->page_id == UINT32_MAX)
            return pl_oom(pl);
    }
    if (u->events == 0) {
        u->first = u->last = ev->ts;
    } else {
        if (ev->ts < u->first)
            u->first = ev->ts;
        if (ev->ts > u->last)
            u->last = ev->ts;
    }
    u->events++;
    u->total += ev->amount;
    u->high += ev->amount > 100.0;
    if (u->type_count[ev->type]++ == 0)
        u->type_order[u->ntypes++] = (uint8_t)ev->type;
    if (!user_add_page(u, ev->page_id, 1))
        return pl_oom(pl);
    if (pl->log_amounts && ev->amount != 0.0) {
        /* 0.0 and -0.0 are left out: adding either to a sum that starts at 0.0 changes nothing */
        if (pl->namounts >= UINT32_MAX - 1 ||
            !grow((void **)&pl->amounts, &pl->amounts_cap, pl->namounts + 1, sizeof *pl->amounts, 1024))
            return pl_oom(pl);
        pl->amounts[pl->namounts].next = u->amt_head;
        pl->amounts[pl->namounts].amount = ev->amount;
        u->amt_head = (uint32_t)++pl->namounts;
    }
    return true;
}

/* ---- the summary ----------------------------------------------------------------------------- */

static bool out_reserve(pipeline *pl, size_t extra)
{
    return grow((void **)&pl->out, &pl->out_cap, pl->out_len + extra + 1, 1, 1 << 16);
}

static void out_put(pipeline *pl, const char *s, size_t n)
{
    memcpy(pl->out + pl->out_len, s, n);
    pl->out_len += n;
}

#define OUT_LIT(pl, lit) out_put(pl, lit, sizeof lit - 1)

static void out_u64(pipeline *pl, uint64_t v)
{
    pl->out_len = (size_t)(pyf_put_u64(pl->out + pl->out_len, v, 1) - pl->out);
}

static void out_i64(pipeline *pl, int64_t v)
{
    if (v < 0) {
        pl->out[pl->out_len++] = '-';
        out_u64(pl, (uint64_t)0 - (uint64_t)v);
    } else {
        out_u64(pl, (uint64_t)v);
    }
}

/* repr of a float that is a whole number of hundredths (as round2 gives) of magnitude 0.01 to
 * 1e13: those digits, since within 1e13 doubles are closer than 0.01 apart, so no shorter
 * decimal reads back as the same double; 0 when d is not such a float. */
static size_t hundredths_repr(double d, char *out)
{
    double a = d < 0 ? -d : d;
    if (!(a >= 0.01 && a < 1e13))
        return 0;
    uint64_t n = (uint64_t)(a * 100.0 + 0.5);
    if ((double)n / 100.0 != a) /* n and 100 exact: a correctly rounded quotient */
        return 0;
    char t[24];
    size_t k = 0;
    unsigned frac = (unsigned)(n % 100);
    uint64_t whole = n / 100;
    if (frac % 10 == 0) {
        t[k++] = (char)('0' + frac / 10);
    } else {
        t[k++] = (char)('0' + frac % 10);
        t[k++] = (char)('0' + frac / 10);
    }
    t[k++] = '.';
    do {
        t[k++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    size_t len = 0;
    if (d < 0)
        out[len++] = '-';
    while (k)
        out[len++] = t[--k];
    return len;
}

static void out_float(pipeline *pl, double d)
{
    size_t n = hundredths_repr(d, pl->out + pl->out_len);
    pl->out_len += n ? n : pipeline_float_repr(d, pl->out + pl->out_len);
}

/* json.dumps' string (ensure_ascii): everything outside ' '..'~' as an escape, code points above
 * U+FFFF as surrogate pairs. s is valid UTF-8 (the reader checked). At most 6 bytes per byte. */
static void out_pystr(pipeline *pl, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str, *end = s + n;
    char *o = pl->out + pl->out_len;
    *o++ = '"';
    while (s < end) {
        unsigned c = *s;
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            *o++ = (char)c;
            s++;
            continue;
        }
        unsigned cp;
        if (c < 0x80) {
            s++;
            cp = c;
            const char *short_esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                                  : c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
            if (short_esc) {
                *o++ = short_esc[0];
                *o++ = short_esc[1];
                continue;
            }
        } else if (c < 0xE0) {
            cp = (c & 0x1Fu) << 6 | (s[1] & 0x3Fu);
            s += 2;
        } else if (c < 0xF0) {
            cp = (c & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
            s += 3;
        } else {
            cp = (c & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
            s += 4;
        }
        unsigned units[2] = {cp, 0};
        int nu = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int i = 0; i < nu; i++) {
            *o++ = '\\';
            *o++ = 'u';
            *o++ = hex[units[i] >> 12 & 15];
            *o++ = hex[units[i] >> 8 & 15];
            *o++ = hex[units[i] >> 4 & 15];
            *o++ = hex[units[i] & 15];
        }
    }
    *o++ = '"';
    pl->out_len = (size_t)(o - pl->out);
}

static int cmp_user_id(const void *a, const void *b, void *ctx)
{
    const int64_t *ids = ctx;
    int64_t x = ids[*(const uint32_t *)a], y = ids[*(const uint32_t *)b];
    return (x > y) - (x < y);
}

/* pl->order: the users by id. Ids are distinct, so when they span a range not much larger than
 * their number each one is placed by its id directly; otherwise, sorted. */
static bool order_users(pipeline *pl)
{
    size_t n = pl->nusers;
    if (n == 0)
        return true;
    const int64_t *ids = pl->user_ids;
    int64_t lo = ids[0], hi = lo;
    bool sorted = true;
    for (size_t i = 1; i < n; i++) {
        int64_t id = ids[i];
        sorted &= id > ids[i - 1];
        lo = id < lo ? id : lo;
        hi = id > hi ? id : hi;
    }
    uint64_t span = (uint64_t)hi - (uint64_t)lo; /* ids - lo, as unsigned: 0 to span */
    if (sorted) {
        for (size_t i = 0; i < n; i++)
            pl->order[i] = (uint32_t)i;
    } else if (span < 4 * (uint64_t)n + 4096) {
        if (!grow((void **)&pl->rank, &pl->rank_cap, (size_t)span + 1, sizeof *pl->rank, 4096))
            return false;
        uint32_t *rank = pl->rank;
        memset(rank, 0, ((size_t)span + 1) * sizeof *rank);
        for (size_t i = 0; i < n; i++)
            rank[(uint64_t)ids[i] - (uint64_t)lo] = (uint32_t)i + 1;
        size_t k = 0;
        for (size_t r = 0; r <= span; r++)
            if (rank[r])
                pl->order[k++] = rank[r] - 1;
    } else {
        for (size_t i = 0; i < n; i++)
            pl->order[i] = (uint32_t)i;
        qsort_r(pl->order, n, sizeof *pl->order, cmp_user_id, (void *)ids);
    }
    return true;
}

/* The most the head can take: its words, three 20-digit counts and a 24-byte float. A run over
 * several threads writes its users after this much room and the head last, into the room. */
enum { SUMMARY_HEAD_ROOM = 256 };

/* The summary's text up to its users' list, from pl->totals, appended to pl->out. */
static bool summary_head_text(pipeline *pl)
{
    const pipeline_totals *t = &pl->totals;
    if (!out_reserve(pl, SUMMARY_HEAD_ROOM))
        return false;
    OUT_LIT(pl, "{\"total_users\": ");
    out_u64(pl, t->users);
    OUT_LIT(pl, ", \"total_events\": ");
    out_u64(pl, t->events);
    OUT_LIT(pl, ", \"total_amount\": ");
    out_float(pl, t->amount);
    OUT_LIT(pl, ", \"total_high_value\": ");
    out_u64(pl, t->high_value);
    OUT_LIT(pl, ", \"users\": [");
    return true;
}

/* The totals, the users' order and the summary's text up to its users' list. */
static bool summary_head(pipeline *pl)
{
    pipeline_totals *t = &pl->totals;
    double sum = 0.0;
    uint64_t events = 0, high = 0;
    for (size_t i = 0; i < pl->nusers; i++) {
        sum += pl->users[i].total;
        events += pl->users[i].events;
        high += pl->users[i].high;
    }
    t->users = pl->nusers;
    t->events = events;
    t->high_value = high;
    t->amount = pipeline_round2(sum);
    if (!grow((void **)&pl->order, &pl->order_cap, pl->nusers + 1, sizeof *pl->order, 1024) || !order_users(pl))
        return false;
    pl->out_start = pl->out_len = 0;
    return summary_head_text(pl);
}

/* User u, the k-th of the summary's users, appended to pl's text; its pages are in pages and
 * page_bytes (pl's own or the merging pipeline's). */
static bool summary_user(pipeline *pl, const pl_user *u, size_t k, const pl_page *pages, const char *page_bytes)
{
    int top_type = u->type_order[0];
    for (int i = 1; i < u->ntypes; i++)
        if (u->type_count[u->type_order[i]] > u->type_count[top_type])
            top_type = u->type_order[i];
    const page_count *pc = user_pages(u);
    uint32_t top_page = 0;
    for (uint32_t i = 1; i < u->npages; i++)
        if (pc[i].count > pc[top_page].count)
            top_page = i;
    const pl_page *pg = &pages[pc[top_page].page];
    if (!out_reserve(pl, 400 + 6 * (size_t)pg->len))
        return false;
    if (k)
        OUT_LIT(pl, ", ");
    OUT_LIT(pl, "{\"user_id\": ");
    out_i64(pl, u->id);
    OUT_LIT(pl, ", \"event_count\": ");
    out_u64(pl, u->events);
    OUT_LIT(pl, ", \"total_amount\": ");
    out_float(pl, pipeline_round2(u->total));
    OUT_LIT(pl, ", \"high_value_count\": ");
    out_u64(pl, u->high);
    OUT_LIT(pl, ", \"duration_seconds\": ");
    out_float(pl, pipeline_round2((double)u->last - (double)u->first));
    OUT_LIT(pl, ", \"top_event_type\": \"");
    out_put(pl, TYPE_UPPER[top_type], strlen(TYPE_UPPER[top_type]));
    OUT_LIT(pl, "\", \"top_page\": ");
    out_pystr(pl, page_bytes + pg->off, pg->len);
    OUT_LIT(pl, "}");
    return true;
}

/* The users pl->order[from..to) of pl's summary, appended to its text. */
static bool summary_users(pipeline *pl, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (!summary_user(pl, &pl->users[pl->order[k]], k, pl->pages, pl->page_bytes))
            return false;
    return true;
}

static bool summary_tail(pipeline *pl)
{
    if (!out_reserve(pl, 2))
        return false;
    OUT_LIT(pl, "]}");
    pl->out[pl->out_len] = '\0';
    return true;
}

static bool summarize(pipeline *pl)
{
    return summary_head(pl) && summary_users(pl, 0, pl->nusers) && summary_tail(pl);
}

/* ---- a run ----------------------------------------------------------------------------------- */

static bool reset_tables(pipeline *pl)
{
    pl->nusers = 0;
    pl->npages = 0;
    pl->page_bytes_len = 0;
    pl->oom = false;
    if (!pl->user_slots && !user_rehash(pl, 1024))
        return false;
    if (!pl->page_slots && !page_rehash(pl, 64))
        return false;
    memset(pl->user_slots, 0, (pl->user_mask + 1) * sizeof *pl->user_slots);
    memset(pl->page_slots, 0, (pl->page_mask + 1) * sizeof *pl->page_slots);
    for (size_t i = 0; i < PAGE_CACHE; i++)
        pl->page_cache[i].len = UINT32_MAX;
    return true;
}

static int fail_out(pipeline *pl, pipeline_error *err, bool has_position)
{
    if (!err)
        return -1;
    memset(err, 0, sizeof *err);
    err->event = pl->event;
    err->after = pl->after;
    if (!has_position || pl->oom) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        err->event = -1;
        err->after = false;
        return -1;
    }
    json_error je;
    json_od_error(&pl->od, &je);
    err->offset = je.offset;
    err->line = je.line;
    err->column = je.column;
    snprintf(err->msg, sizeof err->msg, "%s", je.msg);
    return -1;
}

static size_t chunk_claim(pipeline *h, size_t at);

/* Reads events from the reader's position (just after '[', or at an event) until the array
 * ends or an event starts at or after offset stop, which is left unread. Returns that event's
 * offset, or SIZE_MAX when the array ended or reading failed (json_od_failed tells which).
 * Reading a chunk that other threads may split (pl->claim), stop is only how far the reader has
 * claimed it; chunk_claim then says whether to go on and how far. */
static size_t read_events(pipeline *pl, size_t stop)
{
    json_od *od = &pl->od;
    pl_event ev;
    for (size_t i = 0; next_event(od, i); i++) {
        size_t at = (size_t)(od->p - od->start);
        if (at >= stop && (!pl->claim || at >= (stop = chunk_claim(pl, at))))
            return at;
        pl->event = (int64_t)i;
        pl->after = false;
        if (!read_event(pl, &ev))
            break;
        if (ev.type != T_OTHER && ev.ts >= pl->window_lo && ev.ts <= pl->window_hi && !aggregate(pl, &ev))
            break;
        pl->after = true;
    }
    return SIZE_MAX;
}

static int run_serial(pipeline *pl, const char *buf, size_t len, pipeline_error *err)
{
    json_od *od = &pl->od;
    json_od_reset(od, buf, len);
    pl->event = -1;
    pl->after = false;
    pl->out_start = pl->out_len = 0;
    pl->last_chunks = 1;
    pl->last_redone = 0;
    pl->last_stolen = 0;
    if (!reset_tables(pl))
        return fail_out(pl, err, false);
    size_t at = json_od_offset(od);
    json_type t = json_od_peek(od);
    if (t != JSON_ARRAY) {
        if (!json_od_failed(od))
            mistyped(pl, at, "the input", "a JSON array of events", t);
        return fail_out(pl, err, true);
    }
    json_od_arr_begin(od);
    read_events(pl, SIZE_MAX);
    if (json_od_failed(od))
        return fail_out(pl, err, true);
    pl->event = -1;
    pl->after = false;
    if (!json_od_finish(od))
        return fail_out(pl, err, true);
    if (!summarize(pl))
        return fail_out(pl, err, false);
    return 0;
}

/* ---- a run over several threads ---------------------------------------------------------- *
 * The array is cut where an event plausibly starts: a '{' whose previous bytes, whitespace
 * aside, are ',' and '}'. That may be inside a string (or a nested array), so nothing trusts it:
 * chunk k reads from its start until the first event at or after chunk k + 1's start, and the
 * split holds only when that event starts exactly there. Chunk 0 starts at the array itself, so
 * by induction every accepted start is a real event boundary, found by reading every byte before
 * it. A start that does not hold costs that chunk: after the threads, its tables read again from
 * where the chunk before it really ended. Each chunk is aggregated in its own tables, by
 * whichever thread takes it; the merge takes chunks in order, so
 * users, event types and pages keep the order in which the whole array first reaches them, and
 * replays each later chunk's amounts onto the running sums in event order, so that every double
 * sum is the one a single thread computes. Anything else unexpected (bad input, no memory) is
 * left to the single-threaded run, which then gives the summary or words
 * the error exactly as it always does.
 *
 * A thread that ends its chunk while another still has much to read takes the back half of what
 * that one has not yet claimed, cut at the next plausible event start, as a new chunk (chunk_steal):
 * the split in proportion to the threads' last speeds is only a forecast, and on a shared machine a
 * core's speed can change by a third from one run to the next. Readers claim their chunk a
 * claim_step ahead of where they read, under the queue's lock, so that a thief cuts only what its
 * owner will not read; a cut, like any other start, holds only when the chunk before it stops
 * there. Each new chunk costs a merge, so only a remainder of STEAL_CHUNKS minimum chunks (1 MiB
 * by default) is cut, and a run cuts at most once a thread. */

enum {
    PIPELINE_MIN_CHUNK = 1 << 17,
    PIPELINE_MAX_THREADS = 64,
    PIPELINE_MAX_CHUNKS = 2 * PIPELINE_MAX_THREADS,
    STEAL_CHUNKS = 8,
};

static inline bool is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* The first offset at or after from where an event plausibly starts (see above), a '{' before
 * a key's quote; len if none. */
static size_t next_boundary(const char *buf, size_t from, size_t len)
{
    for (size_t i = from; i < len; i++) {
        const char *q = memchr(buf + i, '{', len - i);
        if (!q)
            return len;
        i = (size_t)(q - buf);
        size_t j = i + 1;
        while (j < len && is_ws(buf[j]))
            j++;
        if (j >= len || buf[j] != '"')
            continue;
        j = i;
        while (j > 0 && is_ws(buf[j - 1]))
            j--;
        if (j == 0 || buf[j - 1] != ',')
            continue;
        j--;
        while (j > 0 && is_ws(buf[j - 1]))
            j--;
        if (j > 0 && buf[j - 1] == '}')
            return i;
    }
    return len;
}

/* Where reading a chunk stopped: chunk_end is the offset of the event it stopped before, or
 * SIZE_MAX at the array's end (then with nothing but whitespace after it); chunk_ok when it read
 * without error. */
static void chunk_stopped(pipeline *h, size_t stopped)
{
    json_od *od = &h->od;
    h->chunk_end = stopped;
    h->chunk_ok = !json_od_failed(od) && (stopped != SIZE_MAX || json_od_finish(od));
}

/* Starts h reading at offset pos of its chunk's buffer, inside the top-level array. */
static bool chunk_begin(pipeline *h, size_t pos)
{
    json_od *od = &h->od;
    json_od_reset(od, h->chunk_buf, h->chunk_len);
    h->chunk_ok = false;
    h->namounts = 0;
    h->event = -1;
    if (!reset_tables(h))
        return false;
    od->p = (const unsigned char *)h->chunk_buf + pos;
    od->depth = 1;
    return true;
}

/* Chunk c's start was not an event boundary: h (chunk c's tables) reads again from pos, the
 * boundary where the chunks before it really ended, on through the following chunks until it
 * stops exactly where one of them starts (*next, whose own reading then holds) or at the array's
 * end (*next = nchunks). False on an error: the one-thread run will word it. */
static bool chunk_redo(pipeline *h, size_t pos, const size_t *starts, size_t c, size_t nchunks, size_t *next)
{
    if (!chunk_begin(h, pos))
        return false;
    for (size_t d = c + 1;; d++) {
        size_t stop = d < nchunks ? starts[d] : SIZE_MAX;
        chunk_stopped(h, read_events(h, stop));
        if (!h->chunk_ok)
            return false;
        if (h->chunk_end == SIZE_MAX || h->chunk_end == stop) {
            *next = h->chunk_end == SIZE_MAX ? nchunks : d;
            return true;
        }
    }
}

/* pl's index of the user with this id, or UINT32_MAX: user_get's lookup, which adds nothing, so
 * that threads may look up together. */
static uint32_t user_find(const pipeline *pl, int64_t id)
{
    size_t h = mix64((uint64_t)id) & pl->user_mask;
    for (uint32_t s; (s = pl->user_slots[h]) != 0; h = (h + 1) & pl->user_mask)
        if (pl->user_ids[s - 1] == id)
            return s - 1;
    return UINT32_MAX;
}

/* The merge maps each helper's users and pages to pl's, which hold every chunk before it: first
 * share i of n of each helper's users looked up (on every thread; UINT32_MAX in h->user_map
 * where pl has none yet), then, on one thread, map_rest. */
static void map_lookup(const pipeline *pl, pipeline *const *merged, size_t nmerged, size_t i, size_t n)
{
    for (size_t c = 0; c < nmerged; c++) {
        pipeline *h = merged[c];
        size_t per = h->nusers / n, to = i + 1 < n ? per * (i + 1) : h->nusers;
        for (size_t j = per * i; j < to; j++)
            h->user_map[j] = user_find(pl, h->users[j].id);
    }
}

/* The helpers' pages, and the users pl did not have, added to pl's tables, helpers in chunk order
 * and each in the order its chunk reached them, so pl's users keep the order in which the whole
 * array first reaches them (the summary's total sums in it). */
static bool map_rest(pipeline *pl, pipeline *const *merged, size_t nmerged)
{
    for (size_t c = 0; c < nmerged; c++) {
        pipeline *h = merged[c];
        for (size_t j = 0; j < h->npages; j++) {
            uint32_t id = page_intern(pl, h->page_bytes + h->pages[j].off, h->pages[j].len);
            if (id == UINT32_MAX)
                return false;
            h->page_map[j] = id;
        }
        for (size_t j = 0; j < h->nusers; j++) {
            if (h->user_map[j] != UINT32_MAX)
                continue;
            pl_user *u = user_get(pl, h->users[j].id); /* a user new in an earlier helper is found */
            if (!u)
                return false;
            h->user_map[j] = (uint32_t)(u - pl->users);
        }
    }
    return true;
}

/* After map_rest, on one thread: the summary's order of pl's users and each user's place in
 * it, room for the merged totals, and each helper's map back from pl's users to its own. */
static bool shares_prepare(pipeline *pl, pipeline *const *merged, size_t nmerged)
{
    size_t n = pl->nusers;
    if (!grow((void **)&pl->order, &pl->order_cap, n + 1, sizeof *pl->order, 1024) || !order_users(pl) ||
        !grow((void **)&pl->rank_of, &pl->rank_of_cap, n + 1, sizeof *pl->rank_of, 1024) ||
        !grow((void **)&pl->tot_rank, &pl->tot_rank_cap, n + 1, sizeof *pl->tot_rank, 1024))
        return false;
    for (size_t k = 0; k < n; k++)
        pl->rank_of[pl->order[k]] = (uint32_t)k;
    for (size_t c = 0; c < nmerged; c++) {
        pipeline *h = merged[c];
        if (!grow((void **)&h->rev, &h->rev_cap, n + 1, sizeof *h->rev, 1024))
            return false;
        memset(h->rev, 0, n * sizeof *h->rev);
        for (size_t j = 0; j < h->nusers; j++)
            h->rev[h->user_map[j]] = (uint32_t)j + 1;
    }
    return true;
}

/* What a share reads of a merged helper, copied out of its struct, whose out_len another
 * thread may be writing. */
typedef struct {
    const uint32_t *rev, *page_map;
    const pl_user *users;
    const pl_amount *amounts;
} merge_src;

/* *m = the merging pipeline's user ui (of users) with every merged helper's counts, pages and
 * amounts added, helpers in chunk order and amounts in event order, so that it ends as the
 * one-thread run leaves it (its double total summed in the same order). t is the share's
 * scratch: m's pages past INLINE_PAGES are in t->scratch_more, and stay there. */
static bool user_merged(pipeline *t, const pl_user *users, const merge_src *src, size_t nmerged, uint32_t ui,
                        pl_user *m)
{
    const pl_user *u0 = &users[ui];
    *m = *u0;
    m->more = t->scratch_more;
    m->more_cap = t->scratch_more_cap;
    if (u0->npages > INLINE_PAGES) {
        if (m->more_cap < u0->npages) {
            uint32_t cap = u0->npages > 2 * INLINE_PAGES ? u0->npages : 2 * INLINE_PAGES;
            page_count *nb = realloc(m->more, (size_t)cap * sizeof *nb);
            if (!nb)
                return false;
            t->scratch_more = m->more = nb;
            t->scratch_more_cap = m->more_cap = cap;
        }
        memcpy(m->more, u0->more, u0->npages * sizeof *m->more);
    }
    bool ok = true;
    for (size_t c = 0; c < nmerged && ok; c++) {
        uint32_t j = src[c].rev[ui];
        if (!j)
            continue;
        const pl_user *hu = &src[c].users[j - 1];
        if (m->events == 0) {
            m->first = hu->first;
            m->last = hu->last;
        } else {
            m->first = hu->first < m->first ? hu->first : m->first;
            m->last = hu->last > m->last ? hu->last : m->last;
        }
        m->events += hu->events;
        m->high += hu->high;
        for (int i = 0; i < hu->ntypes; i++) {
            int type = hu->type_order[i];
            if (m->type_count[type] == 0)
                m->type_order[m->ntypes++] = (uint8_t)type;
            m->type_count[type] += hu->type_count[type];
        }
        const page_count *pc = user_pages(hu);
        for (uint32_t i = 0; i < hu->npages && ok; i++)
            ok = user_add_page(m, src[c].page_map[pc[i].page], pc[i].count);
        /* the helper chains each user's amounts newest first */
        size_t na = 0;
        for (uint32_t a = hu->amt_head; a && ok; a = src[c].amounts[a - 1].next) {
            ok = grow((void **)&t->amt_stack, &t->amt_stack_cap, na + 1, sizeof *t->amt_stack, 64);
            if (ok)
                t->amt_stack[na++] = a - 1;
        }
        while (na)
            m->total += src[c].amounts[t->amt_stack[--na]].amount;
    }
    if (m->more != t->scratch_more || m->more_cap != t->scratch_more_cap) { /* user_add_page grew it */
        t->scratch_more = m->more;
        t->scratch_more_cap = m->more_cap;
    }
    return ok;
}

/* Users are read in the summary's order, all over the arrays: the lines of the one SHARE_AHEAD
 * places on are asked for early. */
enum { SHARE_AHEAD = 8 };

static inline void user_prefetch(const pl_user *u)
{
    const char *p = (const char *)u;
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
    __builtin_prefetch(p + 128);
    __builtin_prefetch(p + sizeof *u - 1);
}

/* A share of the summary, on any thread: the users in places [t->fmt_from, t->fmt_to) of pl's
 * order, each merged (user_merged) and written to t's text; their merged totals go to
 * pl->tot_rank and their counts to t->fmt_events and fmt_high. Each thread reads the users it
 * writes and nothing else of pl's users, so that no line of them moves between cores twice. */
static bool summary_share(pipeline *t, const pipeline *pl, pipeline *const *merged, size_t nmerged)
{
    merge_src src[PIPELINE_MAX_CHUNKS];
    for (size_t c = 0; c < nmerged; c++)
        src[c] = (merge_src){.rev = merged[c]->rev,
                             .page_map = merged[c]->page_map,
                             .users = merged[c]->users,
                             .amounts = merged[c]->amounts};
    const uint32_t *order = pl->order;
    const pl_user *users = pl->users;
    const pl_page *pages = pl->pages;
    const char *page_bytes = pl->page_bytes;
    double *tot = pl->tot_rank;
    uint64_t events = 0, high = 0;
    for (size_t k = t->fmt_from, to = t->fmt_to; k < to; k++) {
        if (k + SHARE_AHEAD < to) {
            uint32_t ua = order[k + SHARE_AHEAD];
            user_prefetch(&users[ua]);
            for (size_t c = 0; c < nmerged; c++)
                if (src[c].rev[ua])
                    user_prefetch(&src[c].users[src[c].rev[ua] - 1]);
        }
        pl_user m;
        if (!user_merged(t, users, src, nmerged, order[k], &m) || !summary_user(t, &m, k, pages, page_bytes))
            return false;
        tot[k] = m.total;
        events += m.events;
        high += m.high;
    }
    t->fmt_events = events;
    t->fmt_high = high;
    return true;
}

/* Chunk 0: from the array's '[' to the event at or after stop, in pl's own tables. */
static void first_chunk(pipeline *pl, const char *buf, size_t len, size_t stop)
{
    json_od *od = &pl->od;
    json_od_reset(od, buf, len);
    pl->event = -1;
    pl->after = false;
    pl->out_len = 0;
    pl->chunk_ok = false;
    if (reset_tables(pl) && json_od_peek(od) == JSON_ARRAY && json_od_arr_begin(od))
        chunk_stopped(pl, read_events(pl, stop));
}

/* A chunk being read: from start to the first event at or after limit. */
typedef struct pl_chunk {
    pipeline *h;    /* its tables: the merging pipeline's for chunk 0, a helper's for the others */
    size_t start;
    size_t limit;   /* under the queue's lock: a thief may lower it, down to claimed */
    size_t claimed; /* under the lock: h reads events that start before it without asking */
} pl_chunk;

/* Chunk 0 is the calling thread's, which merges the others after it; the others, one a thread,
 * are handed out in order to whichever thread asks next, and then each thread cuts chunks off the
 * others (chunk_steal). A chunk costs a merge: about 0.9M instructions at blog size (5,000 users;
 * callgrind), against 31M a thread for the reading, so the first cut is one a thread. */
typedef struct chunk_queue {
    pipeline *pl;
    const char *buf;
    size_t len;
    size_t nfirst; /* the chunks cut before reading, one a thread */
    atomic_size_t next;
    pthread_mutex_t mu;
    pl_chunk chunks[PIPELINE_MAX_CHUNKS]; /* nchunks of them, under mu */
    size_t nchunks, max_chunks;
    size_t claim_step, steal_min;
    size_t nthreads;
    bool spin; /* the threads have a CPU each (the pool's judgement): waits spin, see wait_until */
    double ms[PIPELINE_MAX_THREADS]; /* per thread: the CPU time and bytes of its chunks */
    size_t bytes[PIPELINE_MAX_THREADS];
    atomic_size_t idle;     /* workers done with the chunks */
    /* 0 reading, 1 looking up users, 2 merging and writing the summary's users, 3 the run failed */
    atomic_size_t phase;
    atomic_size_t done; /* workers done with the run */
    size_t fmt_n;       /* threads writing users in phase 2 */
    /* the helpers to merge, in chunk order, and phase 1's nshares shares of the lookups, handed
     * out in order to whichever thread asks next (a worker that another process keeps off its
     * CPU then holds up no one: the others take its share) */
    pipeline *merged[PIPELINE_MAX_CHUNKS];
    size_t nmerged, nshares;
    atomic_size_t look_next, look_done;
} chunk_queue;

/* CPU time of the calling thread, in ms: what a chunk cost, whatever else ran on its core. */
static double thread_cpu_ms(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
        return 0.0;
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* How far h may read its chunk past at: the next claim_step bytes, up to the limit; at when the
 * chunk ends before at (the event there is left unread). */
static size_t chunk_claim(pipeline *h, size_t at)
{
    chunk_queue *q = h->chunk_q;
    pl_chunk *c = h->claim;
    pthread_mutex_lock(&q->mu);
    size_t stop = at;
    if (at < c->limit)
        stop = c->claimed = c->limit - at > q->claim_step ? at + q->claim_step : c->limit;
    pthread_mutex_unlock(&q->mu);
    return stop;
}

/* Chunk c, on thread `thread`: chunk 0 from the array's '[', the others from their start. */
static void chunk_read(chunk_queue *q, pl_chunk *c, size_t thread)
{
    pipeline *h = c->h;
    double t0 = thread_cpu_ms();
    h->chunk_q = q;
    h->claim = c;
    if (c == &q->chunks[0]) {
        first_chunk(h, q->buf, q->len, 0);
    } else {
        h->chunk_buf = q->buf;
        h->chunk_len = q->len;
        if (chunk_begin(h, c->start))
            chunk_stopped(h, read_events(h, c->start));
    }
    h->claim = NULL;
    pthread_mutex_lock(&q->mu);
    c->claimed = c->limit; /* nothing more to cut, whyever it stopped */
    size_t bytes = c->limit - c->start;
    pthread_mutex_unlock(&q->mu);
    q->ms[thread] += thread_cpu_ms() - t0;
    q->bytes[thread] += bytes;
}

/* A new chunk cut off the back of the chunk with the most unclaimed bytes, when that is at least
 * steal_min; NULL when there is none to cut (or no room for another chunk). */
static pl_chunk *chunk_steal(chunk_queue *q)
{
    for (int tries = 0; tries < 8; tries++) {
        pthread_mutex_lock(&q->mu);
        pl_chunk *v = NULL;
        size_t most = 0;
        for (size_t i = 0; i < q->nchunks; i++) {
            size_t left = q->chunks[i].limit - q->chunks[i].claimed;
            if (left > most) {
                most = left;
                v = &q->chunks[i];
            }
        }
        if (!v || most < q->steal_min || q->nchunks == q->max_chunks) {
            pthread_mutex_unlock(&q->mu);
            return NULL;
        }
        size_t from = v->claimed + most / 2, limit = v->limit;
        pthread_mutex_unlock(&q->mu);
        size_t cut = next_boundary(q->buf, from, limit); /* outside the lock: it may scan far */
        if (cut >= limit)
            return NULL;
        pthread_mutex_lock(&q->mu);
        pl_chunk *c = NULL;
        if (v->limit == limit && v->claimed <= cut && q->nchunks < q->max_chunks) {
            c = &q->chunks[q->nchunks];
            *c = (pl_chunk){.h = q->pl->helpers[q->nchunks - 1], .start = cut, .limit = limit, .claimed = cut};
            q->nchunks++;
            v->limit = cut;
        }
        pthread_mutex_unlock(&q->mu);
        if (c)
            return c;
    }
    return NULL;
}

/* A thread's reading: chunks cut before the run, in order while any are left, then chunks cut off
 * the others while there are any to cut. */
static void chunk_worker(chunk_queue *q, size_t thread)
{
    for (size_t c; (c = atomic_fetch_add(&q->next, 1)) < q->nfirst;)
        chunk_read(q, &q->chunks[c], thread);
    for (pl_chunk *c; (c = chunk_steal(q));)
        chunk_read(q, c, thread);
}

/* The share of the input for chunk 0 in the next run of n chunks. Every chunk must be read before
 * the merge can start (it takes chunks in order), so the threads should end their reading
 * together: from this run's speeds (the calling thread's first_ms over first_len bytes, the
 * others' rest_ms over the rest), chunk 0's share x of len bytes does that when
 * x r0 = (len - x) r1 / (n - 1). Cutting chunks off others mends a forecast that was wrong, at the
 * cost of a merge, so the forecast is still worth making.
 * Thread CPU times, so that a neighbour on one CPU does not move the split. Moved halfway there
 * each run (times vary), between half and one and a half even shares. (Taking the merge's time
 * off chunk 0, as this did before, only left the calling thread waiting about that long for the
 * others, 0.7 ms of a 9.5 ms run on 2 threads at blog size.) */
static void balance_first_chunk(pipeline *pl, size_t n, size_t len, size_t first_len, double first_ms,
                                double rest_ms)
{
    double even = 1.0 / (double)n, want = even;
    if (first_len > 0 && first_len < len && first_ms > 0.0 && rest_ms > 0.0) {
        double r0 = first_ms / (double)first_len, r1 = rest_ms / (double)(len - first_len) / (double)(n - 1);
        want = r1 / (r0 + r1);
    }
    want = want < even / 2 ? even / 2 : want > even * 1.5 ? even * 1.5 : want;
    pl->first_share = pl->first_share_n == n ? (pl->first_share + want) / 2 : want;
    pl->first_share_n = n;
}

static int cmp_chunk_start(const void *a, const void *b)
{
    size_t x = ((const pl_chunk *)a)->start, y = ((const pl_chunk *)b)->start;
    return x < y ? -1 : x > y;
}

/* After the reading: chunks in order of their starts, each from where the chunks before it
 * really ended, listed in q->merged with room for their maps; n chunks were planned. False when
 * the one-thread run must take over. */
static bool merge_chunks(pipeline *pl, chunk_queue *q, size_t n)
{
    size_t k = q->nchunks;
    qsort(q->chunks + 1, k - 1, sizeof *q->chunks, cmp_chunk_start); /* chunk 0 starts at 0 */
    size_t starts[PIPELINE_MAX_CHUNKS + 1];
    for (size_t c = 0; c < k; c++)
        starts[c] = q->chunks[c].start;
    starts[k] = SIZE_MAX;
    if (!pl->chunk_ok)
        return false;
    size_t end = pl->chunk_end;
    int redone = 0;
    for (size_t c = 1; c < k && end != SIZE_MAX;) {
        pipeline *h = q->chunks[c].h;
        size_t next = c + 1;
        if (end != starts[c]) { /* starts[c] was inside a string or a nested value */
            if (!chunk_redo(h, end, starts, c, k, &next))
                return false;
            redone++;
        } else if (!h->chunk_ok) {
            return false;
        }
        if (!grow((void **)&h->page_map, &h->page_map_cap, h->npages + 1, sizeof *h->page_map, 64) ||
            !grow((void **)&h->user_map, &h->user_map_cap, h->nusers + 1, sizeof *h->user_map, 1024))
            return false;
        q->merged[q->nmerged++] = h;
        end = h->chunk_end;
        c = next;
    }
    if (end != SIZE_MAX)
        return false;
    if (q->nfirst == n) {
        double rest_ms = 0.0;
        size_t total = 0;
        for (size_t t = 0; t < q->nthreads; t++) {
            rest_ms += t ? q->ms[t] : 0.0;
            total += q->bytes[t];
        }
        balance_first_chunk(pl, n, total, q->bytes[0], q->ms[0], rest_ms);
    }
    pl->last_redone = redone;
    pl->last_stolen = (int)(k - q->nfirst);
    return true;
}

/* Waits until *v reaches want (cpu_waiter: spinning while the threads have a CPU each). */
static void wait_until(const chunk_queue *q, atomic_size_t *v, size_t want)
{
    for (cpu_waiter w = cpu_waiter_make(q->spin); atomic_load_explicit(v, memory_order_acquire) < want;)
        cpu_waiter_pause(&w);
}

/* Shares of the lookups while any are left. */
static void lookup_shares(chunk_queue *q)
{
    for (size_t i; (i = atomic_fetch_add_explicit(&q->look_next, 1, memory_order_relaxed)) < q->nshares;) {
        map_lookup(q->pl, q->merged, q->nmerged, i, q->nshares);
        atomic_fetch_add_explicit(&q->look_done, 1, memory_order_release);
    }
}

/* A worker's part of a run: chunks from the queue; shares of the lookups (phase 1); once the
 * calling thread has added what they did not find and ordered the users, its share of the
 * summary's users (phase 2), merged as it writes them; nothing once the run failed (phase 3).
 * One thread does all, so nothing waits for threads to be woken again. */
static void team_work(chunk_queue *q, size_t index)
{
    chunk_worker(q, index);
    atomic_fetch_add_explicit(&q->idle, 1, memory_order_release);
    wait_until(q, &q->phase, 1);
    if (atomic_load_explicit(&q->phase, memory_order_acquire) == 1)
        lookup_shares(q);
    wait_until(q, &q->phase, 2);
    if (atomic_load_explicit(&q->phase, memory_order_acquire) == 2 && index < q->fmt_n) {
        pipeline *h = q->pl->helpers[index - 1];
        h->out_len = 0;
        h->fmt_ok = summary_share(h, q->pl, q->merged, q->nmerged);
    }
    atomic_fetch_add_explicit(&q->done, 1, memory_order_release);
}

/* The workers: threads - 1 of them (cpu_pool.h), started by the first run that splits (the
 * warm-up, in the rungs) and kept until pipeline_free. Each spins 2 ms after a run: runs back to
 * back, as timed, never find it asleep. */
enum { PIPELINE_POOL_SPIN_NS = 2000000 };
static void team_run(void *q, size_t index)
{
    team_work(q, index);
}

/* 0 with the summary made over several threads; -1 when the run should be single-threaded. */
static int run_parallel(pipeline *pl, const char *buf, size_t len)
{
    size_t min_chunk = pl->min_chunk ? pl->min_chunk : PIPELINE_MIN_CHUNK;
    size_t threads = (size_t)pl->threads, n = threads;
    if (len / min_chunk < n)
        n = len / min_chunk;
    if (n < 2)
        return -1;
    size_t starts[PIPELINE_MAX_THREADS];
    size_t k = 1;
    starts[0] = 0;
    /* chunk 0 gets first_share of the bytes (see balance_first_chunk), the others even shares */
    double first = pl->first_share_n == n ? pl->first_share : 1.0 / (double)n;
    size_t first_len = (size_t)((double)len * first);
    for (size_t c = 1; c < n; c++) {
        size_t target = first_len + (len - first_len) / (n - 1) * (c - 1);
        size_t b = next_boundary(buf, target > starts[k - 1] ? target : starts[k - 1] + 1, len);
        if (b >= len)
            break;
        starts[k++] = b;
    }
    if (k < 2)
        return -1;
    size_t max_chunks = k + threads; /* a cut a thread */
    if ((size_t)pl->nhelpers < max_chunks - 1) {
        pipeline **hs = realloc(pl->helpers, (max_chunks - 1) * sizeof *hs);
        if (!hs)
            return -1;
        pl->helpers = hs;
        while ((size_t)pl->nhelpers < max_chunks - 1) {
            if (!(hs[pl->nhelpers] = pipeline_new()))
                return -1;
            if (pl->scanner[0])
                json_od_use_scanner(&hs[pl->nhelpers]->od, pl->scanner);
            hs[pl->nhelpers++]->log_amounts = true;
        }
    }
    for (size_t c = 0; c < max_chunks - 1; c++) {
        pipeline *h = pl->helpers[c];
        h->slow = pl->slow;
        h->chunk_ok = false;
    }
    pl->chunk_ok = false;
    /* every worker takes part in every run, those without a chunk or users only in the counts */
    size_t nworkers = cpu_pool_resize(&pl->pool, threads - 1, PIPELINE_POOL_SPIN_NS);
    chunk_queue q = {.pl = pl, .buf = buf, .len = len, .nfirst = k, .nchunks = k, .max_chunks = max_chunks};
    q.claim_step = min_chunk / 2 ? min_chunk / 2 : 1;
    q.steal_min = STEAL_CHUNKS * min_chunk;
    q.nthreads = nworkers + 1;
    q.spin = nworkers && atomic_load_explicit(&pl->pool->spin, memory_order_relaxed);
    for (size_t c = 0; c < k; c++)
        q.chunks[c] = (pl_chunk){.h = c ? pl->helpers[c - 1] : pl,
                                 .start = starts[c],
                                 .limit = c + 1 < k ? starts[c + 1] : len,
                                 .claimed = starts[c]};
    if (pthread_mutex_init(&q.mu, NULL) != 0)
        return -1;
    atomic_init(&q.next, 1); /* chunk 0 is this thread's, which merges the others after it */
    atomic_init(&q.idle, 0);
    atomic_init(&q.phase, 0);
    atomic_init(&q.look_next, 0);
    atomic_init(&q.look_done, 0);
    atomic_init(&q.done, 0);
    if (nworkers)
        cpu_pool_start(pl->pool, team_run, &q);
    chunk_read(&q, &q.chunks[0], 0);
    chunk_worker(&q, 0); /* then the queue, with what a worker not yet running would take */
    wait_until(&q, &q.idle, nworkers);
    /* the lookups on every thread; map_rest and the order on this one; then each thread merges
     * the users of its share of the summary as it writes them */
    q.nshares = nworkers + 1;
    bool ok = merge_chunks(pl, &q, n);
    if (ok) {
        atomic_store_explicit(&q.phase, 1, memory_order_release);
        lookup_shares(&q);
        wait_until(&q, &q.look_done, q.nshares);
        ok = map_rest(pl, q.merged, q.nmerged) && shares_prepare(pl, q.merged, q.nmerged);
    }
    size_t workers = nworkers + 1;
    size_t users = pl->nusers, fmt_n = workers < users ? workers : users ? users : 1;
    for (size_t c = 1; ok && c < fmt_n; c++) {
        pipeline *h = pl->helpers[c - 1];
        h->fmt_from = users / fmt_n * c;
        h->fmt_to = c + 1 < fmt_n ? users / fmt_n * (c + 1) : users;
        h->fmt_ok = false;
    }
    q.fmt_n = ok ? fmt_n : 0;
    atomic_store_explicit(&q.phase, ok ? 2 : 3, memory_order_release);
    /* this thread's users go after room for the head, which needs every share's sums */
    pl->out_start = pl->out_len = 0;
    ok = ok && out_reserve(pl, SUMMARY_HEAD_ROOM);
    if (ok) {
        pl->out_len = SUMMARY_HEAD_ROOM;
        pl->fmt_from = 0;
        pl->fmt_to = fmt_n > 1 ? users / fmt_n : users;
        ok = summary_share(pl, pl, q.merged, q.nmerged);
    }
    wait_until(&q, &q.done, nworkers); /* q is on this stack, and the helpers' text is read below */
    pthread_mutex_destroy(&q.mu);
    uint64_t events = pl->fmt_events, high = pl->fmt_high;
    for (size_t c = 1; ok && c < fmt_n; c++) {
        pipeline *h = pl->helpers[c - 1];
        ok = h->fmt_ok && out_reserve(pl, h->out_len);
        if (ok)
            out_put(pl, h->out, h->out_len);
        events += h->fmt_events;
        high += h->fmt_high;
    }
    if (!ok || !summary_tail(pl))
        return -1;
    double sum = 0.0; /* in the users' first-seen order, as summary_head sums */
    for (size_t i = 0; i < users; i++)
        sum += pl->tot_rank[pl->rank_of[i]];
    pl->totals = (pipeline_totals){.users = users, .events = events, .high_value = high, .amount = pipeline_round2(sum)};
    size_t end = pl->out_len;
    if (!summary_head_text(pl) || pl->out_len - end > SUMMARY_HEAD_ROOM)
        return -1;
    size_t head = pl->out_len - end;
    pl->out_start = SUMMARY_HEAD_ROOM - head;
    memcpy(pl->out + pl->out_start, pl->out + end, head);
    pl->out_len = end;
    pl->out[end] = '\0';
    pl->event = -1;
    pl->last_chunks = (int)q.nchunks;
    return 0;
}

int pipeline_run(pipeline *pl, const char *buf, size_t len, pipeline_error *err)
{
    if (pl->threads > 1 && buf && run_parallel(pl, buf, len) == 0)
        return 0;
    return run_serial(pl, buf, len, err);
}

void pipeline_set_threads(pipeline *pl, int threads)
{
    pl->threads = threads < 1 ? 1 : threads > PIPELINE_MAX_THREADS ? PIPELINE_MAX_THREADS : threads;
}

bool pipeline_use_scanner(pipeline *pl, const char *name)
{
    if (strlen(name) >= sizeof pl->scanner || !json_od_use_scanner(&pl->od, name))
        return false;
    strcpy(pl->scanner, name);
    for (int i = 0; i < pl->nhelpers; i++)
        json_od_use_scanner(&pl->helpers[i]->od, name);
    return true;
}

void pipeline_set_min_chunk(pipeline *pl, size_t bytes)
{
    pl->min_chunk = bytes;
}

int pipeline_last_chunks(const pipeline *pl)
{
    return pl->last_chunks;
}

int pipeline_last_stolen(const pipeline *pl)
{
    return pl->last_stolen;
}

int pipeline_last_redone(const pipeline *pl)
{
    return pl->last_redone;
}

void pipeline_set_fast(pipeline *pl, bool on)
{
    pl->slow = !on;
}

const char *pipeline_summary(const pipeline *pl, size_t *len)
{
    if (len)
        *len = pl->out ? pl->out_len - pl->out_start : 0;
    return pl->out ? pl->out + pl->out_start : "";
}

void pipeline_get_totals(const pipeline *pl, pipeline_totals *out)
{
    *out = pl->totals;
}

void pipeline_error_format(const pipeline_error *err, const char *prefix, char *out, size_t cap)
{
    if (!out || !cap)
        return;
    if (!prefix)
        prefix = "<events>";
    if (err->line == 0)
        snprintf(out, cap, "%s: %s", prefix, err->msg);
    else if (err->event >= 0 && err->after)
        snprintf(out, cap, "%s:%zu:%zu (byte %zu, after event %lld): %s", prefix, err->line, err->column,
                 err->offset, (long long)err->event, err->msg);
    else if (err->event < 0)
        snprintf(out, cap, "%s:%zu:%zu (byte %zu): %s", prefix, err->line, err->column, err->offset, err->msg);
    else
        snprintf(out, cap, "%s:%zu:%zu (byte %zu, event %lld): %s", prefix, err->line, err->column, err->offset,
                 (long long)err->event, err->msg);
}
