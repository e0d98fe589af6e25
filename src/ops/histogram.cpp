// bincount and histc: argument checks as PyTorch, then counting kernels
// (src/cpu/sort_histogram_kernels.cpp) on contiguous inputs.
#include "ember/core/sort_kernels.h"
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
