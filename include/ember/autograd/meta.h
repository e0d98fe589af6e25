#pragma once
// The autograd metadata a tensor carries once it takes part in
// differentiation: the requires_grad flag of a leaf, .grad, the node that
// made the tensor (grad_fn, output_nr), hooks, and for views the base they
// look into (Note [Views and in-place ops]).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ember/autograd/node.h"

namespace ember::autograd {

// Note [Views and in-place ops]
// A view made while grad mode is on remembers its base (the tensor that owns
// the memory, never itself a view) and the storage version at which its
// grad_fn was last correct. An in-place op on a view that needs grad gives
// the base a new grad_fn (AsStridedScatterBackward: the base's old history
// outside the view, the op's result inside), and every view of that base then
// finds its grad_fn stale (the version moved) and rebuilds it lazily as an
// as_strided view of the base's new history. An in-place op on a tensor that
// is not a view simply replaces its grad_fn.
class EMBER_API AutogradMeta : public AutogradMetaInterface {
 public:
  explicit AutogradMeta(TensorImpl* owner) : owner_(owner) {}
  ~AutogradMeta() override;

  bool requires_grad() const override;
  void set_requires_grad(bool value) override { requires_grad_ = value; }
  bool leaf_requires_grad() const { return requires_grad_; }

  // The node that made this tensor (null for leaves), rebuilt first when it
  // is a stale view (see the Note).
  const std::shared_ptr<Node>& grad_fn();
  void set_grad_fn(std::shared_ptr<Node> fn, uint32_t output_nr);
  uint32_t output_nr() const { return output_nr_; }

  // The AccumulateGrad sink of a leaf (made on first use, shared by every
  // graph that uses the leaf).
  std::shared_ptr<Node> grad_accumulator();

  Tensor grad;
  bool retains_grad = false;
  std::string name;  // PyTorch users can't set it either; kept for errors
  // Hooks on a leaf's gradient, run by AccumulateGrad before it accumulates;
  // post-accumulate hooks run after, with the tensor.
  std::vector<std::pair<int64_t, GradHook>> leaf_hooks;
  std::vector<std::pair<int64_t, std::function<void(const Tensor&)>>> post_accumulate_hooks;
  int64_t next_hook_id = 0;

  // ---- views
  bool is_view() const { return base_.defined(); }
  const Tensor& base() const { return base_; }
  void set_base(const Tensor& base);
  // Called after an in-place op on the view or its base has set grad_fn.
  void mark_fresh();
  // An op's output that happens to be a view of the op's own scratch buffer
  // is not a view for autograd.
  void clear_base() { base_ = Tensor(); }

 private:
  TensorImpl* owner_;
  bool requires_grad_ = false;
  std::shared_ptr<Node> grad_fn_;
  uint32_t output_nr_ = 0;
  std::weak_ptr<Node> grad_accumulator_;
  Tensor base_;
  uint32_t view_version_ = 0;
};

// The metadata of t, made on first use.
EMBER_API AutogradMeta& meta(const Tensor& t);
// The metadata of t or null.
inline AutogradMeta* meta_or_null(const Tensor& t) {
  return static_cast<AutogradMeta*>(t.impl()->autograd_meta());
}
EMBER_API std::shared_ptr<Node> grad_fn(const Tensor& t);
EMBER_API bool is_leaf(const Tensor& t);
// Where gradients for t go: (grad_fn, output_nr), the grad accumulator of a
// leaf that requires grad, or an invalid edge.
EMBER_API Edge gradient_edge(const Tensor& t);

}  // namespace ember::autograd

namespace ember {
using autograd::AutogradMeta;
}
