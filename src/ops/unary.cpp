// Unary elementwise math: numeric and floating functions. Rounding, bool
// results and complex views are in unary_rounding.cpp, unary_predicates.cpp
// and unary_complex.cpp.
#include "unary_common.h"

namespace ember {

using namespace unary_detail;

namespace {

// A function of floating or complex numbers (exp, sin ...).
Tensor floating_op(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary(op, stub, a, t, t);
}
Tensor& floating_op_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Tensor& self) {
  return unary_(op, stub, self, floating_dtype(self.dtype()));
}

// A function of real floating numbers only (erf, cbrt ...).
Tensor real_floating_op(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Tensor& a) {
  check_not_complex(op, a);
  return floating_op(op, stub, a);
}
Tensor& real_floating_op_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Tensor& self) {
  check_not_complex(op, self);
  return floating_op_(op, stub, self);
}

void check_not_bool(const char* op, const Tensor& a) {
  EMBER_CHECK(a.dtype() != DType::Bool, RuntimeError, "[", op,
              "] Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
              "mask, use the `~` or `logical_not()` operator instead.");
}

void check_sign_not_complex(const char* op, const Tensor& a) {
  EMBER_CHECK(!a.is_complex(), TypeError, "[", op, "] Unlike NumPy, torch.sign is not intended to support complex "
              "numbers (dtype ", dtype_name(a.dtype()), "). Please use torch.sgn instead.");
}

}  // namespace

// ---- every numeric dtype

Tensor neg(const Tensor& a) {
  check_not_bool("neg", a);
  return unary("neg", neg_stub, a, a.dtype(), a.dtype());
}
Tensor& neg_(Tensor& self) {
  check_not_bool("neg_", self);
  return unary_("neg_", neg_stub, self, self.dtype());
}

Tensor abs(const Tensor& a) {
  EMBER_CHECK(a.dtype() != DType::Bool, RuntimeError, "[abs] abs is not supported for bool tensors");
  return unary("abs", abs_stub, a, a.dtype(), to_real(a.dtype()));
}
Tensor& abs_(Tensor& self) {
  EMBER_CHECK(self.dtype() != DType::Bool, RuntimeError, "[abs_] abs is not supported for bool tensors");
  EMBER_CHECK(!self.is_complex(), RuntimeError, "[abs_] In-place abs is not supported for complex tensors.");
  return unary_("abs_", abs_stub, self, self.dtype());
}

// sign of a bool is the bool itself.
Tensor sign(const Tensor& a) {
  check_sign_not_complex("sign", a);
  if (a.dtype() == DType::Bool) return a.clone();
  return unary("sign", sgn_stub, a, a.dtype(), a.dtype());
}
Tensor& sign_(Tensor& self) {
  check_sign_not_complex("sign_", self);
  if (self.dtype() == DType::Bool) return self;
  return unary_("sign_", sgn_stub, self, self.dtype());
}

Tensor sgn(const Tensor& a) {
  if (a.dtype() == DType::Bool) return a.clone();
  return unary("sgn", sgn_stub, a, a.dtype(), a.dtype());
}
Tensor& sgn_(Tensor& self) {
  if (self.dtype() == DType::Bool) return self;
  return unary_("sgn_", sgn_stub, self, self.dtype());
}

// square(a) is pow(a, 2): bool becomes int64.
Tensor square(const Tensor& a) {
  DType t = a.dtype() == DType::Bool ? DType::Int64 : a.dtype();
  return unary("square", square_stub, a, t, t);
}
Tensor& square_(Tensor& self) {
  return unary_("square_", square_stub, self, self.dtype() == DType::Bool ? DType::Int64 : self.dtype());
}

// ---- floating and complex

Tensor reciprocal(const Tensor& a) { return floating_op("reciprocal", reciprocal_stub, a); }
Tensor sqrt(const Tensor& a) { return floating_op("sqrt", sqrt_stub, a); }
Tensor rsqrt(const Tensor& a) { return floating_op("rsqrt", rsqrt_stub, a); }
Tensor exp(const Tensor& a) { return floating_op("exp", exp_stub, a); }
Tensor exp2(const Tensor& a) { return floating_op("exp2", exp2_stub, a); }
Tensor expm1(const Tensor& a) { return floating_op("expm1", expm1_stub, a); }
Tensor log(const Tensor& a) { return floating_op("log", log_stub, a); }
Tensor log2(const Tensor& a) { return floating_op("log2", log2_stub, a); }
Tensor log10(const Tensor& a) { return floating_op("log10", log10_stub, a); }
Tensor log1p(const Tensor& a) { return floating_op("log1p", log1p_stub, a); }
Tensor sin(const Tensor& a) { return floating_op("sin", sin_stub, a); }
Tensor cos(const Tensor& a) { return floating_op("cos", cos_stub, a); }
Tensor tan(const Tensor& a) { return floating_op("tan", tan_stub, a); }
Tensor asin(const Tensor& a) { return floating_op("asin", asin_stub, a); }
Tensor acos(const Tensor& a) { return floating_op("acos", acos_stub, a); }
Tensor atan(const Tensor& a) { return floating_op("atan", atan_stub, a); }
Tensor sinh(const Tensor& a) { return floating_op("sinh", sinh_stub, a); }
Tensor cosh(const Tensor& a) { return floating_op("cosh", cosh_stub, a); }
Tensor tanh(const Tensor& a) { return floating_op("tanh", tanh_stub, a); }
Tensor asinh(const Tensor& a) { return floating_op("asinh", asinh_stub, a); }
Tensor acosh(const Tensor& a) { return floating_op("acosh", acosh_stub, a); }
Tensor atanh(const Tensor& a) { return floating_op("atanh", atanh_stub, a); }
Tensor sigmoid(const Tensor& a) { return floating_op("sigmoid", sigmoid_stub, a); }

Tensor& reciprocal_(Tensor& self) { return floating_op_("reciprocal_", reciprocal_stub, self); }
Tensor& sqrt_(Tensor& self) { return floating_op_("sqrt_", sqrt_stub, self); }
Tensor& rsqrt_(Tensor& self) { return floating_op_("rsqrt_", rsqrt_stub, self); }
Tensor& exp_(Tensor& self) { return floating_op_("exp_", exp_stub, self); }
Tensor& exp2_(Tensor& self) { return floating_op_("exp2_", exp2_stub, self); }
Tensor& expm1_(Tensor& self) { return floating_op_("expm1_", expm1_stub, self); }
Tensor& log_(Tensor& self) { return floating_op_("log_", log_stub, self); }
Tensor& log2_(Tensor& self) { return floating_op_("log2_", log2_stub, self); }
Tensor& log10_(Tensor& self) { return floating_op_("log10_", log10_stub, self); }
Tensor& log1p_(Tensor& self) { return floating_op_("log1p_", log1p_stub, self); }
Tensor& sin_(Tensor& self) { return floating_op_("sin_", sin_stub, self); }
Tensor& cos_(Tensor& self) { return floating_op_("cos_", cos_stub, self); }
Tensor& tan_(Tensor& self) { return floating_op_("tan_", tan_stub, self); }
Tensor& asin_(Tensor& self) { return floating_op_("asin_", asin_stub, self); }
Tensor& acos_(Tensor& self) { return floating_op_("acos_", acos_stub, self); }
Tensor& atan_(Tensor& self) { return floating_op_("atan_", atan_stub, self); }
Tensor& sinh_(Tensor& self) { return floating_op_("sinh_", sinh_stub, self); }
Tensor& cosh_(Tensor& self) { return floating_op_("cosh_", cosh_stub, self); }
Tensor& tanh_(Tensor& self) { return floating_op_("tanh_", tanh_stub, self); }
Tensor& asinh_(Tensor& self) { return floating_op_("asinh_", asinh_stub, self); }
Tensor& acosh_(Tensor& self) { return floating_op_("acosh_", acosh_stub, self); }
Tensor& atanh_(Tensor& self) { return floating_op_("atanh_", atanh_stub, self); }
Tensor& sigmoid_(Tensor& self) { return floating_op_("sigmoid_", sigmoid_stub, self); }

// ---- real floating

Tensor erf(const Tensor& a) { return real_floating_op("erf", erf_stub, a); }
Tensor erfc(const Tensor& a) { return real_floating_op("erfc", erfc_stub, a); }
Tensor erfinv(const Tensor& a) { return real_floating_op("erfinv", erfinv_stub, a); }
Tensor lgamma(const Tensor& a) { return real_floating_op("lgamma", lgamma_stub, a); }
Tensor cbrt(const Tensor& a) { return real_floating_op("cbrt", cbrt_stub, a); }

Tensor& erf_(Tensor& self) { return real_floating_op_("erf_", erf_stub, self); }
Tensor& erfc_(Tensor& self) { return real_floating_op_("erfc_", erfc_stub, self); }
Tensor& erfinv_(Tensor& self) { return real_floating_op_("erfinv_", erfinv_stub, self); }
Tensor& lgamma_(Tensor& self) { return real_floating_op_("lgamma_", lgamma_stub, self); }

// Negative eps (or none) means no clamping, as PyTorch.
Tensor logit(const Tensor& a, std::optional<double> eps) {
  check_not_complex("logit", a);
  DType t = floating_dtype(a.dtype());
  return unary("logit", logit_stub, a, t, t, eps.value_or(-1.0));
}
Tensor& logit_(Tensor& self, std::optional<double> eps) {
  check_not_complex("logit_", self);
  return unary_("logit_", logit_stub, self, floating_dtype(self.dtype()), eps.value_or(-1.0));
}

}  // namespace ember
