#pragma once
// Layers of the C++ nn API, with Python's names, parameter shapes, default
// initialisation and repr (the ones the digits example needs and the common
// containers; more arrive as the layers are written).
#include <initializer_list>

#include "ember/nn/module.h"

namespace ember::nn {

// y = x W^T + b; W (out, in) and b (out,) ~ U(-1/sqrt(in), 1/sqrt(in)), as
// PyTorch's kaiming_uniform_(a=sqrt(5)).
class EMBER_API Linear : public UnaryModule {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  Tensor& weight;
  Tensor& bias;

 private:
  int64_t in_, out_;
};

class EMBER_API ReLU : public UnaryModule {
 public:
  ReLU() : UnaryModule("ReLU") {}
  Tensor forward(const Tensor& input) override;
};

class EMBER_API Flatten : public UnaryModule {
 public:
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1)
      : UnaryModule("Flatten"), start_(start_dim), end_(end_dim) {}
  Tensor forward(const Tensor& input) override { return input.flatten(start_, end_); }
  std::string extra_repr() const override;

 private:
  int64_t start_, end_;
};

// Children named 0, 1, 2 ... applied in order.
class EMBER_API Sequential : public UnaryModule {
 public:
  Sequential() : UnaryModule("Sequential") {}
  Sequential(std::initializer_list<std::shared_ptr<UnaryModule>> modules);
  void push_back(std::shared_ptr<UnaryModule> module);
  Tensor forward(const Tensor& input) override;
  size_t size() const { return layers_.size(); }
  const std::shared_ptr<UnaryModule>& operator[](size_t i) const { return layers_.at(i); }

 private:
  std::vector<std::shared_ptr<UnaryModule>> layers_;
};

}  // namespace ember::nn
