/* The C kernels against the Benchmarks Game references at small N, threaded and not. */
#include "check.h"
#include "cpu/cpu_features.h"
#include "kernels/kern_simd.h"
#include "kernels/kernels.h"

#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>

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

static void test_threads(void)
{
    CHECK(kern_threads_resolve(0) >= 1);
    CHECK(kern_threads_resolve(1) == 1);
    CHECK(kern_threads_resolve(3) == 3);
    CHECK(kern_threads_resolve(-1) == -EINVAL);
}

/* The kernels dispatch on cpu_has(); where the compiler runtime's CPU model works (gcc's and
 * clang's do, zig cc's does not), both must agree on every feature the kernels ask for. */
static void test_cpu_features(void)
{
    unsigned f = cpu_features();
    CHECK(!(f & CPU_AVX512VL) || (f & CPU_AVX512F));
    CHECK(!(f & (CPU_AVX2 | CPU_FMA | CPU_AVX512F)) || (f & CPU_AVX));
    CHECK(cpu_has(0));
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    CHECK(!!(f & CPU_AVX) == !!__builtin_cpu_supports("avx"));
    CHECK(!!(f & CPU_FMA) == !!__builtin_cpu_supports("fma"));
    CHECK(!!(f & CPU_AVX2) == !!__builtin_cpu_supports("avx2"));
    CHECK(!!(f & CPU_AVX512F) == !!__builtin_cpu_supports("avx512f"));
    CHECK(!!(f & CPU_AVX512VL) == !!__builtin_cpu_supports("avx512vl"));
#else
    CHECK(f == 0);
#endif
}

static void test_nbody(void)
{
    for (int portable = 0; portable <= 1; portable++) {
        kern_simd_disabled = portable;
        kern_nbody_result r;
        memout m;
        CHECK(kern_nbody(1000, &r) == 0);
        CHECK(kern_nbody_format(&r, mem_open(&m)) == 0);
        CHECK_STR(mem_text(&m), "-0.169075164\n-0.169087605\n");
        free(m.buf);
    }
    kern_simd_disabled = 0;
    kern_nbody_result a, b;
    kern_simd_disabled = 1;
    CHECK(kern_nbody(2000, &a) == 0);
    kern_simd_disabled = 0;
    CHECK(kern_nbody(2000, &b) == 0);
    /* The AVX path does the reference's operations in the same order and matches exactly; the
     * AVX-512 path's magnitudes (rsqrt estimate + correction) can differ in the last bit, so
     * allow a little drift. */
    CHECK(fabs(a.energy_after - b.energy_after) < 1e-12);
    CHECK(kern_nbody(0, &a) == -EINVAL);
    CHECK(kern_nbody(-5, &a) == -EINVAL);
    CHECK(kern_nbody(10, NULL) == -EINVAL);
}

static void test_spectral_norm(void)
{
    double one = 0, two = 0;
    CHECK(kern_spectral_norm(100, 1, &one) == 0);
    CHECK(kern_spectral_norm(100, 2, &two) == 0);
    CHECK(one == two);
    memout m;
    CHECK(kern_spectral_norm_format(one, mem_open(&m)) == 0);
    CHECK_STR(mem_text(&m), "1.274219991\n");
    free(m.buf);
    CHECK(kern_spectral_norm(13, 3, &two) == 0); /* rows split unevenly, n not a multiple of 8 */
    CHECK(kern_spectral_norm(13, 1, &one) == 0);
    CHECK(one == two);
    CHECK(kern_spectral_norm(0, 1, &one) == -EINVAL);
    CHECK(kern_spectral_norm(-1, 1, &one) == -EINVAL);
    CHECK(kern_spectral_norm(10, -1, &one) == -EINVAL);
}

static void test_fannkuch(void)
{
    for (int portable = 0; portable <= 1; portable++) {
        kern_simd_disabled = portable;
        for (int t = 1; t <= 2; t++) {
            kern_fannkuch_result r;
            memout m;
            CHECK(kern_fannkuch(7, t, &r) == 0);
            CHECK(kern_fannkuch_format(&r, mem_open(&m)) == 0);
            CHECK_STR(mem_text(&m), "228\nPfannkuchen(7) = 16\n");
            free(m.buf);
            CHECK(kern_fannkuch(8, t, &r) == 0);
            CHECK(r.checksum == 1616 && r.max_flips == 22);
            CHECK(kern_fannkuch(3, t, &r) == 0);
            CHECK(r.checksum == 2 && r.max_flips == 2);
        }
    }
    kern_simd_disabled = 0;
    kern_fannkuch_result r;
    CHECK(kern_fannkuch(0, 1, &r) == -EINVAL);
    CHECK(kern_fannkuch(-3, 1, &r) == -EINVAL);
    CHECK(kern_fannkuch(7, 1, NULL) == -EINVAL);
}

static void test_mandelbrot(void)
{
    size_t size = kern_mandelbrot_size(200);
    CHECK(size == 200 * 25);
    uint8_t *one = calloc(1, size), *two = calloc(1, size);
    if (!one || !two) {
        CHECK(!"out of memory");
        return;
    }
    CHECK(kern_mandelbrot(200, 1, one) == 0);
    CHECK(kern_mandelbrot(200, 2, two) == 0);
    CHECK(memcmp(one, two, size) == 0);
    memout m;
    CHECK(kern_mandelbrot_format(200, one, mem_open(&m)) == 0);
    mem_text(&m);
    char hex[33];
    md5_hex((const uint8_t *)m.buf, m.len, hex);
    CHECK_STR(hex, "cc65e64bd553ed18896de1dfe7fae3e5");
    CHECK(m.len > 11 && memcmp(m.buf, "P4\n200 200\n", 11) == 0);
    free(m.buf);

    /* A width that is not a multiple of 8: padding bits stay clear, threads agree. */
    CHECK(kern_mandelbrot_size(13) == 13 * 2);
    memset(one, 0xff, size);
    memset(two, 0xff, size);
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
    CHECK(kern_mandelbrot(0, 1, one) == -EINVAL);
    CHECK(kern_mandelbrot(-8, 1, one) == -EINVAL);
    CHECK(kern_mandelbrot(8, 1, NULL) == -EINVAL);
    CHECK(kern_mandelbrot_size(0) == 0);
    free(one);
    free(two);
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
    if (!r) {
        CHECK(!"out of memory");
        return;
    }
    for (int t = 1; t <= 2; t++) {
        memout m;
        CHECK(kern_binary_trees(10, t, r) == 0);
        CHECK(kern_binary_trees_format(r, mem_open(&m)) == 0);
        CHECK_STR(mem_text(&m), trees10);
        free(m.buf);
    }
    CHECK(kern_binary_trees(1, 2, r) == 0); /* max_depth is at least 6 */
    CHECK(r->max_depth == 6 && r->ndepths == 2 && r->stretch_check == 255);
    CHECK(r->rows[1].iterations == 16 && r->rows[1].check == 16 * 127);
    CHECK(kern_binary_trees(0, 1, r) == -EINVAL);
    CHECK(kern_binary_trees(-1, 1, r) == -EINVAL);
    CHECK(kern_binary_trees(10, 1, NULL) == -EINVAL);
    free(r);
}

int main(void)
{
    test_threads();
    test_cpu_features();
    test_nbody();
    test_spectral_norm();
    test_fannkuch();
    test_mandelbrot();
    test_binary_trees();
    return check_done("test_kernels");
}
