#pragma once
// Recording helpers of the unary op files (unary*.cpp): out = f(a) whose
// gradient is a formula of the incoming gradient and one saved tensor (the
// input, the output or nothing). Formulas use ops, so they differentiate
// again (double backward).
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"

namespace ember::unary_detail {

enum class Save { Nothing, Input, Output };

// formula(grad, saved) -> gradient of a.
template <class Formula>
Tensor record_unary(const char* name, const Tensor& a, const Tensor& out, Save save, Formula formula) {
  autograd::record(name, {a}, out, [&] {
    Tensor keep = save == Save::Input ? a : save == Save::Output ? out : Tensor();
    return [s = autograd::SavedVariable(keep, save == Save::Output), formula](
               autograd::BackwardCtx& ctx) -> autograd::variable_list {
      return {formula(ctx.grad(), s.defined() ? ctx.unpack(s) : Tensor())};
    };
  });
  return out;
}

// Piecewise constant ops (floor, sign ...): zero gradient, as PyTorch.
inline Tensor record_zero_grad(const char* name, const Tensor& a, const Tensor& out) {
  return record_unary(name, a, out, Save::Nothing,
                      [](const Tensor& g, const Tensor&) { return zeros_like(g, {}); });
}

using UnaryFn = Tensor (*)(const Tensor&);

}  // namespace ember::unary_detail
