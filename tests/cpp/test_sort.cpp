// GoogleTest for the C++ sorting, searching, counting, gather and scatter
// API: values worked out by hand, NaN order, and errors as typed exceptions.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ember/ember.h"

using namespace ember;

namespace {

template <class T>
std::vector<T> values_of(const Tensor& t) {
  Tensor c = t.contiguous();
  const T* p = c.data_ptr<T>();
  return std::vector<T>(p, p + c.numel());
}

}  // namespace

TEST(Sort, AscendingDescendingWithNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor x = tensor<float>({2.f, nan, -1.f, 2.f}, TensorOptions(DType::Float32));
  auto [v, i] = sort(x);
  EXPECT_EQ(values_of<int64_t>(i), (std::vector<int64_t>{2, 0, 3, 1}));
  EXPECT_TRUE(std::isnan(values_of<float>(v)[3]));
  auto [vd, id] = sort(x, 0, /*descending=*/true);
  EXPECT_EQ(values_of<int64_t>(id), (std::vector<int64_t>{1, 0, 3, 2}));
  EXPECT_EQ(values_of<int64_t>(argsort(x, -1, true)), values_of<int64_t>(id));
}

TEST(Sort, AlongStridedDim) {
  Tensor x = tensor<int64_t>({3, 1, 2, 0, 5, 4}).view({2, 3});  // [[3,1,2],[0,5,4]]
  auto [v, i] = sort(x, 0);
  EXPECT_EQ(values_of<int64_t>(v), (std::vector<int64_t>{0, 1, 2, 3, 5, 4}));
  EXPECT_EQ(values_of<int64_t>(i), (std::vector<int64_t>{1, 0, 0, 0, 1, 1}));
  EXPECT_THROW(sort(tensor<double>({1.0}).to(DType::Complex64)), TypeError);
}

TEST(Sort, TopkAndKthvalue) {
  Tensor x = tensor<int64_t>({4, 9, 1, 7});
  auto [v, i] = topk(x, 2);
  EXPECT_EQ(values_of<int64_t>(v), (std::vector<int64_t>{9, 7}));
  EXPECT_EQ(values_of<int64_t>(i), (std::vector<int64_t>{1, 3}));
  auto [vs, is] = topk(x, 3, -1, /*largest=*/false);
  EXPECT_EQ(values_of<int64_t>(vs), (std::vector<int64_t>{1, 4, 7}));
  auto [kv, ki] = kthvalue(x, 2);
  EXPECT_EQ(kv.item().to_int(), 4);
  EXPECT_EQ(ki.item().to_int(), 0);
  EXPECT_THROW(topk(x, 5), RuntimeError);
  EXPECT_THROW(kthvalue(x, 0), IndexError);
}

TEST(Sort, UniqueAndConsecutive) {
  Tensor x = tensor<int64_t>({3, 1, 3, 3, 2});
  auto [u, inv, counts] = unique(x);
  EXPECT_EQ(values_of<int64_t>(u), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(values_of<int64_t>(inv), (std::vector<int64_t>{2, 0, 2, 2, 1}));
  EXPECT_EQ(values_of<int64_t>(counts), (std::vector<int64_t>{1, 1, 3}));
  auto [uc, invc, cc] = unique_consecutive(x);
  EXPECT_EQ(values_of<int64_t>(uc), (std::vector<int64_t>{3, 1, 3, 2}));
  EXPECT_EQ(values_of<int64_t>(cc), (std::vector<int64_t>{1, 1, 2, 1}));
  Tensor m = tensor<int64_t>({1, 2, 0, 1, 1, 2}).view({3, 2});
  auto [ud, invd, cd] = unique(m, true, 0);
  EXPECT_EQ(values_of<int64_t>(ud), (std::vector<int64_t>{0, 1, 1, 2}));
  EXPECT_EQ(values_of<int64_t>(invd), (std::vector<int64_t>{1, 0, 1}));
}

TEST(Sort, SearchsortedBucketize) {
  Tensor s = tensor<int64_t>({1, 3, 5});
  Tensor v = tensor<int64_t>({0, 3, 6});
  EXPECT_EQ(values_of<int64_t>(searchsorted(s, v)), (std::vector<int64_t>{0, 1, 3}));
  EXPECT_EQ(values_of<int64_t>(searchsorted(s, v, false, true)), (std::vector<int64_t>{0, 2, 3}));
  Tensor r32 = searchsorted(s, v, /*out_int32=*/true, false, "right");
  EXPECT_EQ(values_of<int32_t>(r32), (std::vector<int32_t>{0, 2, 3}));
  EXPECT_EQ(values_of<int64_t>(bucketize(v, s)), (std::vector<int64_t>{0, 1, 3}));
  EXPECT_THROW(searchsorted(s, v, false, false, "up"), RuntimeError);
}

TEST(Sort, BincountHistc) {
  Tensor x = tensor<int64_t>({2, 0, 2});
  EXPECT_EQ(values_of<int64_t>(bincount(x)), (std::vector<int64_t>{1, 0, 2}));
  Tensor w = tensor<double>({0.5, 1.0, 0.25}, TensorOptions(DType::Float64));
  EXPECT_EQ(values_of<double>(bincount(x, w, 4)), (std::vector<double>{1.0, 0, 0.75, 0}));
  EXPECT_THROW(bincount(tensor<int64_t>({-1})), RuntimeError);
  Tensor h = histc(tensor<double>({0.0, 0.5, 1.0, 2.0}, TensorOptions(DType::Float64)), 2, 0, 2);
  EXPECT_EQ(values_of<double>(h), (std::vector<double>{2, 2}));
  EXPECT_THROW(histc(x), TypeError);
  Tensor data = tensor<double>({1.0, 2.0, 1.0, 2.5}, TensorOptions(DType::Float64));
  auto [hist, edges] = histogram(data, 3);
  EXPECT_EQ(values_of<double>(hist), (std::vector<double>{2, 0, 2}));
  EXPECT_EQ(values_of<double>(edges), (std::vector<double>{1.0, 1.5, 2.0, 2.5}));
  EXPECT_THROW(histogram(data, 2, std::make_pair(3.0, 1.0)), RuntimeError);
}

TEST(Scatter, GatherScatterFamily) {
  Tensor x = tensor<int64_t>({1, 2, 3, 4}).view({2, 2});
  Tensor idx = tensor<int64_t>({0, 0, 1, 0}).view({2, 2});
  EXPECT_EQ(values_of<int64_t>(gather(x, 1, idx)), (std::vector<int64_t>{1, 1, 4, 3}));
  EXPECT_THROW(gather(x, 1, idx.to(DType::Int32)), RuntimeError);
  EXPECT_THROW(gather(x, 1, tensor<int64_t>({2}).view({1, 1})), RuntimeError);

  Tensor z = zeros({2, 2}, TensorOptions(DType::Int64));
  scatter_add_(z, 1, idx, x);
  EXPECT_EQ(values_of<int64_t>(z), (std::vector<int64_t>{3, 0, 4, 3}));
  Tensor s = scatter(z, 0, tensor<int64_t>({1}).view({1, 1}), Scalar(int64_t(9)));
  EXPECT_EQ(values_of<int64_t>(s), (std::vector<int64_t>{3, 0, 9, 3}));
  Tensor m = scatter_reduce(z, 1, idx, x, "amax", /*include_self=*/false);
  EXPECT_EQ(values_of<int64_t>(m), (std::vector<int64_t>{2, 0, 4, 3}));
  EXPECT_THROW(scatter_reduce(z, 1, idx, x, "max"), RuntimeError);
}
