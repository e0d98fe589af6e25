#pragma once
// ember::optim::Optimizer: the libtorch-like base of every optimizer.
// Parameters live in groups (OptimizerParamGroup), each with its own options
// (an OptimizerOptions subclass such as SGDOptions); groups added without
// options take a copy of the optimizer's defaults. State is kept per
// parameter (keyed by its TensorImpl), created on the parameter's first step.
// Updates run through the fused kernels in update_kernels.h and write the
// parameters in place without recording anything for autograd.
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "ember/core/tensor.h"

// A chainable option: `SGDOptions(0.1).momentum(0.9).nesterov(true)`.
// Used as `EMBER_OPTIM_ARG(double, momentum) = 0;` (the default follows).
#define EMBER_OPTIM_ARG(T, name)                      \
 public:                                              \
  auto name(const T& new_value) -> decltype(*this) {  \
    this->name##_ = new_value;                        \
    return *this;                                     \
  }                                                   \
  const T& name() const noexcept { return name##_; }  \
  T& name() noexcept { return name##_; }              \
                                                      \
 private:                                             \
  T name##_

namespace ember::optim {

class EMBER_API OptimizerOptions {
 public:
  virtual ~OptimizerOptions() = default;
  virtual std::unique_ptr<OptimizerOptions> clone() const = 0;
  virtual double get_lr() const = 0;
  virtual void set_lr(double lr) = 0;
};

// Gives an options class clone(), get_lr() and set_lr() through its lr().
template <class Derived>
class OptimizerCloneableOptions : public OptimizerOptions {
 public:
  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
  double get_lr() const override { return static_cast<const Derived&>(*this).lr(); }
  void set_lr(double lr) override { static_cast<Derived&>(*this).lr(lr); }
};

class EMBER_API OptimizerParamState {
 public:
  virtual ~OptimizerParamState() = default;
};

class EMBER_API OptimizerParamGroup {
 public:
  explicit OptimizerParamGroup(std::vector<Tensor> params) : params_(std::move(params)) {}
  OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options)
      : params_(std::move(params)), options_(std::move(options)) {}
  OptimizerParamGroup(const OptimizerParamGroup& other);
  OptimizerParamGroup& operator=(const OptimizerParamGroup& other);
  OptimizerParamGroup(OptimizerParamGroup&&) = default;
  OptimizerParamGroup& operator=(OptimizerParamGroup&&) = default;

  bool has_options() const { return static_cast<bool>(options_); }
  OptimizerOptions& options();
  const OptimizerOptions& options() const;
  void set_options(std::unique_ptr<OptimizerOptions> options) { options_ = std::move(options); }
  std::vector<Tensor>& params() { return params_; }
  const std::vector<Tensor>& params() const { return params_; }

 private:
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

// Re-evaluates the model and returns the loss (required by LBFGS).
using LossClosure = std::function<Tensor()>;

class EMBER_API Optimizer {
 public:
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;
  virtual ~Optimizer() = default;

  // Adds a group; it takes the defaults when it has no options. Raises
  // ValueError when a parameter is already in a group.
  void add_param_group(const OptimizerParamGroup& group);
  // Drops every parameter's gradient (set_to_none) or fills it with zeros.
  void zero_grad(bool set_to_none = true);
  // One optimization step; returns the closure's loss (undefined without one).
  virtual Tensor step(LossClosure closure = nullptr) = 0;

  std::vector<OptimizerParamGroup>& param_groups() noexcept { return param_groups_; }
  const std::vector<OptimizerParamGroup>& param_groups() const noexcept { return param_groups_; }
  std::unordered_map<const TensorImpl*, std::unique_ptr<OptimizerParamState>>& state() noexcept {
    return state_;
  }
  const OptimizerOptions& defaults() const noexcept { return *defaults_; }
  // The number of parameters over all groups.
  size_t size() const noexcept;

 protected:
  // `name` (e.g. "SGD") starts this optimizer's error messages.
  Optimizer(const char* name, std::unique_ptr<OptimizerOptions> defaults)
      : name_(name), defaults_(std::move(defaults)) {}
  // Adds the constructor's groups (after the subclass checked its defaults);
  // raises ValueError when there are none.
  void add_initial_groups(const std::vector<OptimizerParamGroup>& groups);

  // The state of `p`, created with `make` on first use.
  template <class State, class Make>
  State& state_of(const Tensor& p, const Make& make) {
    auto& slot = state_[p.impl()];
    if (!slot) slot = make();
    return static_cast<State&>(*slot);
  }
  // Calls the closure (if any) and returns its loss.
  static Tensor evaluate(const LossClosure& closure) { return closure ? closure() : Tensor(); }

  const char* name_;
  std::vector<OptimizerParamGroup> param_groups_;
  std::unordered_map<const TensorImpl*, std::unique_ptr<OptimizerParamState>> state_;
  std::unique_ptr<OptimizerOptions> defaults_;
};

}  // namespace ember::optim
