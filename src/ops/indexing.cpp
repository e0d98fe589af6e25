// Basic indexing (t[0], t[1:3], t[None, ..., True]) and writes through it.
//
// Note [Basic indexing]
// Every basic index is a view: an integer selects (drops a dim and moves
// the offset), a slice narrows and strides a dim, None and booleans insert
// a dim, and Ellipsis keeps the dims that the other indices leave. So the
// whole index is folded into one (sizes, strides, offset) triple and one
// view is made at the end, rather than one intermediate tensor per entry.
// The rules are PyTorch's:
//   - integers and slices consume a dim of self; None, booleans and the
//     Ellipsis do not count towards "too many indices";
//   - True inserts a dim of size 1 and False a dim of size 0. PyTorch treats
//     booleans as (0-d) advanced indices, so when there are several they are
//     broadcast into one dim, which stays where they are if they sit in
//     adjacent result dims and moves to the front otherwise (NumPy's rule
//     for advanced indices; NumPy itself differs when an integer is also
//     present, since it counts integers as advanced and PyTorch does not).
#include <algorithm>
#include <utility>

#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/indexing.h"
#include "ember/ops/views.h"

namespace ember {

namespace {

using indexing::TensorIndex;
using Kind = TensorIndex::Kind;

// Python's slice rules for one dim of `size`, steps > 0: the first element
// and the number of elements.
std::pair<int64_t, int64_t> slice_range(const Slice& s, int64_t size) {
  EMBER_CHECK(s.step > 0, ValueError, "[index] step must be greater than zero");
  auto clamp = [size](int64_t v) {
    if (v < 0) v += size;  // no overflow: size >= 0
    return std::min(std::max<int64_t>(v, 0), size);
  };
  int64_t start = s.start ? clamp(*s.start) : 0;
  int64_t stop = s.stop ? clamp(*s.stop) : size;
  // (stop - start - 1) / step + 1 cannot overflow, unlike the usual
  // (stop - start + step - 1) / step with a huge step.
  int64_t len = stop > start ? (stop - start - 1) / s.step + 1 : 0;
  return {start, len};
}

// PyTorch applies a basic index one entry at a time, so the view's grad_fn
// is the node of the last entry that does something (a full slice does
// nothing; a lone Ellipsis is an alias).
const char* basic_index_node_name(const TensorIndex* indices, size_t count) {
  const char* name = "AliasBackward0";
  for (size_t i = 0; i < count; ++i) {
    const TensorIndex& idx = indices[i];
    switch (idx.kind()) {
      case Kind::Integer: name = "SelectBackward0"; break;
      case Kind::Slice: {
        const Slice& sl = idx.slice();
        bool full = (!sl.start || *sl.start == 0) && !sl.stop && sl.step == 1;
        if (!full) name = "SliceBackward0";
        break;
      }
      case Kind::None:
      case Kind::Boolean: name = "UnsqueezeBackward0"; break;
      default: break;
    }
  }
  return name;
}

}  // namespace

Tensor index(const Tensor& self, const TensorIndex* indices, size_t count) {
  EMBER_CHECK(self.defined(), RuntimeError, "[index] undefined tensor");
  if (detail::has_tensor_index(indices, count)) return detail::advanced_index(self, indices, count);
  const int64_t ndim = self.dim();

  int64_t specified = 0;  // dims of self consumed by integers and slices
  bool seen_ellipsis = false;
  for (size_t i = 0; i < count; ++i) {
    Kind k = indices[i].kind();
    if (k == Kind::Integer || k == Kind::Slice) {
      ++specified;
    } else if (k == Kind::Ellipsis) {
      EMBER_CHECK(!seen_ellipsis, IndexError, "[index] an index can only have a single ellipsis ('...')");
      seen_ellipsis = true;
    }
  }
  if (ndim == 0 && count == 1 && indices[0].is_integer()) {
    EMBER_THROW(IndexError,
                "[index] invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
  }
  EMBER_CHECK(specified <= ndim, IndexError, "[index] too many indices for tensor of dimension ", ndim);

  const DimVector& in_sizes = self.sizes();
  const DimVector& in_strides = self.strides();
  DimVector sizes, strides;
  DimVector origin;  // per result dim: kSelf, kNone or kBool
  constexpr int64_t kSelf = 0, kNone = 1, kBool = 2;
  int64_t offset = self.storage_offset();
  int64_t src = 0;  // the next dim of self
  int64_t num_bools = 0;
  auto keep_dim = [&](int64_t size, int64_t stride, int64_t from) {
    sizes.push_back(size);
    strides.push_back(stride);
    origin.push_back(from);
  };

  for (size_t i = 0; i < count; ++i) {
    const TensorIndex& idx = indices[i];
    switch (idx.kind()) {
      case Kind::Integer: {
        int64_t size = in_sizes[src], v = idx.integer();
        EMBER_CHECK(v >= -size && v < size, IndexError, "[index] index ", v, " is out of bounds for dimension ",
                    src, " with size ", size);
        if (v < 0) v += size;
        offset += v * in_strides[src];
        ++src;
        break;
      }
      case Kind::Slice: {
        auto [start, len] = slice_range(idx.slice(), in_sizes[src]);
        if (len > 0) offset += start * in_strides[src];
        keep_dim(len, in_strides[src] * idx.slice().step, kSelf);
        ++src;
        break;
      }
      case Kind::None:
        keep_dim(1, 1, kNone);
        break;
      case Kind::Boolean:
        keep_dim(idx.boolean() ? 1 : 0, 1, kBool);
        ++num_bools;
        break;
      case Kind::Ellipsis:
        for (int64_t n = ndim - specified; n > 0; --n, ++src) keep_dim(in_sizes[src], in_strides[src], kSelf);
        break;
      case Kind::Tensor:  // handled by advanced_index above
        break;
    }
  }
  for (; src < ndim; ++src) keep_dim(in_sizes[src], in_strides[src], kSelf);

  // Several booleans broadcast into one dim (Note [Basic indexing]).
  if (num_bools > 1) {
    int64_t first = -1, last = -1, merged = 1;
    for (int64_t d = 0; d < static_cast<int64_t>(sizes.size()); ++d) {
      if (origin[d] != kBool) continue;
      if (first < 0) first = d;
      last = d;
      merged = std::min(merged, sizes[d]);
    }
    int64_t target = last - first == num_bools - 1 ? first : 0;
    for (int64_t d = last; d >= first; --d) {
      if (origin[d] != kBool) continue;
      sizes.erase(d);
      strides.erase(d);
      origin.erase(d);
    }
    sizes.insert(target, merged);
    strides.insert(target, 1);
    origin.insert(target, kBool);
  }

  // An inserted dim gets the stride unsqueeze would give it: the extent of
  // the dim after it, or 1 at the end. It never addresses memory, but keeps
  // stride() and contiguity consistent with unsqueeze.
  for (size_t d = sizes.size(); d-- > 0;) {
    if (origin[d] == kSelf) continue;
    strides[d] = d + 1 < sizes.size() ? sizes[d + 1] * strides[d + 1] : 1;
  }
  Tensor view = make_view(self, std::move(sizes), std::move(strides), offset);
  // Backward: zeros of self's shape with the gradient written through the
  // same index.
  autograd::record_view(basic_index_node_name(indices, count), self, view, [&] {
    return [sizes = self.sizes(), opts = self.options(),
            idx = std::vector<TensorIndex>(indices, indices + count)](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      Tensor gi = zeros(sizes, opts);
      index(gi, idx).copy_(ctx.grad());
      return {gi};
    };
  });
  return view;
}

Tensor index(const Tensor& self, const std::vector<TensorIndex>& indices) {
  return index(self, indices.data(), indices.size());
}

Tensor& index_put_(Tensor& self, const TensorIndex* indices, size_t count, const Tensor& value,
                   bool accumulate) {
  EMBER_CHECK(self.defined(), RuntimeError, "[index_put_] undefined tensor");
  EMBER_CHECK(value.defined(), RuntimeError, "[index_put_] undefined value tensor");
  if (detail::has_tensor_index(indices, count)) {
    // Recorded out of place (IndexPutBackward0); a basic index below is a
    // view, and copy_ into it records itself.
    if (autograd::inplace_needs_grad(self, {value})) {
      std::vector<TensorIndex> idx(indices, indices + count);
      return autograd::apply_inplace(self, [&](const Tensor& s) { return index_put(s, idx, value, accumulate); });
    }
    detail::advanced_index_put_(self, indices, count, value, accumulate);
    return self;
  }
  Tensor view = index(self, indices, count);
  // Leading size-1 dims of value beyond the view's rank are dropped, so that
  // t[0] = ones(1, n) works as in PyTorch and NumPy.
  Tensor src = value;
  if (src.dim() > view.dim()) {
    int64_t extra = src.dim() - view.dim();
    int64_t drop = 0;
    while (drop < extra && src.sizes()[drop] == 1) ++drop;
    if (drop > 0) src = src.reshape(DimVector(src.sizes().begin() + drop, src.sizes().end()));  // a view
  }
  bool ok = src.dim() <= view.dim();
  for (int64_t i = 1; ok && i <= src.dim(); ++i) {
    int64_t s = src.sizes()[src.dim() - i];
    ok = s == 1 || s == view.sizes()[view.dim() - i];
  }
  EMBER_CHECK(ok, RuntimeError, "[index_put_] shape mismatch: value tensor of shape ", value.sizes(),
              " cannot be broadcast to indexing result of shape ", view.sizes());
  // A basic index has no duplicates: accumulate is a plain add.
  view.copy_(accumulate ? add(view, src.to(self.dtype())) : src);
  return self;
}

Tensor& index_put_(Tensor& self, const TensorIndex* indices, size_t count, const Scalar& value) {
  if (detail::has_tensor_index(indices, count)) {
    Tensor v = full({}, value, TensorOptions(self.dtype()).device(self.device()));
    if (autograd::inplace_needs_grad(self)) {
      std::vector<TensorIndex> idx(indices, indices + count);
      return autograd::apply_inplace(self, [&](const Tensor& s) { return index_put(s, idx, v, false); });
    }
    detail::advanced_index_put_(self, indices, count, v, false);
    return self;
  }
  index(self, indices, count).fill_(value);
  return self;
}

Tensor& index_put_(Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value, bool accumulate) {
  return index_put_(self, indices.data(), indices.size(), value, accumulate);
}

Tensor& index_put_(Tensor& self, const std::vector<TensorIndex>& indices, const Scalar& value) {
  return index_put_(self, indices.data(), indices.size(), value);
}

namespace {
// The gradient of an index_put value: the gradient read through the index,
// summed to the value's shape (which may have extra leading size-1 dims,
// dropped by index_put_).
Tensor index_put_value_grad(const Tensor& grad_read, const DimVector& value_sizes) {
  size_t drop = value_sizes.size() > static_cast<size_t>(grad_read.dim())
                    ? value_sizes.size() - static_cast<size_t>(grad_read.dim())
                    : 0;
  DimVector tail(value_sizes.begin() + drop, value_sizes.end());
  return autograd::sum_to(grad_read, tail).reshape(value_sizes);
}
}  // namespace

Tensor index_put(const Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value, bool accumulate) {
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = self.clone();
    index_put_(out, indices.data(), indices.size(), value, accumulate);
  }
  // self: the gradient, zeroed where overwritten (accumulate keeps it all);
  // value: the gradient read through the index. As in PyTorch, every
  // duplicate of a non-accumulated index gets the gradient.
  autograd::record("IndexPutBackward0", {self, value}, out, [&] {
    return [indices, accumulate, value_sizes = value.sizes()](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      const Tensor& g = ctx.grad();
      Tensor g_self, g_value;
      if (ctx.needs_input_grad(0))
        g_self = accumulate ? g : index_put(g, indices, zeros({}, g.options()), false);
      if (ctx.needs_input_grad(1)) g_value = index_put_value_grad(index(g, indices), value_sizes);
      return {g_self, g_value};
    };
  });
  return out;
}

}  // namespace ember
