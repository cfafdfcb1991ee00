#include "kernels.h"
#include "kern_simd.h"
#include "cpu/cpu_features.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

static const char *const names[KERN_SIMD_LEVELS] = {"scalar", "sse2", "avx2", "avx512"};

/* -1 until the first call: the CPU's level, or what kern_simd_cap() set. */
static atomic_int cap = -1;

const char *kern_simd_name(kern_simd level)
{
    return (unsigned)level < KERN_SIMD_LEVELS ? names[level] : "unknown";
}

int kern_simd_parse(const char *name, kern_simd *out)
{
    for (int i = 0; name && i < KERN_SIMD_LEVELS; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (kern_simd)i;
            return 0;
        }
    return -EINVAL;
}

kern_simd kern_simd_cpu(void)
{
#ifdef KERN_X86
    if (cpu_has(CPU_AVX2 | CPU_FMA | CPU_AVX512F | CPU_AVX512VL))
        return KERN_SIMD_AVX512;
    if (cpu_has(CPU_AVX2 | CPU_FMA))
        return KERN_SIMD_AVX2;
    if (cpu_has(CPU_SSE2))
        return KERN_SIMD_SSE2;
#endif
    return KERN_SIMD_SCALAR;
}

int kern_simd_cap(kern_simd level)
{
    if ((unsigned)level >= KERN_SIMD_LEVELS)
        return -EINVAL;
    if (level > kern_simd_cpu())
        return -ENOTSUP;
    atomic_store(&cap, (int)level);
    return 0;
}

kern_simd kern_simd_current_cap(void)
{
    int c = atomic_load(&cap);
    if (c < 0) {
        c = (int)kern_simd_cpu();
        atomic_store(&cap, c);
    }
    return (kern_simd)c;
}

kern_simd kern_simd_pick(unsigned has)
{
    for (int l = (int)kern_simd_current_cap(); l > KERN_SIMD_SCALAR; l--)
        if (has & KERN_HAS(l))
            return (kern_simd)l;
    return KERN_SIMD_SCALAR;
}

kern_simd kern_binary_trees_simd(void)
{
    return KERN_SIMD_SCALAR;
}
