// Note [Output layout]: empty_like_inputs gives an elementwise output its
// inputs' dim order; and the iterator's fixed operand arrays refuse a ninth
// operand with a clear error.
#include <gtest/gtest.h>

#include "ember/core/tensor_iterator.h"
#include "ember/ember.h"

using namespace ember;

TEST(OutputLayout, ContiguousInputsGiveContiguousOutput) {
  Tensor a = zeros({3, 4}), b = zeros({4});
  Tensor out = empty_like_inputs({3, 4}, TensorOptions(DType::Float32), {&a, &b});
  EXPECT_TRUE(out.is_contiguous());
}

TEST(OutputLayout, TransposedInputsGiveTransposedOutput) {
  Tensor a = zeros({4, 3}).t(), b = zeros({4, 3}).t();  // [3, 4], strides [1, 3]
  Tensor out = empty_like_inputs({3, 4}, TensorOptions(DType::Float64), {&a, &b});
  EXPECT_EQ(out.strides(), (DimVector{1, 3}));
  EXPECT_EQ(out.dtype(), DType::Float64);
  // add() allocates this way too, and iterates all three operands as one run.
  Tensor sum = add(a, b);
  EXPECT_EQ(sum.strides(), (DimVector{1, 3}));
  TensorIterator it;
  it.add_output(sum).add_input(a).add_input(b).build("add");
  EXPECT_EQ(it.ndim(), 1);
  EXPECT_TRUE(it.is_contiguous());
}

TEST(OutputLayout, FirstInputThatTellsDimsApartDecides) {
  Tensor row = zeros({1, 4});                           // broadcast: says nothing about dim 0
  Tensor tr = zeros({4, 3}).t();                        // [3, 4], strides [1, 3]
  Tensor out = empty_like_inputs({3, 4}, TensorOptions(), {&row, &tr});
  EXPECT_EQ(out.strides(), (DimVector{1, 3}));
  Tensor c = zeros({3, 4});
  Tensor out2 = empty_like_inputs({3, 4}, TensorOptions(), {&c, &tr});
  EXPECT_TRUE(out2.is_contiguous());
}

TEST(OutputLayout, PermutedThreeDims) {
  Tensor x = zeros({2, 3, 4}).permute({2, 0, 1});      // [4, 2, 3], strides [1, 12, 4]
  Tensor out = empty_like_inputs({4, 2, 3}, TensorOptions(), {&x});
  EXPECT_EQ(out.strides(), (DimVector{1, 12, 4}));
}

TEST(OutputLayout, EmptyShapes) {
  Tensor e = zeros({0, 3}).t();
  Tensor out = empty_like_inputs({3, 0}, TensorOptions(), {&e});
  EXPECT_EQ(out.sizes(), (DimVector{3, 0}));
  EXPECT_EQ(out.numel(), 0);
}

TEST(TensorIteratorOperands, NinthOperandIsAnError) {
  TensorIterator it;
  Tensor t = zeros({2});
  for (int i = 0; i < TensorIterator::kMaxOperands; ++i) it.add_input(t);
  EXPECT_THROW(it.add_input(t), RuntimeError);
}
