// The C++ printing API: Tensor::str(), operator<<, print options and the
// grad_fn hook. Expected strings follow PyTorch's torch/_tensor_str.py
// (worked out by hand), with "ember." in place of "torch.".
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include "ember/core/printing.h"
#include "ember/ember.h"

namespace ember {
namespace {

// Restores the print options and hook a test changes.
class Printing : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = get_print_options(); }
  void TearDown() override {
    set_print_options(saved_);
    set_grad_fn_name_hook(nullptr);
    set_default_dtype(DType::Float32);
  }
  PrintOptions saved_;
};

TEST_F(Printing, FloatModes) {
  EXPECT_EQ(tensor({1.0, 2.0}).str(), "tensor([1., 2.])");
  EXPECT_EQ(tensor({1.5, 2.25, -3.125}).str(), "tensor([ 1.5000,  2.2500, -3.1250])");
  EXPECT_EQ(tensor({1e-3, 10.0}).str(), "tensor([1.0000e-03, 1.0000e+01])");
  EXPECT_EQ(tensor({1.0, 2.0}, TensorOptions(DType::Float64)).str(), "tensor([1., 2.], dtype=ember.float64)");
  double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(tensor({1.0, nan, inf, -inf}).str(), "tensor([1., nan, inf, -inf])");
  EXPECT_EQ(tensor({-0.0, 1.5}).str(), "tensor([-0.0000, 1.5000])");
}

TEST_F(Printing, IntsBoolsComplexAndZeroDim) {
  EXPECT_EQ(arange(0, 4).view({2, 2}).str(), "tensor([[0, 1],\n        [2, 3]])");
  EXPECT_EQ(tensor({true, false}).str(), "tensor([ True, False])");
  using c = std::complex<double>;
  EXPECT_EQ(tensor({c(1, 2), c(3, -1)}).str(), "tensor([1.+2.j, 3.-1.j])");
  EXPECT_EQ(tensor({3.0}).view(DimVector{}).str(), "tensor(3.)");
  EXPECT_EQ(tensor({int64_t(3)}).view(DimVector{}).str(), "tensor(3)");
  EXPECT_EQ(tensor({int64_t(3)}, TensorOptions(DType::Int32)).str(), "tensor([3], dtype=ember.int32)");
}

TEST_F(Printing, EmptyAndNonContiguous) {
  EXPECT_EQ(empty({0}).str(), "tensor([])");
  EXPECT_EQ(empty({0, 3}).str(), "tensor([], size=(0, 3))");
  EXPECT_EQ(empty({0}, TensorOptions(DType::Int64)).str(), "tensor([], dtype=ember.int64)");
  Tensor t = arange(0, 6).view({2, 3}).t();
  EXPECT_EQ(t.str(), "tensor([[0, 3],\n        [1, 4],\n        [2, 5]])");
}

TEST_F(Printing, StreamOperatorMatchesStr) {
  Tensor t = tensor({0.5, 0.25});
  std::ostringstream os;
  os << t;
  EXPECT_EQ(os.str(), "tensor([0.5000, 0.2500])");
  EXPECT_EQ(Tensor().str(), "[ Tensor (undefined) ]");
}

TEST_F(Printing, OptionsChangeOutput) {
  PrintOptions o = get_print_options();
  EXPECT_EQ(o.precision, 4);
  EXPECT_EQ(o.threshold, 1000);
  EXPECT_EQ(o.edgeitems, 3);
  EXPECT_EQ(o.linewidth, 80);
  EXPECT_FALSE(o.sci_mode.has_value());

  o.threshold = 5;
  set_print_options(o);
  EXPECT_EQ(arange(0, 10).str(), "tensor([0, 1, 2,  ..., 7, 8, 9])");
  o.precision = 2;
  o.sci_mode = true;
  set_print_options(o);
  EXPECT_EQ(tensor({1.5}).str(), "tensor([1.50e+00])");
  EXPECT_EQ(get_print_options().precision, 2);

  set_print_options(print_options_profile("short"));
  EXPECT_EQ(get_print_options().edgeitems, 2);
  EXPECT_EQ(print_options_profile("full").threshold, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(print_options_profile("default").precision, 4);
}

TEST_F(Printing, BadOptionsThrow) {
  EXPECT_THROW(print_options_profile("long"), ValueError);
  PrintOptions o;
  o.precision = -1;
  EXPECT_THROW(set_print_options(o), ValueError);
  o = PrintOptions();
  o.edgeitems = -1;
  EXPECT_THROW(set_print_options(o), ValueError);
  EXPECT_EQ(get_print_options().precision, 4);
}

TEST_F(Printing, SummarizesLargeTensors) {
  Tensor t = arange(0, 2000).view({40, 50}).t();
  EXPECT_EQ(t.str(),
            "tensor([[   0,   50,  100,  ..., 1850, 1900, 1950],\n"
            "        [   1,   51,  101,  ..., 1851, 1901, 1951],\n"
            "        [   2,   52,  102,  ..., 1852, 1902, 1952],\n"
            "        ...,\n"
            "        [  47,   97,  147,  ..., 1897, 1947, 1997],\n"
            "        [  48,   98,  148,  ..., 1898, 1948, 1998],\n"
            "        [  49,   99,  149,  ..., 1899, 1949, 1999]])");
}

TEST_F(Printing, RequiresGradAndGradFnHook) {
  Tensor t = tensor({1.0, 2.0});
  t.set_requires_grad(true);
  EXPECT_EQ(t.str(), "tensor([1., 2.], requires_grad=True)");
  // The autograd layer's hook replaces requires_grad=True with the node.
  set_grad_fn_name_hook([](const Tensor& x) -> std::optional<std::string> {
    if (x.requires_grad()) return std::string("AddBackward0");
    return std::nullopt;
  });
  EXPECT_EQ(t.str(), "tensor([1., 2.], grad_fn=<AddBackward0>)");
  EXPECT_EQ(tensor({1.0}).str(), "tensor([1.])");
  set_grad_fn_name_hook(nullptr);
  EXPECT_EQ(t.str(), "tensor([1., 2.], requires_grad=True)");
}

TEST_F(Printing, DeviceSuffixComesFirst) {
  // An empty tensor on a CUDA device prints without reading any memory.
  Storage st = borrow_storage(nullptr, 0, Device(DeviceType::CUDA, 0), nullptr, nullptr);
  Tensor t(make_intrusive<TensorImpl>(st, DType::Int32, DimVector{0, 3}, DimVector{3, 1}, 0));
  EXPECT_EQ(t.str(), "tensor([], device='cuda:0', size=(0, 3), dtype=ember.int32)");
}

TEST_F(Printing, DefaultDtypeFloat64) {
  set_default_dtype(DType::Float64);
  EXPECT_EQ(tensor({1.0}, TensorOptions(DType::Float64)).str(), "tensor([1.])");
  EXPECT_EQ(tensor({1.0}, TensorOptions(DType::Float32)).str(), "tensor([1.], dtype=ember.float32)");
  EXPECT_EQ(tensor({std::complex<double>(0, 1)}).str(), "tensor([0.+1.j])");
  EXPECT_EQ(tensor({std::complex<double>(0, 1)}, TensorOptions(DType::Complex64)).str(),
            "tensor([0.+1.j], dtype=ember.complex64)");
}

}  // namespace
}  // namespace ember
