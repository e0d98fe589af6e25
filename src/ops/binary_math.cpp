// Binary math beyond arithmetic: fmod, atan2, hypot, copysign, fmax/fmin,
// logaddexp(2), xlogy, bitwise and logical ops, with their in-place forms.
#include "binary_common.h"

namespace ember {

using namespace elementwise;

namespace {

// Which dtypes an op takes, after promotion of its inputs.
enum class Domain {
  Real,          // integers and floating
  Ordered,       // bool, integers and floating
  Floating,      // floating only
  ToFloating,    // floating; bool and integers compute in the default float dtype
  Bits,          // bool and integers
  Integers,      // integers only
};

DType compute_dtype(const char* op, DType t, Domain d) {
  bool ok = false;
  switch (d) {
    case Domain::Real: ok = t != DType::Bool && !is_complex(t); break;
    case Domain::Ordered: ok = !is_complex(t); break;
    case Domain::Floating: ok = is_floating_point(t); break;
    case Domain::ToFloating:
      if (is_integral(t, true)) t = get_default_dtype();
      ok = is_floating_point(t);
      break;
    case Domain::Bits: ok = is_integral(t, true); break;
    case Domain::Integers: ok = is_integral(t, false); break;
  }
  EMBER_CHECK(ok, TypeError, "[", op, "] not implemented for dtype ", dtype_name(t));
  return t;
}

Tensor apply(const char* op, const DispatchStub<ElementwiseKernel>& stub, Domain d, const Operand& a,
             const Operand& b) {
  DType t = compute_dtype(op, promote(a, b), d);
  return binary(op, stub, a, b, t, t);
}

Tensor& apply_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Domain d, Tensor& self,
               const Operand& other) {
  DType t = compute_dtype(op, promote(self, other), d);
  return binary_(op, stub, self, other, t);
}

// Logical ops read their inputs as bool (nonzero is true).
Tensor logical(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Operand& a, const Operand& b) {
  return binary(op, stub, a, b, DType::Bool, DType::Bool);
}

// Writes a bool result into self (0/1 in self's dtype), keeping self's shape.
Tensor& logical_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Tensor& self, const Operand& other) {
  Tensor r = logical(op, stub, self, other);
  EMBER_CHECK(r.sizes() == self.sizes(), RuntimeError, "[", op, "] output with shape ", self.sizes(),
              " doesn't match the broadcast shape ", r.sizes());
  self.copy_(r);
  return self;
}

}  // namespace

Tensor fmod(const Operand& a, const Operand& b) { return apply("fmod", fmod_stub, Domain::Real, a, b); }
Tensor atan2(const Operand& a, const Operand& b) { return apply("atan2", atan2_stub, Domain::ToFloating, a, b); }
Tensor hypot(const Operand& a, const Operand& b) { return apply("hypot", hypot_stub, Domain::Floating, a, b); }
Tensor copysign(const Operand& a, const Operand& b) {
  return apply("copysign", copysign_stub, Domain::ToFloating, a, b);
}
Tensor fmax(const Operand& a, const Operand& b) { return apply("fmax", fmax_stub, Domain::Ordered, a, b); }
Tensor fmin(const Operand& a, const Operand& b) { return apply("fmin", fmin_stub, Domain::Ordered, a, b); }
Tensor logaddexp(const Operand& a, const Operand& b) {
  return apply("logaddexp", logaddexp_stub, Domain::Floating, a, b);
}
Tensor logaddexp2(const Operand& a, const Operand& b) {
  return apply("logaddexp2", logaddexp2_stub, Domain::Floating, a, b);
}
Tensor xlogy(const Operand& x, const Operand& y) { return apply("xlogy", xlogy_stub, Domain::ToFloating, x, y); }

Tensor& fmod_(Tensor& self, const Operand& other) { return apply_("fmod_", fmod_stub, Domain::Real, self, other); }
Tensor& atan2_(Tensor& self, const Operand& other) {
  return apply_("atan2_", atan2_stub, Domain::ToFloating, self, other);
}
Tensor& hypot_(Tensor& self, const Operand& other) {
  return apply_("hypot_", hypot_stub, Domain::Floating, self, other);
}
Tensor& copysign_(Tensor& self, const Operand& other) {
  return apply_("copysign_", copysign_stub, Domain::ToFloating, self, other);
}
Tensor& xlogy_(Tensor& self, const Operand& other) {
  return apply_("xlogy_", xlogy_stub, Domain::ToFloating, self, other);
}

Tensor bitwise_and(const Operand& a, const Operand& b) {
  return apply("bitwise_and", bitwise_and_stub, Domain::Bits, a, b);
}
Tensor bitwise_or(const Operand& a, const Operand& b) {
  return apply("bitwise_or", bitwise_or_stub, Domain::Bits, a, b);
}
Tensor bitwise_xor(const Operand& a, const Operand& b) {
  return apply("bitwise_xor", bitwise_xor_stub, Domain::Bits, a, b);
}
Tensor bitwise_left_shift(const Operand& a, const Operand& b) {
  return apply("bitwise_left_shift", lshift_stub, Domain::Integers, a, b);
}
Tensor bitwise_right_shift(const Operand& a, const Operand& b) {
  return apply("bitwise_right_shift", rshift_stub, Domain::Integers, a, b);
}
Tensor& bitwise_and_(Tensor& self, const Operand& other) {
  return apply_("bitwise_and_", bitwise_and_stub, Domain::Bits, self, other);
}
Tensor& bitwise_or_(Tensor& self, const Operand& other) {
  return apply_("bitwise_or_", bitwise_or_stub, Domain::Bits, self, other);
}
Tensor& bitwise_xor_(Tensor& self, const Operand& other) {
  return apply_("bitwise_xor_", bitwise_xor_stub, Domain::Bits, self, other);
}
Tensor& bitwise_left_shift_(Tensor& self, const Operand& other) {
  return apply_("bitwise_left_shift_", lshift_stub, Domain::Integers, self, other);
}
Tensor& bitwise_right_shift_(Tensor& self, const Operand& other) {
  return apply_("bitwise_right_shift_", rshift_stub, Domain::Integers, self, other);
}

Tensor logical_and(const Operand& a, const Operand& b) { return logical("logical_and", logical_and_stub, a, b); }
Tensor logical_or(const Operand& a, const Operand& b) { return logical("logical_or", logical_or_stub, a, b); }
Tensor logical_xor(const Operand& a, const Operand& b) { return logical("logical_xor", logical_xor_stub, a, b); }
Tensor& logical_and_(Tensor& self, const Operand& other) {
  return logical_("logical_and_", logical_and_stub, self, other);
}
Tensor& logical_or_(Tensor& self, const Operand& other) {
  return logical_("logical_or_", logical_or_stub, self, other);
}
Tensor& logical_xor_(Tensor& self, const Operand& other) {
  return logical_("logical_xor_", logical_xor_stub, self, other);
}

}  // namespace ember
