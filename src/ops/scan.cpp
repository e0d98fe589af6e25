// Scans along one dim: cumsum, cumprod, cummax, cummin.
#include "ember/core/reduce_kernels.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"
#include "ember/ops/shape.h"
#include "ember/ops/creation.h"
#include "ember/ops/scatter.h"
#include "ember/ops/unary.h"
#include "grad_helpers.h"

namespace ember {

namespace {

// Kernels get a contiguous input and a fresh contiguous output of the same dtype.
Tensor scan(const char* op, const DispatchStub<ScanKernel>& stub, const Tensor& a, int64_t dim,
            std::optional<DType> dtype) {
  int64_t d = wrap_dim(dim, a.dim(), op);
  DType t = dtype ? *dtype : (is_integral(a.dtype(), true) ? DType::Int64 : a.dtype());
  Tensor x = a.to(t).contiguous();
  Tensor out = empty(a.sizes(), TensorOptions(t).device(a.device()));
  if (out.numel() > 0) stub(a.device().type)(out, Tensor(), x, a.dim() == 0 ? 0 : d);
  return out;
}

std::pair<Tensor, Tensor> scan_indexed(const char* op, const DispatchStub<ScanKernel>& stub, const Tensor& a,
                                       int64_t dim) {
  int64_t d = wrap_dim(dim, a.dim(), op);
  EMBER_CHECK(!is_complex(a.dtype()), RuntimeError, "[", op, "] ", op, " is not implemented for dtype ", dtype_name(a.dtype()));
  Tensor x = a.contiguous();
  Tensor out = empty(a.sizes(), TensorOptions(a.dtype()).device(a.device()));
  Tensor idx = empty(a.sizes(), TensorOptions(DType::Int64).device(a.device()));
  if (out.numel() > 0) stub(a.device().type)(out, idx, x, a.dim() == 0 ? 0 : d);
  return {out, idx};
}

}  // namespace

using namespace grad_helpers;

namespace {
// The sum of g over positions k >= i along d (a cumsum from the end).
Tensor reverse_cumsum(const Tensor& g, int64_t d) { return flip(cumsum(flip(g, {d}), d), {d}); }
}  // namespace

Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  Tensor out = scan("cumsum", cumsum_stub, a, dim, dtype);
  autograd::record("CumsumBackward0", {a}, out, [&] {
    return [d = a.dim() == 0 ? 0 : wrap_dim(dim, a.dim(), "cumsum")](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      return {g.dim() == 0 ? g : reverse_cumsum(g, d)};
    };
  });
  return out;
}

Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  Tensor out = scan("cumprod", cumprod_stub, a, dim, dtype);
  // d out_k / d a_i = out_k / a_i for k >= i. Inputs with zeros take the
  // slow exact path: each position's gradient from the products of the
  // others, one position at a time.
  autograd::record("CumprodBackward0", {a}, out, [&] {
    return [d = a.dim() == 0 ? 0 : wrap_dim(dim, a.dim(), "cumprod"), sa = SavedVariable(a, false),
            so = SavedVariable(out, true)](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(sa), y = ctx.unpack(so);
      const Tensor& g = ctx.grad();
      if (x.dim() == 0) return {g};
      bool has_zero;
      {
        autograd::NoGradGuard no_grad;
        has_zero = any(eq(x, Scalar(0.0))).item().to_bool();
      }
      if (!has_zero) return {div(reverse_cumsum(mul(g, conj(y)), d), conj(x))};
      int64_t n = x.size(d);
      std::vector<Tensor> parts;
      for (int64_t i = 0; i < n; ++i) {
        // out_k for k >= i with a_i replaced by 1, times g_k, summed.
        Tensor xi = cat({x.narrow(d, 0, i), ones_like(x.narrow(d, i, 1), x.options()), x.narrow(d, i + 1, n - i - 1)}, d);
        Tensor yi = cumprod(xi, d).narrow(d, i, n - i);
        parts.push_back(sum(mul(g.narrow(d, i, n - i), conj(yi)), DimVector{d}, true));
      }
      return {cat(parts, d)};
    };
  });
  return out;
}

namespace {
std::pair<Tensor, Tensor> cum_extreme(const char* op, const char* node, const DispatchStub<ScanKernel>& stub,
                                      const Tensor& a, int64_t dim) {
  auto out = scan_indexed(op, stub, a, dim);
  // Each output's gradient goes to the element its index points at.
  autograd::record(node, {a}, {out.first, out.second}, [&] {
    return [d = a.dim() == 0 ? 0 : wrap_dim(dim, a.dim(), op), sizes = a.sizes(),
            si = SavedVariable(out.second, true, 1)](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad(0);
      if (g.dim() == 0) return {g};
      return {scatter_add(zeros(sizes, g.options()), d, ctx.unpack(si), g)};
    };
  });
  return out;
}
}  // namespace

std::pair<Tensor, Tensor> cummax(const Tensor& a, int64_t dim) {
  return cum_extreme("cummax", "CummaxBackward0", cummax_stub, a, dim);
}
std::pair<Tensor, Tensor> cummin(const Tensor& a, int64_t dim) {
  return cum_extreme("cummin", "CumminBackward0", cummin_stub, a, dim);
}

}  // namespace ember
