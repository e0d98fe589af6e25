// Statistics composed from the basic reductions: var, std, var_mean,
// std_mean, logsumexp and vector norms.
#include <cmath>
#include <limits>

#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"

namespace ember {

using namespace detail_reduce;

namespace {

// Two passes (mean, then the sum of squared deviations): accurate without
// Welford's per-element divisions. Complex inputs give real variances.
std::pair<Tensor, Tensor> var_mean_impl(const char* op, const Tensor& a, const OptDims& dims,
                                        std::optional<double> correction, bool keepdim) {
  EMBER_CHECK(is_floating_point(a.dtype()) || is_complex(a.dtype()), RuntimeError, "[", op,
              "] std and var only support floating point and complex dtypes, got ", dtype_name(a.dtype()));
  auto mask = reduction_mask(op, a.dim(), dims);
  double n = static_cast<double>(reduced_numel(a, mask));
  Tensor m = mean(a, dims, true);
  Tensor d = sub(a, m);
  Tensor sq = is_complex(a.dtype()) ? [&] { Tensor ad = abs(d); return mul(ad, ad); }() : mul(d, d);
  double denom = std::max(0.0, n - correction.value_or(1.0));
  Tensor v = div(sum(sq, dims, keepdim), Scalar(denom));
  if (!keepdim) m = m.view(reduced_shape(a.sizes(), mask, false));
  return {v, m};
}

}  // namespace

Tensor var(const Tensor& a, const OptDims& dims, std::optional<double> correction, bool keepdim) {
  return var_mean_impl("var", a, dims, correction, keepdim).first;
}

Tensor std_dev(const Tensor& a, const OptDims& dims, std::optional<double> correction, bool keepdim) {
  return sqrt(var_mean_impl("std", a, dims, correction, keepdim).first);
}

std::pair<Tensor, Tensor> var_mean(const Tensor& a, const OptDims& dims, std::optional<double> correction,
                                   bool keepdim) {
  return var_mean_impl("var_mean", a, dims, correction, keepdim);
}

std::pair<Tensor, Tensor> std_mean(const Tensor& a, const OptDims& dims, std::optional<double> correction,
                                   bool keepdim) {
  auto [v, m] = var_mean_impl("std_mean", a, dims, correction, keepdim);
  return {sqrt(v), m};
}

Tensor logsumexp(const Tensor& a, const DimVector& dims, bool keepdim) {
  Tensor x = is_integral(a.dtype(), true) ? a.to(get_default_dtype()) : a;
  EMBER_CHECK(is_floating_point(x.dtype()), TypeError, "[logsumexp] not implemented for dtype ",
              dtype_name(x.dtype()));
  auto mask = reduction_mask("logsumexp", x.dim(), dims);
  if (x.numel() == 0) return log(sum(exp(x), dims, keepdim));  // -inf over empty dims
  // Shift by the max so exp cannot overflow; an infinite max shifts by 0
  // (inf - inf would be nan).
  // The shift cancels in the gradient: keep it out of the graph.
  Tensor m = amax(x, dims, true).detach().contiguous();
  dispatch_floating(m.dtype(), "logsumexp", [&]<class T>() {
    T* p = m.data_ptr<T>();
    for (int64_t i = 0; i < m.numel(); ++i) {
      if (!std::isfinite(static_cast<float>(p[i]) )) p[i] = T(0.0f);
    }
  });
  Tensor r = add(log(sum(exp(sub(x, m)), dims, true)), m);
  return keepdim ? r : r.view(reduced_shape(x.sizes(), mask, false));
}

Tensor norm(const Tensor& a, double p, const OptDims& dims, bool keepdim, std::optional<DType> dtype) {
  Tensor x = dtype ? a.to(*dtype) : a;
  EMBER_CHECK(is_floating_point(x.dtype()) || is_complex(x.dtype()), RuntimeError,
              "[norm] norm(): input dtype should be either floating point or complex. Got ",
              torch_dtype_name(x.dtype()), " instead.");
  Tensor ax = abs(x);  // real
  if (std::isinf(p)) {
    auto mask = reduction_mask("norm", x.dim(), dims);
    check_nonempty_dims("norm", x, mask);
    return p > 0 ? amax(ax, dims, keepdim) : amin(ax, dims, keepdim);
  }
  if (p == 0) return sum(ne(ax, Scalar(int64_t(0))), dims, keepdim).to(ax.dtype());
  if (p == 1) return sum(ax, dims, keepdim);
  if (p == 2) return sqrt(sum(mul(ax, ax), dims, keepdim));
  // Exponents as 0-dim tensors of the input's dtype: a Python-number operand
  // is currently rounded to the default dtype (see the report on binary.cpp).
  auto exponent = [&](double e) { return full({}, Scalar(e), TensorOptions(ax.dtype()).device(ax.device())); };
  return pow(sum(pow(ax, exponent(p)), dims, keepdim), exponent(1.0 / p));
}

}  // namespace ember
