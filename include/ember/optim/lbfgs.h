#pragma once
// L-BFGS (PyTorch's algorithm, from minFunc): each step() evaluates the
// closure up to max_eval times, building an inverse-Hessian approximation
// from the last history_size updates, with a fixed step (lr) or a strong
// Wolfe line search. All the parameters form one flat vector; that vector
// and the history are kept in float64 whatever the parameters' dtype.
// Like PyTorch, LBFGS takes a single parameter group.
#include <optional>
#include <string>

#include "ember/optim/optimizer.h"

namespace ember::optim {

struct EMBER_API LBFGSOptions : OptimizerCloneableOptions<LBFGSOptions> {
  LBFGSOptions(double lr = 1) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(int64_t, max_iter) = 20;
  EMBER_OPTIM_ARG(std::optional<int64_t>, max_eval) = std::nullopt;  // max_iter * 5 / 4
  EMBER_OPTIM_ARG(double, tolerance_grad) = 1e-7;
  EMBER_OPTIM_ARG(double, tolerance_change) = 1e-9;
  EMBER_OPTIM_ARG(int64_t, history_size) = 100;
  EMBER_OPTIM_ARG(std::optional<std::string>, line_search_fn) = std::nullopt;  // or "strong_wolfe"
};

// The global state (PyTorch keeps it under the first parameter). Flat
// vectors are 1-D contiguous float64 tensors.
struct EMBER_API LBFGSParamState : OptimizerParamState {
  int64_t func_evals = 0;
  int64_t n_iter = 0;
  Tensor d;                    // the last search direction
  double t = 0;                // the last step length
  std::vector<Tensor> old_dirs, old_stps;  // y and s of the kept updates
  std::vector<double> ro;      // 1 / (y . s)
  double H_diag = 1;           // scale of the initial inverse Hessian
  Tensor prev_flat_grad;
  std::optional<double> prev_loss;
};

namespace detail {
// One LBFGS step over `params` (their .grad is read after each evaluation).
// `evaluate` recomputes the loss and the gradients. Returns the first loss.
EMBER_API double lbfgs_step(const std::vector<Tensor>& params, LBFGSParamState& state,
                            const std::function<double()>& evaluate, const LBFGSOptions& options);
}  // namespace detail

class EMBER_API LBFGS : public Optimizer {
 public:
  LBFGS(std::vector<OptimizerParamGroup> groups, const LBFGSOptions& defaults);
  LBFGS(std::vector<Tensor> params, const LBFGSOptions& defaults);
  // The closure is required; returns its first loss.
  Tensor step(LossClosure closure) override;
};

}  // namespace ember::optim
