// Uses the installed C++ API and checks a few values; exits non-zero on a
// mismatch so the test script fails.
#include <ember/ember.h>

#include <cstdio>

int main() {
  using namespace ember;
  Tensor a = arange(Scalar(int64_t(0)), Scalar(int64_t(6))).view({2, 3});
  Tensor t = a.t().contiguous();  // [[0, 3], [1, 4], [2, 5]]
  bool ok = t.sizes() == DimVector{3, 2} && t.select(0, 2).select(0, 1).item().to_int() == 5;
  Tensor f = ones({2, 2}, TensorOptions(DType::Float64));
  f.select(0, 1).fill_(Scalar(2.5));
  ok = ok && f.select(0, 1).select(0, 0).item().to_double() == 2.5 && f.version() == 1;  // new tensors start at 0; fill_ bumps once
  try {
    a.view({4, 2});
    ok = false;
  } catch (const RuntimeError&) {
  }
  std::printf("ember install check: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
