// CPU loss kernels: cross entropy computes each sample's log-sum-exp once
// and takes the loss (and, backward, the softmax gradient) from it in the
// same pass; nll_loss picks the target's log-probability. Inputs (N, C, S):
// the classes of sample (n, s) are S apart. Sums run in double.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ember/core/nn_kernels.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

template <class F>
void float_or_double(DType t, F f) {
  if (t == DType::Float64) f.template operator()<double>();
  else f.template operator()<float>();
}

inline int64_t checked_target(int64_t t, int64_t C) {
  EMBER_CHECK(t >= 0 && t < C, IndexError, "Target ", t, " is out of bounds.");
  return t;
}

// log(sum(exp(x_c))) over the C classes at stride S.
template <class T>
double logsumexp(const T* x, int64_t C, int64_t S) {
  double mx = -std::numeric_limits<double>::infinity();
  for (int64_t c = 0; c < C; ++c) mx = std::max<double>(mx, x[c * S]);
  if (std::isinf(mx)) return mx;  // all -inf, or a +inf logit: the loss is nan or inf, as PyTorch
  double s = 0;
  for (int64_t c = 0; c < C; ++c) s += std::exp(double(x[c * S]) - mx);
  return mx + std::log(s);
}

// Runs f(i, n, s) for each sample i = n * S + s.
template <class F>
void for_samples(int64_t N, int64_t C, int64_t S, F f) {
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, 4 * C));
  parallel_for(0, N * S, grain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) f(i, i / S, i % S);
  });
}

template <class T>
void ce_t(const Tensor& loss, const Tensor& sample_weight, const Tensor& logits, const Tensor& target,
          const Tensor& weight, const LossOptions& o) {
  const int64_t N = logits.size(0), C = logits.size(1), S = logits.size(2);
  const T* x = logits.data_ptr<T>();
  const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
  T* l = loss.data_ptr<T>();
  T* sw = sample_weight.data_ptr<T>();
  const double eps = o.label_smoothing;
  if (o.prob_target) {
    const T* p = target.data_ptr<T>();
    for_samples(N, C, S, [&](int64_t i, int64_t n, int64_t s) {
      const T* xi = x + n * C * S + s;
      const T* pi = p + n * C * S + s;
      const double lse = logsumexp(xi, C, S);
      double acc = 0;
      for (int64_t c = 0; c < C; ++c) {
        const double tc = double(pi[c * S]) * (1 - eps) + eps / double(C);
        acc += (w ? double(w[c]) : 1.0) * tc * (lse - double(xi[c * S]));
      }
      l[i] = static_cast<T>(acc);
      sw[i] = T(1);
    });
    return;
  }
  const int64_t* tg = target.data_ptr<int64_t>();
  for_samples(N, C, S, [&](int64_t i, int64_t n, int64_t s) {
    const int64_t t = tg[i];
    if (t == o.ignore_index) {
      l[i] = T(0), sw[i] = T(0);
      return;
    }
    checked_target(t, C);
    const T* xi = x + n * C * S + s;
    const double lse = logsumexp(xi, C, S);
    const double wt = w ? double(w[t]) : 1.0;
    double v = wt * (lse - double(xi[t * S]));
    if (eps > 0) {
      double smooth = 0;
      for (int64_t c = 0; c < C; ++c) smooth += (w ? double(w[c]) : 1.0) * (lse - double(xi[c * S]));
      v = (1 - eps) * v + eps / double(C) * smooth;
    }
    l[i] = static_cast<T>(v);
    sw[i] = static_cast<T>(wt);
  });
}

template <class T>
void ce_backward_t(const Tensor& grad_logits, const Tensor& grad_loss, const Tensor& logits, const Tensor& target,
                   const Tensor& weight, const LossOptions& o) {
  const int64_t N = logits.size(0), C = logits.size(1), S = logits.size(2);
  const T* x = logits.data_ptr<T>();
  const T* g = grad_loss.data_ptr<T>();
  const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
  T* gx = grad_logits.data_ptr<T>();
  const double eps = o.label_smoothing;
  double wsum = double(C);
  if (w) {
    wsum = 0;
    for (int64_t c = 0; c < C; ++c) wsum += w[c];
  }
  const T* p = o.prob_target ? target.data_ptr<T>() : nullptr;
  const int64_t* tg = o.prob_target ? nullptr : target.data_ptr<int64_t>();
  for_samples(N, C, S, [&](int64_t i, int64_t n, int64_t s) {
    const T* xi = x + n * C * S + s;
    T* gi = gx + n * C * S + s;
    const double gv = g[i];
    if (tg && tg[i] == o.ignore_index) {
      for (int64_t c = 0; c < C; ++c) gi[c * S] = T(0);
      return;
    }
    const double lse = logsumexp(xi, C, S);
    if (p) {
      // d/dx_c of -sum_k w_k t_k log p_k = p_c * sum_k w_k t_k - w_c t_c.
      const T* pi = p + n * C * S + s;
      double wt_sum = 0;
      for (int64_t c = 0; c < C; ++c)
        wt_sum += (w ? double(w[c]) : 1.0) * (double(pi[c * S]) * (1 - eps) + eps / double(C));
      for (int64_t c = 0; c < C; ++c) {
        const double tc = double(pi[c * S]) * (1 - eps) + eps / double(C);
        const double pc = std::exp(double(xi[c * S]) - lse);
        gi[c * S] = static_cast<T>(gv * (pc * wt_sum - (w ? double(w[c]) : 1.0) * tc));
      }
      return;
    }
    const int64_t t = checked_target(tg[i], C);
    const double wt = w ? double(w[t]) : 1.0;
    for (int64_t c = 0; c < C; ++c) {
      const double pc = std::exp(double(xi[c * S]) - lse);
      double d = (1 - eps) * wt * (pc - (c == t ? 1.0 : 0.0));
      if (eps > 0) d += eps / double(C) * (wsum * pc - (w ? double(w[c]) : 1.0));
      gi[c * S] = static_cast<T>(gv * d);
    }
  });
}

template <class T>
void nll_t(const Tensor& loss, const Tensor& sample_weight, const Tensor& input, const Tensor& target,
           const Tensor& weight, int64_t ignore_index) {
  const int64_t N = input.size(0), C = input.size(1), S = input.size(2);
  const T* x = input.data_ptr<T>();
  const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
  const int64_t* tg = target.data_ptr<int64_t>();
  T* l = loss.data_ptr<T>();
  T* sw = sample_weight.data_ptr<T>();
  for_samples(N, 1, S, [&](int64_t i, int64_t n, int64_t s) {
    const int64_t t = tg[i];
    if (t == ignore_index) {
      l[i] = T(0), sw[i] = T(0);
      return;
    }
    checked_target(t, C);
    const T wt = w ? w[t] : T(1);
    l[i] = -wt * x[(n * C + t) * S + s];
    sw[i] = wt;
  });
}

template <class T>
void nll_backward_t(const Tensor& grad_input, const Tensor& grad_loss, const Tensor& target, const Tensor& weight,
                    int64_t ignore_index) {
  const int64_t N = grad_input.size(0), C = grad_input.size(1), S = grad_input.size(2);
  const T* g = grad_loss.data_ptr<T>();
  const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
  const int64_t* tg = target.data_ptr<int64_t>();
  T* gi = grad_input.data_ptr<T>();  // zeroed by the op
  for_samples(N, 1, S, [&](int64_t i, int64_t n, int64_t s) {
    const int64_t t = tg[i];
    if (t == ignore_index) return;
    checked_target(t, C);
    gi[(n * C + t) * S + s] = -(w ? w[t] : T(1)) * g[i];
  });
}

void ce_kernel(const Tensor& loss, const Tensor& sw, const Tensor& logits, const Tensor& target, const Tensor& weight,
               const LossOptions& o) {
  float_or_double(logits.dtype(), [&]<class T>() { ce_t<T>(loss, sw, logits, target, weight, o); });
}
void ce_backward_kernel(const Tensor& gl, const Tensor& g, const Tensor& logits, const Tensor& target,
                        const Tensor& weight, const LossOptions& o) {
  float_or_double(logits.dtype(), [&]<class T>() { ce_backward_t<T>(gl, g, logits, target, weight, o); });
}
void nll_kernel(const Tensor& loss, const Tensor& sw, const Tensor& input, const Tensor& target, const Tensor& weight,
                int64_t ignore_index) {
  float_or_double(input.dtype(), [&]<class T>() { nll_t<T>(loss, sw, input, target, weight, ignore_index); });
}
void nll_backward_kernel(const Tensor& gi, const Tensor& g, const Tensor& target, const Tensor& weight,
                         int64_t ignore_index) {
  float_or_double(gi.dtype(), [&]<class T>() { nll_backward_t<T>(gi, g, target, weight, ignore_index); });
}

}  // namespace

EMBER_REGISTER_KERNEL(cross_entropy_stub, CPU, &ce_kernel);
EMBER_REGISTER_KERNEL(cross_entropy_backward_stub, CPU, &ce_backward_kernel);
EMBER_REGISTER_KERNEL(nll_loss_stub, CPU, &nll_kernel);
EMBER_REGISTER_KERNEL(nll_loss_backward_stub, CPU, &nll_backward_kernel);

}  // namespace ember
