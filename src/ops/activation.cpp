// Elementwise activations and their backward ops (ATen's names and
// arguments). The math is in src/kernels/activation_functors.h; the forward
// ops run on (out, x), the backward ops on (grad_input, grad_output, x).
#include "ember/core/nn_kernels.h"
#include "ember/ops/nn.h"
#include "unary_common.h"

namespace ember {

using namespace unary_detail;

namespace {

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

void check_floating(const char* op, const Tensor& x) {
  EMBER_CHECK(x.is_floating_point(), TypeError, "[", op, "] expected a floating point input, but got dtype ",
              dtype_name(x.dtype()));
}

Tensor act(const char* op, const DispatchStub<ActivationKernel>& stub, const Tensor& x, double a = 0, double b = 0,
           double c = 0) {
  check_floating(op, x);
  return unary(op, stub, x, x.dtype(), x.dtype(), a, b, c);
}
Tensor& act_(const char* op, const DispatchStub<ActivationKernel>& stub, Tensor& x, double a = 0, double b = 0,
             double c = 0) {
  check_floating(op, x);
  return unary_(op, stub, x, x.dtype(), a, b, c);
}

Tensor act_backward(const char* op, const DispatchStub<ActivationKernel>& stub, const Tensor& grad,
                    const Tensor& x, double a = 0, double b = 0, double c = 0) {
  check_floating(op, x);
  EMBER_CHECK(grad.sizes() == x.sizes(), RuntimeError, "[", op, "] grad_output of size ", grad.sizes(),
              " does not match self of size ", x.sizes());
  EMBER_CHECK(grad.device() == x.device(), RuntimeError, "[", op, "] Expected all tensors to be on the same device, ",
              "but found ", grad.device().str(), " and ", x.device().str());
  Tensor out = empty(x.sizes(), TensorOptions(x.dtype()).device(x.device()));
  TensorIterator it;
  it.add_output(out).add_input(grad.to(x.dtype())).add_input(x).build(op);
  stub(x.device().type)(it, a, b, c);
  return out;
}

bool gelu_tanh(const char* op, std::string_view approximate) {
  EMBER_CHECK(approximate == "none" || approximate == "tanh", ValueError, "[", op,
              "] approximate argument must be either none or tanh, but got '", approximate, "'");
  return approximate == "tanh";
}

void check_hardtanh(const char* op, double lo, double hi) {
  EMBER_CHECK(lo <= hi, ValueError, "[", op, "] min_val cannot be greater than max_val (got min_val=", lo,
              ", max_val=", hi, ")");
}

void check_celu(const char* op, double alpha) {
  EMBER_CHECK(alpha != 0, RuntimeError, "[", op, "] ZeroDivisionError: alpha must be non-zero for celu");
}

// relu is defined on integers too (not bool or complex), as in PyTorch.
void check_relu(const char* op, const Tensor& x) {
  EMBER_CHECK(x.dtype() != DType::Bool && !x.is_complex(), TypeError, "[", op, "] not implemented for dtype ",
              dtype_name(x.dtype()));
}

}  // namespace

Tensor relu(const Tensor& x) {
  check_relu("relu", x);
  return unary("relu", relu_stub, x, x.dtype(), x.dtype(), 0.0, 0.0, 0.0);
}
Tensor& relu_(Tensor& x) {
  check_relu("relu_", x);
  return unary_("relu_", relu_stub, x, x.dtype(), 0.0, 0.0, 0.0);
}
Tensor relu6(const Tensor& x) { return act("relu6", hardtanh_stub, x, 0.0, 6.0); }
Tensor& relu6_(Tensor& x) { return act_("relu6_", hardtanh_stub, x, 0.0, 6.0); }
Tensor threshold(const Tensor& x, double th, double value) { return act("threshold", threshold_stub, x, th, value); }
Tensor& threshold_(Tensor& x, double th, double value) { return act_("threshold_", threshold_stub, x, th, value); }
Tensor hardtanh(const Tensor& x, double lo, double hi) {
  check_hardtanh("hardtanh", lo, hi);
  return act("hardtanh", hardtanh_stub, x, lo, hi);
}
Tensor& hardtanh_(Tensor& x, double lo, double hi) {
  check_hardtanh("hardtanh_", lo, hi);
  return act_("hardtanh_", hardtanh_stub, x, lo, hi);
}
Tensor leaky_relu(const Tensor& x, double slope) { return act("leaky_relu", leaky_relu_stub, x, slope); }
Tensor& leaky_relu_(Tensor& x, double slope) { return act_("leaky_relu_", leaky_relu_stub, x, slope); }
Tensor elu(const Tensor& x, double alpha, double scale, double input_scale) {
  return act("elu", elu_stub, x, alpha, scale, input_scale);
}
Tensor& elu_(Tensor& x, double alpha, double scale, double input_scale) {
  return act_("elu_", elu_stub, x, alpha, scale, input_scale);
}
Tensor selu(const Tensor& x) { return act("selu", elu_stub, x, kSeluAlpha, kSeluScale, 1.0); }
Tensor& selu_(Tensor& x) { return act_("selu_", elu_stub, x, kSeluAlpha, kSeluScale, 1.0); }
Tensor celu(const Tensor& x, double alpha) {
  check_celu("celu", alpha);
  return act("celu", elu_stub, x, alpha, 1.0, 1.0 / alpha);
}
Tensor& celu_(Tensor& x, double alpha) {
  check_celu("celu_", alpha);
  return act_("celu_", elu_stub, x, alpha, 1.0, 1.0 / alpha);
}
Tensor gelu(const Tensor& x, std::string_view approximate) {
  return act("gelu", gelu_stub, x, gelu_tanh("gelu", approximate) ? 1.0 : 0.0);
}
Tensor silu(const Tensor& x) { return act("silu", silu_stub, x); }
Tensor& silu_(Tensor& x) { return act_("silu_", silu_stub, x); }
Tensor mish(const Tensor& x) { return act("mish", mish_stub, x); }
Tensor& mish_(Tensor& x) { return act_("mish_", mish_stub, x); }
Tensor softplus(const Tensor& x, double beta, double th) { return act("softplus", softplus_stub, x, beta, th); }
Tensor hardsigmoid(const Tensor& x) { return act("hardsigmoid", hardsigmoid_stub, x); }
Tensor& hardsigmoid_(Tensor& x) { return act_("hardsigmoid_", hardsigmoid_stub, x); }
Tensor hardswish(const Tensor& x) { return act("hardswish", hardswish_stub, x); }
Tensor& hardswish_(Tensor& x) { return act_("hardswish_", hardswish_stub, x); }
Tensor softsign(const Tensor& x) { return act("softsign", softsign_stub, x); }
Tensor hardshrink(const Tensor& x, double lambd) { return act("hardshrink", hardshrink_stub, x, lambd); }
Tensor softshrink(const Tensor& x, double lambd) {
  EMBER_CHECK(lambd >= 0, RuntimeError, "[softshrink] lambda must be greater or equal to 0, but found to be ", lambd,
              ".");
  return act("softshrink", softshrink_stub, x, lambd);
}
Tensor log_sigmoid(const Tensor& x) { return act("log_sigmoid", log_sigmoid_stub, x); }

// ---- backward

Tensor threshold_backward(const Tensor& grad_output, const Tensor& self, double th) {
  return act_backward("threshold_backward", threshold_backward_stub, grad_output, self, th);
}
Tensor hardtanh_backward(const Tensor& grad_output, const Tensor& self, double lo, double hi) {
  return act_backward("hardtanh_backward", hardtanh_backward_stub, grad_output, self, lo, hi);
}
// slope * grad where x <= 0: the same whether self is the input or the
// result when the slope is non-negative (result and input share signs).
Tensor leaky_relu_backward(const Tensor& grad_output, const Tensor& self, double slope, bool self_is_result) {
  EMBER_CHECK(!self_is_result || slope >= 0.0, RuntimeError, "[leaky_relu_backward] In-place leakyReLu backward ",
              "calculation is triggered with a negative slope which is not supported. This is caused by calling ",
              "in-place forward function with a negative slope, please call out-of-place version instead.");
  return act_backward("leaky_relu_backward", leaky_relu_backward_stub, grad_output, self, slope);
}
Tensor elu_backward(const Tensor& grad_output, double alpha, double scale, double input_scale, bool is_result,
                    const Tensor& self_or_result) {
  if (is_result) {
    EMBER_CHECK(alpha >= 0.0, RuntimeError, "[elu_backward] In-place elu backward calculation is triggered with a ",
                "negative slope which is not supported. This is caused by calling in-place forward function with a ",
                "negative slope, please call out-of-place version instead.");
    return act_backward("elu_backward", elu_backward_result_stub, grad_output, self_or_result, alpha, scale,
                        input_scale);
  }
  return act_backward("elu_backward", elu_backward_stub, grad_output, self_or_result, alpha, scale, input_scale);
}
Tensor gelu_backward(const Tensor& grad_output, const Tensor& self, std::string_view approximate) {
  bool tanh = gelu_tanh("gelu_backward", approximate);
  return act_backward("gelu_backward", gelu_backward_stub, grad_output, self, tanh ? 1.0 : 0.0);
}
Tensor silu_backward(const Tensor& grad_output, const Tensor& self) {
  return act_backward("silu_backward", silu_backward_stub, grad_output, self);
}
Tensor mish_backward(const Tensor& grad_output, const Tensor& self) {
  return act_backward("mish_backward", mish_backward_stub, grad_output, self);
}
Tensor softplus_backward(const Tensor& grad_output, const Tensor& self, double beta, double th) {
  return act_backward("softplus_backward", softplus_backward_stub, grad_output, self, beta, th);
}
Tensor hardsigmoid_backward(const Tensor& grad_output, const Tensor& self) {
  return act_backward("hardsigmoid_backward", hardsigmoid_backward_stub, grad_output, self);
}
Tensor hardswish_backward(const Tensor& grad_output, const Tensor& self) {
  return act_backward("hardswish_backward", hardswish_backward_stub, grad_output, self);
}
Tensor softsign_backward(const Tensor& grad_output, const Tensor& self) {
  return act_backward("softsign_backward", softsign_backward_stub, grad_output, self);
}
Tensor hardshrink_backward(const Tensor& grad_output, const Tensor& self, double lambd) {
  return act_backward("hardshrink_backward", shrink_backward_stub, grad_output, self, lambd);
}
Tensor softshrink_backward(const Tensor& grad_output, const Tensor& self, double lambd) {
  return act_backward("softshrink_backward", shrink_backward_stub, grad_output, self, lambd);
}
Tensor log_sigmoid_backward(const Tensor& grad_output, const Tensor& self) {
  return act_backward("log_sigmoid_backward", log_sigmoid_backward_stub, grad_output, self);
}

}  // namespace ember
