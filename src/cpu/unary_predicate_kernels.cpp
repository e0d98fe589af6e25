// CPU kernels for unary ops with bool results, and bitwise_not
// (Note [CPU elementwise loops]).
#include "../kernels/unary_functors.h"
#include "ember/core/unary_kernels.h"
#include "loops.h"

namespace ember {
namespace {

// Operand 0 is bool, operand 1 has the input's dtype.
template <class F>
ElementwiseKernel floating_complex_to_bool(F) {
  return [](TensorIterator& it) {
    dispatch_floating_complex(it.dtype(1), "unary op", [&]<class T>() { cpu::unary_loop<bool, T>(it, F{}); });
  };
}

template <class F>
ElementwiseKernel floating_to_bool(F) {
  return [](TensorIterator& it) {
    dispatch_floating(it.dtype(1), "unary op", [&]<class T>() { cpu::unary_loop<bool, T>(it, F{}); });
  };
}

void logical_not_kernel(TensorIterator& it) {
  dispatch_all(it.dtype(1), [&]<class T>() { cpu::unary_loop<bool, T>(it, fn::LogicalNot{}); });
}

void bitwise_not_kernel(TensorIterator& it) {
  switch (it.dtype(0)) {
    case DType::Bool: return cpu::unary_loop<bool, bool>(it, fn::BitwiseNot{});
    case DType::UInt8: return cpu::unary_loop<uint8_t, uint8_t>(it, fn::BitwiseNot{});
    case DType::Int8: return cpu::unary_loop<int8_t, int8_t>(it, fn::BitwiseNot{});
    case DType::Int16: return cpu::unary_loop<int16_t, int16_t>(it, fn::BitwiseNot{});
    case DType::Int32: return cpu::unary_loop<int32_t, int32_t>(it, fn::BitwiseNot{});
    case DType::Int64: return cpu::unary_loop<int64_t, int64_t>(it, fn::BitwiseNot{});
    default: EMBER_THROW(TypeError, "[bitwise_not] not implemented for dtype ", dtype_name(it.dtype(0)));
  }
}

}  // namespace

EMBER_REGISTER_KERNEL(isnan_stub, CPU, floating_complex_to_bool(fn::IsNan{}));
EMBER_REGISTER_KERNEL(isinf_stub, CPU, floating_complex_to_bool(fn::IsInf{}));
EMBER_REGISTER_KERNEL(isfinite_stub, CPU, floating_complex_to_bool(fn::IsFinite{}));
EMBER_REGISTER_KERNEL(isposinf_stub, CPU, floating_to_bool(fn::IsPosInf{}));
EMBER_REGISTER_KERNEL(isneginf_stub, CPU, floating_to_bool(fn::IsNegInf{}));
EMBER_REGISTER_KERNEL(logical_not_stub, CPU, &logical_not_kernel);
EMBER_REGISTER_KERNEL(bitwise_not_stub, CPU, &bitwise_not_kernel);

}  // namespace ember
