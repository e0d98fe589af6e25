// Rounding and nan_to_num: integer tensors have nothing to round, so they
// come back unchanged (a copy; in place, a no-op), as in PyTorch.
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

Tensor rounding(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Tensor& a) {
  if (rounds_integers(op, a)) return a.clone();
  return unary(op, stub, a, a.dtype(), a.dtype());
}
Tensor& rounding_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Tensor& self) {
  if (rounds_integers(op, self)) return self;
  return unary_(op, stub, self, self.dtype());
}

}  // namespace

Tensor floor(const Tensor& a) { return rounding("floor", floor_stub, a); }
Tensor ceil(const Tensor& a) { return rounding("ceil", ceil_stub, a); }
Tensor trunc(const Tensor& a) { return rounding("trunc", trunc_stub, a); }
Tensor& floor_(Tensor& self) { return rounding_("floor_", floor_stub, self); }
Tensor& ceil_(Tensor& self) { return rounding_("ceil_", ceil_stub, self); }
Tensor& trunc_(Tensor& self) { return rounding_("trunc_", trunc_stub, self); }

Tensor round(const Tensor& a, int64_t decimals) {
  if (decimals == 0) return rounding("round", round_stub, a);
  check_not_complex("round", a);
  EMBER_CHECK(is_floating_point(a.dtype()), TypeError, "[round] decimals is only supported for floating dtypes, got ",
              dtype_name(a.dtype()));
  return unary("round", round_decimals_stub, a, a.dtype(), a.dtype(), decimals);
}
Tensor& round_(Tensor& self, int64_t decimals) {
  if (decimals == 0) return rounding_("round_", round_stub, self);
  check_not_complex("round_", self);
  EMBER_CHECK(is_floating_point(self.dtype()), TypeError,
              "[round_] decimals is only supported for floating dtypes, got ", dtype_name(self.dtype()));
  return unary_("round_", round_decimals_stub, self, self.dtype(), decimals);
}

// frac is defined on floating dtypes only (PyTorch has no integer kernel).
Tensor frac(const Tensor& a) {
  EMBER_CHECK(is_floating_point(a.dtype()), TypeError, "[frac] not implemented for dtype ", dtype_name(a.dtype()));
  return unary("frac", frac_stub, a, a.dtype(), a.dtype());
}
Tensor& frac_(Tensor& self) {
  EMBER_CHECK(is_floating_point(self.dtype()), TypeError, "[frac_] not implemented for dtype ",
              dtype_name(self.dtype()));
  return unary_("frac_", frac_stub, self, self.dtype());
}

// Complex tensors: real and imaginary parts are replaced separately, through
// the view_as_real view.
Tensor nan_to_num(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf) {
  if (is_integral(a.dtype(), true)) return a.clone();
  if (a.is_complex()) return view_as_complex(nan_to_num(view_as_real(a), nan, posinf, neginf));
  return unary("nan_to_num", nan_to_num_stub, a, a.dtype(), a.dtype(), nan, posinf, neginf);
}
Tensor& nan_to_num_(Tensor& self, double nan, std::optional<double> posinf, std::optional<double> neginf) {
  if (is_integral(self.dtype(), true)) return self;
  if (self.is_complex()) {
    Tensor parts = view_as_real(self);
    nan_to_num_(parts, nan, posinf, neginf);
    return self;
  }
  return unary_("nan_to_num_", nan_to_num_stub, self, self.dtype(), nan, posinf, neginf);
}

}  // namespace ember
