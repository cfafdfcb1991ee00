#include "kernels.h"
#include "kern_simd.h"

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

/* The reference algorithm, one double at a time. */
static void advance_scalar(system_t *s, long steps)
{
    double p[NB][3], v[NB][3];
    for (int i = 0; i < NB; i++)
        for (int c = 0; c < 3; c++) {
            p[i][c] = s->pos[i][c];
            v[i][c] = s->vel[i][c];
        }
    for (long step = 0; step < steps; step++) {
        for (int i = 0; i < NB; i++)
            for (int j = i + 1; j < NB; j++) {
                double dx = p[i][0] - p[j][0], dy = p[i][1] - p[j][1], dz = p[i][2] - p[j][2];
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = DT / (d2 * sqrt(d2));
                v[i][0] -= dx * s->mass[j] * mag;
                v[i][1] -= dy * s->mass[j] * mag;
                v[i][2] -= dz * s->mass[j] * mag;
                v[j][0] += dx * s->mass[i] * mag;
                v[j][1] += dy * s->mass[i] * mag;
                v[j][2] += dz * s->mass[i] * mag;
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

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include "cpu/cpu_features.h"
#define NBODY_AVX 1

/* The loops over bodies and pairs inside a step are unrolled in full. gcc and clang 14 do it
 * unasked; zig cc's clang 22 kept the pair loop as a loop over arrays on the stack, and ran
 * the step 1.5x slower. */
#define NBODY_UNROLL _Pragma("GCC unroll 16")

/* Four pairs' dt / (d2 * sqrt(d2)), with d2 summed (x+y)+z as the reference does. IEEE sqrt,
 * not a refined rsqrt estimate: as fast here, and the estimate differs between CPU vendors. */
__attribute__((target("avx"))) static inline void magnitudes(const v4d d[4], double *mag)
{
    v4d a = d[0] * d[0], b = d[1] * d[1], c = d[2] * d[2], e = d[3] * d[3];
    __m256d t0 = _mm256_hadd_pd((__m256d)a, (__m256d)b);
    __m256d t1 = _mm256_hadd_pd((__m256d)c, (__m256d)e);
    __m256d q = _mm256_add_pd(_mm256_permute2f128_pd(t0, t1, 0x20), _mm256_permute2f128_pd(t0, t1, 0x31));
    _mm256_store_pd(mag, _mm256_div_pd(_mm256_set1_pd(DT), _mm256_mul_pd(q, _mm256_sqrt_pd(q))));
}

/* The same operations in the same order as advance_scalar, a body's x, y, z in one vector. */
__attribute__((target("avx"))) static void advance_avx(system_t *s, long steps)
{
    v4d m[NB], pos[NB], vel[NB];
    for (int i = 0; i < NB; i++) {
        m[i] = (v4d){s->mass[i], s->mass[i], s->mass[i], s->mass[i]};
        pos[i] = s->pos[i];
        vel[i] = s->vel[i];
    }
    const v4d dt = {DT, DT, DT, DT};
    for (long step = 0; step < steps; step++) {
        v4d d[NPAIRS + 2]; /* two pads: magnitudes() takes pairs four at a time */
        int k = 0;
        NBODY_UNROLL
        for (int i = 0; i < NB; i++)
            NBODY_UNROLL
            for (int j = i + 1; j < NB; j++, k++)
                d[k] = pos[i] - pos[j];
        d[NPAIRS] = d[NPAIRS + 1] = (v4d){1, 0, 0, 0};
        double mag[NPAIRS + 2] __attribute__((aligned(32)));
        for (int g = 0; g < NPAIRS; g += 4)
            magnitudes(&d[g], &mag[g]);
        k = 0;
        NBODY_UNROLL
        for (int i = 0; i < NB; i++)
            NBODY_UNROLL
            for (int j = i + 1; j < NB; j++, k++) {
                v4d mg = {mag[k], mag[k], mag[k], mag[k]};
                vel[i] -= d[k] * m[j] * mg;
                vel[j] += d[k] * m[i] * mg;
            }
        NBODY_UNROLL
        for (int i = 0; i < NB; i++)
            pos[i] += dt * vel[i];
    }
    for (int i = 0; i < NB; i++) {
        s->pos[i] = pos[i];
        s->vel[i] = vel[i];
    }
}

/* With AVX-512VL the divider is skipped: mag = dt * q^(-3/2) from vrsqrt14pd's estimate y
 * (relative error under 2^-14) and one fourth-order correction (rsqrt_mag). With e = 1 - q*y^2,
 * q^(-3/2) = y^3 * (1 - e)^(-3/2) = y^3 * (1 + 3/2 e + 15/8 e^2 + 35/16 e^3 + O(e^4)), and
 * e^4 < 2^-56, so the result is within about an ulp of dt / (q * sqrt(q)) but not always
 * equal to it: this path can differ from advance_scalar in the last bits (the energies printed
 * to nine decimals match at every reference size). It is shorter than sqrt + div on the step's
 * critical path and leaves the divider free. */
#define NBODY_RSQRT_TARGET "avx2,fma,avx512f,avx512vl"
__attribute__((target(NBODY_RSQRT_TARGET))) static inline __m256d rsqrt_mag(__m256d q)
{
    __m256d y = _mm256_rsqrt14_pd(q), y2 = _mm256_mul_pd(y, y);
    __m256d e = _mm256_fnmadd_pd(q, y2, _mm256_set1_pd(1.0));
    __m256d c3 = _mm256_mul_pd(_mm256_mul_pd(y, _mm256_set1_pd(DT)), y2); /* dt * y^3 */
    __m256d p = _mm256_fmadd_pd(e, _mm256_set1_pd(15.0 / 8), _mm256_set1_pd(1.5));
    p = _mm256_fmadd_pd(_mm256_mul_pd(e, e), _mm256_set1_pd(35.0 / 16), p);
    return _mm256_fmadd_pd(_mm256_mul_pd(c3, e), p, c3);
}

/* Four pairs' d2, summed (x+y)+z as the reference does. */
__attribute__((target(NBODY_RSQRT_TARGET))) static inline __m256d squares4(const v4d *d)
{
    v4d a = d[0] * d[0], b = d[1] * d[1], c = d[2] * d[2], e = d[3] * d[3];
    __m256d t0 = _mm256_hadd_pd((__m256d)a, (__m256d)b);
    __m256d t1 = _mm256_hadd_pd((__m256d)c, (__m256d)e);
    return _mm256_add_pd(_mm256_permute2f128_pd(t0, t1, 0x20), _mm256_permute2f128_pd(t0, t1, 0x31));
}

/* As advance_avx, but the magnitudes stay in registers (lanes broadcast with vpermpd, faster
 * here than the store and reload once the divider is out of the way) and come from
 * rsqrt_mag. The velocity and position updates keep the reference's order. */
__attribute__((target(NBODY_RSQRT_TARGET))) static void advance_avx512(system_t *s, long steps)
{
    v4d m[NB], pos[NB], vel[NB];
    for (int i = 0; i < NB; i++) {
        m[i] = (v4d){s->mass[i], s->mass[i], s->mass[i], s->mass[i]};
        pos[i] = s->pos[i];
        vel[i] = s->vel[i];
    }
    const v4d dt = {DT, DT, DT, DT};
    for (long step = 0; step < steps; step++) {
        v4d d[NPAIRS];
        int k = 0;
        NBODY_UNROLL
        for (int i = 0; i < NB; i++)
            NBODY_UNROLL
            for (int j = i + 1; j < NB; j++, k++)
                d[k] = pos[i] - pos[j];
        __m256d q0 = squares4(d), q1 = squares4(d + 4);
        /* the last two pairs: hadd gives (x2+y2, z2+0) halves; their sum is (x2+y2)+z2 */
        v4d a = d[8] * d[8], b = d[9] * d[9];
        __m256d t = _mm256_hadd_pd((__m256d)a, (__m256d)b);
        __m128d q2 = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd(t, 1));
        __m256d q2y = _mm256_insertf128_pd(_mm256_castpd128_pd256(q2), _mm_set1_pd(1.0), 1);
        __m256d g0 = rsqrt_mag(q0), g1 = rsqrt_mag(q1), g2 = rsqrt_mag(q2y);
        v4d mg[NPAIRS] = {
            (v4d)_mm256_permute4x64_pd(g0, 0x00), (v4d)_mm256_permute4x64_pd(g0, 0x55),
            (v4d)_mm256_permute4x64_pd(g0, 0xaa), (v4d)_mm256_permute4x64_pd(g0, 0xff),
            (v4d)_mm256_permute4x64_pd(g1, 0x00), (v4d)_mm256_permute4x64_pd(g1, 0x55),
            (v4d)_mm256_permute4x64_pd(g1, 0xaa), (v4d)_mm256_permute4x64_pd(g1, 0xff),
            (v4d)_mm256_permute4x64_pd(g2, 0x00), (v4d)_mm256_permute4x64_pd(g2, 0x55),
        };
        k = 0;
        NBODY_UNROLL
        for (int i = 0; i < NB; i++)
            NBODY_UNROLL
            for (int j = i + 1; j < NB; j++, k++) {
                vel[i] -= d[k] * m[j] * mg[k];
                vel[j] += d[k] * m[i] * mg[k];
            }
        NBODY_UNROLL
        for (int i = 0; i < NB; i++)
            pos[i] += dt * vel[i];
    }
    for (int i = 0; i < NB; i++) {
        s->pos[i] = pos[i];
        s->vel[i] = vel[i];
    }
}
#endif

int kern_nbody(long n, kern_nbody_result *out)
{
    if (n < 1 || !out)
        return -EINVAL;
    system_t s;
    init(&s);
    out->energy_before = energy(&s);
#ifdef NBODY_AVX
    if (!kern_simd_disabled && cpu_has(CPU_AVX2 | CPU_FMA | CPU_AVX512F | CPU_AVX512VL))
        advance_avx512(&s, n);
    else if (!kern_simd_disabled && cpu_has(CPU_AVX))
        advance_avx(&s, n);
    else
#endif
        advance_scalar(&s, n);
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
