// Node bookkeeping, FunctionNode (a backward given as a function) and
// AccumulateGrad (the sink of a leaf).
#include "ember/autograd/node.h"

#include <algorithm>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/meta.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"

namespace ember::autograd {

namespace {
// Later nodes run first when several are ready (Note [Engine order]); the
// counter is global so nodes of different threads still order sensibly.
std::atomic<uint64_t> g_next_sequence_nr{0};
std::atomic<int64_t> g_live_nodes{0};
}  // namespace

Tensor TensorMeta::zeros() const { return ember::zeros(sizes, TensorOptions(dtype).device(device)); }

Node::Node() : sequence_nr_(g_next_sequence_nr.fetch_add(1, std::memory_order_relaxed)) {
  g_live_nodes.fetch_add(1, std::memory_order_relaxed);
}
Node::~Node() { g_live_nodes.fetch_sub(1, std::memory_order_relaxed); }
int64_t Node::live_count() { return g_live_nodes.load(std::memory_order_relaxed); }

int64_t Node::add_tensor_hook(uint32_t output_nr, GradHook hook) {
  int64_t id = next_hook_id();
  tensor_pre_hooks.push_back({id, output_nr, std::move(hook)});
  return id;
}

void Node::remove_hook(int64_t id) {
  std::erase_if(tensor_pre_hooks, [&](const TensorHook& h) { return h.id == id; });
  std::erase_if(post_hooks, [&](const auto& h) { return h.first == id; });
  std::erase_if(pre_hooks, [&](const auto& h) { return h.first == id; });
}

void throw_graph_freed() {
  EMBER_THROW(RuntimeError,
              "Trying to backward through the graph a second time (or directly access saved tensors after they "
              "have already been freed). Saved intermediate values of the graph are freed when you call "
              ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
              "graph a second time or if you need to access saved tensors after calling backward.");
}

variable_list FunctionNode::apply(variable_list&& grads) {
  if (released_) throw_graph_freed();
  BackwardCtx ctx(*this, grads);
  return fn_(ctx);
}

void FunctionNode::release_saved() {
  if (!saves_tensors_) return;  // nothing saved: the node may run again
  fn_ = nullptr;
  released_ = true;
}

AccumulateGrad::AccumulateGrad(Tensor variable) : variable_(std::move(variable)) {
  set_sequence_nr(UINT64_MAX);  // sinks run as soon as they are ready
  input_meta.emplace_back(variable_);
  output_meta.emplace_back(variable_);
}

// Note [Accumulating into .grad]
// The first gradient is stored as is when nothing else can see it (the
// engine made it and holds the only reference), otherwise copied, so that
// a later in-place accumulation never writes into a user's tensor. Later
// gradients are added in place, unless create_graph is on: then .grad must
// keep the history of both terms, so it is replaced by the out-of-place sum.
variable_list AccumulateGrad::apply(variable_list&& grads) {
  Tensor g = std::move(grads.at(0));
  if (!g.defined()) return {};
  AutogradMeta& m = meta(variable_);
  for (auto& [id, hook] : m.leaf_hooks) {
    Tensor r = hook(g);
    if (r.defined()) g = r;
  }
  if (!m.grad.defined()) {
    if (GradMode::is_enabled()) {
      m.grad = g;
    } else {
      bool sole_owner = g.impl_ptr().use_count() == 1 && g.storage().use_count() == 1 && g.is_contiguous();
      m.grad = sole_owner ? g : g.clone();
      if (sole_owner && meta_or_null(m.grad)) m.grad = m.grad.detach();
    }
  } else if (GradMode::is_enabled()) {
    m.grad = add(m.grad, g);
  } else {
    add_(m.grad, g);
  }
  for (auto& [id, hook] : m.post_accumulate_hooks) hook(variable_);
  return {};
}

}  // namespace ember::autograd
