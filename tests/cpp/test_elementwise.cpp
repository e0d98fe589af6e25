// The C++ elementwise API: values, promotion with weak scalars, in-place rules.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

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

namespace {
std::vector<double> values(const Tensor& t) {
  Tensor c = t.to(DType::Float64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}
std::vector<int64_t> ints(const Tensor& t) {
  Tensor c = t.to(DType::Int64).contiguous();
  const int64_t* p = c.data_ptr<int64_t>();
  return std::vector<int64_t>(p, p + c.numel());
}
}  // namespace

TEST(Elementwise, FmodAndRemainderSigns) {
  Tensor a = tensor({7, -7, 7, -7});
  Tensor b = tensor({3, 3, -3, -3});
  EXPECT_EQ(ints(fmod(a, b)), (std::vector<int64_t>{1, -1, 1, -1}));
  EXPECT_EQ(ints(remainder(a, b)), (std::vector<int64_t>{1, 2, -2, -1}));
  Tensor imin = tensor({INT64_MIN});
  EXPECT_EQ(ints(fmod(imin, -1)), (std::vector<int64_t>{0}));
  EXPECT_EQ(ints(floor_divide(imin, -1)), (std::vector<int64_t>{INT64_MIN}));
  EXPECT_THROW(fmod(a, 0), RuntimeError);
}

TEST(Elementwise, ShiftsFollowPyTorchOutOfRange) {
  Tensor x = tensor({1, -8}).to(DType::Int8);
  EXPECT_EQ(ints(bitwise_left_shift(x, 8)), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(ints(bitwise_right_shift(x, 8)), (std::vector<int64_t>{0, -1}));
  EXPECT_EQ(ints(bitwise_left_shift(x, 7)), (std::vector<int64_t>{-128, 0}));
  EXPECT_EQ(ints(bitwise_right_shift(x, 1)), (std::vector<int64_t>{0, -4}));
  EXPECT_THROW(bitwise_left_shift(tensor({1.0}), 1), TypeError);
  EXPECT_THROW(bitwise_and(tensor({1.0}), tensor({1.0})), TypeError);
  Tensor t = tensor({true, false});
  EXPECT_EQ(bitwise_xor(t, tensor({true, true})).dtype(), DType::Bool);
}

TEST(Elementwise, FmaxIgnoresNaN) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor a = tensor({nan, 1.0});
  Tensor b = tensor({2.0, nan});
  EXPECT_EQ(values(fmax(a, b)), (std::vector<double>{2.0, 1.0}));
  EXPECT_EQ(values(fmin(a, b)), (std::vector<double>{2.0, 1.0}));
  EXPECT_TRUE(std::isnan(values(maximum(a, b))[0]));
}

TEST(Elementwise, WherePromotesScalars) {
  Tensor c = tensor({true, false, true});
  Tensor i = tensor({1, 2, 3}).to(DType::Int32);
  Tensor r = where(c, i, 2.5);
  EXPECT_EQ(r.dtype(), DType::Float32);
  EXPECT_EQ(values(r), (std::vector<double>{1.0, 2.5, 3.0}));
  EXPECT_EQ(where(c, i, 0).dtype(), DType::Int32);
  EXPECT_THROW(where(tensor({1.0}), 1, 0), RuntimeError);
}

TEST(Elementwise, ClampScalarAndTensorBounds) {
  Tensor x = tensor({-2.0, 0.5, 3.0});
  EXPECT_EQ(values(clamp(x, Operand(0.0), Operand(1.0))), (std::vector<double>{0.0, 0.5, 1.0}));
  EXPECT_EQ(values(clamp(x, std::nullopt, Operand(0.0))), (std::vector<double>{-2.0, 0.0, 0.0}));
  EXPECT_EQ(values(clamp(x, Operand(tensor({0.0, 1.0, 2.0})), Operand(2.5))), (std::vector<double>{0.0, 1.0, 2.5}));
  EXPECT_THROW(clamp(x, std::nullopt, std::nullopt), RuntimeError);
  Tensor n = tensor({-5, 5});
  EXPECT_THROW(clamp_(n, Operand(0.5), std::nullopt), RuntimeError);  // float into int64
  clamp_(n, Operand(0), Operand(1));
  EXPECT_EQ(ints(n), (std::vector<int64_t>{0, 1}));
}

TEST(Elementwise, LerpAndCloseness) {
  Tensor s = tensor({0.0, 10.0});
  Tensor e = tensor({10.0, 0.0});
  EXPECT_EQ(values(lerp(s, e, 0.25)), (std::vector<double>{2.5, 7.5}));
  EXPECT_EQ(values(lerp(s, e, 1.0)), (std::vector<double>{10.0, 0.0}));
  EXPECT_THROW(lerp(s, tensor({1, 2}), 0.5), RuntimeError);
  EXPECT_TRUE(allclose(s, add(s, 1e-9)));
  EXPECT_FALSE(allclose(s, add(s, 1.0)));
  EXPECT_TRUE(equal(s, s.clone()));
  EXPECT_FALSE(equal(s, s.view({1, 2})));
  EXPECT_EQ(isclose(s, e).dtype(), DType::Bool);
}

TEST(Elementwise, LogicalOpsGiveBool) {
  Tensor a = tensor({0.0, 2.0, 0.0});
  Tensor b = tensor({1, 1, 0});
  Tensor r = logical_or(a, b);
  EXPECT_EQ(r.dtype(), DType::Bool);
  EXPECT_EQ(ints(r), (std::vector<int64_t>{1, 1, 0}));
  logical_and_(a, b);
  EXPECT_EQ(a.dtype(), DType::Float32);
  EXPECT_EQ(values(a), (std::vector<double>{0.0, 1.0, 0.0}));
}
