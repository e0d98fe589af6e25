// Backward pieces shared by reductions, sorts and scans (grad_helpers.h).
#include "grad_helpers.h"

#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"
#include "ember/ops/scatter.h"

namespace ember::grad_helpers {

Tensor restore_reduced(const Tensor& g, const std::vector<bool>& mask, bool keepdim) {
  if (keepdim) return g;
  Tensor r = g;
  for (size_t d = 0; d < mask.size(); ++d)
    if (mask[d]) r = r.unsqueeze(static_cast<int64_t>(d));
  return r;
}

Tensor value_selecting_backward(const Tensor& g, int64_t dim, const Tensor& indices, const DimVector& input_sizes,
                                bool keepdim) {
  if (input_sizes.empty()) return g.reshape({});  // a 0-d input picks itself
  Tensor gk = keepdim ? g : g.unsqueeze(dim);
  Tensor ik = keepdim ? indices : indices.unsqueeze(dim);
  return scatter(zeros(input_sizes, g.options()), dim, ik, gk);
}

Tensor evenly_distribute_backward(const Tensor& g_restored, const Tensor& input, const Tensor& result_restored) {
  Tensor mask = eq(input, result_restored);
  // NaN results pick the NaN elements.
  if (input.is_floating_point()) mask = logical_or(mask, logical_and(ne(input, input), ne(result_restored, result_restored)));
  Tensor m = mask.to(g_restored.dtype());
  DimVector dims;
  for (int64_t d = 0; d < input.dim(); ++d)
    if (result_restored.size(d) == 1 && input.size(d) != 1) dims.push_back(d);
  Tensor count = dims.empty() ? m : sum(m, dims, true);
  return div(mul(g_restored, m), count);
}

}  // namespace ember::grad_helpers
