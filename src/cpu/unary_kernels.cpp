// CPU kernels for unary elementwise math (Note [CPU elementwise loops]).
// Predicates and bitwise ops are in unary_predicate_kernels.cpp.
#include <limits>

#include "../kernels/unary_functors.h"
#include "ember/core/unary_kernels.h"
#include "loops.h"
#include "vec_unary_loop.h"

namespace ember {
namespace {

// One kernel per functor, instantiated only for the dtypes the op supports.
template <class F>
ElementwiseKernel floating_complex(F) {
  return [](TensorIterator& it) {
    dispatch_floating_complex(it.dtype(0), "unary op", [&]<class T>() { cpu::unary_loop<T, T>(it, F{}); });
  };
}

// floating_complex, with the real dtypes on the vectorized kernels of
// Note [Vectorized math].
template <cpu::vec::Op op, class F>
ElementwiseKernel vectorized(F) {
  return [](TensorIterator& it) {
    dispatch_floating_complex(it.dtype(0), "unary op", [&]<class T>() { cpu::vec_unary_loop<T>(it, op, F{}); });
  };
}

template <class F>
ElementwiseKernel floating(F) {
  return [](TensorIterator& it) {
    dispatch_floating(it.dtype(0), "unary op", [&]<class T>() { cpu::unary_loop<T, T>(it, F{}); });
  };
}

template <class F>
ElementwiseKernel numeric(F) {
  return [](TensorIterator& it) {
    dispatch_numeric(it.dtype(0), "unary op", [&]<class T>() { cpu::unary_loop<T, T>(it, F{}); });
  };
}

// Complex input, real output (abs, angle): operand 0 has the real dtype.
template <class F>
ElementwiseKernel to_real(F) {
  return [](TensorIterator& it) {
    dispatch_numeric(it.dtype(1), "unary op", [&]<class T>() {
      cpu::unary_loop<typename detail::is_complex_t<T>::type, T>(it, F{});
    });
  };
}

void conj_kernel(TensorIterator& it) {
  if (it.dtype(0) == DType::Complex64) cpu::unary_loop<std::complex<float>, std::complex<float>>(it, fn::Conj{});
  else cpu::unary_loop<std::complex<double>, std::complex<double>>(it, fn::Conj{});
}

void round_decimals_kernel(TensorIterator& it, int64_t decimals) {
  // |decimals| in double: negating INT64_MIN would overflow.
  fn::RoundDecimals f{std::pow(10.0, std::fabs(static_cast<double>(decimals))), decimals < 0};
  dispatch_floating(it.dtype(0), "round", [&]<class T>() { cpu::unary_loop<T, T>(it, f); });
}

void logit_kernel(TensorIterator& it, double eps) {
  dispatch_floating(it.dtype(0), "logit", [&]<class T>() { cpu::unary_loop<T, T>(it, fn::Logit{eps}); });
}

template <class T>
double largest() {
  if constexpr (std::is_same_v<T, Half>) return 65504.0;
  else if constexpr (std::is_same_v<T, BFloat16>) return 3.38953138925153547590470800371487867e38;
  else return static_cast<double>(std::numeric_limits<T>::max());
}

void nan_to_num_kernel(TensorIterator& it, double nan, std::optional<double> posinf, std::optional<double> neginf) {
  dispatch_floating(it.dtype(0), "nan_to_num", [&]<class T>() {
    fn::NanToNum f{nan, posinf.value_or(largest<T>()), neginf.value_or(-largest<T>())};
    cpu::unary_loop<T, T>(it, f);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(neg_stub, CPU, numeric(fn::Neg{}));
EMBER_REGISTER_KERNEL(abs_stub, CPU, to_real(fn::Abs{}));
EMBER_REGISTER_KERNEL(sgn_stub, CPU, numeric(fn::Sgn{}));
EMBER_REGISTER_KERNEL(square_stub, CPU, numeric(fn::Square{}));
EMBER_REGISTER_KERNEL(reciprocal_stub, CPU, floating_complex(fn::Reciprocal{}));
EMBER_REGISTER_KERNEL(sqrt_stub, CPU, floating_complex(fn::Sqrt{}));
EMBER_REGISTER_KERNEL(rsqrt_stub, CPU, floating_complex(fn::Rsqrt{}));
EMBER_REGISTER_KERNEL(exp_stub, CPU, vectorized<cpu::vec::Exp>(fn::Exp{}));
EMBER_REGISTER_KERNEL(exp2_stub, CPU, floating_complex(fn::Exp2{}));
EMBER_REGISTER_KERNEL(expm1_stub, CPU, vectorized<cpu::vec::Expm1>(fn::Expm1{}));
EMBER_REGISTER_KERNEL(log_stub, CPU, vectorized<cpu::vec::Log>(fn::Log{}));
EMBER_REGISTER_KERNEL(log2_stub, CPU, floating_complex(fn::Log2{}));
EMBER_REGISTER_KERNEL(log10_stub, CPU, floating_complex(fn::Log10{}));
EMBER_REGISTER_KERNEL(log1p_stub, CPU, floating_complex(fn::Log1p{}));
EMBER_REGISTER_KERNEL(sin_stub, CPU, vectorized<cpu::vec::Sin>(fn::Sin{}));
EMBER_REGISTER_KERNEL(cos_stub, CPU, vectorized<cpu::vec::Cos>(fn::Cos{}));
EMBER_REGISTER_KERNEL(tan_stub, CPU, floating_complex(fn::Tan{}));
EMBER_REGISTER_KERNEL(asin_stub, CPU, floating_complex(fn::Asin{}));
EMBER_REGISTER_KERNEL(acos_stub, CPU, floating_complex(fn::Acos{}));
EMBER_REGISTER_KERNEL(atan_stub, CPU, floating_complex(fn::Atan{}));
EMBER_REGISTER_KERNEL(sinh_stub, CPU, floating_complex(fn::Sinh{}));
EMBER_REGISTER_KERNEL(cosh_stub, CPU, floating_complex(fn::Cosh{}));
EMBER_REGISTER_KERNEL(tanh_stub, CPU, vectorized<cpu::vec::Tanh>(fn::Tanh{}));
EMBER_REGISTER_KERNEL(asinh_stub, CPU, floating_complex(fn::Asinh{}));
EMBER_REGISTER_KERNEL(acosh_stub, CPU, floating_complex(fn::Acosh{}));
EMBER_REGISTER_KERNEL(atanh_stub, CPU, floating_complex(fn::Atanh{}));
EMBER_REGISTER_KERNEL(sigmoid_stub, CPU, vectorized<cpu::vec::Sigmoid>(fn::Sigmoid{}));
EMBER_REGISTER_KERNEL(angle_stub, CPU, to_real(fn::Angle{}));
EMBER_REGISTER_KERNEL(conj_stub, CPU, &conj_kernel);
EMBER_REGISTER_KERNEL(erf_stub, CPU, floating(fn::Erf{}));
EMBER_REGISTER_KERNEL(erfc_stub, CPU, floating(fn::Erfc{}));
EMBER_REGISTER_KERNEL(erfinv_stub, CPU, floating(fn::Erfinv{}));
EMBER_REGISTER_KERNEL(lgamma_stub, CPU, floating(fn::Lgamma{}));
EMBER_REGISTER_KERNEL(cbrt_stub, CPU, floating(fn::Cbrt{}));
EMBER_REGISTER_KERNEL(floor_stub, CPU, floating(fn::Floor{}));
EMBER_REGISTER_KERNEL(ceil_stub, CPU, floating(fn::Ceil{}));
EMBER_REGISTER_KERNEL(round_stub, CPU, floating(fn::Round{}));
EMBER_REGISTER_KERNEL(trunc_stub, CPU, floating(fn::Trunc{}));
EMBER_REGISTER_KERNEL(frac_stub, CPU, floating(fn::Frac{}));
EMBER_REGISTER_KERNEL(round_decimals_stub, CPU, &round_decimals_kernel);
EMBER_REGISTER_KERNEL(logit_stub, CPU, &logit_kernel);
EMBER_REGISTER_KERNEL(nan_to_num_stub, CPU, &nan_to_num_kernel);

}  // namespace ember
