// Rounding and nan_to_num: integer tensors have nothing to round, so they
// come back unchanged (a copy; in place, a no-op), as in PyTorch.
#include "unary_backward.h"
#include "unary_common.h"

namespace ember {

using namespace unary_detail;

namespace {

// Real floating and integer dtypes; bool and complex raise TypeError.
bool rounds_integers(const char* op, const Tensor& a) {
  check_not_complex(op, a);
  EMBER_CHECK(a.dtype() != DType::Bool, TypeError, "[", op, "] not implemented for dtype bool");
  return is_integral(a.dtype(), false);
}

// Rounding is piecewise constant: a zero gradient (`name`), as PyTorch.
Tensor rounding(const char* op, const char* name, const DispatchStub<ElementwiseKernel>& stub, const Tensor& a) {
  if (rounds_integers(op, a)) return a.clone();
  return record_zero_grad(name, a, unary(op, stub, a, a.dtype(), a.dtype()));
}
Tensor& rounding_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Tensor& self, UnaryFn fn) {
  if (rounds_integers(op, self)) return self;
  if (autograd::inplace_needs_grad(self)) return autograd::apply_inplace(self, fn);
  return unary_(op, stub, self, self.dtype());
}

}  // namespace

Tensor floor(const Tensor& a) { return rounding("floor", "FloorBackward0", floor_stub, a); }
Tensor ceil(const Tensor& a) { return rounding("ceil", "CeilBackward0", ceil_stub, a); }
Tensor trunc(const Tensor& a) { return rounding("trunc", "TruncBackward0", trunc_stub, a); }
Tensor& floor_(Tensor& self) { return rounding_("floor_", floor_stub, self, floor); }
Tensor& ceil_(Tensor& self) { return rounding_("ceil_", ceil_stub, self, ceil); }
Tensor& trunc_(Tensor& self) { return rounding_("trunc_", trunc_stub, self, trunc); }

Tensor round(const Tensor& a, int64_t decimals) {
  if (decimals == 0) return rounding("round", "RoundBackward0", round_stub, a);
  check_not_complex("round", a);
  EMBER_CHECK(is_floating_point(a.dtype()), TypeError, "[round] decimals is only supported for floating dtypes, got ",
              dtype_name(a.dtype()));
  return record_zero_grad("RoundBackward1", a, unary("round", round_decimals_stub, a, a.dtype(), a.dtype(), decimals));
}
Tensor& round_(Tensor& self, int64_t decimals) {
  if (decimals == 0) return rounding_("round_", round_stub, self, [](const Tensor& s) { return round(s, 0); });
  check_not_complex("round_", self);
  EMBER_CHECK(is_floating_point(self.dtype()), TypeError,
              "[round_] decimals is only supported for floating dtypes, got ", dtype_name(self.dtype()));
  if (autograd::inplace_needs_grad(self))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return round(s, decimals); });
  return unary_("round_", round_decimals_stub, self, self.dtype(), decimals);
}

// frac is defined on floating dtypes only (PyTorch has no integer kernel).
Tensor frac(const Tensor& a) {
  EMBER_CHECK(is_floating_point(a.dtype()), TypeError, "[frac] not implemented for dtype ", dtype_name(a.dtype()));
  return record_unary("FracBackward0", a, unary("frac", frac_stub, a, a.dtype(), a.dtype()), Save::Nothing,
                      [](const Tensor& g, const Tensor&) { return g; });
}
Tensor& frac_(Tensor& self) {
  EMBER_CHECK(is_floating_point(self.dtype()), TypeError, "[frac_] not implemented for dtype ",
              dtype_name(self.dtype()));
  if (autograd::inplace_needs_grad(self)) return autograd::apply_inplace(self, UnaryFn(frac));
  return unary_("frac_", frac_stub, self, self.dtype());
}

// Complex tensors: real and imaginary parts are replaced separately, through
// the view_as_real view (whose recorded views carry the gradient). The
// gradient passes where the input was finite.
Tensor nan_to_num(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf) {
  if (is_integral(a.dtype(), true)) return a.clone();
  if (a.is_complex()) return view_as_complex(nan_to_num(view_as_real(a), nan, posinf, neginf));
  Tensor out = unary("nan_to_num", nan_to_num_stub, a, a.dtype(), a.dtype(), nan, posinf, neginf);
  return record_unary("NanToNumBackward0", a, out, Save::Input,
                      [](const Tensor& g, const Tensor& x) { return mul(g, isfinite(x)); });
}
Tensor& nan_to_num_(Tensor& self, double nan, std::optional<double> posinf, std::optional<double> neginf) {
  if (is_integral(self.dtype(), true)) return self;
  if (autograd::inplace_needs_grad(self))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return nan_to_num(s, nan, posinf, neginf); });
  if (self.is_complex()) {
    Tensor parts = view_as_real(self);
    nan_to_num_(parts, nan, posinf, neginf);
    return self;
  }
  return unary_("nan_to_num_", nan_to_num_stub, self, self.dtype(), nan, posinf, neginf);
}

}  // namespace ember
