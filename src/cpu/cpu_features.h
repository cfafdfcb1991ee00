/* Which SIMD extensions this CPU and its OS support, from CPUID and XGETBV.
 *
 * Header-only so that every build of the kernels (CMake, rungs/c/build.sh, build_ext.py for the
 * Python extensions) gets it without another source file. It exists because
 * __builtin_cpu_supports needs the compiler runtime's CPU model, and `zig cc`'s runtime reports
 * no extension at all: kernels dispatched that way silently ran their scalar fallbacks.
 * A feature counts only when the OS saves its registers (XCR0), as the CPU manuals require. */
#ifndef LADDER_CPU_FEATURES_H
#define LADDER_CPU_FEATURES_H

enum {
    CPU_AVX = 1u << 0,
    CPU_FMA = 1u << 1,
    CPU_AVX2 = 1u << 2,
    CPU_AVX512F = 1u << 3,
    CPU_AVX512VL = 1u << 4,
    CPU_SSE2 = 1u << 5, /* every x86-64 CPU; needs no OS support beyond what SSE2 code already has */
    CPU_AVX512BW = 1u << 6,
};

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static inline unsigned cpu_features(void)
{
    unsigned a, b, c, d, feats = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    if ((d >> 26) & 1)
        feats |= CPU_SSE2;
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave)
        return feats;
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    (void)xcr0_hi;
    const int ymm_saved = (xcr0_lo & 0x6) == 0x6;            /* SSE and AVX state */
    const int zmm_saved = ymm_saved && (xcr0_lo & 0xe0) == 0xe0; /* opmask, ZMM0-15 high, ZMM16-31 */
    if (!ymm_saved || !avx)
        return feats;
    feats |= CPU_AVX;
    if (fma)
        feats |= CPU_FMA;
    if (__get_cpuid_max(0, 0) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if ((b >> 5) & 1)
            feats |= CPU_AVX2;
        if (zmm_saved && ((b >> 16) & 1)) {
            feats |= CPU_AVX512F;
            if ((b >> 31) & 1)
                feats |= CPU_AVX512VL;
            if ((b >> 30) & 1)
                feats |= CPU_AVX512BW;
        }
    }
    return feats;
}
#else
static inline unsigned cpu_features(void) { return 0; }
#endif

/* cpu_has(CPU_AVX2 | CPU_FMA): every named feature is present. */
static inline int cpu_has(unsigned wanted) { return (cpu_features() & wanted) == wanted; }

#endif
