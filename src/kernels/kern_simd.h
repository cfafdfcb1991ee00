/* Internal to the kernels: GCC/Clang generic vectors, and the target attributes that compile one
 * function of a kernel for one dispatch level whatever -march the file is built with. */
#ifndef LADDER_KERN_SIMD_H
#define LADDER_KERN_SIMD_H

#if defined(__x86_64__) || defined(__i386__)
#define KERN_X86 1
#define KERN_ISA_BASE "no-sse3,no-ssse3,no-sse4.1,no-sse4.2,no-avx,no-avx2,no-fma,no-avx512f"
/* Include this header before any other. gcc gives the intrinsics the ISA of the target in force
 * where <immintrin.h> is read, and inlines one only into a function whose ISA includes it:
 * read under the baseline ISA, each intrinsic has only what it needs, so a function restricted
 * to a level below -march=native (KERN_T_SSE2, KERN_T_AVX2) can still use it. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC target("no-sse3,no-ssse3,no-sse4.1,no-sse4.2,no-avx,no-avx2,no-fma,no-avx512f")
#include <immintrin.h>
#pragma GCC pop_options
#else
#include <immintrin.h>
#endif
#endif

#include "kernels.h"

/* Helpers take and return these through pointers: by value, builds without AVX warn (-Wpsabi). */
typedef double kern_v4d __attribute__((vector_size(32), aligned(32)));
typedef long long kern_v4l __attribute__((vector_size(32), aligned(32)));

/* The highest level at or below the cap among the ones a kernel has (has: a bit per level). */
kern_simd kern_simd_pick(unsigned has);
#define KERN_HAS(level) (1u << (level))

/* The ISA each level's functions are compiled for. With gcc it is the level's own, whatever
 * -march=native added ("no-" features turn off everything built on them): the code a CPU of
 * that level runs. clang's intrinsics carry the file's -march features, so there a function may
 * not drop any: clang's level functions only add what they need and, on a bigger CPU than the
 * level, may be encoded with its extensions (VEX or EVEX forms of the same operations). */
/* A level's entry function must not be inlined into its native caller, whose ISA it would then
 * be compiled with: declare it KERN_LEVEL(KERN_T_...). */
#define KERN_LEVEL(t) t __attribute__((noinline))

#ifdef KERN_X86
#if defined(__clang__)
#define KERN_T_BASE
#define KERN_T_AVX2 __attribute__((target("avx,avx2,fma")))
#else
#define KERN_T_BASE __attribute__((target(KERN_ISA_BASE)))
#define KERN_T_AVX2 __attribute__((target("avx,avx2,fma,no-avx512f")))
#endif
#define KERN_T_SSE2 KERN_T_BASE
#define KERN_T_AVX512 __attribute__((target("avx,avx2,fma,avx512f,avx512vl")))
#else
#define KERN_T_BASE
#endif

#endif
