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

Tensor Tensor::grad() const {
  auto* meta = static_cast<AutogradMeta*>(impl_->autograd_meta());
  return meta ? meta->grad : Tensor();
}

void Tensor::set_grad(const Tensor& grad) {
  if (grad.defined()) {
    EMBER_CHECK(grad.sizes() == sizes(), RuntimeError, "assigned grad has data of a different size");
    EMBER_CHECK(grad.dtype() == dtype(), RuntimeError, "assigned grad has data of a different type");
    EMBER_CHECK(grad.device() == device(), RuntimeError, "assigned grad has data located on a different device");
  }
  if (!impl_->autograd_meta()) {
    if (!grad.defined()) return;
    impl_->set_autograd_meta(std::make_unique<AutogradMeta>());
  }
  static_cast<AutogradMeta*>(impl_->autograd_meta())->grad = grad;
}

}  // namespace ember
