// The C++ activation layers, Dropout, the loss functions of
// ember::nn::functional, Python-style reprs, and a digits-style CNN that
// trains.
#include <gtest/gtest.h>

#include <cmath>

#include "ember/ember.h"
#include "ember/nn/functional.h"
#include "nn_test_util.h"

using namespace ember;
using namespace nn_test;
namespace F = ember::nn::functional;

namespace {

// y = module(x) and dy/dx of sum(y), for x of the given values.
std::pair<Tensor, Tensor> run_with_grad(nn::UnaryModule& m, std::initializer_list<double> x_values) {
  Tensor x = tensor(x_values, TensorOptions(DType::Float32)).set_requires_grad(true);
  Tensor y = m(x);
  sum(y).backward();
  return {y, x.grad()};
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

}  // namespace

// ---- activations

TEST(NNActivation, ReLUAndLeakyReLU) {
  nn::ReLU relu;
  auto [y, g] = run_with_grad(relu, {-1, 0, 2});
  expect_values(y, {0, 0, 2});
  expect_values(g, {0, 0, 1});  // PyTorch's gradient at 0 is 0
  EXPECT_EQ(relu.repr(), "ReLU()");
  EXPECT_EQ(nn::ReLU(true).repr(), "ReLU(inplace=True)");
  Tensor z = f32({-3, 4}, {2});
  nn::ReLU(true)(z);
  expect_values(z, {0, 4});  // in place

  nn::LeakyReLU leaky(0.1);
  auto [ly, lg] = run_with_grad(leaky, {-1, 2});
  expect_values(ly, {-0.1, 2});
  expect_values(lg, {0.1, 1});
  EXPECT_EQ(nn::LeakyReLU().repr(), "LeakyReLU(negative_slope=0.01)");
  EXPECT_EQ(nn::LeakyReLU(0.2, true).repr(), "LeakyReLU(negative_slope=0.2, inplace=True)");
}

TEST(NNActivation, TanhSigmoidSiLU) {
  nn::Tanh tanh_m;
  auto [ty, tg] = run_with_grad(tanh_m, {0.5, -2});
  expect_values(ty, {std::tanh(0.5), std::tanh(-2.0)});
  expect_values(tg, {1 - std::pow(std::tanh(0.5), 2), 1 - std::pow(std::tanh(-2.0), 2)});
  EXPECT_EQ(tanh_m.repr(), "Tanh()");

  nn::Sigmoid sig;
  auto [sy, sg] = run_with_grad(sig, {0, 1});
  expect_values(sy, {0.5, sigmoid(1)});
  expect_values(sg, {0.25, sigmoid(1) * (1 - sigmoid(1))});
  EXPECT_EQ(sig.repr(), "Sigmoid()");

  nn::SiLU silu;
  auto [uy, ug] = run_with_grad(silu, {1, -1});
  expect_values(uy, {sigmoid(1), -sigmoid(-1)});
  // d/dx x s(x) = s(x) (1 + x (1 - s(x))).
  expect_values(ug, {sigmoid(1) * (1 + (1 - sigmoid(1))), sigmoid(-1) * (1 - (1 - sigmoid(-1)))});
  EXPECT_EQ(silu.repr(), "SiLU()");
  EXPECT_EQ(nn::SiLU(true).repr(), "SiLU(inplace=True)");
}

TEST(NNActivation, GELU) {
  nn::GELU exact;
  auto [y, g] = run_with_grad(exact, {1, -0.5});
  double phi1 = 0.5 * (1 + std::erf(1 / std::sqrt(2.0))), phim = 0.5 * (1 + std::erf(-0.5 / std::sqrt(2.0)));
  double pdf1 = std::exp(-0.5) / std::sqrt(2 * M_PI), pdfm = std::exp(-0.125) / std::sqrt(2 * M_PI);
  expect_values(y, {phi1, -0.5 * phim});
  expect_values(g, {phi1 + pdf1, phim - 0.5 * pdfm});
  EXPECT_EQ(exact.repr(), "GELU(approximate='none')");
  nn::GELU approx("tanh");
  double inner = std::sqrt(2 / M_PI) * (1 + 0.044715);
  expect_values(approx(f32({1}, {1})), {0.5 * (1 + std::tanh(inner))});
  EXPECT_EQ(approx.repr(), "GELU(approximate='tanh')");
  EXPECT_TRUE(contains(error_of<ValueError>([] { nn::GELU("fast"); }),
                       "[GELU] approximate argument must be either none or tanh, but got 'fast'"));
}

TEST(NNActivation, SoftmaxAndLogSoftmax) {
  Tensor x = f32({1, 2, 3, 0, 0, 0}, {2, 3});
  double z = std::exp(1) + std::exp(2) + std::exp(3);
  nn::Softmax sm(1);
  expect_values(sm(x), {std::exp(1) / z, std::exp(2) / z, std::exp(3) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0});
  expect_values(nn::Softmax(0)(x).select(1, 0), {sigmoid(1), sigmoid(-1)});
  nn::LogSoftmax lsm(-1);
  expect_values(lsm(x), {1 - std::log(z), 2 - std::log(z), 3 - std::log(z), -std::log(3), -std::log(3),
                         -std::log(3)});
  EXPECT_EQ(sm.repr(), "Softmax(dim=1)");
  EXPECT_EQ(lsm.repr(), "LogSoftmax(dim=-1)");
  // The gradient of sum(log_softmax) is 1 - n softmax along the dim.
  Tensor xg = x.detach().set_requires_grad(true);
  sum(lsm(xg)).backward();
  expect_values(xg.grad(), {1 - 3 * std::exp(1) / z, 1 - 3 * std::exp(2) / z, 1 - 3 * std::exp(3) / z, 0, 0, 0});
  EXPECT_THROW(sm(f32({1, 2}, {2})), IndexError);  // dim 1 of a 1-D tensor
}

// ---- dropout

TEST(NNDropout, TrainAndEval) {
  manual_seed(0);
  nn::Dropout drop(0.5);
  EXPECT_EQ(drop.repr(), "Dropout(p=0.5, inplace=False)");
  Tensor x = ones({100, 100}).set_requires_grad(true);
  Tensor y = drop(x);
  int64_t zeros_seen = 0;
  for (double v : values(y)) {
    EXPECT_TRUE(v == 0.0 || v == 2.0) << v;  // dropped, or scaled by 1 / (1 - p)
    zeros_seen += v == 0.0;
  }
  EXPECT_GT(zeros_seen, 4500);
  EXPECT_LT(zeros_seen, 5500);
  sum(y).backward();
  expect_same(x.grad(), y);  // the gradient is the same scaled mask
  // The same seed gives the same mask.
  manual_seed(0);
  expect_same(drop(x), y);

  drop.eval();
  EXPECT_TRUE(equal(drop(x), x));
  EXPECT_TRUE(equal(nn::Dropout(0.0)(x), x));
  nn::Dropout all(1.0);
  expect_values(all(f32({1, 2}, {2})), {0, 0});
  Tensor z = f32({1, 2, 3, 4}, {4});
  nn::Dropout(1.0, true)(z);
  expect_values(z, {0, 0, 0, 0});  // in place
  EXPECT_EQ(nn::Dropout(0.25, true).repr(), "Dropout(p=0.25, inplace=True)");
  EXPECT_TRUE(contains(error_of<ValueError>([] { nn::Dropout(1.5); }),
                       "dropout probability has to be between 0 and 1, but got 1.5"));
  EXPECT_THROW(F::dropout(x, -0.1), ValueError);
}

TEST(NNDropout, ModesPropagateThroughContainers) {
  auto model = std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(4, 4), std::make_shared<nn::Dropout>());
  model->eval();
  EXPECT_FALSE((*model)[1]->is_training());
  Tensor x = ones({2, 4});
  EXPECT_TRUE(equal(model->forward(x), model->forward(x)));  // deterministic in eval
  model->train();
  EXPECT_TRUE((*model)[1]->is_training());
}

// ---- losses

TEST(NNLoss, CrossEntropyNllMse) {
  Tensor logits = f32({0, 0, 1, 2, 3, 0}, {2, 3});
  Tensor target = tensor({1, 0}, TensorOptions(DType::Int64));
  // Rows (0, 0, 1) with target 1 and (2, 3, 0) with target 0: logsumexp minus the target's logit.
  double l0 = std::log(2 + std::exp(1)), l1 = std::log(std::exp(2) + std::exp(3) + 1) - 2;
  expect_values(F::cross_entropy(logits, target), {(l0 + l1) / 2});
  expect_values(F::cross_entropy(logits, target, {}, Reduction::Sum), {l0 + l1});
  expect_values(F::cross_entropy(logits, target, {}, Reduction::None), {l0, l1});
  expect_values(F::nll_loss(F::log_softmax(logits, 1), target), {(l0 + l1) / 2});
  // ignore_index drops a sample from the mean.
  expect_values(F::cross_entropy(logits, tensor({1, -100}, TensorOptions(DType::Int64))), {l0});

  Tensor a = f32({1, 2}, {2}).set_requires_grad(true), b = f32({3, 5}, {2});
  Tensor m = F::mse_loss(a, b);
  expect_values(m, {6.5});
  m.backward();
  expect_values(a.grad(), {-2, -3});  // 2 (a - b) / n
  expect_values(F::mse_loss(a, b, Reduction::Sum), {13});
  expect_values(F::mse_loss(a, b, Reduction::None), {4, 9});
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { F::mse_loss(zeros({3}), zeros({4})); }),
                       "must match the size of tensor b (4)"));
  EXPECT_THROW(F::cross_entropy(logits, tensor({3, 0}, TensorOptions(DType::Int64))), IndexError);
}

// ---- reprs: numbers as Python prints them

TEST(NNRepr, FloatsPrintAsPython) {
  EXPECT_EQ(nn::LeakyReLU(1.0).repr(), "LeakyReLU(negative_slope=1.0)");
  EXPECT_EQ(nn::LeakyReLU(0.0001).repr(), "LeakyReLU(negative_slope=0.0001)");
  EXPECT_EQ(nn::LeakyReLU(0.00001).repr(), "LeakyReLU(negative_slope=1e-05)");
  EXPECT_EQ(nn::LeakyReLU(123.25).repr(), "LeakyReLU(negative_slope=123.25)");
  EXPECT_EQ(nn::LeakyReLU(1e16).repr(), "LeakyReLU(negative_slope=1e+16)");
  EXPECT_EQ(nn::LeakyReLU(1234567890123456.0).repr(), "LeakyReLU(negative_slope=1234567890123456.0)");
  EXPECT_EQ(nn::LeakyReLU(-2.5e-7).repr(), "LeakyReLU(negative_slope=-2.5e-07)");
  EXPECT_EQ(nn::LeakyReLU(0.1 + 0.2).repr(), "LeakyReLU(negative_slope=0.30000000000000004)");
  EXPECT_EQ(nn::BatchNorm2d(16).repr(),
            "BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
  EXPECT_EQ(nn::BatchNorm1d(8, 0.001, 0.01, false, false).repr(),
            "BatchNorm1d(8, eps=0.001, momentum=0.01, affine=False, track_running_stats=False)");
}

// ---- a digits-style CNN trains

namespace {

// The digits example's network on 8x8 inputs, with a BatchNorm2d added so
// every new layer family takes part.
std::shared_ptr<nn::Sequential> digits_like_cnn() {
  return std::make_shared<nn::Sequential>(
      std::make_shared<nn::Conv2d>(1, 8, 3, 1, 1), std::make_shared<nn::BatchNorm2d>(8),
      std::make_shared<nn::ReLU>(), std::make_shared<nn::Conv2d>(8, 16, 3, 1, "same"),
      std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(2), std::make_shared<nn::Flatten>(),
      std::make_shared<nn::Linear>(16 * 4 * 4, 32), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Dropout>(0.25), std::make_shared<nn::Linear>(32, 4));
}

}  // namespace

TEST(NNTraining, DigitsStyleCnnLossDecreases) {
  manual_seed(0);
  auto model = digits_like_cnn();
  EXPECT_EQ(model->named_parameters()[0].first, "0.weight");
  EXPECT_EQ(model->state_dict().count("1.running_mean"), 1u);
  // Four classes: a bright 4x4 quadrant on noise.
  Generator gen(1);
  const int64_t n = 64;
  Tensor x = mul(rand({n, 1, 8, 8}, {}, &gen), 0.3);
  Tensor y = randint(0, 4, {n}, {}, &gen);
  for (int64_t i = 0; i < n; ++i) {
    int64_t c = y.select(0, i).item().to_int();
    Tensor quadrant = x.select(0, i).select(0, 0).narrow(0, (c / 2) * 4, 4).narrow(1, (c % 2) * 4, 4);
    add_(quadrant, 1.0);
  }
  optim::Adam opt(model->parameters(), optim::AdamOptions(1e-2));
  double first = 0, last = 0;
  for (int step = 0; step < 30; ++step) {
    Tensor loss = F::cross_entropy(model->forward(x), y);
    if (step == 0) first = loss.item().to_double();
    last = loss.item().to_double();
    opt.zero_grad();
    loss.backward();
    for (auto& [name, p] : model->named_parameters()) ASSERT_TRUE(p.grad().defined()) << name;
    opt.step();
  }
  EXPECT_GT(first, 1.0);  // about log(4) at the start
  EXPECT_LT(last, 0.3 * first);
  model->eval();
  NoGradGuard no_grad;
  double acc = sum(eq(argmax(model->forward(x), 1), y)).item().to_double() / double(n);
  EXPECT_GT(acc, 0.9);
}
