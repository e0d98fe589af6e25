// The C++ layers with parameters or windows: Conv1d/Conv2d, pooling,
// BatchNorm1d/2d, LayerNorm, Embedding. Values are hand-worked or compared
// with the op the layer should call; names, shapes, init bounds, modes,
// gradients, reprs and errors as Python has them.
#include <gtest/gtest.h>

#include <cmath>

#include "ember/ember.h"
#include "ember/nn/functional.h"
#include "ember/ops/nn_autograd.h"
#include "nn_test_util.h"

using namespace ember;
using namespace nn_test;
namespace F = ember::nn::functional;

namespace {

// |values| <= bound, and not all tiny (a U(-b, b) draw of many elements
// comes close to the bound).
void expect_uniform_within(const Tensor& t, double bound) {
  double max_abs = 0;
  for (double v : values(t)) {
    EXPECT_LE(std::abs(v), bound);
    max_abs = std::max(max_abs, std::abs(v));
  }
  EXPECT_GT(max_abs, 0.8 * bound);
}

std::vector<std::string> names(const std::vector<std::pair<std::string, Tensor>>& named) {
  std::vector<std::string> out;
  for (auto& [n, t] : named) out.push_back(n);
  return out;
}

}  // namespace

// ---- convolution

TEST(NNConv, Conv2dParametersAndInit) {
  nn::Conv2d conv(4, 6, 3, 1, 1, 1, /*groups=*/2);
  EXPECT_EQ(names(conv.named_parameters()), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(conv.weight.sizes(), DimVector({6, 2, 3, 3}));
  EXPECT_EQ(conv.bias.sizes(), DimVector({6}));
  EXPECT_TRUE(conv.weight.requires_grad());
  double bound = 1.0 / std::sqrt(2.0 * 9.0);  // fan_in = in / groups * kh * kw
  expect_uniform_within(nn::Conv2d(8, 64, 3).weight, 1.0 / std::sqrt(72.0));
  for (double v : values(conv.bias)) EXPECT_LE(std::abs(v), bound);
  nn::Conv1d c1(3, 5, 4, 1, 0, 1, 1, /*bias=*/false);
  EXPECT_EQ(c1.weight.sizes(), DimVector({5, 3, 4}));
  EXPECT_FALSE(c1.bias.defined());
  EXPECT_EQ(names(c1.named_parameters()), (std::vector<std::string>{"weight"}));
}

TEST(NNConv, Conv2dHandWorkedValuesAndGradients) {
  nn::Conv2d conv(1, 1, 2);
  {
    NoGradGuard g;
    conv.weight.copy_(f32({1, 2, 3, 4}, {1, 1, 2, 2}));
    conv.bias.fill_(0.5);
  }
  Tensor x = arange(0, 9).to(DType::Float32).reshape({1, 1, 3, 3});
  Tensor y = conv(x);
  // [[0,1,2],[3,4,5],[6,7,8]] * [[1,2],[3,4]]: 27 37 / 57 67, plus the bias.
  EXPECT_EQ(y.sizes(), DimVector({1, 1, 2, 2}));
  expect_values(y, {27.5, 37.5, 57.5, 67.5});
  sum(y).backward();
  // d/dw[i][j] = sum of the inputs each weight meets: 0+1+3+4, 1+2+4+5, 3+4+6+7, 4+5+7+8.
  expect_values(conv.weight.grad(), {8, 12, 20, 24});
  expect_values(conv.bias.grad(), {4});
}

TEST(NNConv, MatchesTheConvolutionOp) {
  manual_seed(1);
  nn::Conv2d conv(4, 6, {3, 2}, {2, 1}, {1, 0}, {1, 2}, 2);
  Tensor x = randn({2, 4, 7, 6});
  Tensor want = nn_autograd::convolution(x, conv.weight, conv.bias, {2, 1}, {1, 0}, {1, 2}, false, {0, 0}, 2);
  expect_same(conv(x), want);
  // Unbatched input (C, H, W) gives the batched result without its batch dim.
  expect_same(conv(x.select(0, 1)), want.select(0, 1));
}

TEST(NNConv, SamePaddingPutsTheOddElementOnTheRight) {
  // Kernel 2 pads 1 in total: PyTorch pads 0 on the left and 1 on the right,
  // so y[i] = x[i] + 2 x[i+1] with x[4] = 0.
  nn::Conv1d conv(1, 1, 2, 1, "same", 1, 1, false);
  {
    NoGradGuard g;
    conv.weight.copy_(f32({1, 2}, {1, 1, 2}));
  }
  Tensor x = f32({1, 2, 3, 4}, {1, 1, 4}).set_requires_grad(true);
  Tensor y = conv(x);
  EXPECT_EQ(y.sizes(), DimVector({1, 1, 4}));
  expect_values(y, {5, 8, 11, 4});
  sum(y).backward();
  expect_values(x.grad(), {1, 3, 3, 3});
  expect_values(conv.weight.grad(), {10, 9});  // 1+2+3+4 and 2+3+4+0
}

TEST(NNConv, SameAndValidPaddingMatchExplicitPadding) {
  manual_seed(2);
  Tensor x = randn({2, 2, 6, 5});
  // Odd kernel with dilation 2: d (k - 1) = 4, 2 on each side.
  nn::Conv2d same(2, 3, 3, 1, "same", 2);
  expect_same(same(x), F::conv2d(x, same.weight, same.bias, 1, 2, 2));
  // (3, 4) kernel: dim 0 pads 1 + 1, dim 1 pads 1 left and 2 right; compare
  // with explicit padding 2 on dim 1 and the first column dropped.
  nn::Conv2d mixed(2, 3, {3, 4}, 1, "same");
  Tensor full = F::conv2d(x, mixed.weight, mixed.bias, 1, {1, 2});
  expect_same(mixed(x), full.narrow(3, 1, 5));
  EXPECT_EQ(mixed(x).sizes(), DimVector({2, 3, 6, 5}));
  nn::Conv2d valid(2, 3, 3, 1, "valid");
  expect_same(valid(x), F::conv2d(x, valid.weight, valid.bias));
  EXPECT_EQ(valid(x).sizes(), DimVector({2, 3, 4, 3}));
}

TEST(NNConv, Repr) {
  EXPECT_EQ(nn::Conv2d(1, 32, 3, 1, 1).repr(), "Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))");
  EXPECT_EQ(nn::Conv2d(4, 8, {3, 5}, 2).repr(), "Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 2))");
  EXPECT_EQ(nn::Conv1d(2, 4, 3, 1, "same", 2, 2, false).repr(),
            "Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same, dilation=(2,), groups=2, bias=False)");
  EXPECT_EQ(nn::Conv1d(2, 4, 3, 1, "valid").repr(), "Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=valid)");
}

TEST(NNConv, Errors) {
  EXPECT_TRUE(contains(error_of<ValueError>([] { nn::Conv2d(3, 6, 3, 1, 0, 1, 2); }),
                       "[Conv2d] in_channels (3) must be divisible by groups (2)"));
  EXPECT_THROW(nn::Conv2d(4, 6, 3, 1, 0, 1, 4), ValueError);
  EXPECT_THROW(nn::Conv2d(4, 6, 3, 1, 0, 1, 0), ValueError);
  EXPECT_TRUE(contains(error_of<ValueError>([] { nn::Conv2d(1, 1, 3, 2, "same"); }),
                       "padding='same' is not supported for strided convolutions"));
  EXPECT_TRUE(contains(error_of<ValueError>([] { std::string mode = "full"; nn::Conv2d(1, 1, 3, 1, mode); }),
                       "Invalid padding string 'full'"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { nn::Conv2d(1, 1, {3, 3, 3}); }),
                       "[Conv2d] expected a single integer or a list of 2 integers for kernel_size"));
  EXPECT_THROW(nn::Conv2d(1, 1, 0), ValueError);
  EXPECT_THROW(nn::Conv2d(1, 1, 3, 1, -1), ValueError);
  nn::Conv2d conv(3, 4, 3);
  std::string msg = error_of<RuntimeError>([&] { conv(zeros({2, 3, 5})); });
  EXPECT_TRUE(contains(msg, "[conv2d]")) << msg;
  msg = error_of<RuntimeError>([&] { conv(zeros({1, 2, 5, 5})); });
  EXPECT_TRUE(contains(msg, "[conv2d]")) << msg;
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { F::conv2d(zeros({1, 3, 5, 5}), zeros({4, 3, 3})); }),
                       "Expected 4-dimensional weight"));
}

// ---- pooling

TEST(NNPool, MaxPool2dValuesIndicesGradient) {
  nn::MaxPool2d pool(2);
  Tensor x = arange(0, 16).to(DType::Float32).reshape({1, 1, 4, 4}).set_requires_grad(true);
  Tensor y = pool(x);
  expect_values(y, {5, 7, 13, 15});
  auto [out, idx] = pool.forward_with_indices(x.detach());
  expect_values(out, {5, 7, 13, 15});
  expect_values(idx, {5, 7, 13, 15});  // flat positions within the 4x4 plane
  sum(y).backward();
  std::vector<double> g(16, 0.0);
  for (int i : {5, 7, 13, 15}) g[i] = 1.0;
  expect_values(x.grad(), g);
  // Overlapping windows with padding: stride 1, padding 1 on a 3x3 plane.
  nn::MaxPool2d overlap(3, nn::Dims(1), 1);
  Tensor z = arange(0, 9).to(DType::Float32).reshape({1, 3, 3});  // unbatched
  expect_values(overlap(z), {4, 5, 5, 7, 8, 8, 7, 8, 8});
}

TEST(NNPool, AvgPool2dAndAdaptive) {
  Tensor x = arange(0, 16).to(DType::Float32).reshape({1, 1, 4, 4}).set_requires_grad(true);
  nn::AvgPool2d avg(2);
  Tensor y = avg(x);
  expect_values(y, {2.5, 4.5, 10.5, 12.5});
  sum(y).backward();
  expect_values(x.grad(), std::vector<double>(16, 0.25));
  // count_include_pad=false divides by the real elements only.
  nn::AvgPool2d padded(2, nn::Dims(2), 1, false, false);
  Tensor corner = padded(arange(0, 16).to(DType::Float32).reshape({1, 1, 4, 4}));
  EXPECT_FLOAT_EQ(float(values(corner)[0]), 0.0f);  // only x[0][0] = 0 is real in the first window
  EXPECT_FLOAT_EQ(float(values(corner)[1]), 1.5f);  // (1 + 2) / 2
  nn::AdaptiveAvgPool2d gap(1);
  manual_seed(3);
  Tensor r = randn({2, 3, 4, 6});
  Tensor g = gap(r);
  EXPECT_EQ(g.sizes(), DimVector({2, 3, 1, 1}));
  expect_same(g, mean(r, DimVector{2, 3}, true));
  // Dividing 4x6 into 2x3 windows is average pooling with kernel 2.
  expect_same(nn::AdaptiveAvgPool2d({2, 3})(r), nn::AvgPool2d(2)(r));
}

TEST(NNPool, ReprAndErrors) {
  EXPECT_EQ(nn::MaxPool2d(2).repr(), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
  EXPECT_EQ(nn::MaxPool2d({2, 3}, nn::Dims{1, 2}, 1, 1, true).repr(),
            "MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=1, dilation=1, ceil_mode=True)");
  EXPECT_EQ(nn::AvgPool2d(3, nn::Dims(1)).repr(), "AvgPool2d(kernel_size=3, stride=1, padding=0)");
  EXPECT_EQ(nn::AdaptiveAvgPool2d(1).repr(), "AdaptiveAvgPool2d(output_size=1)");
  EXPECT_EQ(nn::AdaptiveAvgPool2d({5, 7}).repr(), "AdaptiveAvgPool2d(output_size=(5, 7))");
  EXPECT_THROW(nn::MaxPool2d({2, 2, 2}), RuntimeError);
  EXPECT_THROW(nn::AdaptiveAvgPool2d({1, 2, 3}), RuntimeError);
  nn::MaxPool2d pool(2);
  std::string msg = error_of<RuntimeError>([&] { pool(zeros({4, 4})); });
  EXPECT_TRUE(contains(msg, "[max_pool2d]")) << msg;
  EXPECT_THROW(nn::MaxPool2d(0)(zeros({1, 4, 4})), RuntimeError);
  EXPECT_THROW(nn::MaxPool2d(5)(zeros({1, 4, 4})), RuntimeError);  // window larger than the input
}

// ---- batch norm

TEST(NNBatchNorm, NamesShapesAndInit) {
  nn::BatchNorm2d bn(3);
  EXPECT_EQ(names(bn.named_parameters()), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(names(bn.named_buffers()),
            (std::vector<std::string>{"running_mean", "running_var", "num_batches_tracked"}));
  expect_values(bn.weight, {1, 1, 1});
  expect_values(bn.bias, {0, 0, 0});
  expect_values(bn.running_mean, {0, 0, 0});
  expect_values(bn.running_var, {1, 1, 1});
  EXPECT_EQ(bn.num_batches_tracked.dim(), 0);
  EXPECT_EQ(bn.num_batches_tracked.dtype(), DType::Int64);
  EXPECT_FALSE(bn.running_mean.requires_grad());
  auto sd = bn.state_dict();
  EXPECT_EQ(sd.size(), 5u);
  EXPECT_TRUE(sd.count("num_batches_tracked"));
  bn.to(DType::Float64);  // floating buffers convert, the counter stays int64
  EXPECT_EQ(bn.running_var.dtype(), DType::Float64);
  EXPECT_EQ(bn.num_batches_tracked.dtype(), DType::Int64);

  nn::BatchNorm1d plain(4, 1e-5, 0.1, /*affine=*/false, /*track_running_stats=*/false);
  EXPECT_TRUE(plain.named_parameters().empty());
  EXPECT_TRUE(plain.named_buffers().empty());
  EXPECT_TRUE(plain.state_dict().empty());
}

TEST(NNBatchNorm, TrainingUpdatesRunningStatsEvalUsesThem) {
  nn::BatchNorm1d bn(2);
  Tensor x = f32({1, 10, 3, 20}, {2, 2});
  // Batch mean (2, 15), biased variance (1, 25): each column becomes -1, 1.
  double s = 1.0 / std::sqrt(1.0 + 1e-5), t = 5.0 / std::sqrt(25.0 + 1e-5);
  expect_values(bn(x), {-s, -t, s, t});
  // Running stats: 0.9 old + 0.1 batch, with the unbiased variance (2, 50).
  expect_values(bn.running_mean, {0.2, 1.5});
  expect_values(bn.running_var, {1.1, 5.9});
  EXPECT_EQ(bn.num_batches_tracked.item().to_int(), 1);
  bn.eval();
  Tensor y = bn(x);
  expect_values(y, {(1 - 0.2) / std::sqrt(1.1 + 1e-5), (10 - 1.5) / std::sqrt(5.9 + 1e-5),
                    (3 - 0.2) / std::sqrt(1.1 + 1e-5), (20 - 1.5) / std::sqrt(5.9 + 1e-5)});
  expect_values(bn.running_mean, {0.2, 1.5});  // eval leaves them alone
  EXPECT_EQ(bn.num_batches_tracked.item().to_int(), 1);
  // 3-D input (N, C, L) normalises over N and L.
  bn.train();
  Tensor z = bn(f32({0, 2, 10, 10, 4, 6, 30, 30}, {2, 2, 2}));
  expect_values(mean(z, DimVector{0, 2}), {0, 0}, 1e-6);
}

TEST(NNBatchNorm, CumulativeAverageWithoutMomentum) {
  nn::BatchNorm1d bn(1, 1e-5, std::nullopt);
  bn(f32({1, 3}, {2, 1}));  // mean 2
  bn(f32({6, 10}, {2, 1}));  // mean 8
  expect_values(bn.running_mean, {5});  // (2 + 8) / 2
  expect_values(bn.running_var, {(2.0 + 8.0) / 2});  // unbiased variances 2 and 8
  EXPECT_EQ(bn.repr(), "BatchNorm1d(1, eps=1e-05, momentum=None, affine=True, track_running_stats=True)");
}

TEST(NNBatchNorm, WithoutRunningStatsEvalUsesTheBatch) {
  nn::BatchNorm1d bn(2, 1e-5, 0.1, true, false);
  bn.eval();
  Tensor x = f32({1, 10, 3, 20}, {2, 2});
  double s = 1.0 / std::sqrt(1.0 + 1e-5), t = 5.0 / std::sqrt(25.0 + 1e-5);
  expect_values(bn(x), {-s, -t, s, t});
}

TEST(NNBatchNorm, Batchnorm2dGradientsAndAgreementWithTheOp) {
  manual_seed(4);
  nn::BatchNorm2d bn(3);
  {
    NoGradGuard g;
    uniform_(bn.weight, 0.5, 1.5);
    uniform_(bn.bias, -1, 1);
  }
  Tensor x = randn({4, 3, 5, 5});
  Tensor rm = zeros({3}), rv = ones({3});
  Tensor want = F::batch_norm(x, rm, rv, bn.weight, bn.bias, true, 0.1, 1e-5);
  Tensor y = bn(x);
  expect_same(y, want, 1e-5);
  expect_same(bn.running_mean, rm);
  expect_same(bn.running_var, rv);
  sum(mul(y, y)).backward();
  ASSERT_TRUE(bn.weight.grad().defined());
  ASSERT_TRUE(bn.bias.grad().defined());
  EXPECT_EQ(bn.weight.grad().sizes(), DimVector({3}));
  // d/dbias sum(y^2) = 2 sum(y) per channel = 2 * 100 * bias (xhat sums to 0).
  expect_values(bn.bias.grad(), values(mul(bn.bias.detach(), 200.0)), 1e-3);
}

TEST(NNBatchNorm, Errors) {
  nn::BatchNorm2d bn2(3);
  EXPECT_TRUE(contains(error_of<ValueError>([&] { bn2(zeros({2, 3, 4})); }),
                       "[BatchNorm2d] expected 4D input (got 3D input)"));
  nn::BatchNorm1d bn1(3);
  EXPECT_TRUE(contains(error_of<ValueError>([&] { bn1(zeros({3})); }),
                       "[BatchNorm1d] expected 2D or 3D input (got 1D input)"));
  std::string msg = error_of<ValueError>([&] { bn1(zeros({1, 3})); });
  EXPECT_TRUE(contains(msg, "Expected more than 1 value per channel when training")) << msg;
  EXPECT_THROW(bn1(zeros({4, 5})), RuntimeError);  // 5 channels for a layer of 3
  bn1.eval();
  EXPECT_NO_THROW(bn1(zeros({1, 3})));  // one sample is fine in eval
}

// ---- layer norm

TEST(NNLayerNorm, ValuesParametersReprGradients) {
  nn::LayerNorm ln(3);
  EXPECT_EQ(ln.weight.sizes(), DimVector({3}));
  expect_values(ln.weight, {1, 1, 1});
  expect_values(ln.bias, {0, 0, 0});
  EXPECT_EQ(ln.repr(), "LayerNorm((3,), eps=1e-05, elementwise_affine=True)");
  Tensor x = f32({1, 2, 3, 10, 10, 40}, {2, 3});
  Tensor y = ln(x);
  double a = 1.0 / std::sqrt(2.0 / 3.0 + 1e-5);  // var of (1, 2, 3) is 2/3
  double b = std::sqrt(200.0 + 1e-5);            // var of (10, 10, 40) is 200
  expect_values(y, {-a, 0, a, -10 / b, -10 / b, 20 / b});
  sum(mul(y, f32({1, 2, 3, 1, 2, 3}, {2, 3}))).backward();
  // d/dweight = sum over rows of xhat * upstream; d/dbias = the upstream sums.
  expect_values(ln.weight.grad(), {-a - 10 / b, -20 / b, 3 * a + 60 / b}, 1e-4);
  expect_values(ln.bias.grad(), {2, 4, 6});

  nn::LayerNorm two({2, 3}, 1e-3, true, /*bias=*/false);
  EXPECT_EQ(two.repr(), "LayerNorm((2, 3), eps=0.001, elementwise_affine=True)");
  EXPECT_EQ(names(two.named_parameters()), (std::vector<std::string>{"weight"}));
  EXPECT_EQ(two.weight.sizes(), DimVector({2, 3}));
  nn::LayerNorm bare(4, 1e-5, false);
  EXPECT_TRUE(bare.named_parameters().empty());
  EXPECT_EQ(bare.repr(), "LayerNorm((4,), eps=1e-05, elementwise_affine=False)");
  manual_seed(5);
  Tensor r = randn({3, 2, 3});
  expect_same(two(r), std::get<0>(native_layer_norm(r, {2, 3}, two.weight, std::nullopt, 1e-3)));
}

TEST(NNLayerNorm, Errors) {
  nn::LayerNorm ln({2, 3});
  std::string msg = error_of<RuntimeError>([&] { ln(zeros({4, 3, 2})); });
  EXPECT_TRUE(contains(msg, "[native_layer_norm]") || contains(msg, "[layer_norm]")) << msg;
  EXPECT_THROW(nn::LayerNorm(DimVector{}), ValueError);
}

// ---- embedding

TEST(NNEmbedding, LookupPaddingGradient) {
  manual_seed(6);
  nn::Embedding emb(10, 3, 0);
  EXPECT_EQ(emb.weight.sizes(), DimVector({10, 3}));
  expect_values(emb.weight.select(0, 0), {0, 0, 0});
  EXPECT_EQ(emb.repr(), "Embedding(10, 3, padding_idx=0)");
  Tensor idx = tensor({1, 2, 1, 0}, TensorOptions(DType::Int64)).reshape({2, 2});
  Tensor y = emb(idx);
  EXPECT_EQ(y.sizes(), DimVector({2, 2, 3}));
  expect_same(y.select(0, 0).select(0, 1), emb.weight.select(0, 2));
  sum(y).backward();
  // Row 1 is used twice, row 2 once; the padding row gets nothing.
  std::vector<double> want(30, 0.0);
  for (int j = 0; j < 3; ++j) want[3 + j] = 2, want[6 + j] = 1;
  expect_values(emb.weight.grad(), want);
  // int32 indices work too.
  expect_same(emb(idx.to(DType::Int32)), y);
}

TEST(NNEmbedding, CreateGraphGradientMatches) {
  manual_seed(7);
  nn::Embedding emb(5, 2, -1);  // padding row 4
  EXPECT_EQ(emb.padding_idx().value(), 4);
  Tensor idx = tensor({4, 1, 1, 3}, TensorOptions(DType::Int64));
  Tensor loss = sum(mul(emb(idx), emb(idx)));
  Tensor g1 = autograd::grad({loss}, {emb.weight}, {}, true, false)[0];
  Tensor g2 = autograd::grad({loss}, {emb.weight}, {}, true, /*create_graph=*/true)[0];
  expect_same(g1, g2);
  expect_values(g1.select(0, 4), {0, 0});
  // d loss / d w[1] = 2 * 2 * w[1] (used twice).
  expect_same(g1.select(0, 1), mul(emb.weight.select(0, 1), 4.0));
  // The create_graph gradient is itself differentiable: d sum(g2) / d w = 2 * count.
  Tensor gg = autograd::grad({sum(g2)}, {emb.weight})[0];
  expect_values(gg, {0, 0, 4, 4, 0, 0, 2, 2, 0, 0});
}

TEST(NNEmbedding, InitAndErrors) {
  manual_seed(8);
  nn::Embedding big(2000, 16);
  EXPECT_EQ(big.repr(), "Embedding(2000, 16)");
  auto [var, mu] = var_mean(big.weight.detach());
  EXPECT_NEAR(mu.item().to_double(), 0.0, 0.03);  // N(0, 1)
  EXPECT_NEAR(var.item().to_double(), 1.0, 0.05);
  EXPECT_TRUE(contains(error_of<ValueError>([] { nn::Embedding(5, 2, 5); }), "[Embedding] padding_idx (5)"));
  EXPECT_THROW(nn::Embedding(5, 2, -6), ValueError);
  nn::Embedding emb(5, 2);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { emb(zeros({3})); }), "[embedding] Expected tensor for argument"));
  EXPECT_THROW(emb(tensor({0, 5}, TensorOptions(DType::Int64))), IndexError);
  EXPECT_THROW(emb(tensor({-1}, TensorOptions(DType::Int64))), IndexError);
}
