// CPU kernels for bitwise and logical ops, and isclose (Note [CPU elementwise loops]).
#include "../kernels/functors.h"
#include "ember/core/elementwise_kernels.h"
#include "loops.h"

namespace ember {
namespace {

// Bool and integer dtypes; the ops layer rejects the others with the op's name.
template <class T> struct unsigned_of { using type = std::make_unsigned_t<T>; };
template <> struct unsigned_of<bool> { using type = bool; };

template <class F>
ElementwiseKernel bitwise(F) {
  return [](TensorIterator& it) {
    // and/or/xor act on bits alone: signed types share the unsigned loop.
    dispatch_all(it.dtype(0), [&]<class T>() {
      if constexpr (std::is_integral_v<T>) {
        using U = typename unsigned_of<T>::type;
        cpu::binary_loop<U, U>(it, F{});
      } else {
        EMBER_THROW(TypeError, "[bitwise] not implemented for dtype ", dtype_name(dtype_of_v<T>));
      }
    });
  };
}
template <class F>
ElementwiseKernel shift(F) {
  return [](TensorIterator& it) {
    dispatch_all(it.dtype(0), [&]<class T>() {
      if constexpr (fn::is_int_v<T>) {
        cpu::binary_loop<T, T>(it, F{});
      } else {
        EMBER_THROW(TypeError, "[shift] not implemented for dtype ", dtype_name(dtype_of_v<T>));
      }
    });
  };
}
template <class F>
ElementwiseKernel logical(F) {
  return [](TensorIterator& it) { cpu::binary_loop<bool, bool>(it, F{}); };
}

void isclose_kernel(TensorIterator& it, double rtol, double atol, bool equal_nan) {
  dispatch_all(it.dtype(1), [&]<class T>() { cpu::binary_loop<bool, T>(it, fn::IsClose{rtol, atol, equal_nan}); });
}

}  // namespace

EMBER_REGISTER_KERNEL(bitwise_and_stub, CPU, bitwise(fn::BitwiseAnd{}));
EMBER_REGISTER_KERNEL(bitwise_or_stub, CPU, bitwise(fn::BitwiseOr{}));
EMBER_REGISTER_KERNEL(bitwise_xor_stub, CPU, bitwise(fn::BitwiseXor{}));
EMBER_REGISTER_KERNEL(lshift_stub, CPU, shift(fn::LeftShift{}));
EMBER_REGISTER_KERNEL(rshift_stub, CPU, shift(fn::RightShift{}));
EMBER_REGISTER_KERNEL(logical_and_stub, CPU, logical(fn::LogicalAnd{}));
EMBER_REGISTER_KERNEL(logical_or_stub, CPU, logical(fn::LogicalOr{}));
EMBER_REGISTER_KERNEL(logical_xor_stub, CPU, logical(fn::LogicalXor{}));
EMBER_REGISTER_KERNEL(isclose_stub, CPU, &isclose_kernel);

}  // namespace ember
