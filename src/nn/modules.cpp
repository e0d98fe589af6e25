// Layers of the C++ nn API (modules.h).
#include "ember/nn/modules.h"

#include <cmath>
#include <sstream>

#include "ember/autograd/grad_mode.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/linalg.h"
#include "ember/ops/random.h"

namespace ember::nn {

namespace {
// U(-bound, bound) written without recording.
Tensor uniform_init(const DimVector& sizes, double bound) {
  Tensor t = empty(sizes, TensorOptions(get_default_dtype()));
  NoGradGuard no_grad;
  uniform_(t, -bound, bound);
  return t;
}
}  // namespace

Linear::Linear(int64_t in_features, int64_t out_features, bool with_bias)
    : UnaryModule("Linear"),
      weight(register_parameter("weight", uniform_init({out_features, in_features},
                                                       in_features > 0 ? 1.0 / std::sqrt(double(in_features)) : 0))),
      bias(register_parameter("bias", with_bias ? uniform_init({out_features}, in_features > 0
                                                                   ? 1.0 / std::sqrt(double(in_features)) : 0)
                                               : Tensor())),
      in_(in_features),
      out_(out_features) {}

Tensor Linear::forward(const Tensor& input) {
  EMBER_CHECK(input.dim() >= 1 && input.size(-1) == in_, RuntimeError, "[linear] mat1 and mat2 shapes cannot be "
              "multiplied: input has ", input.dim() ? input.size(-1) : 0, " features, the layer expects ", in_);
  Tensor out = matmul(input, weight.t());
  return bias.defined() ? add(out, bias) : out;
}

std::string Linear::extra_repr() const {
  std::ostringstream os;
  os << "in_features=" << in_ << ", out_features=" << out_ << ", bias=" << (bias.defined() ? "True" : "False");
  return os.str();
}

Tensor ReLU::forward(const Tensor& input) { return clamp_min(input, Scalar(0.0)); }

std::string Flatten::extra_repr() const {
  std::ostringstream os;
  os << "start_dim=" << start_ << ", end_dim=" << end_;
  return os.str();
}

Sequential::Sequential(std::initializer_list<std::shared_ptr<UnaryModule>> modules) : UnaryModule("Sequential") {
  for (auto& m : modules) push_back(m);
}

void Sequential::push_back(std::shared_ptr<UnaryModule> module) {
  register_module(std::to_string(layers_.size()), module);
  layers_.push_back(std::move(module));
}

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (auto& m : layers_) x = m->forward(x);
  return x;
}

}  // namespace ember::nn
