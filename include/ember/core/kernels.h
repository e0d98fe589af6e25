#pragma once
// The kernel tables every backend fills (Note [Dispatch stubs]).
#include "ember/core/dispatch_stub.h"
#include "ember/core/scalar.h"
#include "ember/core/tensor_iterator.h"

namespace ember {

// out[i] = convert(in[i]); operand 0 is the output, 1 the input.
using CopyKernel = void (*)(TensorIterator& it);
// out[i] = value converted to out's dtype.
using FillKernel = void (*)(TensorIterator& it, const Scalar& value);

// out[i] = start + i * step (int64 arithmetic for integer dtypes).
using ArangeKernel = void (*)(const Tensor& out, const Scalar& start, const Scalar& step);
// out[i] evenly spaced from start to end, computed symmetrically from both
// ends as PyTorch does so that the last value is exactly `end`.
using LinspaceKernel = void (*)(const Tensor& out, const Scalar& start, const Scalar& end);

EMBER_API extern DispatchStub<CopyKernel> copy_stub;
EMBER_API extern DispatchStub<ArangeKernel> arange_stub;
EMBER_API extern DispatchStub<LinspaceKernel> linspace_stub;
EMBER_API extern DispatchStub<FillKernel> fill_stub;

}  // namespace ember
