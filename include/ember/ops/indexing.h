#pragma once
// Indexing, as t[...] in Python. Basic indices (integers, slices, None,
// Ellipsis, booleans) give a view of the input (Note [Basic indexing] in
// src/ops/indexing.cpp); any tensor index (integer indices or a boolean
// mask) makes it advanced indexing, whose result is a copy (Note [Advanced
// indexing] in src/ops/index_advanced.cpp). Also the index/mask ops:
// index_select, index_add, masked_fill, take, nonzero, ...
//
//   using namespace ember::indexing;
//   Tensor v = ember::index(t, {0, Slice(1, None, 2), None, Ellipsis});
//   ember::index_put_(t, {Slice(), 0}, 1.5);   // t[:, 0] = 1.5
#include <cstddef>
#include <optional>
#include <type_traits>
#include <vector>

#include "ember/core/tensor.h"

namespace ember {
namespace indexing {

// `None` inserts a dim of size 1 (like Python's None / np.newaxis) and also
// spells an absent slice bound: Slice(None, 3).
inline constexpr std::nullopt_t None = std::nullopt;

struct EllipsisIndexType {};
// `Ellipsis` stands for as many full slices as the other indices leave.
inline constexpr EllipsisIndexType Ellipsis{};

// start:stop:step with Python's rules: absent bounds mean the whole dim,
// negative bounds count from the end, bounds are clamped to the dim.
// Only positive steps are supported (as in PyTorch).
struct Slice {
  std::optional<int64_t> start;
  std::optional<int64_t> stop;
  int64_t step = 1;

  Slice(std::optional<int64_t> start_ = std::nullopt, std::optional<int64_t> stop_ = std::nullopt,
        int64_t step_ = 1)
      : start(start_), stop(stop_), step(step_) {}
};

// One entry of an index.
class TensorIndex {
 public:
  enum class Kind : int8_t { None, Ellipsis, Integer, Boolean, Slice, Tensor };

  TensorIndex() : kind_(Kind::None) {}
  TensorIndex(std::nullopt_t) : kind_(Kind::None) {}
  TensorIndex(EllipsisIndexType) : kind_(Kind::Ellipsis) {}
  TensorIndex(bool b) : kind_(Kind::Boolean), boolean_(b) {}
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  TensorIndex(I i) : kind_(Kind::Integer), integer_(static_cast<int64_t>(i)) {}
  TensorIndex(Slice s) : kind_(Kind::Slice), slice_(s) {}
  // An advanced index: integer tensor (int64, int32, ...) or a bool mask.
  TensorIndex(ember::Tensor t) : kind_(Kind::Tensor), tensor_(std::move(t)) {}

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_ellipsis() const { return kind_ == Kind::Ellipsis; }
  bool is_integer() const { return kind_ == Kind::Integer; }
  bool is_boolean() const { return kind_ == Kind::Boolean; }
  bool is_slice() const { return kind_ == Kind::Slice; }
  bool is_tensor() const { return kind_ == Kind::Tensor; }

  int64_t integer() const { return integer_; }
  bool boolean() const { return boolean_; }
  const Slice& slice() const { return slice_; }
  const ember::Tensor& tensor() const { return tensor_; }

 private:
  Kind kind_;
  bool boolean_ = false;
  int64_t integer_ = 0;
  Slice slice_;
  ember::Tensor tensor_;
};

}  // namespace indexing

using indexing::Slice;
using indexing::TensorIndex;

// self[indices]. Only basic indices: a view sharing self's storage. With a
// tensor index: a copy. Errors (IndexError unless noted): too many indices,
// an index out of bounds, a mask whose shape does not match, an integer
// index on a 0-dim tensor, more than one Ellipsis, a step <= 0 (ValueError).
EMBER_API Tensor index(const Tensor& self, const std::vector<TensorIndex>& indices);
// The same over an array of `count` indices (lets callers avoid allocating).
EMBER_API Tensor index(const Tensor& self, const TensorIndex* indices, size_t count);

// self[indices] = value: value is broadcast to the shape of self[indices]
// (leading size-1 dims of value beyond its rank are dropped, as PyTorch and
// NumPy do) and converted to self's dtype. With accumulate (tensor indices
// only change anything) duplicate positions sum their values; without it
// the last write wins. Bumps the version counter shared by all views of
// self. Returns self.
EMBER_API Tensor& index_put_(Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value,
                             bool accumulate = false);
EMBER_API Tensor& index_put_(Tensor& self, const std::vector<TensorIndex>& indices, const Scalar& value);
EMBER_API Tensor& index_put_(Tensor& self, const TensorIndex* indices, size_t count, const Tensor& value,
                             bool accumulate = false);
EMBER_API Tensor& index_put_(Tensor& self, const TensorIndex* indices, size_t count, const Scalar& value);
// Out of place: a copy of self with the values put.
EMBER_API Tensor index_put(const Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value,
                           bool accumulate = false);

// ---- index ops along one dim (index is 1-D or 0-d, int64 or int32)
// self.index_select(dim, index): the slices of self at `index` along dim.
EMBER_API Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
// self[..., index[i], ...] += alpha * source[..., i, ...] along dim;
// duplicate indices accumulate.
EMBER_API Tensor& index_add_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                             const Scalar& alpha = Scalar(int64_t(1)));
EMBER_API Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                           const Scalar& alpha = Scalar(int64_t(1)));
// self[..., index[i], ...] = source[..., i, ...] along dim.
EMBER_API Tensor& index_copy_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
EMBER_API Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
// self[..., index[i], ...] = value along dim (value: a number or 0-d tensor).
EMBER_API Tensor& index_fill_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);
EMBER_API Tensor& index_fill_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& value);
EMBER_API Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);
EMBER_API Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& value);

// ---- masks (bool tensors, broadcast against self)
EMBER_API Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Scalar& value);
EMBER_API Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value);  // 0-d value
EMBER_API Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value);
EMBER_API Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value);
// The elements of self where mask is true, as a 1-D tensor (row-major order).
EMBER_API Tensor masked_select(const Tensor& self, const Tensor& mask);
// Copies source's first elements, in order, to the positions where mask is true.
EMBER_API Tensor& masked_scatter_(Tensor& self, const Tensor& mask, const Tensor& source);
EMBER_API Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source);

// ---- flat and per-dim gathers
// self.flatten()[index], shaped like index (int64).
EMBER_API Tensor take(const Tensor& self, const Tensor& index);
// self.flatten()[index] = source (or += with accumulate). Returns self.
EMBER_API Tensor& put_(Tensor& self, const Tensor& index, const Tensor& source, bool accumulate = false);
EMBER_API Tensor put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate = false);
// Picks values along dim with indices of the same rank (broadcast against
// self in the other dims); without dim, on the flattened tensors.
EMBER_API Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim = std::nullopt);

// ---- positions of nonzero elements
// (n, self.dim()) int64 coordinates of the nonzero elements, row-major.
EMBER_API Tensor nonzero(const Tensor& self);
// The same as one int64 tensor of shape (n,) per dim (0-d input: one).
EMBER_API std::vector<Tensor> nonzero_tuple(const Tensor& self);
EMBER_API Tensor argwhere(const Tensor& self);
// count_nonzero is a reduction (ember/ops/reduce.h).

namespace detail {
// The tensor-index path of index / index_put_ (src/ops/index_advanced.cpp).
Tensor advanced_index(const Tensor& self, const TensorIndex* indices, size_t count);
void advanced_index_put_(Tensor& self, const TensorIndex* indices, size_t count, const Tensor& value,
                         bool accumulate);
bool has_tensor_index(const TensorIndex* indices, size_t count);
}  // namespace detail

}  // namespace ember
