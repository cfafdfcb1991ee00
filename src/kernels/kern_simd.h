/* Internal to the kernels: GCC/Clang generic vectors, which compile to AVX with -march=native
 * and to pairs of SSE2 operations without it. */
#ifndef LADDER_KERN_SIMD_H
#define LADDER_KERN_SIMD_H

/* Helpers take and return these through pointers: by value, builds without AVX warn (-Wpsabi). */
/* Tests set this to make the kernels with a runtime CPU check (n-body, fannkuch-redux) take
 * their portable path, which must give the same results. */
extern int kern_simd_disabled;

typedef double kern_v4d __attribute__((vector_size(32), aligned(32)));
typedef long long kern_v4l __attribute__((vector_size(32), aligned(32)));

#endif
