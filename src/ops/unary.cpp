// Unary elementwise math: numeric and floating functions. Rounding, bool
// results and complex views are in unary_rounding.cpp, unary_predicates.cpp
// and unary_complex.cpp.
#include <cmath>

#include "unary_backward.h"
#include "ember/core/special_kernels.h"
#include "unary_common.h"

namespace ember {

using namespace unary_detail;

namespace {

// A function of floating or complex numbers (exp, sin ...).
Tensor floating_op(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary(op, stub, a, t, t);
}
// In place: when autograd must see it, the out-of-place op `fn` computes it
// and records (its formula serves the in-place form too).
Tensor& floating_op_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Tensor& self, UnaryFn fn) {
  if (autograd::inplace_needs_grad(self)) return autograd::apply_inplace(self, fn);
  return unary_(op, stub, self, floating_dtype(self.dtype()));
}

// A function of real floating numbers only (erf, cbrt ...).
Tensor real_floating_op(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Tensor& a) {
  check_not_complex(op, a);
  return floating_op(op, stub, a);
}
Tensor& real_floating_op_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Tensor& self, UnaryFn fn) {
  check_not_complex(op, self);
  return floating_op_(op, stub, self, fn);
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
  Tensor out = unary("neg", neg_stub, a, a.dtype(), a.dtype());
  return record_unary("NegBackward0", a, out, Save::Nothing, [](const Tensor& g, const Tensor&) { return neg(g); });
}
Tensor& neg_(Tensor& self) {
  check_not_bool("neg_", self);
  if (autograd::inplace_needs_grad(self)) return autograd::apply_inplace(self, UnaryFn(neg));
  return unary_("neg_", neg_stub, self, self.dtype());
}

// d|x| = sgn(x) (complex: the gradient is grad * x / |x|); 0 at 0.
Tensor abs(const Tensor& a) {
  EMBER_CHECK(a.dtype() != DType::Bool, RuntimeError, "[abs] abs is not supported for bool tensors");
  Tensor out = unary("abs", abs_stub, a, a.dtype(), to_real(a.dtype()));
  return record_unary("AbsBackward0", a, out, Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, sgn(x)); });
}
Tensor& abs_(Tensor& self) {
  EMBER_CHECK(self.dtype() != DType::Bool, RuntimeError, "[abs_] abs is not supported for bool tensors");
  EMBER_CHECK(!self.is_complex(), RuntimeError, "[abs_] In-place abs is not supported for complex tensors.");
  if (autograd::inplace_needs_grad(self)) return autograd::apply_inplace(self, UnaryFn(abs));
  return unary_("abs_", abs_stub, self, self.dtype());
}

// sign of a bool is the bool itself.
Tensor sign(const Tensor& a) {
  check_sign_not_complex("sign", a);
  if (a.dtype() == DType::Bool) return a.clone();
  return record_zero_grad("SignBackward0", a, unary("sign", sgn_stub, a, a.dtype(), a.dtype()));
}
Tensor& sign_(Tensor& self) {
  check_sign_not_complex("sign_", self);
  if (self.dtype() == DType::Bool) return self;
  if (autograd::inplace_needs_grad(self)) return autograd::apply_inplace(self, UnaryFn(sign));
  return unary_("sign_", sgn_stub, self, self.dtype());
}

// sgn(z) = z / |z|: for complex z the gradient is (g - Re(g conj(s)) s) / |z|
// (0 where z == 0); real sgn is piecewise constant.
Tensor sgn(const Tensor& a) {
  if (a.dtype() == DType::Bool) return a.clone();
  Tensor out = unary("sgn", sgn_stub, a, a.dtype(), a.dtype());
  if (!a.is_complex()) return record_zero_grad("SgnBackward0", a, out);
  return record_unary("SgnBackward0", a, out, Save::Input, [](const Tensor& g, const Tensor& x) {
    Tensor r = abs(x), s = sgn(x);
    Tensor gx = div(sub(g, mul(real(mul(g, conj(s))), s)), r);
    return where(eq(r, 0.0), 0.0, gx);
  });
}
Tensor& sgn_(Tensor& self) {
  if (self.dtype() == DType::Bool) return self;
  if (autograd::inplace_needs_grad(self)) return autograd::apply_inplace(self, UnaryFn(sgn));
  return unary_("sgn_", sgn_stub, self, self.dtype());
}

// square(a) is pow(a, 2): bool becomes int64.
Tensor square(const Tensor& a) {
  DType t = a.dtype() == DType::Bool ? DType::Int64 : a.dtype();
  Tensor out = unary("square", square_stub, a, t, t);
  return record_unary("PowBackward0", a, out, Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, mul(conj(x), 2.0)); });
}
Tensor& square_(Tensor& self) {
  if (autograd::inplace_needs_grad(self)) return autograd::apply_inplace(self, UnaryFn(square));
  return unary_("square_", square_stub, self, self.dtype() == DType::Bool ? DType::Int64 : self.dtype());
}

// ---- floating and complex: gradient = grad * conj(f'(x)) (PyTorch's
// convention for holomorphic functions), f' from the saved input or output.

Tensor reciprocal(const Tensor& a) {
  return record_unary("ReciprocalBackward0", a, floating_op("reciprocal", reciprocal_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(neg(g), conj(mul(r, r))); });
}
Tensor sqrt(const Tensor& a) {
  return record_unary("SqrtBackward0", a, floating_op("sqrt", sqrt_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return div(g, mul(conj(r), 2.0)); });
}
Tensor rsqrt(const Tensor& a) {
  return record_unary("RsqrtBackward0", a, floating_op("rsqrt", rsqrt_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(g, conj(mul(mul(r, mul(r, r)), -0.5))); });
}
Tensor exp(const Tensor& a) {
  return record_unary("ExpBackward0", a, floating_op("exp", exp_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(g, conj(r)); });
}
Tensor exp2(const Tensor& a) {
  return record_unary("Exp2Backward0", a, floating_op("exp2", exp2_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(g, mul(conj(r), M_LN2)); });
}
Tensor expm1(const Tensor& a) {
  return record_unary("Expm1Backward0", a, floating_op("expm1", expm1_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(g, add(conj(r), 1.0)); });
}
Tensor log(const Tensor& a) {
  return record_unary("LogBackward0", a, floating_op("log", log_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return div(g, conj(x)); });
}
Tensor log2(const Tensor& a) {
  return record_unary("Log2Backward0", a, floating_op("log2", log2_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return div(g, mul(conj(x), M_LN2)); });
}
Tensor log10(const Tensor& a) {
  return record_unary("Log10Backward0", a, floating_op("log10", log10_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return div(g, mul(conj(x), M_LN10)); });
}
Tensor log1p(const Tensor& a) {
  return record_unary("Log1PBackward0", a, floating_op("log1p", log1p_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return div(g, add(conj(x), 1.0)); });
}
Tensor sin(const Tensor& a) {
  return record_unary("SinBackward0", a, floating_op("sin", sin_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, conj(cos(x))); });
}
Tensor cos(const Tensor& a) {
  return record_unary("CosBackward0", a, floating_op("cos", cos_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, neg(conj(sin(x)))); });
}
Tensor tan(const Tensor& a) {
  return record_unary("TanBackward0", a, floating_op("tan", tan_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(g, add(conj(mul(r, r)), 1.0)); });
}
Tensor asin(const Tensor& a) {
  return record_unary("AsinBackward0", a, floating_op("asin", asin_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, conj(rsqrt(sub(1.0, mul(x, x))))); });
}
Tensor acos(const Tensor& a) {
  return record_unary("AcosBackward0", a, floating_op("acos", acos_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, neg(conj(rsqrt(sub(1.0, mul(x, x)))))); });
}
Tensor atan(const Tensor& a) {
  return record_unary("AtanBackward0", a, floating_op("atan", atan_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return div(g, conj(add(mul(x, x), 1.0))); });
}
Tensor sinh(const Tensor& a) {
  return record_unary("SinhBackward0", a, floating_op("sinh", sinh_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, conj(cosh(x))); });
}
Tensor cosh(const Tensor& a) {
  return record_unary("CoshBackward0", a, floating_op("cosh", cosh_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, conj(sinh(x))); });
}
Tensor tanh(const Tensor& a) {
  return record_unary("TanhBackward0", a, floating_op("tanh", tanh_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(g, conj(sub(1.0, mul(r, r)))); });
}
Tensor asinh(const Tensor& a) {
  return record_unary("AsinhBackward0", a, floating_op("asinh", asinh_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, conj(rsqrt(add(mul(x, x), 1.0)))); });
}
// 1 / (sqrt(x - 1) sqrt(x + 1)) rather than 1 / sqrt(x^2 - 1): the same for
// real x > 1, and the right branch for complex x.
Tensor acosh(const Tensor& a) {
  return record_unary("AcoshBackward0", a, floating_op("acosh", acosh_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) {
                        return mul(g, conj(mul(rsqrt(sub(x, 1.0)), rsqrt(add(x, 1.0)))));
                      });
}
Tensor atanh(const Tensor& a) {
  return record_unary("AtanhBackward0", a, floating_op("atanh", atanh_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return div(g, conj(sub(1.0, mul(x, x)))); });
}
Tensor sigmoid(const Tensor& a) {
  return record_unary("SigmoidBackward0", a, floating_op("sigmoid", sigmoid_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(g, conj(mul(r, sub(1.0, r)))); });
}

Tensor& reciprocal_(Tensor& self) { return floating_op_("reciprocal_", reciprocal_stub, self, reciprocal); }
Tensor& sqrt_(Tensor& self) { return floating_op_("sqrt_", sqrt_stub, self, sqrt); }
Tensor& rsqrt_(Tensor& self) { return floating_op_("rsqrt_", rsqrt_stub, self, rsqrt); }
Tensor& exp_(Tensor& self) { return floating_op_("exp_", exp_stub, self, exp); }
Tensor& exp2_(Tensor& self) { return floating_op_("exp2_", exp2_stub, self, exp2); }
Tensor& expm1_(Tensor& self) { return floating_op_("expm1_", expm1_stub, self, expm1); }
Tensor& log_(Tensor& self) { return floating_op_("log_", log_stub, self, log); }
Tensor& log2_(Tensor& self) { return floating_op_("log2_", log2_stub, self, log2); }
Tensor& log10_(Tensor& self) { return floating_op_("log10_", log10_stub, self, log10); }
Tensor& log1p_(Tensor& self) { return floating_op_("log1p_", log1p_stub, self, log1p); }
Tensor& sin_(Tensor& self) { return floating_op_("sin_", sin_stub, self, sin); }
Tensor& cos_(Tensor& self) { return floating_op_("cos_", cos_stub, self, cos); }
Tensor& tan_(Tensor& self) { return floating_op_("tan_", tan_stub, self, tan); }
Tensor& asin_(Tensor& self) { return floating_op_("asin_", asin_stub, self, asin); }
Tensor& acos_(Tensor& self) { return floating_op_("acos_", acos_stub, self, acos); }
Tensor& atan_(Tensor& self) { return floating_op_("atan_", atan_stub, self, atan); }
Tensor& sinh_(Tensor& self) { return floating_op_("sinh_", sinh_stub, self, sinh); }
Tensor& cosh_(Tensor& self) { return floating_op_("cosh_", cosh_stub, self, cosh); }
Tensor& tanh_(Tensor& self) { return floating_op_("tanh_", tanh_stub, self, tanh); }
Tensor& asinh_(Tensor& self) { return floating_op_("asinh_", asinh_stub, self, asinh); }
Tensor& acosh_(Tensor& self) { return floating_op_("acosh_", acosh_stub, self, acosh); }
Tensor& atanh_(Tensor& self) { return floating_op_("atanh_", atanh_stub, self, atanh); }
Tensor& sigmoid_(Tensor& self) { return floating_op_("sigmoid_", sigmoid_stub, self, sigmoid); }

// ---- real floating

namespace {
constexpr double kTwoOverSqrtPi = 1.1283791670955126;  // d erf(x)/dx = 2/sqrt(pi) exp(-x^2)
constexpr double kSqrtPiOverTwo = 0.88622692545275801;
}  // namespace

Tensor erf(const Tensor& a) {
  return record_unary("ErfBackward0", a, real_floating_op("erf", erf_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, mul(exp(neg(mul(x, x))), kTwoOverSqrtPi)); });
}
Tensor erfc(const Tensor& a) {
  return record_unary("ErfcBackward0", a, real_floating_op("erfc", erfc_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, mul(exp(neg(mul(x, x))), -kTwoOverSqrtPi)); });
}
Tensor erfinv(const Tensor& a) {
  return record_unary("ErfinvBackward0", a, real_floating_op("erfinv", erfinv_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return mul(g, mul(exp(mul(r, r)), kSqrtPiOverTwo)); });
}
Tensor lgamma(const Tensor& a) {
  return record_unary("LgammaBackward0", a, real_floating_op("lgamma", lgamma_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, digamma(x)); });
}
Tensor digamma(const Tensor& a) {
  return record_unary("DigammaBackward0", a, real_floating_op("digamma", digamma_stub, a), Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, polygamma(1, x)); });
}
Tensor cbrt(const Tensor& a) {
  return record_unary("CbrtBackward0", a, real_floating_op("cbrt", cbrt_stub, a), Save::Output,
                      [](const Tensor& g, const Tensor& r) { return div(g, mul(mul(r, r), 3.0)); });
}

Tensor& erf_(Tensor& self) { return real_floating_op_("erf_", erf_stub, self, erf); }
Tensor& erfc_(Tensor& self) { return real_floating_op_("erfc_", erfc_stub, self, erfc); }
Tensor& erfinv_(Tensor& self) { return real_floating_op_("erfinv_", erfinv_stub, self, erfinv); }
Tensor& lgamma_(Tensor& self) { return real_floating_op_("lgamma_", lgamma_stub, self, lgamma); }
Tensor& digamma_(Tensor& self) { return real_floating_op_("digamma_", digamma_stub, self, digamma); }

// polygamma(n, x): the n-th derivative of digamma; its gradient is the next one.
Tensor polygamma(int64_t n, const Tensor& a) {
  EMBER_CHECK(n >= 0, RuntimeError, "[polygamma] polygamma(n, x) does not support negative n, got n = ", n);
  check_not_complex("polygamma", a);
  DType t = floating_dtype(a.dtype());
  Tensor out = n == 0 ? unary("polygamma", digamma_stub, a, t, t) : unary("polygamma", polygamma_stub, a, t, t, n);
  return record_unary("PolygammaBackward0", a, out, Save::Input,
                      [n](const Tensor& g, const Tensor& x) { return mul(g, polygamma(n + 1, x)); });
}
Tensor& polygamma_(Tensor& self, int64_t n) {
  if (autograd::inplace_needs_grad(self))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return polygamma(n, s); });
  check_not_complex("polygamma_", self);
  EMBER_CHECK(n >= 0, RuntimeError, "[polygamma_] polygamma(n, x) does not support negative n, got n = ", n);
  if (n == 0) return unary_("polygamma_", digamma_stub, self, floating_dtype(self.dtype()));
  return unary_("polygamma_", polygamma_stub, self, floating_dtype(self.dtype()), n);
}

// Negative eps (or none) means no clamping, as PyTorch. The gradient is
// grad / (x (1 - x)) inside [eps, 1 - eps], 0 outside it (with eps) or NaN
// outside [0, 1] (without).
Tensor logit(const Tensor& a, std::optional<double> eps) {
  check_not_complex("logit", a);
  DType t = floating_dtype(a.dtype());
  double e = eps.value_or(-1.0);
  Tensor out = unary("logit", logit_stub, a, t, t, e);
  return record_unary("LogitBackward0", a, out, Save::Input, [e](const Tensor& g, const Tensor& x) {
    Tensor gx = div(g, mul(x, sub(1.0, x)));
    if (e < 0) return where(logical_or(lt(x, 0.0), gt(x, 1.0)), std::nan(""), gx);
    return where(logical_or(lt(x, e), gt(x, 1.0 - e)), 0.0, gx);
  });
}
Tensor& logit_(Tensor& self, std::optional<double> eps) {
  check_not_complex("logit_", self);
  if (autograd::inplace_needs_grad(self))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return logit(s, eps); });
  return unary_("logit_", logit_stub, self, floating_dtype(self.dtype()), eps.value_or(-1.0));
}

}  // namespace ember
