// The C++ linear algebra API: products against hand-worked values, the
// decompositions' defining identities, errors, and the BLAS thread count.
#include <gtest/gtest.h>

#include <cmath>

#include "ember/ember.h"

using namespace ember;

namespace {
double at(const Tensor& t, int64_t i, int64_t j) { return t.select(0, i).select(0, j).item().to_double(); }

// max |a - b| over all elements (a, b float64 of one shape).
double max_diff(const Tensor& a, const Tensor& b) {
  Tensor d = sub(a.to(DType::Float64), b.to(DType::Float64)).contiguous();
  double m = 0;
  const double* p = d.data_ptr<double>();
  for (int64_t i = 0; i < d.numel(); ++i) m = std::max(m, std::abs(p[i]));
  return m;
}
}  // namespace

TEST(Linalg, MatmulByHand) {
  Tensor a = tensor({1.0, 2.0, 3.0, 4.0, 5.0, 6.0}, TensorOptions(DType::Float64)).view({2, 3});
  Tensor b = tensor({7.0, 8.0, 9.0, 10.0, 11.0, 12.0}, TensorOptions(DType::Float64)).view({3, 2});
  Tensor c = matmul(a, b);  // [[58, 64], [139, 154]]
  EXPECT_EQ(c.sizes(), (DimVector{2, 2}));
  EXPECT_DOUBLE_EQ(at(c, 0, 0), 58);
  EXPECT_DOUBLE_EQ(at(c, 0, 1), 64);
  EXPECT_DOUBLE_EQ(at(c, 1, 0), 139);
  EXPECT_DOUBLE_EQ(at(c, 1, 1), 154);
  // Transposed (non-contiguous) operands read through BLAS's trans flags.
  Tensor ct = matmul(b.t(), a.t());  // (a b)^T
  EXPECT_DOUBLE_EQ(at(ct, 1, 0), 64);
  // Integer kernel.
  Tensor ci = mm(a.to(DType::Int64), b.to(DType::Int64));
  EXPECT_EQ(ci.dtype(), DType::Int64);
  EXPECT_EQ(ci.select(0, 1).select(0, 1).item().to_int(), 154);
  EXPECT_DOUBLE_EQ(dot(tensor({1.0, 2.0}), tensor({3.0, 4.0})).item().to_double(), 11);
  EXPECT_DOUBLE_EQ(trace(a.narrow(1, 0, 2)).item().to_double(), 1 + 5);
}

TEST(Linalg, EinsumMatchesMatmul) {
  Tensor a = arange(0, 6, 1, TensorOptions(DType::Float64)).view({2, 3});
  Tensor b = arange(0, 12, 1, TensorOptions(DType::Float64)).view({3, 4});
  EXPECT_EQ(max_diff(einsum("ij,jk->ik", {a, b}), matmul(a, b)), 0);
  EXPECT_DOUBLE_EQ(einsum("ii", {eye(3, -1, TensorOptions(DType::Float64))}).item().to_double(), 3);
  EXPECT_THROW(einsum("ij,jk", {a, a}), RuntimeError);
}

TEST(Linalg, DecompositionsReconstruct) {
  Tensor a = tensor({4.0, 1.0, 2.0, 1.0, 3.0, 0.5, 2.0, 0.5, 5.0}, TensorOptions(DType::Float64)).view({3, 3});
  Tensor l = linalg::cholesky(a);
  EXPECT_LT(max_diff(matmul(l, l.mT()), a), 1e-12);
  auto [q, r] = linalg::qr(a);
  EXPECT_LT(max_diff(matmul(q, r), a), 1e-12);
  auto [u, s, vh] = linalg::svd(a, false);
  EXPECT_LT(max_diff(matmul(mul(u, s.unsqueeze(0)), vh), a), 1e-12);
  auto [w, v] = linalg::eigh(a);
  EXPECT_LT(max_diff(matmul(a, v), mul(v, w.unsqueeze(0))), 1e-12);
  EXPECT_LT(max_diff(matmul(a, linalg::inv(a)), eye(3, -1, TensorOptions(DType::Float64))), 1e-12);
  // det of this matrix, worked out by cofactors: 4*(15-0.25) - 1*(5-1) + 2*(0.5-6) = 44.
  EXPECT_NEAR(linalg::det(a).item().to_double(), 44, 1e-12);
}

TEST(Linalg, Errors) {
  Tensor s = zeros({2, 2}, TensorOptions(DType::Float64));
  EXPECT_THROW(linalg::inv(s), RuntimeError);
  EXPECT_THROW(linalg::inv(ones({2, 2}, TensorOptions(DType::Int64))), TypeError);
  EXPECT_THROW(mm(ones({2, 3}), ones({4, 5})), RuntimeError);
  try {
    mm(ones({2, 3}), ones({4, 5}));
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
              std::string::npos);
  }
}

TEST(Linalg, BlasThreadsBackToOneAfterACall) {
  EXPECT_EQ(blas_num_threads(), 1);
  Tensor a = ones({300, 300}, TensorOptions(DType::Float64));
  Tensor c = matmul(a, a);
  EXPECT_DOUBLE_EQ(at(c, 5, 7), 300);
  EXPECT_EQ(blas_num_threads(), 1);
}
