#pragma once
// Unary elementwise math (binary ops are in elementwise.h).
// Floating functions give integer and bool inputs the default float dtype.
// The `_` forms write into self; they raise RuntimeError when the result
// dtype can't be cast to self's (exp_ of an int64 tensor).
#include <optional>

#include "ember/core/tensor.h"

namespace ember {

// ---- every numeric dtype
EMBER_API Tensor neg(const Tensor& a);
EMBER_API Tensor abs(const Tensor& a);      // complex -> real
EMBER_API Tensor sign(const Tensor& a);     // real dtypes (bool too)
EMBER_API Tensor sgn(const Tensor& a);      // sign; z/|z| for complex
EMBER_API Tensor square(const Tensor& a);   // bool -> int64, as pow(a, 2)
// ---- floating and complex
EMBER_API Tensor reciprocal(const Tensor& a);
EMBER_API Tensor sqrt(const Tensor& a);
EMBER_API Tensor rsqrt(const Tensor& a);
EMBER_API Tensor exp(const Tensor& a);
EMBER_API Tensor exp2(const Tensor& a);
EMBER_API Tensor expm1(const Tensor& a);
EMBER_API Tensor log(const Tensor& a);
EMBER_API Tensor log2(const Tensor& a);
EMBER_API Tensor log10(const Tensor& a);
EMBER_API Tensor log1p(const Tensor& a);
EMBER_API Tensor sin(const Tensor& a);
EMBER_API Tensor cos(const Tensor& a);
EMBER_API Tensor tan(const Tensor& a);
EMBER_API Tensor asin(const Tensor& a);
EMBER_API Tensor acos(const Tensor& a);
EMBER_API Tensor atan(const Tensor& a);
EMBER_API Tensor sinh(const Tensor& a);
EMBER_API Tensor cosh(const Tensor& a);
EMBER_API Tensor tanh(const Tensor& a);
EMBER_API Tensor asinh(const Tensor& a);
EMBER_API Tensor acosh(const Tensor& a);
EMBER_API Tensor atanh(const Tensor& a);
EMBER_API Tensor sigmoid(const Tensor& a);
EMBER_API Tensor angle(const Tensor& a);  // real dtype result
// ---- real floating (integers computed in the default dtype)
EMBER_API Tensor erf(const Tensor& a);
EMBER_API Tensor erfc(const Tensor& a);
EMBER_API Tensor erfinv(const Tensor& a);
EMBER_API Tensor lgamma(const Tensor& a);
EMBER_API Tensor digamma(const Tensor& a);  // d lgamma / dx
EMBER_API Tensor polygamma(int64_t n, const Tensor& a);  // n-th derivative of digamma
EMBER_API Tensor cbrt(const Tensor& a);
EMBER_API Tensor logit(const Tensor& a, std::optional<double> eps = std::nullopt);
// ---- rounding: integer dtypes are returned unchanged (as a copy)
EMBER_API Tensor floor(const Tensor& a);
EMBER_API Tensor ceil(const Tensor& a);
EMBER_API Tensor round(const Tensor& a, int64_t decimals = 0);  // half to even
EMBER_API Tensor trunc(const Tensor& a);
EMBER_API Tensor frac(const Tensor& a);  // floating only
// NaN -> nan, +inf -> posinf, -inf -> neginf (default: the dtype's extremes);
// complex tensors are treated part by part; integer tensors are copied.
EMBER_API Tensor nan_to_num(const Tensor& a, double nan = 0.0, std::optional<double> posinf = std::nullopt,
                            std::optional<double> neginf = std::nullopt);
// ---- bool results
EMBER_API Tensor isnan(const Tensor& a);
EMBER_API Tensor isinf(const Tensor& a);
EMBER_API Tensor isposinf(const Tensor& a);
EMBER_API Tensor isneginf(const Tensor& a);
EMBER_API Tensor isfinite(const Tensor& a);
EMBER_API Tensor logical_not(const Tensor& a);
EMBER_API Tensor bitwise_not(const Tensor& a);  // bool and integers
// ---- complex numbers
// A complex tensor seen as its real dtype with a trailing dim of 2 (a view).
EMBER_API Tensor view_as_real(const Tensor& a);
// A float32/float64 tensor with a trailing dim of 2 seen as complex (a view).
EMBER_API Tensor view_as_complex(const Tensor& a);
EMBER_API Tensor real(const Tensor& a);  // a view; a itself for real dtypes
EMBER_API Tensor imag(const Tensor& a);  // a view; complex only
EMBER_API Tensor conj(const Tensor& a);
EMBER_API Tensor conj_physical(const Tensor& a);

// ---- in place
EMBER_API Tensor& neg_(Tensor& self);
EMBER_API Tensor& abs_(Tensor& self);
EMBER_API Tensor& sign_(Tensor& self);
EMBER_API Tensor& sgn_(Tensor& self);
EMBER_API Tensor& square_(Tensor& self);
EMBER_API Tensor& reciprocal_(Tensor& self);
EMBER_API Tensor& sqrt_(Tensor& self);
EMBER_API Tensor& rsqrt_(Tensor& self);
EMBER_API Tensor& exp_(Tensor& self);
EMBER_API Tensor& exp2_(Tensor& self);
EMBER_API Tensor& expm1_(Tensor& self);
EMBER_API Tensor& log_(Tensor& self);
EMBER_API Tensor& log2_(Tensor& self);
EMBER_API Tensor& log10_(Tensor& self);
EMBER_API Tensor& log1p_(Tensor& self);
EMBER_API Tensor& sin_(Tensor& self);
EMBER_API Tensor& cos_(Tensor& self);
EMBER_API Tensor& tan_(Tensor& self);
EMBER_API Tensor& asin_(Tensor& self);
EMBER_API Tensor& acos_(Tensor& self);
EMBER_API Tensor& atan_(Tensor& self);
EMBER_API Tensor& sinh_(Tensor& self);
EMBER_API Tensor& cosh_(Tensor& self);
EMBER_API Tensor& tanh_(Tensor& self);
EMBER_API Tensor& asinh_(Tensor& self);
EMBER_API Tensor& acosh_(Tensor& self);
EMBER_API Tensor& atanh_(Tensor& self);
EMBER_API Tensor& sigmoid_(Tensor& self);
EMBER_API Tensor& erf_(Tensor& self);
EMBER_API Tensor& erfc_(Tensor& self);
EMBER_API Tensor& erfinv_(Tensor& self);
EMBER_API Tensor& lgamma_(Tensor& self);
EMBER_API Tensor& digamma_(Tensor& self);
EMBER_API Tensor& polygamma_(Tensor& self, int64_t n);
EMBER_API Tensor& logit_(Tensor& self, std::optional<double> eps = std::nullopt);
EMBER_API Tensor& floor_(Tensor& self);
EMBER_API Tensor& ceil_(Tensor& self);
EMBER_API Tensor& round_(Tensor& self, int64_t decimals = 0);
EMBER_API Tensor& trunc_(Tensor& self);
EMBER_API Tensor& frac_(Tensor& self);
EMBER_API Tensor& nan_to_num_(Tensor& self, double nan = 0.0, std::optional<double> posinf = std::nullopt,
                              std::optional<double> neginf = std::nullopt);
EMBER_API Tensor& logical_not_(Tensor& self);
EMBER_API Tensor& bitwise_not_(Tensor& self);

}  // namespace ember
