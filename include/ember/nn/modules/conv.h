#pragma once
// Conv1d and Conv2d (Python's conv.py; zero padding only).
#include "ember/nn/arguments.h"
#include "ember/nn/module.h"

namespace ember::nn {

// What Conv1d and Conv2d share (Python's _ConvNd): weight (out, in / groups,
// *kernel_size) and bias (out,), both ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))
// with fan_in = in / groups * prod(kernel_size), PyTorch's
// kaiming_uniform_(a=sqrt(5)) and bias rule. Single values of kernel_size,
// stride, padding and dilation apply to every spatial dim.
class EMBER_API ConvNd : public UnaryModule {
 public:
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();

  int64_t in_channels() const { return in_; }
  int64_t out_channels() const { return out_; }
  const DimVector& kernel_size() const { return kernel_; }
  const DimVector& stride() const { return stride_; }
  const Padding& padding() const { return padding_; }
  const DimVector& dilation() const { return dilation_; }
  int64_t groups() const { return groups_; }

  Tensor& weight;
  Tensor& bias;  // undefined without bias

 protected:
  ConvNd(const char* name, size_t n, int64_t in_channels, int64_t out_channels, const Dims& kernel_size,
         const Dims& stride, const Padding& padding, const Dims& dilation, int64_t groups, bool bias);

 private:
  size_t n_;
  int64_t in_, out_, groups_;
  DimVector kernel_, stride_, dilation_;
  Padding padding_;
};

// Input (N, C, L) or (C, L).
class EMBER_API Conv1d : public ConvNd {
 public:
  Conv1d(int64_t in_channels, int64_t out_channels, const Dims& kernel_size, const Dims& stride = 1,
         const Padding& padding = 0, const Dims& dilation = 1, int64_t groups = 1, bool bias = true)
      : ConvNd("Conv1d", 1, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias) {}
};

// Input (N, C, H, W) or (C, H, W).
//   Conv2d(1, 32, 3, /*stride=*/1, /*padding=*/1);  Conv2d(8, 8, {3, 5}, 1, "same");
class EMBER_API Conv2d : public ConvNd {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, const Dims& kernel_size, const Dims& stride = 1,
         const Padding& padding = 0, const Dims& dilation = 1, int64_t groups = 1, bool bias = true)
      : ConvNd("Conv2d", 2, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias) {}
};

}  // namespace ember::nn
