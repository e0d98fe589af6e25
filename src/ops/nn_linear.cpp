// linear (torch.nn.functional.linear): y = x @ W^T + b as one recorded op.
//
// Note [Linear weight gradient]
// Written as matmul(x, W.t()) + b, the weight's gradient comes out of the
// product's backward as (x^T @ g) for W^T, and the transpose's backward hands
// AccumulateGrad its non-contiguous transpose, which it then copies (a copy
// of every weight per step, ~10% of an MLP step). Here the gradient is
// computed directly in W's layout, g^T @ x (one GEMM reading both operands
// transposed or not as BLAS likes), and the bias add and its backward's sum
// belong to the same node instead of two more.
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/linalg.h"
#include "ember/ops/reduce.h"

namespace ember {

using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

Tensor linear(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias) {
  EMBER_CHECK(weight.dim() == 2, RuntimeError, "[linear] weight must be 2-D, got shape ", weight.sizes());
  EMBER_CHECK(input.dim() >= 1 && input.size(-1) == weight.size(1), RuntimeError,
              "[linear] input and weight shapes cannot be multiplied: input ", input.sizes(), ", weight ",
              weight.sizes());
  EMBER_CHECK(input.dtype() == weight.dtype() && (!bias || bias->dtype() == input.dtype()), RuntimeError,
              "[linear] expected input, weight and bias to have the same dtype, but got ", dtype_name(input.dtype()),
              ", ", dtype_name(weight.dtype()), bias ? ", " : "", bias ? dtype_name(bias->dtype()) : "");
  EMBER_CHECK(!bias || bias->dim() <= 1, RuntimeError, "[linear] bias must be 0-D or 1-D, got shape ",
              bias->sizes());
  const int64_t in_f = weight.size(1), out_f = weight.size(0);
  DimVector out_shape(input.sizes().begin(), input.sizes().end() - 1);
  int64_t rows = 1;  // the leading dims as one (not reshape's -1: in_f may be 0)
  for (int64_t s : out_shape) rows *= s;
  out_shape.push_back(out_f);
  Tensor out;
  {
    // The forward's ops must not record: this op records its own node.
    NoGradGuard guard;
    Tensor x2 = input.reshape({rows, in_f});
    Tensor y = mm(x2, weight.t());
    if (bias) add_(y, *bias);
    out = y.view(out_shape);
  }
  autograd::record("AddmmBackward0", {input, weight, bias ? *bias : Tensor()}, out, [&] {
    return [sx = SavedVariable(weight.requires_grad() ? input : Tensor(), false),
            sw = SavedVariable(input.requires_grad() ? weight : Tensor(), false), rows, in_f, out_f,
            in_shape = input.sizes(), bias_1d = bias && bias->dim() == 1](BackwardCtx& ctx) -> variable_list {
      // Formulas with ops: they record under create_graph (double backward).
      Tensor g2 = ctx.grad().reshape({rows, out_f});
      Tensor gx, gw, gb;
      if (ctx.needs_input_grad(0)) gx = mm(g2, ctx.unpack(sw)).view(in_shape);
      if (ctx.needs_input_grad(1)) gw = mm(g2.t(), ctx.unpack(sx).reshape({rows, in_f}));  // Note [Linear weight gradient]
      if (ctx.needs_input_grad(2)) gb = bias_1d ? sum(g2, DimVector{0}) : sum(g2);
      return {gx, gw, gb};
    };
  });
  return out;
}

}  // namespace ember
