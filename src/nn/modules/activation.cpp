// Activation layers.
#include "ember/nn/modules/activation.h"

#include "../repr.h"
#include "ember/nn/functional.h"

namespace ember::nn {

namespace F = functional;

Tensor ReLU::forward(const Tensor& input) { return F::relu(input, inplace_); }

Tensor LeakyReLU::forward(const Tensor& input) { return F::leaky_relu(input, slope_, inplace_); }
std::string LeakyReLU::extra_repr() const {
  return "negative_slope=" + detail::py_float(slope_) + (inplace_ ? ", inplace=True" : "");
}

Tensor Tanh::forward(const Tensor& input) { return F::tanh(input); }
Tensor Sigmoid::forward(const Tensor& input) { return F::sigmoid(input); }

GELU::GELU(std::string approximate) : UnaryModule("GELU"), approximate_(std::move(approximate)) {
  EMBER_CHECK(approximate_ == "none" || approximate_ == "tanh", ValueError,
              "[GELU] approximate argument must be either none or tanh, but got '", approximate_, "'");
}
Tensor GELU::forward(const Tensor& input) { return F::gelu(input, approximate_); }

Tensor SiLU::forward(const Tensor& input) { return F::silu(input, inplace_); }
Tensor Softmax::forward(const Tensor& input) { return F::softmax(input, dim_); }
Tensor LogSoftmax::forward(const Tensor& input) { return F::log_softmax(input, dim_); }

}  // namespace ember::nn
