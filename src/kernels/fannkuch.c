#include "kern_simd.h"
#include "kernels.h"
#include "kern_threads.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#define FK_MAX 16

typedef struct {
    int n;
    int64_t total, chunk;
    atomic_llong next;
    atomic_llong checksum;
    atomic_int max_flips;
} fk_ctx;

typedef struct {
    int64_t checksum;
    int max_flips;
} fk_sum;

/* The permutation with index idx in the reference order, and its rotation counters: digit i of
 * idx in the factorial number system says how often prefix [0, i] has been rotated left. */
static void perm_at(int n, int64_t idx, uint8_t *perm, int *count)
{
    int64_t fact[FK_MAX];
    fact[0] = 1;
    for (int i = 1; i < n; i++)
        fact[i] = fact[i - 1] * i;
    for (int i = 0; i < FK_MAX; i++)
        perm[i] = (uint8_t)i;
    count[0] = 0;
    for (int i = n - 1; i >= 1; i--) {
        count[i] = (int)(idx / fact[i]);
        idx %= fact[i];
        for (int r = 0; r < count[i]; r++) {
            uint8_t first = perm[0];
            memmove(perm, perm + 1, (size_t)i);
            perm[i] = first;
        }
    }
}

KERN_LEVEL(KERN_T_BASE) static void range_scalar(int n, int64_t start, int64_t end, fk_sum *s)
{
    uint8_t perm[FK_MAX], work[FK_MAX];
    int count[FK_MAX];
    perm_at(n, start, perm, count);
    for (int64_t idx = start;;) {
        int k = perm[0];
        if (k) {
            int flips = 0;
            memcpy(work, perm, FK_MAX);
            do {
                for (int a = 0, b = k; a < b; a++, b--) {
                    uint8_t t = work[a];
                    work[a] = work[b];
                    work[b] = t;
                }
                flips++;
                k = work[0];
            } while (k);
            s->checksum += (idx & 1) ? -flips : flips;
            if (flips > s->max_flips)
                s->max_flips = flips;
        }
        if (++idx >= end)
            break;
        for (int i = 1;; i++) {
            uint8_t first = perm[0];
            memmove(perm, perm + 1, (size_t)i);
            perm[i] = first;
            if (++count[i] <= i)
                break;
            count[i] = 0;
        }
    }
}

/* AVX2 is the only SIMD level here (pshufb needs SSSE3, and AVX-512 adds nothing the flips
 * use): below it the scalar code runs, above it this. */
#ifdef KERN_X86
#define FK_AVX2 1
#define FK_TARGET KERN_T_AVX2

FK_TARGET static inline __m128i next_perm(__m128i perm, int *count, const uint8_t (*rot)[FK_MAX])
{
    for (int i = 1;; i++) {
        perm = _mm_shuffle_epi8(perm, _mm_loadu_si128((const __m128i *)rot[i]));
        if (++count[i] <= i)
            return perm;
        count[i] = 0;
    }
}

/* Flips prefix [0, k] of each 128-bit half, k being that half's first byte: one byte shuffle
 * with mask k - i (negative past k, so those lanes come from the kept original). A finished
 * permutation (k = 0) stays as it is, and cnt counts the flips that moved something. */
FK_TARGET static inline __m256i flip(__m256i v, __m256i *cnt)
{
    const __m256i iota = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                          0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m256i zero = _mm256_setzero_si256();
    __m256i k = _mm256_shuffle_epi8(v, zero);
    *cnt = _mm256_sub_epi8(*cnt, _mm256_cmpgt_epi8(k, zero));
    __m256i keep = _mm256_and_si256(v, _mm256_cmpgt_epi8(iota, k));
    return _mm256_or_si256(_mm256_shuffle_epi8(v, _mm256_sub_epi8(k, iota)), keep);
}

#define FK_REGS 4 /* 8 permutations in flight: enough independent chains to fill the shuffle units */

/* Consecutive permutations side by side, two per register, so their flip chains overlap; slots
 * past the end hold the identity, which takes no flips. */
KERN_LEVEL(FK_TARGET) static void range_avx2(int n, int64_t start, int64_t end, fk_sum *s)
{
    uint8_t p[FK_MAX], rot[FK_MAX][FK_MAX];
    int count[FK_MAX];
    for (int i = 0; i < FK_MAX; i++)
        for (int j = 0; j < FK_MAX; j++)
            rot[i][j] = (uint8_t)(j < i ? j + 1 : j == i ? 0 : j);
    perm_at(n, start, p, count);
    __m128i perm = _mm_loadu_si128((const __m128i *)p);
    const __m128i ident = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m256i zero = _mm256_setzero_si256();
    for (int64_t idx = start; idx < end; idx += 2 * FK_REGS) {
        __m128i q[2 * FK_REGS];
        for (int g = 0; g < 2 * FK_REGS; g++) {
            q[g] = idx + g < end ? perm : ident;
            if (idx + g + 1 < end)
                perm = next_perm(perm, count, rot);
        }
        __m256i v[FK_REGS], cnt[FK_REGS];
        for (int r = 0; r < FK_REGS; r++) {
            v[r] = _mm256_setr_m128i(q[2 * r], q[2 * r + 1]);
            cnt[r] = zero;
        }
        for (;;) {
            __m256i any = zero;
            for (int r = 0; r < FK_REGS; r++) {
                v[r] = flip(v[r], &cnt[r]);
                any = _mm256_or_si256(any, v[r]);
            }
            if ((_mm256_movemask_epi8(_mm256_cmpeq_epi8(any, zero)) & 0x10001) == 0x10001)
                break;
        }
        for (int r = 0; r < FK_REGS; r++) {
            int f[2] = {_mm256_extract_epi8(cnt[r], 0), _mm256_extract_epi8(cnt[r], 16)};
            for (int h = 0; h < 2; h++) {
                s->checksum += ((idx + 2 * r + h) & 1) ? -f[h] : f[h];
                if (f[h] > s->max_flips)
                    s->max_flips = f[h];
            }
        }
    }
}
#endif

kern_simd kern_fannkuch_simd(void)
{
#ifdef FK_AVX2
    return kern_simd_pick(KERN_HAS(KERN_SIMD_AVX2));
#else
    return KERN_SIMD_SCALAR;
#endif
}

static void worker(kern_team *team, int tid, void *arg)
{
    (void)team;
    (void)tid;
    fk_ctx *c = arg;
    fk_sum s = {0, 0};
#ifdef FK_AVX2
    int fast = kern_fannkuch_simd() == KERN_SIMD_AVX2;
#endif
    for (;;) {
        int64_t start = atomic_fetch_add(&c->next, c->chunk);
        if (start >= c->total)
            break;
        int64_t end = start + c->chunk < c->total ? start + c->chunk : c->total;
#ifdef FK_AVX2
        if (fast)
            range_avx2(c->n, start, end, &s);
        else
#endif
            range_scalar(c->n, start, end, &s);
    }
    atomic_fetch_add(&c->checksum, s.checksum);
    int cur = atomic_load(&c->max_flips);
    while (s.max_flips > cur && !atomic_compare_exchange_weak(&c->max_flips, &cur, s.max_flips))
        ;
}

int kern_fannkuch(int n, int threads, kern_fannkuch_result *out)
{
    int nt = kern_threads_resolve(threads);
    if (n < 1 || n > FK_MAX || nt < 0 || !out)
        return -EINVAL;
    fk_ctx c = {.n = n, .total = 1};
    for (int i = 2; i <= n; i++)
        c.total *= i;
    c.chunk = (c.total + 511) / 512;
    if (c.chunk < 1024)
        c.chunk = 1024;
    atomic_init(&c.next, 0);
    atomic_init(&c.checksum, 0);
    atomic_init(&c.max_flips, 0);
    int64_t chunks = (c.total + c.chunk - 1) / c.chunk;
    if (nt > chunks)
        nt = (int)chunks;
    int rc = kern_team_run(nt, worker, &c);
    if (rc)
        return rc;
    out->n = n;
    out->checksum = atomic_load(&c.checksum);
    out->max_flips = atomic_load(&c.max_flips);
    return 0;
}

int kern_fannkuch_format(const kern_fannkuch_result *r, FILE *f)
{
    if (!r || !f)
        return -EINVAL;
    if (fprintf(f, "%lld\nPfannkuchen(%d) = %d\n", (long long)r->checksum, r->n, r->max_flips) < 0)
        return -EIO;
    return 0;
}
