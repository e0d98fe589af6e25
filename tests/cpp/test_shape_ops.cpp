// The C++ shape API (ember/ops/shape.h): values worked out by hand, views vs
// copies, promotion in cat, errors.
#include <gtest/gtest.h>

#include <vector>

#include "ember/ember.h"

using namespace ember;

namespace {

// Row-major values of t as doubles.
std::vector<double> values(const Tensor& t) {
  Tensor c = t.to(DType::Float64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

using V = std::vector<double>;

Tensor iota(const DimVector& shape, DType dt = DType::Float32) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return arange(0, n).to(dt).reshape(shape);
}

}  // namespace

TEST(ShapeOps, CatJoinsAndPromotes) {
  Tensor a = iota({2, 2}, DType::Int32);
  Tensor b = full({2, 1}, 9.5, TensorOptions(DType::Float16));
  Tensor c = cat({a, b}, 1);
  EXPECT_EQ(c.dtype(), DType::Float16);
  EXPECT_EQ(c.sizes(), (DimVector{2, 3}));
  EXPECT_EQ(values(c), (V{0, 1, 9.5, 2, 3, 9.5}));
  EXPECT_EQ(values(cat({a, a}, -2)), (V{0, 1, 2, 3, 0, 1, 2, 3}));
}

TEST(ShapeOps, CatSkipsLegacyEmptyTensors) {
  Tensor a = iota({2, 2});
  Tensor e = empty({0}, TensorOptions(DType::Float64));
  Tensor c = cat({e, a, e}, 1);
  EXPECT_EQ(c.dtype(), DType::Float64);  // still takes part in promotion
  EXPECT_EQ(values(c), (V{0, 1, 2, 3}));
}

TEST(ShapeOps, CatErrors) {
  EXPECT_THROW(cat({}, 0), RuntimeError);
  EXPECT_THROW(cat({iota({2, 3}), iota({2, 4})}, 0), RuntimeError);
  EXPECT_THROW(cat({iota({2, 3}), iota({2, 3, 1})}, 0), RuntimeError);
  EXPECT_THROW(cat({iota({2}), scalar_tensor(1.0)}, 0), RuntimeError);
  EXPECT_THROW(cat({iota({2})}, 1), IndexError);
  try {
    cat({iota({2, 3}), iota({2, 4})}, 0);
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("Expected size 3 but got size 4 for tensor number 1 in the list"),
              std::string::npos);
  }
}

TEST(ShapeOps, CatOutWritesIntoOut) {
  Tensor out = zeros({4}, TensorOptions(DType::Float64));
  cat_out({iota({2}), iota({2})}, 0, out);
  EXPECT_EQ(values(out), (V{0, 1, 0, 1}));
  Tensor bad = zeros({4}, TensorOptions(DType::Int64));
  EXPECT_THROW(cat_out({iota({2}), iota({2})}, 0, bad), RuntimeError);  // float into int
}

TEST(ShapeOps, StackFamily) {
  Tensor a = iota({2}), b = add(iota({2}), 10);
  EXPECT_EQ(stack({a, b}, 1).sizes(), (DimVector{2, 2}));
  EXPECT_EQ(values(stack({a, b}, 1)), (V{0, 10, 1, 11}));
  EXPECT_EQ(values(hstack({a, b})), (V{0, 1, 10, 11}));
  EXPECT_EQ(vstack({a, b}).sizes(), (DimVector{2, 2}));
  EXPECT_EQ(dstack({a, b}).sizes(), (DimVector{1, 2, 2}));
  EXPECT_EQ(values(column_stack({a, b})), (V{0, 10, 1, 11}));
  EXPECT_THROW(stack({a, iota({3})}, 0), RuntimeError);
}

TEST(ShapeOps, SplitsAreViews) {
  Tensor x = iota({5, 2});
  auto parts = split(x, 2, 0);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2].sizes(), (DimVector{1, 2}));
  EXPECT_EQ(values(parts[2]), (V{8, 9}));
  parts[1].fill_(-1);
  EXPECT_EQ(values(x)[4], -1);  // row 2 of x
  EXPECT_EQ(split_with_sizes(x, {1, 4}, 0)[1].sizes(), (DimVector{4, 2}));
  EXPECT_EQ(chunk(x, 2, 1).size(), 2u);
  auto ts = tensor_split(iota({7}), 3, 0);
  EXPECT_EQ(values(ts[0]), (V{0, 1, 2}));
  EXPECT_EQ(values(ts[2]), (V{5, 6}));
  auto ti = tensor_split_indices(iota({6}), {2, -1}, 0);
  EXPECT_EQ(values(ti[1]), (V{2, 3, 4}));
  EXPECT_THROW(split_with_sizes(x, {1, 1}, 0), RuntimeError);
  EXPECT_THROW(chunk(x, 0, 0), RuntimeError);
}

TEST(ShapeOps, FlipRollRot90) {
  Tensor x = iota({2, 3});
  EXPECT_EQ(values(flip(x, {0})), (V{3, 4, 5, 0, 1, 2}));
  EXPECT_EQ(values(flip(x, {1})), (V{2, 1, 0, 5, 4, 3}));
  EXPECT_EQ(values(flip(x, {0, 1})), (V{5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(values(flip(x.t(), {0})), (V{2, 5, 1, 4, 0, 3}));  // strided input
  EXPECT_EQ(values(roll(x, {1})), (V{5, 0, 1, 2, 3, 4}));
  EXPECT_EQ(values(roll(x, {-1}, {1})), (V{1, 2, 0, 4, 5, 3}));
  EXPECT_EQ(values(rot90(x, 1)), (V{2, 5, 1, 4, 0, 3}));
  EXPECT_EQ(values(rot90(x, -1)), (V{3, 0, 4, 1, 5, 2}));
  EXPECT_THROW(flip(x, {0, 0}), RuntimeError);
  EXPECT_THROW(rot90(iota({3}), 1), RuntimeError);
}

TEST(ShapeOps, RepeatTileInterleave) {
  Tensor x = iota({2});
  EXPECT_EQ(values(repeat(x, {2, 2})), (V{0, 1, 0, 1, 0, 1, 0, 1}));
  EXPECT_EQ(repeat(x, {3, 1, 2}).sizes(), (DimVector{3, 1, 4}));
  EXPECT_EQ(values(tile(iota({2, 2}), {2})), (V{0, 1, 0, 1, 2, 3, 2, 3}));
  EXPECT_EQ(values(repeat_interleave(x, 3)), (V{0, 0, 0, 1, 1, 1}));
  Tensor r = tensor({int64_t(2), int64_t(0), int64_t(1)});
  EXPECT_EQ(values(repeat_interleave(iota({3}), r)), (V{0, 0, 2}));
  EXPECT_EQ(values(repeat_interleave(iota({2, 3}), r, 1)), (V{0, 0, 2, 3, 3, 5}));
  EXPECT_EQ(values(repeat_interleave(r)), (V{0, 0, 2}));
  EXPECT_THROW(repeat(iota({2, 2}), {2}), RuntimeError);
  EXPECT_THROW(repeat_interleave(x, -1), RuntimeError);
}

TEST(ShapeOps, TrianglesAndDiagonals) {
  Tensor x = add(iota({3, 3}), 1);
  EXPECT_EQ(values(tril(x)), (V{1, 0, 0, 4, 5, 0, 7, 8, 9}));
  EXPECT_EQ(values(triu(x, 1)), (V{0, 2, 3, 0, 0, 6, 0, 0, 0}));
  EXPECT_EQ(values(tril(x, -1)), (V{0, 0, 0, 4, 0, 0, 7, 8, 0}));
  EXPECT_EQ(values(diag(x, 1)), (V{2, 6}));
  EXPECT_EQ(values(diag(tensor({1.0, 2.0}), -1)), (V{0, 0, 0, 1, 0, 0, 0, 2, 0}));
  EXPECT_EQ(values(diagflat(tensor({1.0, 2.0}))), (V{1, 0, 0, 2}));
  Tensor e = diag_embed(iota({2, 2}));
  EXPECT_EQ(e.sizes(), (DimVector{2, 2, 2}));
  EXPECT_EQ(values(e), (V{0, 0, 0, 1, 2, 0, 0, 3}));
  EXPECT_THROW(tril(iota({3}), 0), RuntimeError);
}

TEST(ShapeOps, DimsGridsBroadcasting) {
  Tensor x = iota({2, 3, 4});
  EXPECT_EQ(movedim(x, {0}, {2}).sizes(), (DimVector{3, 4, 2}));
  EXPECT_EQ(movedim(x, {0, 1}, {2, 0}).sizes(), (DimVector{3, 4, 2}));
  EXPECT_EQ(movedim(x, {0}, {2}).storage(), x.storage());
  auto g = meshgrid({iota({2}), iota({3})}, "xy");
  EXPECT_EQ(g[0].sizes(), (DimVector{3, 2}));
  EXPECT_EQ(values(g[1]), (V{0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(values(cartesian_prod({iota({2}), iota({2})})), (V{0, 0, 0, 1, 1, 0, 1, 1}));
  EXPECT_EQ(broadcast_shapes({{2, 1}, {3}, {}}), (DimVector{2, 3}));
  EXPECT_THROW(broadcast_shapes({{2}, {3}}), RuntimeError);
  auto bt = broadcast_tensors({iota({3, 1}), iota({4})});
  EXPECT_EQ(bt[0].sizes(), (DimVector{3, 4}));
  EXPECT_EQ(broadcast_to(iota({3}), {2, 3}).strides(), (DimVector{0, 1}));
  EXPECT_EQ(atleast_3d(iota({3})).sizes(), (DimVector{1, 3, 1}));
  EXPECT_EQ(atleast_2d(scalar_tensor(1.0)).sizes(), (DimVector{1, 1}));
  EXPECT_EQ(ravel(x.transpose(0, 2)).sizes(), (DimVector{24}));
  EXPECT_THROW(meshgrid({iota({2})}, "ji"), ValueError);
}
