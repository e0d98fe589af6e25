#pragma once
// Shared helpers of the nn_autograd*.cpp files: optional-tensor plumbing for
// the saved variables of layer nodes, and running kernel ops unrecorded.
#include "ember/autograd/record.h"
#include "ember/ops/nn_autograd.h"

namespace ember::nn_autograd::detail {

using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

inline OptTensor opt(const Tensor& t) { return t.defined() ? OptTensor(t) : std::nullopt; }
inline Tensor undef(const OptTensor& t) { return t ? *t : Tensor(); }
inline SavedVariable save(const OptTensor& t) { return t ? SavedVariable(*t, false) : SavedVariable(); }
inline Tensor unpack(BackwardCtx& ctx, const SavedVariable& v) { return v.defined() ? ctx.unpack(v) : Tensor(); }

// Runs a kernel op without recording: the ops it may call inside would only
// build a graph that the caller's node replaces (CONTRIBUTING: a forward that
// records its own node runs the ops it calls under NoGradGuard).
template <class Fn>
auto plain(Fn&& fn) {
  NoGradGuard guard;
  return fn();
}

inline Mask3 mask3(BackwardCtx& ctx, bool has_third = true) {
  return {ctx.needs_input_grad(0), ctx.needs_input_grad(1), has_third && ctx.needs_input_grad(2)};
}

// Formulas written with ops compute as the kernels do (ops/nn.h): float16
// and bfloat16 in float32, the result cast back.
inline Tensor upcast(const Tensor& t) {
  return t.defined() && (t.dtype() == DType::Float16 || t.dtype() == DType::BFloat16) ? t.to(DType::Float32) : t;
}
inline Tensor cast_to(const Tensor& t, DType want) { return t.defined() && t.dtype() != want ? t.to(want) : t; }

inline variable_list list3(const Tensor3& t) { return {std::get<0>(t), std::get<1>(t), std::get<2>(t)}; }

}  // namespace ember::nn_autograd::detail
