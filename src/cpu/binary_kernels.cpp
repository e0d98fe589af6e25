// CPU kernels for binary arithmetic and comparisons (Note [CPU elementwise loops]).
#include "../kernels/functors.h"
#include "ember/core/elementwise_kernels.h"
#include "loops.h"

namespace ember {
namespace {

// Kernels dispatch on the inputs' dtype (operand 1); outputs share it except
// for comparisons (bool) and bool maximum/minimum (computed as uint8).
void add_kernel(TensorIterator& it, const Scalar& alpha) {
  dispatch_all(it.dtype(0), [&]<class T>() {
    using C = detail::compute_t<T>;
    if (alpha.to_double() == 1 && !alpha.is_complex()) {
      cpu::binary_loop<T, T>(it, fn::Add{});
    } else {
      C al = alpha.to<C>();
      cpu::binary_loop<T, T>(it, [al](C a, C b) { return fn::Add{}(a, fn::Mul{}(al, b)); });
    }
  });
}

template <class F>
ElementwiseKernel all_types(F) {
  return [](TensorIterator& it) { dispatch_all(it.dtype(1), [&]<class T>() { cpu::binary_loop<T, T>(it, F{}); }); };
}
template <class F>
ElementwiseKernel numeric_types(F) {
  return [](TensorIterator& it) {
    dispatch_numeric(it.dtype(1), "binary op", [&]<class T>() { cpu::binary_loop<T, T>(it, F{}); });
  };
}
template <class F>
ElementwiseKernel real_types(F) {
  return [](TensorIterator& it) {
    dispatch_real(it.dtype(1), "binary op", [&]<class T>() { cpu::binary_loop<T, T>(it, F{}); });
  };
}
// Comparisons write bool; inputs have the compared dtype (operand 1).
template <class F>
ElementwiseKernel equality_compare(F) {
  return [](TensorIterator& it) { dispatch_all(it.dtype(1), [&]<class T>() { cpu::binary_loop<bool, T>(it, F{}); }); };
}
template <class F>
ElementwiseKernel ordered_compare(F) {
  return [](TensorIterator& it) {
    // bool orders as its 0/1 byte, so it shares the uint8 instantiation.
    DType t = it.dtype(1) == DType::Bool ? DType::UInt8 : it.dtype(1);
    dispatch_real(t, "comparison", [&]<class T>() { cpu::binary_loop<bool, T>(it, F{}); });
  };
}

void true_div_kernel(TensorIterator& it) {
  dispatch_floating_complex(it.dtype(0), "div", [&]<class T>() { cpu::binary_loop<T, T>(it, fn::TrueDiv{}); });
}

}  // namespace

EMBER_REGISTER_KERNEL(add_stub, CPU, &add_kernel);
EMBER_REGISTER_KERNEL(mul_stub, CPU, all_types(fn::Mul{}));
EMBER_REGISTER_KERNEL(div_true_stub, CPU, &true_div_kernel);
EMBER_REGISTER_KERNEL(div_floor_stub, CPU, real_types(fn::FloorDiv{}));
EMBER_REGISTER_KERNEL(div_trunc_stub, CPU, real_types(fn::TruncDiv{}));
EMBER_REGISTER_KERNEL(remainder_stub, CPU, real_types(fn::Remainder{}));
EMBER_REGISTER_KERNEL(pow_stub, CPU, numeric_types(fn::Pow{}));
EMBER_REGISTER_KERNEL(maximum_stub, CPU, real_types(fn::Maximum{}));
EMBER_REGISTER_KERNEL(minimum_stub, CPU, real_types(fn::Minimum{}));
EMBER_REGISTER_KERNEL(eq_stub, CPU, equality_compare(fn::Eq{}));
EMBER_REGISTER_KERNEL(ne_stub, CPU, equality_compare(fn::Ne{}));
EMBER_REGISTER_KERNEL(lt_stub, CPU, ordered_compare(fn::Lt{}));
EMBER_REGISTER_KERNEL(le_stub, CPU, ordered_compare(fn::Le{}));
EMBER_REGISTER_KERNEL(gt_stub, CPU, ordered_compare(fn::Gt{}));
EMBER_REGISTER_KERNEL(ge_stub, CPU, ordered_compare(fn::Ge{}));

}  // namespace ember
