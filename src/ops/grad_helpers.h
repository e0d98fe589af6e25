#pragma once
// Pieces shared by the backward formulas of reductions, sorts and scans.
#include <vector>

#include "ember/autograd/record.h"
#include "ember/core/tensor.h"

namespace ember::grad_helpers {

using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

// g of a reduction's output, with the reduced dims (mask) put back as size 1
// when keepdim was false, so that it broadcasts against the input.
Tensor restore_reduced(const Tensor& g, const std::vector<bool>& mask, bool keepdim);
// The input's gradient of an op that picked input elements along dim at
// `indices` (max/min/median/mode/kthvalue with dim, sort, topk, cummax).
Tensor value_selecting_backward(const Tensor& g, int64_t dim, const Tensor& indices, const DimVector& input_sizes,
                                bool keepdim);
// The input's gradient of an all-reduction that picked a value that may tie
// (max(), min(), amax, median()): split evenly among the tied elements.
Tensor evenly_distribute_backward(const Tensor& g_restored, const Tensor& input, const Tensor& result_restored);

}  // namespace ember::grad_helpers
