// Activation functions of ember::nn::functional. In-place forms go through
// nn_autograd's in-place ops, which record through autograd::apply_inplace
// when the input needs a graph.
#include "ember/nn/functional.h"
#include "ember/ops/nn_autograd.h"
#include "ember/ops/reduce.h"
#include "ember/ops/unary.h"

namespace ember::nn::functional {

Tensor relu(const Tensor& input, bool inplace) {
  if (!inplace) return nn_autograd::relu(input);
  Tensor x = input;
  return nn_autograd::relu_(x);
}

Tensor leaky_relu(const Tensor& input, double negative_slope, bool inplace) {
  if (!inplace) return nn_autograd::leaky_relu(input, negative_slope);
  Tensor x = input;
  return nn_autograd::leaky_relu_(x, negative_slope);
}

Tensor gelu(const Tensor& input, const std::string& approximate) { return nn_autograd::gelu(input, approximate); }

Tensor silu(const Tensor& input, bool inplace) {
  if (!inplace) return nn_autograd::silu(input);
  Tensor x = input;
  return nn_autograd::silu_(x);
}

Tensor tanh(const Tensor& input) { return ember::tanh(input); }
Tensor sigmoid(const Tensor& input) { return ember::sigmoid(input); }
Tensor softmax(const Tensor& input, int64_t dim) { return ember::softmax(input, dim); }
Tensor log_softmax(const Tensor& input, int64_t dim) { return ember::log_softmax(input, dim); }

}  // namespace ember::nn::functional
