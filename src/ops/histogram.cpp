// bincount, histc and histogram: argument checks as PyTorch, then counting kernels
// (src/cpu/sort_histogram_kernels.cpp) on contiguous inputs.
#include <algorithm>
#include <cmath>

#include "ember/core/sort_kernels.h"
#include "ember/ops/creation.h"
#include "ember/ops/sort.h"

namespace ember {

Tensor bincount(const Tensor& self, const std::optional<Tensor>& weights, int64_t minlength) {
  EMBER_CHECK(minlength >= 0, RuntimeError, "[bincount] minlength should be >= 0, got ", minlength);
  EMBER_CHECK(self.dim() == 1 && is_integral(self.dtype(), true), RuntimeError,
              "[bincount] bincount only supports 1-d non-negative integral inputs (got a ",
              self.dim(), "-d ", dtype_name(self.dtype()), " tensor)");
  Tensor w;
  DType out_dtype = DType::Int64;
  if (weights) {
    EMBER_CHECK(weights->dim() == 1 && weights->size(0) == self.size(0), RuntimeError,
                "[bincount] weights should be 1-d and have the same length as input (got weights ",
                weights->sizes(), " and input ", self.sizes(), ")");
    EMBER_CHECK(!weights->is_complex(), TypeError, "[bincount] not implemented for weights of dtype ",
                dtype_name(weights->dtype()));
    // float32 weights give float32 counts, any other weights float64 (PyTorch).
    out_dtype = weights->dtype() == DType::Float32 ? DType::Float32 : DType::Float64;
    w = weights->to(out_dtype).contiguous();
  }
  return bincount_stub(self.device().type)(self.to(DType::Int64).contiguous(), w, minlength,
                                           out_dtype);
}

Tensor histc(const Tensor& self, int64_t bins, double min, double max) {
  EMBER_CHECK(self.is_floating_point(), TypeError, "[histc] not implemented for dtype ",
              dtype_name(self.dtype()), " (histc needs a floating point input)");
  EMBER_CHECK(bins > 0, RuntimeError, "[histc] torch.histc(): bins must be > 0, but got ", bins);
  return histc_stub(self.device().type)(self.contiguous(), bins, min, max);
}

}  // namespace ember

namespace ember {

namespace {

void check_histogram_inputs(const Tensor& self, const std::optional<Tensor>& weight) {
  EMBER_CHECK(self.is_floating_point(), TypeError, "[histogram] not implemented for dtype ",
              dtype_name(self.dtype()), " (histogram needs a floating point input)");
  if (weight) {
    EMBER_CHECK(weight->sizes() == self.sizes(), RuntimeError,
                "[histogram] weight tensor should have the same shape as the input tensor (got ",
                weight->sizes(), " and ", self.sizes(), ")");
    EMBER_CHECK(weight->dtype() == self.dtype(), RuntimeError,
                "[histogram] input tensor and weight tensor should have the same dtype (got ",
                dtype_name(self.dtype()), " and ", dtype_name(weight->dtype()), ")");
  }
}

Tensor run_histogram(const Tensor& self, const Tensor& edges, const std::optional<Tensor>& weight,
                     bool density) {
  Tensor hist = zeros({std::max<int64_t>(edges.numel() - 1, 0)}, self.options());
  if (hist.numel() > 0) {
    histogram_stub(self.device().type)(self.contiguous(), edges.contiguous(),
                                       weight ? weight->contiguous() : Tensor(), hist, density);
  }
  return hist;
}

}  // namespace

std::tuple<Tensor, Tensor> histogram(const Tensor& self, int64_t bins,
                                     std::optional<std::pair<double, double>> range,
                                     const std::optional<Tensor>& weight, bool density) {
  check_histogram_inputs(self, weight);
  EMBER_CHECK(bins > 0, RuntimeError, "[histogram] torch.histogram(): bins must be > 0, but got ",
              bins);
  // No range and no data: [0, 1], as numpy.histogram.
  auto [lo, hi] = range ? *range
                  : self.numel() > 0 ? data_range_stub(self.device().type)(self.contiguous())
                                     : std::pair<double, double>(0.0, 1.0);
  EMBER_CHECK(std::isfinite(lo) && std::isfinite(hi), RuntimeError, "[histogram] range of [", lo,
              ", ", hi, "] is not finite");
  EMBER_CHECK(lo <= hi, RuntimeError, "[histogram] min should not exceed max, but got min ", lo,
              " max ", hi);
  if (lo == hi) {  // widen an empty range, as NumPy
    lo -= 0.5;
    hi += 0.5;
  }
  Tensor edges = linspace(Scalar(lo), Scalar(hi), bins + 1, TensorOptions(DType::Float64).device(self.device()))
                     .to(self.dtype());
  return {run_histogram(self, edges, weight, density), edges};
}

std::tuple<Tensor, Tensor> histogram(const Tensor& self, const Tensor& bins,
                                     const std::optional<Tensor>& weight, bool density) {
  check_histogram_inputs(self, weight);
  EMBER_CHECK(bins.dim() == 1 && bins.numel() >= 1, RuntimeError,
              "[histogram] bins tensor should have one dimension and at least one element, got ",
              bins.sizes());
  EMBER_CHECK(bins.dtype() == self.dtype(), RuntimeError,
              "[histogram] input tensor and bins tensors should have the same dtype (got ",
              dtype_name(self.dtype()), " and ", dtype_name(bins.dtype()), ")");
  return {run_histogram(self, bins, weight, density), bins.clone()};
}

}  // namespace ember
