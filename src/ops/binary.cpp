// Binary elementwise ops: promotion, broadcasting, allocation, dispatch.
#include <cmath>

#include "ember/core/elementwise_kernels.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/type_promotion.h"
#include "binary_common.h"
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/unary.h"

namespace ember {

using namespace elementwise;
using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

Tensor scalar_tensor(const Scalar& s, std::optional<DType> dtype, Device device) {
  Tensor t = empty({}, TensorOptions(dtype.value_or(s.default_dtype())));
  dispatch_all(t.dtype(), [&]<class T>() { *static_cast<T*>(t.data_ptr()) = s.to<T>(); });
  return device.is_cpu() ? t : t.to(device);
}

namespace {
// A Python number keeps its full precision (int64, float64, complex128): it
// is weak in promotion, so this never changes the result dtype, and the op
// rounds it once, straight to the compute dtype.
DType wrapped_number_dtype(const Scalar& s) {
  if (s.is_floating_point()) return DType::Float64;
  if (s.is_complex()) return DType::Complex128;
  return s.default_dtype();
}
}  // namespace

Operand::Operand(const Scalar& s)
    : holder_(elementwise::wrapped_scalar(s, wrapped_number_dtype(s))), tensor(holder_), wrapped_number(true) {}

namespace elementwise {

// Note [Wrapped numbers]
// A Python number in a binary op becomes a 0-dim tensor (Note [Type
// promotion] ranks it as a weak "wrapped number"), and again a 0-dim tensor
// of the compute dtype when that differs (t_float32 + 2.5). Allocating and
// freeing those two tensors would cost more than the op itself on small
// inputs, so each thread keeps a few 0-dim tensors per dtype and rewrites
// one whose only reference is the pool's: nobody else holds its TensorImpl
// or its storage, it has no autograd metadata and still has its 0-dim
// geometry, so nobody can observe the new value. A tensor that something
// kept (autograd saves the scalar of x * 2.0; a view; an op that returned
// it) is not reused while it is held: the pool takes a fresh one and the
// kept one lives on unchanged. Values are written with Scalar::to, the
// conversion (detail::convert) the copy kernel uses, so the compute-dtype
// tensor holds what `.to(dtype)` would give.
Tensor wrapped_scalar(const Scalar& s, DType dtype) {
  constexpr int kSlots = 2;  // where(c, 1.0, 0.0) holds two of one dtype at once
  thread_local Tensor pool[kNumDTypes][kSlots];
  Tensor* slots = pool[static_cast<int>(dtype)];
  for (int i = 0; i < kSlots; ++i) {
    Tensor& t = slots[i];
    if (!t.defined()) break;
    const TensorImpl* impl = t.impl();
    if (impl->use_count() == 1 && impl->storage().use_count() == 1 && impl->autograd_meta() == nullptr &&
        impl->dim() == 0 && impl->storage_offset() == 0) {
      // Pairs with the release in the last other owner's decref.
      std::atomic_thread_fence(std::memory_order_acquire);
      dispatch_all(dtype, [&]<class T>() { *static_cast<T*>(impl->data()) = s.to<T>(); });
      return t;
    }
  }
  // Every slot is held elsewhere (or empty): a fresh tensor replaces the
  // oldest slot; a held one lives on with its holders.
  Tensor fresh = scalar_tensor(s, dtype);
  for (int i = kSlots - 1; i > 0; --i) slots[i] = std::move(slots[i - 1]);
  slots[0] = fresh;
  return fresh;
}

}  // namespace elementwise

namespace {

// Integer and bool inputs divide in the default float dtype.
DType true_div_dtype(DType t) { return is_integral(t, true) ? get_default_dtype() : t; }

void check_not_bool_sub(const char* op, const Operand& a, const Operand& b) {
  EMBER_CHECK(a.tensor.dtype() != DType::Bool || b.tensor.dtype() != DType::Bool, RuntimeError, "[", op,
              "] Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
              "`logical_xor()` operator instead.");
}

const DispatchStub<ElementwiseKernel>& rounding_stub(const char* op, std::optional<std::string_view> mode) {
  if (!mode) return div_true_stub;
  if (*mode == "trunc") return div_trunc_stub;
  if (*mode == "floor") return div_floor_stub;
  EMBER_THROW(ValueError, "[", op, "] div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '",
              *mode, "'");
}

void check_not_bool(const char* op, DType t) {
  EMBER_CHECK(t != DType::Bool, TypeError, "[", op, "] not implemented for dtype bool");
}

void check_ordered(const char* op, DType t) {
  EMBER_CHECK(!is_complex(t), TypeError, "[", op, "] ", op, " is not supported for complex tensors (dtype ",
              dtype_name(t), ")");
}

Scalar negate(const Scalar& s) {
  if (s.is_complex()) return Scalar(-s.to_complex());
  if (s.is_floating_point()) return Scalar(-s.to_double());
  return Scalar(-s.to_int());
}

}  // namespace

namespace {
Scalar conj_scalar(const Scalar& s) { return s.is_complex() ? Scalar(std::conj(s.to_complex())) : s; }
bool is_one(const Scalar& s) { return !s.is_complex() && s.to_double() == 1.0; }

// d(a + alpha*b): grad for a, grad * conj(alpha) for b.
void record_add(const char* name, const Operand& a, const Operand& b, const Tensor& out, const Scalar& alpha) {
  autograd::record(name, {a.tensor, b.tensor}, out, [&] {
    return [alpha = conj_scalar(alpha)](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      return {g, ctx.needs_input_grad(1) ? (is_one(alpha) ? g : mul(g, alpha)) : Tensor()};
    };
  });
}
}  // namespace

Tensor add(const Operand& a, const Operand& b, const Scalar& alpha) {
  DType t = promote(a, b);
  Tensor out = binary("add", add_stub, a, b, t, t, alpha);
  record_add("AddBackward0", a, b, out, alpha);
  return out;
}

Tensor sub(const Operand& a, const Operand& b, const Scalar& alpha) {
  check_not_bool_sub("sub", a, b);
  DType t = promote(a, b);
  Tensor out = binary("sub", add_stub, a, b, t, t, negate(alpha));
  record_add("SubBackward0", a, b, out, negate(alpha));
  return out;
}

Tensor mul(const Operand& a, const Operand& b) {
  DType t = promote(a, b);
  Tensor out = binary("mul", mul_stub, a, b, t, t);
  autograd::record("MulBackward0", {a.tensor, b.tensor}, out, [&] {
    bool ga = a.tensor.requires_grad(), gb = b.tensor.requires_grad();
    return [sa = SavedVariable(gb ? a.tensor : Tensor(), false),
            sb = SavedVariable(ga ? b.tensor : Tensor(), false)](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      return {ctx.needs_input_grad(0) ? mul(g, conj(ctx.unpack(sb))) : Tensor(),
              ctx.needs_input_grad(1) ? mul(g, conj(ctx.unpack(sa))) : Tensor()};
    };
  });
  return out;
}

Tensor div(const Operand& a, const Operand& b, std::optional<std::string_view> mode) {
  DType t = promote(a, b);
  if (!mode) t = true_div_dtype(t);
  else check_not_bool("div", t);
  Tensor out = binary("div", rounding_stub("div", mode), a, b, t, t);
  if (mode) {  // piecewise constant: zero gradient almost everywhere
    autograd::record("DivBackward1", {a.tensor, b.tensor}, out, [&] {
      return [](BackwardCtx& ctx) -> variable_list {
        Tensor z = zeros_like(ctx.grad(), ctx.grad().options());
        return {ctx.needs_input_grad(0) ? z : Tensor(), ctx.needs_input_grad(1) ? z : Tensor()};
      };
    });
    return out;
  }
  autograd::record("DivBackward0", {a.tensor, b.tensor}, out, [&] {
    bool gb = b.tensor.requires_grad();
    return [sa = SavedVariable(gb ? a.tensor : Tensor(), false),
            sb = SavedVariable(b.tensor, false)](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      Tensor bc = conj(ctx.unpack(sb));
      Tensor ga = ctx.needs_input_grad(0) ? div(g, bc) : Tensor();
      Tensor gb = ctx.needs_input_grad(1) ? neg(div(mul(g, conj(ctx.unpack(sa))), mul(bc, bc))) : Tensor();
      return {ga, gb};
    };
  });
  return out;
}

Tensor floor_divide(const Operand& a, const Operand& b) {
  DType t = promote(a, b);
  check_not_bool("floor_divide", t);
  return binary("floor_divide", div_floor_stub, a, b, t, t);
}

// remainder(a, b) = a - floor(a / b) * b: gradient grad for a and
// -grad * floor(a / b) for b.
Tensor remainder(const Operand& a, const Operand& b) {
  DType t = promote(a, b);
  check_not_bool("remainder", t);
  Tensor out = binary("remainder", remainder_stub, a, b, t, t);
  autograd::record(b.wrapped_number ? "RemainderBackward0" : "RemainderBackward1", {a.tensor, b.tensor}, out, [&] {
    bool gb = b.tensor.requires_grad();
    return [sa = SavedVariable(gb ? a.tensor : Tensor(), false),
            sb = SavedVariable(gb ? b.tensor : Tensor(), false)](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      return {ctx.needs_input_grad(0) ? g : Tensor(),
              ctx.needs_input_grad(1) ? neg(mul(g, div(ctx.unpack(sa), ctx.unpack(sb), "floor"))) : Tensor()};
    };
  });
  return out;
}

namespace {
Scalar scalar_minus_one(const Scalar& s) {
  if (s.is_complex()) return Scalar(s.to_complex() - 1.0);
  if (s.is_floating_point()) return Scalar(s.to_double() - 1.0);
  return Scalar(s.to_int() - 1);
}
bool scalar_is_zero(const Scalar& s) { return s.is_complex() ? s.to_complex() == 0.0 : s.to_double() == 0.0; }

// d(x^e)/dx = e x^(e-1), 0 where e == 0 (so that 0^0 has a zero gradient,
// as PyTorch, rather than 0 * 0^-1 = NaN).
Tensor pow_grad_base(const Tensor& g, const Tensor& x, const Tensor& e) {
  Tensor d = mul(g, conj(mul(e, pow(x, sub(e, 1)))));
  return where(eq(e, 0), 0, d);
}
// d(b^e)/de = b^e log(b), 0 where b == 0 and e >= 0 (real part, for complex
// e with no imaginary part), where the limit is 0.
Tensor pow_grad_exponent(const Tensor& g, const Tensor& b, const Tensor& e, const Tensor& result) {
  Tensor at_zero;
  if (e.is_complex()) at_zero = logical_and(eq(b, 0), logical_and(eq(imag(e), 0), ge(real(e), 0)));
  else at_zero = logical_and(eq(b, 0), ge(e, 0));
  Tensor logb = log(b.to(result.dtype()));
  return where(at_zero, 0, mul(g, conj(mul(result, logb))));
}
// The same with a Python number as the base (log(base) computed once, in
// double precision).
Tensor pow_grad_exponent(const Tensor& g, const Scalar& base, const Tensor& e, const Tensor& result) {
  Scalar logb = base.is_complex() || result.is_complex() ? Scalar(std::log(base.to_complex()))
                                                         : Scalar(std::log(base.to_double()));
  Tensor d = mul(g, conj(mul(result, logb)));
  if (!scalar_is_zero(base)) return d;
  Tensor exponent_nonneg = e.is_complex() ? logical_and(eq(imag(e), 0), ge(real(e), 0)) : ge(e, 0);
  return where(exponent_nonneg, 0, d);
}
}  // namespace

Tensor pow(const Operand& a, const Operand& b) {
  DType t = promote(a, b);
  if (t == DType::Bool) t = DType::Int64;
  Tensor out = binary("pow", pow_stub, a, b, t, t);
  if (b.wrapped_number) {  // pow(tensor, scalar): PowBackward0
    Scalar e = b.tensor.item();
    autograd::record("PowBackward0", {a.tensor}, out, [&] {
      return [sa = SavedVariable(a.tensor, false), e](BackwardCtx& ctx) -> variable_list {
        const Tensor& g = ctx.grad();
        if (scalar_is_zero(e)) return {zeros_like(g, {})};
        return {mul(g, conj(mul(pow(ctx.unpack(sa), scalar_minus_one(e)), e)))};
      };
    });
  } else if (a.wrapped_number) {  // pow(scalar, tensor): PowBackward2
    Scalar base = a.tensor.item();
    autograd::record("PowBackward2", {b.tensor}, out, [&] {
      return [sb = SavedVariable(b.tensor, false), so = SavedVariable(out, true), base](BackwardCtx& ctx) -> variable_list {
        return {pow_grad_exponent(ctx.grad(), base, ctx.unpack(sb), ctx.unpack(so))};
      };
    });
  } else {  // PowBackward1
    autograd::record("PowBackward1", {a.tensor, b.tensor}, out, [&] {
      bool gb = b.tensor.requires_grad();
      return [sa = SavedVariable(a.tensor, false), sb = SavedVariable(b.tensor, false),
              so = SavedVariable(gb ? out : Tensor(), true)](BackwardCtx& ctx) -> variable_list {
        Tensor x = ctx.unpack(sa), e = ctx.unpack(sb);
        return {ctx.needs_input_grad(0) ? pow_grad_base(ctx.grad(), x, e) : Tensor(),
                ctx.needs_input_grad(1) ? pow_grad_exponent(ctx.grad(), x, e, ctx.unpack(so)) : Tensor()};
      };
    });
  }
  return out;
}

namespace {
// maximum/minimum: the gradient goes to the selected input; on ties it is
// split evenly (PyTorch). `self_wins` is a > b for maximum, a < b for minimum.
void record_max_min(const char* name, const Tensor& a, const Tensor& b, const Tensor& out, bool is_max) {
  autograd::record(name, {a, b}, out, [&] {
    return [sa = SavedVariable(a, false), sb = SavedVariable(b, false), is_max](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(sa), y = ctx.unpack(sb);
      const Tensor& g = ctx.grad();
      Tensor shared = where(eq(x, y), div(g, 2), g);
      Tensor a_wins = is_max ? gt(x, y) : lt(x, y), b_wins = is_max ? lt(x, y) : gt(x, y);
      return {ctx.needs_input_grad(0) ? where(b_wins, 0, shared) : Tensor(),
              ctx.needs_input_grad(1) ? where(a_wins, 0, shared) : Tensor()};
    };
  });
}
}  // namespace

Tensor maximum(const Tensor& a, const Tensor& b) {
  DType t = promote(a, b);
  EMBER_CHECK(!is_complex(t), TypeError, "[maximum] maximum not implemented for complex tensors.");
  Tensor out = binary("maximum", maximum_stub, a, b, t == DType::Bool ? DType::UInt8 : t, t);
  record_max_min("MaximumBackward0", a, b, out, true);
  return out;
}

Tensor minimum(const Tensor& a, const Tensor& b) {
  DType t = promote(a, b);
  EMBER_CHECK(!is_complex(t), TypeError, "[minimum] minimum not implemented for complex tensors.");
  Tensor out = binary("minimum", minimum_stub, a, b, t == DType::Bool ? DType::UInt8 : t, t);
  record_max_min("MinimumBackward0", a, b, out, false);
  return out;
}

Tensor eq(const Operand& a, const Operand& b) {
  return binary("eq", eq_stub, a, b, promote(a, b), DType::Bool);
}

Tensor ne(const Operand& a, const Operand& b) {
  return binary("ne", ne_stub, a, b, promote(a, b), DType::Bool);
}

Tensor lt(const Operand& a, const Operand& b) {
  DType t = promote(a, b);
  check_ordered("lt", t);
  return binary("lt", lt_stub, a, b, t, DType::Bool);
}

Tensor le(const Operand& a, const Operand& b) {
  DType t = promote(a, b);
  check_ordered("le", t);
  return binary("le", le_stub, a, b, t, DType::Bool);
}

Tensor gt(const Operand& a, const Operand& b) {
  DType t = promote(a, b);
  check_ordered("gt", t);
  return binary("gt", gt_stub, a, b, t, DType::Bool);
}

Tensor ge(const Operand& a, const Operand& b) {
  DType t = promote(a, b);
  check_ordered("ge", t);
  return binary("ge", ge_stub, a, b, t, DType::Bool);
}


Tensor& add_(Tensor& self, const Operand& other, const Scalar& alpha) {
  if (autograd::inplace_needs_grad(self, {other.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return add(s, other, alpha); });
  return binary_("add_", add_stub, self, other, promote(self, other), alpha);
}

Tensor& sub_(Tensor& self, const Operand& other, const Scalar& alpha) {
  check_not_bool_sub("sub_", self, other);
  if (autograd::inplace_needs_grad(self, {other.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return sub(s, other, alpha); });
  return binary_("sub_", add_stub, self, other, promote(self, other), negate(alpha));
}

Tensor& mul_(Tensor& self, const Operand& other) {
  if (autograd::inplace_needs_grad(self, {other.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return mul(s, other); });
  return binary_("mul_", mul_stub, self, other, promote(self, other));
}

Tensor& div_(Tensor& self, const Operand& other, std::optional<std::string_view> mode) {
  if (autograd::inplace_needs_grad(self, {other.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return div(s, other, mode); });
  DType t = promote(self, other);
  if (!mode) t = true_div_dtype(t);
  else check_not_bool("div_", t);
  return binary_("div_", rounding_stub("div_", mode), self, other, t);
}

// floor_divide has no gradient: recorded, self simply stops requiring grad
// (and a leaf that requires grad is refused), as for any in-place op.
Tensor& floor_divide_(Tensor& self, const Operand& other) {
  if (autograd::inplace_needs_grad(self, {other.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return floor_divide(s, other); });
  DType t = promote(self, other);
  check_not_bool("floor_divide_", t);
  return binary_("floor_divide_", div_floor_stub, self, other, t);
}

Tensor& remainder_(Tensor& self, const Operand& other) {
  if (autograd::inplace_needs_grad(self, {other.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return remainder(s, other); });
  DType t = promote(self, other);
  check_not_bool("remainder_", t);
  return binary_("remainder_", remainder_stub, self, other, t);
}

Tensor& pow_(Tensor& self, const Operand& other) {
  if (autograd::inplace_needs_grad(self, {other.tensor}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return pow(s, other); });
  DType t = promote(self, other);
  return binary_("pow_", pow_stub, self, other, t == DType::Bool ? DType::Int64 : t);
}

}  // namespace ember
