// Dropout of ember::nn::functional, as Python's F.dropout: a Bernoulli(1 - p)
// mask scaled by 1 / (1 - p), multiplied in.
#include "ember/nn/functional.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/random.h"

namespace ember::nn::functional {

Tensor dropout(const Tensor& input, double p, bool training, bool inplace, Generator* gen) {
  EMBER_CHECK(p >= 0.0 && p <= 1.0, ValueError, "[dropout] dropout probability has to be between 0 and 1, but got ",
              p);
  if (!training || p == 0.0) return input;
  EMBER_CHECK(input.is_floating_point(), TypeError, "[dropout] expected a floating point input, but got ",
              input.dtype());
  Tensor mask;
  if (p == 1.0) {
    mask = zeros_like(input, input.options());
  } else {
    mask = bernoulli(input.detach(), 1.0 - p, gen);  // no history: a constant of the graph
    div_(mask, 1.0 - p);
  }
  if (!inplace) return mul(input, mask);
  Tensor x = input;
  return mul_(x, mask);
}

}  // namespace ember::nn::functional
