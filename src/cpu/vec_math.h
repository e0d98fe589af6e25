#pragma once
// Note [Vectorized math]
// exp, expm1, log, sin, cos, tanh and sigmoid over contiguous float32 and
// float64 arrays, written once with GCC vector extensions and compiled
// twice: for AVX2+FMA (vec_math_avx2.cpp: 8 float32 / 4 float64 lanes) and
// for AVX-512 (vec_math_avx512.cpp: 16 / 8 lanes), each file with its own
// -m flags; vec_math_table.h assembles one Kernels table per ISA.
// capability() picks one at run time with __builtin_cpu_supports; other
// CPUs (and EMBER_CPU_CAPABILITY=default, as PyTorch's ATEN_CPU_CAPABILITY)
// keep the scalar libm path.
//   - float32 exp, expm1, log, tanh and sigmoid have float32 algorithms on
//     float32 lanes (vec_math_f32.h, Notes [float32 exp], [float32 log] and
//     [float32 tanh]): table-driven reductions (a 16-entry table is one
//     vpermps), float32 minimax polynomials with FMA, and the few extra
//     bits (exact reduction steps, double-float pieces, one residual
//     correction of a quotient) that keep them within 1 ULP everywhere and
//     correctly rounded for more than 99% of all float32 inputs (checked
//     exhaustively while they were written; tests check a million spread
//     bit patterns). They need no libm lanes: overflow, underflow to
//     subnormals and zero, infinities, NaN and log's special inputs are
//     computed in vector form.
//   - float64, and float32 sin and cos, use fdlibm's algorithms
//     (vec_math_impl.h) in float64 (float32 rounds once at the end), with
//     their branches turned into lane selects; lanes outside a function's
//     fast range (huge arguments of sin/cos, log of non-positive or
//     subnormal numbers, overflowing exp, NaN) are recomputed with libm.
// All paths meet the ULP bounds of the scalar functions
// (tests/python/test_simd_math.py, test_unary_accuracy.py).
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
