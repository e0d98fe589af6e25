#pragma once
#include <optional>

#include "ember/core/device.h"
#include "ember/core/dtype.h"

namespace ember {

// How to make a new tensor: dtype (default: the context's), device,
// requires_grad. Builder style: TensorOptions().dtype(DType::Int64).
struct TensorOptions {
  std::optional<DType> dtype_;
  Device device_{DeviceType::CPU};
  bool requires_grad_ = false;

  TensorOptions() = default;
  TensorOptions(DType d) : dtype_(d) {}
  TensorOptions(Device d) : device_(d) {}
  TensorOptions dtype(DType d) const { auto o = *this; o.dtype_ = d; return o; }
  TensorOptions dtype(std::optional<DType> d) const { auto o = *this; o.dtype_ = d; return o; }
  TensorOptions device(Device d) const { auto o = *this; o.device_ = d; return o; }
  TensorOptions requires_grad(bool r) const { auto o = *this; o.requires_grad_ = r; return o; }
  DType dtype_or_default() const { return dtype_ ? *dtype_ : get_default_dtype(); }
};

}  // namespace ember
