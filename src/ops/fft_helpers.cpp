// ember::fft helpers that are not transforms: sample frequencies and the
// shifts that centre the zero frequency.
#include <vector>

#include "ember/ops/creation.h"
#include "ember/ops/fft.h"

namespace ember::fft {

namespace {

DType freq_dtype(const TensorOptions& opts, const char* op) {
  const DType t = opts.dtype_or_default();
  EMBER_CHECK(is_floating_point(t) || is_complex(t), TypeError, "[", op,
              "] expected a floating point or complex dtype, but got ", dtype_name(t));
  return t;
}

// Values computed in double, then converted to the requested dtype.
Tensor from_doubles(const std::vector<double>& v, DType dtype, const TensorOptions& opts) {
  Tensor t = empty({static_cast<int64_t>(v.size())}, TensorOptions(DType::Float64));
  std::copy(v.begin(), v.end(), t.data_ptr<double>());
  return t.to(opts.device_, dtype).set_requires_grad(opts.requires_grad_);
}

// Roll x by `shift` along dim (a private helper: out[i] = x[i - shift]).
Tensor roll_dim(const Tensor& x, int64_t dim, int64_t shift) {
  const int64_t n = x.size(dim);
  if (n == 0) return x;
  shift = ((shift % n) + n) % n;
  if (shift == 0) return x;
  Tensor out = empty(x.sizes(), x.options());
  out.narrow(dim, shift, n - shift).copy_(x.narrow(dim, 0, n - shift));
  out.narrow(dim, 0, shift).copy_(x.narrow(dim, n - shift, shift));
  return out;
}

Tensor shift_impl(const Tensor& x, const OptDims& dim, bool inverse, const char* op) {
  DimVector dims;
  if (dim) {
    for (int64_t d : *dim) dims.push_back(wrap_dim(d, x.dim(), op));
  } else {
    for (int64_t d = 0; d < x.dim(); ++d) dims.push_back(d);
  }
  Tensor out = x;
  for (int64_t d : dims) {
    if (x.dim() == 0) break;  // a 0-d tensor has nothing to shift
    const int64_t n = x.size(d);
    out = roll_dim(out, d, inverse ? -(n / 2) : n / 2);
  }
  // Always a new tensor, as PyTorch's roll returns.
  return out.is_same(x) ? x.clone() : out;
}

}  // namespace

Tensor fftfreq(int64_t n, double d, const TensorOptions& opts) {
  const DType dtype = freq_dtype(opts, "fft_fftfreq");
  EMBER_CHECK(n >= 0, RuntimeError, "[fft_fftfreq] n must be non-negative, got ", n);
  std::vector<double> v(n);
  const double scale = 1.0 / (static_cast<double>(n) * d);
  for (int64_t i = 0; i < n; ++i) v[i] = static_cast<double>(i < (n + 1) / 2 ? i : i - n) * scale;
  return from_doubles(v, dtype, opts);
}

Tensor rfftfreq(int64_t n, double d, const TensorOptions& opts) {
  const DType dtype = freq_dtype(opts, "fft_rfftfreq");
  EMBER_CHECK(n >= 0, RuntimeError, "[fft_rfftfreq] n must be non-negative, got ", n);
  std::vector<double> v(n / 2 + 1);
  const double scale = 1.0 / (static_cast<double>(n) * d);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i) * scale;
  return from_doubles(v, dtype, opts);
}

Tensor fftshift(const Tensor& x, const OptDims& dim) { return shift_impl(x, dim, false, "fft_fftshift"); }
Tensor ifftshift(const Tensor& x, const OptDims& dim) { return shift_impl(x, dim, true, "fft_ifftshift"); }

}  // namespace ember::fft
