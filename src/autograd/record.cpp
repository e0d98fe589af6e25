// Recording: node creation for ops, in-place ops and their history
// (Note [Views and in-place ops]), and formula helpers.
#include "ember/autograd/record.h"

#include "ember/ops/creation.h"
#include "ember/ops/reduce.h"
#include "ember/ops/type_promotion.h"
#include "ember/ops/views.h"

namespace ember::autograd {

Tensor BackwardCtx::unpack(const SavedVariable& v) const { return v.unpack(node_.shared_from_this()); }

bool BackwardCtx::needs_input_grad(size_t i) const {
  return i < node_.next_edges.size() && node_.next_edges[i].is_valid();
}

bool needs_grad(std::initializer_list<Tensor> inputs) {
  if (!GradMode::is_enabled()) return false;
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

bool needs_grad(const variable_list& inputs) {
  if (!GradMode::is_enabled()) return false;
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

namespace {
bool differentiable_dtype(DType t) { return is_floating_point(t) || is_complex(t); }
}  // namespace

void detail::record_node(const char* name, const variable_list& inputs, const variable_list& outputs, BackwardFn fn,
                         bool saves, bool view_op) {
  auto node = std::make_shared<FunctionNode>(name, saves);
  node->set_fn(std::move(fn));
  node->next_edges.reserve(inputs.size());
  node->input_meta.reserve(inputs.size());
  for (const Tensor& t : inputs) {
    if (t.defined() && t.requires_grad()) {
      node->next_edges.push_back(gradient_edge(t));
      node->input_meta.emplace_back(t);
    } else {
      node->next_edges.emplace_back();
      node->input_meta.emplace_back();
    }
  }
  node->output_meta.reserve(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    if (!out.defined()) {
      node->output_meta.emplace_back();
      continue;
    }
    node->output_meta.emplace_back(out);
    if (!differentiable_dtype(out.dtype())) continue;
    AutogradMeta& m = meta(out);
    if (!view_op && m.is_view()) m.clear_base();
    m.set_grad_fn(node, static_cast<uint32_t>(i));
  }
}

// ---- in-place ops

bool inplace_needs_grad(const Tensor& self, std::initializer_list<Tensor> others) {
  if (!GradMode::is_enabled()) return false;
  AutogradMeta* m = meta_or_null(self);
  if (m) {
    EMBER_CHECK(!(m->leaf_requires_grad() && !m->is_view() && !m->grad_fn()), RuntimeError,
                "a leaf Variable that requires grad is being used in an in-place operation.");
    if (m->is_view()) {
      AutogradMeta* bm = meta_or_null(m->base());
      EMBER_CHECK(!(bm && bm->leaf_requires_grad() && !bm->grad_fn()), RuntimeError,
                  "a view of a leaf Variable that requires grad is being used in an in-place operation.");
      if (bm && bm->requires_grad()) return true;
    }
    if (m->requires_grad()) return true;
  }
  for (const Tensor& t : others)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

namespace {
// An identity node, so that a tensor can take the history of a leaf.
std::shared_ptr<Node> identity_node(const Tensor& source) {
  auto node = std::make_shared<FunctionNode>("CopyBackwards", false);
  node->set_fn([](BackwardCtx& ctx) { return variable_list{ctx.grad()}; });
  node->next_edges.push_back(gradient_edge(source));
  node->input_meta.emplace_back(source);
  node->output_meta.emplace_back(source);
  return node;
}

// base after writing `value` into its elements seen through the view
// (sizes, strides, offset relative to the base).
std::shared_ptr<Node> scatter_node(const Tensor& base, const Tensor& value, const DimVector& sizes,
                                   const DimVector& strides, int64_t offset) {
  auto node = std::make_shared<FunctionNode>("AsStridedScatterBackward0", false);
  DimVector base_sizes = base.sizes(), base_strides = base.strides();
  TensorOptions opts = base.options();
  node->set_fn([=](BackwardCtx& ctx) -> variable_list {
    Tensor result = zeros_strided(base_sizes, base_strides, opts);
    result.copy_(ctx.grad());
    Tensor region = result.as_strided(sizes, strides, offset);
    Tensor g_value = region.clone();
    region.zero_();
    return {result, g_value};
  });
  node->next_edges = {gradient_edge(base), gradient_edge(value)};
  node->input_meta.emplace_back(base);
  node->input_meta.emplace_back(value);
  node->output_meta.emplace_back(base);
  return node;
}
}  // namespace

Tensor& apply_inplace(Tensor& self, const std::function<Tensor(const Tensor&)>& compute, bool uses_self_value) {
  Tensor out = compute(uses_self_value ? self.clone() : self);
  EMBER_CHECK(out.sizes() == self.sizes(), RuntimeError, "output with shape ", self.sizes(),
              " doesn't match the broadcast shape ", out.sizes());
  EMBER_CHECK(can_cast(out.dtype(), self.dtype()), RuntimeError, "result type ", torch_dtype_name(out.dtype()),
              " can't be cast to the desired output type ", torch_dtype_name(self.dtype()));
  {
    NoGradGuard no_grad;
    if (!out.is_same(self)) self.copy_(out);
  }
  AutogradMeta& m = meta(self);
  if (m.is_view()) {
    Tensor base = m.base();
    if (!base.requires_grad() && !out.requires_grad()) return self;
    int64_t offset = self.storage_offset() - base.storage_offset();
    meta(base).set_grad_fn(scatter_node(base, out, self.sizes(), self.strides(), offset), 0);
    return self;  // self's grad_fn is rebuilt from the base's on next use
  }
  if (!out.requires_grad()) {
    m.set_grad_fn(nullptr, 0);
    return self;
  }
  AutogradMeta& om = meta(out);
  if (om.grad_fn()) m.set_grad_fn(om.grad_fn(), om.output_nr());
  else m.set_grad_fn(identity_node(out), 0);
  return self;
}

// ---- formula helpers

Tensor sum_to(const Tensor& grad, const DimVector& sizes) {
  if (!grad.defined() || grad.sizes() == sizes) return grad;
  int64_t lead = grad.dim() - static_cast<int64_t>(sizes.size());
  EMBER_CHECK(lead >= 0, RuntimeError, "[sum_to] gradient of shape ", grad.sizes(), " can't be summed to shape ",
              sizes);
  DimVector dims;
  for (int64_t i = 0; i < lead; ++i) dims.push_back(i);
  for (int64_t i = 0; i < static_cast<int64_t>(sizes.size()); ++i) {
    int64_t g = grad.sizes()[lead + i];
    if (sizes[i] == 1 && g != 1) dims.push_back(lead + i);
    else
      EMBER_CHECK(sizes[i] == g, RuntimeError, "[sum_to] gradient of shape ", grad.sizes(),
                  " can't be summed to shape ", sizes);
  }
  if (dims.empty()) return grad.reshape(sizes);
  return sum(grad, dims, /*keepdim=*/true).reshape(sizes);
}

Tensor zeros_strided(const DimVector& sizes, const DimVector& strides, const TensorOptions& opts) {
  Tensor t = empty_strided(sizes, strides, opts);
  NoGradGuard no_grad;
  t.zero_();
  return t;
}

}  // namespace ember::autograd
