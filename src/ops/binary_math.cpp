// Binary math beyond arithmetic: fmod, atan2, hypot, copysign, fmax/fmin,
// logaddexp(2), xlogy, bitwise and logical ops, with their in-place forms.
#include "binary_common.h"
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/unary.h"

namespace ember {

using namespace elementwise;
using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

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

using BinaryFn = Tensor (*)(const Operand&, const Operand&);

// In place: when autograd must see it, the out-of-place op `fn` computes it
// and records. Ops without a gradient pass no fn.
Tensor& apply_(const char* op, const DispatchStub<ElementwiseKernel>& stub, Domain d, Tensor& self,
               const Operand& other, BinaryFn fn = nullptr) {
  if (fn && autograd::inplace_needs_grad(self, {other.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return fn(s, other); });
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

// Records out = op(a, b); formula(ctx, a, b, out) returns both gradients
// (the output is saved only when save_out). Ops taking a Python number
// have their own node name, as PyTorch's overloads do.
template <class Formula>
Tensor record_binary(const char* name, const Operand& a, const Operand& b, const Tensor& out, bool save_out,
                     Formula formula) {
  autograd::record(name, {a.tensor, b.tensor}, out, [&] {
    return [sa = SavedVariable(a.tensor, false), sb = SavedVariable(b.tensor, false),
            so = SavedVariable(save_out ? out : Tensor(), true), formula](BackwardCtx& ctx) -> variable_list {
      return formula(ctx, ctx.unpack(sa), ctx.unpack(sb), so.defined() ? ctx.unpack(so) : Tensor());
    };
  });
  return out;
}

Tensor grad_if(const BackwardCtx& ctx, size_t i, const std::function<Tensor()>& f) {
  return ctx.needs_input_grad(i) ? f() : Tensor();
}

}  // namespace

// fmod(a, b) = a - trunc(a / b) * b.
Tensor fmod(const Operand& a, const Operand& b) {
  Tensor out = apply("fmod", fmod_stub, Domain::Real, a, b);
  return record_binary(b.wrapped_number ? "FmodBackward0" : "FmodBackward1", a, b, out, false,
                       [](BackwardCtx& ctx, const Tensor& x, const Tensor& y, const Tensor&) -> variable_list {
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return g; }),
                                 grad_if(ctx, 1, [&] { return neg(mul(g, div(x, y, "trunc"))); })};
                       });
}
// d atan2(y, x) = (x dy - y dx) / (x^2 + y^2).
Tensor atan2(const Operand& a, const Operand& b) {
  Tensor out = apply("atan2", atan2_stub, Domain::ToFloating, a, b);
  return record_binary("Atan2Backward0", a, b, out, false,
                       [](BackwardCtx& ctx, const Tensor& y, const Tensor& x, const Tensor&) -> variable_list {
                         Tensor r2 = add(mul(x, x), mul(y, y));
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return mul(g, div(x, r2)); }),
                                 grad_if(ctx, 1, [&] { return mul(g, div(neg(y), r2)); })};
                       });
}
Tensor hypot(const Operand& a, const Operand& b) {
  Tensor out = apply("hypot", hypot_stub, Domain::Floating, a, b);
  return record_binary("HypotBackward0", a, b, out, true,
                       [](BackwardCtx& ctx, const Tensor& x, const Tensor& y, const Tensor& r) -> variable_list {
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return mul(g, div(x, r)); }),
                                 grad_if(ctx, 1, [&] { return mul(g, div(y, r)); })};
                       });
}
// copysign(a, b) = +-a: gradient grad * out / a (0 where a == 0); b only
// chooses a sign (zero gradient).
Tensor copysign(const Operand& a, const Operand& b) {
  Tensor out = apply("copysign", copysign_stub, Domain::ToFloating, a, b);
  return record_binary(b.wrapped_number ? "CopysignBackward1" : "CopysignBackward0", a, b, out, true,
                       [](BackwardCtx& ctx, const Tensor& x, const Tensor&, const Tensor& r) -> variable_list {
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return mul(g, where(eq(x, 0), 0, div(r, x))); }),
                                 grad_if(ctx, 1, [&] { return zeros_like(g, {}); })};
                       });
}
// fmax/fmin: the gradient goes to the input chosen (a on ties, and b only
// where a is not chosen: a NaN b never takes it), as PyTorch.
Tensor fmax(const Operand& a, const Operand& b) {
  Tensor out = apply("fmax", fmax_stub, Domain::Ordered, a, b);
  return record_binary("FmaxBackward0", a, b, out, false,
                       [](BackwardCtx& ctx, const Tensor& x, const Tensor& y, const Tensor&) -> variable_list {
                         Tensor a_chosen = logical_or(ge(x, y), isnan(y));
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return where(a_chosen, g, 0); }),
                                 grad_if(ctx, 1, [&] { return where(a_chosen, 0, g); })};
                       });
}
Tensor fmin(const Operand& a, const Operand& b) {
  Tensor out = apply("fmin", fmin_stub, Domain::Ordered, a, b);
  return record_binary("FminBackward0", a, b, out, false,
                       [](BackwardCtx& ctx, const Tensor& x, const Tensor& y, const Tensor&) -> variable_list {
                         Tensor a_chosen = logical_or(le(x, y), isnan(y));
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return where(a_chosen, g, 0); }),
                                 grad_if(ctx, 1, [&] { return where(a_chosen, 0, g); })};
                       });
}
// d logaddexp(a, b)/da = 1 / (1 + exp(b - a)).
Tensor logaddexp(const Operand& a, const Operand& b) {
  Tensor out = apply("logaddexp", logaddexp_stub, Domain::Floating, a, b);
  return record_binary("LogaddexpBackward0", a, b, out, false,
                       [](BackwardCtx& ctx, const Tensor& x, const Tensor& y, const Tensor&) -> variable_list {
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return div(g, add(exp(sub(y, x)), 1)); }),
                                 grad_if(ctx, 1, [&] { return div(g, add(exp(sub(x, y)), 1)); })};
                       });
}
Tensor logaddexp2(const Operand& a, const Operand& b) {
  Tensor out = apply("logaddexp2", logaddexp2_stub, Domain::Floating, a, b);
  return record_binary("Logaddexp2Backward0", a, b, out, false,
                       [](BackwardCtx& ctx, const Tensor& x, const Tensor& y, const Tensor&) -> variable_list {
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return div(g, add(exp2(sub(y, x)), 1)); }),
                                 grad_if(ctx, 1, [&] { return div(g, add(exp2(sub(x, y)), 1)); })};
                       });
}
// xlogy(x, y) = x log(y): gradient grad * xlogy(x != 0, y) for x (0 where
// x == 0, like the forward) and grad * x / y for y.
Tensor xlogy(const Operand& x, const Operand& y) {
  Tensor out = apply("xlogy", xlogy_stub, Domain::ToFloating, x, y);
  const char* name = x.wrapped_number ? "XlogyBackward1" : y.wrapped_number ? "XlogyBackward2" : "XlogyBackward0";
  return record_binary(name, x, y, out, false,
                       [](BackwardCtx& ctx, const Tensor& a, const Tensor& b, const Tensor&) -> variable_list {
                         const Tensor& g = ctx.grad();
                         return {grad_if(ctx, 0, [&] { return mul(g, xlogy(ne(a, 0), b)); }),
                                 grad_if(ctx, 1, [&] { return mul(g, div(a, b)); })};
                       });
}

Tensor& fmod_(Tensor& self, const Operand& other) {
  return apply_("fmod_", fmod_stub, Domain::Real, self, other, fmod);
}
Tensor& atan2_(Tensor& self, const Operand& other) {
  return apply_("atan2_", atan2_stub, Domain::ToFloating, self, other, atan2);
}
Tensor& hypot_(Tensor& self, const Operand& other) {
  return apply_("hypot_", hypot_stub, Domain::Floating, self, other, hypot);
}
Tensor& copysign_(Tensor& self, const Operand& other) {
  return apply_("copysign_", copysign_stub, Domain::ToFloating, self, other, copysign);
}
Tensor& xlogy_(Tensor& self, const Operand& other) {
  return apply_("xlogy_", xlogy_stub, Domain::ToFloating, self, other, xlogy);
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
