/* The json-corpus problem's shared pieces for C and C++ rungs (docs/specs/json-corpus.md):
 * splitting the input bundle into its files and the canonical digest of a walk. Header-only;
 * a corpus_digest owns its text stream's buffer (corpus_digest_free releases it), the files
 * that corpus_split finds point into the caller's bundle. */
#ifndef LADDER_CORPUS_H
#define LADDER_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS_MAX_FILES 64
/* The digest's modulus, the largest prime below 2^64; 2^64 = CORPUS_FOLD (mod CORPUS_P). */
#define CORPUS_P UINT64_C(18446744073709551557)
#define CORPUS_FOLD 59u

typedef struct {
    const char *name; /* not NUL-terminated */
    size_t name_len;
    const char *data;
    size_t len;
} corpus_file;

/* The bundle: per file a line "json-corpus NAME BYTES\n" and then exactly BYTES bytes. Returns
 * the number of files (at least one), or -1 with a sentence in err. */
static inline int corpus_split(const char *buf, size_t len, corpus_file *files, size_t cap, char *err, size_t errcap)
{
    static const char magic[] = "json-corpus ";
    size_t off = 0, n = 0;
    while (off < len) {
        const char *line = buf + off, *name = line + sizeof magic - 1;
        const char *nl = (const char *)memchr(line, '\n', len - off);
        /* the name starts after the magic and ends at the next space, before the newline */
        const char *sp = nl && nl > name && memcmp(line, magic, sizeof magic - 1) == 0
                             ? (const char *)memchr(name, ' ', (size_t)(nl - name))
                             : NULL;
        if (!sp || sp == name) {
            snprintf(err, errcap, "byte %zu: expected a line \"json-corpus NAME BYTES\"", off);
            return -1;
        }
        uint64_t size = 0;
        const char *p = sp + 1;
        if (p == nl) {
            snprintf(err, errcap, "byte %zu: no byte count", off);
            return -1;
        }
        for (; p < nl; p++) {
            if (*p < '0' || *p > '9' || size > (UINT64_MAX - 9) / 10) {
                snprintf(err, errcap, "byte %zu: bad byte count", off);
                return -1;
            }
            size = size * 10 + (uint64_t)(*p - '0');
        }
        size_t start = (size_t)(nl + 1 - buf);
        if (size > len - start || n == cap) {
            snprintf(err, errcap, n == cap ? "more than %zu files" : "byte %zu: the file is cut short",
                     n == cap ? cap : off);
            return -1;
        }
        files[n].name = name;
        files[n].name_len = (size_t)(sp - files[n].name);
        files[n].data = buf + start;
        files[n].len = (size_t)size;
        n++;
        off = start + (size_t)size;
    }
    if (n == 0) {
        snprintf(err, errcap, "the bundle holds no files");
        return -1;
    }
    return (int)n;
}

/* t (mod CORPUS_P), for t < 2^96: 2^64 = CORPUS_FOLD folds the high word in. */
static inline uint64_t corpus_reduce(unsigned __int128 t)
{
    uint64_t lo = (uint64_t)t, hi = (uint64_t)(t >> 64);
    unsigned __int128 u = (unsigned __int128)lo + (unsigned __int128)hi * CORPUS_FOLD;
    uint64_t r = (uint64_t)u + (uint64_t)(u >> 64) * CORPUS_FOLD; /* cannot wrap: the low word is then small */
    return r >= CORPUS_P ? r - CORPUS_P : r;
}

/* h * 2^64 + w (mod CORPUS_P), for h < CORPUS_P: one step of reading a big-endian number. */
static inline uint64_t corpus_step(uint64_t h, uint64_t w)
{
    return corpus_reduce((unsigned __int128)h * CORPUS_FOLD + w);
}

/* Four steps at once, words w0 to w3 in stream order, with one reduction (2^(64k) = 59^k): a
 * long stream's chain of dependent multiplies, which bounds its speed, is a quarter as long. */
static inline uint64_t corpus_step4(uint64_t h, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    typedef unsigned __int128 u128;
    const uint64_t f = CORPUS_FOLD, f2 = f * f, f3 = f2 * f, f4 = f3 * f;
    return corpus_reduce((u128)h * f4 + (u128)w0 * f3 + (u128)w1 * f2 + (u128)w2 * f + w3); /* < 2^89 */
}

typedef struct {
    unsigned char *x; /* the text stream: tags and strings */
    size_t xlen, xcap;
    uint64_t hn;      /* the number stream, folded four numbers at a time as they come */
    uint64_t npend[4]; /* the numbers not yet folded: the first numbers % 4 */
    uint64_t objects, arrays, strings, numbers, literals;
    bool oom;
} corpus_digest;

static inline void corpus_digest_reset(corpus_digest *d)
{
    d->xlen = 0;
    d->hn = 0;
    d->objects = d->arrays = d->strings = d->numbers = d->literals = 0;
    d->oom = false;
}

static inline void corpus_digest_free(corpus_digest *d)
{
    free(d->x);
    d->x = NULL;
    d->xlen = d->xcap = 0;
}

static inline bool corpus_grow(corpus_digest *d, size_t more)
{
    size_t cap = d->xcap ? d->xcap : 4096;
    while (cap - d->xlen < more)
        cap *= 2;
    unsigned char *g = (unsigned char *)realloc(d->x, cap);
    if (!g) {
        d->oom = true;
        return false;
    }
    d->x = g;
    d->xcap = cap;
    return true;
}

/* The text stream is written 8 bytes at a time, each store reaching up to 7 bytes past what it
 * means to write (the next store writes over them; the buffer keeps that much room), through an
 * unaligned unsigned long long rather than bytes: a tag or a short string is a store or a few
 * instead of a call to memcpy, and a reader walking the input alongside need not reload its
 * state after each one, as it must after a byte store, which may alias anything. */
typedef unsigned long long corpus_word __attribute__((aligned(1)));
enum { CORPUS_SLACK = 8 };

/* Words number their bytes from the low end, as they lie in memory on a little-endian machine. */
static inline unsigned long long corpus_le(unsigned long long w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(w);
#else
    return w;
#endif
}

static inline void corpus_put8(unsigned char *p, unsigned long long w)
{
    *(corpus_word *)p = corpus_le(w);
}

static inline unsigned long long corpus_get(const unsigned char *p, size_t n) /* n is 4 or 8 */
{
    unsigned long long w = 0;
    memcpy(&w, p, n);
    return corpus_le(w);
}

/* A tag: { } [ ] t f n, or # for a number. */
static inline void corpus_tag(corpus_digest *d, unsigned char tag)
{
    if (d->xcap - d->xlen < CORPUS_SLACK && !corpus_grow(d, CORPUS_SLACK))
        return;
    corpus_put8(d->x + d->xlen++, tag);
}

/* A string (key or value) after unescaping: '"', its UTF-8 bytes, 0xFF. */
static inline void corpus_chars(corpus_digest *d, const char *s, size_t n)
{
    if (d->xcap - d->xlen < n + 2 + CORPUS_SLACK && !corpus_grow(d, n + 2 + CORPUS_SLACK))
        return;
    unsigned char *p = d->x + d->xlen;
    const unsigned char *u = (const unsigned char *)s;
    corpus_put8(p, '"');
    if (n >= 8) { /* whole words, the last one ending at the string's end */
        for (size_t i = 0; i + 8 < n; i += 8)
            corpus_put8(p + 1 + i, corpus_get(u + i, 8));
        corpus_put8(p + 1 + n - 8, corpus_get(u + n - 8, 8));
    } else if (n >= 4) { /* two overlapping halves */
        corpus_put8(p + 1, corpus_get(u, 4) | corpus_get(u + n - 4, 4) << 8 * (n - 4));
    } else if (n) {
        corpus_put8(p + 1, (unsigned long long)u[0] | (unsigned long long)u[n / 2] << 8 * (n / 2) |
                               (unsigned long long)u[n - 1] << 8 * (n - 1));
    }
    corpus_put8(p + 1 + n, 0xFF);
    d->xlen += n + 2;
}

static inline void corpus_object(corpus_digest *d) { d->objects++; corpus_tag(d, '{'); }
static inline void corpus_array(corpus_digest *d) { d->arrays++; corpus_tag(d, '['); }
static inline void corpus_string(corpus_digest *d, const char *s, size_t n) { d->strings++; corpus_chars(d, s, n); }
static inline void corpus_key(corpus_digest *d, const char *s, size_t n) { corpus_chars(d, s, n); }
static inline void corpus_literal(corpus_digest *d, unsigned char tag) { d->literals++; corpus_tag(d, tag); }

/* A number as its correctly rounded double; + 0.0 makes -0 into +0 (libraries that keep integers
 * as int64 cannot tell them apart). */
static inline void corpus_number(corpus_digest *d, double v)
{
    double c = v + 0.0;
    uint64_t bits;
    memcpy(&bits, &c, sizeof bits);
    d->npend[d->numbers++ & 3] = bits;
    if ((d->numbers & 3) == 0)
        d->hn = corpus_step4(d->hn, d->npend[0], d->npend[1], d->npend[2], d->npend[3]);
    corpus_tag(d, '#');
}

/* The text stream as a big-endian number (zero-padded to whole 8-byte words) mod CORPUS_P. */
static inline uint64_t corpus_text_digest(const corpus_digest *d)
{
    uint64_t h = 0;
    size_t i = 0;
    for (; i + 32 <= d->xlen; i += 32) {
        uint64_t w[4];
        memcpy(w, d->x + i, 32);
        h = corpus_step4(h, __builtin_bswap64(w[0]), __builtin_bswap64(w[1]), __builtin_bswap64(w[2]),
                         __builtin_bswap64(w[3]));
    }
    for (; i + 8 <= d->xlen; i += 8) {
        uint64_t w;
        memcpy(&w, d->x + i, 8);
        h = corpus_step(h, __builtin_bswap64(w));
    }
    if (i < d->xlen) {
        unsigned char last[8] = {0};
        memcpy(last, d->x + i, d->xlen - i);
        uint64_t w;
        memcpy(&w, last, 8);
        h = corpus_step(h, __builtin_bswap64(w));
    }
    return h;
}

/* The file's canonical line (without the newline) into out; the text stream's digest is taken
 * here, so call it inside the timed region when the timing should include it. */
typedef struct {
    uint64_t text, numbers;
} corpus_sum;

static inline corpus_sum corpus_finish(const corpus_digest *d)
{
    uint64_t hn = d->hn;
    for (uint64_t k = 0; k < (d->numbers & 3); k++)
        hn = corpus_step(hn, d->npend[k]);
    corpus_sum s = {corpus_text_digest(d), hn};
    return s;
}

static inline int corpus_print(FILE *f, const corpus_file *file, const corpus_digest *d, corpus_sum s)
{
    uint64_t values = d->objects + d->arrays + d->strings + d->numbers + d->literals;
    return fprintf(f, "%.*s bytes %zu values %llu objects %llu arrays %llu strings %llu numbers %llu literals %llu "
                      "digest %016llx %016llx\n",
                   (int)file->name_len, file->name, file->len, (unsigned long long)values,
                   (unsigned long long)d->objects, (unsigned long long)d->arrays, (unsigned long long)d->strings,
                   (unsigned long long)d->numbers, (unsigned long long)d->literals, (unsigned long long)s.text,
                   (unsigned long long)s.numbers) < 0 ? -1 : 0;
}

#endif
