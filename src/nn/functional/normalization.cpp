// Normalisation functions of ember::nn::functional.
#include "ember/nn/functional.h"
#include "ember/ops/nn_autograd.h"

namespace ember::nn::functional {

namespace {
OptTensor opt(const Tensor& t) { return t.defined() ? OptTensor(t) : std::nullopt; }
}  // namespace

Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                  const Tensor& bias, bool training, double momentum, double eps) {
  EMBER_CHECK(input.defined(), RuntimeError, "[batch_norm] input must be defined");
  // The op checks the rest: at least 2 dims, per-channel sizes of weight,
  // bias and stats, more than one value per channel when training, running
  // stats present in evaluation.
  return std::get<0>(nn_autograd::native_batch_norm(input, opt(weight), opt(bias), opt(running_mean),
                                                    opt(running_var), training, momentum, eps));
}

Tensor layer_norm(const Tensor& input, const DimVector& normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps) {
  EMBER_CHECK(input.defined(), RuntimeError, "[layer_norm] input must be defined");
  return std::get<0>(nn_autograd::native_layer_norm(input, normalized_shape, opt(weight), opt(bias), eps));
}

}  // namespace ember::nn::functional
