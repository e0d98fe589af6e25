#pragma once
// Kernel tables for special functions (digamma, polygamma) (Note [Dispatch
// stubs]). Operand 0 is the output, 1 the input in its floating dtype.
#include "ember/core/elementwise_kernels.h"

namespace ember {

// polygamma(n, x) for n >= 1 (n == 0 is digamma).
using PolygammaKernel = void (*)(TensorIterator& it, int64_t n);

EMBER_DECLARE_STUB(digamma_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(polygamma_stub, PolygammaKernel);

}  // namespace ember
