// Conv1d and Conv2d (ConvNd).
#include "ember/nn/modules/conv.h"

#include <sstream>

#include "../init.h"
#include "../repr.h"
#include "ember/nn/functional.h"

namespace ember::nn {

ConvNd::ConvNd(const char* name, size_t n, int64_t in_channels, int64_t out_channels, const Dims& kernel_size,
               const Dims& stride, const Padding& padding, const Dims& dilation, int64_t groups, bool with_bias)
    : UnaryModule(name),
      weight(register_parameter("weight", Tensor())),
      bias(register_parameter("bias", Tensor())),
      n_(n),
      in_(in_channels),
      out_(out_channels),
      groups_(groups),
      kernel_(kernel_size.expand(name, "kernel_size", n)),
      stride_(stride.expand(name, "stride", n)),
      dilation_(dilation.expand(name, "dilation", n)),
      padding_(padding) {
  EMBER_CHECK(groups > 0, ValueError, "[", name, "] groups must be a positive integer, but got ", groups);
  EMBER_CHECK(in_channels >= 0 && out_channels >= 0, ValueError, "[", name,
              "] in_channels and out_channels must be non-negative, but got ", in_channels, " and ", out_channels);
  EMBER_CHECK(in_channels % groups == 0, ValueError, "[", name, "] in_channels (", in_channels,
              ") must be divisible by groups (", groups, ")");
  EMBER_CHECK(out_channels % groups == 0, ValueError, "[", name, "] out_channels (", out_channels,
              ") must be divisible by groups (", groups, ")");
  for (size_t i = 0; i < n; ++i) {
    EMBER_CHECK(kernel_[i] > 0, ValueError, "[", name, "] kernel_size must be positive, but got ", kernel_);
    EMBER_CHECK(stride_[i] > 0, ValueError, "[", name, "] stride must be positive, but got ", stride_);
    EMBER_CHECK(dilation_[i] > 0, ValueError, "[", name, "] dilation must be positive, but got ", dilation_);
  }
  if (padding.is_mode()) {
    for (int64_t s : stride_)
      EMBER_CHECK(padding.mode() != "same" || s == 1, ValueError, "[", name,
                  "] padding='same' is not supported for strided convolutions");
  } else {
    DimVector p = padding.dims().expand(name, "padding", n);
    for (int64_t v : p) EMBER_CHECK(v >= 0, ValueError, "[", name, "] padding must be non-negative, but got ", p);
    padding_ = Padding(p);
  }
  DimVector shape{out_channels, in_channels / groups};
  for (int64_t k : kernel_) shape.push_back(k);
  register_parameter("weight", detail::new_parameter(shape));
  if (with_bias) register_parameter("bias", detail::new_parameter({out_channels}));
  reset_parameters();
}

void ConvNd::reset_parameters() {
  int64_t fan_in = in_ / groups_;
  for (int64_t k : kernel_) fan_in *= k;
  detail::init_uniform(weight, detail::fan_in_bound(fan_in));
  if (bias.defined()) detail::init_uniform(bias, detail::fan_in_bound(fan_in));
}

Tensor ConvNd::forward(const Tensor& input) {
  auto conv = n_ == 1 ? &functional::conv1d : &functional::conv2d;
  return conv(input, weight, bias, stride_, padding_, dilation_, groups_);
}

// Python: "1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)"; the
// defaults (no padding, dilation 1, one group, a bias) are left out.
std::string ConvNd::extra_repr() const {
  std::ostringstream os;
  os << in_ << ", " << out_ << ", kernel_size=" << detail::py_tuple(kernel_) << ", stride=" << detail::py_tuple(stride_);
  if (padding_.is_mode()) {
    os << ", padding=" << padding_.mode();
  } else {
    const DimVector& p = padding_.dims().values();
    bool zero = true;
    for (int64_t v : p) zero = zero && v == 0;
    if (!zero) os << ", padding=" << detail::py_tuple(p);
  }
  bool unit = true;
  for (int64_t d : dilation_) unit = unit && d == 1;
  if (!unit) os << ", dilation=" << detail::py_tuple(dilation_);
  if (groups_ != 1) os << ", groups=" << groups_;
  if (!bias.defined()) os << ", bias=False";
  return os.str();
}

}  // namespace ember::nn
