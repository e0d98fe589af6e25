#pragma once
#include "ember/core/tensor.h"

namespace ember {

class EMBER_API AutogradMeta : public AutogradMetaInterface {
 public:
  bool requires_grad() const override { return requires_grad_; }
  void set_requires_grad(bool value) override { requires_grad_ = value; }

  Tensor grad;

 private:
  bool requires_grad_ = false;
};

}  // namespace ember
