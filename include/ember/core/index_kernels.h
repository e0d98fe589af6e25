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
// Writes the row-major coordinates of the true elements of a contiguous
// bool tensor of shape `sizes` into out (count rows of sizes.size() int64).
using NonzeroKernel = void (*)(const bool* data, const DimVector& sizes, int64_t* out, int64_t count);

// Operand 0 (self) takes *value (one element of self's dtype) where operand
// 1 (a bool mask) is true: elementwise, so it runs in parallel.
using MaskedFillKernel = void (*)(TensorIterator& it, const void* value);

EMBER_API extern DispatchStub<IndexGatherKernel> index_gather_stub;
EMBER_API extern DispatchStub<IndexScatterKernel> index_scatter_stub;
EMBER_API extern DispatchStub<NonzeroKernel> nonzero_stub;
EMBER_API extern DispatchStub<MaskedFillKernel> masked_fill_stub;

}  // namespace ember
