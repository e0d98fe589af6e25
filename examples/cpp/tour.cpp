// The C++ tour from the README, kept compiling and running by
// scripts/test.sh (built with -DEMBER_BUILD_EXAMPLES=ON).
#include <ember/ember.h>

#include <cmath>
#include <iostream>

int main() {
  using namespace ember;
  Tensor x = arange(0, 12).view({3, 4}).to(DType::Float32);
  Tensor col = x.select(1, 2);    // a view of column 2
  col.fill_(1.5);                 // writes into x
  Tensor y = x.t().contiguous();  // a copy in row-major order
  std::cout << y << "\n";
  Generator gen;
  gen.manual_seed(0);
  std::cout << randn({2, 3}, TensorOptions(), &gen) << "\n";

  // Layers and an optimizer step (the README's second C++ block).
  namespace F = ember::nn::functional;
  auto cnn = std::make_shared<nn::Sequential>(
      std::make_shared<nn::Conv2d>(1, 8, 3, /*stride=*/1, /*padding=*/1), std::make_shared<nn::BatchNorm2d>(8),
      std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(2), std::make_shared<nn::Flatten>(),
      std::make_shared<nn::Linear>(8 * 4 * 4, 10));
  optim::Adam opt(cnn->parameters(), optim::AdamOptions(3e-3));
  Tensor loss = F::cross_entropy(cnn->forward(randn({16, 1, 8, 8})), randint(0, 10, {16}));
  opt.zero_grad();
  loss.backward();
  opt.step();
  std::cout << cnn->repr() << "\nloss " << loss.item().to_double() << "\n";

  bool ok = x.select(0, 1).select(0, 2).item().to_double() == 1.5 && !x.t().is_contiguous() &&
            std::isfinite(loss.item().to_double()) && cnn->parameters()[0].grad().defined();
  std::cout << (ok ? "tour ok" : "tour FAILED") << "\n";
  return ok ? 0 : 1;
}
