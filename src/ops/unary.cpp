// Unary elementwise ops.
#include "ember/core/unary_kernels.h"
#include "ember/ops/elementwise.h"

namespace ember {

namespace {

Tensor unary(const char* op, const DispatchStub<ElementwiseKernel>& stub, const Tensor& a, DType compute,
             DType out_dtype) {
  Tensor x = a.to(compute);
  Tensor out = empty(a.sizes(), TensorOptions(out_dtype).device(a.device()));
  TensorIterator it;
  it.add_output(out).add_input(x).build(op);
  stub(a.device().type)(it);
  return out;
}

// Integer and bool inputs of floating functions compute in the default dtype.
DType floating_dtype(DType t) { return is_integral(t, true) ? get_default_dtype() : t; }

}  // namespace

Tensor neg(const Tensor& a) {
  EMBER_CHECK(a.dtype() != DType::Bool, RuntimeError,
              "[neg] Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
              "mask, use the `~` or `logical_not()` operator instead.");
  return unary("neg", neg_stub, a, a.dtype(), a.dtype());
}

Tensor abs(const Tensor& a) {
  EMBER_CHECK(a.dtype() != DType::Bool, RuntimeError, "[abs] abs is not supported for bool tensors");
  return unary("abs", abs_stub, a, a.dtype(), to_real(a.dtype()));
}

Tensor exp(const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary("exp", exp_stub, a, t, t);
}

Tensor log(const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary("log", log_stub, a, t, t);
}

Tensor sqrt(const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary("sqrt", sqrt_stub, a, t, t);
}

Tensor sin(const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary("sin", sin_stub, a, t, t);
}

Tensor cos(const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary("cos", cos_stub, a, t, t);
}

Tensor tanh(const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary("tanh", tanh_stub, a, t, t);
}

Tensor sigmoid(const Tensor& a) {
  DType t = floating_dtype(a.dtype());
  return unary("sigmoid", sigmoid_stub, a, t, t);
}


}  // namespace ember
