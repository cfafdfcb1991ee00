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
 * The AVX2 estimate is vrsqrtps on the value rounded to float (relative error under 1.5 * 2^-12,
 * so |e| < 2^-10.4): terms to e^4 leave e^5 < 2^-52, within about an ulp of
 * dt / (q * sqrt(q)) but not always equal to it, so this path can differ from the scalar one in
 * the last bits (the energies printed to nine decimals match at every reference size). q is a
 * squared distance between planets, well inside float's range. It is shorter than sqrt + div on
 * the step's critical path and leaves the divider free. */
KERN_T_AVX2 static inline __m256d rsqrt_mag_avx2(__m256d q)
{
    __m256d y = _mm256_cvtps_pd(_mm_rsqrt_ps(_mm256_cvtpd_ps(q)));
    __m256d y2 = _mm256_mul_pd(y, y);
    __m256d e = _mm256_fnmadd_pd(q, y2, _mm256_set1_pd(1.0));
    __m256d c3 = _mm256_mul_pd(_mm256_mul_pd(y, _mm256_set1_pd(DT)), y2); /* dt * y^3 */
    __m256d p = _mm256_fmadd_pd(e, _mm256_set1_pd(315.0 / 128), _mm256_set1_pd(35.0 / 16));
    __m256d lo = _mm256_fmadd_pd(e, _mm256_set1_pd(15.0 / 8), _mm256_set1_pd(1.5));
    __m256d e2 = _mm256_mul_pd(e, e);
    p = _mm256_fmadd_pd(e2, p, lo);
    return _mm256_fmadd_pd(_mm256_mul_pd(c3, e), p, c3);
}

/* The AVX-512 estimate is vrsqrt14pd (relative error under 2^-14): terms to e^3 suffice. */
KERN_T_AVX512 static inline __m256d rsqrt_mag_avx512(__m256d q)
{
    __m256d y = _mm256_rsqrt14_pd(q), y2 = _mm256_mul_pd(y, y);
    __m256d e = _mm256_fnmadd_pd(q, y2, _mm256_set1_pd(1.0));
    __m256d c3 = _mm256_mul_pd(_mm256_mul_pd(y, _mm256_set1_pd(DT)), y2); /* dt * y^3 */
    __m256d p = _mm256_fmadd_pd(e, _mm256_set1_pd(15.0 / 8), _mm256_set1_pd(1.5));
    p = _mm256_fmadd_pd(_mm256_mul_pd(e, e), _mm256_set1_pd(35.0 / 16), p);
    return _mm256_fmadd_pd(_mm256_mul_pd(c3, e), p, c3);
}

/* AVX2 and AVX-512: a body's x, y, z in one register; the magnitudes stay in registers (lanes
 * broadcast with vpermpd) and come from the level's rsqrt_mag. The velocity and position
 * updates keep the reference's order. */
#define ADVANCE_RSQRT(name, T, squares4, rsqrt_mag, PAIR_PREPARE, PAIR_UPDATE, POS_UPDATE)                                 \
    KERN_LEVEL(T) static void name(system_t *s, long steps)                                          \
    {                                                                                                \
        v4d m[NB], pos[NB], vel[NB];                                                                 \
        for (int i = 0; i < NB; i++) {                                                               \
            m[i] = (v4d){s->mass[i], s->mass[i], s->mass[i], s->mass[i]};                            \
            pos[i] = s->pos[i];                                                                      \
            vel[i] = s->vel[i];                                                                      \
        }                                                                                            \
        const v4d dt = {DT, DT, DT, DT};                                                             \
        for (long step = 0; step < steps; step++) {                                                  \
            v4d d[NPAIRS];                                                                           \
            int k = 0;                                                                               \
            NBODY_UNROLL                                                                             \
            for (int i = 0; i < NB; i++)                                                             \
                NBODY_UNROLL                                                                         \
                for (int j = i + 1; j < NB; j++, k++)                                                \
                    d[k] = pos[i] - pos[j];                                                          \
            PAIR_PREPARE();                                                                          \
            __m256d q0 = squares4(d), q1 = squares4(d + 4);                                            \
            /* the last two pairs: hadd gives (x2+y2, z2+0) halves; their sum is (x2+y2)+z2 */       \
            v4d a = d[8] * d[8], b = d[9] * d[9];                                                    \
            __m256d t = _mm256_hadd_pd((__m256d)a, (__m256d)b);                                      \
            __m128d q2 = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd(t, 1));         \
            __m256d q2y = _mm256_insertf128_pd(_mm256_castpd128_pd256(q2), _mm_set1_pd(1.0), 1);     \
            __m256d g0 = rsqrt_mag(q0), g1 = rsqrt_mag(q1), g2 = rsqrt_mag(q2y);                     \
            v4d mg[NPAIRS] = {                                                                       \
                (v4d)_mm256_permute4x64_pd(g0, 0x00), (v4d)_mm256_permute4x64_pd(g0, 0x55),          \
                (v4d)_mm256_permute4x64_pd(g0, 0xaa), (v4d)_mm256_permute4x64_pd(g0, 0xff),          \
                (v4d)_mm256_permute4x64_pd(g1, 0x00), (v4d)_mm256_permute4x64_pd(g1, 0x55),          \
                (v4d)_mm256_permute4x64_pd(g1, 0xaa), (v4d)_mm256_permute4x64_pd(g1, 0xff),          \
                (v4d)_mm256_permute4x64_pd(g2, 0x00), (v4d)_mm256_permute4x64_pd(g2, 0x55),          \
            };                                                                                       \
            k = 0;                                                                                   \
            NBODY_UNROLL                                                                             \
            for (int i = 0; i < NB; i++)                                                             \
                NBODY_UNROLL                                                                         \
                for (int j = i + 1; j < NB; j++, k++)                                                \
                    PAIR_UPDATE(i, j, k);                                                            \
            NBODY_UNROLL                                                                             \
            for (int i = 0; i < NB; i++)                                                             \
                POS_UPDATE(i);                                                                       \
        }                                                                                            \
        for (int i = 0; i < NB; i++) {                                                               \
            s->pos[i] = pos[i];                                                                      \
            s->vel[i] = vel[i];                                                                      \
        }                                                                                            \
    }
/* The reference's order, (d * m) * mag, each step rounded. */
#define PREPARE_NONE() ((void)0)
#define UPDATE_REF(i, j, k)                                                                          \
    do {                                                                                             \
        vel[i] -= d[k] * m[j] * mg[k];                                                               \
        vel[j] += d[k] * m[i] * mg[k];                                                               \
    } while (0)
#define POS_REF(i) (pos[i] += dt * vel[i])
/* The same products, but d * m is taken while the magnitudes are computed, and the product with
 * the magnitude fused with the sum (FMA): the step's longest dependency chain, from a position
 * through the magnitudes to the next position, is then a magnitude, a broadcast and four FMAs
 * per body instead of two products and four sums, and one FMA instead of a product and a sum
 * for the position (callgrind and the code: the step was latency-bound, not short of ports).
 * Rounding differs from the reference's in the last bit, as the magnitudes already do. */
#define PREPARE_DM()                                                                                 \
    v4d dmi[NPAIRS], dmj[NPAIRS];                                                                    \
    do {                                                                                             \
        int k_ = 0;                                                                                  \
        NBODY_UNROLL                                                                                 \
        for (int i = 0; i < NB; i++)                                                                 \
            NBODY_UNROLL                                                                             \
            for (int j = i + 1; j < NB; j++, k_++) {                                                 \
                dmi[k_] = d[k_] * m[i];                                                              \
                dmj[k_] = d[k_] * m[j];                                                              \
            }                                                                                        \
    } while (0)
#define UPDATE_FMA(i, j, k)                                                                          \
    do {                                                                                             \
        vel[i] = (v4d)_mm256_fnmadd_pd((__m256d)dmj[k], (__m256d)mg[k], (__m256d)vel[i]);            \
        vel[j] = (v4d)_mm256_fmadd_pd((__m256d)dmi[k], (__m256d)mg[k], (__m256d)vel[j]);             \
    } while (0)
#define POS_FMA(i) (pos[i] = (v4d)_mm256_fmadd_pd((__m256d)dt, (__m256d)vel[i], (__m256d)pos[i]))
ADVANCE_RSQRT(advance_avx2, KERN_T_AVX2, squares4_avx2, rsqrt_mag_avx2, PREPARE_DM, UPDATE_FMA, POS_FMA)
ADVANCE_RSQRT(advance_avx512, KERN_T_AVX512, squares4_avx512, rsqrt_mag_avx512, PREPARE_NONE, UPDATE_REF, POS_REF)
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
