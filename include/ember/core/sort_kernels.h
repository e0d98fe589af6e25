#pragma once
// Kernel tables for sorting, selection, searching, counting, gather and
// scatter (Note [Dispatch stubs]). The ops layer checks arguments, allocates
// outputs and hands kernels tensors of any strides unless a kernel says
// "contiguous"; kernels check index values (they alone read them).
#include <tuple>
#include <utility>

#include "ember/core/kernels.h"
#include "ember/core/tensor.h"

namespace ember {

// values/indices have self's shape; each 1-D slice along dim is sorted.
// NaN sorts as the largest value. The CPU sort is always stable.
using SortKernel = void (*)(const Tensor& self, const Tensor& values, const Tensor& indices,
                            int64_t dim, bool descending);
// values/indices have self's shape with k along dim.
using TopkKernel = void (*)(const Tensor& self, const Tensor& values, const Tensor& indices,
                            int64_t dim, int64_t k, bool largest, bool sorted);
// values/indices have self's shape with 1 along dim: the k-th smallest (1-based).
using KthvalueKernel = void (*)(const Tensor& self, const Tensor& values, const Tensor& indices,
                                int64_t dim, int64_t k);
// Groups the rows of a contiguous (N, M) tensor: equal rows form one group
// (NaN equals nothing, as in PyTorch). Groups are sorted lexicographically,
// or, when consecutive, only adjacent equal rows group. Returns int64
// (first row of each group [G], group of each row [N], group sizes [G]).
using UniqueKernel = std::tuple<Tensor, Tensor, Tensor> (*)(const Tensor& rows, bool consecutive);
// out[r, j] = insertion point of values[r, j] in boundaries[r] (row 0 for
// every r when boundaries has one row), read through sorter when defined.
// boundaries, values (same dtype), sorter (int64) and out (int32 or int64)
// are contiguous 2-D.
using SearchsortedKernel = void (*)(const Tensor& boundaries, const Tensor& values,
                                    const Tensor& sorter, const Tensor& out, bool right);
// Counts of each value of a contiguous int64 1-D input (weighted when
// weights, contiguous 1-D of out_dtype, is defined); length max(minlength,
// max + 1).
using BincountKernel = Tensor (*)(const Tensor& input, const Tensor& weights, int64_t minlength,
                                  DType out_dtype);
// Histogram of a contiguous floating input with `bins` equal bins over
// [min, max] (the data range when min == max), as torch.histc.
using HistcKernel = Tensor (*)(const Tensor& input, int64_t bins, double min, double max);
// Min and max of a contiguous floating input (NaN when it holds a NaN).
using DataRangeKernel = std::pair<double, double> (*)(const Tensor& input);
// hist[b] += weight (or 1) for each input value in [edges[b], edges[b + 1])
// (the last bin includes its right edge); density divides by the total
// and the bin widths. input, edges, weight (when defined) and hist share a
// floating dtype and are contiguous; hist is zero on entry.
using HistogramKernel = void (*)(const Tensor& input, const Tensor& edges, const Tensor& weight,
                                 const Tensor& hist, bool density);

// out[..., j, ...] = self[..., index[..., j, ...], ...] along dim; out has
// index's shape; self and out share a dtype.
using GatherKernel = void (*)(const Tensor& self, int64_t dim, const Tensor& index,
                              const Tensor& out);
enum class ScatterReduce { Assign, Sum, Prod, Mean, Amax, Amin };
// self[..., index[..., j, ...], ...] (op)= src[..., j, ...] (or value when src
// is undefined) for every position of index, in place. include_self=false
// ignores self's old values at the positions written to.
using ScatterKernel = void (*)(const Tensor& self, int64_t dim, const Tensor& index,
                               const Tensor& src, const Scalar& value, ScatterReduce reduce,
                               bool include_self);

EMBER_API extern DispatchStub<SortKernel> sort_stub;
EMBER_API extern DispatchStub<TopkKernel> topk_stub;
EMBER_API extern DispatchStub<KthvalueKernel> kthvalue_stub;
EMBER_API extern DispatchStub<UniqueKernel> unique_stub;
EMBER_API extern DispatchStub<SearchsortedKernel> searchsorted_stub;
EMBER_API extern DispatchStub<BincountKernel> bincount_stub;
EMBER_API extern DispatchStub<HistcKernel> histc_stub;
EMBER_API extern DispatchStub<DataRangeKernel> data_range_stub;
EMBER_API extern DispatchStub<HistogramKernel> histogram_stub;
EMBER_API extern DispatchStub<GatherKernel> gather_stub;
EMBER_API extern DispatchStub<ScatterKernel> scatter_stub;

// Note [Rows along a dim]
// Kernels that work on 1-D slices along `dim` number them row-major over
// the other dims of a reference shape; offset() gives the element offset of
// a row's first element in a tensor with the given strides, so inputs and
// outputs of any strides are walked without copies.
struct DimRows {
  DimVector other_sizes;
  int64_t count = 1;

  DimRows(const DimVector& shape, int64_t dim) {
    for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
      if (d == dim) continue;
      other_sizes.push_back(shape[d]);
      count *= shape[d];
    }
  }
  // The strides of t's dims other than dim.
  static DimVector other_strides(const Tensor& t, int64_t dim) {
    DimVector s;
    for (int64_t d = 0; d < t.dim(); ++d) {
      if (d != dim) s.push_back(t.strides()[d]);
    }
    return s;
  }
  int64_t offset(int64_t row, const DimVector& strides) const {
    int64_t off = 0;
    for (int64_t d = static_cast<int64_t>(other_sizes.size()) - 1; d >= 0; --d) {
      off += (row % other_sizes[d]) * strides[d];
      row /= other_sizes[d];
    }
    return off;
  }
};

}  // namespace ember
