#pragma once
// Kernel tables for reductions, scans and softmax (Note [Dispatch stubs]).
// Reduction kernels take a reduction TensorIterator (Note [Reduction
// iteration]): outputs first (values, then int64 indices where the op has
// them), the input last. Kernels dispatch on the input's dtype; the values
// output has the dtype the op documents below.
#include <vector>

#include "ember/core/kernels.h"

namespace ember {

using ReduceKernel = void (*)(TensorIterator& it);
// out = op along `dim` of in, same shape; indices (cummax/cummin) may be undefined.
using ScanKernel = void (*)(const Tensor& out, const Tensor& indices, const Tensor& in, int64_t dim);
// out = softmax or log_softmax of in along dim (same shape and dtype, floating).
using SoftmaxKernel = void (*)(const Tensor& out, const Tensor& in, int64_t dim);
// Row-wise order statistics of a contiguous [rows, n] input, n >= 1: values
// [rows] in the input's dtype and int64 indices [rows].
using MedianKernel = void (*)(const Tensor& values, const Tensor& indices, const Tensor& rows, bool ignore_nan);
using ModeKernel = void (*)(const Tensor& values, const Tensor& indices, const Tensor& rows);
enum class QuantileInterpolation { Linear, Lower, Higher, Midpoint, Nearest };
// out [q.size(), rows] of the input's floating dtype.
using QuantileKernel = void (*)(const Tensor& out, const Tensor& rows, const std::vector<double>& q,
                                QuantileInterpolation mode, bool ignore_nan);

// Bool and integer inputs give int64; others keep their dtype.
EMBER_API extern DispatchStub<ReduceKernel> sum_stub;
EMBER_API extern DispatchStub<ReduceKernel> nansum_stub;
EMBER_API extern DispatchStub<ReduceKernel> prod_stub;
// Same dtype as the input (NaN wins); with an int64 indices output when the
// iterator has two outputs (one reduced dim only).
EMBER_API extern DispatchStub<ReduceKernel> max_stub;
EMBER_API extern DispatchStub<ReduceKernel> min_stub;
// Bool outputs.
EMBER_API extern DispatchStub<ReduceKernel> all_stub;
EMBER_API extern DispatchStub<ReduceKernel> any_stub;

EMBER_API extern DispatchStub<MedianKernel> median_stub;
EMBER_API extern DispatchStub<ModeKernel> mode_stub;
EMBER_API extern DispatchStub<QuantileKernel> quantile_stub;

EMBER_API extern DispatchStub<ScanKernel> cumsum_stub;
EMBER_API extern DispatchStub<ScanKernel> cumprod_stub;
EMBER_API extern DispatchStub<ScanKernel> cummax_stub;
EMBER_API extern DispatchStub<ScanKernel> cummin_stub;

EMBER_API extern DispatchStub<SoftmaxKernel> softmax_stub;
EMBER_API extern DispatchStub<SoftmaxKernel> log_softmax_stub;

}  // namespace ember
