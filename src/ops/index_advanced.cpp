// Advanced indexing: t[idx] and t[idx] = v where idx holds tensors.
//
// Note [Advanced indexing]
// The rules are NumPy's "vectorised" indexing as PyTorch applies it:
//   - An integer tensor (int64, int32, ...; or a list/array from Python)
//     consumes one dim; a bool (or, deprecated, uint8) mask of k dims
//     consumes k dims, which must match the indexed dims exactly, and
//     stands for the k integer tensors of its nonzero() coordinates.
//   - All tensor indices broadcast together to one shape B. The result has
//     B's dims where the tensor indices were if they are adjacent, and in
//     front of all other dims if a slice, None or Ellipsis separates them.
//   - Where PyTorch differs from NumPy, we follow PyTorch: plain integers
//     are basic indices (they select, as t.select would) and are not part
//     of the advanced group. So for t of shape (5, 6, 7), t[0, :, [0, 1]]
//     has shape (6, 2) in PyTorch and Ember, but (2, 6) in NumPy, which
//     counts the 0 as advanced and so sees advanced indices separated by a
//     slice.
//   - uint8 tensors are masks, as in PyTorch (which deprecates them with a
//     warning; Ember does not warn).
//   - 0-d integer tensors are integers (they select), as in PyTorch.
//   - Python booleans (and 0-d bool tensors) next to tensor indices act as
//     PyTorch's do: a new dim of size 1 indexed by [0] (True) or by an
//     empty index (False).
// Implementation: every tensor index is replaced by full slices (booleans
// by None) and basic indexing makes one view V of self; then each tensor
// index is an int64 index into one dim of V. One IndexPlan (index_kernels.h)
// describes both the gather (t[idx]) and the scatter (t[idx] = v) over the
// result shape, with stride 0 where an operand does not vary. The gather
// t[mask] with a single mask over dims that collapse (the usual x[mask] and
// masked_select) skips the index tensors: mask_gather compacts the masked
// elements directly (Note [Mask compaction] in index_kernels.h).
#include <algorithm>
#include <sstream>

#include "ember/autograd/record.h"
#include "ember/core/index_kernels.h"
#include "ember/ops/creation.h"
#include "ember/ops/indexing.h"
#include "ember/ops/views.h"

namespace ember {

namespace {

using Kind = TensorIndex::Kind;

struct DimIndex {
  int64_t dim;   // a dim of the view
  Tensor index;  // int64
};

// The view and its per-dim int64 indices, broadcast to one shape.
struct Advanced {
  std::vector<TensorIndex> basic;  // the index with tensors replaced (makes `view`)
  Tensor view;
  std::vector<DimIndex> indices;  // ascending dims
  DimVector shape;                // broadcast shape of the indices
};

bool is_mask(DType t) { return t == DType::Bool || t == DType::UInt8; }

// Checks every value of `index` against a dim of `size`.
void check_bounds(const Tensor& index, int64_t dim, int64_t size) {
  const int64_t* p = index.data_ptr<int64_t>();
  for (int64_t i = 0, n = index.numel(); i < n; ++i) {
    EMBER_CHECK(p[i] >= -size && p[i] < size, IndexError, "[index] index ", p[i], " is out of bounds for dimension ",
                dim, " with size ", size);
  }
}

std::string shapes_str(const std::vector<DimIndex>& idx) {
  std::ostringstream os;
  for (size_t i = 0; i < idx.size(); ++i) os << (i ? ", " : "") << idx[i].index.sizes();
  return os.str();
}

// A tensor index still to apply to a dim of the view: an int tensor, a
// mask, or empty for a Python bool (then `boolean`).
struct Pending {
  int64_t dim;
  Tensor index;
  bool boolean;
};

// The basic part of an index (tensor indices replaced by full slices,
// booleans by None), the view it makes, and the tensor indices left.
struct Split {
  std::vector<TensorIndex> basic;
  Tensor view;
  std::vector<Pending> pending;
};

void check_mask_shape(const Tensor& mask, const DimVector& vs, int64_t dim) {
  for (int64_t j = 0; j < mask.dim(); ++j) {
    EMBER_CHECK(mask.sizes()[j] == vs[dim + j], IndexError, "[index] The shape of the mask ", mask.sizes(),
                " at index ", j, " does not match the shape of the indexed tensor ", vs, " at index ", dim + j);
  }
}

Split split_basic(const Tensor& self, const TensorIndex* indices, size_t count) {
  const int64_t ndim = self.dim();
  // Dims of self consumed by the entries, as basic indexing counts them.
  int64_t specified = 0;
  for (size_t i = 0; i < count; ++i) {
    const TensorIndex& t = indices[i];
    if (t.is_integer() || t.is_slice()) ++specified;
    if (t.is_tensor()) {
      const Tensor& x = t.tensor();
      EMBER_CHECK(x.defined(), RuntimeError, "[index] undefined index tensor");
      EMBER_CHECK(!is_floating_point(x.dtype()) && !is_complex(x.dtype()), IndexError,
                  "[index] tensors used as indices must be long, int, byte or bool tensors (got ",
                  dtype_name(x.dtype()), ")");
      specified += is_mask(x.dtype()) ? std::max<int64_t>(x.dim(), 0) : 1;
    }
  }
  EMBER_CHECK(specified <= ndim, IndexError, "[index] too many indices for tensor of dimension ", ndim);

  std::vector<TensorIndex> basic;
  basic.reserve(count + 4);
  std::vector<Pending> pending;
  int64_t r = 0;  // the next dim of the view
  for (size_t i = 0; i < count; ++i) {
    const TensorIndex& t = indices[i];
    switch (t.kind()) {
      case Kind::Integer: basic.push_back(t); break;
      case Kind::Slice: basic.push_back(t); ++r; break;
      case Kind::None: basic.push_back(t); ++r; break;
      case Kind::Ellipsis: basic.push_back(t); r += ndim - specified; break;
      case Kind::Boolean:
        basic.emplace_back(indexing::None);
        pending.push_back({r++, Tensor(), t.boolean()});
        break;
      case Kind::Tensor: {
        const Tensor& x = t.tensor();
        if (is_mask(x.dtype()) && x.dim() == 0) {  // a 0-d mask acts as a Python bool
          basic.emplace_back(indexing::None);
          pending.push_back({r++, Tensor(), x.item().to_bool()});
          break;
        }
        if (x.dim() == 0) {  // a 0-d integer tensor selects, as an integer does
          basic.emplace_back(x.item().to_int());
          break;
        }
        int64_t k = is_mask(x.dtype()) ? x.dim() : 1;
        for (int64_t j = 0; j < k; ++j) basic.emplace_back(Slice());
        pending.push_back({r, x, false});
        r += k;
        break;
      }
    }
  }

  Split sp;
  {
    autograd::NoGradGuard no_grad;  // an internal view: only the op's result is recorded
    sp.view = index(self, basic.data(), basic.size());  // basic only: no tensors left
  }
  sp.basic = std::move(basic);
  sp.pending = std::move(pending);
  return sp;
}

// The tensor indices of a Split as int64 indices into the view's dims,
// broadcast together.
Advanced finish(Split sp) {
  Advanced a;
  a.view = std::move(sp.view);
  a.basic = std::move(sp.basic);
  const DimVector& vs = a.view.sizes();
  for (Pending& p : sp.pending) {
    if (!p.index.defined()) {  // a boolean: index [0] or nothing into the new size-1 dim
      Tensor idx = p.boolean ? zeros({1}, TensorOptions(DType::Int64)) : empty({0}, TensorOptions(DType::Int64));
      a.indices.push_back({p.dim, idx});
      continue;
    }
    const Tensor& x = p.index;
    if (is_mask(x.dtype())) {
      check_mask_shape(x, vs, p.dim);
      Tensor mask = x.dtype() == DType::Bool ? x : x.to(DType::Bool);
      std::vector<Tensor> cols = nonzero_tuple(mask);
      for (int64_t j = 0; j < x.dim(); ++j) a.indices.push_back({p.dim + j, cols[j]});
    } else {
      Tensor idx = x.to(DType::Int64).contiguous();
      check_bounds(idx, p.dim, vs[p.dim]);
      a.indices.push_back({p.dim, idx});
    }
  }

  // Broadcast the indices together.
  for (const DimIndex& d : a.indices) {
    const DimVector& s = d.index.sizes();
    DimVector out(std::max(a.shape.size(), s.size()), 1);
    bool ok = true;
    for (size_t i = 1; i <= out.size(); ++i) {
      int64_t x = i <= a.shape.size() ? a.shape[a.shape.size() - i] : 1;
      int64_t y = i <= s.size() ? s[s.size() - i] : 1;
      ok = ok && (x == y || x == 1 || y == 1);
      out[out.size() - i] = x == 1 ? y : x;
    }
    EMBER_CHECK(ok, IndexError, "[index] shape mismatch: indexing tensors could not be broadcast together with shapes ",
                shapes_str(a.indices));
    a.shape = std::move(out);
  }
  return a;
}

Advanced prepare(const Tensor& self, const TensorIndex* indices, size_t count) {
  return finish(split_basic(self, indices, count));
}

// Row-major flat index i over dims [b, e) of t is at offset i * stride (in
// elements) when the dims collapse; false when they do not.
bool collapse_dims(const Tensor& t, int64_t b, int64_t e, int64_t& stride) {
  stride = 1;
  int64_t expected = -1;
  for (int64_t d = e - 1; d >= b; --d) {
    const int64_t size = t.sizes()[d], st = t.strides()[d];
    if (size == 1) continue;
    if (expected == -1) stride = st;
    else if (st != expected) return false;
    expected = st * size;
  }
  return true;
}

// t[mask] where the mask is the only tensor index, no dim of size > 1
// precedes the masked dims of the view, those collapse to one stride and
// the dims after them are contiguous: each true mask element selects one
// block of bytes, copied by Note [Mask compaction] with no index tensor.
// Undefined when the index is not of that form.
Tensor mask_gather(const Split& sp) {
  if (sp.pending.size() != 1) return Tensor();
  const Pending& p = sp.pending.front();
  if (!p.index.defined() || !is_mask(p.index.dtype())) return Tensor();
  const Tensor& v = sp.view;
  const int64_t k = p.index.dim(), end = p.dim + k;
  check_mask_shape(p.index, v.sizes(), p.dim);
  for (int64_t d = 0; d < p.dim; ++d)
    if (v.sizes()[d] != 1) return Tensor();
  int64_t stride = 0, inner_stride = 0, inner = 1;
  if (!collapse_dims(v, p.dim, end, stride) || !collapse_dims(v, end, v.dim(), inner_stride)) return Tensor();
  for (int64_t d = end; d < v.dim(); ++d) inner *= v.sizes()[d];
  if (inner > 1 && inner_stride != 1) return Tensor();

  Tensor mask = (p.index.dtype() == DType::Bool ? p.index : p.index.to(DType::Bool)).contiguous();
  std::vector<int64_t> starts;
  const DeviceType dev = v.device().type;
  const int64_t total = mask_chunk_starts(dev, mask.data_ptr<bool>(), mask.numel(), starts);
  DimVector shape;
  for (int64_t d = 0; d < p.dim; ++d) shape.push_back(1);
  shape.push_back(total);
  for (int64_t d = end; d < v.dim(); ++d) shape.push_back(v.sizes()[d]);
  Tensor out = empty(shape, TensorOptions(v.dtype()).device(v.device()));
  if (out.numel() > 0) {
    const int64_t es = v.element_size();
    mask_select_stub(dev)(mask.data_ptr<bool>(), mask.numel(), starts.data(), static_cast<const char*>(v.data_ptr()),
                          stride * es, inner * es, static_cast<char*>(out.data_ptr()));
  }
  return out;
}

// The plan over the result shape; `other` is filled in by the caller.
// Needs at least one index.
IndexPlan make_plan(const Advanced& a, DimVector& result_shape) {
  const Tensor& v = a.view;
  const int64_t es = v.element_size();
  const int64_t nb = static_cast<int64_t>(a.shape.size());
  const size_t nidx = a.indices.size();
  bool adjacent = true;
  for (size_t k = 1; k < nidx; ++k) adjacent = adjacent && a.indices[k].dim == a.indices[k - 1].dim + 1;
  const int64_t insert_at = adjacent ? a.indices.front().dim : 0;

  IndexPlan p;
  p.self = static_cast<char*>(v.data_ptr());
  p.element_size = es;
  p.dtype = v.dtype();
  p.index_strides.resize(nidx);
  auto add_self_dim = [&](int64_t d) {
    p.sizes.push_back(v.sizes()[d]);
    p.self_strides.push_back(v.strides()[d] * es);
    for (auto& s : p.index_strides) s.push_back(0);
  };
  auto add_index_dims = [&] {
    for (int64_t j = 0; j < nb; ++j) {
      p.sizes.push_back(a.shape[j]);
      p.self_strides.push_back(0);
    }
    for (size_t k = 0; k < nidx; ++k) {
      Tensor e = a.indices[k].index.expand(a.shape);
      for (int64_t j = 0; j < nb; ++j) p.index_strides[k].push_back(e.strides()[j]);
    }
  };
  for (int64_t d = 0; d < v.dim(); ++d) {
    if (d == insert_at) add_index_dims();
    bool indexed = false;
    for (const DimIndex& di : a.indices) indexed = indexed || di.dim == d;
    if (!indexed) add_self_dim(d);
  }
  for (const DimIndex& di : a.indices) {
    p.index.push_back(di.index.data_ptr<int64_t>());
    p.indexed_sizes.push_back(v.sizes()[di.dim]);
    p.indexed_strides.push_back(v.strides()[di.dim] * es);
  }
  result_shape = p.sizes;
  return p;
}

// Leading size-1 dims of value beyond the target's rank are dropped, then
// value must broadcast to `shape`.
Tensor broadcast_value(const Tensor& value, const DimVector& shape) {
  Tensor src = value;
  const int64_t nd = static_cast<int64_t>(shape.size());
  if (src.dim() > nd) {
    int64_t extra = src.dim() - nd, drop = 0;
    while (drop < extra && src.sizes()[drop] == 1) ++drop;
    if (drop > 0) {
      DimVector sz(src.sizes().begin() + drop, src.sizes().end());
      DimVector st(src.strides().begin() + drop, src.strides().end());
      src = make_view(src, std::move(sz), std::move(st), src.storage_offset());
    }
  }
  bool ok = src.dim() <= nd;
  for (int64_t i = 1; ok && i <= src.dim(); ++i) {
    int64_t s = src.sizes()[src.dim() - i];
    ok = s == 1 || s == shape[nd - i];
  }
  EMBER_CHECK(ok, RuntimeError, "[index_put_] shape mismatch: value tensor of shape ", value.sizes(),
              " cannot be broadcast to indexing result of shape ", shape);
  return src.expand(shape);
}

}  // namespace

namespace detail {

bool has_tensor_index(const TensorIndex* indices, size_t count) {
  for (size_t i = 0; i < count; ++i)
    if (indices[i].is_tensor()) return true;
  return false;
}

Tensor advanced_index(const Tensor& self, const TensorIndex* indices, size_t count) {
  Split sp = split_basic(self, indices, count);
  Tensor out = mask_gather(sp);
  if (!out.defined()) {
    Advanced a = finish(std::move(sp));
    // Only 0-d integer tensors: basic after all (a recorded view).
    if (a.indices.empty()) return index(self, a.basic.data(), a.basic.size());
    DimVector shape;
    IndexPlan p = make_plan(a, shape);
    out = empty(shape, TensorOptions(self.dtype()).device(self.device()));
    if (out.numel() > 0) {
      p.other = static_cast<char*>(out.data_ptr());
      p.other_strides = out.strides();
      for (int64_t& s : p.other_strides) s *= out.element_size();
      index_gather_stub(self.device().type)(p);
    }
  }
  // Backward: the gradient accumulated into zeros at the same index
  // (duplicates add up).
  autograd::record("IndexBackward0", {self}, out, [&] {
    return [sizes = self.sizes(), opts = self.options(),
            idx = std::vector<TensorIndex>(indices, indices + count)](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      Tensor gi = zeros(sizes, opts);
      index_put_(gi, idx, ctx.grad(), /*accumulate=*/true);
      return {gi};
    };
  });
  return out;
}

void advanced_index_put_(Tensor& self, const TensorIndex* indices, size_t count, const Tensor& value,
                         bool accumulate) {
  EMBER_CHECK(value.defined(), RuntimeError, "[index_put_] undefined value tensor");
  Advanced a = prepare(self, indices, count);
  if (a.indices.empty()) {  // only 0-d integer tensors: a basic put into the view
    index_put_(a.view, nullptr, 0, value, accumulate);
    return;
  }
  DimVector shape;
  IndexPlan p = make_plan(a, shape);
  Tensor src = value.to(self.dtype());
  // Values and indices that share memory with self are read before anything
  // is written (t[t] = 0 must not see its own writes).
  if (src.storage().get() == self.storage().get()) src = src.clone();
  for (size_t k = 0; k < a.indices.size(); ++k) {
    Tensor& idx = a.indices[k].index;
    if (idx.storage().get() == self.storage().get()) {
      idx = idx.clone();
      p.index[k] = idx.data_ptr<int64_t>();
    }
  }
  src = broadcast_value(src, shape);
  self.bump_version();
  if (src.numel() == 0) return;
  p.other = static_cast<char*>(src.data_ptr());
  p.other_strides = src.strides();
  for (int64_t& s : p.other_strides) s *= src.element_size();
  index_scatter_stub(self.device().type)(p, accumulate);
}

}  // namespace detail

}  // namespace ember
