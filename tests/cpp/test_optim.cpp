// GoogleTest for ember::optim: hand-worked steps, the classes against their
// fused kernels, parameter groups, zero_grad, option checks and LBFGS.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ember/ember.h"

using namespace ember;
using namespace ember::optim;

namespace {

Tensor vec(std::initializer_list<double> v) { return tensor(v, TensorOptions(DType::Float64)); }

std::vector<double> values(const Tensor& t) {
  const double* p = t.data_ptr<double>();
  return std::vector<double>(p, p + t.numel());
}

void expect_near(const Tensor& t, const std::vector<double>& want, double tol = 1e-14) {
  auto got = values(t);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

}  // namespace

TEST(Optim, SgdMomentumHandWorked) {
  Tensor p = vec({1.0});
  SGD opt(std::vector<Tensor>{p}, SGDOptions(0.1).momentum(0.9));
  for (int i = 0; i < 2; ++i) {
    p.set_grad(vec({0.5}));
    opt.step();
  }
  // buf = 0.5 -> p = 0.95; buf = 0.9 * 0.5 + 0.5 = 0.95 -> p = 0.855.
  expect_near(p, {0.855});
  auto& state = static_cast<SGDParamState&>(*opt.state().at(p.impl()));
  expect_near(state.momentum_buffer, {0.95});
}

TEST(Optim, AdamFirstStepIsLrTimesSign) {
  Tensor p = vec({1.0, -2.0, 3.0});
  p.set_grad(vec({0.3, -7.0, 1e-3}));
  Adam opt(std::vector<Tensor>{p}, AdamOptions(0.1).eps(0));
  opt.step();
  expect_near(p, {0.9, -1.9, 2.9}, 1e-15);
}

TEST(Optim, AdamWDecaysWeightsWithoutGradientSignal) {
  // A zero gradient leaves the moments at zero, so only the decay acts.
  Tensor p = vec({2.0, -4.0});
  p.set_grad(vec({0.0, 0.0}));
  AdamW opt(std::vector<Tensor>{p}, AdamWOptions(0.1).weight_decay(0.5));
  opt.step();
  expect_near(p, {2.0 * 0.95, -4.0 * 0.95});
}

// Each class must do exactly what its kernel does with the same options.
TEST(Optim, ClassesMatchTheirKernels) {
  auto run = [](auto make_opt, auto kernel_step) {
    Tensor a = vec({0.5, -1.5, 2.0}), b = a.clone();
    auto opt = make_opt(a);
    for (int step = 1; step <= 3; ++step) {
      Tensor g = vec({0.1 * step, -0.2, 0.3 / step});
      a.set_grad(g);
      opt->step();
      kernel_step(b, g, step);
    }
    expect_near(a, values(b), 0.0);
  };
  using V = std::vector<Tensor>;
  {
    Tensor buf = zeros({3}, TensorOptions(DType::Float64));
    run([](Tensor p) { return std::make_unique<SGD>(V{p}, SGDOptions(0.1).momentum(0.9).dampening(0.1)); },
        [&](Tensor p, Tensor g, int step) {
          optim::detail::sgd_update(p, g, buf, step == 1, 0.1, 0.9, 0.1, 0, false, false);
        });
  }
  {
    Tensor m = zeros({3}, TensorOptions(DType::Float64)), v = m.clone(), vmax = m.clone();
    run([](Tensor p) { return std::make_unique<Adam>(V{p}, AdamOptions(0.1).amsgrad(true).weight_decay(0.1)); },
        [&](Tensor p, Tensor g, int step) {
          optim::detail::adam_update(p, g, m, v, vmax, step, 0.1, 0.9, 0.999, 1e-8, 0.1, true, false, false);
        });
  }
  {
    Tensor m = zeros({3}, TensorOptions(DType::Float64)), u = m.clone();
    run([](Tensor p) { return std::make_unique<Adamax>(V{p}, AdamaxOptions(0.1).maximize(true)); },
        [&](Tensor p, Tensor g, int step) {
          optim::detail::adamax_update(p, g, m, u, step, 0.1, 0.9, 0.999, 1e-8, 0, true);
        });
  }
  {
    Tensor m = zeros({3}, TensorOptions(DType::Float64)), v = m.clone();
    double mu_product = 1.0;
    run([](Tensor p) { return std::make_unique<NAdam>(V{p}, NAdamOptions(0.1).decoupled_weight_decay(true).weight_decay(0.2)); },
        [&](Tensor p, Tensor g, int step) {
          mu_product = optim::detail::nadam_update(p, g, m, v, step, mu_product, 0.1, 0.9, 0.999, 1e-8, 0.2, 4e-3, true, false);
        });
  }
  {
    Tensor m = zeros({3}, TensorOptions(DType::Float64)), v = m.clone();
    run([](Tensor p) { return std::make_unique<RAdam>(V{p}, RAdamOptions(0.1).betas({0.9, 0.5})); },
        [&](Tensor p, Tensor g, int step) {
          optim::detail::radam_update(p, g, m, v, step, 0.1, 0.9, 0.5, 1e-8, 0, false, false);
        });
  }
  {
    Tensor sq = zeros({3}, TensorOptions(DType::Float64)), ga = sq.clone(), buf = sq.clone();
    run([](Tensor p) { return std::make_unique<RMSprop>(V{p}, RMSpropOptions(0.01).centered(true).momentum(0.5)); },
        [&](Tensor p, Tensor g, int) { optim::detail::rmsprop_update(p, g, sq, ga, buf, 0.01, 0.99, 1e-8, 0, 0.5, true, false); });
  }
  {
    Tensor sum = full({3}, Scalar(0.1), TensorOptions(DType::Float64));
    run([](Tensor p) { return std::make_unique<Adagrad>(V{p}, AdagradOptions(0.1).lr_decay(0.3).initial_accumulator_value(0.1)); },
        [&](Tensor p, Tensor g, int step) { optim::detail::adagrad_update(p, g, sum, step, 0.1, 0.3, 0, 1e-10, false); });
  }
  {
    Tensor sq = zeros({3}, TensorOptions(DType::Float64)), acc = sq.clone();
    run([](Tensor p) { return std::make_unique<Adadelta>(V{p}, AdadeltaOptions(0.5).rho(0.8)); },
        [&](Tensor p, Tensor g, int) { optim::detail::adadelta_update(p, g, sq, acc, 0.5, 0.8, 1e-6, 0, false); });
  }
}

TEST(Optim, ParamGroupsWithTheirOwnOptions) {
  Tensor a = vec({1.0}), b = vec({1.0});
  std::vector<OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<Tensor>{a});
  groups.emplace_back(std::vector<Tensor>{b}, std::make_unique<SGDOptions>(SGDOptions(0.5)));
  SGD opt(groups, SGDOptions(0.1));
  a.set_grad(vec({1.0}));
  b.set_grad(vec({1.0}));
  opt.step();
  expect_near(a, {0.9});
  expect_near(b, {0.5});
  EXPECT_DOUBLE_EQ(opt.param_groups()[0].options().get_lr(), 0.1);
  opt.param_groups()[0].options().set_lr(1.0);
  opt.step();
  expect_near(a, {-0.1});

  Tensor c = vec({3.0});
  opt.add_param_group(OptimizerParamGroup({c}));
  EXPECT_EQ(opt.param_groups().size(), 3u);
  EXPECT_EQ(opt.size(), 3u);
  EXPECT_DOUBLE_EQ(opt.param_groups()[2].options().get_lr(), 0.1);
  EXPECT_THROW(opt.add_param_group(OptimizerParamGroup({a})), ValueError);
}

TEST(Optim, ZeroGrad) {
  Tensor a = vec({1.0, 2.0});
  SGD opt(std::vector<Tensor>{a}, SGDOptions(0.1));
  a.set_grad(vec({3.0, 4.0}));
  opt.zero_grad(/*set_to_none=*/false);
  expect_near(a.grad(), {0.0, 0.0});
  opt.zero_grad();
  EXPECT_FALSE(a.grad().defined());
  opt.step();  // no gradient: nothing happens
  expect_near(a, {1.0, 2.0});
}

TEST(Optim, OptionChecks) {
  std::vector<Tensor> p{vec({1.0})};
  EXPECT_THROW(SGD(p, SGDOptions(-1)), ValueError);
  EXPECT_THROW(SGD(p, SGDOptions(0.1).nesterov(true)), ValueError);
  EXPECT_THROW(Adam(p, AdamOptions().betas({1.0, 0.9})), ValueError);
  EXPECT_THROW(RMSprop(p, RMSpropOptions().alpha(-1)), ValueError);
  EXPECT_THROW(Adadelta(p, AdadeltaOptions().rho(2)), ValueError);
  EXPECT_THROW(SGD(std::vector<Tensor>{}, SGDOptions(0.1)), ValueError);
  try {
    Adam(p, AdamOptions(-0.5));
    FAIL() << "no error";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "[Adam] Invalid learning rate: -0.5");
  }
  std::vector<Tensor> ints{tensor({1, 2})};
  EXPECT_THROW(SGD(ints, SGDOptions(0.1)), TypeError);
}

TEST(Optim, KernelChecks) {
  Tensor p = vec({1.0, 2.0});
  EXPECT_THROW(optim::detail::sgd_update(p, vec({1.0}), Tensor(), true, 0.1, 0, 0, 0, false, false), RuntimeError);
  EXPECT_THROW(optim::detail::sgd_update(p, Tensor(), Tensor(), true, 0.1, 0, 0, 0, false, false), ValueError);
  EXPECT_THROW(optim::detail::sgd_update(p, vec({1.0, 1.0}), Tensor(), false, 0.1, 0.9, 0, 0, false, false), ValueError);
  expect_near(p, {1.0, 2.0});
}

TEST(Optim, FloatParametersComputeInTheirPrecision) {
  Tensor p = tensor({1.0f, -1.0f});
  p.set_grad(tensor({0.5f, 0.5f}));
  SGD opt(std::vector<Tensor>{p}, SGDOptions(0.5));
  opt.step();
  EXPECT_EQ(p.dtype(), DType::Float32);
  EXPECT_FLOAT_EQ(p.data_ptr<float>()[0], 0.75f);
  EXPECT_FLOAT_EQ(p.data_ptr<float>()[1], -1.25f);
}

TEST(Optim, LbfgsMinimizesAQuadratic) {
  // f(x) = sum_i w_i (x_i - c_i)^2 / 2, minimum at c.
  const double w[3] = {1.0, 4.0, 9.0}, c[3] = {1.0, -2.0, 0.5};
  for (const char* line_search : {"", "strong_wolfe"}) {
    Tensor x = vec({0.0, 0.0, 0.0});
    LBFGSOptions options(1.0);
    options.max_iter(50).tolerance_grad(1e-12).tolerance_change(1e-15);
    if (*line_search) options.line_search_fn(std::string(line_search));
    LBFGS opt(std::vector<Tensor>{x}, options);
    int evaluations = 0;
    auto closure = [&]() {
      ++evaluations;
      const double* v = x.data_ptr<double>();
      double f = 0;
      Tensor g = zeros({3}, TensorOptions(DType::Float64));
      for (int i = 0; i < 3; ++i) {
        f += 0.5 * w[i] * (v[i] - c[i]) * (v[i] - c[i]);
        g.data_ptr<double>()[i] = w[i] * (v[i] - c[i]);
      }
      x.set_grad(g);
      return full({}, Scalar(f), TensorOptions(DType::Float64));
    };
    Tensor first = opt.step(closure);
    EXPECT_DOUBLE_EQ(first.item().to_double(), 0.5 * (1.0 + 16.0 + 2.25)) << line_search;
    for (int k = 0; k < 3; ++k) opt.step(closure);
    expect_near(x, {1.0, -2.0, 0.5}, 1e-8);
    EXPECT_GT(evaluations, 1);
    auto& state = static_cast<LBFGSParamState&>(*opt.state().at(x.impl()));
    EXPECT_EQ(state.func_evals, evaluations);
  }
}

TEST(Optim, LbfgsRejectsGroupsAndMissingClosures) {
  Tensor a = vec({1.0}), b = vec({2.0});
  std::vector<OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<Tensor>{a});
  groups.emplace_back(std::vector<Tensor>{b});
  EXPECT_THROW(LBFGS(groups, LBFGSOptions()), ValueError);
  LBFGS opt(std::vector<Tensor>{a}, LBFGSOptions());
  EXPECT_THROW(opt.step(nullptr), ValueError);
}
