// gather and the scatter family: PyTorch's shape and dtype checks, output
// allocation and dispatch (kernels in src/cpu/scatter_kernels.cpp, which
// also check that index values are in range).
#include "ember/ops/scatter.h"

#include "ember/core/sort_kernels.h"
#include "ember/ops/creation.h"

namespace ember {

namespace {

// 0-d tensors act as 1-element 1-d ones, as in PyTorch.
Tensor as_1d(const Tensor& t) { return t.dim() == 0 ? t.reshape({1}) : t; }

void check_index_dtype(const Tensor& index, const char* op) {
  EMBER_CHECK(index.dtype() == DType::Int64, RuntimeError, "[", op, "] ", op,
              "(): Expected dtype int64 for index, got ", dtype_name(index.dtype()));
}

void check_same_device(const Tensor& a, const Tensor& b, const char* op) {
  EMBER_CHECK(a.device() == b.device(), RuntimeError, "[", op,
              "] Expected all tensors to be on the same device, but found ", a.device(), " and ",
              b.device());
}

// index.size(d) <= self.size(d) for d != dim, and <= src.size(d) for all d.
void check_scatter_shapes(const Tensor& self, int64_t dim, const Tensor& index, const Tensor* src,
                          const char* op) {
  EMBER_CHECK(index.dim() == self.dim(), RuntimeError, "[", op,
              "] Index tensor must have the same number of dimensions as self tensor (",
              index.dim(), " vs ", self.dim(), ")");
  if (src) {
    EMBER_CHECK(index.dim() == src->dim(), RuntimeError, "[", op,
                "] Index tensor must have the same number of dimensions as src tensor (",
                index.dim(), " vs ", src->dim(), ")");
  }
  if (index.numel() == 0) return;
  for (int64_t d = 0; d < self.dim(); ++d) {
    bool bad = (d != dim && index.size(d) > self.size(d)) || (src && index.size(d) > src->size(d));
    EMBER_CHECK(!bad, RuntimeError, "[", op, "] Expected index ", index.sizes(),
                " to be smaller than self ", self.sizes(), " apart from dimension ", dim,
                src ? " and to be smaller size than src " : "", src ? src->sizes() : DimVector{});
  }
}

ScatterReduce parse_scatter_reduce(std::string_view reduce) {
  if (reduce == "sum") return ScatterReduce::Sum;
  if (reduce == "prod") return ScatterReduce::Prod;
  if (reduce == "mean") return ScatterReduce::Mean;
  if (reduce == "amax") return ScatterReduce::Amax;
  if (reduce == "amin") return ScatterReduce::Amin;
  EMBER_THROW(RuntimeError, "[scatter_reduce] reduce argument must be either sum, prod, mean, ",
              "amax or amin, got ", reduce);
}

ScatterReduce parse_legacy_reduce(std::optional<std::string_view> reduce) {
  if (!reduce) return ScatterReduce::Assign;
  if (*reduce == "add") return ScatterReduce::Sum;
  if (*reduce == "multiply") return ScatterReduce::Prod;
  EMBER_THROW(RuntimeError, "[scatter] reduce argument must be either add or multiply, got ",
              *reduce);
}

void check_reduce_dtype(DType t, ScatterReduce r, const char* op) {
  bool ok = !((r == ScatterReduce::Amax || r == ScatterReduce::Amin) && is_complex(t)) &&
            !(r == ScatterReduce::Mean && t == DType::Bool);
  EMBER_CHECK(ok, TypeError, "[", op, "] reduce not implemented for dtype ", dtype_name(t));
}

// The common path of every scatter: src (undefined for a value) is
// already checked for dtype.
Tensor& scatter_impl(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                     const Scalar& value, ScatterReduce reduce, bool include_self, const char* op) {
  check_index_dtype(index, op);
  check_same_device(self, index, op);
  // Slices written in parallel must not share memory (expanded tensors).
  for (int64_t k = 0; k < self.dim(); ++k) {
    EMBER_CHECK(self.stride(k) != 0 || self.size(k) <= 1, RuntimeError, "[", op,
                "] unsupported operation: more than one element of the written-to tensor refers "
                "to a single memory location. Please clone() the tensor before performing the "
                "operation.");
  }
  int64_t d = wrap_dim(dim, self.dim(), op);
  Tensor s = as_1d(self), i = as_1d(index);
  Tensor sr = src.defined() ? as_1d(src) : Tensor();
  if (src.defined()) {
    check_same_device(self, src, op);
    EMBER_CHECK(src.dtype() == self.dtype(), RuntimeError, "[", op, "] ", op,
                "(): Expected self.dtype to be equal to src.dtype (got ", dtype_name(self.dtype()),
                " and ", dtype_name(src.dtype()), ")");
  }
  check_scatter_shapes(s, d, i, src.defined() ? &sr : nullptr, op);
  if (reduce != ScatterReduce::Assign) check_reduce_dtype(self.dtype(), reduce, op);
  if (i.numel() > 0) {
    scatter_stub(self.device().type)(s, d, i, sr, value, reduce, include_self);
  }
  self.bump_version();
  return self;
}

}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index) {
  check_index_dtype(index, "gather");
  check_same_device(self, index, "gather");
  int64_t d = wrap_dim(dim, self.dim(), "gather");
  Tensor s = as_1d(self), i = as_1d(index);
  EMBER_CHECK(i.dim() == s.dim(), RuntimeError,
              "[gather] Index tensor must have the same number of dimensions as input tensor (",
              index.dim(), " vs ", self.dim(), ")");
  for (int64_t k = 0; k < s.dim(); ++k) {
    EMBER_CHECK(k == d || i.size(k) <= s.size(k), RuntimeError,
                "[gather] Size does not match at dimension ", k, " expected index ", index.sizes(),
                " to be smaller than self ", self.sizes(), " apart from dimension ", d);
  }
  Tensor out = empty(index.sizes(), self.options());
  if (out.numel() > 0) gather_stub(self.device().type)(s, d, i, as_1d(out));
  return out;
}

Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                 std::optional<std::string_view> reduce) {
  return scatter_impl(self, dim, index, src, Scalar(), parse_legacy_reduce(reduce), true, "scatter");
}
Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value,
                 std::optional<std::string_view> reduce) {
  return scatter_impl(self, dim, index, Tensor(), value, parse_legacy_reduce(reduce), true,
                      "scatter");
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
               std::optional<std::string_view> reduce) {
  Tensor out = self.clone();
  return scatter_(out, dim, index, src, reduce);
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value,
               std::optional<std::string_view> reduce) {
  Tensor out = self.clone();
  return scatter_(out, dim, index, value, reduce);
}

Tensor& scatter_add_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_impl(self, dim, index, src, Scalar(), ScatterReduce::Sum, true, "scatter_add");
}
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  Tensor out = self.clone();
  return scatter_add_(out, dim, index, src);
}

Tensor& scatter_reduce_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                        std::string_view reduce, bool include_self) {
  return scatter_impl(self, dim, index, src, Scalar(), parse_scatter_reduce(reduce), include_self,
                      "scatter_reduce");
}
Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                      std::string_view reduce, bool include_self) {
  Tensor out = self.clone();
  return scatter_reduce_(out, dim, index, src, reduce, include_self);
}

}  // namespace ember
