#pragma once
// Note [Vectorized math]
// exp, expm1, log, sin, cos, tanh and sigmoid over contiguous float32 and
// float64 arrays, written once (vec_math_impl.h, with GCC vector extensions)
// and compiled twice: for AVX2+FMA (vec_math_avx2.cpp) and for AVX-512
// (vec_math_avx512.cpp), each file with its own -m flags. capability()
// picks one at run time with __builtin_cpu_supports; other CPUs (and
// EMBER_CPU_CAPABILITY=default, as PyTorch's ATEN_CPU_CAPABILITY) keep the
// scalar libm path. The algorithms are fdlibm's, evaluated in float64 for
// both dtypes (float32 rounds once at the end; its exp, tanh and sigmoid use
// shorter polynomials that still leave ~1e-11 relative error), so they meet
// the same ULP bounds as the scalar functions
// (tests/python/test_simd_math.py); lanes outside a function's fast range
// (huge arguments of sin/cos, log of non-positive or subnormal numbers,
// overflowing exp, NaN) are recomputed with the scalar libm call.
#include <cstdint>

namespace ember::cpu::vec {

enum class Capability { Default, AVX2, AVX512 };

enum Op { Exp, Expm1, Log, Sin, Cos, Tanh, Sigmoid, kNumOps };

using Fn32 = void (*)(const float* in, float* out, int64_t n);
using Fn64 = void (*)(const double* in, double* out, int64_t n);

struct Kernels {
  Fn32 f32[kNumOps];
  Fn64 f64[kNumOps];
};

// The ISA tables (defined in the per-ISA files).
extern const Kernels kAvx2Kernels;
extern const Kernels kAvx512Kernels;

// The best capability of this CPU, lowered by EMBER_CPU_CAPABILITY
// (default, avx2, avx512); read once.
Capability capability();
// The kernels for capability(), or null for the scalar path.
const Kernels* kernels();

}  // namespace ember::cpu::vec
