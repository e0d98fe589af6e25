// CPU normalisation kernels. Statistics accumulate in double (two passes:
// mean, then squared deviations) so float32 inputs keep their precision.
// Batch norm splits channels across threads; group norm splits (n, group)
// blocks, and its weight/bias gradients reduce per-(n, c) partials in a
// fixed order, so results never depend on the thread count.
#include <cmath>
#include <vector>

#include "ember/core/nn_kernels.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

template <class F>
void float_or_double(DType t, F f) {
  if (t == DType::Float64) f.template operator()<double>();
  else f.template operator()<float>();
}

template <class T>
const T* ptr_or_null(const Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}

int64_t grain_for(int64_t work) { return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, work)); }

// ---- batch norm: input (N, C, S)

template <class T>
void bn_stats_t(const Tensor& mean, const Tensor& var, const Tensor& input) {
  const int64_t N = input.size(0), C = input.size(1), S = input.size(2);
  const T* x = input.data_ptr<T>();
  T* m = mean.data_ptr<T>();
  T* v = var.data_ptr<T>();
  parallel_for(0, C, grain_for(N * S), [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      double s = 0;
      for (int64_t n = 0; n < N; ++n)
        for (int64_t i = 0; i < S; ++i) s += x[(n * C + c) * S + i];
      const double mu = s / double(N * S);
      double q = 0;
      for (int64_t n = 0; n < N; ++n)
        for (int64_t i = 0; i < S; ++i) {
          double d = x[(n * C + c) * S + i] - mu;
          q += d * d;
        }
      m[c] = static_cast<T>(mu);
      v[c] = static_cast<T>(q / double(N * S));
    }
  });
}

template <class T>
void bn_apply_t(const Tensor& out, const Tensor& input, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                const Tensor& bias) {
  const int64_t N = input.size(0), C = input.size(1), S = input.size(2);
  const T *x = input.data_ptr<T>(), *m = mean.data_ptr<T>(), *is = invstd.data_ptr<T>();
  const T *w = ptr_or_null<T>(weight), *b = ptr_or_null<T>(bias);
  T* y = out.data_ptr<T>();
  parallel_for(0, N * C, grain_for(S), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const int64_t c = r % C;
      const T scale = is[c] * (w ? w[c] : T(1));
      const T shift = (b ? b[c] : T(0)) - m[c] * scale;
      const T* xr = x + r * S;
      T* yr = y + r * S;
      for (int64_t i = 0; i < S; ++i) yr[i] = xr[i] * scale + shift;
    }
  });
}

template <class T>
void bn_backward_t(const Tensor& grad_input, const Tensor& grad_weight, const Tensor& grad_bias, const Tensor& grad_out,
                   const Tensor& input, const Tensor& mean, const Tensor& invstd, const Tensor& weight, bool training) {
  const int64_t N = input.size(0), C = input.size(1), S = input.size(2);
  const T *x = input.data_ptr<T>(), *g = grad_out.data_ptr<T>(), *m = mean.data_ptr<T>(), *is = invstd.data_ptr<T>();
  const T* w = ptr_or_null<T>(weight);
  T* gi = grad_input.defined() ? grad_input.data_ptr<T>() : nullptr;
  T* gw = grad_weight.defined() ? grad_weight.data_ptr<T>() : nullptr;
  T* gb = grad_bias.defined() ? grad_bias.data_ptr<T>() : nullptr;
  const double M = double(N * S);
  parallel_for(0, C, grain_for(N * S), [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      double sg = 0, sgx = 0;
      const double mu = m[c];
      for (int64_t n = 0; n < N; ++n)
        for (int64_t i = 0; i < S; ++i) {
          const int64_t k = (n * C + c) * S + i;
          sg += g[k];
          sgx += g[k] * (x[k] - mu);
        }
      const double istd = is[c], wc = w ? w[c] : 1.0;
      if (gw) gw[c] = static_cast<T>(sgx * istd);
      if (gb) gb[c] = static_cast<T>(sg);
      if (!gi) continue;
      if (training) {
        // d/dx of (x - mean) * invstd with the batch's mean and variance.
        const double k1 = wc * istd, mg = M > 0 ? sg / M : 0, proj = M > 0 ? sgx * istd * istd / M : 0;
        for (int64_t n = 0; n < N; ++n)
          for (int64_t i = 0; i < S; ++i) {
            const int64_t k = (n * C + c) * S + i;
            gi[k] = static_cast<T>(k1 * (g[k] - mg - (x[k] - mu) * proj));
          }
      } else {
        const T k1 = static_cast<T>(wc * istd);
        for (int64_t n = 0; n < N; ++n)
          for (int64_t i = 0; i < S; ++i) gi[(n * C + c) * S + i] = g[(n * C + c) * S + i] * k1;
      }
    }
  });
}

// ---- group norm: input (N, C, S), `groups` groups of C / groups channels.
// mean undefined: RMS norm (no centring).

template <class T>
void gn_t(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& input, const Tensor& weight,
          const Tensor& bias, int64_t G, double eps) {
  const int64_t N = input.size(0), C = input.size(1), S = input.size(2), Cg = C / G, D = Cg * S;
  const T* x = input.data_ptr<T>();
  const T *w = ptr_or_null<T>(weight), *b = ptr_or_null<T>(bias);
  T* y = out.data_ptr<T>();
  T* mp = mean.defined() ? mean.data_ptr<T>() : nullptr;
  T* rp = rstd.data_ptr<T>();
  const bool centre = mp != nullptr;
  parallel_for(0, N * G, grain_for(D), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const T* xr = x + r * D;
      T* yr = y + r * D;
      double mu = 0;
      if (centre) {
        for (int64_t i = 0; i < D; ++i) mu += xr[i];
        mu /= double(D);
      }
      double q = 0;
      for (int64_t i = 0; i < D; ++i) {
        double d = xr[i] - mu;
        q += d * d;
      }
      const double rs = 1.0 / std::sqrt(q / double(D) + eps);
      if (mp) mp[r] = static_cast<T>(mu);
      rp[r] = static_cast<T>(rs);
      const int64_t c0 = (r % G) * Cg;
      for (int64_t j = 0; j < Cg; ++j) {
        const double scale = rs * (w ? double(w[c0 + j]) : 1.0);
        const double shift = (b ? double(b[c0 + j]) : 0.0) - mu * scale;
        for (int64_t i = 0; i < S; ++i) yr[j * S + i] = static_cast<T>(xr[j * S + i] * scale + shift);
      }
    }
  });
}

template <class T>
void gn_backward_t(const Tensor& grad_input, const Tensor& grad_weight, const Tensor& grad_bias, const Tensor& grad_out,
                   const Tensor& input, const Tensor& mean, const Tensor& rstd, const Tensor& weight, int64_t G) {
  const int64_t N = input.size(0), C = input.size(1), S = input.size(2), Cg = C / G, D = Cg * S;
  const T *x = input.data_ptr<T>(), *g = grad_out.data_ptr<T>(), *rp = rstd.data_ptr<T>();
  const T* mp = mean.defined() ? mean.data_ptr<T>() : nullptr;
  const T* w = ptr_or_null<T>(weight);
  T* gi = grad_input.defined() ? grad_input.data_ptr<T>() : nullptr;
  const bool want_wb = grad_weight.defined() || grad_bias.defined();
  // Per (n, c): sum g * xhat and sum g, reduced over n afterwards.
  std::vector<double> part_gx(want_wb ? N * C : 0), part_g(want_wb ? N * C : 0);
  parallel_for(0, N * G, grain_for(D), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const T *xr = x + r * D, *gr = g + r * D;
      const double mu = mp ? double(mp[r]) : 0.0, rs = rp[r];
      const int64_t n = r / G, c0 = (r % G) * Cg;
      double swg = 0, swgx = 0;  // sums of w*g and w*g*xhat over the group
      for (int64_t j = 0; j < Cg; ++j) {
        const double wc = w ? double(w[c0 + j]) : 1.0;
        double sg = 0, sgx = 0;
        for (int64_t i = 0; i < S; ++i) {
          const double xh = (xr[j * S + i] - mu) * rs;
          sg += gr[j * S + i];
          sgx += gr[j * S + i] * xh;
        }
        if (want_wb) part_g[n * C + c0 + j] = sg, part_gx[n * C + c0 + j] = sgx;
        swg += wc * sg;
        swgx += wc * sgx;
      }
      if (!gi) continue;
      // gi = rstd * (w g - mean(w g) - xhat * mean(w g xhat)); RMS drops the mean(w g) term.
      const double mwg = mp ? swg / double(D) : 0.0, mwgx = swgx / double(D);
      T* gir = gi + r * D;
      for (int64_t j = 0; j < Cg; ++j) {
        const double wc = w ? double(w[c0 + j]) : 1.0;
        for (int64_t i = 0; i < S; ++i) {
          const double xh = (xr[j * S + i] - mu) * rs;
          gir[j * S + i] = static_cast<T>(rs * (wc * gr[j * S + i] - mwg - xh * mwgx));
        }
      }
    }
  });
  if (!want_wb) return;
  T* gw = grad_weight.defined() ? grad_weight.data_ptr<T>() : nullptr;
  T* gb = grad_bias.defined() ? grad_bias.data_ptr<T>() : nullptr;
  parallel_for(0, C, grain_for(N), [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      double sgx = 0, sg = 0;
      for (int64_t n = 0; n < N; ++n) sgx += part_gx[n * C + c], sg += part_g[n * C + c];
      if (gw) gw[c] = static_cast<T>(sgx);
      if (gb) gb[c] = static_cast<T>(sg);
    }
  });
}

void bn_stats_kernel(const Tensor& mean, const Tensor& var, const Tensor& input) {
  float_or_double(input.dtype(), [&]<class T>() { bn_stats_t<T>(mean, var, input); });
}
void bn_apply_kernel(const Tensor& out, const Tensor& input, const Tensor& mean, const Tensor& invstd,
                     const Tensor& weight, const Tensor& bias) {
  float_or_double(input.dtype(), [&]<class T>() { bn_apply_t<T>(out, input, mean, invstd, weight, bias); });
}
void bn_backward_kernel(const Tensor& gi, const Tensor& gw, const Tensor& gb, const Tensor& go, const Tensor& input,
                        const Tensor& mean, const Tensor& invstd, const Tensor& weight, bool training) {
  float_or_double(input.dtype(),
                  [&]<class T>() { bn_backward_t<T>(gi, gw, gb, go, input, mean, invstd, weight, training); });
}
void gn_kernel(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& input, const Tensor& weight,
               const Tensor& bias, int64_t groups, double eps) {
  float_or_double(input.dtype(), [&]<class T>() { gn_t<T>(out, mean, rstd, input, weight, bias, groups, eps); });
}
void gn_backward_kernel(const Tensor& gi, const Tensor& gw, const Tensor& gb, const Tensor& go, const Tensor& input,
                        const Tensor& mean, const Tensor& rstd, const Tensor& weight, int64_t groups) {
  float_or_double(input.dtype(),
                  [&]<class T>() { gn_backward_t<T>(gi, gw, gb, go, input, mean, rstd, weight, groups); });
}

}  // namespace

EMBER_REGISTER_KERNEL(batch_norm_stats_stub, CPU, &bn_stats_kernel);
EMBER_REGISTER_KERNEL(batch_norm_apply_stub, CPU, &bn_apply_kernel);
EMBER_REGISTER_KERNEL(batch_norm_backward_stub, CPU, &bn_backward_kernel);
EMBER_REGISTER_KERNEL(group_norm_stub, CPU, &gn_kernel);
EMBER_REGISTER_KERNEL(group_norm_backward_stub, CPU, &gn_backward_kernel);

}  // namespace ember
