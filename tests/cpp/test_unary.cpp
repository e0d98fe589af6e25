// The C++ unary math API: values, dtypes, in-place rules, complex views.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ember/ember.h"

using namespace ember;

namespace {

double at(const Tensor& t, int64_t i) { return t.select(0, i).item().to_double(); }

}  // namespace

TEST(Unary, FloatingFunctionsMatchLibm) {
  Tensor x = tensor({0.25, 0.5, 0.75}, TensorOptions(DType::Float64));
  for (int64_t i = 0; i < 3; ++i) {
    double v = at(x, i);
    EXPECT_DOUBLE_EQ(at(exp2(x), i), std::exp2(v));
    EXPECT_DOUBLE_EQ(at(expm1(x), i), std::expm1(v));
    EXPECT_DOUBLE_EQ(at(log1p(x), i), std::log1p(v));
    EXPECT_DOUBLE_EQ(at(atanh(x), i), std::atanh(v));
    EXPECT_DOUBLE_EQ(at(erf(x), i), std::erf(v));
    EXPECT_DOUBLE_EQ(at(lgamma(x), i), std::lgamma(v));
    EXPECT_DOUBLE_EQ(at(rsqrt(x), i), 1.0 / std::sqrt(v));
    EXPECT_NEAR(at(erf(erfinv(x)), i), v, 1e-15);
  }
}

TEST(Unary, IntegerInputsGiveDefaultFloat) {
  Tensor i = tensor<int64_t>({1, 4, 9});
  Tensor r = sqrt(i);
  EXPECT_EQ(r.dtype(), DType::Float32);
  EXPECT_FLOAT_EQ(at(r, 2), 3.0f);
  EXPECT_EQ(floor(i).dtype(), DType::Int64);      // rounding keeps integers
  EXPECT_EQ(square(tensor<bool>({true})).dtype(), DType::Int64);
  EXPECT_EQ(isnan(i).dtype(), DType::Bool);
}

TEST(Unary, RoundHalfToEvenAndDecimals) {
  Tensor x = tensor({0.5, 1.5, 2.5, -2.5}, TensorOptions(DType::Float64));
  double want[] = {0, 2, 2, -2};
  for (int64_t k = 0; k < 4; ++k) EXPECT_EQ(at(round(x), k), want[k]);
  Tensor y = tensor({1.2345, 1250.0}, TensorOptions(DType::Float64));
  EXPECT_DOUBLE_EQ(at(round(y, 2), 0), 1.23);
  EXPECT_DOUBLE_EQ(at(round(y, -2), 1), 1200.0);
  EXPECT_THROW(round(tensor<int64_t>({1}), 1), TypeError);
}

TEST(Unary, InplaceRunsOnSelfAndRefusesLowering) {
  Tensor x = tensor({1.0, 4.0}, TensorOptions(DType::Float64));
  void* p = x.data_ptr();
  uint32_t v = x.version();
  sqrt_(x);
  EXPECT_EQ(x.data_ptr(), p);
  EXPECT_GT(x.version(), v);
  EXPECT_DOUBLE_EQ(at(x, 1), 2.0);
  Tensor i = tensor<int64_t>({1});
  EXPECT_THROW(exp_(i), RuntimeError);
  floor_(i);  // no-op on integers
  EXPECT_EQ(i.item().to_int(), 1);
}

TEST(Unary, NanToNumAndPredicates) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  Tensor x = tensor({nan, inf, -inf, 2.0}, TensorOptions(DType::Float32));
  Tensor r = nan_to_num(x, 1.0, std::nullopt, -5.0);
  EXPECT_EQ(at(r, 0), 1.0);
  EXPECT_EQ(at(r, 1), static_cast<double>(std::numeric_limits<float>::max()));
  EXPECT_EQ(at(r, 2), -5.0);
  EXPECT_EQ(at(r, 3), 2.0);
  Tensor h = nan_to_num(tensor({inf}, TensorOptions(DType::Float16)));
  EXPECT_EQ(at(h, 0), 65504.0);
  EXPECT_TRUE(isnan(x).select(0, 0).item().to_bool());
  EXPECT_TRUE(isposinf(x).select(0, 1).item().to_bool());
  EXPECT_TRUE(isneginf(x).select(0, 2).item().to_bool());
  EXPECT_FALSE(isfinite(x).select(0, 1).item().to_bool());
  EXPECT_TRUE(logical_not(x).select(0, 3).item().to_bool() == false);
}

TEST(Unary, ComplexViewsShareMemory) {
  Tensor pairs = tensor({1.0, 2.0, 3.0, -4.0}, TensorOptions(DType::Float64)).view({2, 2});
  Tensor z = view_as_complex(pairs);
  EXPECT_EQ(z.dtype(), DType::Complex128);
  EXPECT_EQ(z.sizes(), (DimVector{2}));
  EXPECT_EQ(z.select(0, 1).item().to_complex(), std::complex<double>(3, -4));
  // abs, angle, sgn and conj of complex values
  EXPECT_DOUBLE_EQ(at(abs(z), 1), 5.0);
  EXPECT_DOUBLE_EQ(at(angle(z), 0), std::atan2(2.0, 1.0));
  EXPECT_EQ(sgn(z).select(0, 1).item().to_complex(), std::complex<double>(0.6, -0.8));
  EXPECT_EQ(conj(z).select(0, 1).item().to_complex(), std::complex<double>(3, 4));
  // imag is a view: writing it writes the imaginary parts of z
  Tensor im = imag(z);
  EXPECT_EQ(im.strides(), (DimVector{2}));
  im.fill_(Scalar(7.0));
  EXPECT_EQ(pairs.select(0, 0).select(0, 1).item().to_double(), 7.0);
  EXPECT_EQ(z.select(0, 1).item().to_complex(), std::complex<double>(3, 7));
  EXPECT_TRUE(view_as_real(z).is_contiguous());
  EXPECT_EQ(view_as_real(z).data_ptr(), pairs.data_ptr());
  Tensor re = tensor({1.0});
  EXPECT_TRUE(real(re).is_same(re));
  EXPECT_THROW(imag(re), RuntimeError);
  EXPECT_THROW(view_as_complex(tensor({1.0, 2.0, 3.0})), RuntimeError);
  EXPECT_THROW(erf(z), TypeError);
  EXPECT_THROW(sign(z), TypeError);
}

TEST(Unary, BitwiseNot) {
  Tensor u = tensor({0, 5}, TensorOptions(DType::UInt8));
  EXPECT_EQ(bitwise_not(u).select(0, 1).item().to_int(), 250);
  EXPECT_EQ(bitwise_not(tensor<bool>({true})).item().to_bool(), false);
  EXPECT_THROW(bitwise_not(tensor({1.0})), TypeError);
}
