// L-BFGS (include/ember/optim/lbfgs.h), following torch/optim/lbfgs.py step
// for step, including its strong Wolfe line search (ported there from
// torch/optim's lswolfe.lua) and its stopping rules.
#include "ember/optim/lbfgs.h"

#include <algorithm>
#include <cmath>
#include <deque>

#include "ember/core/dtype.h"
#include "ember/core/error.h"
#include "ember/core/half.h"
#include "ember/ops/creation.h"
#include "param_write.h"

namespace ember::optim {

namespace {

// ---- flat float64 vectors
Tensor flat_empty(int64_t n) { return empty({n}, TensorOptions(DType::Float64)); }
double* ptr(const Tensor& t) { return t.data_ptr<double>(); }

double dot(const Tensor& a, const Tensor& b) {
  const double *x = ptr(a), *y = ptr(b);
  double s = 0;
  for (int64_t i = 0, n = a.numel(); i < n; ++i) s += x[i] * y[i];
  return s;
}
double abs_max(const Tensor& a) {
  const double* x = ptr(a);
  double m = 0;
  for (int64_t i = 0, n = a.numel(); i < n; ++i) m = std::max(m, std::abs(x[i]));
  return m;
}
double abs_sum(const Tensor& a) {
  const double* x = ptr(a);
  double s = 0;
  for (int64_t i = 0, n = a.numel(); i < n; ++i) s += std::abs(x[i]);
  return s;
}
// a * s (a new vector)
Tensor scaled(const Tensor& a, double s) {
  Tensor out = flat_empty(a.numel());
  const double* x = ptr(a);
  double* o = ptr(out);
  for (int64_t i = 0, n = a.numel(); i < n; ++i) o[i] = x[i] * s;
  return out;
}
// y += alpha * x
void axpy(const Tensor& y, double alpha, const Tensor& x) {
  double* o = ptr(y);
  const double* v = ptr(x);
  for (int64_t i = 0, n = y.numel(); i < n; ++i) o[i] += alpha * v[i];
}

// The parameters seen as one flat vector.
class FlatParams {
 public:
  explicit FlatParams(const std::vector<Tensor>& params) : params_(params) {
    EMBER_CHECK(!params.empty(), ValueError, "[LBFGS] no parameters to optimize");
    for (const auto& p : params) {
      EMBER_CHECK(p.is_cpu(), NotImplementedError, "[LBFGS] runs on the CPU only; a parameter is on ",
                  p.device().str());
      EMBER_CHECK(p.dtype() == DType::Float16 || p.dtype() == DType::BFloat16 ||
                      p.dtype() == DType::Float32 || p.dtype() == DType::Float64,
                  TypeError, "[LBFGS] parameters must be real floating point, got ", dtype_name(p.dtype()));
      numel_ += p.numel();
    }
  }
  int64_t numel() const { return numel_; }

  // Every gradient in one float64 vector; missing gradients count as zeros.
  Tensor gather_grad() const {
    Tensor flat = flat_empty(numel_);
    int64_t offset = 0;
    for (const auto& p : params_) {
      Tensor g = p.grad();
      Tensor dst = flat.narrow(0, offset, p.numel());
      if (g.defined()) dst.copy_(g.detach().reshape({p.numel()}));
      else dst.zero_();
      offset += p.numel();
    }
    return flat;
  }

  // p += step * update, in each parameter's dtype (param.add_(update, alpha=step)).
  void add(double step, const Tensor& update) const {
    const double* u = ptr(update);
    int64_t offset = 0;
    for (const auto& param : params_) {
      Tensor work = param.is_contiguous() ? param : detail::contiguous_values(param);
      dispatch_floating(work.dtype(), "LBFGS", [&]<class T>() {
        T* p = work.data_ptr<T>();
        for (int64_t i = 0, n = work.numel(); i < n; ++i) {
          if constexpr (std::is_same_v<T, double>) p[i] = p[i] + step * u[offset + i];
          else p[i] = T(float(p[i]) + float(step) * float(u[offset + i]));
        }
      });
      if (work.is_same(param)) param.bump_version();
      else detail::write_param(param, work);
      offset += param.numel();
    }
  }

  std::vector<Tensor> clone() const {
    std::vector<Tensor> out;
    for (const auto& p : params_) out.push_back(p.detach().clone().contiguous());
    return out;
  }
  void set(const std::vector<Tensor>& values) const {
    for (size_t i = 0; i < params_.size(); ++i) detail::write_param(params_[i], values[i]);
  }

 private:
  const std::vector<Tensor>& params_;
  int64_t numel_ = 0;
};

// Minimum of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the
// bounds (default: between x1 and x2).
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         std::optional<std::pair<double, double>> bounds = std::nullopt) {
  auto [xmin_bound, xmax_bound] = bounds ? *bounds : (x1 <= x2 ? std::pair{x1, x2} : std::pair{x2, x1});
  const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const double d2_square = d1 * d1 - g1 * g2;
  if (d2_square >= 0) {
    const double d2 = std::sqrt(d2_square);
    const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return std::min(std::max(min_pos, xmin_bound), xmax_bound);
  }
  return (xmin_bound + xmax_bound) / 2.0;
}

struct LineSearchResult {
  double f;
  Tensor g;
  double t;
  int64_t func_evals;
};

// obj(t) evaluates the loss and flat gradient at x + t*d (and restores x).
template <class Obj>
LineSearchResult strong_wolfe(const Obj& obj, double t, const Tensor& d, double f, const Tensor& g,
                              double gtd, double c1 = 1e-4, double c2 = 0.9,
                              double tolerance_change = 1e-9, int64_t max_ls = 25) {
  const double d_norm = abs_max(d);
  auto [f_new, g_new] = obj(t);
  int64_t ls_func_evals = 1;
  double gtd_new = dot(g_new, d);

  // Bracket an interval containing a point satisfying the Wolfe criteria.
  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  Tensor g_prev = g;
  bool done = false;
  int64_t ls_iter = 0;
  std::vector<double> bracket, bracket_f, bracket_gtd;
  std::vector<Tensor> bracket_g;
  while (ls_iter < max_ls) {
    if (f_new > (f + c1 * t * gtd) || (ls_iter > 1 && f_new >= f_prev)) {
      bracket = {t_prev, t}, bracket_f = {f_prev, f_new}, bracket_g = {g_prev, g_new};
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    if (std::abs(gtd_new) <= -c2 * gtd) {
      bracket = {t}, bracket_f = {f_new}, bracket_g = {g_new};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = {t_prev, t}, bracket_f = {f_prev, f_new}, bracket_g = {g_prev, g_new};
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    // Interpolate.
    const double min_step = t + 0.01 * (t - t_prev);
    const double max_step = t * 10;
    const double tmp = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, std::pair{min_step, max_step});
    t_prev = tmp, f_prev = f_new, g_prev = g_new, gtd_prev = gtd_new;
    std::tie(f_new, g_new) = obj(t);
    ls_func_evals += 1;
    gtd_new = dot(g_new, d);
    ls_iter += 1;
  }
  if (ls_iter == max_ls) {
    bracket = {0, t}, bracket_f = {f, f_new}, bracket_g = {g, g_new};
    // PyTorch leaves bracket_gtd from the loop here; keep whatever was set.
    if (bracket_gtd.size() != 2) bracket_gtd = {gtd, gtd_new};
  }

  // Zoom: refine the bracket until a point satisfies the criteria.
  bool insuf_progress = false;
  size_t low_pos = 0, high_pos = 0;
  if (bracket_f.size() == 2) std::tie(low_pos, high_pos) = bracket_f[0] <= bracket_f[1] ? std::pair{0, 1} : std::pair{1, 0};
  while (!done && ls_iter < max_ls) {
    if (std::abs(bracket[1] - bracket[0]) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);
    // Move t away from the bracket's ends when progress stalls there.
    const double bmax = std::max(bracket[0], bracket[1]), bmin = std::min(bracket[0], bracket[1]);
    const double eps = 0.1 * (bmax - bmin);
    if (std::min(bmax - t, t - bmin) < eps) {
      if (insuf_progress || t >= bmax || t <= bmin) {
        t = std::abs(t - bmax) < std::abs(t - bmin) ? bmax - eps : bmin + eps;
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    std::tie(f_new, g_new) = obj(t);
    ls_func_evals += 1;
    gtd_new = dot(g_new, d);
    ls_iter += 1;

    if (f_new > (f + c1 * t * gtd) || f_new >= bracket_f[low_pos]) {
      // Armijo condition not satisfied or not lower than the lowest point.
      bracket[high_pos] = t, bracket_f[high_pos] = f_new, bracket_g[high_pos] = g_new;
      bracket_gtd[high_pos] = gtd_new;
      std::tie(low_pos, high_pos) = bracket_f[0] <= bracket_f[1] ? std::pair{0, 1} : std::pair{1, 0};
    } else {
      if (std::abs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0) {
        // The old high becomes the new low.
        bracket[high_pos] = bracket[low_pos], bracket_f[high_pos] = bracket_f[low_pos];
        bracket_g[high_pos] = bracket_g[low_pos], bracket_gtd[high_pos] = bracket_gtd[low_pos];
      }
      bracket[low_pos] = t, bracket_f[low_pos] = f_new, bracket_g[low_pos] = g_new;
      bracket_gtd[low_pos] = gtd_new;
    }
  }
  return {bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals};
}

}  // namespace

namespace detail {

double lbfgs_step(const std::vector<Tensor>& params, LBFGSParamState& state,
                  const std::function<double()>& evaluate, const LBFGSOptions& o) {
  const FlatParams flat(params);
  EMBER_CHECK(o.max_iter() > 0, ValueError, "[LBFGS] max_iter must be positive, got ", o.max_iter());
  EMBER_CHECK(o.history_size() > 0, ValueError, "[LBFGS] history_size must be positive, got ",
              o.history_size());
  if (o.line_search_fn()) {
    EMBER_CHECK(*o.line_search_fn() == "strong_wolfe", RuntimeError, "[LBFGS] only 'strong_wolfe' is supported");
  }
  const int64_t max_eval = o.max_eval().value_or(o.max_iter() * 5 / 4);
  const double lr = o.lr(), tolerance_grad = o.tolerance_grad(), tolerance_change = o.tolerance_change();

  const double orig_loss = evaluate();
  double loss = orig_loss;
  int64_t current_evals = 1;
  state.func_evals += 1;
  Tensor flat_grad = flat.gather_grad();
  bool opt_cond = abs_max(flat_grad) <= tolerance_grad;
  if (opt_cond) return orig_loss;

  // State restored from elsewhere must describe vectors of this length.
  auto check_len = [&](const Tensor& v, const char* what) {
    EMBER_CHECK(!v.defined() || (v.dtype() == DType::Float64 && v.dim() == 1 && v.is_contiguous() &&
                                 v.numel() == flat.numel()),
                ValueError, "[LBFGS] state '", what, "' must be a contiguous float64 vector of ",
                flat.numel(), " elements");
  };
  check_len(state.d, "d");
  check_len(state.prev_flat_grad, "prev_flat_grad");
  for (const auto& v : state.old_dirs) check_len(v, "old_dirs");
  for (const auto& v : state.old_stps) check_len(v, "old_stps");
  EMBER_CHECK(state.old_dirs.size() == state.old_stps.size() && state.old_dirs.size() == state.ro.size(),
              ValueError, "[LBFGS] state 'old_dirs', 'old_stps' and 'ro' must have the same length");

  Tensor& d = state.d;
  double& t = state.t;
  auto& old_dirs = state.old_dirs;
  auto& old_stps = state.old_stps;
  auto& ro = state.ro;
  std::vector<double> al(size_t(o.history_size()));

  int64_t n_iter = 0;
  while (n_iter < o.max_iter()) {
    n_iter += 1;
    state.n_iter += 1;

    // ---- the descent direction
    if (state.n_iter == 1 || !d.defined() || !state.prev_flat_grad.defined()) {
      d = scaled(flat_grad, -1.0);
      old_dirs.clear(), old_stps.clear(), ro.clear();
      state.H_diag = 1;
    } else {
      // Update the memory with y = g - g_prev, s = d * t.
      Tensor y = flat_grad.clone();
      axpy(y, -1.0, state.prev_flat_grad);
      Tensor s = scaled(d, t);
      const double ys = dot(y, s);
      if (ys > 1e-10) {
        if (int64_t(old_dirs.size()) >= o.history_size()) {
          const size_t drop = old_dirs.size() - size_t(o.history_size()) + 1;
          old_dirs.erase(old_dirs.begin(), old_dirs.begin() + drop);
          old_stps.erase(old_stps.begin(), old_stps.begin() + drop);
          ro.erase(ro.begin(), ro.begin() + drop);
        }
        old_dirs.push_back(y);
        old_stps.push_back(s);
        ro.push_back(1.0 / ys);
        state.H_diag = ys / dot(y, y);
      }
      // Two-loop recursion: d = -H g.
      const size_t num_old = old_dirs.size();
      if (al.size() < num_old) al.resize(num_old);
      Tensor q = scaled(flat_grad, -1.0);
      for (size_t k = num_old; k-- > 0;) {
        al[k] = dot(old_stps[k], q) * ro[k];
        axpy(q, -al[k], old_dirs[k]);
      }
      Tensor r = scaled(q, state.H_diag);
      for (size_t k = 0; k < num_old; ++k) {
        const double be_i = dot(old_dirs[k], r) * ro[k];
        axpy(r, al[k] - be_i, old_stps[k]);
      }
      d = r;
    }
    state.prev_flat_grad = flat_grad.clone();
    state.prev_loss = loss;

    // ---- the step length
    t = state.n_iter == 1 ? std::min(1.0, 1.0 / abs_sum(flat_grad)) * lr : lr;
    const double gtd = dot(flat_grad, d);
    if (gtd > -tolerance_change) break;  // the directional derivative is below tolerance

    int64_t ls_func_evals = 0;
    if (o.line_search_fn()) {
      const std::vector<Tensor> x_init = flat.clone();
      auto obj = [&](double step) {
        flat.add(step, d);
        const double f = evaluate();
        Tensor g = flat.gather_grad();
        flat.set(x_init);
        return std::pair<double, Tensor>{f, g};
      };
      LineSearchResult ls = strong_wolfe(obj, t, d, loss, flat_grad, gtd);
      loss = ls.f, flat_grad = ls.g, t = ls.t, ls_func_evals = ls.func_evals;
      flat.add(t, d);
      opt_cond = abs_max(flat_grad) <= tolerance_grad;
    } else {
      flat.add(t, d);
      if (n_iter != o.max_iter()) {
        // Re-evaluate only when another iteration follows (no use in a
        // stochastic setting otherwise).
        loss = evaluate();
        flat_grad = flat.gather_grad();
        opt_cond = abs_max(flat_grad) <= tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    state.func_evals += ls_func_evals;

    // ---- stopping rules
    if (n_iter == o.max_iter()) break;
    if (current_evals >= max_eval) break;
    if (opt_cond) break;
    if (abs_max(d) * std::abs(t) <= tolerance_change) break;  // lack of progress
    if (std::abs(loss - *state.prev_loss) < tolerance_change) break;
  }
  return orig_loss;
}

}  // namespace detail

LBFGS::LBFGS(std::vector<OptimizerParamGroup> groups, const LBFGSOptions& d)
    : Optimizer("LBFGS", std::make_unique<LBFGSOptions>(d)) {
  EMBER_CHECK(d.lr() >= 0, ValueError, "[LBFGS] Invalid learning rate: ", d.lr());
  add_initial_groups(groups);
  EMBER_CHECK(param_groups_.size() == 1, ValueError,
              "[LBFGS] LBFGS doesn't support per-parameter options (parameter groups)");
}
LBFGS::LBFGS(std::vector<Tensor> params, const LBFGSOptions& d)
    : LBFGS([&] {
        std::vector<OptimizerParamGroup> g;
        g.emplace_back(std::move(params));
        return g;
      }(), d) {}

Tensor LBFGS::step(LossClosure closure) {
  EMBER_CHECK(closure, ValueError, "[LBFGS] step() requires a closure that reevaluates the model");
  auto& group = param_groups_.at(0);
  const auto& params = group.params();
  auto& state = state_of<LBFGSParamState>(params.at(0), [] { return std::make_unique<LBFGSParamState>(); });
  Tensor first_loss;
  auto evaluate = [&]() {
    Tensor loss = closure();
    EMBER_CHECK(loss.defined() && loss.numel() == 1, ValueError,
                "[LBFGS] the closure must return a one-element loss tensor");
    if (!first_loss.defined()) first_loss = loss;
    return loss.item().to_double();
  };
  detail::lbfgs_step(params, state, evaluate, static_cast<const LBFGSOptions&>(group.options()));
  return first_loss;
}

}  // namespace ember::optim
