#pragma once
// Tensor: a cheap reference-counted handle to a TensorImpl. Copying a Tensor
// shares the data (like a Python reference); use clone() to copy data.
// Methods are declared here and defined in the ops layer (src/ops/), which
// holds every op's checks and dispatch.
#include <optional>
#include <string>
#include <vector>

#include "ember/core/intrusive_ptr.h"
#include "ember/core/scalar.h"
#include "ember/core/tensor_impl.h"
#include "ember/core/tensor_options.h"

namespace ember {

class EMBER_API Tensor {
 public:
  Tensor() = default;
  explicit Tensor(intrusive_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return static_cast<bool>(impl_); }
  TensorImpl* impl() const { return impl_.get(); }
  const intrusive_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool is_same(const Tensor& o) const { return impl_ == o.impl_; }

  // ---- attributes
  int64_t dim() const { return impl_->dim(); }
  int64_t ndim() const { return impl_->dim(); }
  const DimVector& sizes() const { return impl_->sizes(); }
  const DimVector& strides() const { return impl_->strides(); }
  int64_t size(int64_t dim) const;    // negative dims count from the end
  int64_t stride(int64_t dim) const;
  int64_t numel() const { return impl_->numel(); }
  DType dtype() const { return impl_->dtype(); }
  Device device() const { return impl_->device(); }
  int64_t storage_offset() const { return impl_->storage_offset(); }
  int64_t element_size() const { return itemsize(dtype()); }
  int64_t nbytes() const { return numel() * element_size(); }
  bool is_contiguous() const { return impl_->is_contiguous(); }
  bool is_floating_point() const { return ember::is_floating_point(dtype()); }
  bool is_complex() const { return ember::is_complex(dtype()); }
  bool is_cpu() const { return device().is_cpu(); }
  bool is_cuda() const { return device().is_cuda(); }
  void* data_ptr() const { return impl_->data(); }
  template <class T>
  T* data_ptr() const;  // checks that T matches the dtype
  const Storage& storage() const { return impl_->storage(); }
  uint32_t version() const { return impl_->storage()->version(); }
  void bump_version() const { impl_->storage()->bump_version(); }
  TensorOptions options() const { return TensorOptions(dtype()).device(device()); }

  // ---- autograd flags (the graph itself lives in the autograd layer)
  bool requires_grad() const { return impl_->requires_grad(); }
  Tensor& set_requires_grad(bool value);
  // The accumulated gradient (undefined until backward writes one).
  Tensor grad() const;
  void set_grad(const Tensor& grad);
  bool is_leaf() const;  // made by the user, not by a recorded op
  void retain_grad() const;  // keep .grad of a non-leaf
  bool retains_grad() const;
  // Accumulates gradients into the leaves' .grad (autograd/engine.h).
  void backward(const Tensor& gradient = Tensor(), std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false) const;
  Tensor& detach_();  // drops history in place

  // ---- element access and conversion
  Scalar item() const;  // one-element tensors only
  std::string str() const;  // like repr() in Python
  Tensor to(DType dtype, bool copy = false) const;
  Tensor to(Device device, bool copy = false) const;
  Tensor to(Device device, DType dtype, bool copy = false) const;
  Tensor cpu() const { return to(Device(DeviceType::CPU)); }

  // ---- views: share storage, never copy
  Tensor view(const DimVector& shape) const;  // -1 infers one dim
  Tensor view(DType dtype) const;             // reinterpret same-size dtype
  Tensor reshape(const DimVector& shape) const;  // copies only when it must
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor t() const;                           // 0-, 1- and 2-D
  Tensor T() const;                           // reverse all dims
  Tensor mT() const;                          // swap the last two dims
  Tensor permute(const DimVector& dims) const;
  Tensor expand(const DimVector& sizes) const;  // -1 keeps a size
  Tensor expand_as(const Tensor& other) const { return expand(other.sizes()); }
  Tensor squeeze() const;
  Tensor squeeze(const DimVector& dims) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor unflatten(int64_t dim, const DimVector& sizes) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor slice(int64_t dim, std::optional<int64_t> start, std::optional<int64_t> stop,
               int64_t step = 1) const;
  std::vector<Tensor> unbind(int64_t dim = 0) const;
  Tensor diagonal(int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1) const;
  Tensor as_strided(const DimVector& sizes, const DimVector& strides,
                    std::optional<int64_t> storage_offset = std::nullopt) const;
  Tensor alias() const;  // a new handle on the same view

  // ---- copies
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor detach() const;  // shares data, drops autograd history

  // ---- in-place writes (bump the version counter shared by all views)
  Tensor& copy_(const Tensor& src);  // broadcasts src, casts dtype
  Tensor& fill_(const Scalar& value);
  Tensor& zero_() { return fill_(Scalar(int64_t(0))); }

 private:
  intrusive_ptr<TensorImpl> impl_;
};

template <class T>
T* Tensor::data_ptr() const {
  EMBER_CHECK(dtype() == dtype_of_v<T>, TypeError, "[data_ptr] expected dtype ",
              dtype_name(dtype_of_v<T>), " but the tensor is ", dtype_name(dtype()));
  return static_cast<T*>(impl_->data());
}

// Wraps a dim into [0, ndim); ndim == 0 accepts -1 and 0 (as PyTorch does).
EMBER_API int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op);

// A new tensor with uninitialised contents.
EMBER_API Tensor empty(const DimVector& sizes, const TensorOptions& opts = {});
EMBER_API Tensor empty_strided(const DimVector& sizes, const DimVector& strides,
                               const TensorOptions& opts = {});

}  // namespace ember
