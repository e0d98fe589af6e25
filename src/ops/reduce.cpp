// Reductions built on the reduction kernels: sums, products, means,
// extremes and logical reductions (Note [Reduction iteration]).
#include "ember/ops/reduce.h"

#include <algorithm>

#include "ember/core/reduce_kernels.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/shape.h"
#include "grad_helpers.h"

namespace ember {

using namespace grad_helpers;

std::vector<bool> reduction_mask(const char* op, int64_t ndim, const OptDims& dims) {
  // A 0-d tensor accepts dim 0 / -1 (as PyTorch does) and has nothing to mask.
  std::vector<bool> seen(std::max<int64_t>(ndim, 1), !dims || dims->empty());
  if (dims) {
    for (int64_t d : *dims) {
      int64_t w = wrap_dim(d, ndim, op);
      EMBER_CHECK(!seen[w], RuntimeError, "[", op, "] dim ", w, " appears multiple times in the list of dims");
      seen[w] = true;
    }
  }
  seen.resize(ndim);
  return seen;
}

DimVector reduced_shape(const DimVector& sizes, const std::vector<bool>& mask, bool keepdim) {
  DimVector out;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (!mask[d]) out.push_back(sizes[d]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}

namespace detail_reduce {

std::pair<Tensor, Tensor> run_reduction(const char* op, const DispatchStub<ReduceKernel>& stub, const Tensor& a,
                                        const std::vector<bool>& mask, DType out_dtype, bool keepdim,
                                        bool with_indices) {
  DimVector kshape = reduced_shape(a.sizes(), mask, true);
  Tensor out = empty(kshape, TensorOptions(out_dtype).device(a.device()));
  Tensor idx;
  TensorIterator it;
  it.add_reduced_output(out);
  if (with_indices) {
    idx = empty(kshape, TensorOptions(DType::Int64).device(a.device()));
    it.add_reduced_output(idx);
  }
  it.add_input(a).build(op);
  stub(a.device().type)(it);
  if (!keepdim) {
    DimVector s = reduced_shape(a.sizes(), mask, false);
    out = out.view(s);
    if (with_indices) idx = idx.view(s);
  }
  return {out, idx};
}

int64_t reduced_numel(const Tensor& a, const std::vector<bool>& mask) {
  int64_t n = 1;
  for (size_t d = 0; d < mask.size(); ++d) {
    if (mask[d]) n *= a.sizes()[d];
  }
  return n;
}

void check_nonempty_dims(const char* op, const Tensor& a, const std::vector<bool>& mask) {
  for (size_t d = 0; d < mask.size(); ++d) {
    EMBER_CHECK(!mask[d] || a.sizes()[d] != 0, IndexError, "[", op, "] ", op, "(): Expected reduction dim ", d,
                " to have non-zero size.");
  }
}

}  // namespace detail_reduce

using namespace detail_reduce;

namespace {

// sum, nansum and prod: cast to dtype first; bool and integers give int64.
Tensor sum_like(const char* op, const DispatchStub<ReduceKernel>& stub, const Tensor& a, const OptDims& dims,
                bool keepdim, std::optional<DType> dtype) {
  Tensor x = dtype ? a.to(*dtype) : a;
  auto mask = reduction_mask(op, a.dim(), dims);
  DType out = is_integral(x.dtype(), true) ? DType::Int64 : x.dtype();
  Tensor r = run_reduction(op, stub, x, mask, out, keepdim, false).first;
  return (dtype && r.dtype() != *dtype) ? r.to(*dtype) : r;
}

DType mean_dtype(const char* op, const Tensor& a, std::optional<DType> dtype) {
  DType t = dtype ? *dtype : a.dtype();
  EMBER_CHECK(is_floating_point(t) || is_complex(t), RuntimeError, "[", op, "] ", op,
              "(): could not infer output dtype. ", dtype ? "Optional" : "Input",
              " dtype must be either a floating point or complex dtype. Got: ", torch_dtype_name(t));
  return t;
}

Tensor extreme_all(const char* op, const DispatchStub<ReduceKernel>& stub, const Tensor& a) {
  EMBER_CHECK(a.numel() > 0, RuntimeError, "[", op, "] ", op,
              "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
              "with the 'dim' argument.");
  std::vector<bool> mask(a.dim(), true);
  return run_reduction(op, stub, a, mask, a.dtype(), false, false).first;
}

std::pair<Tensor, Tensor> extreme_dim(const char* op, const DispatchStub<ReduceKernel>& stub, const Tensor& a,
                                      int64_t dim, bool keepdim) {
  auto mask = reduction_mask(op, a.dim(), DimVector{dim});
  check_nonempty_dims(op, a, mask);
  return run_reduction(op, stub, a, mask, a.dtype(), keepdim, true);
}

Tensor amax_like(const char* op, const DispatchStub<ReduceKernel>& stub, const Tensor& a, const OptDims& dims,
                 bool keepdim) {
  auto mask = reduction_mask(op, a.dim(), dims);
  check_nonempty_dims(op, a, mask);
  if (a.dim() == 0) {
    EMBER_CHECK(a.numel() > 0, IndexError, "[", op, "] ", op, "(): Expected reduction dim 0 to have non-zero size.");
  }
  return run_reduction(op, stub, a, mask, a.dtype(), keepdim, false).first;
}

Tensor arg_extreme(const char* op, const DispatchStub<ReduceKernel>& stub, const Tensor& a,
                   std::optional<int64_t> dim, bool keepdim) {
  if (!dim) {
    EMBER_CHECK(a.numel() > 0, RuntimeError, "[", op, "] ", op,
                "(): Expected reduction dim to be specified for input.numel() == 0.");
    Tensor idx = extreme_dim(op, stub, a.reshape({-1}), 0, false).second;
    return keepdim ? idx.view(DimVector(a.dim(), 1)) : idx;
  }
  return extreme_dim(op, stub, a, *dim, keepdim).second;
}

}  // namespace

namespace {
// The input's gradient of a sum-like reduction: the output's, broadcast back.
Tensor expand_reduced(const Tensor& g, const std::vector<bool>& mask, bool keepdim, const DimVector& sizes) {
  return restore_reduced(g, mask, keepdim).expand(sizes);
}

// Products of all elements but one along the reduced dims, without
// division (zeros allowed): exclusive cumulative products from both ends.
Tensor prod_of_others(const Tensor& a, const std::vector<bool>& mask) {
  DimVector perm, kept_sizes;
  int64_t r = 1;
  for (int64_t d = 0; d < a.dim(); ++d)
    if (!mask[d]) perm.push_back(d), kept_sizes.push_back(a.size(d));
  for (int64_t d = 0; d < a.dim(); ++d)
    if (mask[d]) perm.push_back(d), r *= a.size(d);
  if (r == 0) return zeros(a.sizes(), a.options());
  DimVector rows_shape = kept_sizes;
  rows_shape.push_back(r);
  Tensor rows = a.permute(perm).reshape(rows_shape);
  int64_t last = rows.dim() - 1;
  DimVector one_shape = kept_sizes;
  one_shape.push_back(1);
  Tensor ones_col = ones(one_shape, a.options());
  Tensor left = cumprod(cat({ones_col, rows.narrow(last, 0, r - 1)}, last), last);
  Tensor rrev = flip(rows, {last});
  Tensor right = flip(cumprod(cat({ones_col, rrev.narrow(last, 0, r - 1)}, last), last), {last});
  Tensor others = mul(left, right);
  DimVector permuted_sizes;
  for (int64_t d : perm) permuted_sizes.push_back(a.size(d));
  DimVector inverse(a.dim());
  for (int64_t i = 0; i < a.dim(); ++i) inverse[perm[i]] = i;
  return others.reshape(permuted_sizes).permute(inverse);
}

void record_sum(const char* name, const Tensor& a, const Tensor& out, const std::vector<bool>& mask, bool keepdim,
                bool nan_mask) {
  autograd::record(name, {a}, out, [&] {
    return [mask, keepdim, sizes = a.sizes(), sa = SavedVariable(nan_mask ? a : Tensor(), false)](
               BackwardCtx& ctx) -> variable_list {
      Tensor g = expand_reduced(ctx.grad(), mask, keepdim, sizes);
      if (sa.defined()) {
        Tensor x = ctx.unpack(sa);
        g = where(ne(x, x), Scalar(0.0), g);
      }
      return {g};
    };
  });
}
}  // namespace

Tensor sum(const Tensor& a, const OptDims& dims, bool keepdim, std::optional<DType> dtype) {
  Tensor out = sum_like("sum", sum_stub, a, dims, keepdim, dtype);
  record_sum(dims ? "SumBackward1" : "SumBackward0", a, out, reduction_mask("sum", a.dim(), dims), keepdim, false);
  return out;
}

Tensor nansum(const Tensor& a, const OptDims& dims, bool keepdim, std::optional<DType> dtype) {
  EMBER_CHECK(!is_complex(dtype ? *dtype : a.dtype()), RuntimeError,
              "[nansum] nansum does not support complex inputs");
  Tensor out = sum_like("nansum", nansum_stub, a, dims, keepdim, dtype);
  record_sum("NansumBackward0", a, out, reduction_mask("nansum", a.dim(), dims), keepdim, true);
  return out;
}

Tensor prod(const Tensor& a, const OptDims& dims, bool keepdim, std::optional<DType> dtype) {
  Tensor out = sum_like("prod", prod_stub, a, dims, keepdim, dtype);
  autograd::record(dims ? "ProdBackward1" : "ProdBackward0", {a}, out, [&] {
    return [mask = reduction_mask("prod", a.dim(), dims), keepdim, sa = SavedVariable(a, false)](
               BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(sa);
      if (x.dim() == 0) return {ctx.grad()};
      return {mul(restore_reduced(ctx.grad(), mask, keepdim), conj(prod_of_others(x, mask)))};
    };
  });
  return out;
}

Tensor mean(const Tensor& a, const OptDims& dims, bool keepdim, std::optional<DType> dtype) {
  DType t = mean_dtype("mean", a, dtype);
  auto mask = reduction_mask("mean", a.dim(), dims);
  double n = static_cast<double>(reduced_numel(a, mask));
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = div(sum_like("mean", sum_stub, a.to(t), dims, keepdim, std::nullopt), Scalar(n));
  }
  autograd::record("MeanBackward1", {a}, out, [&] {
    return [mask, keepdim, n, sizes = a.sizes()](BackwardCtx& ctx) -> variable_list {
      return {div(expand_reduced(ctx.grad(), mask, keepdim, sizes), Scalar(n))};
    };
  });
  return out;
}

Tensor nanmean(const Tensor& a, const OptDims& dims, bool keepdim, std::optional<DType> dtype) {
  DType t = dtype ? *dtype : a.dtype();
  EMBER_CHECK(is_floating_point(t), RuntimeError,
              "[nanmean] nanmean(): expected input to have floating point dtype but got ", torch_dtype_name(t));
  // A composite of differentiable ops: nansum / count of non-NaN elements.
  Tensor x = a.to(t);
  Tensor count;
  {
    autograd::NoGradGuard no_grad;
    count = sum_like("nanmean", sum_stub, eq(x, x), dims, keepdim, std::nullopt);
  }
  return div(nansum(x, dims, keepdim), count).to(t);
}

namespace {
// max(), min(), amax, amin: ties share the gradient evenly.
void record_extreme(const char* name, const Tensor& a, const Tensor& out, const std::vector<bool>& mask,
                    bool keepdim) {
  autograd::record(name, {a}, out, [&] {
    return [mask, keepdim, sa = SavedVariable(a, false), so = SavedVariable(out, true)](
               BackwardCtx& ctx) -> variable_list {
      return {evenly_distribute_backward(restore_reduced(ctx.grad(), mask, keepdim), ctx.unpack(sa),
                                         restore_reduced(ctx.unpack(so), mask, keepdim))};
    };
  });
}

// max(dim), min(dim): the gradient goes to the returned index.
void record_selecting(const char* name, const Tensor& a, const std::pair<Tensor, Tensor>& out, int64_t dim,
                      bool keepdim) {
  autograd::record(name, {a}, {out.first, out.second}, [&] {
    return [d = a.dim() == 0 ? 0 : wrap_dim(dim, a.dim(), name), keepdim, sizes = a.sizes(),
            si = SavedVariable(out.second, true, 1)](BackwardCtx& ctx) -> variable_list {
      return {value_selecting_backward(ctx.grad(0), d, ctx.unpack(si), sizes, keepdim)};
    };
  });
}
}  // namespace

Tensor max(const Tensor& a) {
  Tensor out = extreme_all("max", max_stub, a);
  record_extreme("MaxBackward1", a, out, std::vector<bool>(a.dim(), true), false);
  return out;
}
Tensor min(const Tensor& a) {
  Tensor out = extreme_all("min", min_stub, a);
  record_extreme("MinBackward1", a, out, std::vector<bool>(a.dim(), true), false);
  return out;
}
std::pair<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim) {
  auto out = extreme_dim("max", max_stub, a, dim, keepdim);
  record_selecting("MaxBackward0", a, out, dim, keepdim);
  return out;
}
std::pair<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim) {
  auto out = extreme_dim("min", min_stub, a, dim, keepdim);
  record_selecting("MinBackward0", a, out, dim, keepdim);
  return out;
}
Tensor amax(const Tensor& a, const OptDims& dims, bool keepdim) {
  Tensor out = amax_like("amax", max_stub, a, dims, keepdim);
  record_extreme("AmaxBackward0", a, out, reduction_mask("amax", a.dim(), dims), keepdim);
  return out;
}
Tensor amin(const Tensor& a, const OptDims& dims, bool keepdim) {
  Tensor out = amax_like("amin", min_stub, a, dims, keepdim);
  record_extreme("AminBackward0", a, out, reduction_mask("amin", a.dim(), dims), keepdim);
  return out;
}

std::pair<Tensor, Tensor> aminmax(const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
  if (!dim) {
    EMBER_CHECK(a.numel() > 0, RuntimeError,
                "[aminmax] aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                "identity.");
  }
  OptDims dims = dim ? OptDims(DimVector{*dim}) : OptDims();
  return {amin(a, dims, keepdim), amax(a, dims, keepdim)};
}

Tensor argmax(const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
  return arg_extreme("argmax", max_stub, a, dim, keepdim);
}
Tensor argmin(const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
  return arg_extreme("argmin", min_stub, a, dim, keepdim);
}

Tensor all(const Tensor& a, const OptDims& dims, bool keepdim) {
  auto mask = reduction_mask("all", a.dim(), dims);
  return run_reduction("all", all_stub, a, mask, DType::Bool, keepdim, false).first;
}

Tensor any(const Tensor& a, const OptDims& dims, bool keepdim) {
  auto mask = reduction_mask("any", a.dim(), dims);
  return run_reduction("any", any_stub, a, mask, DType::Bool, keepdim, false).first;
}

Tensor count_nonzero(const Tensor& a, const OptDims& dims) {
  auto mask = reduction_mask("count_nonzero", a.dim(), dims);
  return run_reduction("count_nonzero", sum_stub, ne(a, Scalar(int64_t(0))), mask, DType::Int64, false, false)
      .first;
}

}  // namespace ember
