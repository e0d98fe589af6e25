#pragma once
// 2-D pooling layers (Python's pooling.py). Input (N, C, H, W) or (C, H, W);
// no stride means stride = kernel_size. The repr prints the arguments in
// the form they were given (kernel_size=2 or kernel_size=(2, 2)), as Python.
#include <optional>

#include "ember/nn/arguments.h"
#include "ember/nn/module.h"
#include "ember/ops/nn.h"

namespace ember::nn {

class EMBER_API MaxPool2d : public UnaryModule {
 public:
  explicit MaxPool2d(const Dims& kernel_size, const std::optional<Dims>& stride = std::nullopt,
                     const Dims& padding = 0, const Dims& dilation = 1, bool ceil_mode = false);
  // MaxPool2d({2, 3}): a braced list alone would also fit the (deleted) copy constructor.
  explicit MaxPool2d(std::initializer_list<int64_t> kernel_size) : MaxPool2d(Dims(kernel_size)) {}
  Tensor forward(const Tensor& input) override;
  // (output, indices): Python's return_indices=True.
  Tensor2 forward_with_indices(const Tensor& input);
  std::string extra_repr() const override;

 private:
  Dims kernel_, stride_, padding_, dilation_;
  bool ceil_mode_;
};

class EMBER_API AvgPool2d : public UnaryModule {
 public:
  explicit AvgPool2d(const Dims& kernel_size, const std::optional<Dims>& stride = std::nullopt,
                     const Dims& padding = 0, bool ceil_mode = false, bool count_include_pad = true,
                     std::optional<int64_t> divisor_override = std::nullopt);
  explicit AvgPool2d(std::initializer_list<int64_t> kernel_size) : AvgPool2d(Dims(kernel_size)) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;

 private:
  Dims kernel_, stride_, padding_;
  bool ceil_mode_, count_include_pad_;
  std::optional<int64_t> divisor_override_;
};

class EMBER_API AdaptiveAvgPool2d : public UnaryModule {
 public:
  explicit AdaptiveAvgPool2d(const Dims& output_size);
  explicit AdaptiveAvgPool2d(std::initializer_list<int64_t> output_size) : AdaptiveAvgPool2d(Dims(output_size)) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return "output_size=" + output_size_.repr(); }

 private:
  Dims output_size_;
};

}  // namespace ember::nn
