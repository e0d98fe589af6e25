#pragma once
// Kernel tables for unary elementwise ops (Note [Dispatch stubs]). Operand
// 0 is the output, 1 the input (already in the op's compute dtype).
#include "ember/core/elementwise_kernels.h"

namespace ember {

EMBER_DECLARE_STUB(neg_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(abs_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(exp_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(log_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(sqrt_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(sin_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(cos_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(tanh_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(sigmoid_stub, ElementwiseKernel);

}  // namespace ember
