#pragma once
// Kernels of advanced indexing (Note [Advanced indexing] in
// src/ops/index_advanced.cpp). The ops layer turns t[idx] and t[idx] = v into
// one IndexPlan: an iteration shape (the shape of t[idx]) over which every
// operand has strides, so that element i of the result lives at
//   self + sum_d coord_d * self_strides[d] + sum_k wrap(index_k[i]) * indexed_strides[k]
// and element i of `other` (the result, or the values put) at
//   other + sum_d coord_d * other_strides[d].
// Indices are int64 and already checked against the dim sizes.
#include <vector>

#include "ember/core/dim_vector.h"
#include "ember/core/dispatch_stub.h"
#include "ember/core/dtype.h"
#include "ember/core/tensor_iterator.h"

namespace ember {

struct IndexPlan {
  DimVector sizes;          // iteration shape
  char* self = nullptr;     // the indexed tensor (a view of the user's tensor)
  DimVector self_strides;   // bytes, 0 on the dims that the indices produce
  char* other = nullptr;    // result of a gather, values of a scatter
  DimVector other_strides;  // bytes
  std::vector<const int64_t*> index;       // one per indexed dim of self
  std::vector<DimVector> index_strides;    // elements, over the iteration shape
  DimVector indexed_sizes;                 // size of each indexed dim (to wrap negatives)
  DimVector indexed_strides;               // bytes, stride of each indexed dim of self
  int64_t element_size = 0;
  DType dtype = DType::Float32;
};

// other[i] = self[offset(i)]: moves bytes, so it is picked by element size.
using IndexGatherKernel = void (*)(const IndexPlan& plan);
// self[offset(i)] = other[i], or self[offset(i)] += other[i] with accumulate
// (then by dtype; duplicates must sum correctly).
using IndexScatterKernel = void (*)(const IndexPlan& plan, bool accumulate);
// Note [Mask compaction]
// x[mask], masked_select and nonzero read a contiguous bool mask in chunks
// of kMaskChunk elements, in two passes that both run in parallel: the
// count of true elements of every chunk (MaskCountKernel), whose exclusive
// prefix sums (mask_chunk_starts) give where each chunk's output begins;
// then every chunk writes its own part of the output, branch-free (each
// element is stored at the current output position, which advances by
// the mask bit). No index tensor is made for x[mask].
constexpr int64_t kMaskChunk = int64_t(1) << 16;
inline int64_t mask_chunks(int64_t n) { return (n + kMaskChunk - 1) / kMaskChunk; }
// counts[c] = the true elements in [c * kMaskChunk, min(n, (c + 1) * kMaskChunk)).
using MaskCountKernel = void (*)(const bool* mask, int64_t n, int64_t* counts);
// For the true elements i of mask[0, n), in order, copies the `block` bytes
// at src + i * src_stride to dst, one after another; starts[c] is the
// number of true elements before chunk c.
using MaskSelectKernel = void (*)(const bool* mask, int64_t n, const int64_t* starts, const char* src,
                                  int64_t src_stride, int64_t block, char* dst);
// Writes the row-major coordinates of the true elements of a contiguous
// bool tensor of shape `sizes` into out (one row of sizes.size() int64 per
// true element); starts as for MaskSelectKernel.
using NonzeroKernel = void (*)(const bool* data, const DimVector& sizes, const int64_t* starts, int64_t* out);

// Operand 0 (self) takes *value (one element of self's dtype) where operand
// 1 (a bool mask) is true: elementwise, so it runs in parallel.
using MaskedFillKernel = void (*)(TensorIterator& it, const void* value);

EMBER_API extern DispatchStub<IndexGatherKernel> index_gather_stub;
EMBER_API extern DispatchStub<IndexScatterKernel> index_scatter_stub;
EMBER_API extern DispatchStub<MaskCountKernel> mask_count_stub;
EMBER_API extern DispatchStub<MaskSelectKernel> mask_select_stub;
EMBER_API extern DispatchStub<NonzeroKernel> nonzero_stub;
EMBER_API extern DispatchStub<MaskedFillKernel> masked_fill_stub;

// starts[c] = the true elements of a contiguous bool mask before chunk c
// (Note [Mask compaction]); returns the total.
inline int64_t mask_chunk_starts(DeviceType device, const bool* mask, int64_t n, std::vector<int64_t>& starts) {
  starts.assign(static_cast<size_t>(mask_chunks(n)), 0);
  if (n == 0) return 0;
  mask_count_stub(device)(mask, n, starts.data());
  int64_t total = 0;
  for (int64_t& s : starts) {
    const int64_t c = s;
    s = total;
    total += c;
  }
  return total;
}

}  // namespace ember
