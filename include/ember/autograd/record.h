#pragma once
// What ops use to record their backward (DESIGN.md: each op's backward
// formula sits beside its forward). The pattern:
//
//   Tensor out = ...;  // the forward, computed by kernels
//   autograd::record("ExpBackward0", {a}, out, [&] {
//     return [r = autograd::SavedVariable(out, /*is_output=*/true)](autograd::BackwardCtx& ctx) {
//       return autograd::variable_list{ctx.grad() * ctx.unpack(r).conj()};
//     };
//   });
//
// The outer lambda runs only when grad mode is on and an input requires
// grad, so the forward pays nothing else. The formula returns one gradient
// per input (undefined where it has none to give); the engine sums a
// gradient over broadcast dimensions and casts it to its input's dtype, so
// formulas need not (Note [Gradient shapes]). Formulas are written with ops,
// so they record too when create_graph is set: that is how higher-order
// gradients work.
#include <functional>
#include <initializer_list>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/meta.h"
#include "ember/autograd/saved_variable.h"

namespace ember::autograd {

using BackwardFn = FunctionNode::Fn;

// True when grad mode is on and any of the tensors (undefined ones allowed)
// requires grad.
EMBER_API bool needs_grad(std::initializer_list<Tensor> inputs);
EMBER_API bool needs_grad(const variable_list& inputs);

namespace detail {
EMBER_API uint64_t saved_variable_count();
EMBER_API void record_node(const char* name, const variable_list& inputs, const variable_list& outputs,
                           BackwardFn fn, bool saves, bool view_op = false);
}  // namespace detail

template <class MakeFn>
void record(const char* name, const variable_list& inputs, const variable_list& outputs, MakeFn&& make_fn) {
  if (!needs_grad(inputs)) return;
  uint64_t before = detail::saved_variable_count();
  BackwardFn fn = make_fn();
  detail::record_node(name, inputs, outputs, std::move(fn), detail::saved_variable_count() != before);
}
template <class MakeFn>
void record(const char* name, const variable_list& inputs, const Tensor& output, MakeFn&& make_fn) {
  record(name, inputs, variable_list{output}, std::forward<MakeFn>(make_fn));
}

// Inputs written in braces, `record(name, {a, b}, out, ...)`, take these
// overloads: the inputs are looked at through references and copied into a
// variable_list only when the op records, so a forward without grad copies
// no handle and allocates nothing (per-call overhead, Note [Trivial
// iteration]). The requires_grad flags are read before the thread-local grad
// mode, which matters only when some input requires grad.
using TensorRefs = std::initializer_list<std::reference_wrapper<const Tensor>>;
inline bool any_requires_grad(TensorRefs inputs) {
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}
template <class MakeFn>
void record(const char* name, TensorRefs inputs, const variable_list& outputs, MakeFn&& make_fn) {
  if (!any_requires_grad(inputs) || !GradMode::is_enabled()) return;
  record(name, variable_list(inputs.begin(), inputs.end()), outputs, std::forward<MakeFn>(make_fn));
}
template <class MakeFn>
void record(const char* name, TensorRefs inputs, const Tensor& output, MakeFn&& make_fn) {
  if (!any_requires_grad(inputs) || !GradMode::is_enabled()) return;
  record(name, variable_list(inputs.begin(), inputs.end()), variable_list{output}, std::forward<MakeFn>(make_fn));
}

// ---- in-place ops
// Call at the start of an in-place op on self whose other tensor inputs are
// `others`. Throws PyTorch's errors for a leaf (or a view of a leaf) that
// requires grad; returns true when the op must be recorded.
EMBER_API bool inplace_needs_grad(const Tensor& self, std::initializer_list<Tensor> others = {});
// The recorded in-place op: out = compute(value of self) out of place (so
// every op's formula serves its in-place form), written into self, and self
// (or, for a view, its base) takes the new history (Note [Views and in-place
// ops]). uses_self_value=false for ops that overwrite self (copy_, fill_).
EMBER_API Tensor& apply_inplace(Tensor& self, const std::function<Tensor(const Tensor& self_value)>& compute,
                                bool uses_self_value = true);

// ---- views
// Records a view op: `view` shares storage with `input`; fn is its backward.
// Always (in grad mode) links the view to its base so that in-place ops on
// it are seen by the base.
template <class MakeFn>
void record_view(const char* name, const Tensor& input, const Tensor& view, MakeFn&& make_fn) {
  if (!GradMode::is_enabled()) return;
  const Tensor* in = &input;
  AutogradMeta* m = meta_or_null(input);
  meta(view).set_base(m && m->is_view() ? m->base() : *in);
  if (needs_grad({input})) {
    uint64_t before = detail::saved_variable_count();
    BackwardFn fn = make_fn();
    detail::record_node(name, {input}, {view}, std::move(fn), detail::saved_variable_count() != before,
                        /*view_op=*/true);
  }
  meta(view).mark_fresh();
}

// ---- helpers for formulas
// Sums grad down to `sizes` (the inverse of broadcasting).
EMBER_API Tensor sum_to(const Tensor& grad, const DimVector& sizes);
// Gradient of a non-differentiable input, for formulas that want to say so.
inline Tensor no_grad_for_input() { return Tensor(); }

}  // namespace ember::autograd

namespace ember::autograd {
// Zeros with the given strides (the layout of a view's base).
EMBER_API Tensor zeros_strided(const DimVector& sizes, const DimVector& strides, const TensorOptions& opts);
}  // namespace ember::autograd
