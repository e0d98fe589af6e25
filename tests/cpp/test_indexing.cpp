// The C++ indexing API: ember::index / index_put_ with TensorIndex values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/ember.h"

using namespace ember;
using namespace ember::indexing;

namespace {

// arange(numel) viewed as sizes (int64).
Tensor iota(const DimVector& sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  return arange(Scalar(int64_t(0)), Scalar(n), Scalar(int64_t(1)), TensorOptions(DType::Int64)).view(sizes);
}

// The elements of t in row-major order.
std::vector<int64_t> values(const Tensor& t) {
  Tensor c = t.contiguous();
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

TEST(Indexing, IntegersSelectAndShareStorage) {
  Tensor t = iota({3, 4});
  Tensor r = index(t, {1});
  EXPECT_EQ(r.sizes(), DimVector({4}));
  EXPECT_EQ(values(r), (std::vector<int64_t>{4, 5, 6, 7}));
  EXPECT_EQ(r.storage(), t.storage());
  EXPECT_EQ(r.storage_offset(), 4);
  Tensor e = index(t, {-1, -2});
  EXPECT_EQ(e.dim(), 0);
  EXPECT_EQ(e.item().to_int(), 10);
}

TEST(Indexing, SlicesFollowPythonRules) {
  Tensor t = iota({10});
  EXPECT_EQ(values(index(t, {Slice(2, 8, 3)})), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(values(index(t, {Slice(-3)})), (std::vector<int64_t>{7, 8, 9}));
  EXPECT_EQ(values(index(t, {Slice(None, -8)})), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(values(index(t, {Slice(-100, 100, 4)})), (std::vector<int64_t>{0, 4, 8}));
  EXPECT_EQ(index(t, {Slice(7, 3)}).numel(), 0);
  EXPECT_EQ(index(t, {Slice(20)}).numel(), 0);
  // A huge step must not overflow the length computation.
  EXPECT_EQ(values(index(t, {Slice(1, None, INT64_MAX)})), (std::vector<int64_t>{1}));
  Tensor s = index(t, {Slice(1, None, 2)});
  EXPECT_EQ(s.strides(), DimVector({2}));
  EXPECT_EQ(s.storage_offset(), 1);
}

TEST(Indexing, NoneEllipsisAndBooleans) {
  Tensor t = iota({2, 3, 4});
  EXPECT_EQ(index(t, {None}).sizes(), DimVector({1, 2, 3, 4}));
  EXPECT_EQ(index(t, {Ellipsis, None}).sizes(), DimVector({2, 3, 4, 1}));
  EXPECT_EQ(index(t, {0, Ellipsis, 1}).sizes(), DimVector({3}));
  EXPECT_EQ(values(index(t, {0, Ellipsis, 1})), (std::vector<int64_t>{1, 5, 9}));
  EXPECT_EQ(index(t, {Ellipsis}).sizes(), t.sizes());
  EXPECT_EQ(index(t, {}).sizes(), t.sizes());
  EXPECT_EQ(index(t, {true}).sizes(), DimVector({1, 2, 3, 4}));
  EXPECT_EQ(index(t, {false}).sizes(), DimVector({0, 2, 3, 4}));
  EXPECT_EQ(index(t, {1, true}).sizes(), DimVector({1, 3, 4}));
  // Several booleans merge into one dim: in place when adjacent...
  EXPECT_EQ(index(t, {true, true, 0}).sizes(), DimVector({1, 3, 4}));
  EXPECT_EQ(index(t, {true, false}).sizes(), DimVector({0, 2, 3, 4}));
  // ...and at the front when something separates them.
  EXPECT_EQ(index(t, {Slice(), true, Slice(), true}).sizes(), DimVector({1, 2, 3, 4}));
  EXPECT_EQ(index(t, {None, 1, None, Slice(None, None, 2)}).sizes(), DimVector({1, 1, 2, 4}));
  // Inserted dims get unsqueeze's strides, so the view stays contiguous.
  Tensor u = index(t, {1, None});
  EXPECT_EQ(u.strides(), DimVector({12, 4, 1}));
  EXPECT_TRUE(u.is_contiguous());
}

TEST(Indexing, PointerAndCountForm) {
  Tensor t = iota({3, 4});
  TensorIndex idx[2] = {Slice(1), 2};
  EXPECT_EQ(values(index(t, idx, 2)), (std::vector<int64_t>{6, 10}));
  EXPECT_EQ(index(t, idx, 0).sizes(), t.sizes());
}

TEST(Indexing, TensorIndexKinds) {
  EXPECT_TRUE(TensorIndex(None).is_none());
  EXPECT_TRUE(TensorIndex(Ellipsis).is_ellipsis());
  EXPECT_TRUE(TensorIndex(3).is_integer());
  EXPECT_TRUE(TensorIndex(int8_t(-1)).is_integer());
  EXPECT_EQ(TensorIndex(uint16_t(7)).integer(), 7);
  EXPECT_TRUE(TensorIndex(true).is_boolean());
  EXPECT_FALSE(TensorIndex(false).boolean());
  TensorIndex s = Slice(None, 5, 2);
  ASSERT_TRUE(s.is_slice());
  EXPECT_FALSE(s.slice().start.has_value());
  EXPECT_EQ(*s.slice().stop, 5);
  EXPECT_EQ(s.slice().step, 2);
}

TEST(Indexing, Errors) {
  Tensor t = iota({3, 4});
  EXPECT_EQ(error_of<IndexError>([&] { index(t, {5}); }),
            "[index] index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(error_of<IndexError>([&] { index(t, {None, 0, -5}); }),
            "[index] index -5 is out of bounds for dimension 1 with size 4");
  EXPECT_EQ(error_of<IndexError>([&] { index(t, {0, 0, 0}); }),
            "[index] too many indices for tensor of dimension 2");
  EXPECT_EQ(error_of<IndexError>([&] { index(t, {Ellipsis, 0, Ellipsis}); }),
            "[index] an index can only have a single ellipsis ('...')");
  EXPECT_EQ(error_of<ValueError>([&] { index(t, {Slice(None, None, -1)}); }),
            "[index] step must be greater than zero");
  EXPECT_EQ(error_of<ValueError>([&] { index(t, {0, Slice(None, None, 0)}); }),
            "[index] step must be greater than zero");
  Tensor scalar = full({}, Scalar(2.0));
  EXPECT_EQ(error_of<IndexError>([&] { index(scalar, {0}); }),
            "[index] invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
            "C++ to convert a 0-dim tensor to a number");
  EXPECT_EQ(error_of<IndexError>([&] { index(scalar, {None, 0}); }),
            "[index] too many indices for tensor of dimension 0");
}

TEST(IndexPut, ScalarFillsTheView) {
  Tensor t = iota({3, 4});
  uint32_t v0 = t.version();
  Tensor& same = index_put_(t, {Slice(), 1}, Scalar(int64_t(-1)));
  EXPECT_TRUE(same.is_same(t));
  EXPECT_EQ(values(t), (std::vector<int64_t>{0, -1, 2, 3, 4, -1, 6, 7, 8, -1, 10, 11}));
  EXPECT_EQ(t.version(), v0 + 1);
  index_put_(t, {2, Slice(2)}, Scalar(7.9));  // converted to int64 like fill_
  EXPECT_EQ(values(index(t, {2})), (std::vector<int64_t>{8, -1, 7, 7}));
  index_put_(t, {false}, Scalar(int64_t(100)));  // selects nothing
  EXPECT_EQ(values(t)[0], 0);
}

TEST(IndexPut, TensorBroadcastsAndConverts) {
  Tensor t = iota({3, 4});
  Tensor row = arange(Scalar(10.0), Scalar(14.0), Scalar(1.0), TensorOptions(DType::Float32));
  index_put_(t, {Slice(1)}, row);  // [4] broadcast to [2, 4], float -> int64
  EXPECT_EQ(values(t), (std::vector<int64_t>{0, 1, 2, 3, 10, 11, 12, 13, 10, 11, 12, 13}));
  // Leading size-1 dims of the value are dropped.
  index_put_(t, {0}, full({1, 1, 4}, Scalar(int64_t(5))));
  EXPECT_EQ(values(index(t, {0})), (std::vector<int64_t>{5, 5, 5, 5}));
  // A view of itself: read before written.
  Tensor u = iota({5});
  index_put_(u, {Slice(1)}, index(u, {Slice(None, -1)}));
  EXPECT_EQ(values(u), (std::vector<int64_t>{0, 0, 1, 2, 3}));
}

TEST(IndexPut, VersionIsSharedWithViews) {
  Tensor t = iota({2, 2});
  Tensor v = index(t, {1});
  uint32_t v0 = v.version();
  index_put_(t, {0, 0}, Scalar(int64_t(3)));
  EXPECT_EQ(v.version(), v0 + 1);
}

TEST(IndexPut, Errors) {
  Tensor t = iota({3, 4});
  Tensor two = full({2}, Scalar(int64_t(1)));
  EXPECT_EQ(error_of<RuntimeError>([&] { index_put_(t, {0}, two); }),
            "[index_put_] shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of "
            "shape [4]");
  EXPECT_EQ(error_of<RuntimeError>([&] { index_put_(t, {0}, full({2, 4}, Scalar(int64_t(1)))); }),
            "[index_put_] shape mismatch: value tensor of shape [2, 4] cannot be broadcast to indexing result "
            "of shape [4]");
  EXPECT_EQ(error_of<IndexError>([&] { index_put_(t, {3}, Scalar(int64_t(0))); }),
            "[index] index 3 is out of bounds for dimension 0 with size 3");
  // Failed writes change nothing.
  EXPECT_EQ(values(t), values(iota({3, 4})));
}
