// The C++ tour from the README, kept compiling and running by
// scripts/test.sh (built with -DEMBER_BUILD_EXAMPLES=ON).
#include <ember/ember.h>

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
  bool ok = x.select(0, 1).select(0, 2).item().to_double() == 1.5 && !x.t().is_contiguous();
  std::cout << (ok ? "tour ok" : "tour FAILED") << "\n";
  return ok ? 0 : 1;
}
