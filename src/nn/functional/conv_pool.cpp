// Convolution and pooling functions of ember::nn::functional.
#include "ember/nn/functional.h"
#include "ember/ops/nn_autograd.h"

namespace ember::nn::functional {

namespace {

OptTensor opt(const Tensor& t) { return t.defined() ? OptTensor(t) : std::nullopt; }

// Note [Same padding]
// padding="same" pads d * (k - 1) in total along each dim. When that total
// is odd PyTorch puts the extra element on the right. The convolution op
// pads symmetrically, so such a dim is padded by the rounded-up half on both
// sides, which gives one output more, shifted by one: output i of the
// asymmetric padding is output i + 1 of the symmetric one, and narrowing
// away the first output gives the same values (and gradients) without a pad
// op.
Tensor conv(const char* op, size_t n, const Tensor& input, const Tensor& weight, const Tensor& bias,
            const Dims& stride_arg, const Padding& padding_arg, const Dims& dilation_arg, int64_t groups) {
  EMBER_CHECK(input.defined() && weight.defined(), RuntimeError, "[", op, "] input and weight must be defined");
  EMBER_CHECK(weight.dim() == int64_t(n) + 2, RuntimeError, "[", op, "] Expected ", n + 2,
              "-dimensional weight for ", n + 2, "-dimensional input ", input.sizes(), ", but got ", weight.dim(),
              "-dimensional weight of size ", weight.sizes());
  DimVector stride = stride_arg.expand(op, "stride", n);
  DimVector dilation = dilation_arg.expand(op, "dilation", n);
  DimVector padding(n, 0);
  std::vector<bool> shift(n, false);
  if (padding_arg.mode() == "same") {
    for (int64_t s : stride)
      EMBER_CHECK(s == 1, ValueError, "[", op, "] padding='same' is not supported for strided convolutions");
    for (size_t i = 0; i < n; ++i) {
      int64_t total = dilation[i] * (weight.size(int64_t(2 + i)) - 1);
      padding[i] = (total + 1) / 2;
      shift[i] = total % 2 != 0;
    }
  } else if (!padding_arg.is_mode()) {
    padding = padding_arg.dims().expand(op, "padding", n);
  }
  Tensor out = nn_autograd::convolution(input, weight, opt(bias), stride, padding, dilation, false, DimVector(n, 0),
                                        groups);
  for (size_t i = 0; i < n; ++i) {
    if (!shift[i]) continue;
    int64_t d = out.dim() - int64_t(n) + int64_t(i);
    out = out.narrow(d, 1, out.size(d) - 1);
  }
  return out;
}

DimVector pool_stride(const char* op, const Dims& kernel_size, const std::optional<Dims>& stride) {
  return (stride ? *stride : kernel_size).expand(op, "stride", 2);
}

}  // namespace

Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, const Dims& stride,
              const Padding& padding, const Dims& dilation, int64_t groups) {
  return conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups);
}

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const Dims& stride,
              const Padding& padding, const Dims& dilation, int64_t groups) {
  return conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups);
}

Tensor2 max_pool2d_with_indices(const Tensor& input, const Dims& kernel_size, const std::optional<Dims>& stride,
                                const Dims& padding, const Dims& dilation, bool ceil_mode) {
  const char* op = "max_pool2d";
  return nn_autograd::max_pool2d_with_indices(input, kernel_size.expand(op, "kernel_size", 2),
                                              pool_stride(op, kernel_size, stride), padding.expand(op, "padding", 2),
                                              dilation.expand(op, "dilation", 2), ceil_mode);
}

Tensor max_pool2d(const Tensor& input, const Dims& kernel_size, const std::optional<Dims>& stride,
                  const Dims& padding, const Dims& dilation, bool ceil_mode) {
  return std::get<0>(max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode));
}

Tensor avg_pool2d(const Tensor& input, const Dims& kernel_size, const std::optional<Dims>& stride,
                  const Dims& padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override) {
  const char* op = "avg_pool2d";
  return nn_autograd::avg_pool2d(input, kernel_size.expand(op, "kernel_size", 2), pool_stride(op, kernel_size, stride),
                                 padding.expand(op, "padding", 2), ceil_mode, count_include_pad, divisor_override);
}

Tensor adaptive_avg_pool2d(const Tensor& input, const Dims& output_size) {
  return nn_autograd::adaptive_avg_pool2d(input, output_size.expand("adaptive_avg_pool2d", "output_size", 2));
}

}  // namespace ember::nn::functional
