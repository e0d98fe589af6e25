// Factory functions: zeros, ones, full, arange, linspace, logspace, eye,
// the *_like forms, and tensors from lists of scalars.
#include "ember/ops/creation.h"

#include <cmath>

#include "ember/core/kernels.h"

namespace ember {

namespace {
// Fills a tensor nobody else has seen yet, without fill_'s version bump:
// new tensors start at version 0, as in PyTorch.
void fill_new(const Tensor& t, const Scalar& value) {
  TensorIterator it;
  it.add_output(t).build("fill_");
  fill_stub(t.device().type)(it, value);
}
}  // namespace

Tensor zeros(const DimVector& sizes, const TensorOptions& opts) {
  return full(sizes, Scalar(int64_t(0)), opts.dtype(opts.dtype_or_default()));
}

Tensor ones(const DimVector& sizes, const TensorOptions& opts) {
  // The default dtype, not the int64 that full() would infer from 1.
  return full(sizes, Scalar(int64_t(1)), opts.dtype(opts.dtype_or_default()));
}

Tensor full(const DimVector& sizes, const Scalar& value, const TensorOptions& opts) {
  TensorOptions o = opts;
  if (!o.dtype_) o.dtype_ = value.default_dtype();  // full((2,), True) is bool
  EMBER_CHECK(!value.is_complex() || is_complex(*o.dtype_) || value.to_complex().imag() == 0, TypeError,
              "[full] cannot fill a tensor of dtype ", dtype_name(*o.dtype_), " with the complex value ",
              value);
  Tensor t = empty(sizes, o.requires_grad(false));
  fill_new(t, value);
  return t.set_requires_grad(opts.requires_grad_);
}

TensorOptions like_options(const Tensor& t, std::optional<DType> dtype, std::optional<Device> device,
                           bool requires_grad) {
  return TensorOptions(dtype.value_or(t.dtype())).device(device.value_or(t.device())).requires_grad(requires_grad);
}

Tensor empty_like(const Tensor& t, const TensorOptions& opts) { return empty(t.sizes(), opts); }
Tensor zeros_like(const Tensor& t, const TensorOptions& opts) { return zeros(t.sizes(), opts); }
Tensor ones_like(const Tensor& t, const TensorOptions& opts) { return ones(t.sizes(), opts); }
Tensor full_like(const Tensor& t, const Scalar& value, const TensorOptions& opts) {
  return full(t.sizes(), value, opts);
}

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& opts) {
  for (const Scalar* s : {&start, &end, &step}) {
    EMBER_CHECK(!s->is_complex(), TypeError, "[arange] complex values are not supported");
    EMBER_CHECK(std::isfinite(s->to_double()), RuntimeError, "[arange] unsupported range: ", start,
                " -> ", end);
  }
  bool all_int = !start.is_floating_point() && !end.is_floating_point() && !step.is_floating_point();
  DType dt = opts.dtype_ ? *opts.dtype_ : (all_int ? DType::Int64 : get_default_dtype());
  double s = start.to_double(), e = end.to_double(), d = step.to_double();
  EMBER_CHECK(d != 0, RuntimeError, "[arange] step must be nonzero");
  EMBER_CHECK((d > 0 && e >= s) || (d < 0 && e <= s), RuntimeError,
              "[arange] upper bound and larger bound inconsistent with step sign");
  int64_t n;
  if (all_int) {
    // 128-bit so that arange(-2**63, 2**63 - 1) reports its size, not wraps.
    __int128 si = start.to_int(), ei = end.to_int(), di = step.to_int();
    __int128 len = di > 0 ? (ei - si + di - 1) / di : (si - ei - di - 1) / (-di);
    EMBER_CHECK(len <= (__int128(1) << 62), RuntimeError, "[arange] invalid size, possible overflow?");
    n = static_cast<int64_t>(len);
  } else {
    double len = std::ceil((e - s) / d);
    EMBER_CHECK(len >= 0 && len < 9.2e18, RuntimeError, "[arange] invalid size, possible overflow?");
    n = static_cast<int64_t>(len);
  }
  Tensor out = empty({n}, TensorOptions(dt).device(opts.device_));
  if (n > 0) arange_stub(out.device().type)(out, start, step);
  return out.set_requires_grad(opts.requires_grad_);
}

Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, const TensorOptions& opts) {
  EMBER_CHECK(steps >= 0, RuntimeError, "[linspace] number of steps must be non-negative");
  DType dt = opts.dtype_ ? *opts.dtype_
             : (start.is_complex() || end.is_complex()) ? default_complex_dtype()
                                                         : get_default_dtype();
  Tensor out = empty({steps}, TensorOptions(dt).device(opts.device_));
  if (steps > 0) linspace_stub(out.device().type)(out, start, end);
  return out.set_requires_grad(opts.requires_grad_);
}

Tensor logspace(const Scalar& start, const Scalar& end, int64_t steps, double base,
                const TensorOptions& opts) {
  EMBER_CHECK(steps >= 0, RuntimeError, "[logspace] number of steps must be non-negative");
  DType dt = opts.dtype_ ? *opts.dtype_ : get_default_dtype();
  // Exponents in float64, then base**x, then the requested dtype.
  Tensor exps = linspace(start, end, steps, TensorOptions(DType::Float64));
  double* p = exps.data_ptr<double>();
  for (int64_t i = 0; i < steps; ++i) p[i] = std::pow(base, p[i]);
  return exps.to(opts.device_, dt).set_requires_grad(opts.requires_grad_);
}

Tensor eye(int64_t n, int64_t m, const TensorOptions& opts) {
  if (m == -1) m = n;  // the C++ default: square
  EMBER_CHECK(n >= 0, RuntimeError, "[eye] n must be greater or equal to 0, got ", n);
  EMBER_CHECK(m >= 0, RuntimeError, "[eye] m must be greater or equal to 0, got ", m);
  Tensor out = zeros({n, m}, opts.requires_grad(false));
  if (n > 0 && m > 0) fill_new(out.diagonal(), Scalar(int64_t(1)));
  return out.set_requires_grad(opts.requires_grad_);
}

DType infer_dtype(const std::vector<Scalar>& values) {
  int kind = 0;  // 0 bool, 1 int, 2 float, 3 complex
  for (const Scalar& v : values) {
    kind = std::max(kind, v.is_bool() ? 0 : v.is_integral() ? 1 : v.is_floating_point() ? 2 : 3);
  }
  if (values.empty()) return get_default_dtype();  // tensor([]) is float
  switch (kind) {
    case 0: return DType::Bool;
    case 1: return DType::Int64;
    case 2: return get_default_dtype();
    default: return default_complex_dtype();
  }
}

Tensor tensor_from_scalars(const std::vector<Scalar>& values, const DimVector& sizes,
                           std::optional<DType> dtype, Device device) {
  int64_t n = checked_numel(sizes, "tensor");
  EMBER_CHECK(n == static_cast<int64_t>(values.size()), ValueError, "[tensor] ", values.size(),
              " values do not fill the shape ", sizes);
  DType dt = dtype ? *dtype : infer_dtype(values);
  Tensor out = empty(sizes, TensorOptions(dt));
  dispatch_all(dt, [&]<class T>() {
    T* p = static_cast<T*>(out.data_ptr());
    for (int64_t i = 0; i < n; ++i) {
      if constexpr (!detail::is_complex_v<T>) {
        EMBER_CHECK(!values[i].is_complex() || values[i].to_complex().imag() == 0, TypeError,
                    "[tensor] can't convert complex to ", dtype_name(dt));
      }
      p[i] = values[i].to<T>();
    }
  });
  return device.is_cpu() ? out : out.to(device);
}

}  // namespace ember
