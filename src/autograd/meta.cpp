// AutogradMeta and the Tensor methods that read or change autograd state.
#include "ember/autograd/meta.h"

#include "ember/autograd/engine.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/record.h"
#include "ember/core/printing.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/views.h"

namespace ember::autograd {

AutogradMeta::~AutogradMeta() {
  // The retain_grad hook points at this metadata; the node may outlive it.
  if (retains_grad && grad_fn_) grad_fn_->retain_grad_hooks.erase(output_nr_);
}

bool AutogradMeta::requires_grad() const {
  return requires_grad_ || const_cast<AutogradMeta*>(this)->grad_fn() != nullptr;
}

void AutogradMeta::set_grad_fn(std::shared_ptr<Node> fn, uint32_t output_nr) {
  if (retains_grad && grad_fn_) grad_fn_->retain_grad_hooks.erase(output_nr_);
  grad_fn_ = std::move(fn);
  output_nr_ = output_nr;
  if (retains_grad && grad_fn_) {
    AutogradMeta* self = this;
    grad_fn_->retain_grad_hooks[output_nr_] = [self](const Tensor& g) {
      self->grad = self->grad.defined() ? ember::add(self->grad, g) : g.detach().clone();
    };
  }
}

void AutogradMeta::set_base(const Tensor& base) {
  base_ = base;
  view_version_ = owner_->storage()->version();
}

void AutogradMeta::mark_fresh() { view_version_ = owner_->storage()->version(); }

namespace {
// The backward of a view rebuilt from its base: the base's gradient is zero
// outside the view's elements.
std::shared_ptr<Node> as_strided_view_node(const Tensor& base, TensorImpl* view) {
  Edge edge = gradient_edge(base);
  if (!edge.is_valid()) return nullptr;
  auto node = std::make_shared<FunctionNode>("AsStridedBackward0", false);
  DimVector sizes = view->sizes(), strides = view->strides();
  int64_t offset = view->storage_offset() - base.storage_offset();
  DimVector base_sizes = base.sizes(), base_strides = base.strides();
  TensorOptions opts = base.options();
  node->set_fn([=](BackwardCtx& ctx) -> variable_list {
    Tensor result = zeros_strided(base_sizes, base_strides, opts);
    Tensor region = result.as_strided(sizes, strides, result.storage_offset() + offset);
    region.copy_(ctx.grad());
    return {result};
  });
  node->next_edges.push_back(edge);
  node->input_meta.emplace_back(base);
  node->output_meta.push_back(TensorMeta());
  node->output_meta.back().sizes = sizes;
  node->output_meta.back().dtype = base.dtype();
  node->output_meta.back().device = base.device();
  return node;
}
}  // namespace

const std::shared_ptr<Node>& AutogradMeta::grad_fn() {
  if (is_view() && owner_->storage()->version() != view_version_) {
    view_version_ = owner_->storage()->version();
    AutogradMeta* bm = meta_or_null(base_);
    if (bm && bm->requires_grad()) {
      grad_fn_ = as_strided_view_node(base_, owner_);
      output_nr_ = 0;
    } else {
      grad_fn_ = nullptr;
    }
  }
  return grad_fn_;
}

std::shared_ptr<Node> AutogradMeta::grad_accumulator() {
  if (!requires_grad_) return nullptr;
  if (auto acc = grad_accumulator_.lock()) return acc;
  Tensor self{intrusive_ptr<TensorImpl>(owner_)};
  auto acc = std::make_shared<AccumulateGrad>(self);
  grad_accumulator_ = acc;
  return acc;
}

AutogradMeta& meta(const Tensor& t) {
  TensorImpl* impl = t.impl();
  if (!impl->autograd_meta()) impl->set_autograd_meta(std::make_unique<AutogradMeta>(impl));
  return *static_cast<AutogradMeta*>(impl->autograd_meta());
}

std::shared_ptr<Node> grad_fn(const Tensor& t) {
  AutogradMeta* m = meta_or_null(t);
  return m ? m->grad_fn() : nullptr;
}

bool is_leaf(const Tensor& t) { return grad_fn(t) == nullptr; }

Edge gradient_edge(const Tensor& t) {
  AutogradMeta* m = meta_or_null(t);
  if (!m) return {};
  if (auto fn = m->grad_fn()) return {fn, m->output_nr()};
  if (m->leaf_requires_grad()) return {m->grad_accumulator(), 0};
  return {};
}

}  // namespace ember::autograd

namespace ember {

using namespace autograd;

Tensor& Tensor::set_requires_grad(bool value) {
  if (!value && !impl_->autograd_meta()) return *this;
  EMBER_CHECK(!value || ember::is_floating_point(dtype()) || ember::is_complex(dtype()), RuntimeError,
              "Only Tensors of floating point and complex dtype can require gradients");
  if (!autograd::is_leaf(*this)) {
    EMBER_CHECK(value, RuntimeError,
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
    return *this;
  }
  meta(*this).set_requires_grad(value);
  return *this;
}

Tensor Tensor::grad() const {
  AutogradMeta* m = meta_or_null(*this);
  return m ? m->grad : Tensor();
}

void Tensor::set_grad(const Tensor& grad) {
  if (grad.defined()) {
    EMBER_CHECK(grad.sizes() == sizes(), RuntimeError, "assigned grad has data of a different size");
    EMBER_CHECK(grad.dtype() == dtype(), RuntimeError, "assigned grad has data of a different type");
    EMBER_CHECK(grad.device() == device(), RuntimeError, "assigned grad has data located on a different device");
  }
  if (!impl_->autograd_meta() && !grad.defined()) return;
  meta(*this).grad = grad;
}

bool Tensor::is_leaf() const { return autograd::is_leaf(*this); }

void Tensor::retain_grad() const {
  EMBER_CHECK(requires_grad(), RuntimeError, "can't retain_grad on Tensor that has requires_grad=False");
  if (is_leaf()) return;  // leaves keep .grad anyway
  AutogradMeta& m = meta(*this);
  if (m.retains_grad) return;
  m.retains_grad = true;
  m.set_grad_fn(m.grad_fn(), m.output_nr());
}

bool Tensor::retains_grad() const {
  AutogradMeta* m = meta_or_null(*this);
  return m && m->retains_grad;
}

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph) const {
  autograd::backward({*this}, {gradient}, retain_graph, create_graph);
}

Tensor& Tensor::detach_() {
  AutogradMeta* m = meta_or_null(*this);
  if (!m) return *this;
  EMBER_CHECK(!m->is_view(), RuntimeError,
              "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
              "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
              "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
              "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.");
  m->set_grad_fn(nullptr, 0);
  m->set_requires_grad(false);
  return *this;
}

}  // namespace ember

namespace ember::autograd {
namespace {
// Note [grad_fn suffix hook]: printing asks us for the node's name.
std::optional<std::string> grad_fn_name(const Tensor& t) {
  auto fn = grad_fn(t);
  if (!fn) return std::nullopt;
  return fn->name();
}
const bool g_hook_installed = [] {
  set_grad_fn_name_hook(&grad_fn_name);
  return true;
}();
}  // namespace
}  // namespace ember::autograd
