"""ladder_pythran: rungs/_shared/typed_kernels.py compiled ahead of time by pythran (to C++, then g++).

The build writes this header and that file, in this order, to LADDER_BUILD_DIR/src/ladder_pythran.py
and compiles it there. FMA: g++ contracts a * b + c by default (-ffp-contract=fast in GNU mode) when
the target has FMA, so the build passes -ffp-contract=off and no -march=native.
"""
#pythran export nbody_kernel(float64[:, :], int, float, float)
#pythran export spectral_norm_kernel(int)
#pythran export fannkuch_kernel(int)
#pythran export mandelbrot_kernel(int)
