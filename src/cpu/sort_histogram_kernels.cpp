// CPU kernels for bincount, histc and histogram: one serial counting pass (the
// counts collide, and these inputs are rarely large enough to pay for
// per-thread partial histograms).
#include <algorithm>
#include <cmath>
#include <vector>

#include "ember/core/sort_kernels.h"

namespace ember {
namespace {

Tensor bincount_kernel(const Tensor& input, const Tensor& weights, int64_t minlength,
                       DType out_dtype) {
  const int64_t* x = static_cast<const int64_t*>(input.data_ptr());
  int64_t n = input.numel(), length = minlength;
  for (int64_t i = 0; i < n; ++i) {
    EMBER_CHECK(x[i] >= 0, RuntimeError,
                "[bincount] bincount only supports 1-d non-negative integral inputs (found ", x[i],
                ")");
    length = std::max(length, x[i] + 1);
  }
  Tensor out = empty({length}, TensorOptions(out_dtype));
  auto count = [&]<class C>(const C* w) {
    C* o = static_cast<C*>(out.data_ptr());
    std::fill(o, o + length, C(0));
    for (int64_t i = 0; i < n; ++i) o[x[i]] += w ? w[i] : C(1);
  };
  if (out_dtype == DType::Int64) {
    count(static_cast<const int64_t*>(nullptr));
  } else if (out_dtype == DType::Float32) {
    count(static_cast<const float*>(weights.data_ptr()));
  } else {
    count(static_cast<const double*>(weights.data_ptr()));
  }
  return out;
}

Tensor histc_kernel(const Tensor& input, int64_t bins, double min, double max) {
  Tensor out = empty({bins}, TensorOptions(input.dtype()));
  dispatch_floating(input.dtype(), "histc", [&]<class T>() {
    const T* x = static_cast<const T*>(input.data_ptr());
    int64_t n = input.numel();
    double lo = min, hi = max;
    if (lo == hi && n > 0) {  // the data range; a NaN makes it non-finite
      lo = INFINITY;
      hi = -INFINITY;
      for (int64_t i = 0; i < n; ++i) {
        double v = static_cast<double>(x[i]);
        if (std::isnan(v)) {
          lo = hi = v;
          break;
        }
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
    if (lo == hi) {
      lo -= 1;
      hi += 1;
    }
    EMBER_CHECK(std::isfinite(lo) && std::isfinite(hi), RuntimeError,
                "[histc] torch.histc: range of [", lo, ", ", hi, "] is not finite");
    EMBER_CHECK(lo < hi, RuntimeError, "[histc] torch.histc: max must be larger than min (min ",
                lo, ", max ", hi, ")");
    std::vector<int64_t> counts(bins, 0);
    double width = (hi - lo) / double(bins);
    for (int64_t i = 0; i < n; ++i) {
      double v = static_cast<double>(x[i]);
      if (!(v >= lo && v <= hi)) continue;  // outside the range, or NaN
      int64_t pos = static_cast<int64_t>((v - lo) * double(bins) / (hi - lo));
      pos = std::min(pos, bins - 1);  // the last bin includes max
      // Fix rounding against the actual edges lo + k * width, as NumPy.
      if (pos > 0 && v < lo + double(pos) * width) --pos;
      else if (pos + 1 < bins && v >= lo + double(pos + 1) * width) ++pos;
      ++counts[pos];
    }
    T* o = static_cast<T*>(out.data_ptr());
    for (int64_t b = 0; b < bins; ++b) o[b] = detail::convert<T>(static_cast<double>(counts[b]));
  });
  return out;
}

std::pair<double, double> data_range_kernel(const Tensor& input) {
  double lo = INFINITY, hi = -INFINITY;
  dispatch_floating(input.dtype(), "histogram", [&]<class T>() {
    const T* x = static_cast<const T*>(input.data_ptr());
    for (int64_t i = 0; i < input.numel(); ++i) {
      double v = static_cast<double>(x[i]);
      if (std::isnan(v)) {
        lo = hi = v;
        return;
      }
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  });
  return {lo, hi};
}

void histogram_kernel(const Tensor& input, const Tensor& edges, const Tensor& weight,
                      const Tensor& hist, bool density) {
  dispatch_floating(input.dtype(), "histogram", [&]<class T>() {
    const T* x = static_cast<const T*>(input.data_ptr());
    const T* w = weight.defined() ? static_cast<const T*>(weight.data_ptr()) : nullptr;
    int64_t nb = hist.numel();
    std::vector<double> e(nb + 1), acc(nb, 0.0);
    const T* ep = static_cast<const T*>(edges.data_ptr());
    for (int64_t b = 0; b <= nb; ++b) e[b] = static_cast<double>(ep[b]);
    for (int64_t i = 0; i < input.numel(); ++i) {
      double v = static_cast<double>(x[i]);
      if (!(v >= e[0] && v <= e[nb])) continue;  // outside the edges, or NaN
      int64_t pos = std::upper_bound(e.begin(), e.end(), v) - e.begin() - 1;
      acc[std::min(pos, nb - 1)] += w ? static_cast<double>(w[i]) : 1.0;
    }
    if (density) {
      double total = 0;
      for (double a : acc) total += a;
      for (int64_t b = 0; b < nb; ++b) acc[b] /= total * (e[b + 1] - e[b]);
    }
    T* o = static_cast<T*>(hist.data_ptr());
    for (int64_t b = 0; b < nb; ++b) o[b] = detail::convert<T>(acc[b]);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(data_range_stub, CPU, &data_range_kernel);
EMBER_REGISTER_KERNEL(histogram_stub, CPU, &histogram_kernel);
EMBER_REGISTER_KERNEL(bincount_stub, CPU, &bincount_kernel);
EMBER_REGISTER_KERNEL(histc_stub, CPU, &histc_kernel);

}  // namespace ember
