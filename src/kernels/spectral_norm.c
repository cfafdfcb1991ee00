#include "kern_simd.h"
#include "kernels.h"
#include "kern_threads.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

typedef kern_v4d v4d;

typedef struct {
    int n, npad;
    double *u, *v, *tmp;
    void (*mul_rows)(const double *x, double *y, int npad, int r0, int r1, int transpose);
} sn_ctx;

/* y[i] = sum_j A(i,j) x[j] for rows [r0, r1), A(i,j) = 1 / ((i+j)(i+j+1)/2 + i + 1); with
 * transpose, A(j,i). x is zero past n, so the padding lanes add nothing. The scalar and SSE2
 * levels do the same operations in the same order (the denominators are integers, exact in a
 * double), so they give the same bits: eight running sums per row, paired (l, l + 4), then
 * (0+1) + (2+3). AVX2 and AVX-512 sum in the same order but multiply by a reciprocal. */
#ifdef KERN_X86
KERN_LEVEL(KERN_T_BASE) static void mul_rows_scalar(const double *x, double *y, int npad, int r0, int r1,
                                                     int transpose)
{
    for (int i = r0; i < r1; i++) {
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int j = 0; j < npad; j += 8)
            for (int l = 0; l < 8; l++) {
                double s = (double)(i + j + l);
                double add = transpose ? (double)(j + l + 1) : (double)(i + 1);
                acc[l] += x[j + l] / (s * (s + 1.0) * 0.5 + add);
            }
        double a[4];
        for (int l = 0; l < 4; l++)
            a[l] = acc[l] + acc[l + 4];
        y[i] = (a[0] + a[1]) + (a[2] + a[3]);
    }
}
#endif

/* Four columns per vector, two vectors per step: at SSE2 the compiler splits each into halves. */
#define MUL_ROWS(name, T)                                                                            \
    KERN_LEVEL(T) static void name(const double *x, double *y, int npad, int r0, int r1, int transpose) \
    {                                                                                                \
        const v4d iota = {0, 1, 2, 3};                                                               \
        for (int i = r0; i < r1; i++) {                                                              \
            v4d acc0 = {0, 0, 0, 0}, acc1 = acc0;                                                    \
            v4d s = iota + (double)i;                                                                \
            v4d add = transpose ? iota + 1.0 : (v4d){0, 0, 0, 0} + (double)(i + 1);                  \
            const v4d step = transpose ? (v4d){4, 4, 4, 4} : (v4d){0, 0, 0, 0};                      \
            for (int j = 0; j < npad; j += 8) {                                                      \
                v4d s1 = s + 4.0;                                                                    \
                acc0 += *(const v4d *)&x[j] / (s * (s + 1.0) * 0.5 + add);                           \
                add += step;                                                                         \
                acc1 += *(const v4d *)&x[j + 4] / (s1 * (s1 + 1.0) * 0.5 + add);                     \
                add += step;                                                                         \
                s = s1 + 4.0;                                                                        \
            }                                                                                        \
            v4d acc = acc0 + acc1;                                                                   \
            y[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);                                            \
        }                                                                                            \
    }
#ifdef KERN_X86
MUL_ROWS(mul_rows_sse2, KERN_T_SSE2)

/* AVX2 and AVX-512: the divider, one vdivpd per four columns, is what the division loop waits
 * for (as the Benchmarks Game's programs do). These levels take 1 / A's denominator from the
 * CPU's reciprocal estimate refined with FMAs instead, which the FMA units keep up with:
 * vrcpps on the value rounded to float (relative error under 1.5 * 2^-12, e = 1 - d*r0 under
 * 2^-11.4), then r0 (1 + e + e^2) (error e^3 < 2^-34) and one Newton step (2^-68); vrcp14pd
 * (2^-14), then two Newton steps (2^-56). The quotient x / d becomes x * (1 / d): within about
 * an ulp of it, not always equal, so these levels' norms can differ from the others' in the
 * last bits (the nine printed decimals match at every reference size). The denominators, whole
 * numbers below 2^53, are exact either way; here they are carried by differences: from column c
 * to c + 8, s(s+1)/2 grows by 8s + 36, and that by 64 (plus 8 for the transpose's column term). */
KERN_T_AVX2 static inline __m256d recip_avx2(__m256d d)
{
    const __m256d one = _mm256_set1_pd(1.0);
    __m256d r = _mm256_cvtps_pd(_mm_rcp_ps(_mm256_cvtpd_ps(d)));
    __m256d e = _mm256_fnmadd_pd(d, r, one);
    r = _mm256_fmadd_pd(r, _mm256_fmadd_pd(e, e, e), r);
    e = _mm256_fnmadd_pd(d, r, one);
    return _mm256_fmadd_pd(r, e, r);
}

KERN_T_AVX512 static inline __m256d recip_avx512(__m256d d)
{
    const __m256d one = _mm256_set1_pd(1.0);
    __m256d r = _mm256_rcp14_pd(d);
    r = _mm256_fmadd_pd(r, _mm256_fnmadd_pd(d, r, one), r);
    return _mm256_fmadd_pd(r, _mm256_fnmadd_pd(d, r, one), r);
}

#define MUL_ROWS_RCP(name, T, recip)                                                                 \
    KERN_LEVEL(T) static void name(const double *x, double *y, int npad, int r0, int r1, int transpose) \
    {                                                                                                \
        const v4d iota = {0, 1, 2, 3}, step2 = {64, 64, 64, 64};                                     \
        for (int i = r0; i < r1; i++) {                                                              \
            __m256d acc0 = _mm256_setzero_pd(), acc1 = acc0;                                         \
            v4d s0 = iota + (double)i, s1 = s0 + 4.0;                                                \
            v4d add0 = transpose ? iota + 1.0 : (v4d){0, 0, 0, 0} + (double)(i + 1);                  \
            v4d add1 = transpose ? add0 + 4.0 : add0;                                                \
            v4d d0 = s0 * (s0 + 1.0) * 0.5 + add0, d1 = s1 * (s1 + 1.0) * 0.5 + add1;               \
            double extra = transpose ? 8.0 : 0.0;                                                    \
            v4d g0 = 8.0 * s0 + (36.0 + extra), g1 = 8.0 * s1 + (36.0 + extra);                     \
            for (int j = 0; j < npad; j += 8) {                                                      \
                acc0 = _mm256_fmadd_pd(_mm256_load_pd(&x[j]), recip((__m256d)d0), acc0);             \
                acc1 = _mm256_fmadd_pd(_mm256_load_pd(&x[j + 4]), recip((__m256d)d1), acc1);         \
                d0 += g0;                                                                            \
                d1 += g1;                                                                            \
                g0 += step2;                                                                         \
                g1 += step2;                                                                         \
            }                                                                                        \
            v4d acc = (v4d)_mm256_add_pd(acc0, acc1);                                                \
            y[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);                                            \
        }                                                                                            \
    }
MUL_ROWS_RCP(mul_rows_avx2, KERN_T_AVX2, recip_avx2)
MUL_ROWS_RCP(mul_rows_avx512, KERN_T_AVX512, recip_avx512)
#define SN_LEVELS (KERN_HAS(KERN_SIMD_SSE2) | KERN_HAS(KERN_SIMD_AVX2) | KERN_HAS(KERN_SIMD_AVX512))
#else
/* Elsewhere the portable level is the generic vectors, which the compiler maps to the native
 * SIMD (NEON on arm64), as before there were levels. */
MUL_ROWS(mul_rows_scalar, )
#define SN_LEVELS 0u
#endif

typedef void (*mul_rows_fn)(const double *x, double *y, int npad, int r0, int r1, int transpose);

kern_simd kern_spectral_norm_simd(void)
{
    return kern_simd_pick(SN_LEVELS);
}

static mul_rows_fn mul_rows_for(kern_simd level)
{
    switch (level) {
#ifdef KERN_X86
    case KERN_SIMD_AVX512: return mul_rows_avx512;
    case KERN_SIMD_AVX2: return mul_rows_avx2;
    case KERN_SIMD_SSE2: return mul_rows_sse2;
#endif
    default: return mul_rows_scalar;
    }
}

static void worker(kern_team *team, int tid, void *arg)
{
    sn_ctx *c = arg;
    int nt = kern_team_size(team);
    int r0 = (int)((long)c->n * tid / nt), r1 = (int)((long)c->n * (tid + 1) / nt);
    mul_rows_fn mul_rows = c->mul_rows;
    for (int it = 0; it < 10; it++) {
        mul_rows(c->u, c->tmp, c->npad, r0, r1, 0);
        kern_team_barrier(team);
        mul_rows(c->tmp, c->v, c->npad, r0, r1, 1);
        kern_team_barrier(team);
        mul_rows(c->v, c->tmp, c->npad, r0, r1, 0);
        kern_team_barrier(team);
        mul_rows(c->tmp, c->u, c->npad, r0, r1, 1);
        kern_team_barrier(team);
    }
}

int kern_spectral_norm(int n, int threads, double *out)
{
    int nt = kern_threads_resolve(threads);
    if (n < 1 || n > (1 << 24) || nt < 0 || !out)
        return -EINVAL;
    if (nt > n)
        nt = n;
    sn_ctx c = {.n = n, .npad = (n + 7) & ~7, .mul_rows = mul_rows_for(kern_spectral_norm_simd())};
    double *mem = aligned_alloc(32, 3 * (size_t)c.npad * sizeof(double));
    if (!mem)
        return -ENOMEM;
    c.u = mem;
    c.v = mem + c.npad;
    c.tmp = mem + 2 * (size_t)c.npad;
    for (int i = 0; i < 3 * c.npad; i++)
        mem[i] = 0;
    for (int i = 0; i < n; i++)
        c.u[i] = 1;
    int rc = kern_team_run(nt, worker, &c);
    if (rc == 0) {
        double vbv = 0, vv = 0;
        for (int i = 0; i < n; i++) {
            vbv += c.u[i] * c.v[i];
            vv += c.v[i] * c.v[i];
        }
        *out = sqrt(vbv / vv);
    }
    free(mem);
    return rc;
}

int kern_spectral_norm_format(double norm, FILE *f)
{
    if (!f)
        return -EINVAL;
    return fprintf(f, "%.9f\n", norm) < 0 ? -EIO : 0;
}
