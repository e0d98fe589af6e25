// Second derivatives through the differentiable layer ops of
// ember/ops/nn_autograd.h (Note [NN double backward]) on hand-worked numbers.
#include <gtest/gtest.h>

#include "ember/ember.h"
#include "ember/ops/nn_autograd.h"

using namespace ember;

namespace {

std::vector<double> values(const Tensor& t) {
  Tensor c = t.to(DType::Float64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

Tensor arange_f64(int64_t n, const DimVector& shape) {
  return arange(Scalar(1.0), Scalar(double(n + 1)), Scalar(1.0), TensorOptions(DType::Float64)).reshape(shape);
}

}  // namespace

TEST(NnDoubleBackward, ConvGradientPenalty) {
  // y = conv(x, w), 2x2 ones kernel on a 3x3 input: gx = d sum(y) / dx counts
  // the windows over each pixel, and is linear in w, so d sum(gx^2) / dw_k
  // sums 2 gx over the pixels kernel tap k touches: 2 * 9 for every tap.
  Tensor x = arange_f64(9, {1, 1, 3, 3}).set_requires_grad(true);
  Tensor w = ones({1, 1, 2, 2}, TensorOptions(DType::Float64)).set_requires_grad(true);
  Tensor y = nn_autograd::convolution(x, w, std::nullopt, {1}, {0}, {1}, false, {0}, 1);
  Tensor gx = autograd::grad({sum(y)}, {x}, {}, std::nullopt, /*create_graph=*/true)[0];
  EXPECT_EQ(values(gx), (std::vector<double>{1, 2, 1, 2, 4, 2, 1, 2, 1}));
  Tensor gw = autograd::grad({sum(mul(gx, gx))}, {w})[0];
  EXPECT_EQ(values(gw), (std::vector<double>{18, 18, 18, 18}));
}

TEST(NnDoubleBackward, LayerNormGradientWithGraphMatchesKernel) {
  Tensor x = mul(sin(arange_f64(12, {3, 4})), 2.0).set_requires_grad(true);
  Tensor w = cos(arange_f64(4, {4})).set_requires_grad(true);
  Tensor v = cos(arange_f64(12, {3, 4}));
  auto grads = [&](bool create_graph) {
    Tensor y = std::get<0>(nn_autograd::native_layer_norm(x, {4}, w, std::nullopt, 1e-5));
    return autograd::grad({y}, {x, w}, {v}, std::nullopt, create_graph);
  };
  auto plain = grads(false), graphed = grads(true);
  ASSERT_TRUE(graphed[0].requires_grad());
  for (size_t i = 0; i < plain.size(); ++i) {
    auto a = values(plain[i]), b = values(graphed[i]);
    ASSERT_EQ(a.size(), b.size());
    for (size_t j = 0; j < a.size(); ++j) EXPECT_NEAR(a[j], b[j], 1e-12);
  }
}
