#pragma once
#include <initializer_list>

#include "ember/nn/module.h"

namespace ember::nn {

// Children named 0, 1, 2 ... applied in order.
class EMBER_API Sequential : public UnaryModule {
 public:
  Sequential() : UnaryModule("Sequential") {}
  Sequential(std::initializer_list<std::shared_ptr<UnaryModule>> modules);
  // std::make_shared<Sequential>(std::make_shared<Linear>(4, 3), std::make_shared<ReLU>())
  template <class... M>
    requires(sizeof...(M) > 0)
  explicit Sequential(std::shared_ptr<M>... modules) : UnaryModule("Sequential") {
    (push_back(std::move(modules)), ...);
  }
  void push_back(std::shared_ptr<UnaryModule> module);
  Tensor forward(const Tensor& input) override;
  size_t size() const { return layers_.size(); }
  const std::shared_ptr<UnaryModule>& operator[](size_t i) const { return layers_.at(i); }

 private:
  std::vector<std::shared_ptr<UnaryModule>> layers_;
};

}  // namespace ember::nn
