// The fused optimizer updates (include/ember/optim/update_kernels.h). Each
// kernel is one loop over the parameter's elements; the per-element
// arithmetic mirrors PyTorch's single-tensor code line by line (the comments
// name the PyTorch op each line stands for), in float64 for float64
// parameters and float32 for the others.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <type_traits>

#include "ember/core/dtype.h"
#include "ember/core/error.h"
#include "ember/core/half.h"
#include "ember/core/parallel.h"
#include "ember/optim/update_kernels.h"
#include "param_write.h"

namespace ember::optim::detail {

namespace {

// About ten flops per element: below this many elements one thread wins.
constexpr int64_t kOptimGrain = 16384;

template <class T>
using compute_t = std::conditional_t<std::is_same_v<T, double>, double, float>;

// torch.lerp's formula: exact at both ends for any weight.
template <class C>
inline C lerp(C self, C end, C weight) {
  return std::abs(weight) < C(0.5) ? self + weight * (end - self)
                                   : end - (end - self) * (C(1) - weight);
}

// The parameter and gradient as contiguous buffers of the parameter's dtype.
// A non-contiguous parameter is updated in a contiguous copy that finish()
// writes back; otherwise finish() bumps the version counter as in-place ops
// do. Nothing goes through an op that could record autograd
// (param_write.h).
class UpdateTarget {
 public:
  UpdateTarget(const char* op, const Tensor& param, const Tensor& grad,
               std::initializer_list<const Tensor*> state)
      : param_(param) {
    EMBER_CHECK(param.defined(), ValueError, "[", op, "] the parameter is undefined");
    EMBER_CHECK(param.is_cpu(), NotImplementedError, "[", op,
                "] optimizer updates run on the CPU only; the parameter is on ", param.device().str());
    EMBER_CHECK(param.dtype() == DType::Float16 || param.dtype() == DType::BFloat16 ||
                    param.dtype() == DType::Float32 || param.dtype() == DType::Float64,
                TypeError, "[", op, "] parameters must be floating point (float16, bfloat16, float32 "
                "or float64), got ", dtype_name(param.dtype()));
    EMBER_CHECK(grad.defined(), ValueError, "[", op, "] the parameter has no gradient");
    EMBER_CHECK(grad.sizes() == param.sizes(), RuntimeError, "[", op, "] gradient of shape ",
                shape_str(grad.sizes()), " does not match the parameter's shape ", shape_str(param.sizes()));
    EMBER_CHECK(grad.is_cpu(), RuntimeError, "[", op, "] the gradient is on ", grad.device().str(),
                " but the parameter is on the CPU");
    for (const Tensor* s : state) {
      if (!s) continue;
      EMBER_CHECK(s->defined(), ValueError, "[", op, "] a state buffer is undefined");
      EMBER_CHECK(s->sizes() == param.sizes() && s->dtype() == param.dtype() && s->is_cpu() &&
                      s->is_contiguous(),
                  RuntimeError, "[", op, "] state buffers must be contiguous CPU tensors with the "
                  "parameter's shape ", shape_str(param.sizes()), " and dtype ", dtype_name(param.dtype()),
                  ", got shape ", shape_str(s->sizes()), " and dtype ", dtype_name(s->dtype()));
    }
    work_ = param.is_contiguous() ? param : contiguous_values(param);
    Tensor g = grad.detach();
    grad_ = g.dtype() == param.dtype() ? g.contiguous() : g.to(param.dtype()).contiguous();
  }
  const Tensor& work() const { return work_; }
  const Tensor& grad() const { return grad_; }
  int64_t numel() const { return work_.numel(); }
  void finish() {
    if (work_.is_same(param_)) param_.bump_version();
    else write_param(param_, work_);
  }

 private:
  static std::string shape_str(const DimVector& s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
  }
  Tensor param_, work_, grad_;
};

template <class T>
T* buf(const Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}

// Runs body(p, g, i) over every element in parallel; p and g are typed
// pointers to the parameter and gradient.
template <class T, class Body>
void for_each_element(UpdateTarget& u, const Body& body) {
  T* p = u.work().template data_ptr<T>();
  const T* g = u.grad().template data_ptr<T>();
  parallel_for(0, u.numel(), kOptimGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) body(p, g, i);
  });
}

}  // namespace

// Note [Vectorized updates]
// SGD is the one update whose per-element work (a few flops) is smaller than
// a scalar loop's overhead, and the MLP benchmark spends ~10% of a step in
// it. Its options are loop invariants written as selects, not branches, and
// the arrays are __restrict, so the compiler vectorizes the loop (float and
// double; half types convert per element). A select keeps the exact value of
// the untaken side out of the result, so e.g. weight_decay 0 with an inf
// parameter still gives PyTorch's answer.
template <class T, bool Momentum>
void sgd_loop(T* __restrict p, const T* __restrict g, T* __restrict b, int64_t n, bool first_step, double lr,
              double momentum, double dampening, double weight_decay, bool nesterov, bool maximize) {
  using C = compute_t<T>;
  const C c_lr = C(lr), c_mom = C(momentum), c_damp = C(1 - dampening), c_wd = C(weight_decay);
  const bool wd = weight_decay != 0;
  for (int64_t i = 0; i < n; ++i) {
    C gi = C(g[i]);
    gi = maximize ? -gi : gi;
    const C pi = C(p[i]);
    gi = wd ? gi + c_wd * pi : gi;                           // grad.add(param, alpha=wd)
    if constexpr (Momentum) {
      const C bi = first_step ? gi : c_mom * C(b[i]) + c_damp * gi;  // buf.mul_(m).add_(g, 1-damp)
      const T bt = T(bi);
      b[i] = bt;
      gi = nesterov ? gi + c_mom * C(bt) : C(bt);            // grad.add(buf, alpha=m)
    }
    p[i] = T(pi - c_lr * gi);                                // param.add_(grad, alpha=-lr)
  }
}

void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                bool first_step, double lr, double momentum, double dampening, double weight_decay,
                bool nesterov, bool maximize) {
  UpdateTarget u("sgd", param, grad, {momentum != 0 ? &momentum_buffer : nullptr});
  dispatch_floating(param.dtype(), "sgd", [&]<class T>() {
    T* p = u.work().template data_ptr<T>();
    const T* g = u.grad().template data_ptr<T>();
    T* b = momentum != 0 ? buf<T>(momentum_buffer) : nullptr;
    parallel_for(0, u.numel(), kOptimGrain, [&](int64_t begin, int64_t end) {
      if (momentum != 0)
        sgd_loop<T, true>(p + begin, g + begin, b + begin, end - begin, first_step, lr, momentum, dampening,
                          weight_decay, nesterov, maximize);
      else
        sgd_loop<T, false>(p + begin, g + begin, nullptr, end - begin, first_step, lr, momentum, dampening,
                           weight_decay, nesterov, maximize);
    });
  });
  u.finish();
}

// Adam's loop in the form of Note [Vectorized updates].
template <class T, bool Amsgrad>
void adam_loop(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, T* __restrict vmax,
               int64_t n, double lr, double beta1, double beta2, double eps, double weight_decay, bool maximize,
               bool decoupled, double step_size, double bias_correction2_sqrt) {
  using C = compute_t<T>;
  const C decay = C(1 - lr * weight_decay), c_wd = C(weight_decay), w1 = C(1 - beta1), c_b2 = C(beta2),
          w2 = C(1 - beta2), c_bc2 = C(bias_correction2_sqrt), c_eps = C(eps), c_step = C(-step_size);
  const bool wd = weight_decay != 0, wd_decoupled = wd && decoupled, wd_l2 = wd && !decoupled;
  for (int64_t i = 0; i < n; ++i) {
    C gi = C(g[i]);
    gi = maximize ? -gi : gi;
    C pi = C(p[i]);
    pi = wd_decoupled ? C(T(pi * decay)) : pi;           // param.mul_(1 - lr*wd)
    gi = wd_l2 ? gi + c_wd * pi : gi;                    // grad.add(param, alpha=wd)
    const C mi = C(T(lerp(C(m[i]), gi, w1)));           // exp_avg.lerp_(grad, 1-beta1)
    const C vi = C(T(c_b2 * C(v[i]) + w2 * gi * gi));   // exp_avg_sq.mul_(b2).addcmul_(g, g, 1-b2)
    m[i] = T(mi);
    v[i] = T(vi);
    C denom_src = vi;
    if constexpr (Amsgrad) {
      denom_src = std::max(C(vmax[i]), vi);             // torch.maximum(max_exp_avg_sq, exp_avg_sq)
      vmax[i] = T(denom_src);
    }
    const C denom = std::sqrt(denom_src) / c_bc2 + c_eps;
    p[i] = T(pi + c_step * mi / denom);                 // param.addcdiv_(exp_avg, denom, -step_size)
  }
}

void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                 const Tensor& exp_avg_sq, const Tensor& max_exp_avg_sq, int64_t step, double lr,
                 double beta1, double beta2, double eps, double weight_decay, bool amsgrad,
                 bool maximize, bool decoupled) {
  const char* op = decoupled ? "adamw" : "adam";
  EMBER_CHECK(step >= 1, ValueError, "[", op, "] step must be at least 1, got ", step);
  UpdateTarget u(op, param, grad, {&exp_avg, &exp_avg_sq, amsgrad ? &max_exp_avg_sq : nullptr});
  const double bias_correction1 = 1 - std::pow(beta1, double(step));
  const double bias_correction2 = 1 - std::pow(beta2, double(step));
  const double step_size = lr / bias_correction1;
  const double bias_correction2_sqrt = std::sqrt(bias_correction2);
  dispatch_floating(param.dtype(), op, [&]<class T>() {
    T* p = u.work().template data_ptr<T>();
    const T* g = u.grad().template data_ptr<T>();
    T* m = buf<T>(exp_avg);
    T* v = buf<T>(exp_avg_sq);
    T* vmax = amsgrad ? buf<T>(max_exp_avg_sq) : nullptr;
    parallel_for(0, u.numel(), kOptimGrain, [&](int64_t b, int64_t e) {
      if (amsgrad)
        adam_loop<T, true>(p + b, g + b, m + b, v + b, vmax + b, e - b, lr, beta1, beta2, eps, weight_decay,
                           maximize, decoupled, step_size, bias_correction2_sqrt);
      else
        adam_loop<T, false>(p + b, g + b, m + b, v + b, nullptr, e - b, lr, beta1, beta2, eps, weight_decay,
                            maximize, decoupled, step_size, bias_correction2_sqrt);
    });
  });
  u.finish();
}

void adamax_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                   const Tensor& exp_inf, int64_t step, double lr, double beta1, double beta2,
                   double eps, double weight_decay, bool maximize) {
  EMBER_CHECK(step >= 1, ValueError, "[adamax] step must be at least 1, got ", step);
  UpdateTarget u("adamax", param, grad, {&exp_avg, &exp_inf});
  const double clr = lr / (1 - std::pow(beta1, double(step)));
  dispatch_floating(param.dtype(), "adamax", [&]<class T>() {
    using C = compute_t<T>;
    T* m = buf<T>(exp_avg);
    T* u_inf = buf<T>(exp_inf);
    const C c_wd = C(weight_decay), w1 = C(1 - beta1), c_b2 = C(beta2), c_eps = C(eps), c_clr = C(-clr);
    for_each_element<T>(u, [&](T* p, const T* g, int64_t i) {
      C gi = maximize ? -C(g[i]) : C(g[i]);
      const C pi = C(p[i]);
      if (weight_decay != 0) gi = gi + c_wd * pi;
      const C mi = C(T(lerp(C(m[i]), gi, w1)));
      // torch.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps))
      const C scaled = C(T(C(u_inf[i]) * c_b2)), cand = C(T(std::abs(gi) + c_eps));
      const C ui = std::isnan(scaled) ? scaled : std::max(scaled, cand);
      m[i] = T(mi);
      u_inf[i] = T(ui);
      p[i] = T(pi + c_clr * mi / ui);                     // param.addcdiv_(exp_avg, exp_inf, -clr)
    });
  });
  u.finish();
}

double nadam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                    const Tensor& exp_avg_sq, int64_t step, double mu_product, double lr,
                    double beta1, double beta2, double eps, double weight_decay,
                    double momentum_decay, bool decoupled_weight_decay, bool maximize) {
  EMBER_CHECK(step >= 1, ValueError, "[nadam] step must be at least 1, got ", step);
  UpdateTarget u("nadam", param, grad, {&exp_avg, &exp_avg_sq});
  const double bias_correction2 = 1 - std::pow(beta2, double(step));
  const double mu = beta1 * (1.0 - 0.5 * std::pow(0.96, double(step) * momentum_decay));
  const double mu_next = beta1 * (1.0 - 0.5 * std::pow(0.96, double(step + 1) * momentum_decay));
  mu_product *= mu;
  const double mu_product_next = mu_product * mu_next;
  const double grad_coef = -lr * (1.0 - mu) / (1.0 - mu_product);
  const double avg_coef = (-lr * mu_next) / (1.0 - mu_product_next);
  dispatch_floating(param.dtype(), "nadam", [&]<class T>() {
    using C = compute_t<T>;
    T* m = buf<T>(exp_avg);
    T* v = buf<T>(exp_avg_sq);
    const C decay = C(1 - lr * weight_decay), c_wd = C(weight_decay), w1 = C(1 - beta1),
            c_b2 = C(beta2), w2 = C(1 - beta2), c_bc2 = C(bias_correction2), c_eps = C(eps),
            c_grad = C(grad_coef), c_avg = C(avg_coef);
    for_each_element<T>(u, [&](T* p, const T* g, int64_t i) {
      C gi = maximize ? -C(g[i]) : C(g[i]);
      C pi = C(p[i]);
      if (weight_decay != 0) {
        if (decoupled_weight_decay) pi = C(T(pi * decay));
        else gi = gi + c_wd * pi;
      }
      const C mi = C(T(lerp(C(m[i]), gi, w1)));
      const C vi = C(T(c_b2 * C(v[i]) + w2 * gi * gi));
      m[i] = T(mi);
      v[i] = T(vi);
      const C denom = std::sqrt(vi / c_bc2) + c_eps;      // exp_avg_sq.div(bc2).sqrt().add(eps)
      pi = C(T(pi + c_grad * gi / denom));                // param.addcdiv_(grad, denom, ...)
      p[i] = T(pi + c_avg * mi / denom);                  // param.addcdiv_(exp_avg, denom, ...)
    });
  });
  u.finish();
  return mu_product;
}

void radam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                  const Tensor& exp_avg_sq, int64_t step, double lr, double beta1, double beta2,
                  double eps, double weight_decay, bool decoupled_weight_decay, bool maximize) {
  EMBER_CHECK(step >= 1, ValueError, "[radam] step must be at least 1, got ", step);
  UpdateTarget u("radam", param, grad, {&exp_avg, &exp_avg_sq});
  const double bias_correction1 = 1 - std::pow(beta1, double(step));
  const double bias_correction2 = 1 - std::pow(beta2, double(step));
  const double rho_inf = 2 / (1 - beta2) - 1;
  const double rho_t = rho_inf - 2 * double(step) * std::pow(beta2, double(step)) / bias_correction2;
  // The variance is tractable (rectified update) only once rho_t > 5.
  const bool rectified = rho_t > 5.0;
  const double rect = rectified ? std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                                            ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                                : 0.0;
  dispatch_floating(param.dtype(), "radam", [&]<class T>() {
    using C = compute_t<T>;
    T* m = buf<T>(exp_avg);
    T* v = buf<T>(exp_avg_sq);
    const C decay = C(1 - lr * weight_decay), c_wd = C(weight_decay), w1 = C(1 - beta1),
            c_b2 = C(beta2), w2 = C(1 - beta2), c_bc1 = C(bias_correction1),
            c_bc2_sqrt = C(std::sqrt(bias_correction2)), c_eps = C(eps), c_lr = C(lr), c_rect = C(rect);
    for_each_element<T>(u, [&](T* p, const T* g, int64_t i) {
      C gi = maximize ? -C(g[i]) : C(g[i]);
      C pi = C(p[i]);
      if (weight_decay != 0) {
        if (decoupled_weight_decay) pi = C(T(pi * decay));
        else gi = gi + c_wd * pi;
      }
      const C mi = C(T(lerp(C(m[i]), gi, w1)));
      const C vi = C(T(c_b2 * C(v[i]) + w2 * gi * gi));
      m[i] = T(mi);
      v[i] = T(vi);
      const C corrected = mi / c_bc1 * c_lr;              // exp_avg / bc1 * lr
      if (rectified) {
        const C adaptive_lr = c_bc2_sqrt / (std::sqrt(vi) + c_eps);
        p[i] = T(pi - corrected * adaptive_lr * c_rect);
      } else {
        p[i] = T(pi - corrected);
      }
    });
  });
  u.finish();
}

void rmsprop_update(const Tensor& param, const Tensor& grad, const Tensor& square_avg,
                    const Tensor& grad_avg, const Tensor& momentum_buffer, double lr, double alpha,
                    double eps, double weight_decay, double momentum, bool centered, bool maximize) {
  const bool use_momentum = momentum > 0;
  UpdateTarget u("rmsprop", param, grad,
                 {&square_avg, centered ? &grad_avg : nullptr, use_momentum ? &momentum_buffer : nullptr});
  dispatch_floating(param.dtype(), "rmsprop", [&]<class T>() {
    using C = compute_t<T>;
    T* sq = buf<T>(square_avg);
    T* ga = centered ? buf<T>(grad_avg) : nullptr;
    T* b = use_momentum ? buf<T>(momentum_buffer) : nullptr;
    const C c_wd = C(weight_decay), c_alpha = C(alpha), w = C(1 - alpha), c_eps = C(eps),
            c_lr = C(lr), c_mom = C(momentum);
    for_each_element<T>(u, [&](T* p, const T* g, int64_t i) {
      C gi = maximize ? -C(g[i]) : C(g[i]);
      const C pi = C(p[i]);
      if (weight_decay != 0) gi = gi + c_wd * pi;
      const C si = C(T(c_alpha * C(sq[i]) + w * gi * gi));  // square_avg.mul_(a).addcmul_(g, g, 1-a)
      sq[i] = T(si);
      C avg;
      if (centered) {
        const C gai = C(T(lerp(C(ga[i]), gi, w)));          // grad_avg.lerp_(grad, 1-alpha)
        ga[i] = T(gai);
        avg = std::sqrt(C(T(si - gai * gai)));               // square_avg.addcmul(ga, ga, -1).sqrt_()
      } else {
        avg = std::sqrt(si);
      }
      avg = C(T(avg)) + c_eps;
      if (use_momentum) {
        const C bi = C(T(c_mom * C(b[i]) + gi / avg));     // buf.mul_(m).addcdiv_(grad, avg)
        b[i] = T(bi);
        p[i] = T(pi - c_lr * bi);                           // param.add_(buf, alpha=-lr)
      } else {
        p[i] = T(pi + -c_lr * gi / avg);                    // param.addcdiv_(grad, avg, -lr)
      }
    });
  });
  u.finish();
}

void adagrad_update(const Tensor& param, const Tensor& grad, const Tensor& state_sum, int64_t step,
                    double lr, double lr_decay, double weight_decay, double eps, bool maximize) {
  EMBER_CHECK(step >= 1, ValueError, "[adagrad] step must be at least 1, got ", step);
  UpdateTarget u("adagrad", param, grad, {&state_sum});
  const double clr = lr / (1 + double(step - 1) * lr_decay);
  dispatch_floating(param.dtype(), "adagrad", [&]<class T>() {
    using C = compute_t<T>;
    T* s = buf<T>(state_sum);
    const C c_wd = C(weight_decay), c_eps = C(eps), c_clr = C(-clr);
    for_each_element<T>(u, [&](T* p, const T* g, int64_t i) {
      C gi = maximize ? -C(g[i]) : C(g[i]);
      const C pi = C(p[i]);
      if (weight_decay != 0) gi = gi + c_wd * pi;
      const C si = C(T(C(s[i]) + gi * gi));                // state_sum.addcmul_(grad, grad)
      s[i] = T(si);
      const C std_i = std::sqrt(si) + c_eps;
      p[i] = T(pi + c_clr * gi / std_i);                    // param.addcdiv_(grad, std, -clr)
    });
  });
  u.finish();
}

void adadelta_update(const Tensor& param, const Tensor& grad, const Tensor& square_avg,
                     const Tensor& acc_delta, double lr, double rho, double eps, double weight_decay,
                     bool maximize) {
  UpdateTarget u("adadelta", param, grad, {&square_avg, &acc_delta});
  dispatch_floating(param.dtype(), "adadelta", [&]<class T>() {
    using C = compute_t<T>;
    T* sq = buf<T>(square_avg);
    T* acc = buf<T>(acc_delta);
    const C c_wd = C(weight_decay), c_rho = C(rho), w = C(1 - rho), c_eps = C(eps), c_lr = C(lr);
    for_each_element<T>(u, [&](T* p, const T* g, int64_t i) {
      C gi = maximize ? -C(g[i]) : C(g[i]);
      const C pi = C(p[i]);
      if (weight_decay != 0) gi = gi + c_wd * pi;
      const C si = C(T(c_rho * C(sq[i]) + w * gi * gi));
      sq[i] = T(si);
      const C std_i = std::sqrt(si + c_eps);                // square_avg.add(eps).sqrt_()
      const C delta = std::sqrt(C(acc[i]) + c_eps) / std_i * gi;  // acc_delta.add(eps).sqrt_().div_(std).mul_(g)
      acc[i] = T(c_rho * C(acc[i]) + w * delta * delta);
      p[i] = T(pi - c_lr * delta);                          // param.add_(delta, alpha=-lr)
    });
  });
  u.finish();
}

}  // namespace ember::optim::detail
