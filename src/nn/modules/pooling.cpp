// MaxPool2d, AvgPool2d, AdaptiveAvgPool2d.
#include "ember/nn/modules/pooling.h"

#include "../repr.h"
#include "ember/nn/functional.h"

namespace ember::nn {

namespace F = functional;

namespace {
// Checks the form early (one value or two) so a bad argument fails at
// construction; the op checks the values when it runs.
const Dims& checked(const char* op, const char* name, const Dims& d) {
  d.expand(op, name, 2);
  return d;
}
}  // namespace

MaxPool2d::MaxPool2d(const Dims& kernel_size, const std::optional<Dims>& stride, const Dims& padding,
                     const Dims& dilation, bool ceil_mode)
    : UnaryModule("MaxPool2d"),
      kernel_(checked("MaxPool2d", "kernel_size", kernel_size)),
      stride_(checked("MaxPool2d", "stride", stride ? *stride : kernel_size)),
      padding_(checked("MaxPool2d", "padding", padding)),
      dilation_(checked("MaxPool2d", "dilation", dilation)),
      ceil_mode_(ceil_mode) {}

Tensor MaxPool2d::forward(const Tensor& input) {
  return F::max_pool2d(input, kernel_, stride_, padding_, dilation_, ceil_mode_);
}

Tensor2 MaxPool2d::forward_with_indices(const Tensor& input) {
  return F::max_pool2d_with_indices(input, kernel_, stride_, padding_, dilation_, ceil_mode_);
}

std::string MaxPool2d::extra_repr() const {
  return "kernel_size=" + kernel_.repr() + ", stride=" + stride_.repr() + ", padding=" + padding_.repr() +
         ", dilation=" + dilation_.repr() + ", ceil_mode=" + detail::py_bool(ceil_mode_);
}

AvgPool2d::AvgPool2d(const Dims& kernel_size, const std::optional<Dims>& stride, const Dims& padding,
                     bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override)
    : UnaryModule("AvgPool2d"),
      kernel_(checked("AvgPool2d", "kernel_size", kernel_size)),
      stride_(checked("AvgPool2d", "stride", stride ? *stride : kernel_size)),
      padding_(checked("AvgPool2d", "padding", padding)),
      ceil_mode_(ceil_mode),
      count_include_pad_(count_include_pad),
      divisor_override_(divisor_override) {}

Tensor AvgPool2d::forward(const Tensor& input) {
  return F::avg_pool2d(input, kernel_, stride_, padding_, ceil_mode_, count_include_pad_, divisor_override_);
}

std::string AvgPool2d::extra_repr() const {
  return "kernel_size=" + kernel_.repr() + ", stride=" + stride_.repr() + ", padding=" + padding_.repr();
}

AdaptiveAvgPool2d::AdaptiveAvgPool2d(const Dims& output_size)
    : UnaryModule("AdaptiveAvgPool2d"), output_size_(checked("AdaptiveAvgPool2d", "output_size", output_size)) {}

Tensor AdaptiveAvgPool2d::forward(const Tensor& input) { return F::adaptive_avg_pool2d(input, output_size_); }

}  // namespace ember::nn
