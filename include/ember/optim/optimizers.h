#pragma once
// The first-order optimizers, with PyTorch's defaults and option names:
//   SGD(params, SGDOptions(0.1).momentum(0.9).nesterov(true));
//   Adam(params, AdamOptions(1e-3).betas({0.9, 0.999}).amsgrad(true));
// Each step() reads every group's options and runs the fused kernel of
// update_kernels.h once per parameter that has a gradient.
#include <tuple>

#include "ember/optim/optimizer.h"

namespace ember::optim {

using Betas = std::tuple<double, double>;

// ---- SGD
struct EMBER_API SGDOptions : OptimizerCloneableOptions<SGDOptions> {
  SGDOptions(double lr = 1e-3) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(double, momentum) = 0;
  EMBER_OPTIM_ARG(double, dampening) = 0;
  EMBER_OPTIM_ARG(double, weight_decay) = 0;
  EMBER_OPTIM_ARG(bool, nesterov) = false;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API SGDParamState : OptimizerParamState {
  Tensor momentum_buffer;  // undefined until the first step with momentum
};
class EMBER_API SGD : public Optimizer {
 public:
  SGD(std::vector<OptimizerParamGroup> groups, const SGDOptions& defaults);
  SGD(std::vector<Tensor> params, const SGDOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};

// ---- Adam and AdamW (AdamW: decoupled weight decay, default 1e-2)
struct EMBER_API AdamOptions : OptimizerCloneableOptions<AdamOptions> {
  AdamOptions(double lr = 1e-3) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(Betas, betas) = Betas{0.9, 0.999};
  EMBER_OPTIM_ARG(double, eps) = 1e-8;
  EMBER_OPTIM_ARG(double, weight_decay) = 0;
  EMBER_OPTIM_ARG(bool, amsgrad) = false;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API AdamWOptions : OptimizerCloneableOptions<AdamWOptions> {
  AdamWOptions(double lr = 1e-3) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(Betas, betas) = Betas{0.9, 0.999};
  EMBER_OPTIM_ARG(double, eps) = 1e-8;
  EMBER_OPTIM_ARG(double, weight_decay) = 1e-2;
  EMBER_OPTIM_ARG(bool, amsgrad) = false;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API AdamParamState : OptimizerParamState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;  // max_exp_avg_sq only with amsgrad
};
class EMBER_API Adam : public Optimizer {
 public:
  Adam(std::vector<OptimizerParamGroup> groups, const AdamOptions& defaults);
  Adam(std::vector<Tensor> params, const AdamOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};
class EMBER_API AdamW : public Optimizer {
 public:
  AdamW(std::vector<OptimizerParamGroup> groups, const AdamWOptions& defaults);
  AdamW(std::vector<Tensor> params, const AdamWOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};

// ---- Adamax
struct EMBER_API AdamaxOptions : OptimizerCloneableOptions<AdamaxOptions> {
  AdamaxOptions(double lr = 2e-3) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(Betas, betas) = Betas{0.9, 0.999};
  EMBER_OPTIM_ARG(double, eps) = 1e-8;
  EMBER_OPTIM_ARG(double, weight_decay) = 0;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API AdamaxParamState : OptimizerParamState {
  int64_t step = 0;
  Tensor exp_avg, exp_inf;
};
class EMBER_API Adamax : public Optimizer {
 public:
  Adamax(std::vector<OptimizerParamGroup> groups, const AdamaxOptions& defaults);
  Adamax(std::vector<Tensor> params, const AdamaxOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};

// ---- NAdam
struct EMBER_API NAdamOptions : OptimizerCloneableOptions<NAdamOptions> {
  NAdamOptions(double lr = 2e-3) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(Betas, betas) = Betas{0.9, 0.999};
  EMBER_OPTIM_ARG(double, eps) = 1e-8;
  EMBER_OPTIM_ARG(double, weight_decay) = 0;
  EMBER_OPTIM_ARG(double, momentum_decay) = 4e-3;
  EMBER_OPTIM_ARG(bool, decoupled_weight_decay) = false;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API NAdamParamState : OptimizerParamState {
  int64_t step = 0;
  double mu_product = 1.0;
  Tensor exp_avg, exp_avg_sq;
};
class EMBER_API NAdam : public Optimizer {
 public:
  NAdam(std::vector<OptimizerParamGroup> groups, const NAdamOptions& defaults);
  NAdam(std::vector<Tensor> params, const NAdamOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};

// ---- RAdam
struct EMBER_API RAdamOptions : OptimizerCloneableOptions<RAdamOptions> {
  RAdamOptions(double lr = 1e-3) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(Betas, betas) = Betas{0.9, 0.999};
  EMBER_OPTIM_ARG(double, eps) = 1e-8;
  EMBER_OPTIM_ARG(double, weight_decay) = 0;
  EMBER_OPTIM_ARG(bool, decoupled_weight_decay) = false;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API RAdamParamState : OptimizerParamState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;
};
class EMBER_API RAdam : public Optimizer {
 public:
  RAdam(std::vector<OptimizerParamGroup> groups, const RAdamOptions& defaults);
  RAdam(std::vector<Tensor> params, const RAdamOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};

// ---- RMSprop
struct EMBER_API RMSpropOptions : OptimizerCloneableOptions<RMSpropOptions> {
  RMSpropOptions(double lr = 1e-2) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(double, alpha) = 0.99;
  EMBER_OPTIM_ARG(double, eps) = 1e-8;
  EMBER_OPTIM_ARG(double, weight_decay) = 0;
  EMBER_OPTIM_ARG(double, momentum) = 0;
  EMBER_OPTIM_ARG(bool, centered) = false;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API RMSpropParamState : OptimizerParamState {
  int64_t step = 0;
  Tensor square_avg, momentum_buffer, grad_avg;  // the last two only when used
};
class EMBER_API RMSprop : public Optimizer {
 public:
  RMSprop(std::vector<OptimizerParamGroup> groups, const RMSpropOptions& defaults);
  RMSprop(std::vector<Tensor> params, const RMSpropOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};

// ---- Adagrad
struct EMBER_API AdagradOptions : OptimizerCloneableOptions<AdagradOptions> {
  AdagradOptions(double lr = 1e-2) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(double, lr_decay) = 0;
  EMBER_OPTIM_ARG(double, weight_decay) = 0;
  EMBER_OPTIM_ARG(double, initial_accumulator_value) = 0;
  EMBER_OPTIM_ARG(double, eps) = 1e-10;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API AdagradParamState : OptimizerParamState {
  int64_t step = 0;
  Tensor sum;
};
class EMBER_API Adagrad : public Optimizer {
 public:
  Adagrad(std::vector<OptimizerParamGroup> groups, const AdagradOptions& defaults);
  Adagrad(std::vector<Tensor> params, const AdagradOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};

// ---- Adadelta
struct EMBER_API AdadeltaOptions : OptimizerCloneableOptions<AdadeltaOptions> {
  AdadeltaOptions(double lr = 1.0) : lr_(lr) {}
  EMBER_OPTIM_ARG(double, lr);
  EMBER_OPTIM_ARG(double, rho) = 0.9;
  EMBER_OPTIM_ARG(double, eps) = 1e-6;
  EMBER_OPTIM_ARG(double, weight_decay) = 0;
  EMBER_OPTIM_ARG(bool, maximize) = false;
};
struct EMBER_API AdadeltaParamState : OptimizerParamState {
  int64_t step = 0;
  Tensor square_avg, acc_delta;
};
class EMBER_API Adadelta : public Optimizer {
 public:
  Adadelta(std::vector<OptimizerParamGroup> groups, const AdadeltaOptions& defaults);
  Adadelta(std::vector<Tensor> params, const AdadeltaOptions& defaults);
  Tensor step(LossClosure closure = nullptr) override;
};

}  // namespace ember::optim
