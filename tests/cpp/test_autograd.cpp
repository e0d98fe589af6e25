// The C++ autograd API: backward, grad, grad mode, views and in-place ops,
// custom Functions (values worked out by hand).
#include <gtest/gtest.h>

#include "ember/ember.h"

using namespace ember;

namespace {

Tensor vec(std::initializer_list<double> v) {
  Tensor t = empty({static_cast<int64_t>(v.size())}, TensorOptions(DType::Float64));
  double* p = t.data_ptr<double>();
  for (double x : v) *p++ = x;
  return t;
}

double at(const Tensor& t, int64_t i) { return t.contiguous().data_ptr<double>()[i]; }

struct Cube : autograd::Function<Cube> {
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return mul(mul(x, x), x);
  }
  static autograd::variable_list backward(autograd::AutogradContext* ctx, autograd::variable_list g) {
    Tensor x = ctx->get_saved_variables()[0];
    return {mul(mul(g[0], mul(x, x)), Scalar(3.0))};
  }
};

}  // namespace

TEST(Autograd, ClassicExample) {
  Tensor x = full({}, Scalar(2.0), TensorOptions(DType::Float64));
  x.set_requires_grad(true);
  Tensor y = add(add(mul(x, x), mul(x, Scalar(3.0))), Scalar(1.0));
  y.backward();
  EXPECT_DOUBLE_EQ(x.grad().item().to_double(), 7.0);
  EXPECT_TRUE(x.is_leaf());
  EXPECT_FALSE(y.is_leaf());
}

TEST(Autograd, GradAndAccumulation) {
  Tensor a = vec({1, 2, 3});
  a.set_requires_grad(true);
  Tensor b = vec({4, 5, 6});
  Tensor y = sum(mul(a, b));
  auto g = autograd::grad({y}, {a}, {}, true);
  EXPECT_DOUBLE_EQ(at(g[0], 1), 5.0);
  EXPECT_FALSE(a.grad().defined());
  y.backward(Tensor(), /*retain_graph=*/true);
  y.backward();
  EXPECT_DOUBLE_EQ(at(a.grad(), 2), 12.0);  // accumulated twice
}

TEST(Autograd, NoGradGuardStopsRecording) {
  Tensor a = vec({1, 2});
  a.set_requires_grad(true);
  {
    NoGradGuard guard;
    EXPECT_FALSE(mul(a, a).requires_grad());
  }
  EXPECT_TRUE(mul(a, a).requires_grad());
}

TEST(Autograd, ErrorsNameTheProblem) {
  Tensor a = vec({1, 2});
  a.set_requires_grad(true);
  EXPECT_THROW(mul(a, Scalar(2.0)).backward(), RuntimeError);  // non-scalar without gradient
  EXPECT_THROW(add_(a, Scalar(1.0)), RuntimeError);            // in-place on a leaf
  Tensor i = empty({2}, TensorOptions(DType::Int64));
  EXPECT_THROW(i.set_requires_grad(true), RuntimeError);
  Tensor y = sum(mul(a, a));
  y.backward();
  EXPECT_THROW(y.backward(), RuntimeError);  // graph freed
}

TEST(Autograd, InPlaceThroughViewReachesBase) {
  Tensor x = vec({1, 2, 3});
  x.set_requires_grad(true);
  Tensor base = mul(x, Scalar(1.0));
  Tensor v = base.narrow(0, 1, 2);
  mul_(v, Scalar(10.0));
  sum(mul(base, vec({1, 2, 3}))).backward();
  EXPECT_DOUBLE_EQ(at(x.grad(), 0), 1.0);
  EXPECT_DOUBLE_EQ(at(x.grad(), 1), 20.0);
  EXPECT_DOUBLE_EQ(at(x.grad(), 2), 30.0);
}

TEST(Autograd, CustomFunctionAndDoubleBackward) {
  Tensor x = vec({2});
  x.set_requires_grad(true);
  Tensor y = Cube::apply(x);
  EXPECT_EQ(autograd::grad_fn(y)->name(), "CubeBackward");
  auto g = autograd::grad({sum(y)}, {x}, {}, std::nullopt, /*create_graph=*/true);
  EXPECT_DOUBLE_EQ(at(g[0], 0), 12.0);  // 3 x^2
  auto gg = autograd::grad({sum(g[0])}, {x});
  EXPECT_DOUBLE_EQ(at(gg[0], 0), 12.0);  // 6 x
}

TEST(Autograd, GraphIsFreedWithTheOutput) {
  int64_t before = autograd::Node::live_count();
  {
    Tensor x = vec({1, 2});
    x.set_requires_grad(true);
    Tensor y = sum(softmax(mul(x, Scalar(2.0)), 0));
    EXPECT_GT(autograd::Node::live_count(), before);
  }
  EXPECT_EQ(autograd::Node::live_count(), before);
}
