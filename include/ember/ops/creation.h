#pragma once
// Factory functions. Each takes TensorOptions (dtype, device,
// requires_grad); a missing dtype means the default dtype, except where the
// values decide it (arange of integers gives int64, full of a bool gives bool).
#include <vector>

#include "ember/core/tensor.h"

namespace ember {

EMBER_API Tensor zeros(const DimVector& sizes, const TensorOptions& opts = {});
EMBER_API Tensor ones(const DimVector& sizes, const TensorOptions& opts = {});
EMBER_API Tensor full(const DimVector& sizes, const Scalar& value, const TensorOptions& opts = {});
EMBER_API Tensor empty_like(const Tensor& t, const TensorOptions& opts);
EMBER_API Tensor zeros_like(const Tensor& t, const TensorOptions& opts);
EMBER_API Tensor ones_like(const Tensor& t, const TensorOptions& opts);
EMBER_API Tensor full_like(const Tensor& t, const Scalar& value, const TensorOptions& opts);
// The *_like options start from t's dtype and device.
EMBER_API TensorOptions like_options(const Tensor& t, std::optional<DType> dtype,
                                     std::optional<Device> device, bool requires_grad);

// Values start, start+step, ... below end (above for a negative step).
EMBER_API Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step = Scalar(int64_t(1)),
                        const TensorOptions& opts = {});
EMBER_API Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps,
                          const TensorOptions& opts = {});
EMBER_API Tensor logspace(const Scalar& start, const Scalar& end, int64_t steps, double base = 10.0,
                          const TensorOptions& opts = {});
EMBER_API Tensor eye(int64_t n, int64_t m = -1, const TensorOptions& opts = {});

// A tensor of `sizes` from row-major values, converted to dtype (or the
// dtype the values infer: bool, int64, default float, default complex).
EMBER_API Tensor tensor_from_scalars(const std::vector<Scalar>& values, const DimVector& sizes,
                                     std::optional<DType> dtype, Device device = {});
// The dtype PyTorch infers for a list of Python scalars.
EMBER_API DType infer_dtype(const std::vector<Scalar>& values);

// C++ convenience: ember::tensor({1.0, 2.0, 3.0}).
template <class T>
Tensor tensor(std::initializer_list<T> values, const TensorOptions& opts = {}) {
  std::vector<Scalar> v(values.begin(), values.end());
  return tensor_from_scalars(v, {static_cast<int64_t>(v.size())}, opts.dtype_, opts.device_)
      .set_requires_grad(opts.requires_grad_);
}

}  // namespace ember
