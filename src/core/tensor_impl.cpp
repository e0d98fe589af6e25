#include "ember/core/tensor_impl.h"

#include "ember/core/tensor.h"

namespace ember {

TensorImpl::TensorImpl(Storage storage, DType dtype, DimVector sizes, DimVector strides,
                       int64_t offset)
    : storage_(std::move(storage)),
      sizes_(std::move(sizes)),
      strides_(std::move(strides)),
      offset_(offset),
      dtype_(dtype) {
  refresh();
}

TensorImpl::~TensorImpl() = default;

void TensorImpl::set_geometry(DimVector sizes, DimVector strides, int64_t offset) {
  sizes_ = std::move(sizes);
  strides_ = std::move(strides);
  offset_ = offset;
  refresh();
}

void TensorImpl::refresh() {
  // Sizes were checked when the tensor was made (checked_numel), but a
  // shape with a zero may have other sizes whose product overflows: stop at
  // the zero rather than overflow (undefined behaviour).
  numel_ = 1;
  for (int64_t s : sizes_) {
    if (s == 0) {
      numel_ = 0;
      break;
    }
    if (__builtin_mul_overflow(numel_, s, &numel_)) numel_ = INT64_MAX;
  }
  // Contiguous means row-major order; size-1 dims may have any stride.
  is_contiguous_ = true;
  if (numel_ == 0) return;
  int64_t expected = 1;
  for (int64_t d = dim() - 1; d >= 0; --d) {
    if (sizes_[d] == 1) continue;
    if (strides_[d] != expected) {
      is_contiguous_ = false;
      return;
    }
    expected *= sizes_[d];
  }
}

DimVector contiguous_strides(const DimVector& sizes) {
  DimVector strides(sizes.size());
  int64_t s = 1;
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    strides[d] = s;
    // Saturate instead of overflowing: only empty tensors get here with
    // products past int64 (their strides are never used to address memory).
    if (__builtin_mul_overflow(s, std::max<int64_t>(sizes[d], 1), &s)) s = INT64_MAX;
  }
  return strides;
}

int64_t checked_numel(const DimVector& sizes, const char* op) {
  // Negative sizes first, so that [-1, 0] is an error and not 0 elements.
  for (int64_t s : sizes) {
    EMBER_CHECK(s >= 0, RuntimeError, "[", op, "] Trying to create tensor with negative dimension ",
                s, ": ", sizes);
  }
  int64_t n = 1;
  bool overflow = false;
  for (int64_t s : sizes) {
    if (s == 0) return 0;  // [2**62, 2**62, 0] is empty, not an overflow
    overflow = overflow || __builtin_mul_overflow(n, s, &n);
  }
  EMBER_CHECK(!overflow && n <= (int64_t(1) << 62), RuntimeError, "[", op,
              "] Storage size calculation overflowed with sizes=", sizes);
  return n;
}

}  // namespace ember
