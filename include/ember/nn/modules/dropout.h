#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

// Zeroes each element with probability p while training (scaling the others
// by 1 / (1 - p)); the identity in eval mode. Masks come from the default
// generator (ember::manual_seed fixes them).
class EMBER_API Dropout : public UnaryModule {
 public:
  explicit Dropout(double p = 0.5, bool inplace = false);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double p() const { return p_; }

 private:
  double p_;
  bool inplace_;
};

}  // namespace ember::nn
