#pragma once
// Kernel tables for elementwise ops (Note [Dispatch stubs]). The ops layer
// hands each kernel a TensorIterator whose inputs already have the op's
// compute dtype; the output has that dtype too, except for comparisons,
// whose output is bool.
#include "ember/core/kernels.h"

// Unary stubs are declared in unary_kernels.h.

namespace ember {

using ElementwiseKernel = void (*)(TensorIterator& it);
// out = a + alpha * b
using AddKernel = void (*)(TensorIterator& it, const Scalar& alpha);

#define EMBER_DECLARE_STUB(name, type) EMBER_API extern DispatchStub<type> name

EMBER_DECLARE_STUB(add_stub, AddKernel);
EMBER_DECLARE_STUB(mul_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(div_true_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(div_floor_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(div_trunc_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(remainder_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(pow_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(maximum_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(minimum_stub, ElementwiseKernel);

EMBER_DECLARE_STUB(eq_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(ne_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(lt_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(le_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(gt_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(ge_stub, ElementwiseKernel);

}  // namespace ember
