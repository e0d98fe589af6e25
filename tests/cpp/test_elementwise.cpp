// The C++ elementwise API: values, promotion with weak scalars, in-place rules.
#include <gtest/gtest.h>

#include "ember/ember.h"

using namespace ember;

TEST(Elementwise, AddBroadcastsAndPromotes) {
  Tensor a = arange(0, 6).view({2, 3});               // int64
  Tensor b = tensor({0.5, 1.5, 2.5});                 // float32
  Tensor c = add(a, b);
  EXPECT_EQ(c.dtype(), DType::Float32);
  EXPECT_EQ(c.sizes(), (DimVector{2, 3}));
  EXPECT_FLOAT_EQ(c.select(0, 1).select(0, 2).item().to_double(), 7.5);
}

TEST(Elementwise, ScalarsAreWeak) {
  Tensor h = ones({3}, TensorOptions(DType::Float16));
  EXPECT_EQ(add(h, 1.0).dtype(), DType::Float16);
  Tensor i = ones({3}, TensorOptions(DType::Int32));
  EXPECT_EQ(mul(i, 2).dtype(), DType::Int32);
  EXPECT_EQ(mul(i, 2.5).dtype(), DType::Float32);
  EXPECT_EQ(div(i, 2).dtype(), DType::Float32);
}

TEST(Elementwise, IntegerDivisionSemantics) {
  Tensor a = tensor({-7, 7, -7, 7});
  Tensor b = tensor({2, -2, -2, 2});
  Tensor f = floor_divide(a, b);
  Tensor r = remainder(a, b);
  int64_t want_f[] = {-4, -4, 3, 3}, want_r[] = {1, -1, -1, 1};
  for (int64_t k = 0; k < 4; ++k) {
    EXPECT_EQ(f.select(0, k).item().to_int(), want_f[k]);
    EXPECT_EQ(r.select(0, k).item().to_int(), want_r[k]);
  }
  EXPECT_THROW(floor_divide(a, tensor({0, 1, 1, 1})), RuntimeError);
}

TEST(Elementwise, InplaceKeepsDtypeAndRefusesLowering) {
  Tensor x = zeros({2}, TensorOptions(DType::Float64));
  add_(x, tensor({1, 2}));
  EXPECT_EQ(x.dtype(), DType::Float64);
  EXPECT_DOUBLE_EQ(x.select(0, 1).item().to_double(), 2.0);
  Tensor n = zeros({2}, TensorOptions(DType::Int64));
  EXPECT_THROW(add_(n, 0.5), RuntimeError);
  EXPECT_THROW(add_(n, ones({3, 2}, TensorOptions(DType::Int64))), RuntimeError);
}

TEST(Elementwise, ComparisonsGiveBool) {
  Tensor a = tensor({1.0, 2.0, 3.0});
  Tensor m = gt(a, 1.5);
  EXPECT_EQ(m.dtype(), DType::Bool);
  EXPECT_FALSE(m.select(0, 0).item().to_bool());
  EXPECT_TRUE(m.select(0, 2).item().to_bool());
  EXPECT_THROW(lt(tensor({std::complex<double>(1, 1)}), 1.0), TypeError);
}

TEST(Elementwise, FloatingFunctionsPromoteIntegers) {
  Tensor e = exp(tensor({0, 1}));
  EXPECT_EQ(e.dtype(), DType::Float32);
  EXPECT_NEAR(e.select(0, 1).item().to_double(), 2.718281828, 1e-6);
  EXPECT_EQ(abs(tensor({std::complex<double>(3, 4)})).dtype(), DType::Float32);
}
