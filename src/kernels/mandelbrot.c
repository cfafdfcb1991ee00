#include "kern_simd.h"
#include "kernels.h"
#include "kern_threads.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MB_ITER 50

typedef kern_v4d v4d;
typedef kern_v4l v4l;

/* The reference images were made with a separate multiply and add; an FMA changes pixels on the
 * set's edge. An empty asm makes each product opaque, so no -ffp-contract setting can fuse it. */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define NO_FUSE(v) __asm__("" : "+x"(v))
#elif defined(__GNUC__) && defined(__aarch64__)
#define NO_FUSE(v) __asm__("" : "+w"(v))
#else
#define NO_FUSE(v) ((void)0)
#endif
/* gcc builds the SSE2 level for SSE2 alone, which has no FMA, and splits a v4d in two registers
 * that no asm operand can name; clang builds it for the file's -march, which may have FMA. */
#if defined(__clang__) && defined(__FMA__)
#define NO_FUSE_SSE2(v) NO_FUSE(v)
#else
#define NO_FUSE_SSE2(v) ((void)0)
#endif

typedef struct mb_ctx mb_ctx;
typedef void (*mb_row_fn)(const mb_ctx *c, int y, uint8_t *row);

struct mb_ctx {
    int n;
    size_t row_bytes;
    uint8_t *bits;
    const double *cr;
    mb_row_fn row;
    atomic_int next_row;
};

/* One row, 8 pixels at a time, each iterated until it escapes (escaped points only grow, as
 * |c| < 2, so stopping there cannot change a bit): the scalar level. */
#ifdef KERN_X86
KERN_LEVEL(KERN_T_BASE) static void row_scalar(const mb_ctx *c, int y, uint8_t *row)
{
    double ci = 2.0 * y / c->n - 1.0;
    for (size_t b = 0; b < c->row_bytes; b++) {
        unsigned byte = 0;
        for (int k = 0; k < 8; k++) {
            double cr = c->cr[8 * b + (size_t)k], zr = 0, zi = 0, tr = 0, ti = 0;
            int it = 0;
            for (; it < MB_ITER && tr + ti <= 4.0; it++) {
                double t = (zr + zr) * zi;
                NO_FUSE(t);
                zr = tr - ti + cr;
                zi = t + ci;
                tr = zr * zr;
                NO_FUSE(tr);
                ti = zi * zi;
                NO_FUSE(ti);
            }
            byte = byte << 1 | (tr + ti <= 4.0);
        }
        row[b] = (uint8_t)byte;
    }
    if (c->n % 8)
        row[c->row_bytes - 1] &= (uint8_t)(0xff << (8 - c->n % 8));
}
#endif

/* 4 * vecs pixels of one row per step, MSB first; bit set where z stays bounded for 50
 * iterations, all escaped checked every 5. A row of groups, the last one through tmp. */
#define MB_ROW(name, T, vecs, NO_FUSE)                                                                      \
    T static inline void name##_pixels(const double *cr_row, double ci_s, uint8_t *out)              \
    {                                                                                                \
        v4d cr[vecs], zr[vecs], zi[vecs], tr[vecs], ti[vecs];                                        \
        const v4d ci = {ci_s, ci_s, ci_s, ci_s}, four = {4, 4, 4, 4};                                \
        for (int v = 0; v < vecs; v++) {                                                             \
            cr[v] = *(const v4d *)&cr_row[4 * v];                                                    \
            zr[v] = zi[v] = tr[v] = ti[v] = (v4d){0, 0, 0, 0};                                       \
        }                                                                                            \
        for (int it = 0; it < MB_ITER; it += 5) {                                                    \
            for (int k = 0; k < 5; k++)                                                              \
                for (int v = 0; v < vecs; v++) {                                                     \
                    v4d t = (zr[v] + zr[v]) * zi[v];                                                 \
                    NO_FUSE(t);                                                                      \
                    v4d r = tr[v] - ti[v] + cr[v], i = t + ci;                                       \
                    v4d r2 = r * r, i2 = i * i;                                                      \
                    NO_FUSE(r2);                                                                     \
                    NO_FUSE(i2);                                                                     \
                    zr[v] = r;                                                                       \
                    zi[v] = i;                                                                       \
                    tr[v] = r2;                                                                      \
                    ti[v] = i2;                                                                      \
                }                                                                                    \
            v4l all = (v4l){-1, -1, -1, -1};                                                         \
            for (int v = 0; v < vecs; v++)                                                           \
                all &= (v4l)(tr[v] + ti[v] > four);                                                  \
            if ((all[0] & all[1] & all[2] & all[3]) != 0)                                            \
                break;                                                                               \
        }                                                                                            \
        const v4l hi = {128, 64, 32, 16}, lo = {8, 4, 2, 1};                                         \
        for (int b = 0; b < vecs / 2; b++) {                                                         \
            v4l in = ((v4l)(tr[2 * b] + ti[2 * b] <= four) & hi) |                                   \
                     ((v4l)(tr[2 * b + 1] + ti[2 * b + 1] <= four) & lo);                            \
            out[b] = (uint8_t)(in[0] | in[1] | in[2] | in[3]);                                       \
        }                                                                                            \
    }                                                                                                \
    KERN_LEVEL(T) static void name(const mb_ctx *c, int y, uint8_t *row)                             \
    {                                                                                                \
        const size_t pix = 4 * (vecs), groups = ((size_t)c->n + pix - 1) / pix;                      \
        uint8_t tmp[(vecs) / 2];                                                                     \
        double ci = 2.0 * y / c->n - 1.0;                                                            \
        for (size_t g = 0; g < groups; g++) {                                                        \
            size_t off = g * (pix / 8);                                                              \
            if (off + pix / 8 <= c->row_bytes) {                                                     \
                name##_pixels(c->cr + g * pix, ci, row + off);                                       \
            } else {                                                                                 \
                name##_pixels(c->cr + g * pix, ci, tmp);                                             \
                memcpy(row + off, tmp, c->row_bytes - off);                                          \
            }                                                                                        \
        }                                                                                            \
        if (c->n % 8)                                                                                \
            row[c->row_bytes - 1] &= (uint8_t)(0xff << (8 - c->n % 8));                              \
    }

#define MB_MAX_PIX 32 /* the widest step's pixels: cr is padded to a multiple of it */
#ifdef KERN_X86
MB_ROW(row_sse2, KERN_T_SSE2, 4, NO_FUSE_SSE2)
MB_ROW(row_avx2, KERN_T_AVX2, 4, NO_FUSE) /* 16 pixels, 2 output bytes */
/* With AVX-512's 32 vector registers, 32 pixels stay in registers. clang (14 and zig cc's 22)
 * gains nothing from 8 and zig's clang spills with it: N=8000 took 0.58 s against 0.33 s with
 * 4; gcc runs 8 faster than 4 (0.30 s against 0.35 s). */
#if defined(__clang__)
MB_ROW(row_avx512, KERN_T_AVX512, 4, NO_FUSE)
#else
MB_ROW(row_avx512, KERN_T_AVX512, 8, NO_FUSE)
#endif
#define MB_LEVELS (KERN_HAS(KERN_SIMD_SSE2) | KERN_HAS(KERN_SIMD_AVX2) | KERN_HAS(KERN_SIMD_AVX512))
#else
/* Elsewhere the portable level is the generic vectors, which the compiler maps to the native
 * SIMD (NEON on arm64), as before there were levels. */
MB_ROW(row_scalar, , 4, NO_FUSE)
#define MB_LEVELS 0u
#endif

kern_simd kern_mandelbrot_simd(void)
{
    return kern_simd_pick(MB_LEVELS);
}

static mb_row_fn row_for(kern_simd level)
{
    switch (level) {
#ifdef KERN_X86
    case KERN_SIMD_AVX512: return row_avx512;
    case KERN_SIMD_AVX2: return row_avx2;
    case KERN_SIMD_SSE2: return row_sse2;
#endif
    default: return row_scalar;
    }
}

static void worker(kern_team *team, int tid, void *arg)
{
    (void)team;
    (void)tid;
    mb_ctx *c = arg;
    for (;;) {
        int y = atomic_fetch_add(&c->next_row, 1);
        if (y >= c->n)
            break;
        c->row(c, y, c->bits + (size_t)y * c->row_bytes);
    }
}

size_t kern_mandelbrot_size(int n)
{
    return n > 0 ? (size_t)n * (((size_t)n + 7) / 8) : 0;
}

int kern_mandelbrot(int n, int threads, uint8_t *bits)
{
    int nt = kern_threads_resolve(threads);
    if (n < 1 || n > (1 << 20) || nt < 0 || !bits)
        return -EINVAL;
    if (nt > n)
        nt = n;
    size_t padded = ((size_t)n + MB_MAX_PIX - 1) / MB_MAX_PIX * MB_MAX_PIX;
    double *cr = aligned_alloc(32, padded * sizeof(double));
    if (!cr)
        return -ENOMEM;
    for (size_t x = 0; x < padded; x++)
        cr[x] = 2.0 * (double)x / n - 1.5;
    mb_ctx c = {.n = n, .row_bytes = ((size_t)n + 7) / 8, .bits = bits, .cr = cr,
                .row = row_for(kern_mandelbrot_simd())};
    atomic_init(&c.next_row, 0);
    int rc = kern_team_run(nt, worker, &c);
    free(cr);
    return rc;
}

int kern_mandelbrot_format(int n, const uint8_t *bits, FILE *f)
{
    if (n < 1 || !bits || !f)
        return -EINVAL;
    size_t size = kern_mandelbrot_size(n);
    if (fprintf(f, "P4\n%d %d\n", n, n) < 0 || fwrite(bits, 1, size, f) != size)
        return -EIO;
    return 0;
}
