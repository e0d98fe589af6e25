// The C++ advanced-indexing API: tensor entries in ember::index /
// index_put_, and the index/mask ops (values worked out by hand).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/ember.h"

using namespace ember;
using namespace ember::indexing;

namespace {

Tensor iota(const DimVector& sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  return arange(Scalar(int64_t(0)), Scalar(n), Scalar(int64_t(1)), TensorOptions(DType::Int64)).view(sizes);
}

Tensor longs(const std::vector<int64_t>& v, DimVector sizes = {}) {
  std::vector<Scalar> s(v.begin(), v.end());
  if (sizes.empty()) sizes = {static_cast<int64_t>(v.size())};
  return tensor_from_scalars(s, sizes, DType::Int64);
}

Tensor bools(const std::vector<bool>& v, DimVector sizes = {}) {
  std::vector<Scalar> s;
  for (bool b : v) s.emplace_back(b);
  if (sizes.empty()) sizes = {static_cast<int64_t>(v.size())};
  return tensor_from_scalars(s, sizes, DType::Bool);
}

std::vector<int64_t> values(const Tensor& t) {
  Tensor c = t.to(DType::Int64).contiguous();
  const int64_t* p = c.data_ptr<int64_t>();
  return std::vector<int64_t>(p, p + c.numel());
}

template <class E, class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no error of the expected type>";
}

}  // namespace

TEST(AdvancedIndexing, GatherIsACopy) {
  Tensor t = iota({3, 4});
  Tensor r = index(t, {longs({2, 0, -1})});
  EXPECT_EQ(r.sizes(), DimVector({3, 4}));
  EXPECT_EQ(values(r), (std::vector<int64_t>{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}));
  EXPECT_NE(r.storage().get(), t.storage().get());
}

TEST(AdvancedIndexing, AdjacentAndSeparatedLandingPositions) {
  Tensor t = iota({2, 3, 4});
  Tensor i = longs({0, 2});
  // Adjacent group stays in place: t[:, [0, 2], [1, 3]] -> (2, 2)
  Tensor a = index(t, {Slice(), i, longs({1, 3})});
  EXPECT_EQ(a.sizes(), DimVector({2, 2}));
  EXPECT_EQ(values(a), (std::vector<int64_t>{1, 11, 13, 23}));
  // Separated by a slice: in front. t[[0, 1], :, [1, 3]] -> (2, 3)
  Tensor b = index(t, {longs({0, 1}), Slice(), longs({1, 3})});
  EXPECT_EQ(b.sizes(), DimVector({2, 3}));
  EXPECT_EQ(values(b), (std::vector<int64_t>{1, 5, 9, 15, 19, 23}));
  // An integer is basic (PyTorch): t[0, :, [0, 1]] -> (3, 2)
  Tensor c = index(t, {0, Slice(), longs({0, 1})});
  EXPECT_EQ(c.sizes(), DimVector({3, 2}));
  EXPECT_EQ(values(c), (std::vector<int64_t>{0, 1, 4, 5, 8, 9}));
}

TEST(AdvancedIndexing, ZeroDimIntegerTensorsSelect) {
  Tensor t = iota({2, 3});
  Tensor v = index(t, {longs({1}, DimVector{}).reshape({}), Slice()});
  EXPECT_EQ(v.sizes(), DimVector({3}));
  EXPECT_EQ(v.storage().get(), t.storage().get());  // a view, like t[1]
  EXPECT_EQ(values(v), (std::vector<int64_t>{3, 4, 5}));
}

TEST(AdvancedIndexing, MasksConsumeTheirDims) {
  Tensor t = iota({2, 3});
  Tensor m = bools({true, false, false, true, true, false}, {2, 3});
  Tensor r = index(t, {m});
  EXPECT_EQ(r.sizes(), DimVector({3}));
  EXPECT_EQ(values(r), (std::vector<int64_t>{0, 3, 4}));  // (0,0), (1,0), (1,1)
  std::string msg = error_of<IndexError>([&] { index(t, {bools({true, false, true})}); });
  EXPECT_EQ(msg, "[index] The shape of the mask [3] at index 0 does not match the shape of the indexed tensor "
                 "[2, 3] at index 0");
}

TEST(AdvancedIndexing, ErrorsOutOfBoundsAndBroadcast) {
  Tensor t = iota({3});
  EXPECT_EQ(error_of<IndexError>([&] { index(t, {longs({7})}); }),
            "[index] index 7 is out of bounds for dimension 0 with size 3");
  Tensor u = iota({3, 4});
  EXPECT_NE(error_of<IndexError>([&] { index(u, {longs({0, 1}), longs({0, 1, 2})}); })
                .find("could not be broadcast together with shapes [2], [3]"),
            std::string::npos);
}

TEST(AdvancedIndexing, PutAndAccumulate) {
  Tensor t = zeros({4}, TensorOptions(DType::Int64));
  index_put_(t, {longs({1, 1, 3})}, longs({5, 6, 7}), /*accumulate=*/true);
  EXPECT_EQ(values(t), (std::vector<int64_t>{0, 11, 0, 7}));
  index_put_(t, {longs({0, 2})}, Scalar(int64_t(-1)));
  EXPECT_EQ(values(t), (std::vector<int64_t>{-1, 11, -1, 7}));
  Tensor u = index_put(t, {longs({3})}, longs({9}));
  EXPECT_EQ(values(u), (std::vector<int64_t>{-1, 11, -1, 9}));
  EXPECT_EQ(values(t)[3], 7);
}

TEST(AdvancedIndexing, IndexOps) {
  Tensor t = iota({3, 2});
  EXPECT_EQ(values(index_select(t, 1, longs({1}))), (std::vector<int64_t>{1, 3, 5}));
  Tensor z = zeros({3}, TensorOptions(DType::Int64));
  index_add_(z, 0, longs({0, 0, 2}), longs({1, 2, 3}), Scalar(int64_t(10)));
  EXPECT_EQ(values(z), (std::vector<int64_t>{30, 0, 30}));
  EXPECT_EQ(values(masked_select(t, bools({false, true}))), (std::vector<int64_t>{1, 3, 5}));
  EXPECT_EQ(values(masked_fill(t, bools({true, false}), Scalar(int64_t(-1)))),
            (std::vector<int64_t>{-1, 1, -1, 3, -1, 5}));
  EXPECT_EQ(values(take(t, longs({5, -6}))), (std::vector<int64_t>{5, 0}));
  EXPECT_EQ(values(take_along_dim(t, longs({1, 0, 0}, {3, 1}), 1)), (std::vector<int64_t>{1, 2, 4}));
  Tensor nz = nonzero(bools({false, true, true, false}, {2, 2}));
  EXPECT_EQ(nz.sizes(), DimVector({2, 2}));
  EXPECT_EQ(values(nz), (std::vector<int64_t>{0, 1, 1, 0}));
  EXPECT_EQ(count_nonzero(t).item().to_int(), 5);
  EXPECT_EQ(values(count_nonzero(t, DimVector{1})), (std::vector<int64_t>{1, 2, 2}));
}
