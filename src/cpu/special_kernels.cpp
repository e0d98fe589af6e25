// CPU kernels for special functions (Note [CPU elementwise loops]).
#include "../kernels/special_functors.h"
#include "ember/core/special_kernels.h"
#include "loops.h"

namespace ember {
namespace {

void digamma_kernel(TensorIterator& it) {
  dispatch_floating(it.dtype(0), "digamma", [&]<class T>() { cpu::unary_loop<T, T>(it, fn::Digamma{}); });
}

void polygamma_kernel(TensorIterator& it, int64_t n) {
  dispatch_floating(it.dtype(0), "polygamma", [&]<class T>() { cpu::unary_loop<T, T>(it, fn::Polygamma{n}); });
}

}  // namespace

EMBER_REGISTER_KERNEL(digamma_stub, CPU, &digamma_kernel);
EMBER_REGISTER_KERNEL(polygamma_stub, CPU, &polygamma_kernel);

}  // namespace ember
