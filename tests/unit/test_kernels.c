/* The C kernels against the Benchmarks Game references (problems/PROBLEM/ref, read from the
 * source tree the tests run in), threaded and not, at every SIMD dispatch level this CPU has. */
#include "check.h"
#include "cpu/cpu_features.h"
#include "cpu/cpu_pool.h"
#include "kernels/kern_threads.h"
#include "kernels/kernels.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} memout;

static FILE *mem_open(memout *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    return m->f;
}

/* Closes the stream and returns its text (owned by m; free with free(m->buf)). */
static const char *mem_text(memout *m)
{
    fclose(m->f);
    return m->buf;
}

static void md5_hex(const uint8_t *data, size_t len, char hex[33])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL))
        mdlen = 0;
    for (unsigned i = 0; i < mdlen && i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[mdlen ? 32 : 0] = '\0';
}

/* The text of problems/PROBLEM/ref/NAME (the tests run in the source tree), or NULL. */
static char *ref_text(const char *problem, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "problems/%s/ref/%s", problem, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static int nlevels; /* the levels this CPU has: scalar up to kern_simd_cpu() */

/* Caps the kernels at level l; CHECKs that it took. */
static void set_level(int l)
{
    CHECK(kern_simd_cap((kern_simd)l) == 0);
    CHECK(kern_simd_current_cap() == (kern_simd)l);
}

static void test_simd_levels(void)
{
    kern_simd l;
    CHECK(kern_simd_parse("scalar", &l) == 0 && l == KERN_SIMD_SCALAR);
    CHECK(kern_simd_parse("sse2", &l) == 0 && l == KERN_SIMD_SSE2);
    CHECK(kern_simd_parse("avx2", &l) == 0 && l == KERN_SIMD_AVX2);
    CHECK(kern_simd_parse("avx512", &l) == 0 && l == KERN_SIMD_AVX512);
    CHECK(kern_simd_parse("AVX2", &l) == -EINVAL);
    CHECK(kern_simd_parse("", &l) == -EINVAL);
    CHECK(kern_simd_parse(NULL, &l) == -EINVAL);
    for (int i = 0; i < KERN_SIMD_LEVELS; i++) {
        CHECK(kern_simd_parse(kern_simd_name((kern_simd)i), &l) == 0 && l == (kern_simd)i);
    }
    CHECK_STR(kern_simd_name(KERN_SIMD_LEVELS), "unknown");
    kern_simd cpu = kern_simd_cpu();
    CHECK(kern_simd_current_cap() == cpu); /* the default: the best the CPU has */
    nlevels = (int)cpu + 1;
    if (cpu + 1 < KERN_SIMD_LEVELS)
        CHECK(kern_simd_cap((kern_simd)(cpu + 1)) == -ENOTSUP);
    CHECK(kern_simd_cap(KERN_SIMD_LEVELS) == -EINVAL);
    CHECK(kern_simd_current_cap() == cpu); /* a refused cap changes nothing */
#if defined(__x86_64__)
    CHECK(cpu >= KERN_SIMD_SSE2);
    CHECK((cpu >= KERN_SIMD_AVX2) == cpu_has(CPU_AVX2 | CPU_FMA));
    CHECK((cpu >= KERN_SIMD_AVX512) == cpu_has(CPU_AVX2 | CPU_FMA | CPU_AVX512F | CPU_AVX512VL));
#endif
    /* Each kernel runs the highest of its levels at or below the cap. */
    for (int i = 0; i < nlevels; i++) {
        set_level(i);
        kern_simd want_fk = KERN_SIMD_SCALAR;
#if defined(__x86_64__) || defined(__i386__)
        CHECK(kern_nbody_simd() == (kern_simd)i);
        CHECK(kern_spectral_norm_simd() == (kern_simd)i);
        CHECK(kern_mandelbrot_simd() == (kern_simd)i);
        want_fk = i >= KERN_SIMD_AVX2 ? KERN_SIMD_AVX2 : KERN_SIMD_SCALAR;
#endif
        CHECK(kern_fannkuch_simd() == want_fk);
        CHECK(kern_binary_trees_simd() == KERN_SIMD_SCALAR);
    }
    set_level((int)cpu);
}

/* A team of up to 8 in lockstep: each round every thread writes its slot, waits, checks every
 * slot, and waits again before the next round's writes. */
typedef struct {
    atomic_int slot[8];
    atomic_int bad, ran;
    int rounds;
} lockstep;

static void lockstep_fn(kern_team *team, int tid, void *arg)
{
    lockstep *l = arg;
    atomic_fetch_add(&l->ran, 1);
    for (int r = 1; r <= l->rounds; r++) {
        atomic_store_explicit(&l->slot[tid], r, memory_order_relaxed);
        kern_team_barrier(team);
        for (int i = 0; i < kern_team_size(team); i++)
            if (atomic_load_explicit(&l->slot[i], memory_order_relaxed) != r)
                atomic_fetch_add(&l->bad, 1);
        kern_team_barrier(team);
    }
}

/* Runs teams of 3 one after another from a thread of its own: two such threads at once, so that
 * one run finds the kept workers taken and makes its own. */
static void *lockstep_caller(void *p)
{
    lockstep *l = p;
    for (int i = 0; i < 20; i++)
        if (kern_team_run(3, lockstep_fn, l) != 0)
            atomic_fetch_add(&l->bad, 1);
    return NULL;
}

static void test_threads(void)
{
    CHECK(kern_threads_resolve(0) >= 1);
    CHECK(kern_threads_resolve(1) == 1);
    CHECK(kern_threads_resolve(3) == 3);
    CHECK(kern_threads_resolve(-1) == -EINVAL);
    /* more threads than this machine's CPUs too: the barrier's waiters must yield to the others */
    for (int t = 1; t <= 8; t++) {
        lockstep l = {.rounds = 100};
        CHECK(kern_team_run(t, lockstep_fn, &l) == 0);
        CHECK(atomic_load(&l.ran) == t);
        CHECK(atomic_load(&l.bad) == 0);
    }
    CHECK(kern_team_run(0, lockstep_fn, NULL) == -EINVAL);
    lockstep two[2] = {{.rounds = 20}, {.rounds = 20}};
    pthread_t callers[2];
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&callers[i], NULL, lockstep_caller, &two[i]) == 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(callers[i], NULL);
        CHECK(atomic_load(&two[i].ran) == 3 * 20);
        CHECK(atomic_load(&two[i].bad) == 0);
    }
}

/* cpu_pool: one run, recording where worker 1 ran it. */
typedef struct {
    atomic_int cpu, done;
} pool_run;

static void pool_run_fn(void *arg, size_t index)
{
    pool_run *r = arg;
    if (index == 1)
        atomic_store(&r->cpu, sched_getcpu());
    atomic_fetch_add(&r->done, 1);
}

static bool pool_run_once(cpu_pool *pool, pool_run *r)
{
    atomic_store(&r->cpu, -1);
    atomic_store(&r->done, 0);
    cpu_pool_start(pool, pool_run_fn, r);
    struct timespec tick = {0, 100000};
    for (int i = 0; i < 50000 && atomic_load(&r->done) < 1; i++)
        nanosleep(&tick, NULL); /* asleep: a worker stuck on this CPU gets it */
    return atomic_load(&r->done) == 1;
}

/* A worker that sleeps on the CPU its caller runs on (where Linux's wake-up may put it) is
 * moved off it before it is woken, and allowed everywhere again once it runs. The caller is a
 * thread of its own, pinned, so that the process's main thread keeps every CPU. */
static void *pool_apart_caller(void *p)
{
    (void)p;
    int here = sched_getcpu();
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(here, &one);
    CHECK(sched_setaffinity(0, sizeof one, &one) == 0);
    cpu_pool *pool = NULL;
    CHECK(cpu_pool_resize(&pool, 1, 0) == 1);
    pool_run r;
    CHECK(pool_run_once(pool, &r));
    bool asleep = false;
    struct timespec tick = {0, 1000000};
    for (int i = 0; i < 5000 && !asleep; i++) { /* spin_ns 0: it sleeps after a few ms */
        nanosleep(&tick, NULL);
        pthread_mutex_lock(&pool->mu);
        asleep = pool->args[1].asleep;
        pthread_mutex_unlock(&pool->mu);
    }
    CHECK(asleep);
    CHECK(sched_setaffinity(atomic_load(&pool->args[1].os_tid), sizeof one, &one) == 0);
    CHECK(pool_run_once(pool, &r));
    CHECK(atomic_load(&r.cpu) >= 0 && atomic_load(&r.cpu) != here);
    cpu_set_t after;
    CHECK(sched_getaffinity(atomic_load(&pool->args[1].os_tid), sizeof after, &after) == 0);
    CHECK(CPU_COUNT(&after) > 1);
    cpu_pool_free(pool);
    return NULL;
}

/* cpu_waiter spins for at least CPU_WAIT_SPIN_NS, then stops spinning (it yields from then on,
 * as it does from the start without spin). */
static void test_waiter(void)
{
    int64_t t0 = cpu_pool_now_ns();
    cpu_waiter w = cpu_waiter_make(true);
    while (w.spin && cpu_pool_now_ns() - t0 < 10 * (int64_t)1000000000)
        cpu_waiter_pause(&w);
    CHECK(!w.spin);
    CHECK(cpu_pool_now_ns() - t0 >= CPU_WAIT_SPIN_NS);
    w = cpu_waiter_make(false);
    cpu_waiter_pause(&w);
    CHECK(!w.spin && w.checks == 0);
}

static void test_pool_apart(void)
{
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < 2) {
        printf("test_pool_apart: skipped, one CPU\n");
        return;
    }
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pool_apart_caller, NULL) == 0);
    pthread_join(t, NULL);
}

/* The kernels dispatch on cpu_has(); where the compiler runtime's CPU model works (gcc's and
 * clang's do, zig cc's does not), both must agree on every feature the kernels ask for. */
static void test_cpu_features(void)
{
    unsigned f = cpu_features();
    CHECK(!(f & CPU_AVX512VL) || (f & CPU_AVX512F));
    CHECK(!(f & CPU_AVX512BW) || (f & CPU_AVX512F));
    CHECK(!(f & (CPU_AVX2 | CPU_FMA | CPU_AVX512F)) || (f & CPU_AVX));
    CHECK(cpu_has(0));
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    CHECK(!!(f & CPU_AVX) == !!__builtin_cpu_supports("avx"));
    CHECK(!!(f & CPU_FMA) == !!__builtin_cpu_supports("fma"));
    CHECK(!!(f & CPU_AVX2) == !!__builtin_cpu_supports("avx2"));
    CHECK(!!(f & CPU_AVX512F) == !!__builtin_cpu_supports("avx512f"));
    CHECK(!!(f & CPU_AVX512VL) == !!__builtin_cpu_supports("avx512vl"));
    CHECK(!!(f & CPU_AVX512BW) == !!__builtin_cpu_supports("avx512bw"));
#else
    CHECK(f == 0);
#endif
}

static void test_nbody(void)
{
    static const char *const sizes[] = {"1000", "100000"}; /* 500000 and 50M: ladder verify */
    kern_nbody_result at[KERN_SIMD_LEVELS];
    for (int l = 0; l < nlevels; l++) {
        set_level(l);
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            char name[32];
            snprintf(name, sizeof name, "%s.txt", sizes[k]);
            char *want = ref_text("nbody", name);
            kern_nbody_result r;
            memout m;
            CHECK(kern_nbody(atol(sizes[k]), &r) == 0);
            CHECK(kern_nbody_format(&r, mem_open(&m)) == 0);
            CHECK_STR(mem_text(&m), want);
            if (strcmp(m.buf, want ? want : "") != 0)
                fprintf(stderr, "  nbody %s at %s\n", sizes[k], kern_simd_name((kern_simd)l));
            free(m.buf);
            free(want);
        }
        CHECK(kern_nbody(2000, &at[l]) == 0);
    }
    /* The scalar and SSE2 levels do the reference's operations in its order and agree to the
     * bit; AVX2's and AVX-512's magnitudes (an estimate, extrapolated or the CPU's rsqrt, and a
     * correction) can differ in the last bit, so allow a little drift. */
    for (int l = 1; l < nlevels; l++) {
        if (l == KERN_SIMD_SSE2)
            CHECK(at[l].energy_after == at[0].energy_after);
        CHECK(fabs(at[l].energy_after - at[0].energy_after) < 1e-12);
        CHECK(at[l].energy_before == at[0].energy_before);
    }
    set_level(nlevels - 1);
    kern_nbody_result a;
    CHECK(kern_nbody(0, &a) == -EINVAL);
    CHECK(kern_nbody(-5, &a) == -EINVAL);
    CHECK(kern_nbody(10, NULL) == -EINVAL);
}

static void test_spectral_norm(void)
{
    double first = 0;
    for (int l = 0; l < nlevels; l++) {
        set_level(l);
        static const int sizes[] = {100, 1000};
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            char name[32];
            snprintf(name, sizeof name, "%d.txt", sizes[k]);
            char *want = ref_text("spectral-norm", name);
            double one = 0, two = 0;
            CHECK(kern_spectral_norm(sizes[k], 1, &one) == 0);
            CHECK(kern_spectral_norm(sizes[k], 2, &two) == 0);
            CHECK(one == two);
            memout m;
            CHECK(kern_spectral_norm_format(one, mem_open(&m)) == 0);
            CHECK_STR(mem_text(&m), want);
            free(m.buf);
            free(want);
        }
        double one = 0, two = 0;
        CHECK(kern_spectral_norm(13, 3, &two) == 0); /* rows split unevenly, n not a multiple of 8 */
        CHECK(kern_spectral_norm(13, 1, &one) == 0);
        CHECK(one == two);
        /* scalar and SSE2 do the same operations in the same order; AVX2 and AVX-512 multiply
         * by a refined reciprocal instead of dividing, within about an ulp per term */
        if (l == 0)
            first = one;
        if (l <= KERN_SIMD_SSE2)
            CHECK(one == first);
        CHECK(fabs(one - first) < 1e-13);
    }
    set_level(nlevels - 1);
    double one;
    CHECK(kern_spectral_norm(0, 1, &one) == -EINVAL);
    CHECK(kern_spectral_norm(-1, 1, &one) == -EINVAL);
    CHECK(kern_spectral_norm(10, -1, &one) == -EINVAL);
}

static void test_fannkuch(void)
{
    for (int l = 0; l < nlevels; l++) {
        set_level(l);
        for (int t = 1; t <= 2; t++) {
            static const int sizes[] = {7, 10};
            for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
                char name[32];
                snprintf(name, sizeof name, "%d.txt", sizes[k]);
                char *want = ref_text("fannkuch-redux", name);
                kern_fannkuch_result r;
                memout m;
                CHECK(kern_fannkuch(sizes[k], t, &r) == 0);
                CHECK(kern_fannkuch_format(&r, mem_open(&m)) == 0);
                CHECK_STR(mem_text(&m), want);
                free(m.buf);
                free(want);
            }
            kern_fannkuch_result r;
            CHECK(kern_fannkuch(8, t, &r) == 0);
            CHECK(r.checksum == 1616 && r.max_flips == 22);
            CHECK(kern_fannkuch(3, t, &r) == 0);
            CHECK(r.checksum == 2 && r.max_flips == 2);
        }
    }
    set_level(nlevels - 1);
    kern_fannkuch_result r;
    CHECK(kern_fannkuch(0, 1, &r) == -EINVAL);
    CHECK(kern_fannkuch(-3, 1, &r) == -EINVAL);
    CHECK(kern_fannkuch(7, 1, NULL) == -EINVAL);
}

/* The image's md5 against problems/mandelbrot/ref/N.md5, one thread and two. */
static void check_mandelbrot(int n)
{
    size_t size = kern_mandelbrot_size(n);
    uint8_t *one = calloc(1, size), *two = calloc(1, size);
    char name[32];
    snprintf(name, sizeof name, "%d.md5", n);
    char *want = ref_text("mandelbrot", name);
    if (!one || !two || !want) {
        CHECK(!"out of memory or no reference");
    } else {
        CHECK(kern_mandelbrot(n, 1, one) == 0);
        CHECK(kern_mandelbrot(n, 2, two) == 0);
        CHECK(memcmp(one, two, size) == 0);
        memout m;
        CHECK(kern_mandelbrot_format(n, one, mem_open(&m)) == 0);
        mem_text(&m);
        char hex[33];
        md5_hex((const uint8_t *)m.buf, m.len, hex);
        want[strcspn(want, " \r\n")] = '\0';
        CHECK_STR(hex, want);
        free(m.buf);
    }
    free(want);
    free(one);
    free(two);
}

static void test_mandelbrot(void)
{
    CHECK(kern_mandelbrot_size(200) == 200 * 25);
    for (int l = 0; l < nlevels; l++) {
        set_level(l);
        check_mandelbrot(200);
        check_mandelbrot(1000);

        /* A width that is not a multiple of 8: padding bits stay clear, threads agree. */
        uint8_t one[32], two[32];
        CHECK(kern_mandelbrot_size(13) == 13 * 2);
        memset(one, 0xff, sizeof one);
        memset(two, 0xff, sizeof two);
        CHECK(kern_mandelbrot(13, 1, one) == 0);
        CHECK(kern_mandelbrot(13, 2, two) == 0);
        CHECK(memcmp(one, two, 26) == 0);
        int padding = 0, set = 0;
        for (int y = 0; y < 13; y++) {
            padding |= one[2 * y + 1] & 0x07;
            set += one[2 * y] != 0;
        }
        CHECK(padding == 0);
        CHECK(set > 0);
        CHECK(one[26] == 0xff); /* nothing written past the image */
    }
    set_level(nlevels - 1);
    uint8_t one[8];
    CHECK(kern_mandelbrot(0, 1, one) == -EINVAL);
    CHECK(kern_mandelbrot(-8, 1, one) == -EINVAL);
    CHECK(kern_mandelbrot(8, 1, NULL) == -EINVAL);
    CHECK(kern_mandelbrot_size(0) == 0);
}

static const char trees10[] = "stretch tree of depth 11\t check: 4095\n"
                              "1024\t trees of depth 4\t check: 31744\n"
                              "256\t trees of depth 6\t check: 32512\n"
                              "64\t trees of depth 8\t check: 32704\n"
                              "16\t trees of depth 10\t check: 32752\n"
                              "long lived tree of depth 10\t check: 2047\n";

static void test_binary_trees(void)
{
    kern_bt_result *r = malloc(sizeof *r);
    char *want16 = ref_text("binary-trees", "16.txt");
    if (!r || !want16) {
        CHECK(!"out of memory or no reference");
        free(r);
        free(want16);
        return;
    }
    kern_bt_alloc a;
    CHECK(kern_bt_alloc_parse("apr", &a) == 0 && a == KERN_BT_APR);
    CHECK(kern_bt_alloc_parse("malloc", &a) == 0 && a == KERN_BT_MALLOC);
    CHECK(kern_bt_alloc_parse("arena", &a) == 0 && a == KERN_BT_ARENA);
    CHECK(kern_bt_alloc_parse("pool", &a) == -EINVAL);
    CHECK(kern_binary_trees_default_alloc() != KERN_BT_ARENA); /* the default stays within the rules */
    for (int alloc = KERN_BT_APR; alloc <= KERN_BT_ARENA; alloc++) {
        if (kern_binary_trees_with(6, 1, (kern_bt_alloc)alloc, r) == -ENOTSUP) {
            CHECK(alloc == KERN_BT_APR); /* a build without libapr-1 */
            continue;
        }
        for (int t = 1; t <= 2; t++) {
            memout m;
            CHECK(kern_binary_trees_with(10, t, (kern_bt_alloc)alloc, r) == 0);
            CHECK(kern_binary_trees_format(r, mem_open(&m)) == 0);
            CHECK_STR(mem_text(&m), trees10);
            free(m.buf);
            CHECK(kern_binary_trees_with(16, t, (kern_bt_alloc)alloc, r) == 0);
            CHECK(kern_binary_trees_format(r, mem_open(&m)) == 0);
            CHECK_STR(mem_text(&m), want16);
            free(m.buf);
        }
        CHECK(kern_binary_trees_with(1, 2, (kern_bt_alloc)alloc, r) == 0); /* max_depth is at least 6 */
        CHECK(r->max_depth == 6 && r->ndepths == 2 && r->stretch_check == 255);
        CHECK(r->rows[1].iterations == 16 && r->rows[1].check == 16 * 127);
    }
    CHECK(kern_binary_trees(10, 1, r) == 0 && r->long_lived_check == 2047);
    CHECK(kern_binary_trees(0, 1, r) == -EINVAL);
    CHECK(kern_binary_trees(-1, 1, r) == -EINVAL);
    CHECK(kern_binary_trees(10, 1, NULL) == -EINVAL);
    CHECK(kern_binary_trees_with(10, 1, (kern_bt_alloc)7, r) == -EINVAL);
    free(r);
    free(want16);
}

int main(void)
{
    test_threads();
    test_pool_apart();
    test_waiter();
    test_cpu_features();
    test_simd_levels();
    test_nbody();
    test_spectral_norm();
    test_fannkuch();
    test_mandelbrot();
    test_binary_trees();
    return check_done("test_kernels");
}
