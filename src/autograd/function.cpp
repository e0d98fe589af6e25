// C++ custom Functions (function.h).
#include "ember/autograd/function.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>

#include "ember/autograd/record.h"

namespace ember::autograd {

variable_list AutogradContext::get_saved_variables() const {
  auto node = node_.lock();
  variable_list out;
  for (const SavedVariable& v : saved_) out.push_back(v.unpack(node));
  return out;
}

void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  for (const Tensor& t : outputs) non_differentiable_.push_back(t.impl());
}

bool AutogradContext::is_non_differentiable(const Tensor& t) const {
  return std::find(non_differentiable_.begin(), non_differentiable_.end(), t.impl()) != non_differentiable_.end();
}

void AutogradContext::finish(const variable_list& outputs, const std::shared_ptr<Node>& node) {
  node_ = node;
  for (const Tensor& t : to_save_) {
    auto it = std::find_if(outputs.begin(), outputs.end(), [&](const Tensor& o) { return o.is_same(t); });
    // Note [Saved outputs]: an output is kept without its metadata.
    bool is_output = node && it != outputs.end();
    saved_.emplace_back(t, is_output, is_output ? static_cast<uint32_t>(it - outputs.begin()) : 0);
  }
  to_save_.clear();
}

variable_list CppFunctionNode::apply(variable_list&& grads) {
  if (released_) throw_graph_freed();
  return backward_(ctx_.get(), std::move(grads));
}

namespace {
std::string demangle(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string out = status == 0 && d ? d : name;
  std::free(d);
  auto colon = out.rfind("::");
  return colon == std::string::npos ? out : out.substr(colon + 2);
}
}  // namespace

void detail::connect(const char* name, CppFunctionNode::Backward backward, const std::shared_ptr<AutogradContext>& ctx,
                     const variable_list& inputs, const variable_list& outputs) {
  if (!needs_grad(inputs)) {
    ctx->finish(outputs, nullptr);
    return;
  }
  auto node = std::make_shared<CppFunctionNode>(demangle(name) + "Backward", backward, ctx);
  for (const Tensor& t : inputs) {
    bool rg = t.defined() && t.requires_grad();
    node->next_edges.push_back(rg ? gradient_edge(t) : Edge{});
    node->input_meta.push_back(rg ? TensorMeta(t) : TensorMeta());
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    node->output_meta.push_back(out.defined() ? TensorMeta(out) : TensorMeta());
    if (!out.defined() || ctx->is_non_differentiable(out) || !(out.is_floating_point() || out.is_complex())) continue;
    meta(out).set_grad_fn(node, static_cast<uint32_t>(i));
  }
  ctx->finish(outputs, node);
}

}  // namespace ember::autograd
