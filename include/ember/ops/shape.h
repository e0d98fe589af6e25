#pragma once
// Shape and data-movement ops: joining (cat, stack...), splitting (split,
// chunk, tensor_split: views), flipping and rolling, repeating, triangles and
// diagonals, grids and broadcasting. Ops that PyTorch documents as views
// return views; the others return new contiguous tensors filled through
// Tensor::copy_ (which converts dtypes and threads), so they need no
// per-dtype kernels of their own.
#include <optional>
#include <string_view>
#include <vector>

#include "ember/core/dispatch_stub.h"
#include "ember/core/tensor.h"

namespace ember {

// ---- joining
// Tensors of one shape except along dim; the result has their promoted
// dtype. 1-D empty tensors are skipped (PyTorch's legacy rule).
EMBER_API Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
// cat into out (its shape must be the result's; its dtype must hold it).
EMBER_API Tensor& cat_out(const std::vector<Tensor>& tensors, int64_t dim, Tensor& out);
EMBER_API Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);
EMBER_API Tensor& stack_out(const std::vector<Tensor>& tensors, int64_t dim, Tensor& out);
EMBER_API Tensor hstack(const std::vector<Tensor>& tensors);
EMBER_API Tensor vstack(const std::vector<Tensor>& tensors);
EMBER_API Tensor dstack(const std::vector<Tensor>& tensors);
EMBER_API Tensor column_stack(const std::vector<Tensor>& tensors);

// ---- splitting (views)
EMBER_API std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim = 0);
EMBER_API std::vector<Tensor> split_with_sizes(const Tensor& self, const DimVector& sizes, int64_t dim = 0);
EMBER_API std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim = 0);
// `sections` parts of near-equal size (the first size % sections one longer).
EMBER_API std::vector<Tensor> tensor_split(const Tensor& self, int64_t sections, int64_t dim = 0);
// Parts between the indices, clamped like Python slices.
EMBER_API std::vector<Tensor> tensor_split_indices(const Tensor& self, const DimVector& indices, int64_t dim = 0);
// NumPy's hsplit (dim 1, or 0 for 1-D), vsplit (dim 0), dsplit (dim 2):
// sections must divide the size.
EMBER_API std::vector<Tensor> hsplit(const Tensor& self, int64_t sections);
EMBER_API std::vector<Tensor> vsplit(const Tensor& self, int64_t sections);
EMBER_API std::vector<Tensor> dsplit(const Tensor& self, int64_t sections);
EMBER_API std::vector<Tensor> hsplit(const Tensor& self, const DimVector& indices);
EMBER_API std::vector<Tensor> vsplit(const Tensor& self, const DimVector& indices);
EMBER_API std::vector<Tensor> dsplit(const Tensor& self, const DimVector& indices);

// ---- flipping, rolling, rotating (copies)
EMBER_API Tensor flip(const Tensor& self, const DimVector& dims);
EMBER_API Tensor fliplr(const Tensor& self);
EMBER_API Tensor flipud(const Tensor& self);
// Empty dims: roll the flattened tensor and restore the shape.
EMBER_API Tensor roll(const Tensor& self, const DimVector& shifts, const DimVector& dims = {});
EMBER_API Tensor rot90(const Tensor& self, int64_t k = 1, const DimVector& dims = {0, 1});

// ---- repeating (copies)
EMBER_API Tensor repeat(const Tensor& self, const DimVector& repeats);
EMBER_API Tensor tile(const Tensor& self, const DimVector& reps);
// dim nullopt: the flattened input. output_size, when given, must equal the total.
EMBER_API Tensor repeat_interleave(const Tensor& self, int64_t repeats, std::optional<int64_t> dim = std::nullopt,
                                   std::optional<int64_t> output_size = std::nullopt);
EMBER_API Tensor repeat_interleave(const Tensor& self, const Tensor& repeats,
                                   std::optional<int64_t> dim = std::nullopt,
                                   std::optional<int64_t> output_size = std::nullopt);
// repeat_interleave(repeats): index i repeated repeats[i] times (int64).
EMBER_API Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size = std::nullopt);

// ---- triangles and diagonals (copies)
EMBER_API Tensor tril(const Tensor& self, int64_t diagonal = 0);
EMBER_API Tensor triu(const Tensor& self, int64_t diagonal = 0);
EMBER_API Tensor diag(const Tensor& self, int64_t diagonal = 0);
EMBER_API Tensor diag_embed(const Tensor& self, int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1);
EMBER_API Tensor diagflat(const Tensor& self, int64_t offset = 0);

// ---- dims, grids and broadcasting
EMBER_API Tensor movedim(const Tensor& self, const DimVector& source, const DimVector& destination);
// indexing: "ij" (matrix) or "xy" (Cartesian: the first two dims swapped).
EMBER_API std::vector<Tensor> meshgrid(const std::vector<Tensor>& tensors, std::string_view indexing = "ij");
EMBER_API Tensor cartesian_prod(const std::vector<Tensor>& tensors);
EMBER_API Tensor broadcast_to(const Tensor& self, const DimVector& shape);
EMBER_API std::vector<Tensor> broadcast_tensors(const std::vector<Tensor>& tensors);
EMBER_API DimVector broadcast_shapes(const std::vector<DimVector>& shapes);
EMBER_API Tensor atleast_1d(const Tensor& self);
EMBER_API Tensor atleast_2d(const Tensor& self);
EMBER_API Tensor atleast_3d(const Tensor& self);
EMBER_API Tensor ravel(const Tensor& self);

// ---- kernels (Note [Dispatch stubs]); all move bytes, so one
// instantiation per element size serves every dtype.
// out (contiguous) = the elements of src read from `src_data` with element
// strides that may be negative (flip reads backwards).
using StridedGatherKernel = void (*)(const Tensor& out, const void* src_data, const DimVector& src_strides);
// Zeroes, in a contiguous tensor of matrices, the elements above
// (lower=true: tril) or below (triu) the diagonal-th diagonal.
using TriangleKernel = void (*)(Tensor& self, int64_t diagonal, bool lower);

// out (contiguous, [outer, sum(repeats), inner]) gets row i of in
// (contiguous, [outer, n, inner]) repeats[i] times, where outer and inner
// are the products of the dims before and after dim; repeats are the n
// values at `counts`, or all `uniform` when counts is null.
using RepeatRowsKernel = void (*)(const Tensor& out, const Tensor& in, const int64_t* counts, int64_t uniform,
                                  int64_t dim);

// cat's fast path: out and every input contiguous and of out's dtype;
// inputs (none of them a skipped legacy empty tensor) joined along dim.
using CatContiguousKernel = void (*)(const Tensor& out, const std::vector<Tensor>& inputs, int64_t dim);

EMBER_API extern DispatchStub<StridedGatherKernel> strided_gather_stub;
EMBER_API extern DispatchStub<CatContiguousKernel> cat_contiguous_stub;
EMBER_API extern DispatchStub<RepeatRowsKernel> repeat_rows_stub;
EMBER_API extern DispatchStub<TriangleKernel> triangle_stub;

}  // namespace ember
