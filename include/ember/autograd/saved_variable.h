#pragma once
// SavedVariable: a tensor a node keeps for its backward, with the version it
// had when saved, so that a later in-place change is caught (Note [Saved
// outputs]).
#include <memory>

#include "ember/core/tensor.h"

namespace ember::autograd {

class Node;

// Note [Saved outputs]
// A node that saves one of its own outputs must not hold that output's
// TensorImpl: the output's autograd metadata holds the node, and the pair
// would keep each other alive forever. So an output is saved as a bare alias
// of its data (no autograd metadata), and unpack() rebuilds a tensor whose
// grad_fn is the node itself, which is what double backward needs.
class EMBER_API SavedVariable {
 public:
  SavedVariable() = default;
  SavedVariable(const Tensor& t, bool is_output, uint32_t output_nr = 0);

  // The saved tensor; `node` is the node that saved it (needed for saved
  // outputs). Throws the PyTorch error if the tensor was modified in place
  // since it was saved.
  Tensor unpack(const std::shared_ptr<Node>& node = nullptr) const;
  bool defined() const { return data_.defined(); }
  void reset() { data_ = Tensor(); }

 private:
  Tensor data_;
  uint32_t saved_version_ = 0;
  uint32_t output_nr_ = 0;
  bool is_output_ = false;
  bool was_leaf_requiring_grad_ = false;
};

}  // namespace ember::autograd
