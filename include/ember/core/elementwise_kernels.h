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
// out = isclose(a, b) (bool output).
using IsCloseKernel = void (*)(TensorIterator& it, double rtol, double atol, bool equal_nan);

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
EMBER_DECLARE_STUB(isclose_stub, IsCloseKernel);

EMBER_DECLARE_STUB(fmod_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(atan2_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(hypot_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(copysign_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(fmax_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(fmin_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(logaddexp_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(logaddexp2_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(xlogy_stub, ElementwiseKernel);

// Bitwise ops take bool and integer inputs (shifts: integers only).
EMBER_DECLARE_STUB(bitwise_and_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(bitwise_or_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(bitwise_xor_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(lshift_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(rshift_stub, ElementwiseKernel);
// Logical ops take bool inputs (the ops layer converts) and write bool.
EMBER_DECLARE_STUB(logical_and_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(logical_or_stub, ElementwiseKernel);
EMBER_DECLARE_STUB(logical_xor_stub, ElementwiseKernel);

// Ternary kernels: operand 0 the output, 1..3 the inputs.
// out = cond ? a : b; cond is bool, a and b have out's dtype.
EMBER_DECLARE_STUB(where_stub, ElementwiseKernel);
// out = min(max(a, lo), hi), all of out's dtype.
EMBER_DECLARE_STUB(clamp_stub, ElementwiseKernel);
// out = start + weight * (end - start), all of out's dtype.
EMBER_DECLARE_STUB(lerp_stub, ElementwiseKernel);

}  // namespace ember
