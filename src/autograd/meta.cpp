// The autograd metadata a tensor carries. The graph (grad_fn, backward
// engine) arrives with the autograd layer; this holds the flags and .grad.
#include "ember/autograd/meta.h"

namespace ember {

Tensor& Tensor::set_requires_grad(bool value) {
  if (!value && !impl_->autograd_meta()) return *this;
  EMBER_CHECK(!value || ember::is_floating_point(dtype()) || ember::is_complex(dtype()), RuntimeError,
              "Only Tensors of floating point and complex dtype can require gradients");
  if (!impl_->autograd_meta()) impl_->set_autograd_meta(std::make_unique<AutogradMeta>());
  impl_->autograd_meta()->set_requires_grad(value);
  return *this;
}

}  // namespace ember
