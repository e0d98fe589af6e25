#pragma once
// Unary elementwise math (binary ops are in elementwise.h).
#include "ember/core/tensor.h"

namespace ember {

EMBER_API Tensor neg(const Tensor& a);
EMBER_API Tensor abs(const Tensor& a);
// Floating functions: integer and bool inputs give the default float dtype.
EMBER_API Tensor exp(const Tensor& a);
EMBER_API Tensor log(const Tensor& a);
EMBER_API Tensor sqrt(const Tensor& a);
EMBER_API Tensor sin(const Tensor& a);
EMBER_API Tensor cos(const Tensor& a);
EMBER_API Tensor tanh(const Tensor& a);
EMBER_API Tensor sigmoid(const Tensor& a);

}  // namespace ember
