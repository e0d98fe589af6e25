#pragma once
// TensorImpl: what a Tensor handle points to. A strided view of a Storage:
// sizes and strides in elements, an offset in elements, a dtype, and the
// autograd metadata when the tensor takes part in differentiation.
#include <memory>

#include "ember/core/dim_vector.h"
#include "ember/core/dtype.h"
#include "ember/core/storage.h"

namespace ember {

// Defined by the autograd layer; core only owns and destroys it.
class EMBER_API AutogradMetaInterface {
 public:
  virtual ~AutogradMetaInterface() = default;
  virtual bool requires_grad() const = 0;
  virtual void set_requires_grad(bool value) = 0;
};

class EMBER_API TensorImpl : public RefCounted {
 public:
  TensorImpl(Storage storage, DType dtype, DimVector sizes, DimVector strides, int64_t offset);
  ~TensorImpl() override;

  const Storage& storage() const { return storage_; }
  DType dtype() const { return dtype_; }
  Device device() const { return storage_->device(); }
  const DimVector& sizes() const { return sizes_; }
  const DimVector& strides() const { return strides_; }
  int64_t dim() const { return static_cast<int64_t>(sizes_.size()); }
  int64_t numel() const { return numel_; }
  int64_t storage_offset() const { return offset_; }
  bool is_contiguous() const { return is_contiguous_; }
  // Address of element [0, ..., 0].
  void* data() const {
    return static_cast<char*>(storage_->data()) + offset_ * itemsize(dtype_);
  }

  // Re-points this impl at new geometry (used by in-place view ops such as
  // squeeze_, t_, as_strided_).
  void set_geometry(DimVector sizes, DimVector strides, int64_t offset);

  bool requires_grad() const { return autograd_ && autograd_->requires_grad(); }
  AutogradMetaInterface* autograd_meta() const { return autograd_.get(); }
  void set_autograd_meta(std::unique_ptr<AutogradMetaInterface> m) { autograd_ = std::move(m); }

 private:
  void refresh();

  Storage storage_;
  DimVector sizes_;
  DimVector strides_;
  int64_t offset_;
  int64_t numel_ = 1;
  DType dtype_;
  bool is_contiguous_ = true;
  std::unique_ptr<AutogradMetaInterface> autograd_;
};

// Row-major strides for sizes.
EMBER_API DimVector contiguous_strides(const DimVector& sizes);
// Product of sizes; throws RuntimeError on negative sizes or overflow.
EMBER_API int64_t checked_numel(const DimVector& sizes, const char* op);

}  // namespace ember
