#include "kern_simd.h"
#include "kernels.h"

#include <errno.h>
#include <math.h>

#define NB 5
#define NPAIRS (NB * (NB - 1) / 2)
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define DT 0.01

typedef kern_v4d v4d;

typedef struct {
    v4d pos[NB]; /* x, y, z, 0 */
    v4d vel[NB];
    double mass[NB];
} system_t;

static const double initial[NB][7] = {
    {0, 0, 0, 0, 0, 0, 1},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
     9.54791938424326609e-04},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
     2.85885980666130812e-04},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
     4.36624404335156298e-05},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
     5.15138902046611451e-05},
};

static void init(system_t *s)
{
    double p[3] = {0, 0, 0};
    for (int i = 0; i < NB; i++) {
        const double *b = initial[i];
        s->mass[i] = b[6] * SOLAR_MASS;
        s->pos[i] = (v4d){b[0], b[1], b[2], 0};
        s->vel[i] = (v4d){b[3] * DAYS_PER_YEAR, b[4] * DAYS_PER_YEAR, b[5] * DAYS_PER_YEAR, 0};
        for (int c = 0; c < 3; c++)
            p[c] += s->vel[i][c] * s->mass[i];
    }
    for (int c = 0; c < 3; c++)
        s->vel[0][c] = -p[c] / SOLAR_MASS;
}

static double energy(const system_t *s)
{
    double e = 0;
    for (int i = 0; i < NB; i++) {
        v4d v = s->vel[i];
        e += 0.5 * s->mass[i] * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int j = i + 1; j < NB; j++) {
            v4d d = s->pos[i] - s->pos[j];
            e -= s->mass[i] * s->mass[j] / sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        }
    }
    return e;
}

/* The reference algorithm, one double at a time: the scalar level. */
KERN_LEVEL(KERN_T_BASE) static void advance_scalar(system_t *s, long steps)
{
    double p[NB][3], v[NB][3], mass[NB];
    for (int i = 0; i < NB; i++) {
        mass[i] = s->mass[i];
        for (int c = 0; c < 3; c++) {
            p[i][c] = s->pos[i][c];
            v[i][c] = s->vel[i][c];
        }
    }
    for (long step = 0; step < steps; step++) {
        for (int i = 0; i < NB; i++)
            for (int j = i + 1; j < NB; j++) {
                double dx = p[i][0] - p[j][0], dy = p[i][1] - p[j][1], dz = p[i][2] - p[j][2];
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = DT / (d2 * sqrt(d2));
                v[i][0] -= dx * mass[j] * mag;
                v[i][1] -= dy * mass[j] * mag;
                v[i][2] -= dz * mass[j] * mag;
                v[j][0] += dx * mass[i] * mag;
                v[j][1] += dy * mass[i] * mag;
                v[j][2] += dz * mass[i] * mag;
            }
        for (int i = 0; i < NB; i++)
            for (int c = 0; c < 3; c++)
                p[i][c] += DT * v[i][c];
    }
    for (int i = 0; i < NB; i++)
        for (int c = 0; c < 3; c++) {
            s->pos[i][c] = p[i][c];
            s->vel[i][c] = v[i][c];
        }
}

#ifdef KERN_X86

/* The loops over bodies and pairs inside a step are unrolled in full. gcc and clang 14 do it
 * unasked; zig cc's clang 22 kept the pair loop as a loop over arrays on the stack, and ran
 * the step 1.5x slower. */
#define NBODY_UNROLL _Pragma("GCC unroll 16")

/* SSE2: the scalar level's operations in its order (so the same bits), but the pairs'
 * dt / (d2 * sqrt(d2)) two at a time, one sqrtpd and one divpd: the divider is what the scalar
 * step waits for. (Body vectors split in two SSE registers each ran twice as slow as scalar.) */
KERN_LEVEL(KERN_T_SSE2) static void advance_sse2(system_t *s, long steps)
{
    double p[NB][3], v[NB][3], mass[NB];
    for (int i = 0; i < NB; i++) {
        mass[i] = s->mass[i];
        for (int c = 0; c < 3; c++) {
            p[i][c] = s->pos[i][c];
            v[i][c] = s->vel[i][c];
        }
    }
    for (long step = 0; step < steps; step++) {
        double dx[NPAIRS], dy[NPAIRS], dz[NPAIRS];
        double d2[NPAIRS] __attribute__((aligned(16))), mag[NPAIRS] __attribute__((aligned(16)));
        int k = 0;
        NBODY_UNROLL
        for (int i = 0; i < NB; i++)
            NBODY_UNROLL
            for (int j = i + 1; j < NB; j++, k++) {
                dx[k] = p[i][0] - p[j][0];
                dy[k] = p[i][1] - p[j][1];
                dz[k] = p[i][2] - p[j][2];
                d2[k] = dx[k] * dx[k] + dy[k] * dy[k] + dz[k] * dz[k];
            }
        NBODY_UNROLL
        for (int g = 0; g < NPAIRS; g += 2) {
            __m128d q = _mm_load_pd(&d2[g]);
            _mm_store_pd(&mag[g], _mm_div_pd(_mm_set1_pd(DT), _mm_mul_pd(q, _mm_sqrt_pd(q))));
        }
        k = 0;
        NBODY_UNROLL
        for (int i = 0; i < NB; i++)
            NBODY_UNROLL
            for (int j = i + 1; j < NB; j++, k++) {
                v[i][0] -= dx[k] * mass[j] * mag[k];
                v[i][1] -= dy[k] * mass[j] * mag[k];
                v[i][2] -= dz[k] * mass[j] * mag[k];
                v[j][0] += dx[k] * mass[i] * mag[k];
                v[j][1] += dy[k] * mass[i] * mag[k];
                v[j][2] += dz[k] * mass[i] * mag[k];
            }
        for (int i = 0; i < NB; i++)
            for (int c = 0; c < 3; c++)
                p[i][c] += DT * v[i][c];
    }
    for (int i = 0; i < NB; i++)
        for (int c = 0; c < 3; c++) {
            s->pos[i][c] = p[i][c];
            s->vel[i][c] = v[i][c];
        }
}

/* Four pairs' d2, summed (x+y)+z as the reference does. */
#define SQUARES4(name, T)                                                                            \
    T static inline __m256d name(const v4d *d)                                                       \
    {                                                                                                \
        v4d a = d[0] * d[0], b = d[1] * d[1], c = d[2] * d[2], e = d[3] * d[3];                      \
        __m256d t0 = _mm256_hadd_pd((__m256d)a, (__m256d)b);                                         \
        __m256d t1 = _mm256_hadd_pd((__m256d)c, (__m256d)e);                                         \
        return _mm256_add_pd(_mm256_permute2f128_pd(t0, t1, 0x20), _mm256_permute2f128_pd(t0, t1, 0x31)); \
    }
SQUARES4(squares4_avx2, KERN_T_AVX2)
SQUARES4(squares4_avx512, KERN_T_AVX512)

/* mag = dt * q^(-3/2) without the divider, from an estimate y of q^(-1/2) and one high-order
 * correction: with e = 1 - q*y^2, q^(-3/2) = y^3 * (1 - e)^(-3/2)
 *   = y^3 * (1 + 3/2 e + 15/8 e^2 + 35/16 e^3 + 315/128 e^4 + O(e^5)).
 * With |e| < 2^-11 the terms to e^4 leave e^5 < 2^-55: within about an ulp of dt / (q * sqrt(q))
 * but not always equal to it, so these paths can differ from the scalar one in the last bits
 * (the energies printed to nine decimals match at every reference size).
 * The estimate: the pair's y of the last two steps extrapolated linearly. Distances change
 * little from one step to the next, so its |e| is far under 2^-11 (about 2^-15 here), and it
 * is ready before the step begins: the step's critical path from q is then e and the
 * polynomial only, where a hardware estimate (vrsqrtps between two conversions on AVX2) added
 * about a quarter of the step. Where a lane's |e| is not under 2^-11 (the first two steps, or
 * a close encounter) the group takes the hardware estimate instead: vrsqrtps on the value
 * rounded to float (relative error under 1.5 * 2^-12, so |e| < 2^-10.4; q is a squared
 * distance between planets, well inside float's range) or vrsqrt14pd (2^-14).
 * The pair's two masses ride along: gi = dt * m_i * mag and gj = dt * m_j * mag, taken on the
 * y^3 branch, which is ready before the polynomial, so they cost no latency and save the d * m
 * products of every pair. y[0] and y[1]: the refined y of the last step and the one before. */
#define RSQRT_MAG(name, T, ESTIMATE)                                                                 \
    T static inline void name(__m256d q, __m256d y[2], __m256d dtmi, __m256d dtmj, __m256d *gi,      \
                              __m256d *gj)                                                           \
    {                                                                                                \
        const __m256d one = _mm256_set1_pd(1.0);                                                     \
        __m256d y0 = _mm256_fmsub_pd(_mm256_set1_pd(2.0), y[0], y[1]), y2 = _mm256_mul_pd(y0, y0);   \
        __m256d e = _mm256_fnmadd_pd(q, y2, one);                                                    \
        __m256d big = _mm256_cmp_pd(_mm256_andnot_pd(_mm256_set1_pd(-0.0), e),                       \
                                    _mm256_set1_pd(0x1p-11), _CMP_NLE_UQ);                           \
        if (__builtin_expect(_mm256_movemask_pd(big), 0)) {                                          \
            y0 = ESTIMATE(q);                                                                        \
            y2 = _mm256_mul_pd(y0, y0);                                                              \
            e = _mm256_fnmadd_pd(q, y2, one);                                                        \
        }                                                                                            \
        __m256d p = _mm256_fmadd_pd(e, _mm256_set1_pd(315.0 / 128), _mm256_set1_pd(35.0 / 16));      \
        __m256d lo = _mm256_fmadd_pd(e, _mm256_set1_pd(15.0 / 8), _mm256_set1_pd(1.5));              \
        p = _mm256_fmadd_pd(_mm256_mul_pd(e, e), p, lo);                                             \
        __m256d ci = _mm256_mul_pd(_mm256_mul_pd(y0, dtmi), y2);                                     \
        __m256d cj = _mm256_mul_pd(_mm256_mul_pd(y0, dtmj), y2);                                     \
        *gi = _mm256_fmadd_pd(_mm256_mul_pd(ci, e), p, ci);                                          \
        *gj = _mm256_fmadd_pd(_mm256_mul_pd(cj, e), p, cj);                                          \
        /* this step's y: y0 * (1 - e)^(-1/2) to e^2, close enough to extrapolate from */            \
        y[1] = y[0];                                                                                 \
        y[0] = _mm256_fmadd_pd(_mm256_mul_pd(y0, e),                                                 \
                               _mm256_fmadd_pd(e, _mm256_set1_pd(3.0 / 8), _mm256_set1_pd(0.5)), y0); \
    }
#define ESTIMATE_AVX2(q) _mm256_cvtps_pd(_mm_rsqrt_ps(_mm256_cvtpd_ps(q)))
#define ESTIMATE_AVX512(q) _mm256_rsqrt14_pd(q)
RSQRT_MAG(rsqrt_mag_avx2, KERN_T_AVX2, ESTIMATE_AVX2)
RSQRT_MAG(rsqrt_mag_avx512, KERN_T_AVX512, ESTIMATE_AVX512)

/* The bodies of the pair in lane l of pair group g: the pairs in the order (0,1), (0,2), ...
 * (3,4), four to a group, the last group's two unused lanes given no mass. */
static const int pair_i[12] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 0, 0};
static const int pair_j[12] = {1, 2, 3, 4, 2, 3, 4, 3, 4, 4, 0, 0};

/* Lane l of v in every lane, for the lanes of groups 0, 1 and the first two of group 2. */
#define BCAST(v, l) _mm256_permute4x64_pd((v), (l) * 0x55)
#define BCAST_PAIRS(g)                                                                               \
    BCAST(g[0], 0), BCAST(g[0], 1), BCAST(g[0], 2), BCAST(g[0], 3), BCAST(g[1], 0), BCAST(g[1], 1),  \
        BCAST(g[1], 2), BCAST(g[1], 3), BCAST(g[2], 0), BCAST(g[2], 1)

/* AVX2 and AVX-512: a body's x, y, z in one register; the magnitudes, each pair's masses folded
 * in, stay in registers (lanes broadcast with vpermpd). Velocity and position updates are FMAs:
 * the step is latency-bound, and an FMA is one rounding and one latency instead of two. Rounding
 * differs from the reference's in the last bits, as the magnitudes already do. */
#define ADVANCE_RSQRT(name, T, squares4, rsqrt_mag)                                                  \
    KERN_LEVEL(T) static void name(system_t *s, long steps)                                          \
    {                                                                                                \
        v4d pos[NB], vel[NB], dtmi[3], dtmj[3];                                                      \
        for (int i = 0; i < NB; i++) {                                                               \
            pos[i] = s->pos[i];                                                                      \
            vel[i] = s->vel[i];                                                                      \
        }                                                                                            \
        for (int l = 0; l < 12; l++) {                                                               \
            dtmi[l / 4][l % 4] = l < NPAIRS ? DT * s->mass[pair_i[l]] : 0;                           \
            dtmj[l / 4][l % 4] = l < NPAIRS ? DT * s->mass[pair_j[l]] : 0;                           \
        }                                                                                            \
        const v4d dt = {DT, DT, DT, DT};                                                             \
        __m256d y[3][2]; /* zero: the first two steps take the hardware estimate */                  \
        for (int g = 0; g < 3; g++)                                                                  \
            y[g][0] = y[g][1] = _mm256_setzero_pd();                                                 \
        for (long step = 0; step < steps; step++) {                                                  \
            v4d d[NPAIRS];                                                                           \
            int k = 0;                                                                               \
            NBODY_UNROLL                                                                             \
            for (int i = 0; i < NB; i++)                                                             \
                NBODY_UNROLL                                                                         \
                for (int j = i + 1; j < NB; j++, k++)                                                \
                    d[k] = pos[i] - pos[j];                                                          \
            __m256d q0 = squares4(d), q1 = squares4(d + 4);                                          \
            /* the last two pairs: hadd gives (x2+y2, z2+0) halves; their sum is (x2+y2)+z2 */       \
            v4d a = d[8] * d[8], b = d[9] * d[9];                                                    \
            __m256d t = _mm256_hadd_pd((__m256d)a, (__m256d)b);                                      \
            __m128d q2 = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd(t, 1));         \
            __m256d q2y = _mm256_insertf128_pd(_mm256_castpd128_pd256(q2), _mm_set1_pd(1.0), 1);     \
            __m256d gi[3], gj[3];                                                                    \
            rsqrt_mag(q0, y[0], (__m256d)dtmi[0], (__m256d)dtmj[0], &gi[0], &gj[0]);                 \
            rsqrt_mag(q1, y[1], (__m256d)dtmi[1], (__m256d)dtmj[1], &gi[1], &gj[1]);                 \
            rsqrt_mag(q2y, y[2], (__m256d)dtmi[2], (__m256d)dtmj[2], &gi[2], &gj[2]);                \
            __m256d bi[NPAIRS] = {BCAST_PAIRS(gi)}, bj[NPAIRS] = {BCAST_PAIRS(gj)};                  \
            k = 0;                                                                                   \
            NBODY_UNROLL                                                                             \
            for (int i = 0; i < NB; i++)                                                             \
                NBODY_UNROLL                                                                         \
                for (int j = i + 1; j < NB; j++, k++) {                                              \
                    vel[i] = (v4d)_mm256_fnmadd_pd((__m256d)d[k], bj[k], (__m256d)vel[i]);           \
                    vel[j] = (v4d)_mm256_fmadd_pd((__m256d)d[k], bi[k], (__m256d)vel[j]);            \
                }                                                                                    \
            NBODY_UNROLL                                                                             \
            for (int i = 0; i < NB; i++)                                                             \
                pos[i] = (v4d)_mm256_fmadd_pd((__m256d)dt, (__m256d)vel[i], (__m256d)pos[i]);        \
        }                                                                                            \
        for (int i = 0; i < NB; i++) {                                                               \
            s->pos[i] = pos[i];                                                                      \
            s->vel[i] = vel[i];                                                                      \
        }                                                                                            \
    }
ADVANCE_RSQRT(advance_avx2, KERN_T_AVX2, squares4_avx2, rsqrt_mag_avx2)
ADVANCE_RSQRT(advance_avx512, KERN_T_AVX512, squares4_avx512, rsqrt_mag_avx512)
#define NBODY_LEVELS (KERN_HAS(KERN_SIMD_SSE2) | KERN_HAS(KERN_SIMD_AVX2) | KERN_HAS(KERN_SIMD_AVX512))
#else
#define NBODY_LEVELS 0u
#endif

kern_simd kern_nbody_simd(void)
{
    return kern_simd_pick(NBODY_LEVELS);
}

int kern_nbody(long n, kern_nbody_result *out)
{
    if (n < 1 || !out)
        return -EINVAL;
    system_t s;
    init(&s);
    out->energy_before = energy(&s);
    switch (kern_nbody_simd()) {
#ifdef KERN_X86
    case KERN_SIMD_AVX512: advance_avx512(&s, n); break;
    case KERN_SIMD_AVX2: advance_avx2(&s, n); break;
    case KERN_SIMD_SSE2: advance_sse2(&s, n); break;
#endif
    default: advance_scalar(&s, n); break;
    }
    out->energy_after = energy(&s);
    return 0;
}

int kern_nbody_format(const kern_nbody_result *r, FILE *f)
{
    if (!r || !f)
        return -EINVAL;
    if (fprintf(f, "%.9f\n%.9f\n", r->energy_before, r->energy_after) < 0)
        return -EIO;
    return 0;
}
