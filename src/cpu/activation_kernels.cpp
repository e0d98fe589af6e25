// CPU kernels of the activations and their backwards: each wraps its functor
// (src/kernels/activation_functors.h) in the elementwise drivers of loops.h.
// relu also takes integer dtypes; the others are floating only.
#include "../kernels/activation_functors.h"
#include "ember/core/nn_kernels.h"
#include "loops.h"

namespace ember {
namespace {

template <class F>
void forward(TensorIterator& it, const char* op, F f) {
  dispatch_floating(it.dtype(0), op, [&]<class T>() { cpu::unary_loop<T, T>(it, f); });
}
// Operands (grad_in, grad_out, x), all of one floating dtype.
template <class F>
void backward(TensorIterator& it, const char* op, F f) {
  dispatch_floating(it.dtype(0), op, [&]<class T>() { cpu::binary_loop<T, T>(it, f); });
}

void relu_kernel(TensorIterator& it, double, double, double) {
  dispatch_real(it.dtype(0), "relu", [&]<class T>() { cpu::unary_loop<T, T>(it, fn::Relu{}); });
}
void threshold_kernel(TensorIterator& it, double a, double b, double) { forward(it, "threshold", fn::Threshold{a, b}); }
void hardtanh_kernel(TensorIterator& it, double a, double b, double) { forward(it, "hardtanh", fn::Hardtanh{a, b}); }
void leaky_relu_kernel(TensorIterator& it, double a, double, double) { forward(it, "leaky_relu", fn::LeakyRelu{a}); }
void elu_kernel(TensorIterator& it, double a, double b, double c) { forward(it, "elu", fn::Elu{a, b, c}); }
void gelu_kernel(TensorIterator& it, double a, double, double) { forward(it, "gelu", fn::Gelu{a != 0}); }
void silu_kernel(TensorIterator& it, double, double, double) { forward(it, "silu", fn::Silu{}); }
void mish_kernel(TensorIterator& it, double, double, double) { forward(it, "mish", fn::Mish{}); }
void softplus_kernel(TensorIterator& it, double a, double b, double) { forward(it, "softplus", fn::Softplus{a, b}); }
void hardsigmoid_kernel(TensorIterator& it, double, double, double) { forward(it, "hardsigmoid", fn::Hardsigmoid{}); }
void hardswish_kernel(TensorIterator& it, double, double, double) { forward(it, "hardswish", fn::Hardswish{}); }
void softsign_kernel(TensorIterator& it, double, double, double) { forward(it, "softsign", fn::Softsign{}); }
void hardshrink_kernel(TensorIterator& it, double a, double, double) { forward(it, "hardshrink", fn::Hardshrink{a}); }
void softshrink_kernel(TensorIterator& it, double a, double, double) { forward(it, "softshrink", fn::Softshrink{a}); }
void log_sigmoid_kernel(TensorIterator& it, double, double, double) { forward(it, "log_sigmoid", fn::LogSigmoid{}); }

void threshold_backward_kernel(TensorIterator& it, double a, double, double) {
  backward(it, "threshold_backward", fn::ThresholdBackward{a});
}
void hardtanh_backward_kernel(TensorIterator& it, double a, double b, double) {
  backward(it, "hardtanh_backward", fn::HardtanhBackward{a, b});
}
void leaky_relu_backward_kernel(TensorIterator& it, double a, double, double) {
  backward(it, "leaky_relu_backward", fn::LeakyReluBackward{a});
}
void elu_backward_kernel(TensorIterator& it, double a, double b, double c) {
  backward(it, "elu_backward", fn::EluBackward{a, b, c});
}
void elu_backward_result_kernel(TensorIterator& it, double a, double b, double c) {
  backward(it, "elu_backward", fn::EluBackwardFromResult{a, b, c});
}
void gelu_backward_kernel(TensorIterator& it, double a, double, double) {
  backward(it, "gelu_backward", fn::GeluBackward{a != 0});
}
void silu_backward_kernel(TensorIterator& it, double, double, double) { backward(it, "silu_backward", fn::SiluBackward{}); }
void mish_backward_kernel(TensorIterator& it, double, double, double) { backward(it, "mish_backward", fn::MishBackward{}); }
void softplus_backward_kernel(TensorIterator& it, double a, double b, double) {
  backward(it, "softplus_backward", fn::SoftplusBackward{a, b});
}
void hardsigmoid_backward_kernel(TensorIterator& it, double, double, double) {
  backward(it, "hardsigmoid_backward", fn::HardsigmoidBackward{});
}
void hardswish_backward_kernel(TensorIterator& it, double, double, double) {
  backward(it, "hardswish_backward", fn::HardswishBackward{});
}
void softsign_backward_kernel(TensorIterator& it, double, double, double) {
  backward(it, "softsign_backward", fn::SoftsignBackward{});
}
void shrink_backward_kernel(TensorIterator& it, double a, double, double) {
  backward(it, "shrink_backward", fn::ShrinkBackward{a});
}
void log_sigmoid_backward_kernel(TensorIterator& it, double, double, double) {
  backward(it, "log_sigmoid_backward", fn::LogSigmoidBackward{});
}

}  // namespace

EMBER_REGISTER_KERNEL(relu_stub, CPU, &relu_kernel);
EMBER_REGISTER_KERNEL(threshold_stub, CPU, &threshold_kernel);
EMBER_REGISTER_KERNEL(hardtanh_stub, CPU, &hardtanh_kernel);
EMBER_REGISTER_KERNEL(leaky_relu_stub, CPU, &leaky_relu_kernel);
EMBER_REGISTER_KERNEL(elu_stub, CPU, &elu_kernel);
EMBER_REGISTER_KERNEL(gelu_stub, CPU, &gelu_kernel);
EMBER_REGISTER_KERNEL(silu_stub, CPU, &silu_kernel);
EMBER_REGISTER_KERNEL(mish_stub, CPU, &mish_kernel);
EMBER_REGISTER_KERNEL(softplus_stub, CPU, &softplus_kernel);
EMBER_REGISTER_KERNEL(hardsigmoid_stub, CPU, &hardsigmoid_kernel);
EMBER_REGISTER_KERNEL(hardswish_stub, CPU, &hardswish_kernel);
EMBER_REGISTER_KERNEL(softsign_stub, CPU, &softsign_kernel);
EMBER_REGISTER_KERNEL(threshold_backward_stub, CPU, &threshold_backward_kernel);
EMBER_REGISTER_KERNEL(hardtanh_backward_stub, CPU, &hardtanh_backward_kernel);
EMBER_REGISTER_KERNEL(leaky_relu_backward_stub, CPU, &leaky_relu_backward_kernel);
EMBER_REGISTER_KERNEL(elu_backward_stub, CPU, &elu_backward_kernel);
EMBER_REGISTER_KERNEL(elu_backward_result_stub, CPU, &elu_backward_result_kernel);
EMBER_REGISTER_KERNEL(gelu_backward_stub, CPU, &gelu_backward_kernel);
EMBER_REGISTER_KERNEL(silu_backward_stub, CPU, &silu_backward_kernel);
EMBER_REGISTER_KERNEL(mish_backward_stub, CPU, &mish_backward_kernel);
EMBER_REGISTER_KERNEL(softplus_backward_stub, CPU, &softplus_backward_kernel);
EMBER_REGISTER_KERNEL(hardsigmoid_backward_stub, CPU, &hardsigmoid_backward_kernel);
EMBER_REGISTER_KERNEL(hardswish_backward_stub, CPU, &hardswish_backward_kernel);
EMBER_REGISTER_KERNEL(softsign_backward_stub, CPU, &softsign_backward_kernel);
EMBER_REGISTER_KERNEL(hardshrink_stub, CPU, &hardshrink_kernel);
EMBER_REGISTER_KERNEL(softshrink_stub, CPU, &softshrink_kernel);
EMBER_REGISTER_KERNEL(log_sigmoid_stub, CPU, &log_sigmoid_kernel);
EMBER_REGISTER_KERNEL(shrink_backward_stub, CPU, &shrink_backward_kernel);
EMBER_REGISTER_KERNEL(log_sigmoid_backward_stub, CPU, &log_sigmoid_backward_kernel);

}  // namespace ember
