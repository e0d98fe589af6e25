#pragma once
// Basic indexing, as t[...] in Python: integers, slices, None, Ellipsis and
// booleans. The result is always a view of the input (Note [Basic indexing]
// in src/ops/indexing.cpp); index_put_ writes through such a view.
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

// One entry of an index. Kinds are tagged so that a Tensor kind (advanced
// indexing) can be added later without changing the other kinds.
class TensorIndex {
 public:
  enum class Kind : int8_t { None, Ellipsis, Integer, Boolean, Slice };

  TensorIndex() : kind_(Kind::None) {}
  TensorIndex(std::nullopt_t) : kind_(Kind::None) {}
  TensorIndex(EllipsisIndexType) : kind_(Kind::Ellipsis) {}
  TensorIndex(bool b) : kind_(Kind::Boolean), boolean_(b) {}
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  TensorIndex(I i) : kind_(Kind::Integer), integer_(static_cast<int64_t>(i)) {}
  TensorIndex(Slice s) : kind_(Kind::Slice), slice_(s) {}

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_ellipsis() const { return kind_ == Kind::Ellipsis; }
  bool is_integer() const { return kind_ == Kind::Integer; }
  bool is_boolean() const { return kind_ == Kind::Boolean; }
  bool is_slice() const { return kind_ == Kind::Slice; }

  int64_t integer() const { return integer_; }
  bool boolean() const { return boolean_; }
  const Slice& slice() const { return slice_; }

 private:
  Kind kind_;
  bool boolean_ = false;
  int64_t integer_ = 0;
  Slice slice_;
};

}  // namespace indexing

using indexing::Slice;
using indexing::TensorIndex;

// self[indices] as a view sharing self's storage. Errors (IndexError unless
// noted): too many indices, an integer out of bounds, an integer index on a
// 0-dim tensor, more than one Ellipsis, a step <= 0 (ValueError).
EMBER_API Tensor index(const Tensor& self, const std::vector<TensorIndex>& indices);
// The same over an array of `count` indices (lets callers avoid allocating).
EMBER_API Tensor index(const Tensor& self, const TensorIndex* indices, size_t count);

// self[indices] = value: value is broadcast to the indexed view's shape
// (leading size-1 dims of value beyond the view's rank are dropped, as
// PyTorch and NumPy do) and converted to self's dtype. Bumps the version
// counter shared by all views of self. Returns self.
EMBER_API Tensor& index_put_(Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value);
EMBER_API Tensor& index_put_(Tensor& self, const std::vector<TensorIndex>& indices, const Scalar& value);
EMBER_API Tensor& index_put_(Tensor& self, const TensorIndex* indices, size_t count, const Tensor& value);
EMBER_API Tensor& index_put_(Tensor& self, const TensorIndex* indices, size_t count, const Scalar& value);

}  // namespace ember
