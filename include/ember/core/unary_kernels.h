#pragma once
// Kernel tables for unary elementwise ops (Note [Dispatch stubs]). Operand
// 0 is the output, 1 the input (already in the op's compute dtype).
#include <optional>

#include "ember/core/elementwise_kernels.h"

namespace ember {

// round(x, decimals) with decimals != 0.
using RoundDecimalsKernel = void (*)(TensorIterator& it, int64_t decimals);
// logit; eps < 0 means no clamping.
using LogitKernel = void (*)(TensorIterator& it, double eps);
// nan_to_num; an absent posinf/neginf is the dtype's largest/lowest value.
using NanToNumKernel = void (*)(TensorIterator& it, double nan, std::optional<double> posinf,
                                std::optional<double> neginf);

// Defined on every numeric dtype.
EMBER_DECLARE_STUB(neg_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(abs_stub, ElementwiseKernel);     // complex -> real
EMBER_DECLARE_STUB(sgn_stub, ElementwiseKernel);     // sign, and z/|z| for complex
EMBER_DECLARE_STUB(square_stub, ElementwiseKernel);
// Floating and complex.
EMBER_DECLARE_STUB(reciprocal_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(sqrt_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(rsqrt_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(exp_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(exp2_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(expm1_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(log_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(log2_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(log10_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(log1p_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(sin_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(cos_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(tan_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(asin_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(acos_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(atan_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(sinh_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(cosh_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(tanh_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(asinh_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(acosh_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(atanh_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(sigmoid_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(angle_stub, ElementwiseKernel);   // complex -> real
EMBER_DECLARE_STUB(conj_stub, ElementwiseKernel);    // complex only
// Real floating only.
EMBER_DECLARE_STUB(erf_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(erfc_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(erfinv_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(lgamma_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(cbrt_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(floor_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(ceil_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(round_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(trunc_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(frac_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(round_decimals_stub, RoundDecimalsKernel);
EMBER_DECLARE_STUB(logit_stub, LogitKernel);
EMBER_DECLARE_STUB(nan_to_num_stub, NanToNumKernel);
// Bool results.
EMBER_DECLARE_STUB(isnan_stub, ElementwiseKernel);     // floating and complex
EMBER_DECLARE_STUB(isinf_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(isfinite_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(isposinf_stub, ElementwiseKernel);  // real floating
EMBER_DECLARE_STUB(isneginf_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(logical_not_stub, ElementwiseKernel);  // every dtype
// Bool and integers.
EMBER_DECLARE_STUB(bitwise_not_stub, ElementwiseKernel);

}  // namespace ember
