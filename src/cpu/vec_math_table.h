#pragma once
// The kernel table of Note [Vectorized math] for one ISA: W float64 lanes
// (vec_math_impl.h) and 2W float32 lanes (vec_math_f32.h). Included only by
// the per-ISA files.
#include "vec_math_f32.h"

namespace ember::cpu::vec {
namespace {

// EXPR32 is either a float32-lane function of x (F32) or a float64-lane one
// of x (F64_FOR_32: the functions without a float32 algorithm yet).
#define EMBER_VEC_OP(NAME, EXPR32, EXPR64)                                                              \
  template <int W>                                                                                      \
  struct NAME##_op {                                                                                    \
    using D = typename V<W>::D;                                                                         \
    using I = typename V<W>::I;                                                                         \
    using F = typename VF<2 * W>::F;                                                                    \
    using FI = typename VF<2 * W>::I;                                                                   \
    static void f32(const float* in, float* out, int64_t n) { EXPR32; }                                \
    static void f64(const double* in, double* out, int64_t n) {                                         \
      run_f64<W>(in, out, n, [](D x) { return EXPR64; });                                               \
    }                                                                                                   \
  };
#define F32(EXPR) run_f32_lanes<2 * W>(in, out, n, [](F x) { return EXPR; })
#define F64_FOR_32(EXPR) run_f32_via_f64<W>(in, out, n, [](D x) { return EXPR; })

EMBER_VEC_OP(exp, F32((exp_f32<F, FI>(x))), (exp_v<D, I>(x)))
EMBER_VEC_OP(expm1, F32((expm1_f32<F, FI>(x))), (expm1_v<D, I>(x)))
EMBER_VEC_OP(log, F32((log_f32<F, FI>(x))), (log_v<D, I>(x)))
EMBER_VEC_OP(sin, F64_FOR_32((sincos_v<D, I>(x, false))), (sincos_v<D, I>(x, false)))
EMBER_VEC_OP(cos, F64_FOR_32((sincos_v<D, I>(x, true))), (sincos_v<D, I>(x, true)))
EMBER_VEC_OP(tanh, F32((tanh_f32<F, FI>(x))), (tanh_v<D, I>(x)))
EMBER_VEC_OP(sigmoid, F32((sigmoid_f32<F, FI>(x))), (sigmoid_v<D, I>(x)))
#undef F64_FOR_32
#undef F32
#undef EMBER_VEC_OP

// The table in the order of enum Op.
template <int W>
constexpr Kernels make_kernels() {
  return Kernels{
      {exp_op<W>::f32, expm1_op<W>::f32, log_op<W>::f32, sin_op<W>::f32, cos_op<W>::f32, tanh_op<W>::f32,
       sigmoid_op<W>::f32},
      {exp_op<W>::f64, expm1_op<W>::f64, log_op<W>::f64, sin_op<W>::f64, cos_op<W>::f64, tanh_op<W>::f64,
       sigmoid_op<W>::f64},
  };
}

}  // namespace
}  // namespace ember::cpu::vec
