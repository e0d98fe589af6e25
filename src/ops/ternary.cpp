// Ternary elementwise ops: where, clamp, lerp (and clamp's one-bound forms).
#include "binary_common.h"
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"

namespace ember {

using namespace elementwise;
using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

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
  it.add_borrowed_output(out).add_borrowed_input(x).add_borrowed_input(y).add_borrowed_input(z).build(op);
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

// The gradient of where goes to the input each element was taken from.
Tensor where(const Tensor& condition, const Operand& input, const Operand& other) {
  EMBER_CHECK(condition.dtype() == DType::Bool, RuntimeError,
              "[where] where expected condition to be a boolean tensor, but got a tensor with dtype ",
              dtype_name(condition.dtype()));
  DType t = promote(input, other);
  Device dev = common_device3("where", input.tensor, other.tensor, condition);
  Tensor out;
  {
    autograd::NoGradGuard no_grad;  // the casts below are not part of the graph
    out = ternary("where", where_stub, condition.to(dev), input.tensor.to(dev, t), other.tensor.to(dev, t), t, dev);
  }
  autograd::record("WhereBackward0", {input.tensor, other.tensor}, out, [&] {
    return [c = SavedVariable(condition, false)](BackwardCtx& ctx) -> variable_list {
      Tensor cond = ctx.unpack(c);
      const Tensor& g = ctx.grad();
      return {ctx.needs_input_grad(0) ? where(cond, g, 0) : Tensor(),
              ctx.needs_input_grad(1) ? where(cond, 0, g) : Tensor()};
    };
  });
  return out;
}

namespace {
// Note [Clamp gradients]
// As PyTorch: self gets the gradient where min <= self <= max (none at
// NaN); min gets it where self < min (and min < max, when max is given);
// max where self > max (or max < min, where max wins).
Tensor clamp_backward_self(const Tensor& g, const Tensor& x, const Tensor& lo, const Tensor& hi) {
  Tensor keep;
  if (lo.defined() && hi.defined()) keep = logical_and(ge(x, lo), le(x, hi));
  else if (lo.defined()) keep = ge(x, lo);
  else keep = le(x, hi);
  return where(keep, g, 0);
}

void record_clamp(const char* op, const Tensor& self, const std::optional<Operand>& lo,
                  const std::optional<Operand>& hi, const Tensor& out) {
  bool scalars = (!lo || lo->wrapped_number) && (!hi || hi->wrapped_number);
  const char* name = nullptr;
  std::string_view o(op);
  bool one_bound_op = o.starts_with("clamp_min") || o.starts_with("clamp_max");
  if (one_bound_op) name = o.starts_with("clamp_min") ? (scalars ? "ClampMinBackward0" : "ClampMinBackward1")
                                                     : (scalars ? "ClampMaxBackward0" : "ClampMaxBackward1");
  else name = scalars ? "ClampBackward1" : "ClampBackward0";
  Tensor lo_t = lo ? lo->tensor : Tensor(), hi_t = hi ? hi->tensor : Tensor();
  autograd::record(name, {self, lo_t, hi_t}, out, [&] {
    return [sx = SavedVariable(self, false), slo = SavedVariable(lo_t, false),
            shi = SavedVariable(hi_t, false)](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(sx);
      Tensor l = slo.defined() ? ctx.unpack(slo) : Tensor(), h = shi.defined() ? ctx.unpack(shi) : Tensor();
      const Tensor& g = ctx.grad();
      Tensor gx = ctx.needs_input_grad(0) ? clamp_backward_self(g, x, l, h) : Tensor();
      Tensor gl, gh;
      if (ctx.needs_input_grad(1)) {
        Tensor below = lt(x, l);
        gl = where(h.defined() ? logical_and(below, lt(l, h)) : below, g, 0);
      }
      if (ctx.needs_input_grad(2)) {
        Tensor above = gt(x, h);
        gh = where(l.defined() ? logical_or(above, lt(h, l)) : above, g, 0);
      }
      return {gx, gl, gh};
    };
  });
}

Tensor clamp_recorded(const char* op, const Tensor& self, const std::optional<Operand>& lo,
                      const std::optional<Operand>& hi) {
  Tensor out;
  {
    autograd::NoGradGuard no_grad;  // one node for clamp, whatever its kernels
    out = clamp_impl(op, self, lo, hi);
  }
  record_clamp(op, self, lo, hi, out);
  return out;
}

bool clamp_inplace_needs_grad(Tensor& self, const std::optional<Operand>& lo, const std::optional<Operand>& hi) {
  return autograd::inplace_needs_grad(self, {lo ? lo->tensor : Tensor(), hi ? hi->tensor : Tensor()});
}
}  // namespace

Tensor clamp(const Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max) {
  return clamp_recorded("clamp", self, min, max);
}
Tensor clip(const Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max) {
  return clamp_recorded("clip", self, min, max);
}
Tensor clamp_min(const Tensor& self, const Operand& min) {
  return clamp_recorded("clamp_min", self, min, std::nullopt);
}
Tensor clamp_max(const Tensor& self, const Operand& max) {
  return clamp_recorded("clamp_max", self, std::nullopt, max);
}

Tensor& clamp_(Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max) {
  if (clamp_inplace_needs_grad(self, min, max))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return clamp(s, min, max); });
  return assign_inplace("clamp_", self, clamp_impl("clamp_", self, min, max));
}
Tensor& clip_(Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max) {
  if (clamp_inplace_needs_grad(self, min, max))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return clip(s, min, max); });
  return assign_inplace("clip_", self, clamp_impl("clip_", self, min, max));
}
Tensor& clamp_min_(Tensor& self, const Operand& min) {
  if (clamp_inplace_needs_grad(self, min, std::nullopt))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return clamp_min(s, min); });
  return assign_inplace("clamp_min_", self, clamp_impl("clamp_min_", self, min, std::nullopt));
}
Tensor& clamp_max_(Tensor& self, const Operand& max) {
  if (clamp_inplace_needs_grad(self, std::nullopt, max))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return clamp_max(s, max); });
  return assign_inplace("clamp_max_", self, clamp_impl("clamp_max_", self, std::nullopt, max));
}

// lerp = start + weight (end - start): gradients grad * conj(1 - weight),
// grad * conj(weight) and, for a tensor weight, grad * conj(end - start).
Tensor lerp(const Tensor& start, const Tensor& end, const Operand& weight) {
  const char* op = "lerp";
  check_same_dtype(op, start, end, "end");
  if (!weight.wrapped_number) check_same_dtype(op, start, weight.tensor, "weight");
  DType t = start.dtype();
  EMBER_CHECK(is_floating_point(t) || is_complex(t), TypeError, "[", op, "] not implemented for dtype ",
              dtype_name(t));
  Device dev = common_device3(op, start, end, weight.tensor);
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = ternary(op, lerp_stub, start, end.to(dev), weight.tensor.to(dev, t), t, dev);
  }
  const char* name = weight.wrapped_number ? "LerpBackward0" : "LerpBackward1";
  autograd::record(name, {start, end, weight.tensor}, out, [&] {
    bool gw = weight.tensor.requires_grad();
    return [ss = SavedVariable(gw ? start : Tensor(), false), se = SavedVariable(gw ? end : Tensor(), false),
            sw = SavedVariable(weight.tensor, false)](BackwardCtx& ctx) -> variable_list {
      Tensor w = conj(ctx.unpack(sw));
      const Tensor& g = ctx.grad();
      Tensor gs = ctx.needs_input_grad(0) ? mul(g, sub(1, w)) : Tensor();
      Tensor ge = ctx.needs_input_grad(1) ? mul(g, w) : Tensor();
      Tensor gw = ctx.needs_input_grad(2) ? mul(g, conj(sub(ctx.unpack(se), ctx.unpack(ss)))) : Tensor();
      return {gs, ge, gw};
    };
  });
  return out;
}

Tensor& lerp_(Tensor& self, const Tensor& end, const Operand& weight) {
  if (autograd::inplace_needs_grad(self, {end, weight.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return lerp(s, end, weight); });
  return assign_inplace("lerp_", self, lerp(self, end, weight));
}

}  // namespace ember
