// In-place comparisons (eq_ ...) and closeness: isclose, allclose, equal.
#include "binary_common.h"

namespace ember {

using namespace elementwise;

namespace {

// Whether every element of a bool tensor is true (a private stand-in for
// the `all` reduction, which lives with the reductions).
bool all_true(const Tensor& mask) {
  Tensor m = mask.cpu().contiguous();
  const bool* p = static_cast<const bool*>(m.data_ptr());
  for (int64_t i = 0, n = m.numel(); i < n; ++i) {
    if (!p[i]) return false;
  }
  return true;
}

// Writes a comparison's bool result into self as 0/1 of self's dtype.
Tensor& compare_(const char* op, Tensor& self, const Tensor& result) {
  EMBER_CHECK(result.sizes() == self.sizes(), RuntimeError, "[", op, "] output with shape ", self.sizes(),
              " doesn't match the broadcast shape ", result.sizes());
  self.copy_(result);
  return self;
}

}  // namespace

Tensor& eq_(Tensor& self, const Operand& other) { return compare_("eq_", self, eq(self, other)); }
Tensor& ne_(Tensor& self, const Operand& other) { return compare_("ne_", self, ne(self, other)); }
Tensor& lt_(Tensor& self, const Operand& other) { return compare_("lt_", self, lt(self, other)); }
Tensor& le_(Tensor& self, const Operand& other) { return compare_("le_", self, le(self, other)); }
Tensor& gt_(Tensor& self, const Operand& other) { return compare_("gt_", self, gt(self, other)); }
Tensor& ge_(Tensor& self, const Operand& other) { return compare_("ge_", self, ge(self, other)); }

Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  EMBER_CHECK(a.dtype() == b.dtype(), RuntimeError, "[isclose] ", dtype_name(a.dtype()), " did not match ",
              dtype_name(b.dtype()));
  EMBER_CHECK(rtol >= 0, RuntimeError, "[isclose] rtol must be greater than or equal to zero, but got ", rtol);
  EMBER_CHECK(atol >= 0, RuntimeError, "[isclose] atol must be greater than or equal to zero, but got ", atol);
  return binary("isclose", isclose_stub, a, b, a.dtype(), DType::Bool, rtol, atol, equal_nan);
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  return all_true(isclose(a, b, rtol, atol, equal_nan));
}

bool equal(const Tensor& a, const Tensor& b) {
  if (a.sizes() != b.sizes()) return false;
  return all_true(eq(a, b));
}

}  // namespace ember
