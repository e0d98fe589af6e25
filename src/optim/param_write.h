#pragma once
// Writing optimizer results into parameters without the op layer: optimizer
// steps are not part of any graph, so they must not pass through ops that
// record autograd (or refuse in-place writes to leaves that require grad).
#include <cstring>
#include <vector>

#include "ember/core/tensor.h"

namespace ember::optim::detail {

// Copies `src` (contiguous, dst's dtype and shape) into dst's possibly
// strided elements, then bumps dst's version counter as in-place ops do.
inline void write_param(const Tensor& dst, const Tensor& src) {
  const int64_t n = dst.numel();
  const int64_t es = dst.element_size();
  char* out = static_cast<char*>(dst.data_ptr());
  const char* in = static_cast<const char*>(src.data_ptr());
  if (dst.is_contiguous()) {
    if (out != in && n > 0) std::memcpy(out, in, size_t(n * es));
  } else {
    const auto& sizes = dst.sizes();
    const auto& strides = dst.strides();
    const int64_t nd = dst.dim();
    std::vector<int64_t> index(size_t(nd), 0);
    for (int64_t i = 0; i < n; ++i) {
      int64_t offset = 0;
      for (int64_t d = 0; d < nd; ++d) offset += index[d] * strides[d];
      std::memcpy(out + offset * es, in + i * es, size_t(es));
      for (int64_t d = nd - 1; d >= 0; --d) {  // next index, last dim fastest
        if (++index[d] < sizes[d]) break;
        index[d] = 0;
      }
    }
  }
  dst.bump_version();
}

// A contiguous copy of the parameter's values, outside any graph.
inline Tensor contiguous_values(const Tensor& param) {
  Tensor values = param.detach();
  return values.is_contiguous() ? values : values.contiguous();
}

}  // namespace ember::optim::detail
