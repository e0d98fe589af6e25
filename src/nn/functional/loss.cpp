// Loss functions of ember::nn::functional.
#include "ember/core/tensor_iterator.h"
#include "ember/nn/functional.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/nn_autograd.h"
#include "ember/ops/reduce.h"

namespace ember::nn::functional {

namespace {
OptTensor opt(const Tensor& t) { return t.defined() ? OptTensor(t) : std::nullopt; }
}  // namespace

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, Reduction reduction,
                     int64_t ignore_index, double label_smoothing) {
  return nn_autograd::cross_entropy_loss(input, target, opt(weight), int64_t(reduction), ignore_index,
                                         label_smoothing);
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, Reduction reduction,
                int64_t ignore_index) {
  return nn_autograd::nll_loss(input, target, opt(weight), int64_t(reduction), ignore_index);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  EMBER_CHECK(input.defined() && target.defined(), RuntimeError, "[mse_loss] input and target must be defined");
  broadcast_shapes(input.sizes(), target.sizes(), "mse_loss");  // PyTorch's message when they do not broadcast
  Tensor diff = sub(input, target);
  Tensor loss = mul(diff, diff);
  switch (reduction) {
    case Reduction::Mean: return mean(loss);
    case Reduction::Sum: return sum(loss);
    case Reduction::None: return loss;
  }
  EMBER_THROW(ValueError, "[mse_loss] unknown reduction ", int64_t(reduction));
}

}  // namespace ember::nn::functional
