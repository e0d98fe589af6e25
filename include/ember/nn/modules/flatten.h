#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

// Flattens dims start_dim..end_dim into one (by default all but the batch dim).
class EMBER_API Flatten : public UnaryModule {
 public:
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1)
      : UnaryModule("Flatten"), start_(start_dim), end_(end_dim) {}
  Tensor forward(const Tensor& input) override { return input.flatten(start_, end_); }
  std::string extra_repr() const override;

 private:
  int64_t start_, end_;
};

}  // namespace ember::nn
