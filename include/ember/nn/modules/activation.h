#pragma once
// Activation layers (Python's activation.py / activation_basic.py).
#include <string>

#include "ember/nn/module.h"

namespace ember::nn {

class EMBER_API ReLU : public UnaryModule {
 public:
  explicit ReLU(bool inplace = false) : UnaryModule("ReLU"), inplace_(inplace) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return inplace_ ? "inplace=True" : ""; }

 private:
  bool inplace_;
};

class EMBER_API LeakyReLU : public UnaryModule {
 public:
  explicit LeakyReLU(double negative_slope = 0.01, bool inplace = false)
      : UnaryModule("LeakyReLU"), slope_(negative_slope), inplace_(inplace) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double negative_slope() const { return slope_; }

 private:
  double slope_;
  bool inplace_;
};

class EMBER_API Tanh : public UnaryModule {
 public:
  Tanh() : UnaryModule("Tanh") {}
  Tensor forward(const Tensor& input) override;
};

class EMBER_API Sigmoid : public UnaryModule {
 public:
  Sigmoid() : UnaryModule("Sigmoid") {}
  Tensor forward(const Tensor& input) override;
};

// approximate: "none" (the erf form) or "tanh"; anything else is a ValueError.
class EMBER_API GELU : public UnaryModule {
 public:
  explicit GELU(std::string approximate = "none");
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return "approximate='" + approximate_ + "'"; }
  const std::string& approximate() const { return approximate_; }

 private:
  std::string approximate_;
};

class EMBER_API SiLU : public UnaryModule {
 public:
  explicit SiLU(bool inplace = false) : UnaryModule("SiLU"), inplace_(inplace) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return inplace_ ? "inplace=True" : ""; }

 private:
  bool inplace_;
};

class EMBER_API Softmax : public UnaryModule {
 public:
  explicit Softmax(int64_t dim) : UnaryModule("Softmax"), dim_(dim) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return "dim=" + std::to_string(dim_); }
  int64_t dim() const { return dim_; }

 private:
  int64_t dim_;
};

class EMBER_API LogSoftmax : public UnaryModule {
 public:
  explicit LogSoftmax(int64_t dim) : UnaryModule("LogSoftmax"), dim_(dim) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return "dim=" + std::to_string(dim_); }
  int64_t dim() const { return dim_; }

 private:
  int64_t dim_;
};

}  // namespace ember::nn
