// sort, argsort, msort, topk and kthvalue: argument checks, output
// allocation and dispatch (kernels in src/cpu/sort_kernels.cpp).
#include "ember/ops/sort.h"

#include "ember/core/sort_kernels.h"
#include "grad_helpers.h"
#include "ember/ops/creation.h"

namespace ember {

namespace {

// Ordering ops need an order: every dtype but complex.
void check_ordered(const Tensor& self, const char* op) {
  EMBER_CHECK(!self.is_complex(), TypeError, "[", op, "] not implemented for dtype ",
              dtype_name(self.dtype()), " (complex numbers have no order)");
}

// 0-d tensors act as 1-element 1-d ones (PyTorch accepts dim 0 or -1).
Tensor as_1d_if_scalar(const Tensor& t) { return t.dim() == 0 ? t.reshape({1}) : t; }

Tensor index_tensor(const DimVector& sizes, Device device) {
  return empty(sizes, TensorOptions(DType::Int64).device(device));
}

// The values of sort/topk/kthvalue are input elements picked along d: the
// gradient goes back to the indices.
void record_picked(const char* name, const Tensor& self, const Tensor& values, const Tensor& indices, int64_t d,
                   bool keepdim) {
  using namespace grad_helpers;
  autograd::record(name, {self}, {values, indices}, [&] {
    return [d, keepdim, sizes = self.sizes(), si = SavedVariable(indices, true, 1)](
               BackwardCtx& ctx) -> variable_list {
      return {value_selecting_backward(ctx.grad(0), d, ctx.unpack(si), sizes, keepdim)};
    };
  });
}

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim, bool descending, bool /*stable*/) {
  check_ordered(self, "sort");
  int64_t d = wrap_dim(dim, self.dim(), "sort");
  Tensor x = as_1d_if_scalar(self);
  Tensor values = empty(x.sizes(), x.options());
  Tensor indices = index_tensor(x.sizes(), x.device());
  if (x.numel() > 0) sort_stub(x.device().type)(x, values, indices, d, descending);
  if (self.dim() == 0) {
    values = values.reshape({});
    indices = indices.reshape({});
  }
  record_picked("SortBackward0", self, values, indices, d, true);
  return {values, indices};
}

Tensor argsort(const Tensor& self, int64_t dim, bool descending, bool stable) {
  return std::get<1>(sort(self, dim, descending, stable));
}

Tensor msort(const Tensor& self) { return std::get<0>(sort(self, 0)); }

std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim, bool largest,
                                bool sorted) {
  check_ordered(self, "topk");
  int64_t d = wrap_dim(dim, self.dim(), "topk");
  Tensor x = as_1d_if_scalar(self);
  int64_t n = x.size(d);
  EMBER_CHECK(k >= 0 && k <= n, RuntimeError, "[topk] selected index k out of range (k = ", k,
              ", dimension ", d, " has size ", n, ")");
  DimVector sizes = x.sizes();
  sizes[d] = k;
  Tensor values = empty(sizes, x.options());
  Tensor indices = index_tensor(sizes, x.device());
  if (values.numel() > 0) topk_stub(x.device().type)(x, values, indices, d, k, largest, sorted);
  if (self.dim() == 0) {
    values = values.reshape({});
    indices = indices.reshape({});
  }
  record_picked("TopkBackward0", self, values, indices, d, true);
  return {values, indices};
}

std::tuple<Tensor, Tensor> kthvalue(const Tensor& self, int64_t k, int64_t dim, bool keepdim) {
  check_ordered(self, "kthvalue");
  int64_t d = wrap_dim(dim, self.dim(), "kthvalue");
  Tensor x = as_1d_if_scalar(self);
  int64_t n = x.size(d);
  EMBER_CHECK(k >= 1 && k <= n, IndexError, "[kthvalue] selected number k out of range for dimension ",
              d, " (k = ", k, ", size ", n, ")");
  DimVector sizes = x.sizes();
  sizes[d] = 1;
  Tensor values = empty(sizes, x.options());
  Tensor indices = index_tensor(sizes, x.device());
  if (values.numel() > 0) kthvalue_stub(x.device().type)(x, values, indices, d, k);
  if (self.dim() == 0) {
    values = values.reshape({});
    indices = indices.reshape({});
  } else if (!keepdim) {
    values = values.squeeze({d});
    indices = indices.squeeze({d});
  }
  record_picked("KthvalueBackward0", self, values, indices, d, keepdim);
  return {values, indices};
}

}  // namespace ember
