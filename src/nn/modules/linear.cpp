// Linear, Flatten and Sequential.
#include "ember/nn/modules/linear.h"

#include <sstream>

#include "../init.h"
#include "../repr.h"
#include "ember/nn/modules/container.h"
#include "ember/nn/modules/flatten.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/linalg.h"

namespace ember::nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool with_bias)
    : UnaryModule("Linear"),
      weight(register_parameter("weight", Tensor())),
      bias(register_parameter("bias", Tensor())),
      in_(in_features),
      out_(out_features) {
  EMBER_CHECK(in_features >= 0 && out_features >= 0, ValueError, "[Linear] in_features and out_features must be ",
              "non-negative, but got ", in_features, " and ", out_features);
  register_parameter("weight", detail::new_parameter({out_features, in_features}));
  if (with_bias) register_parameter("bias", detail::new_parameter({out_features}));
  reset_parameters();
}

void Linear::reset_parameters() {
  detail::init_uniform(weight, detail::fan_in_bound(in_));
  if (bias.defined()) detail::init_uniform(bias, detail::fan_in_bound(in_));
}

Tensor Linear::forward(const Tensor& input) {
  EMBER_CHECK(input.dim() >= 1 && input.size(-1) == in_, RuntimeError, "[linear] mat1 and mat2 shapes cannot be "
              "multiplied: input has ", input.dim() ? input.size(-1) : 0, " features, the layer expects ", in_);
  Tensor out = matmul(input, weight.t());
  return bias.defined() ? add(out, bias) : out;
}

std::string Linear::extra_repr() const {
  std::ostringstream os;
  os << "in_features=" << in_ << ", out_features=" << out_ << ", bias=" << detail::py_bool(bias.defined());
  return os.str();
}

std::string Flatten::extra_repr() const {
  std::ostringstream os;
  os << "start_dim=" << start_ << ", end_dim=" << end_;
  return os.str();
}

Sequential::Sequential(std::initializer_list<std::shared_ptr<UnaryModule>> modules) : UnaryModule("Sequential") {
  for (auto& m : modules) push_back(m);
}

void Sequential::push_back(std::shared_ptr<UnaryModule> module) {
  EMBER_CHECK(module != nullptr, ValueError, "[Sequential] cannot add a null module");
  register_module(std::to_string(layers_.size()), module);
  layers_.push_back(std::move(module));
}

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (auto& m : layers_) x = m->forward(x);
  return x;
}

}  // namespace ember::nn
