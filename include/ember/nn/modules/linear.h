#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

// y = x W^T + b; W (out, in) and b (out,) ~ U(-1/sqrt(in), 1/sqrt(in)), as
// PyTorch's kaiming_uniform_(a=sqrt(5)).
class EMBER_API Linear : public UnaryModule {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();
  int64_t in_features() const { return in_; }
  int64_t out_features() const { return out_; }

  Tensor& weight;
  Tensor& bias;  // undefined without bias

 private:
  int64_t in_, out_;
};

}  // namespace ember::nn
