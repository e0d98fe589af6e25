// CPU kernels for the binary math functions beyond arithmetic: fmod, atan2,
// hypot, copysign, fmax/fmin, logaddexp(2), xlogy (Note [CPU elementwise loops]).
#include "../kernels/functors.h"
#include "ember/core/elementwise_kernels.h"
#include "loops.h"

namespace ember {
namespace {

// The ops layer has already promoted both inputs to the output's dtype.
template <class F>
ElementwiseKernel floating(F) {
  return [](TensorIterator& it) {
    dispatch_floating(it.dtype(0), "binary op", [&]<class T>() { cpu::binary_loop<T, T>(it, F{}); });
  };
}
template <class F>
ElementwiseKernel real(F) {
  return [](TensorIterator& it) {
    // bool orders as its 0/1 byte, so it shares the uint8 instantiation.
    DType t = it.dtype(0) == DType::Bool ? DType::UInt8 : it.dtype(0);
    dispatch_real(t, "binary op", [&]<class T>() { cpu::binary_loop<T, T>(it, F{}); });
  };
}

}  // namespace

EMBER_REGISTER_KERNEL(fmod_stub, CPU, real(fn::Fmod{}));
EMBER_REGISTER_KERNEL(atan2_stub, CPU, floating(fn::Atan2{}));
EMBER_REGISTER_KERNEL(hypot_stub, CPU, floating(fn::Hypot{}));
EMBER_REGISTER_KERNEL(copysign_stub, CPU, floating(fn::Copysign{}));
EMBER_REGISTER_KERNEL(fmax_stub, CPU, real(fn::Fmax{}));
EMBER_REGISTER_KERNEL(fmin_stub, CPU, real(fn::Fmin{}));
EMBER_REGISTER_KERNEL(logaddexp_stub, CPU, floating(fn::LogAddExp{}));
EMBER_REGISTER_KERNEL(logaddexp2_stub, CPU, floating(fn::LogAddExp2{}));
EMBER_REGISTER_KERNEL(xlogy_stub, CPU, floating(fn::Xlogy{}));

}  // namespace ember
