// The C++ reduction API and the TensorIterator's reduction mode.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ember/core/reduce_kernels.h"
#include "ember/ember.h"

using namespace ember;

namespace {
double at(const Tensor& t, int64_t i) { return t.reshape({-1}).select(0, i).item().to_double(); }
}  // namespace

TEST(ReduceIterator, SplitsKeptAndReducedDims) {
  Tensor in = zeros({4, 5, 6});
  Tensor out = empty({4, 1, 6});
  TensorIterator it;
  it.add_reduced_output(out).add_input(in).build("test");
  EXPECT_TRUE(it.is_reduction());
  EXPECT_EQ(it.num_output_elements(), 24);
  EXPECT_EQ(it.reduction_size(), 5);
  int reduced = 0;
  for (int d = 0; d < it.ndim(); ++d) reduced += it.is_reduced_dim(d);
  EXPECT_EQ(reduced, 1);
  // Reducing the last dim of a contiguous tensor puts the reduced dim innermost.
  Tensor out2 = empty({4, 5, 1});
  TensorIterator it2;
  it2.add_reduced_output(out2).add_input(in).build("test");
  EXPECT_TRUE(it2.is_reduced_dim(0));
  EXPECT_EQ(it2.num_output_elements(), 20);
}

TEST(ReduceIterator, RejectsOutputsThatDoNotFit) {
  TensorIterator it;
  it.add_reduced_output(empty({3, 2})).add_input(zeros({3, 4}));
  EXPECT_THROW(it.build("test"), RuntimeError);
  TensorIterator mixed;
  mixed.add_output(empty({3}));
  EXPECT_THROW(mixed.add_reduced_output(empty({3})), RuntimeError);
}

TEST(ReduceIterator, ForEachOutputCoversEveryOutputOnce) {
  Tensor in = zeros({100, 7});
  Tensor out = empty({100, 1});
  TensorIterator it;
  it.add_reduced_output(out).add_input(in).build("test");
  std::vector<int> seen(100, 0);
  it.for_each_output([&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) ++seen[i];
  }, 7);
  for (int s : seen) EXPECT_EQ(s, 1);
}

TEST(Reduce, SumAlongDimsAndKeepdim) {
  Tensor x = arange(0, 24).view({2, 3, 4}).to(DType::Float32);
  Tensor s = sum(x, DimVector{0, 2});
  EXPECT_EQ(s.sizes(), (DimVector{3}));
  EXPECT_EQ(at(s, 0), 0 + 1 + 2 + 3 + 12 + 13 + 14 + 15);
  EXPECT_EQ(sum(x, DimVector{1}, true).sizes(), (DimVector{2, 1, 4}));
  EXPECT_EQ(sum(x).item().to_double(), 276.0);
  EXPECT_EQ(sum(x.transpose(0, 2), DimVector{0}).sizes(), (DimVector{3, 2}));
  EXPECT_EQ(at(sum(x.transpose(0, 2), DimVector{0}), 1), 12 + 13 + 14 + 15);
}

TEST(Reduce, IntegerSumsGiveInt64AndMeanRefusesIntegers) {
  Tensor i = ones({5}, TensorOptions(DType::Int8));
  EXPECT_EQ(sum(i).dtype(), DType::Int64);
  EXPECT_EQ(prod(i).dtype(), DType::Int64);
  EXPECT_THROW(mean(i), RuntimeError);
  EXPECT_EQ(mean(i, {}, false, DType::Float64).item().to_double(), 1.0);
}

TEST(Reduce, PairwiseSumIsExact) {
  EXPECT_EQ(sum(ones({10000000})).item().to_double(), 1e7);
}

TEST(Reduce, ExtremesAndIndices) {
  Tensor x = tensor({3.0, 7.0, 7.0, -1.0}).view({2, 2});
  auto [v, i] = max(x, 1);
  EXPECT_EQ(at(v, 0), 7.0);
  EXPECT_EQ(at(i, 0), 1.0);
  EXPECT_EQ(at(i, 1), 0.0);  // ties and order: first index
  EXPECT_EQ(argmin(x).item().to_int(), 3);
  EXPECT_EQ(min(x).item().to_double(), -1.0);
  Tensor n = tensor({1.0, std::numeric_limits<double>::quiet_NaN(), 2.0});
  EXPECT_TRUE(std::isnan(max(n).item().to_double()));
  EXPECT_EQ(argmax(n).item().to_int(), 1);
  EXPECT_THROW(max(zeros({0})), RuntimeError);
  EXPECT_THROW(max(zeros({0, 2}), 0), IndexError);
}

TEST(Reduce, LogicalAndCount) {
  Tensor x = tensor({0, 1, 2, 0}).view({2, 2});
  EXPECT_FALSE(all(x).item().to_bool());
  EXPECT_TRUE(any(x).item().to_bool());
  EXPECT_EQ(count_nonzero(x).item().to_int(), 2);
  EXPECT_EQ(all(x, DimVector{0}).dtype(), DType::Bool);
}

TEST(Reduce, StatisticsAndNorms) {
  Tensor x = tensor({1.0, 2.0, 4.0, 7.0});
  EXPECT_NEAR(var(x).item().to_double(), 7.0, 1e-6);            // sum sq dev 21 / 3
  EXPECT_NEAR(var(x, {}, 0.0).item().to_double(), 5.25, 1e-6);
  EXPECT_NEAR(std_dev(x).item().to_double(), std::sqrt(7.0), 1e-6);
  EXPECT_NEAR(norm(tensor({3.0, 4.0})).item().to_double(), 5.0, 1e-6);
  EXPECT_NEAR(logsumexp(tensor({1000.0, 1000.0}), DimVector{0}).item().to_double(), 1000 + std::log(2.0), 1e-3);
}

TEST(Reduce, OrderStatistics) {
  Tensor x = tensor({5.0, 1.0, 4.0, 2.0});
  EXPECT_EQ(median(x).item().to_double(), 2.0);  // lower median
  Tensor q = quantile(x, full({}, Scalar(0.5)));
  EXPECT_EQ(q.item().to_double(), 3.0);
  auto [mv, mi] = mode(tensor({2, 9, 9, 2, 3}));
  EXPECT_EQ(mv.item().to_int(), 2);  // tie: the smaller value
  EXPECT_THROW(quantile(x, full({}, Scalar(0.5)), {}, false, "cubic"), RuntimeError);
}

TEST(Reduce, ScansAndSoftmax) {
  Tensor x = tensor({1, 2, 3, 4}).view({2, 2});
  Tensor c = cumsum(x, 1);
  EXPECT_EQ(c.dtype(), DType::Int64);
  EXPECT_EQ(at(c, 3), 7.0);
  EXPECT_EQ(at(cumprod(x, 0), 3), 8.0);
  auto [cv, ci] = cummax(tensor({1.0, 3.0, 2.0}), 0);
  EXPECT_EQ(at(cv, 2), 3.0);
  EXPECT_EQ(at(ci, 2), 1.0);
  Tensor s = softmax(tensor({1000.0, 1000.0}), 0);
  EXPECT_NEAR(at(s, 0), 0.5, 1e-7);
  EXPECT_NEAR(at(log_softmax(tensor({0.0, 0.0}), 0), 1), -std::log(2.0), 1e-7);
  EXPECT_THROW(softmax(tensor({1, 2}), 0), RuntimeError);
}

TEST(Reduce, DuplicateDimsAreAnError) {
  EXPECT_THROW(sum(ones({2, 3}), DimVector{1, -1}), RuntimeError);
}
