// The first-order optimizers (include/ember/optim/optimizers.h): option
// checks with PyTorch's messages, state creation, and one fused kernel call
// per parameter that has a gradient.
#include "ember/optim/optimizers.h"

#include "ember/core/error.h"
#include "ember/ops/creation.h"
#include "ember/optim/update_kernels.h"

namespace ember::optim {

namespace {

std::vector<OptimizerParamGroup> one_group(std::vector<Tensor> params) {
  std::vector<OptimizerParamGroup> groups;
  groups.emplace_back(std::move(params));
  return groups;
}

// A contiguous zero buffer with p's shape and dtype.
Tensor zeros_for(const Tensor& p) { return zeros(p.sizes(), p.options()); }

void check_lr(const char* name, double lr) {
  EMBER_CHECK(lr >= 0, ValueError, "[", name, "] Invalid learning rate: ", lr);
}
void check_eps(const char* name, double eps) {
  EMBER_CHECK(eps >= 0, ValueError, "[", name, "] Invalid epsilon value: ", eps);
}
void check_weight_decay(const char* name, double wd) {
  EMBER_CHECK(wd >= 0, ValueError, "[", name, "] Invalid weight_decay value: ", wd);
}
void check_betas(const char* name, const Betas& betas) {
  auto [b1, b2] = betas;
  EMBER_CHECK(b1 >= 0 && b1 < 1, ValueError, "[", name, "] Invalid beta parameter at index 0: ", b1);
  EMBER_CHECK(b2 >= 0 && b2 < 1, ValueError, "[", name, "] Invalid beta parameter at index 1: ", b2);
}

// Calls fn(param, options) for every parameter that has a gradient.
template <class Options, class Fn>
void for_each_param_with_grad(std::vector<OptimizerParamGroup>& groups, const Fn& fn) {
  for (auto& group : groups) {
    const auto& options = static_cast<const Options&>(group.options());
    for (auto& p : group.params()) {
      if (p.grad().defined()) fn(p, options);
    }
  }
}

template <class O>
std::unique_ptr<OptimizerOptions> own(const O& o) {
  return std::make_unique<O>(o);
}

}  // namespace

// ---- SGD
SGD::SGD(std::vector<OptimizerParamGroup> groups, const SGDOptions& d)
    : Optimizer("SGD", own(d)) {
  check_lr("SGD", d.lr());
  EMBER_CHECK(d.momentum() >= 0, ValueError, "[SGD] Invalid momentum value: ", d.momentum());
  check_weight_decay("SGD", d.weight_decay());
  EMBER_CHECK(!d.nesterov() || (d.momentum() > 0 && d.dampening() == 0), ValueError,
              "[SGD] Nesterov momentum requires a momentum and zero dampening");
  add_initial_groups(groups);
}
SGD::SGD(std::vector<Tensor> params, const SGDOptions& d) : SGD(one_group(std::move(params)), d) {}

Tensor SGD::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for_each_param_with_grad<SGDOptions>(param_groups_, [&](const Tensor& p, const SGDOptions& o) {
    auto& s = state_of<SGDParamState>(p, [] { return std::make_unique<SGDParamState>(); });
    const bool first = !s.momentum_buffer.defined();
    if (o.momentum() != 0 && first) s.momentum_buffer = zeros_for(p);
    detail::sgd_update(p, p.grad(), s.momentum_buffer, first, o.lr(), o.momentum(), o.dampening(),
                       o.weight_decay(), o.nesterov(), o.maximize());
  });
  return loss;
}

// ---- Adam, AdamW
namespace {
template <class Options>
void check_adam(const char* name, const Options& d) {
  check_lr(name, d.lr());
  check_eps(name, d.eps());
  check_betas(name, d.betas());
  check_weight_decay(name, d.weight_decay());
}

template <class Options>
void adam_family_step(Optimizer& opt, std::vector<OptimizerParamGroup>& groups, bool decoupled) {
  for_each_param_with_grad<Options>(groups, [&](const Tensor& p, const Options& o) {
    auto& slot = opt.state()[p.impl()];
    if (!slot) {
      auto s = std::make_unique<AdamParamState>();
      s->exp_avg = zeros_for(p);
      s->exp_avg_sq = zeros_for(p);
      slot = std::move(s);
    }
    auto& s = static_cast<AdamParamState&>(*slot);
    if (o.amsgrad() && !s.max_exp_avg_sq.defined()) s.max_exp_avg_sq = zeros_for(p);
    s.step += 1;
    auto [b1, b2] = o.betas();
    detail::adam_update(p, p.grad(), s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq, s.step, o.lr(), b1, b2,
                        o.eps(), o.weight_decay(), o.amsgrad(), o.maximize(), decoupled);
  });
}
}  // namespace

Adam::Adam(std::vector<OptimizerParamGroup> groups, const AdamOptions& d)
    : Optimizer("Adam", own(d)) {
  check_adam("Adam", d);
  add_initial_groups(groups);
}
Adam::Adam(std::vector<Tensor> params, const AdamOptions& d) : Adam(one_group(std::move(params)), d) {}
Tensor Adam::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  adam_family_step<AdamOptions>(*this, param_groups_, /*decoupled=*/false);
  return loss;
}

AdamW::AdamW(std::vector<OptimizerParamGroup> groups, const AdamWOptions& d)
    : Optimizer("AdamW", own(d)) {
  check_adam("AdamW", d);
  add_initial_groups(groups);
}
AdamW::AdamW(std::vector<Tensor> params, const AdamWOptions& d) : AdamW(one_group(std::move(params)), d) {}
Tensor AdamW::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  adam_family_step<AdamWOptions>(*this, param_groups_, /*decoupled=*/true);
  return loss;
}

// ---- Adamax
Adamax::Adamax(std::vector<OptimizerParamGroup> groups, const AdamaxOptions& d)
    : Optimizer("Adamax", own(d)) {
  check_lr("Adamax", d.lr());
  check_eps("Adamax", d.eps());
  check_betas("Adamax", d.betas());
  check_weight_decay("Adamax", d.weight_decay());
  add_initial_groups(groups);
}
Adamax::Adamax(std::vector<Tensor> params, const AdamaxOptions& d) : Adamax(one_group(std::move(params)), d) {}
Tensor Adamax::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for_each_param_with_grad<AdamaxOptions>(param_groups_, [&](const Tensor& p, const AdamaxOptions& o) {
    auto& s = state_of<AdamaxParamState>(p, [&] {
      auto n = std::make_unique<AdamaxParamState>();
      n->exp_avg = zeros_for(p);
      n->exp_inf = zeros_for(p);
      return n;
    });
    s.step += 1;
    auto [b1, b2] = o.betas();
    detail::adamax_update(p, p.grad(), s.exp_avg, s.exp_inf, s.step, o.lr(), b1, b2, o.eps(),
                          o.weight_decay(), o.maximize());
  });
  return loss;
}

// ---- NAdam
NAdam::NAdam(std::vector<OptimizerParamGroup> groups, const NAdamOptions& d)
    : Optimizer("NAdam", own(d)) {
  check_lr("NAdam", d.lr());
  check_eps("NAdam", d.eps());
  check_betas("NAdam", d.betas());
  check_weight_decay("NAdam", d.weight_decay());
  EMBER_CHECK(d.momentum_decay() >= 0, ValueError, "[NAdam] Invalid momentum_decay value: ",
              d.momentum_decay());
  add_initial_groups(groups);
}
NAdam::NAdam(std::vector<Tensor> params, const NAdamOptions& d) : NAdam(one_group(std::move(params)), d) {}
Tensor NAdam::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for_each_param_with_grad<NAdamOptions>(param_groups_, [&](const Tensor& p, const NAdamOptions& o) {
    auto& s = state_of<NAdamParamState>(p, [&] {
      auto n = std::make_unique<NAdamParamState>();
      n->exp_avg = zeros_for(p);
      n->exp_avg_sq = zeros_for(p);
      return n;
    });
    s.step += 1;
    auto [b1, b2] = o.betas();
    s.mu_product = detail::nadam_update(p, p.grad(), s.exp_avg, s.exp_avg_sq, s.step, s.mu_product, o.lr(),
                                        b1, b2, o.eps(), o.weight_decay(), o.momentum_decay(),
                                        o.decoupled_weight_decay(), o.maximize());
  });
  return loss;
}

// ---- RAdam
RAdam::RAdam(std::vector<OptimizerParamGroup> groups, const RAdamOptions& d)
    : Optimizer("RAdam", own(d)) {
  check_lr("RAdam", d.lr());
  check_eps("RAdam", d.eps());
  check_betas("RAdam", d.betas());
  check_weight_decay("RAdam", d.weight_decay());
  add_initial_groups(groups);
}
RAdam::RAdam(std::vector<Tensor> params, const RAdamOptions& d) : RAdam(one_group(std::move(params)), d) {}
Tensor RAdam::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for_each_param_with_grad<RAdamOptions>(param_groups_, [&](const Tensor& p, const RAdamOptions& o) {
    auto& s = state_of<RAdamParamState>(p, [&] {
      auto n = std::make_unique<RAdamParamState>();
      n->exp_avg = zeros_for(p);
      n->exp_avg_sq = zeros_for(p);
      return n;
    });
    s.step += 1;
    auto [b1, b2] = o.betas();
    detail::radam_update(p, p.grad(), s.exp_avg, s.exp_avg_sq, s.step, o.lr(), b1, b2, o.eps(),
                         o.weight_decay(), o.decoupled_weight_decay(), o.maximize());
  });
  return loss;
}

// ---- RMSprop
RMSprop::RMSprop(std::vector<OptimizerParamGroup> groups, const RMSpropOptions& d)
    : Optimizer("RMSprop", own(d)) {
  check_lr("RMSprop", d.lr());
  check_eps("RMSprop", d.eps());
  EMBER_CHECK(d.momentum() >= 0, ValueError, "[RMSprop] Invalid momentum value: ", d.momentum());
  check_weight_decay("RMSprop", d.weight_decay());
  EMBER_CHECK(d.alpha() >= 0, ValueError, "[RMSprop] Invalid alpha value: ", d.alpha());
  add_initial_groups(groups);
}
RMSprop::RMSprop(std::vector<Tensor> params, const RMSpropOptions& d)
    : RMSprop(one_group(std::move(params)), d) {}
Tensor RMSprop::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for_each_param_with_grad<RMSpropOptions>(param_groups_, [&](const Tensor& p, const RMSpropOptions& o) {
    auto& s = state_of<RMSpropParamState>(p, [&] {
      auto n = std::make_unique<RMSpropParamState>();
      n->square_avg = zeros_for(p);
      return n;
    });
    if (o.momentum() > 0 && !s.momentum_buffer.defined()) s.momentum_buffer = zeros_for(p);
    if (o.centered() && !s.grad_avg.defined()) s.grad_avg = zeros_for(p);
    s.step += 1;
    detail::rmsprop_update(p, p.grad(), s.square_avg, s.grad_avg, s.momentum_buffer, o.lr(), o.alpha(),
                           o.eps(), o.weight_decay(), o.momentum(), o.centered(), o.maximize());
  });
  return loss;
}

// ---- Adagrad
Adagrad::Adagrad(std::vector<OptimizerParamGroup> groups, const AdagradOptions& d)
    : Optimizer("Adagrad", own(d)) {
  check_lr("Adagrad", d.lr());
  EMBER_CHECK(d.lr_decay() >= 0, ValueError, "[Adagrad] Invalid lr_decay value: ", d.lr_decay());
  check_weight_decay("Adagrad", d.weight_decay());
  EMBER_CHECK(d.initial_accumulator_value() >= 0, ValueError,
              "[Adagrad] Invalid initial_accumulator_value value: ", d.initial_accumulator_value());
  check_eps("Adagrad", d.eps());
  add_initial_groups(groups);
}
Adagrad::Adagrad(std::vector<Tensor> params, const AdagradOptions& d)
    : Adagrad(one_group(std::move(params)), d) {}
Tensor Adagrad::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for_each_param_with_grad<AdagradOptions>(param_groups_, [&](const Tensor& p, const AdagradOptions& o) {
    auto& s = state_of<AdagradParamState>(p, [&] {
      auto n = std::make_unique<AdagradParamState>();
      n->sum = full(p.sizes(), Scalar(o.initial_accumulator_value()), p.options());
      return n;
    });
    s.step += 1;
    detail::adagrad_update(p, p.grad(), s.sum, s.step, o.lr(), o.lr_decay(), o.weight_decay(), o.eps(),
                           o.maximize());
  });
  return loss;
}

// ---- Adadelta
Adadelta::Adadelta(std::vector<OptimizerParamGroup> groups, const AdadeltaOptions& d)
    : Optimizer("Adadelta", own(d)) {
  check_lr("Adadelta", d.lr());
  EMBER_CHECK(d.rho() >= 0 && d.rho() <= 1, ValueError, "[Adadelta] Invalid rho value: ", d.rho());
  check_eps("Adadelta", d.eps());
  check_weight_decay("Adadelta", d.weight_decay());
  add_initial_groups(groups);
}
Adadelta::Adadelta(std::vector<Tensor> params, const AdadeltaOptions& d)
    : Adadelta(one_group(std::move(params)), d) {}
Tensor Adadelta::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for_each_param_with_grad<AdadeltaOptions>(param_groups_, [&](const Tensor& p, const AdadeltaOptions& o) {
    auto& s = state_of<AdadeltaParamState>(p, [&] {
      auto n = std::make_unique<AdadeltaParamState>();
      n->square_avg = zeros_for(p);
      n->acc_delta = zeros_for(p);
      return n;
    });
    s.step += 1;
    detail::adadelta_update(p, p.grad(), s.square_avg, s.acc_delta, o.lr(), o.rho(), o.eps(),
                            o.weight_decay(), o.maximize());
  });
  return loss;
}

}  // namespace ember::optim
