// Unary ops with bool results (isnan, isinf ..., logical_not) and bitwise_not.
#include "ember/ops/creation.h"
#include "unary_common.h"

namespace ember {

using namespace unary_detail;

namespace {

// Integers and bool are never NaN or infinite: a constant result.
Tensor bool_result(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Tensor& a,
                   bool value_for_integers) {
  if (is_integral(a.dtype(), true)) return full(a.sizes(), Scalar(value_for_integers), TensorOptions(DType::Bool).device(a.device()));
  return unary(op, stub, a, a.dtype(), DType::Bool);
}

void check_posneg_not_complex(const char* op, const Tensor& a) {
  EMBER_CHECK(!a.is_complex(), TypeError, "[", op, "] ", op, " does not support complex inputs (dtype ",
              dtype_name(a.dtype()), ").");
}

void check_bitwise(const char* op, const Tensor& a) {
  EMBER_CHECK(is_integral(a.dtype(), true), TypeError, "[", op,
              "] ~ (operator.invert) is only implemented on integer and Boolean-type tensors, got dtype ",
              dtype_name(a.dtype()));
}

}  // namespace

Tensor isnan(const Tensor& a) { return bool_result("isnan", isnan_stub, a, false); }
Tensor isinf(const Tensor& a) { return bool_result("isinf", isinf_stub, a, false); }
Tensor isfinite(const Tensor& a) { return bool_result("isfinite", isfinite_stub, a, true); }
Tensor isposinf(const Tensor& a) {
  check_posneg_not_complex("isposinf", a);
  return bool_result("isposinf", isposinf_stub, a, false);
}
Tensor isneginf(const Tensor& a) {
  check_posneg_not_complex("isneginf", a);
  return bool_result("isneginf", isneginf_stub, a, false);
}

Tensor logical_not(const Tensor& a) { return unary("logical_not", logical_not_stub, a, a.dtype(), DType::Bool); }
// The result keeps self's dtype (0 or 1), as PyTorch.
Tensor& logical_not_(Tensor& self) {
  Tensor r = logical_not(self);
  self.copy_(r);
  self.bump_version();
  return self;
}

Tensor bitwise_not(const Tensor& a) {
  check_bitwise("bitwise_not", a);
  return unary("bitwise_not", bitwise_not_stub, a, a.dtype(), a.dtype());
}
Tensor& bitwise_not_(Tensor& self) {
  check_bitwise("bitwise_not_", self);
  return unary_("bitwise_not_", bitwise_not_stub, self, self.dtype());
}

}  // namespace ember
