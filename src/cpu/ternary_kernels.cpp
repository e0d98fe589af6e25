// CPU kernels for ternary elementwise ops: where, clamp, lerp
// (Note [CPU elementwise loops]).
#include "../kernels/functors.h"
#include "ember/core/elementwise_kernels.h"
#include "loops.h"

namespace ember {
namespace {

// A value of N bytes, copied but never computed on.
template <int N> struct Bytes { alignas(N > 8 ? 8 : N) unsigned char b[N]; };

// where only moves values: dtypes of one size share one loop.
void where_kernel(TensorIterator& it) {
  auto run = [&]<class T>() { cpu::ternary_loop<T, bool, T, T>(it, fn::Where{}); };
  switch (itemsize(it.dtype(0))) {
    case 1: return run.template operator()<uint8_t>();
    case 2: return run.template operator()<uint16_t>();
    case 4: return run.template operator()<uint32_t>();
    case 8: return run.template operator()<uint64_t>();
    case 16: return run.template operator()<Bytes<16>>();
    default: EMBER_THROW(RuntimeError, "[where] unsupported item size ", itemsize(it.dtype(0)));
  }
}

void clamp_kernel(TensorIterator& it) {
  dispatch_real(it.dtype(0), "clamp", [&]<class T>() { cpu::ternary_loop<T, T, T, T>(it, fn::Clamp{}); });
}

void lerp_kernel(TensorIterator& it) {
  dispatch_floating_complex(it.dtype(0), "lerp", [&]<class T>() { cpu::ternary_loop<T, T, T, T>(it, fn::Lerp{}); });
}

}  // namespace

EMBER_REGISTER_KERNEL(where_stub, CPU, &where_kernel);
EMBER_REGISTER_KERNEL(clamp_stub, CPU, &clamp_kernel);
EMBER_REGISTER_KERNEL(lerp_stub, CPU, &lerp_kernel);

}  // namespace ember
