// Ternary elementwise ops: where, clamp, lerp (and clamp's one-bound forms).
#include "binary_common.h"

namespace ember {

using namespace elementwise;

namespace {

Device common_device3(const char* op, const Tensor& a, const Tensor& b, const Tensor& c) {
  Device d = common_device(op, a, b);
  return common_device(op, a.device() == d ? a : b, c);
}

// out = op(x, y, z) into a new tensor of the broadcast shape; inputs must
// already have the dtypes the kernel expects.
Tensor ternary(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Tensor& x, const Tensor& y,
               const Tensor& z, DType out_dtype, Device dev) {
  DimVector shape = broadcast_shapes(broadcast_shapes(x.sizes(), y.sizes(), op), z.sizes(), op);
  Tensor out = empty(shape, TensorOptions(out_dtype).device(dev));
  TensorIterator it;
  it.add_output(out).add_input(x).add_input(y).add_input(z).build(op);
  stub(dev.type)(it);
  return out;
}

// Writes a result computed out of place into self, with the in-place rules.
Tensor& assign_inplace(const char* op, Tensor& self, const Tensor& result) {
  EMBER_CHECK(can_cast(result.dtype(), self.dtype()), RuntimeError, "[", op, "] result type ",
              dtype_name(result.dtype()), " can't be cast to the desired output type ", dtype_name(self.dtype()));
  EMBER_CHECK(result.sizes() == self.sizes(), RuntimeError, "[", op, "] output with shape ", self.sizes(),
              " doesn't match the broadcast shape ", result.sizes());
  self.copy_(result);
  return self;
}

DType clamp_dtype(const char* op, const Tensor& self, const std::optional<Operand>& lo,
                  const std::optional<Operand>& hi) {
  EMBER_CHECK(lo || hi, RuntimeError, "[", op, "] torch.clamp: At least one of 'min' or 'max' must not be None");
  ResultTypeState st;
  st.add(self);
  if (lo) st.add(lo->tensor, lo->wrapped_number);
  if (hi) st.add(hi->tensor, hi->wrapped_number);
  DType t = st.result();
  EMBER_CHECK(!is_complex(t), TypeError, "[", op, "] ", op, " is not supported for complex types (dtype ", dtype_name(t), ")");
  EMBER_CHECK(t != DType::Bool, TypeError, "[", op, "] not implemented for dtype bool");
  return t;
}

Tensor clamp_impl(const char* op, const Tensor& self, const std::optional<Operand>& lo,
                  const std::optional<Operand>& hi) {
  DType t = clamp_dtype(op, self, lo, hi);
  // One bound is NaN-propagating maximum / minimum.
  if (!hi) return binary(op, maximum_stub, self, *lo, t, t);
  if (!lo) return binary(op, minimum_stub, self, *hi, t, t);
  Device dev = common_device3(op, self, lo->tensor, hi->tensor);
  return ternary(op, clamp_stub, self.to(dev, t), lo->tensor.to(dev, t), hi->tensor.to(dev, t), t, dev);
}

void check_same_dtype(const char* op, const Tensor& start, const Tensor& t, const char* what) {
  EMBER_CHECK(t.dtype() == start.dtype(), RuntimeError, "[", op, "] expected dtype ", dtype_name(start.dtype()),
              " for `", what, "` but got dtype ", dtype_name(t.dtype()));
}

}  // namespace

Tensor where(const Tensor& condition, const Operand& input, const Operand& other) {
  EMBER_CHECK(condition.dtype() == DType::Bool, RuntimeError,
              "[where] where expected condition to be a boolean tensor, but got a tensor with dtype ",
              dtype_name(condition.dtype()));
  DType t = promote(input, other);
  Device dev = common_device3("where", input.tensor, other.tensor, condition);
  return ternary("where", where_stub, condition.to(dev), input.tensor.to(dev, t), other.tensor.to(dev, t), t, dev);
}

Tensor clamp(const Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max) {
  return clamp_impl("clamp", self, min, max);
}
Tensor clip(const Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max) {
  return clamp_impl("clip", self, min, max);
}
Tensor clamp_min(const Tensor& self, const Operand& min) { return clamp_impl("clamp_min", self, min, std::nullopt); }
Tensor clamp_max(const Tensor& self, const Operand& max) { return clamp_impl("clamp_max", self, std::nullopt, max); }

Tensor& clamp_(Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max) {
  return assign_inplace("clamp_", self, clamp_impl("clamp_", self, min, max));
}
Tensor& clip_(Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max) {
  return assign_inplace("clip_", self, clamp_impl("clip_", self, min, max));
}
Tensor& clamp_min_(Tensor& self, const Operand& min) {
  return assign_inplace("clamp_min_", self, clamp_impl("clamp_min_", self, min, std::nullopt));
}
Tensor& clamp_max_(Tensor& self, const Operand& max) {
  return assign_inplace("clamp_max_", self, clamp_impl("clamp_max_", self, std::nullopt, max));
}

Tensor lerp(const Tensor& start, const Tensor& end, const Operand& weight) {
  const char* op = "lerp";
  check_same_dtype(op, start, end, "end");
  if (!weight.wrapped_number) check_same_dtype(op, start, weight.tensor, "weight");
  DType t = start.dtype();
  EMBER_CHECK(is_floating_point(t) || is_complex(t), TypeError, "[", op, "] not implemented for dtype ",
              dtype_name(t));
  Device dev = common_device3(op, start, end, weight.tensor);
  return ternary(op, lerp_stub, start, end.to(dev), weight.tensor.to(dev, t), t, dev);
}

Tensor& lerp_(Tensor& self, const Tensor& end, const Operand& weight) {
  return assign_inplace("lerp_", self, lerp(self, end, weight));
}

}  // namespace ember
