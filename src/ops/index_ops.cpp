// The index and mask ops (index_select, index_add, masked_fill, take,
// nonzero, ...). Each is written as advanced indexing (Note [Advanced
// indexing] in index_advanced.cpp), so one gather and one scatter kernel
// serve them all.
#include <algorithm>

#include "ember/core/index_kernels.h"
#include "ember/core/tensor_iterator.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"  // count_nonzero
#include "ember/ops/views.h"

namespace ember {

namespace {

using indexing::Ellipsis;

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
  if (self.dim() == 0) return ember::index(self.reshape({1}), {idx}).reshape(index.sizes());
  return ember::index(self, along(dim, idx));
}

Tensor& index_add_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  EMBER_CHECK(!source.defined() || is_floating_point(source.dtype()) || is_complex(source.dtype()) ||
                  alpha.is_integral() || alpha.is_bool(),
              RuntimeError, "[index_add] For integral input tensors, argument alpha must not be a floating point number.");
  bool unit = alpha.is_integral() ? alpha.to_int() == 1 : (!alpha.is_complex() && alpha.to_double() == 1.0);
  Tensor values = unit ? source : mul(source, alpha).to(self.dtype());
  return put_along(self, dim, index, values, /*accumulate=*/true, "index_add");
}

Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  Tensor out = self.clone();
  return index_add_(out, dim, index, source, alpha);
}

Tensor& index_copy_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  return put_along(self, dim, index, source, /*accumulate=*/false, "index_copy");
}

Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  Tensor out = self.clone();
  return index_copy_(out, dim, index, source);
}

Tensor& index_fill_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  EMBER_CHECK(self.defined(), RuntimeError, "[index_fill] undefined tensor");
  dim = wrap_dim(dim, self.dim(), "index_fill");
  Tensor idx = dim_index(index, "index_fill");
  Tensor t = as_1d_if_scalar(self);
  index_put_(t, along(dim, idx), value);
  return self;
}

Tensor& index_fill_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& value) {
  return index_fill_(self, dim, index, zero_dim_value(value, "index_fill"));
}

Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  Tensor out = self.clone();
  return index_fill_(out, dim, index, value);
}

Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& value) {
  Tensor out = self.clone();
  return index_fill_(out, dim, index, value);
}

// ---- masks

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Scalar& value) {
  EMBER_CHECK(self.defined(), RuntimeError, "[masked_fill_] undefined tensor");
  Tensor m = mask_for(self, bool_mask(mask, "masked_fill_"), "masked_fill_");
  // Elementwise (no index list): the value converted to self's dtype once.
  Tensor v = full({}, value, TensorOptions(self.dtype()));
  TensorIterator it;
  it.add_output(self).add_input(m).build("masked_fill_");
  masked_fill_stub(self.device().type)(it, v.data_ptr());
  self.bump_version();
  return self;
}

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value) {
  return masked_fill_(self, mask, zero_dim_value(value, "masked_fill_"));
}

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value) {
  EMBER_CHECK(self.defined(), RuntimeError, "[masked_fill] undefined tensor");
  DimVector shape = broadcast_shapes(self.sizes(), bool_mask(mask, "masked_fill").sizes(), "masked_fill");
  Tensor out = self.expand(shape).clone();
  return masked_fill_(out, mask, value);
}

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value) {
  return masked_fill(self, mask, zero_dim_value(value, "masked_fill"));
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
  int64_t n = count_nonzero(b).item().to_int();
  Tensor out = empty({n, self.dim()}, TensorOptions(DType::Int64).device(self.device()));
  if (n > 0 && self.dim() > 0) nonzero_stub(self.device().type)(b.data_ptr<bool>(), b.sizes(), out.data_ptr<int64_t>(), n);
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
