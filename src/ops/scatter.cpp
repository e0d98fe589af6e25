// gather and the scatter family: PyTorch's shape and dtype checks, output
// allocation and dispatch (kernels in src/cpu/scatter_kernels.cpp, which
// also check that index values are in range), and their backward formulas
// (Note [Scatter gradients]).
#include "ember/ops/scatter.h"

#include "ember/autograd/record.h"
#include "ember/core/sort_kernels.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/indexing.h"
#include "ember/ops/unary.h"

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
  // The gradient adds up at the gathered positions.
  autograd::record("GatherBackward0", {self}, out, [&] {
    return [d, index, sizes = self.sizes()](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      const Tensor& g = ctx.grad();
      return {scatter_add(zeros(sizes, g.options()), d, index, g)};
    };
  });
  return out;
}

// Note [Scatter gradients]
// The scatters are recorded out of place (the in-place forms go through
// autograd::apply_inplace). Only the first index.size(k) elements of src
// along each dim are read, so a src gradient is computed at index's shape
// and padded with zeros to src's. With duplicate indices a plain scatter
// keeps the value written last (the kernels write in index order), so only
// that src element gets the gradient: an exact derivative where PyTorch
// gives every duplicate the gradient. scatter_reduce follows PyTorch's
// formulas (FunctionsManual's scatter_reduce_backward), with ties of
// amax/amin sharing the gradient evenly.
namespace {

using autograd::BackwardCtx;
using autograd::NoGradGuard;
using autograd::SavedVariable;
using autograd::variable_list;

// t (at index's shape) padded with zeros to `sizes`.
Tensor pad_to(const Tensor& t, const DimVector& sizes) {
  if (t.sizes() == sizes) return t;
  Tensor out = zeros(sizes, t.options());
  if (t.numel() == 0) return out;  // an empty index may exceed src's sizes
  Tensor region = out;
  for (int64_t k = 0; k < t.dim(); ++k) region = region.narrow(k, 0, t.sizes()[k]);
  region.copy_(t);
  return out;
}

// src's first index.size(k) elements along each dim: the ones a scatter reads.
Tensor src_used(const Tensor& src, const Tensor& index) {
  Tensor out = src;
  for (int64_t k = 0; k < index.dim(); ++k)
    if (index.sizes()[k] != src.sizes()[k]) out = out.narrow(k, 0, index.sizes()[k]);
  return out;
}

// True at the positions of index whose scatter write is the last one to its
// target (Note [Scatter gradients]).
Tensor last_writers(const DimVector& self_sizes, int64_t dim, const Tensor& index) {
  NoGradGuard no_grad;
  TensorOptions i64 = TensorOptions(DType::Int64).device(index.device());
  Tensor ids = arange(Scalar(int64_t(0)), Scalar(index.numel()), Scalar(int64_t(1)), i64).reshape(index.sizes());
  Tensor winner = scatter(full(self_sizes, Scalar(int64_t(-1)), i64), dim, index, ids);
  return eq(gather(winner, dim, index), ids);
}

// a where cond, else b (written with masked_fill so that it differentiates).
Tensor select_where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  Scalar zero(int64_t(0));
  return add(masked_fill(a, logical_not(cond), zero), masked_fill(b, cond, zero));
}

Tensor as_dtype(const Tensor& t, const Tensor& like) { return t.to(like.dtype()); }

// The backward of scatter_reduce (and of scatter with reduce="add"/"multiply").
variable_list scatter_reduce_grads(BackwardCtx& ctx, const Tensor& g, int64_t dim, const Tensor& index,
                                   ScatterReduce reduce, bool include_self, const Tensor& self,
                                   const Tensor& src, const Tensor& result, const DimVector& src_sizes) {
  Scalar zero(int64_t(0)), one(int64_t(1));
  if (index.numel() == 0) {  // nothing was written
    return {ctx.needs_input_grad(0) ? g : Tensor(),
            ctx.needs_input_grad(1) ? zeros(src_sizes, g.options()) : Tensor()};
  }
  Tensor g_self, g_src;  // g_src at index's shape
  Tensor srci = src.defined() ? src_used(src, index) : Tensor();
  switch (reduce) {
    case ScatterReduce::Sum:
      g_self = g;
      g_src = gather(g, dim, index);
      break;
    case ScatterReduce::Prod: {
      // Products of the other factors, computed without dividing by zero.
      Tensor masked_self = masked_fill(self, eq(self, zero), one);
      Tensor masked_self_result = scatter_reduce(masked_self, dim, index, srci, "prod", include_self);
      g_self = mul(g, conj(div(masked_self_result, masked_self)));
      Tensor src_zero = eq(srci, zero);
      Tensor zeros_per_target =
          gather(scatter_add(zeros(self.sizes(), g.options()), dim, index, as_dtype(src_zero, g)), dim, index);
      Tensor single_zero = logical_and(src_zero, eq(zeros_per_target, one));
      Tensor masked_src_result =
          scatter_reduce(self, dim, index, masked_fill(srci, single_zero, one), "prod", include_self);
      g_src = select_where(single_zero, gather(mul(g, conj(masked_src_result)), dim, index),
                           div(gather(mul(g, conj(result)), dim, index), conj(masked_fill(srci, src_zero, one))));
      break;
    }
    case ScatterReduce::Mean: {
      Tensor n = include_self ? ones(g.sizes(), g.options()) : zeros(g.sizes(), g.options());
      n = scatter_add(n, dim, index, ones(index.sizes(), g.options()));
      n = masked_fill(n, eq(n, zero), one);
      g_self = div(g, n);
      g_src = div(gather(g, dim, index), gather(n, dim, index));
      break;
    }
    case ScatterReduce::Amax:
    case ScatterReduce::Amin: {
      // Every element equal to the result shares its gradient evenly.
      Tensor value = gather(result, dim, index);
      Tensor self_is_result = as_dtype(eq(self, result), g);
      if (!include_self) self_is_result = scatter(self_is_result, dim, index, zero);
      Tensor src_is_result = as_dtype(eq(srci, value), g);
      Tensor count = scatter_add(self_is_result, dim, index, src_is_result);
      Tensor share = div(g, count);
      g_self = mul(self_is_result, share);
      g_src = mul(src_is_result, gather(share, dim, index));
      break;
    }
    case ScatterReduce::Assign: break;  // not a reduction
  }
  if (!include_self) g_self = scatter(g_self, dim, index, zero);
  return {ctx.needs_input_grad(0) ? g_self : Tensor(), ctx.needs_input_grad(1) ? pad_to(g_src, src_sizes) : Tensor()};
}

// Records scatter_reduce (or scatter's legacy reduce) with reduction r.
void record_scatter_reduce(const char* name, const Tensor& self, int64_t dim, const Tensor& index,
                           const Tensor& src, ScatterReduce r, bool include_self, const Tensor& out) {
  autograd::record(name, {self, src}, out, [&] {
    bool saves = r == ScatterReduce::Prod || r == ScatterReduce::Amax || r == ScatterReduce::Amin;
    int64_t d = wrap_dim(dim, self.dim(), "scatter_reduce");
    return [d, index, r, include_self, src_sizes = src.sizes(),
            s_self = SavedVariable(saves ? self : Tensor(), false), s_src = SavedVariable(saves ? src : Tensor(), false),
            s_out = SavedVariable(saves ? out : Tensor(), true)](BackwardCtx& ctx) -> variable_list {
      return scatter_reduce_grads(ctx, ctx.grad(), d, index, r, include_self, ctx.unpack(s_self), ctx.unpack(s_src),
                                  ctx.unpack(s_out), src_sizes);
    };
  });
}

}  // namespace

Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                 std::optional<std::string_view> reduce) {
  if (autograd::inplace_needs_grad(self, {src}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return scatter(s, dim, index, src, reduce); });
  return scatter_impl(self, dim, index, src, Scalar(), parse_legacy_reduce(reduce), true, "scatter");
}
Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value,
                 std::optional<std::string_view> reduce) {
  if (autograd::inplace_needs_grad(self))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return scatter(s, dim, index, value, reduce); });
  return scatter_impl(self, dim, index, Tensor(), value, parse_legacy_reduce(reduce), true,
                      "scatter");
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
               std::optional<std::string_view> reduce) {
  ScatterReduce r = parse_legacy_reduce(reduce);
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.clone();
    scatter_(out, dim, index, src, reduce);
  }
  if (r != ScatterReduce::Assign) {
    record_scatter_reduce("ScatterReduceBackward0", self, dim, index, src, r, true, out);
    return out;
  }
  // self: the gradient, zero where overwritten; src: the gradient at the
  // positions it was written to, for the last write of each target.
  autograd::record("ScatterBackward0", {self, src}, out, [&] {
    int64_t d = wrap_dim(dim, self.dim(), "scatter");
    Tensor last = src.requires_grad() ? last_writers(self.sizes(), d, index) : Tensor();
    return [d, index, last, src_sizes = src.sizes()](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      Tensor g_self, g_src;
      if (ctx.needs_input_grad(0)) g_self = scatter(g, d, index, Scalar(int64_t(0)));
      if (ctx.needs_input_grad(1))
        g_src = pad_to(masked_fill(gather(g, d, index), logical_not(last), Scalar(int64_t(0))), src_sizes);
      return {g_self, g_src};
    };
  });
  return out;
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value,
               std::optional<std::string_view> reduce) {
  ScatterReduce r = parse_legacy_reduce(reduce);
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.clone();
    scatter_(out, dim, index, value, reduce);
  }
  // Assign: zero where overwritten; add: the gradient; multiply: times the
  // conjugate of value**(number of writes), which a scatter of value into
  // ones computes.
  autograd::record("ScatterBackward1", {self}, out, [&] {
    int64_t d = wrap_dim(dim, self.dim(), "scatter");
    Tensor factor;
    if (r == ScatterReduce::Prod) {
      NoGradGuard no_grad;
      factor = conj(scatter(ones(self.sizes(), self.options()), d, index, value, reduce));
    }
    return [d, index, r, factor](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      if (r == ScatterReduce::Assign) return {scatter(g, d, index, Scalar(int64_t(0)))};
      if (r == ScatterReduce::Prod) return {mul(g, factor)};
      return {g};
    };
  });
  return out;
}

Tensor& scatter_add_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  if (autograd::inplace_needs_grad(self, {src}))
    return autograd::apply_inplace(self, [&](const Tensor& s) { return scatter_add(s, dim, index, src); });
  return scatter_impl(self, dim, index, src, Scalar(), ScatterReduce::Sum, true, "scatter_add");
}
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.clone();
    scatter_add_(out, dim, index, src);
  }
  record_scatter_reduce("ScatterAddBackward0", self, dim, index, src, ScatterReduce::Sum, true, out);
  return out;
}

Tensor& scatter_reduce_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                        std::string_view reduce, bool include_self) {
  if (autograd::inplace_needs_grad(self, {src})) {
    return autograd::apply_inplace(
        self, [&](const Tensor& s) { return scatter_reduce(s, dim, index, src, reduce, include_self); });
  }
  return scatter_impl(self, dim, index, src, Scalar(), parse_scatter_reduce(reduce), include_self,
                      "scatter_reduce");
}
Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                      std::string_view reduce, bool include_self) {
  ScatterReduce r = parse_scatter_reduce(reduce);
  Tensor out;
  {
    NoGradGuard no_grad;
    out = self.clone();
    scatter_reduce_(out, dim, index, src, reduce, include_self);
  }
  record_scatter_reduce("ScatterReduceBackward0", self, dim, index, src, r, include_self, out);
  return out;
}

}  // namespace ember
