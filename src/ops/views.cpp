// View ops: each returns a tensor sharing the input's storage with new
// sizes, strides and offset. Nothing here copies except reshape when the
// strides make a view impossible.
#include <algorithm>
#include <numeric>

#include "ember/autograd/record.h"
#include "ember/core/tensor.h"
#include "ember/ops/creation.h"
#include "ember/ops/views.h"

namespace ember {

using autograd::BackwardCtx;
using autograd::variable_list;

namespace {
// Backward of a view whose elements are a subset of its input's (slice,
// select, diagonal): zeros of the input's shape with the gradient written
// into the same view of them. `reapply` makes that view.
template <class Reapply>
Tensor record_region_view(const char* name, const Tensor& in, Tensor view, Reapply reapply) {
  autograd::record_view(name, in, view, [&] {
    return [sizes = in.sizes(), opts = in.options(), reapply](BackwardCtx& ctx) -> variable_list {
      Tensor gi = zeros(sizes, opts);
      reapply(gi).copy_(ctx.grad());
      return {gi};
    };
  });
  return view;
}

// Backward of a view that holds all of its input's elements once (view,
// reshape, squeeze ...): the gradient reshaped back.
Tensor record_reshape_view(const char* name, const Tensor& in, Tensor view) {
  autograd::record_view(name, in, view, [&] {
    return [sizes = in.sizes()](BackwardCtx& ctx) -> variable_list { return {ctx.grad().reshape(sizes)}; };
  });
  return view;
}
}  // namespace

int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op) {
  int64_t n = std::max<int64_t>(ndim, 1);  // scalars accept dim 0 and -1
  EMBER_CHECK(dim >= -n && dim < n, IndexError, "[", op,
              "] Dimension out of range (expected to be in range of [", -n, ", ", n - 1,
              "], but got ", dim, ")");
  return dim < 0 ? dim + n : dim;
}

// Unlike most ops, size(d) and stride(d) of a 0-d tensor are errors, as in PyTorch.
int64_t Tensor::size(int64_t d) const {
  EMBER_CHECK(dim() > 0, IndexError, "[size] Dimension specified as ", d, " but tensor has no dimensions");
  return sizes()[wrap_dim(d, dim(), "size")];
}

int64_t Tensor::stride(int64_t d) const {
  EMBER_CHECK(dim() > 0, IndexError, "[stride] Dimension specified as ", d, " but tensor has no dimensions");
  return strides()[wrap_dim(d, dim(), "stride")];
}

Tensor make_view(const Tensor& base, DimVector sizes, DimVector strides, int64_t offset) {
  auto impl = make_intrusive<TensorImpl>(base.storage(), base.dtype(), std::move(sizes),
                                         std::move(strides), offset);
  return Tensor(std::move(impl));
}

DimVector infer_size(const DimVector& shape, int64_t numel, const char* op) {
  DimVector out = shape;
  int64_t known = 1;
  int infer_at = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      EMBER_CHECK(infer_at < 0, RuntimeError, "[", op, "] only one dimension can be inferred");
      infer_at = static_cast<int>(i);
    } else {
      EMBER_CHECK(shape[i] >= 0, RuntimeError, "[", op, "] invalid shape dimension ", shape[i]);
      EMBER_CHECK(!__builtin_mul_overflow(known, shape[i], &known), RuntimeError, "[", op,
                  "] shape '", shape, "' is invalid for input of size ", numel);
    }
  }
  if (infer_at >= 0) {
    EMBER_CHECK(known != 0, RuntimeError, "[", op, "] cannot reshape tensor of 0 elements into shape ",
                shape, " because the unspecified dimension size -1 can be any value and is ambiguous");
    EMBER_CHECK(numel % known == 0, RuntimeError, "[", op, "] shape '", shape,
                "' is invalid for input of size ", numel);
    out[infer_at] = numel / known;
  } else {
    EMBER_CHECK(known == numel, RuntimeError, "[", op, "] shape '", shape,
                "' is invalid for input of size ", numel);
  }
  return out;
}

// Strides that let `sizes` view memory laid out as (old_sizes, old_strides),
// or nullopt when the new shape would split a dim that is not contiguous
// with its neighbours. Groups of old dims that are mutually contiguous map
// onto groups of new dims with the same element count.
std::optional<DimVector> compute_view_strides(const DimVector& old_sizes,
                                              const DimVector& old_strides,
                                              const DimVector& sizes) {
  DimVector strides(sizes.size());
  int64_t numel = 1;
  for (int64_t s : old_sizes) numel *= s;
  if (numel == 0) {
    if (old_sizes == sizes) return old_strides;
    return contiguous_strides(sizes);
  }
  if (old_sizes.empty()) {
    for (auto& s : strides) s = 1;
    return strides;
  }
  int64_t view_d = static_cast<int64_t>(sizes.size()) - 1;
  int64_t chunk_base_stride = old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(old_sizes.size()) - 1; d >= 0; --d) {
    tensor_numel *= old_sizes[d];
    // A chunk ends where the old dims stop being contiguous.
    if (d == 0 || (old_sizes[d - 1] != 1 && old_strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || sizes[view_d] == 1)) {
        strides[view_d] = view_numel * chunk_base_stride;
        view_numel *= sizes[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (d > 0) {
        chunk_base_stride = old_strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return strides;
}

Tensor Tensor::view(const DimVector& shape) const {
  DimVector sizes = infer_size(shape, numel(), "view");
  auto strides = compute_view_strides(this->sizes(), this->strides(), sizes);
  EMBER_CHECK(strides.has_value(), RuntimeError,
              "[view] view size is not compatible with input tensor's size and stride (at least "
              "one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  return record_reshape_view("ViewBackward0", *this, make_view(*this, std::move(sizes), std::move(*strides), storage_offset()));
}

Tensor Tensor::view(DType dt) const {
  if (dt == dtype()) return alias();
  int64_t old_size = element_size(), new_size = itemsize(dt);
  EMBER_CHECK(old_size == new_size, RuntimeError, "[view] cannot view a tensor of dtype ",
              dtype_name(dtype()), " as ", dtype_name(dt),
              ": element sizes differ (", old_size, " vs ", new_size, " bytes)");
  auto impl = make_intrusive<TensorImpl>(storage(), dt, sizes(), strides(), storage_offset());
  return Tensor(std::move(impl));
}

Tensor Tensor::reshape(const DimVector& shape) const {
  DimVector sizes = infer_size(shape, numel(), "reshape");
  auto strides = compute_view_strides(this->sizes(), this->strides(), sizes);
  if (strides)
    return record_reshape_view("ViewBackward0", *this,
                               make_view(*this, std::move(sizes), std::move(*strides), storage_offset()));
  return contiguous().view(sizes);
}

Tensor Tensor::alias() const {
  return record_reshape_view("AliasBackward0", *this, make_view(*this, sizes(), strides(), storage_offset()));
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
  int64_t nd = dim();
  d0 = wrap_dim(d0, nd, "transpose");
  d1 = wrap_dim(d1, nd, "transpose");
  if (nd == 0) return alias();
  DimVector sz = sizes(), st = strides();
  std::swap(sz[d0], sz[d1]);
  std::swap(st[d0], st[d1]);
  Tensor out = make_view(*this, std::move(sz), std::move(st), storage_offset());
  autograd::record_view("TransposeBackward0", *this, out, [&] {
    return [d0, d1](BackwardCtx& ctx) -> variable_list { return {ctx.grad().transpose(d0, d1)}; };
  });
  return out;
}

Tensor Tensor::t() const {
  EMBER_CHECK(dim() <= 2, RuntimeError, "[t] t() expects a tensor with <= 2 dimensions, but self is ",
              dim(), "D");
  return dim() < 2 ? alias() : transpose(0, 1);
}

Tensor Tensor::T() const {
  DimVector perm(dim());
  for (int64_t i = 0; i < dim(); ++i) perm[i] = dim() - 1 - i;
  return permute(perm);
}

Tensor Tensor::mT() const {
  EMBER_CHECK(dim() >= 2, RuntimeError,
              "[mT] tensor.mT is only supported on matrices or batches of matrices. Got ", dim(),
              "-D tensor.");
  return transpose(-2, -1);
}

Tensor Tensor::permute(const DimVector& dims) const {
  int64_t nd = dim();
  EMBER_CHECK(static_cast<int64_t>(dims.size()) == nd, RuntimeError,
              "[permute] number of dims don't match in permute: input has ", nd,
              " dims but the permutation ", dims, " has ", dims.size());
  DimVector sz(nd), st(nd);
  std::vector<bool> seen(nd, false);
  for (int64_t i = 0; i < nd; ++i) {
    int64_t d = wrap_dim(dims[i], nd, "permute");
    EMBER_CHECK(!seen[d], RuntimeError, "[permute] duplicate dims are not allowed: ", dims);
    seen[d] = true;
    sz[i] = sizes()[d];
    st[i] = strides()[d];
  }
  Tensor out = make_view(*this, std::move(sz), std::move(st), storage_offset());
  autograd::record_view("PermuteBackward0", *this, out, [&] {
    DimVector inverse(nd);
    for (int64_t i = 0; i < nd; ++i) inverse[wrap_dim(dims[i], nd, "permute")] = i;
    return [inverse](BackwardCtx& ctx) -> variable_list { return {ctx.grad().permute(inverse)}; };
  });
  return out;
}

Tensor Tensor::expand(const DimVector& target) const {
  int64_t nd = dim(), nt = static_cast<int64_t>(target.size());
  EMBER_CHECK(nt >= nd, RuntimeError, "[expand] the number of sizes provided (", nt,
              ") must be greater or equal to the number of dimensions in the tensor (", nd, ")");
  DimVector sz(nt), st(nt);
  for (int64_t i = nt - 1; i >= 0; --i) {
    int64_t off = i - (nt - nd);
    int64_t want = target[i];
    if (off >= 0) {
      int64_t have = sizes()[off];
      if (want == -1) want = have;
      EMBER_CHECK(have == want || have == 1, RuntimeError, "[expand] The expanded size of the tensor (",
                  want, ") must match the existing size (", have, ") at non-singleton dimension ",
                  i, ".  Target sizes: ", target, ".  Tensor sizes: ", sizes());
      EMBER_CHECK(want >= 0, RuntimeError, "[expand] invalid size ", want, " in ", target);
      sz[i] = want;
      st[i] = have == want ? strides()[off] : 0;
    } else {
      EMBER_CHECK(want >= 0, RuntimeError,
                  "[expand] The expanded size of the tensor (", want,
                  ") isn't allowed in a leading, non-existing dimension ", i);
      sz[i] = want;
      st[i] = 0;
    }
  }
  checked_numel(sz, "expand");  // numel must fit in int64
  Tensor out = make_view(*this, std::move(sz), std::move(st), storage_offset());
  autograd::record_view("ExpandBackward0", *this, out, [&] {
    return [sizes = sizes()](BackwardCtx& ctx) -> variable_list { return {autograd::sum_to(ctx.grad(), sizes)}; };
  });
  return out;
}

Tensor Tensor::squeeze() const {
  DimVector sz, st;
  for (int64_t i = 0; i < dim(); ++i) {
    if (sizes()[i] != 1) {
      sz.push_back(sizes()[i]);
      st.push_back(strides()[i]);
    }
  }
  return record_reshape_view("SqueezeBackward0", *this, make_view(*this, std::move(sz), std::move(st), storage_offset()));
}

Tensor Tensor::squeeze(const DimVector& dims) const {
  std::vector<bool> drop(std::max<int64_t>(dim(), 1), false);
  for (int64_t d : dims) drop[wrap_dim(d, dim(), "squeeze")] = true;
  DimVector sz, st;
  for (int64_t i = 0; i < dim(); ++i) {
    if (!(drop[i] && sizes()[i] == 1)) {
      sz.push_back(sizes()[i]);
      st.push_back(strides()[i]);
    }
  }
  return record_reshape_view("SqueezeBackward1", *this, make_view(*this, std::move(sz), std::move(st), storage_offset()));
}

Tensor Tensor::unsqueeze(int64_t d) const {
  d = wrap_dim(d, dim() + 1, "unsqueeze");
  DimVector sz = sizes(), st = strides();
  int64_t new_stride = d < dim() ? sizes()[d] * strides()[d] : 1;
  sz.insert(d, 1);
  st.insert(d, new_stride);
  return record_reshape_view("UnsqueezeBackward0", *this, make_view(*this, std::move(sz), std::move(st), storage_offset()));
}

Tensor Tensor::flatten(int64_t start, int64_t end) const {
  if (dim() == 0) return reshape({1});
  start = wrap_dim(start, dim(), "flatten");
  end = wrap_dim(end, dim(), "flatten");
  EMBER_CHECK(start <= end, RuntimeError,
              "[flatten] flatten() has invalid args: start_dim cannot come after end_dim");
  if (start == end) return alias();
  DimVector shape;
  int64_t prod = 1;
  for (int64_t i = 0; i < dim(); ++i) {
    if (i < start || i > end) {
      shape.push_back(sizes()[i]);
    } else {
      prod *= sizes()[i];
      if (i == end) shape.push_back(prod);
    }
  }
  return reshape(shape);
}

Tensor Tensor::unflatten(int64_t d, const DimVector& new_sizes) const {
  d = wrap_dim(d, dim(), "unflatten");
  EMBER_CHECK(!new_sizes.empty(), RuntimeError, "[unflatten] sizes must be non-empty");
  DimVector inferred = infer_size(new_sizes, sizes()[d], "unflatten");
  DimVector shape;
  for (int64_t i = 0; i < dim(); ++i) {
    if (i == d) {
      for (int64_t s : inferred) shape.push_back(s);
    } else {
      shape.push_back(sizes()[i]);
    }
  }
  return view(shape);
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  EMBER_CHECK(dim() > 0, RuntimeError, "[narrow] narrow() cannot be applied to a 0-dim tensor.");
  d = wrap_dim(d, dim(), "narrow");
  int64_t size = sizes()[d];
  EMBER_CHECK(length >= 0, RuntimeError, "[narrow] narrow(): length must be non-negative.");
  EMBER_CHECK(start >= -size && start <= size, IndexError, "[narrow] start out of range (expected to be in range of [",
              -size, ", ", size, "], but got ", start, ")");
  if (start < 0) start += size;
  EMBER_CHECK(length <= size - start, RuntimeError, "[narrow] start (", start, ") + length (", length,
              ") exceeds dimension size (", size, ").");
  return slice(d, start, start + length, 1);
}

Tensor Tensor::select(int64_t d, int64_t index) const {
  EMBER_CHECK(dim() > 0, IndexError, "[select] select() cannot be applied to a 0-dim tensor.");
  d = wrap_dim(d, dim(), "select");
  int64_t size = sizes()[d];
  EMBER_CHECK(index >= -size && index < size, IndexError, "index ", index,
              " is out of bounds for dimension ", d, " with size ", size);
  if (index < 0) index += size;
  DimVector sz = sizes(), st = strides();
  int64_t offset = storage_offset() + index * st[d];
  sz.erase(d);
  st.erase(d);
  return record_region_view("SelectBackward0", *this, make_view(*this, std::move(sz), std::move(st), offset),
                            [d, index](const Tensor& g) { return g.select(d, index); });
}

Tensor Tensor::slice(int64_t d, std::optional<int64_t> start_opt, std::optional<int64_t> stop_opt,
                     int64_t step) const {
  EMBER_CHECK(dim() > 0, IndexError, "[slice] slice() cannot be applied to a 0-dim tensor.");
  d = wrap_dim(d, dim(), "slice");
  EMBER_CHECK(step > 0, ValueError, "step must be greater than zero");
  int64_t size = sizes()[d];
  // Python slice semantics, clamped to [0, size].
  auto clamp = [size](int64_t v) {
    if (v < 0) v += size;
    return std::min(std::max<int64_t>(v, 0), size);
  };
  int64_t start = start_opt ? clamp(*start_opt) : 0;
  int64_t stop = stop_opt ? clamp(*stop_opt) : size;
  // (stop - start - 1) / step + 1 cannot overflow, even for a huge step.
  int64_t len = stop > start ? (stop - start - 1) / step + 1 : 0;
  DimVector sz = sizes(), st = strides();
  int64_t offset = storage_offset() + (len > 0 ? start * st[d] : 0);
  sz[d] = len;
  st[d] *= step;
  return record_region_view("SliceBackward0", *this, make_view(*this, std::move(sz), std::move(st), offset),
                            [d, start, stop, step](const Tensor& g) { return g.slice(d, start, stop, step); });
}

std::vector<Tensor> Tensor::unbind(int64_t d) const {
  EMBER_CHECK(dim() > 0, RuntimeError, "[unbind] Dimension specified as 0 but tensor has no dimensions");
  d = wrap_dim(d, dim(), "unbind");
  std::vector<Tensor> out;
  out.reserve(sizes()[d]);
  for (int64_t i = 0; i < sizes()[d]; ++i) out.push_back(select(d, i));
  return out;
}

Tensor Tensor::diagonal(int64_t offset, int64_t d1, int64_t d2) const {
  EMBER_CHECK(dim() >= 2, RuntimeError, "[diagonal] diagonal dimensions requires ndim larger than 1, got ",
              dim());
  d1 = wrap_dim(d1, dim(), "diagonal");
  d2 = wrap_dim(d2, dim(), "diagonal");
  EMBER_CHECK(d1 != d2, RuntimeError, "[diagonal] diagonal dimensions cannot be identical ", d1, ", ", d2);
  int64_t n1 = sizes()[d1], n2 = sizes()[d2];
  int64_t len, start = storage_offset();
  if (offset >= 0) {
    len = std::max<int64_t>(std::min(n1, n2 - offset), 0);
    if (len > 0) start += offset * strides()[d2];
  } else {
    len = std::max<int64_t>(std::min(n1 + offset, n2), 0);
    if (len > 0) start -= offset * strides()[d1];
  }
  DimVector sz, st;
  for (int64_t i = 0; i < dim(); ++i) {
    if (i != d1 && i != d2) {
      sz.push_back(sizes()[i]);
      st.push_back(strides()[i]);
    }
  }
  sz.push_back(len);
  st.push_back(strides()[d1] + strides()[d2]);
  return record_region_view("DiagonalBackward0", *this, make_view(*this, std::move(sz), std::move(st), start),
                            [offset, d1, d2](const Tensor& g) { return g.diagonal(offset, d1, d2); });
}

Tensor Tensor::as_strided(const DimVector& sz, const DimVector& st,
                          std::optional<int64_t> storage_offset_opt) const {
  EMBER_CHECK(sz.size() == st.size(), RuntimeError, "[as_strided] mismatch in length of strides and shape: ",
              sz, " vs ", st);
  int64_t offset = storage_offset_opt.value_or(storage_offset());
  EMBER_CHECK(offset >= 0, RuntimeError, "[as_strided] Tensor: invalid storage offset ", offset);
  bool empty = checked_numel(sz, "as_strided") == 0;
  // The largest element touched must lie inside the storage; overflowing
  // arithmetic counts as out of bounds.
  int64_t max_index = offset, needed = 0;
  bool overflow = false;
  for (size_t i = 0; i < sz.size(); ++i) {
    EMBER_CHECK(st[i] >= 0, RuntimeError, "[as_strided] negative strides are not supported: ", st);
    int64_t span = 0;
    if (!empty) {
      overflow = overflow || __builtin_mul_overflow(sz[i] - 1, st[i], &span) ||
                 __builtin_add_overflow(max_index, span, &max_index);
    }
  }
  if (!empty) {
    overflow = overflow || __builtin_add_overflow(max_index, 1, &needed) ||
               __builtin_mul_overflow(needed, element_size(), &needed);
  }
  EMBER_CHECK(!overflow && needed <= static_cast<int64_t>(storage()->nbytes()), RuntimeError,
              "[as_strided] setStorage: sizes ", sz, ", strides ", st, " and storage offset ", offset,
              " requiring a storage size of ", needed, " are out of bounds for storage of size ",
              storage()->nbytes());
  Tensor out = make_view(*this, sz, st, offset);
  // The backward maps storage positions: it assumes the input's own elements
  // do not overlap (true of every tensor an op makes).
  autograd::record_view("AsStridedBackward0", *this, out, [&] {
    return [in_sizes = sizes(), in_strides = strides(), opts = options(), sz, st,
            rel = offset - storage_offset()](BackwardCtx& ctx) -> variable_list {
      EMBER_CHECK(rel >= 0, NotImplementedError,
                  "[as_strided] backward of a view starting before its input is not supported");
      Tensor gi = autograd::zeros_strided(in_sizes, in_strides, opts);
      gi.as_strided(sz, st, rel).copy_(ctx.grad());
      return {gi};
    };
  });
  return out;
}

}  // namespace ember
