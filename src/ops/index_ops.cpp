// The index and mask ops (index_select, index_add, masked_fill, take,
// nonzero, ...). Each is written as advanced indexing (Note [Advanced
// indexing] in index_advanced.cpp), so one gather and one scatter kernel
// serve them all.
#include <algorithm>

#include "ember/autograd/record.h"
#include "ember/core/index_kernels.h"
#include "ember/core/tensor_iterator.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"  // count_nonzero, sum
#include "ember/ops/unary.h"   // logical_not
#include "ember/ops/views.h"

namespace ember {

namespace {

using indexing::Ellipsis;
using autograd::BackwardCtx;
using autograd::NoGradGuard;
using autograd::variable_list;

bool is_one(const Scalar& s) {
  if (s.is_complex()) return s.to_complex() == std::complex<double>(1.0, 0.0);
  return s.is_integral() || s.is_bool() ? s.to_int() == 1 : s.to_double() == 1.0;
}
Scalar conj_scalar(const Scalar& s) { return s.is_complex() ? Scalar(std::conj(s.to_complex())) : s; }

// The gradient of a value tensor broadcast over the positions `where` marks:
// the sum of the gradient there (masked_fill and index_fill with a 0-d value).
Tensor value_grad_where(const Tensor& g, const Tensor& keep_mask) {
  return sum(masked_fill(g, logical_not(keep_mask), Scalar(int64_t(0))));
}

// The index of an op along one dim: 0-d or 1-D, int64 or int32, as 1-D.
Tensor dim_index(const Tensor& index, const char* op) {
  EMBER_CHECK(index.defined(), RuntimeError, "[", op, "] undefined index tensor");
  EMBER_CHECK(index.dtype() == DType::Int64 || index.dtype() == DType::Int32, IndexError, "[", op, "] ", op,
              "(): Expected dtype int32/int64 for index but got ", dtype_name(index.dtype()));
  EMBER_CHECK(index.dim() <= 1, IndexError, "[", op, "] ", op, "(): Index is supposed to be a vector, but got a ",
              index.dim(), "-D tensor");
  return index.reshape({-1});
}

// (:, :, ..., index) with `dim` full slices first.
std::vector<TensorIndex> along(int64_t dim, const Tensor& index) {
  std::vector<TensorIndex> idx(static_cast<size_t>(dim), TensorIndex(Slice()));
  idx.emplace_back(index);
  return idx;
}

// A 0-d tensor is indexed as a 1-element 1-D one.
Tensor as_1d_if_scalar(const Tensor& t) { return t.dim() == 0 ? t.reshape({1}) : t; }

// Checks source against self for index_add/index_copy along dim.
void check_source(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const char* op) {
  EMBER_CHECK(source.defined(), RuntimeError, "[", op, "] undefined source tensor");
  EMBER_CHECK(self.dtype() == source.dtype(), RuntimeError, "[", op, "] ", op, "(): self (",
              dtype_name(self.dtype()), ") and source (", dtype_name(source.dtype()),
              ") must have the same scalar type");
  Tensor s = as_1d_if_scalar(source), t = as_1d_if_scalar(self);
  bool ok = s.dim() == t.dim() && s.sizes()[dim] == index.numel();
  for (int64_t d = 0; ok && d < t.dim(); ++d) ok = d == dim || s.sizes()[d] == t.sizes()[d];
  EMBER_CHECK(ok, RuntimeError, "[", op, "] ", op, "(): source of shape ", source.sizes(),
              " does not match self of shape ", self.sizes(), " with ", index.numel(), " indices along dim ", dim);
}

Tensor& put_along(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, bool accumulate,
                  const char* op) {
  EMBER_CHECK(self.defined(), RuntimeError, "[", op, "] undefined tensor");
  dim = wrap_dim(dim, self.dim(), op);
  Tensor idx = dim_index(index, op);
  check_source(self, dim, idx, source, op);
  Tensor t = as_1d_if_scalar(self);
  index_put_(t, along(dim, idx), as_1d_if_scalar(source), accumulate);
  return self;
}

Tensor bool_mask(const Tensor& mask, const char* op) {
  EMBER_CHECK(mask.defined(), RuntimeError, "[", op, "] undefined mask tensor");
  EMBER_CHECK(mask.dtype() == DType::Bool, TypeError, "[", op, "] ", op,
              " only supports boolean masks, but got mask with dtype ", dtype_name(mask.dtype()));
  return mask;
}

Scalar zero_dim_value(const Tensor& value, const char* op) {
  EMBER_CHECK(value.defined() && value.dim() == 0, RuntimeError, "[", op, "] ", op,
              " only supports a 0-dimensional value tensor, but got tensor with ", value.dim(), " dimension(s).");
  return value.item();
}

// A mask broadcast to self's shape (self itself is not broadcast in place).
Tensor mask_for(const Tensor& self, const Tensor& mask, const char* op) {
  DimVector shape = broadcast_shapes(self.sizes(), mask.sizes(), op);
  EMBER_CHECK(shape == self.sizes(), RuntimeError, "[", op, "] mask of shape ", mask.sizes(),
              " cannot be broadcast to the shape of self ", self.sizes());
  return mask.expand(self.sizes());
}

}  // namespace

// ---- along one dim

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  EMBER_CHECK(self.defined(), RuntimeError, "[index_select] undefined tensor");
  dim = wrap_dim(dim, self.dim(), "index_select");
  Tensor idx = dim_index(index, "index_select");
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.dim() == 0 ? ember::index(self.reshape({1}), {idx}).reshape(index.sizes())
                          : ember::index(self, along(dim, idx));
  }
  // The selected slices' gradients add up into their rows.
  autograd::record("IndexSelectBackward0", {self}, out, [&] {
    return [dim, idx, sizes = self.sizes()](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      return {index_add(zeros(sizes, g.options()), dim, idx, g)};
    };
  });
  return out;
}

Tensor& index_add_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  EMBER_CHECK(!source.defined() || is_floating_point(source.dtype()) || is_complex(source.dtype()) ||
                  alpha.is_integral() || alpha.is_bool(),
              RuntimeError, "[index_add] For integral input tensors, argument alpha must not be a floating point number.");
  if (autograd::inplace_needs_grad(self, {source}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return index_add(s, dim, index, source, alpha); });
  Tensor values = is_one(alpha) ? source : mul(source, alpha).to(self.dtype());
  return put_along(self, dim, index, values, /*accumulate=*/true, "index_add");
}

Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.clone();
    index_add_(out, dim, index, source, alpha);
  }
  // self: the gradient; source: the gradient's slices at index, times conj(alpha).
  autograd::record("IndexAddBackward0", {self, source}, out, [&] {
    int64_t d = wrap_dim(dim, self.dim(), "index_add");
    return [d, idx = dim_index(index, "index_add"), alpha = conj_scalar(alpha),
            src_sizes = source.sizes()](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      Tensor g_src;
      if (ctx.needs_input_grad(1)) {
        g_src = index_select(g, d, idx).reshape(src_sizes);
        if (!is_one(alpha)) g_src = mul(g_src, alpha);
      }
      return {g, g_src};
    };
  });
  return out;
}

Tensor& index_copy_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  if (autograd::inplace_needs_grad(self, {source}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return index_copy(s, dim, index, source); });
  return put_along(self, dim, index, source, /*accumulate=*/false, "index_copy");
}

Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.clone();
    index_copy_(out, dim, index, source);
  }
  // self: the gradient, zero in the overwritten slices; source: the
  // gradient's slices at index (every duplicate gets it, as in PyTorch).
  autograd::record("IndexCopyBackward0", {self, source}, out, [&] {
    int64_t d = wrap_dim(dim, self.dim(), "index_copy");
    return [d, idx = dim_index(index, "index_copy"), src_sizes = source.sizes()](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      Tensor g_self, g_src;
      if (ctx.needs_input_grad(0)) g_self = index_fill(g, d, idx, Scalar(int64_t(0)));
      if (ctx.needs_input_grad(1)) g_src = index_select(g, d, idx).reshape(src_sizes);
      return {g_self, g_src};
    };
  });
  return out;
}

Tensor& index_fill_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  EMBER_CHECK(self.defined(), RuntimeError, "[index_fill] undefined tensor");
  if (autograd::inplace_needs_grad(self))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return index_fill(s, dim, index, value); });
  dim = wrap_dim(dim, self.dim(), "index_fill");
  Tensor idx = dim_index(index, "index_fill");
  Tensor t = as_1d_if_scalar(self);
  index_put_(t, along(dim, idx), value);
  return self;
}

Tensor& index_fill_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& value) {
  Scalar v = zero_dim_value(value, "index_fill");
  if (autograd::inplace_needs_grad(self, {value}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return index_fill(s, dim, index, value); });
  return index_fill_(self, dim, index, v);
}

namespace {
// index_fill out of place; `value` is the 0-d tensor the fill came from, if any.
Tensor index_fill_recorded(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& v,
                           const Tensor& value) {
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.clone();
    index_fill_(out, dim, index, v);
  }
  // self: the gradient, zero in the filled slices; value: the sum of the
  // gradient over them.
  autograd::record(value.defined() ? "IndexFillBackward1" : "IndexFillBackward0", {self, value}, out, [&] {
    int64_t d = wrap_dim(dim, self.dim(), "index_fill");
    return [d, idx = dim_index(index, "index_fill")](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      Tensor g_self, g_value;
      Tensor kept = index_fill(g, d, idx, Scalar(int64_t(0)));
      if (ctx.needs_input_grad(0)) g_self = kept;
      // What was filled, each position once even for a repeated index.
      if (ctx.needs_input_grad(1)) g_value = sum(sub(g, kept));
      return {g_self, g_value};
    };
  });
  return out;
}
}  // namespace

Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  return index_fill_recorded(self, dim, index, value, Tensor());
}

Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& value) {
  return index_fill_recorded(self, dim, index, zero_dim_value(value, "index_fill"), value);
}

// ---- masks

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Scalar& value) {
  EMBER_CHECK(self.defined(), RuntimeError, "[masked_fill_] undefined tensor");
  Tensor m = mask_for(self, bool_mask(mask, "masked_fill_"), "masked_fill_");
  if (autograd::inplace_needs_grad(self))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return masked_fill(s, mask, value); });
  // Elementwise (no index list): the value converted to self's dtype once.
  Tensor v = full({}, value, TensorOptions(self.dtype()));
  TensorIterator it;
  it.add_output(self).add_input(m).build("masked_fill_");
  masked_fill_stub(self.device().type)(it, v.data_ptr());
  self.bump_version();
  return self;
}

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value) {
  Scalar v = zero_dim_value(value, "masked_fill_");
  if (autograd::inplace_needs_grad(self, {value})) {
    mask_for(self, bool_mask(mask, "masked_fill_"), "masked_fill_");
    return autograd::apply_inplace(self, [&](const Tensor& s) { return masked_fill(s, mask, value); });
  }
  return masked_fill_(self, mask, v);
}

namespace {
// masked_fill out of place; `value` is the 0-d tensor the fill came from, if any.
Tensor masked_fill_recorded(const Tensor& self, const Tensor& mask, const Scalar& v, const Tensor& value) {
  EMBER_CHECK(self.defined(), RuntimeError, "[masked_fill] undefined tensor");
  DimVector shape = broadcast_shapes(self.sizes(), bool_mask(mask, "masked_fill").sizes(), "masked_fill");
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.expand(shape).clone();
    masked_fill_(out, mask, v);
  }
  // self: the gradient, zero where filled (the engine sums it back over
  // broadcast dims); value: the sum of the gradient where filled.
  autograd::record(value.defined() ? "MaskedFillBackward1" : "MaskedFillBackward0", {self, value}, out, [&] {
    return [mask](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      Tensor g_self, g_value;
      if (ctx.needs_input_grad(0)) g_self = masked_fill(g, mask, Scalar(int64_t(0)));
      if (ctx.needs_input_grad(1)) g_value = value_grad_where(g, mask);
      return {g_self, g_value};
    };
  });
  return out;
}
}  // namespace

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value) {
  return masked_fill_recorded(self, mask, value, Tensor());
}

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value) {
  return masked_fill_recorded(self, mask, zero_dim_value(value, "masked_fill"), value);
}

Tensor masked_select(const Tensor& self, const Tensor& mask) {
  EMBER_CHECK(self.defined(), RuntimeError, "[masked_select] undefined tensor");
  bool_mask(mask, "masked_select");
  DimVector shape = broadcast_shapes(self.sizes(), mask.sizes(), "masked_select");
  Tensor s = self.expand(shape);
  if (s.dim() == 0) return index(s.reshape({1}), {TensorIndex(mask.reshape({1}))});
  return index(s, {TensorIndex(mask.expand(shape))});
}

Tensor& masked_scatter_(Tensor& self, const Tensor& mask, const Tensor& source) {
  EMBER_CHECK(self.defined() && source.defined(), RuntimeError, "[masked_scatter_] undefined tensor");
  EMBER_CHECK(self.dtype() == source.dtype(), RuntimeError,
              "[masked_scatter_] masked_scatter_: expected self and source to have same dtypes but got ",
              dtype_name(self.dtype()), " and ", dtype_name(source.dtype()));
  Tensor m = mask_for(self, bool_mask(mask, "masked_scatter_"), "masked_scatter_");
  Tensor t = as_1d_if_scalar(self);
  m = as_1d_if_scalar(m);
  int64_t n = count_nonzero(m).item().to_int();
  EMBER_CHECK(source.numel() >= n, RuntimeError,
              "[masked_scatter_] Number of elements of source < number of ones in mask (", source.numel(), " < ", n,
              ")");
  index_put_(t, {TensorIndex(m)}, source.reshape({-1}).narrow(0, 0, n));
  return self;
}

Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source) {
  EMBER_CHECK(self.defined(), RuntimeError, "[masked_scatter] undefined tensor");
  DimVector shape = broadcast_shapes(self.sizes(), bool_mask(mask, "masked_scatter").sizes(), "masked_scatter");
  Tensor out = self.expand(shape).clone();
  return masked_scatter_(out, mask, source);
}

// ---- flat gathers

namespace {

// A flat int64 index checked against `numel` with take's wording.
void check_flat(const Tensor& index, int64_t numel, const char* op) {
  EMBER_CHECK(index.defined(), RuntimeError, "[", op, "] undefined index tensor");
  EMBER_CHECK(index.dtype() == DType::Int64, IndexError, "[", op, "] ", op,
              "(): Expected a long tensor for index, but got ", dtype_name(index.dtype()));
  Tensor c = index.contiguous();
  const int64_t* p = c.data_ptr<int64_t>();
  for (int64_t i = 0, n = c.numel(); i < n; ++i) {
    EMBER_CHECK(p[i] >= -numel && p[i] < numel, IndexError, "[", op, "] out of range: tried to access index ", p[i],
                " on a tensor of ", numel, " elements.");
  }
}

}  // namespace

Tensor take(const Tensor& self, const Tensor& index) {
  EMBER_CHECK(self.defined(), RuntimeError, "[take] undefined tensor");
  check_flat(index, self.numel(), "take");
  return ember::index(self.reshape({-1}), {TensorIndex(index)});
}

Tensor& put_(Tensor& self, const Tensor& index, const Tensor& source, bool accumulate) {
  EMBER_CHECK(self.defined() && source.defined(), RuntimeError, "[put_] undefined tensor");
  check_flat(index, self.numel(), "put_");
  EMBER_CHECK(source.numel() == index.numel(), RuntimeError, "[put_] put_(): Expected source and index to have the same number of elements, but got source.numel() = ",
              source.numel(), ", index.numel() = ", index.numel());
  EMBER_CHECK(self.dtype() == source.dtype(), RuntimeError, "[put_] put_(): self (", dtype_name(self.dtype()),
              ") and source (", dtype_name(source.dtype()), ") must have the same scalar type");
  Tensor flat = self.is_contiguous() ? self.view({-1}) : self.contiguous().view({-1});
  index_put_(flat, {TensorIndex(index.reshape({-1}))}, source.reshape({-1}), accumulate);
  if (!self.is_contiguous()) self.copy_(flat.view(self.sizes()));
  return self;
}

Tensor put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate) {
  Tensor out = self.clone();
  return put_(out, index, source, accumulate);
}

Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim) {
  EMBER_CHECK(self.defined() && indices.defined(), RuntimeError, "[take_along_dim] undefined tensor");
  EMBER_CHECK(indices.dtype() == DType::Int64, IndexError,
              "[take_along_dim] torch.take_along_dim(): dtype of indices should be int64 but got ",
              dtype_name(indices.dtype()));
  if (!dim) return take(self, indices.reshape({-1}));
  EMBER_CHECK(self.dim() == indices.dim(), RuntimeError,
              "[take_along_dim] torch.take_along_dim(): input and indices should have the same number of "
              "dimensions, but got ",
              self.dim(), " dimensions for input, and ", indices.dim(), " dimensions for indices");
  int64_t d = wrap_dim(*dim, self.dim(), "take_along_dim");
  if (self.dim() == 0) return take(self, indices);
  // Broadcast every dim but d, then index each other dim by its arange.
  DimVector self_shape = self.sizes(), idx_shape = indices.sizes();
  self_shape[d] = 1;
  idx_shape[d] = 1;
  DimVector b = broadcast_shapes(self_shape, idx_shape, "take_along_dim");
  DimVector self_b = b, idx_b = b;
  self_b[d] = self.sizes()[d];
  idx_b[d] = indices.sizes()[d];
  Tensor s = self.expand(self_b), ix = indices.expand(idx_b);
  std::vector<TensorIndex> idx;
  for (int64_t k = 0; k < s.dim(); ++k) {
    if (k == d) {
      idx.emplace_back(ix);
      continue;
    }
    DimVector shape(static_cast<size_t>(s.dim()), 1);
    shape[k] = b[k];
    idx.emplace_back(arange(Scalar(int64_t(0)), Scalar(b[k]), Scalar(int64_t(1)), TensorOptions(DType::Int64))
                         .view(shape));
  }
  return index(s, idx);
}

// ---- nonzero

Tensor nonzero(const Tensor& self) {
  EMBER_CHECK(self.defined(), RuntimeError, "[nonzero] undefined tensor");
  Tensor b = (self.dtype() == DType::Bool ? self : ne(self, Scalar(int64_t(0)))).contiguous();
  std::vector<int64_t> starts;  // Note [Mask compaction]
  const int64_t n = mask_chunk_starts(self.device().type, b.data_ptr<bool>(), b.numel(), starts);
  Tensor out = empty({n, self.dim()}, TensorOptions(DType::Int64).device(self.device()));
  if (n > 0 && self.dim() > 0)
    nonzero_stub(self.device().type)(b.data_ptr<bool>(), b.sizes(), starts.data(), out.data_ptr<int64_t>());
  return out;
}

std::vector<Tensor> nonzero_tuple(const Tensor& self) {
  EMBER_CHECK(self.defined(), RuntimeError, "[nonzero] undefined tensor");
  Tensor nz = nonzero(self.dim() == 0 ? self.reshape({1}) : self);
  std::vector<Tensor> out;
  for (int64_t d = 0; d < nz.sizes()[1]; ++d) out.push_back(nz.select(1, d));
  return out;
}

Tensor argwhere(const Tensor& self) { return nonzero(self); }


}  // namespace ember
