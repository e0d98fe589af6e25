#pragma once
// In-place initialisation of the layers' parameters, written without
// recording (PyTorch's nn.init functions run under no_grad).
#include <cmath>

#include "ember/autograd/grad_mode.h"
#include "ember/ops/creation.h"
#include "ember/ops/random.h"

namespace ember::nn::detail {

// An uninitialised parameter of the default dtype.
inline Tensor new_parameter(const DimVector& sizes) { return empty(sizes, TensorOptions(get_default_dtype())); }

// U(-bound, bound).
inline void init_uniform(Tensor& t, double bound) {
  NoGradGuard no_grad;
  uniform_(t, -bound, bound);
}

inline void init_normal(Tensor& t) {
  NoGradGuard no_grad;
  normal_(t, 0.0, 1.0);
}

inline void init_fill(Tensor& t, double value) {
  NoGradGuard no_grad;
  t.fill_(value);
}

// 1/sqrt(fan_in): the bound of kaiming_uniform_(a=sqrt(5)) and of PyTorch's
// bias rule; 0 for an empty fan-in (PyTorch leaves such tensors alone).
inline double fan_in_bound(int64_t fan_in) { return fan_in > 0 ? 1.0 / std::sqrt(double(fan_in)) : 0.0; }

}  // namespace ember::nn::detail
