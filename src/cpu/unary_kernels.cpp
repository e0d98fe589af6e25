// CPU kernels for unary elementwise ops (Note [CPU elementwise loops]).
#include "../kernels/unary_functors.h"
#include "ember/core/unary_kernels.h"
#include "loops.h"

namespace ember {
namespace {

template <class F>
ElementwiseKernel floating_complex(F) {
  return [](TensorIterator& it) {
    dispatch_floating_complex(it.dtype(0), "unary op", [&]<class T>() { cpu::unary_loop<T, T>(it, F{}); });
  };
}

void neg_kernel(TensorIterator& it) {
  dispatch_numeric(it.dtype(0), "neg", [&]<class T>() { cpu::unary_loop<T, T>(it, fn::Neg{}); });
}

// abs of a complex tensor is real: the output is operand 0 with the real dtype.
void abs_kernel(TensorIterator& it) {
  dispatch_numeric(it.dtype(1), "abs", [&]<class T>() {
    using Out = std::conditional_t<detail::is_complex_v<T>, typename detail::is_complex_t<T>::type, T>;
    cpu::unary_loop<Out, T>(it, fn::Abs{});
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(neg_stub, CPU, &neg_kernel);
EMBER_REGISTER_KERNEL(abs_stub, CPU, &abs_kernel);
EMBER_REGISTER_KERNEL(exp_stub, CPU, floating_complex(fn::Exp{}));
EMBER_REGISTER_KERNEL(log_stub, CPU, floating_complex(fn::Log{}));
EMBER_REGISTER_KERNEL(sqrt_stub, CPU, floating_complex(fn::Sqrt{}));
EMBER_REGISTER_KERNEL(sin_stub, CPU, floating_complex(fn::Sin{}));
EMBER_REGISTER_KERNEL(cos_stub, CPU, floating_complex(fn::Cos{}));
EMBER_REGISTER_KERNEL(tanh_stub, CPU, floating_complex(fn::Tanh{}));
EMBER_REGISTER_KERNEL(sigmoid_stub, CPU, floating_complex(fn::Sigmoid{}));

}  // namespace ember
