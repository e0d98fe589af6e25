#pragma once
// The backward engine: runs the nodes reachable from the outputs in
// dependency order (Note [Engine order]).
#include <optional>

#include "ember/autograd/node.h"

namespace ember::autograd {

// Accumulates d(sum of tensors * grad_tensors)/d(leaf) into the .grad of
// the leaves (or only of `inputs` when given). grad_tensors entries may be
// undefined for scalar outputs (ones). retain_graph defaults to create_graph.
EMBER_API void backward(const variable_list& tensors, const variable_list& grad_tensors = {},
                        std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                        const variable_list& inputs = {});

// Returns the gradients of outputs with respect to inputs without touching
// .grad. Undefined entries for unused inputs when allow_unused.
EMBER_API variable_list grad(const variable_list& outputs, const variable_list& inputs,
                             const variable_list& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                             bool create_graph = false, bool allow_unused = false);

}  // namespace ember::autograd
