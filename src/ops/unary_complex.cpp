// Complex-number views and functions: view_as_real, view_as_complex, real,
// imag, conj, conj_physical, angle.
#include "unary_backward.h"
#include "unary_common.h"

namespace ember {

using namespace unary_detail;

namespace {
std::complex<double> imaginary_unit() { return {0.0, 1.0}; }
}  // namespace

// Note [Complex views]
// A complex element is two adjacent reals, so a complex tensor can be seen
// as its real dtype with a trailing dim of 2: strides and offset double and
// the new dim has stride 1. real and imag select that dim; writes through
// them reach the complex tensor.
Tensor view_as_real(const Tensor& a) {
  EMBER_CHECK(a.is_complex(), RuntimeError, "[view_as_real] view_as_real is only supported for complex tensors, got ",
              dtype_name(a.dtype()));
  DimVector sizes = a.sizes(), strides;
  for (int64_t s : a.strides()) strides.push_back(s * 2);
  sizes.push_back(2);
  strides.push_back(1);
  auto impl = make_intrusive<TensorImpl>(a.storage(), to_real(a.dtype()), std::move(sizes), std::move(strides),
                                         a.storage_offset() * 2);
  Tensor view(std::move(impl));
  autograd::record_view("ViewAsRealBackward0", a, view, [] {
    return [](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      return {view_as_complex(ctx.grad().contiguous())};
    };
  });
  return view;
}

Tensor view_as_complex(const Tensor& a) {
  DType t = a.dtype();
  EMBER_CHECK(t == DType::Float32 || t == DType::Float64, RuntimeError,
              "[view_as_complex] view_as_complex is only supported for float and double tensors, but got a tensor "
              "of scalar type: ", dtype_name(t));
  EMBER_CHECK(a.dim() > 0, RuntimeError, "[view_as_complex] Input tensor must have one or more dimensions");
  EMBER_CHECK(a.sizes().back() == 2, RuntimeError,
              "[view_as_complex] Tensor must have a last dimension of size 2, got shape ", a.sizes());
  EMBER_CHECK(a.strides().back() == 1, RuntimeError,
              "[view_as_complex] Tensor must have a last dimension with stride 1, got strides ", a.strides());
  DimVector sizes, strides;
  for (int64_t d = 0; d + 1 < a.dim(); ++d) {
    EMBER_CHECK(a.strides()[d] % 2 == 0, RuntimeError,
                "[view_as_complex] Tensor must have a stride divisible by 2 for all but last dimension, got strides ",
                a.strides());
    sizes.push_back(a.sizes()[d]);
    strides.push_back(a.strides()[d] / 2);
  }
  EMBER_CHECK(a.storage_offset() % 2 == 0, RuntimeError,
              "[view_as_complex] Tensor must have a storage_offset divisible by 2, got ", a.storage_offset());
  auto impl = make_intrusive<TensorImpl>(a.storage(), to_complex(t), std::move(sizes), std::move(strides),
                                         a.storage_offset() / 2);
  Tensor view(std::move(impl));
  autograd::record_view("ViewAsComplexBackward0", a, view, [] {
    return [](autograd::BackwardCtx& ctx) -> autograd::variable_list { return {view_as_real(ctx.grad())}; };
  });
  return view;
}

namespace {
// Part `index` (0 real, 1 imaginary) of a complex tensor, as one recorded
// view: the real gradient g goes back as g (real) or g * 1j (imaginary).
Tensor complex_part(const char* name, const Tensor& a, int64_t index) {
  Tensor view;
  {
    autograd::NoGradGuard no_grad;  // one node for the whole view, not two
    view = view_as_real(a).select(-1, index);
  }
  autograd::record_view(name, a, view, [&] {
    return [index, t = a.dtype()](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      const Tensor& g = ctx.grad();
      return {index == 0 ? g.to(t) : mul(g, Scalar(imaginary_unit()))};
    };
  });
  return view;
}
}  // namespace

Tensor real(const Tensor& a) { return a.is_complex() ? complex_part("RealBackward0", a, 0) : a; }

Tensor imag(const Tensor& a) {
  EMBER_CHECK(a.is_complex(), RuntimeError, "[imag] imag is not implemented for tensors with non-complex dtypes.");
  return complex_part("ImagBackward0", a, 1);
}

// PyTorch marks a lazily conjugated view with a conj bit; Ember has none, so
// conj of a complex tensor is a copy (writes to it do not reach the input).
// For real dtypes conjugation does nothing and the input itself is returned.
Tensor conj(const Tensor& a) {
  if (!a.is_complex()) return a;
  Tensor out;
  {
    autograd::NoGradGuard no_grad;  // recorded below under conj's own name
    out = conj_physical(a);
  }
  return record_unary("ConjBackward0", a, out, Save::Nothing, [](const Tensor& g, const Tensor&) { return conj(g); });
}

Tensor conj_physical(const Tensor& a) {
  if (!a.is_complex()) return a;
  return record_unary("ConjPhysicalBackward0", a, unary("conj_physical", conj_stub, a, a.dtype(), a.dtype()),
                      Save::Nothing, [](const Tensor& g, const Tensor&) { return conj_physical(g); });
}

// Integer and bool inputs give the default float dtype; complex gives real.
// The angle of a real number is 0 or pi (zero gradient); for complex z the
// gradient is grad * 1j z / |z|^2 (0 at z == 0), as PyTorch.
Tensor angle(const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  Tensor out = unary("angle", angle_stub, a, t, to_real(t));
  if (!a.is_complex()) return record_zero_grad("AngleBackward0", a, out);
  return record_unary("AngleBackward0", a, out, Save::Input, [](const Tensor& g, const Tensor& z) {
    Tensor r = abs(z);
    Tensor gz = mul(div(mul(g, z), mul(r, r)), Scalar(imaginary_unit()));
    return where(eq(z, 0.0), 0.0, gz);
  });
}

}  // namespace ember
