// The C++ layer kernels (ember/ops/nn.h) on hand-worked numbers.
#include <gtest/gtest.h>

#include <cmath>

#include "ember/ember.h"

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

TEST(NnKernels, Conv2dForwardAndBackward) {
  Tensor x = arange_f64(9, {1, 1, 3, 3});  // 1..9
  Tensor w = ones({1, 1, 2, 2}, TensorOptions(DType::Float64));
  Tensor b = full({1}, Scalar(1.0), TensorOptions(DType::Float64));
  Tensor y = convolution(x, w, b, {1}, {0}, {1}, false, {0}, 1);
  EXPECT_EQ(y.sizes(), (DimVector{1, 1, 2, 2}));
  EXPECT_EQ(values(y), (std::vector<double>{13, 17, 25, 29}));
  Tensor g = ones({1, 1, 2, 2}, TensorOptions(DType::Float64));
  auto [gi, gw, gb] = convolution_backward(g, x, w, {1}, {0}, {1}, false, {0}, 1);
  EXPECT_EQ(values(gi), (std::vector<double>{1, 2, 1, 2, 4, 2, 1, 2, 1}));
  EXPECT_EQ(values(gw), (std::vector<double>{12, 16, 24, 28}));
  EXPECT_EQ(values(gb), (std::vector<double>{4}));
}

TEST(NnKernels, ConvChannelMismatchIsATypedError) {
  Tensor x = zeros({1, 4, 5, 5}, TensorOptions(DType::Float32));
  Tensor w = zeros({8, 3, 3, 3}, TensorOptions(DType::Float32));
  EXPECT_THROW(convolution(x, w, std::nullopt, {1}, {0}, {1}, false, {0}, 1), RuntimeError);
}

TEST(NnKernels, MaxPoolValuesAndIndices) {
  Tensor x = arange_f64(16, {1, 1, 4, 4});
  auto [y, idx] = max_pool2d_with_indices(x, {2}, {}, {0}, {1}, false);
  EXPECT_EQ(values(y), (std::vector<double>{6, 8, 14, 16}));
  EXPECT_EQ(values(idx), (std::vector<double>{5, 7, 13, 15}));
  Tensor g = ones({1, 1, 2, 2}, TensorOptions(DType::Float64));
  Tensor gi = max_pool2d_with_indices_backward(g, x, {2}, {}, {0}, {1}, false, idx);
  EXPECT_EQ(values(sum(gi)), (std::vector<double>{4}));
  EXPECT_EQ(values(gi)[5], 1.0);
}

TEST(NnKernels, CrossEntropyOfEqualLogitsIsLog2) {
  Tensor logits = zeros({1, 2}, TensorOptions(DType::Float64));
  Tensor target = tensor<int64_t>({1});
  EXPECT_NEAR(cross_entropy_loss(logits, target, std::nullopt).item().to_double(), std::log(2.0), 1e-15);
  Tensor g = cross_entropy_loss_backward(ones({}, TensorOptions(DType::Float64)), logits, target, std::nullopt);
  EXPECT_EQ(values(g), (std::vector<double>{0.5, -0.5}));
  EXPECT_THROW(cross_entropy_loss(logits, tensor<int64_t>({2}), std::nullopt), IndexError);
}

TEST(NnKernels, BatchNormTrainingUpdatesRunningStats) {
  Tensor x = tensor({1.0, 3.0}, TensorOptions(DType::Float64)).reshape({2, 1});
  Tensor rm = zeros({1}, TensorOptions(DType::Float64));
  Tensor rv = ones({1}, TensorOptions(DType::Float64));
  auto [y, mean, invstd] = native_batch_norm(x, std::nullopt, std::nullopt, rm, rv, true, 0.1, 0.0);
  EXPECT_EQ(values(y), (std::vector<double>{-1, 1}));
  EXPECT_EQ(values(mean), (std::vector<double>{2}));
  EXPECT_NEAR(values(rm)[0], 0.2, 1e-15);
  EXPECT_NEAR(values(rv)[0], 0.9 + 0.1 * 2.0, 1e-15);  // unbiased variance 2
}

TEST(NnKernels, Activations) {
  Tensor x = tensor({-1.0, 0.0, 2.0}, TensorOptions(DType::Float64));
  EXPECT_EQ(values(relu(x)), (std::vector<double>{0, 0, 2}));
  EXPECT_EQ(values(hardtanh(x, -0.5, 1.0)), (std::vector<double>{-0.5, 0, 1}));
  Tensor g = ones({3}, TensorOptions(DType::Float64));
  EXPECT_DOUBLE_EQ(values(gelu_backward(g, x))[1], 0.5);
  EXPECT_EQ(values(threshold_backward(g, x, 0.0)), (std::vector<double>{0, 0, 1}));
}
