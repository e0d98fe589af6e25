// Order statistics: median, nanmedian, mode, quantile, nanquantile. The
// reduced dim is moved last and the input copied into contiguous rows; the
// kernels work row by row.
#include <cmath>

#include "ember/ops/creation.h"
#include "ember/ops/reduce.h"
#include "ember/autograd/engine.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/scatter.h"
#include "ember/ops/shape.h"
#include "ember/ops/sort.h"
#include "ember/ops/unary.h"
#include "grad_helpers.h"

namespace ember {

using namespace detail_reduce;

namespace {

// a as contiguous [rows, size(dim)] with the other dims in order.
Tensor to_rows(const Tensor& a, int64_t d) {
  if (a.dim() == 0) return a.reshape({1, 1});
  DimVector perm;
  for (int64_t i = 0; i < a.dim(); ++i) {
    if (i != d) perm.push_back(i);
  }
  perm.push_back(d);
  int64_t n = a.sizes()[d];
  return a.permute(perm).reshape({a.numel() / n, n}).contiguous();
}

DimVector result_shape(const Tensor& a, int64_t d, bool keepdim) {
  std::vector<bool> mask(a.dim(), false);
  if (a.dim() > 0) mask[d] = true;
  return reduced_shape(a.sizes(), mask, keepdim);
}

std::pair<Tensor, Tensor> median_dim(const char* op, const Tensor& a, int64_t dim, bool keepdim, bool ignore_nan) {
  int64_t d = wrap_dim(dim, a.dim(), op);
  EMBER_CHECK(!is_complex(a.dtype()), RuntimeError, "[", op, "] ", op, "() is not implemented for dtype ", dtype_name(a.dtype()));
  EMBER_CHECK(a.dtype() != DType::Bool, TypeError, "[", op, "] not implemented for dtype bool");
  if (a.dim() > 0) check_nonempty_dims(op, a, [&] { std::vector<bool> m(a.dim()); m[d] = true; return m; }());
  DimVector shape = result_shape(a, d, keepdim);
  Tensor values = empty(shape, TensorOptions(a.dtype()).device(a.device()));
  Tensor indices = empty(shape, TensorOptions(DType::Int64).device(a.device()));
  if (values.numel() > 0) median_stub(a.device().type)(values, indices, to_rows(a, d), ignore_nan);
  return {values, indices};
}

Tensor median_all(const char* op, const Tensor& a, bool ignore_nan) {
  EMBER_CHECK(!is_complex(a.dtype()), RuntimeError, "[", op, "] ", op, "() is not implemented for dtype ",
              dtype_name(a.dtype()));
  EMBER_CHECK(a.dtype() != DType::Bool, TypeError, "[", op, "] not implemented for dtype bool");
  if (a.numel() == 0) return full({}, Scalar(std::nan("")), TensorOptions(a.dtype()).device(a.device()));
  return median_dim(op, a.reshape({-1}), 0, false, ignore_nan).first;
}

QuantileInterpolation parse_interpolation(const char* op, std::string_view s) {
  if (s == "linear") return QuantileInterpolation::Linear;
  if (s == "lower") return QuantileInterpolation::Lower;
  if (s == "higher") return QuantileInterpolation::Higher;
  if (s == "midpoint") return QuantileInterpolation::Midpoint;
  if (s == "nearest") return QuantileInterpolation::Nearest;
  EMBER_THROW(RuntimeError, "[", op, "] ", op,
              "() interpolation must be one of linear, lower, higher, midpoint or nearest. Got ", s);
}

Tensor quantile_impl(const char* op, const Tensor& a, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                     std::string_view interpolation, bool ignore_nan) {
  EMBER_CHECK(a.numel() > 0, RuntimeError, "[", op, "] ", op, "() input tensor must be non-empty");
  EMBER_CHECK(q.dim() <= 1, RuntimeError, "[", op, "] ", op, "() q must be a scalar or 1D tensor");
  EMBER_CHECK(a.dtype() == DType::Float32 || a.dtype() == DType::Float64, RuntimeError, "[", op, "] ", op,
              "() input tensor must be either float or double dtype, got ", dtype_name(a.dtype()));
  EMBER_CHECK(q.dtype() == a.dtype(), RuntimeError, "[", op, "] ", op,
              "() q tensor must be same dtype as the input tensor (", dtype_name(q.dtype()), " vs ",
              dtype_name(a.dtype()), ")");
  QuantileInterpolation mode = parse_interpolation(op, interpolation);
  Tensor qd = q.to(DType::Float64).contiguous();
  std::vector<double> qs(qd.data_ptr<double>(), qd.data_ptr<double>() + qd.numel());
  for (double v : qs) {
    EMBER_CHECK(v >= 0 && v <= 1, RuntimeError, "[", op, "] ", op, "() q values must be in the range [0, 1]");
  }
  Tensor x = dim ? a : a.reshape({-1});
  int64_t d = dim ? wrap_dim(*dim, a.dim(), op) : 0;
  if (dim && a.dim() > 0) {
    std::vector<bool> m(a.dim());
    m[d] = true;
    check_nonempty_dims(op, a, m);
  }
  DimVector shape = result_shape(x, d, dim ? keepdim : false);
  if (!dim && keepdim) shape = DimVector(a.dim(), 1);
  Tensor rows = to_rows(x, d);
  int64_t m = rows.sizes()[0];
  Tensor out = empty({static_cast<int64_t>(qs.size()), m}, TensorOptions(a.dtype()).device(a.device()));
  if (out.numel() > 0) quantile_stub(a.device().type)(out, rows, qs, mode, ignore_nan);
  DimVector full_shape;
  if (q.dim() == 1) full_shape.push_back(static_cast<int64_t>(qs.size()));
  for (int64_t s : shape) full_shape.push_back(s);
  return out.view(full_shape);
}

}  // namespace

using namespace grad_helpers;

namespace {
// median() and nanmedian(): ties share the gradient (as PyTorch).
Tensor median_all_recorded(const char* op, const char* node, const Tensor& a, bool ignore_nan) {
  Tensor out = median_all(op, a, ignore_nan);
  autograd::record(node, {a}, out, [&] {
    return [sa = SavedVariable(a, false), so = SavedVariable(out, true)](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(sa);
      DimVector ones_shape(x.dim(), 1);
      return {evenly_distribute_backward(ctx.grad().reshape(ones_shape), x, ctx.unpack(so).reshape(ones_shape))};
    };
  });
  return out;
}

// median(dim), nanmedian(dim), mode(dim): the gradient goes to the index.
std::pair<Tensor, Tensor> record_dim_pick(const char* node, const Tensor& a, int64_t dim, bool keepdim,
                                          std::pair<Tensor, Tensor> out) {
  autograd::record(node, {a}, {out.first, out.second}, [&] {
    return [d = a.dim() == 0 ? 0 : wrap_dim(dim, a.dim(), node), keepdim, sizes = a.sizes(),
            si = SavedVariable(out.second, true, 1)](BackwardCtx& ctx) -> variable_list {
      return {value_selecting_backward(ctx.grad(0), d, ctx.unpack(si), sizes, keepdim)};
    };
  });
  return out;
}
}  // namespace

Tensor median(const Tensor& a) { return median_all_recorded("median", "MedianBackward0", a, false); }
Tensor nanmedian(const Tensor& a) { return median_all_recorded("nanmedian", "NanmedianBackward0", a, true); }
std::pair<Tensor, Tensor> median(const Tensor& a, int64_t dim, bool keepdim) {
  return record_dim_pick("MedianBackward1", a, dim, keepdim, median_dim("median", a, dim, keepdim, false));
}
std::pair<Tensor, Tensor> nanmedian(const Tensor& a, int64_t dim, bool keepdim) {
  return record_dim_pick("NanmedianBackward1", a, dim, keepdim, median_dim("nanmedian", a, dim, keepdim, true));
}

std::pair<Tensor, Tensor> mode(const Tensor& a, int64_t dim, bool keepdim) {
  int64_t d = wrap_dim(dim, a.dim(), "mode");
  EMBER_CHECK(!is_complex(a.dtype()), RuntimeError, "[mode] mode() is not implemented for dtype ",
              dtype_name(a.dtype()));
  if (a.dim() > 0) {
    std::vector<bool> m(a.dim());
    m[d] = true;
    check_nonempty_dims("mode", a, m);
  }
  DimVector shape = result_shape(a, d, keepdim);
  Tensor values = empty(shape, TensorOptions(a.dtype()).device(a.device()));
  Tensor indices = empty(shape, TensorOptions(DType::Int64).device(a.device()));
  if (values.numel() > 0) mode_stub(a.device().type)(values, indices, to_rows(a, d));
  return record_dim_pick("ModeBackward0", a, dim, keepdim, {values, indices});
}

namespace {
// The quantiles of x as a composition of differentiable ops (sort, gather,
// lerp), in out's shape: how quantile differentiates (the kernel computes
// the same values faster).
Tensor quantile_composite(const Tensor& x_in, const std::vector<double>& qs, std::optional<int64_t> dim,
                          std::string_view interpolation, bool ignore_nan, const DimVector& out_sizes) {
  Tensor x = dim ? x_in : x_in.reshape({-1});
  int64_t d = dim ? wrap_dim(*dim, x_in.dim(), "quantile") : 0;
  if (x.dim() == 0) x = x.reshape({1}), d = 0;
  Tensor sorted = std::get<0>(sort(x, d));  // NaN sorts last
  DimVector row_shape = x.sizes();
  row_shape[d] = 1;
  Tensor last = ignore_nan ? sub(sum(logical_not(isnan(x)), DimVector{d}, true).to(DType::Float64), Scalar(1.0))
                           : full(row_shape, Scalar(double(x.size(d) - 1)), TensorOptions(DType::Float64));
  std::vector<Tensor> parts;
  for (double q : qs) {
    Tensor pos = clamp_min(mul(last, Scalar(q)), Scalar(0.0));
    auto pick = [&](const Tensor& p) { return gather(sorted, d, p.to(DType::Int64)); };
    Tensor lo = floor(pos), hi = ceil(pos);
    Tensor v;
    if (interpolation == "lower") v = pick(lo);
    else if (interpolation == "higher") v = pick(hi);
    else if (interpolation == "nearest") v = pick(round(pos));
    else if (interpolation == "midpoint") v = mul(add(pick(lo), pick(hi)), Scalar(0.5));
    else v = lerp(pick(lo), pick(hi), sub(pos, lo).to(x.dtype()));
    parts.push_back(v);
  }
  return stack(parts, 0).reshape(out_sizes);
}

Tensor quantile_recorded(const char* op, const Tensor& a, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                         std::string_view interpolation, bool ignore_nan) {
  Tensor out = quantile_impl(op, a, q, dim, keepdim, interpolation, ignore_nan);
  autograd::record(ignore_nan ? "NanquantileBackward0" : "QuantileBackward0", {a}, out, [&] {
    Tensor qd = q.to(DType::Float64).contiguous();
    std::vector<double> qs(qd.data_ptr<double>(), qd.data_ptr<double>() + qd.numel());
    return [sa = SavedVariable(a, false), qs, dim, interp = std::string(interpolation), ignore_nan,
            out_sizes = out.sizes()](BackwardCtx& ctx) -> variable_list {
      // Differentiate the composite in a graph of its own.
      Tensor x = ctx.unpack(sa).detach();
      x.set_requires_grad(true);
      Tensor y;
      {
        autograd::AutoGradMode on(true);
        y = quantile_composite(x, qs, dim, interp, ignore_nan, out_sizes);
      }
      return autograd::grad({y}, {x}, {ctx.grad()}, std::nullopt, autograd::GradMode::is_enabled(), true);
    };
  });
  return out;
}
}  // namespace

Tensor quantile(const Tensor& a, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                std::string_view interpolation) {
  return quantile_recorded("quantile", a, q, dim, keepdim, interpolation, false);
}
Tensor nanquantile(const Tensor& a, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                   std::string_view interpolation) {
  return quantile_recorded("nanquantile", a, q, dim, keepdim, interpolation, true);
}

}  // namespace ember
