#pragma once
// Graph nodes. A Node is the backward of one recorded op: it takes the
// gradients of the op's outputs and returns the gradients of its inputs,
// which the engine routes along next_edges (one edge per input; an edge with
// no function is an input that does not require grad).
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ember/core/tensor.h"

namespace ember::autograd {

using variable_list = std::vector<Tensor>;
class Node;

struct Edge {
  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;  // which output of `function` this edge feeds
  bool is_valid() const { return function != nullptr; }
};

// Shape, dtype and device of a tensor at record time: how the engine checks
// and reshapes a gradient (sum over broadcast dims, cast) and how it makes
// zeros for a gradient that never arrived.
struct TensorMeta {
  DimVector sizes;
  DType dtype = DType::Float32;
  Device device;
  TensorMeta() = default;
  explicit TensorMeta(const Tensor& t) : sizes(t.sizes()), dtype(t.dtype()), device(t.device()) {}
  Tensor zeros() const;
};

// A hook on a gradient: returns a replacement, or an undefined tensor to
// keep the gradient as it is.
using GradHook = std::function<Tensor(const Tensor&)>;

class EMBER_API Node : public std::enable_shared_from_this<Node> {
 public:
  Node();
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual std::string name() const = 0;
  // grads has one entry per output (undefined: no gradient flowed there).
  virtual variable_list apply(variable_list&& grads) = 0;
  // Frees what the node saved for backward (after a backward without
  // retain_graph). Nodes that saved nothing may run again.
  virtual void release_saved() {}
  // Nodes whose apply needs every output gradient defined get zeros for the
  // missing ones.
  virtual bool materialize_grads() const { return true; }

  uint64_t sequence_nr() const { return sequence_nr_; }
  // Nodes alive in the process: tests use it to prove graphs are freed.
  static int64_t live_count();
  void set_sequence_nr(uint64_t n) { sequence_nr_ = n; }

  std::vector<Edge> next_edges;
  std::vector<TensorMeta> input_meta;   // one per next edge
  std::vector<TensorMeta> output_meta;  // one per forward output

  // Hooks on the gradient of forward output `output_nr` (Tensor.register_hook
  // on a non-leaf), run before apply; and hooks on the node itself.
  struct TensorHook {
    int64_t id;
    uint32_t output_nr;
    GradHook fn;
  };
  std::vector<TensorHook> tensor_pre_hooks;
  int64_t add_tensor_hook(uint32_t output_nr, GradHook hook);
  // Stores the gradient of output `output_nr` into a tensor's .grad
  // (retain_grad). At most one per output.
  std::map<uint32_t, std::function<void(const Tensor&)>> retain_grad_hooks;
  // Node hooks from Python: (grad_inputs, grad_outputs) -> optional new grad_inputs.
  using PostHook = std::function<variable_list(const variable_list& grad_inputs, const variable_list& grad_outputs)>;
  using PreHook = std::function<variable_list(const variable_list& grad_outputs)>;
  std::vector<std::pair<int64_t, PostHook>> post_hooks;
  std::vector<std::pair<int64_t, PreHook>> pre_hooks;
  int64_t next_hook_id() { return next_hook_id_++; }
  void remove_hook(int64_t id);

 private:
  uint64_t sequence_nr_;
  int64_t next_hook_id_ = 0;
};

class FunctionNode;
class SavedVariable;

// What a backward formula sees: the gradients of the forward's outputs, the
// saved tensors (through unpack) and which inputs need a gradient.
class EMBER_API BackwardCtx {
 public:
  BackwardCtx(FunctionNode& node, variable_list& grads) : node_(node), grads_(grads) {}
  // Gradient of forward output i (zeros when none flowed there).
  const Tensor& grad(size_t i = 0) const { return grads_.at(i); }
  const variable_list& grads() const { return grads_; }
  Tensor unpack(const SavedVariable& v) const;
  // Whether input i needs a gradient (skip work when it does not).
  bool needs_input_grad(size_t i) const;
  FunctionNode& node() const { return node_; }

 private:
  FunctionNode& node_;
  variable_list& grads_;
};

// A node whose backward is a function (usually a lambda that captured the
// SavedVariables it needs). Most ops record one of these.
class EMBER_API FunctionNode : public Node {
 public:
  using Fn = std::function<variable_list(BackwardCtx& ctx)>;
  FunctionNode(std::string name, bool saves_tensors) : name_(std::move(name)), saves_tensors_(saves_tensors) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override;
  void release_saved() override;
  void set_fn(Fn fn) { fn_ = std::move(fn); }

 private:
  std::string name_;
  bool saves_tensors_;
  bool released_ = false;
  Fn fn_;
};

// The sink of a leaf that requires grad: adds the gradient into .grad.
class EMBER_API AccumulateGrad : public Node {
 public:
  explicit AccumulateGrad(Tensor variable);
  std::string name() const override { return "AccumulateGrad"; }
  variable_list apply(variable_list&& grads) override;
  const Tensor& variable() const { return variable_; }

 private:
  Tensor variable_;
};

// The error a released node gives when backward reaches it again.
[[noreturn]] EMBER_API void throw_graph_freed();

}  // namespace ember::autograd
