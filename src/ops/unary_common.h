#pragma once
// Shared helpers of the unary op files (unary*.cpp): run a kernel stub over
// (out, in), allocate the output, write in place.
#include "ember/core/tensor_iterator.h"
#include "ember/core/unary_kernels.h"
#include "ember/ops/type_promotion.h"
#include "ember/ops/unary.h"

namespace ember::unary_detail {

template <class Kernel, class... Extra>
void run(const char* op, const DispatchStub<Kernel>& stub, const Tensor& out, const Tensor& in,
         const Extra&... extra) {
  TensorIterator it;
  it.add_borrowed_output(out).add_borrowed_input(in).build(op);
  stub(in.device().type)(it, extra...);
}

// out = f(a) with a converted to `compute` and out of dtype out_dtype.
template <class Kernel, class... Extra>
Tensor unary(const char* op, const DispatchStub<Kernel>& stub, const Tensor& a, DType compute, DType out_dtype,
             const Extra&... extra) {
  Tensor converted;
  const Tensor& x = a.dtype() == compute ? a : (converted = a.to(compute));
  Tensor out = x.is_contiguous() ? empty(a.sizes(), TensorOptions(out_dtype).device(a.device()))
                                 : empty_like_inputs(a.sizes(), TensorOptions(out_dtype).device(a.device()), {&x});  // Note [Output layout]
  run(op, stub, out, x, extra...);
  return out;
}

// self = f(self) where f keeps the compute dtype: runs in place when self
// already has it, else computes aside and casts back as PyTorch allows.
template <class Kernel, class... Extra>
Tensor& unary_(const char* op, const DispatchStub<Kernel>& stub, Tensor& self, DType compute,
               const Extra&... extra) {
  EMBER_CHECK(can_cast(compute, self.dtype()), RuntimeError, "[", op, "] result type ", dtype_name(compute),
              " can't be cast to the desired output type ", dtype_name(self.dtype()));
  if (compute == self.dtype()) {
    run(op, stub, self, self, extra...);
  } else {
    Tensor x = self.to(compute);
    run(op, stub, x, x, extra...);
    self.copy_(x);
  }
  self.bump_version();
  return self;
}

// Integer and bool inputs of floating functions compute in the default dtype.
inline DType floating_dtype(DType t) { return is_integral(t, true) ? get_default_dtype() : t; }

// Functions of real numbers only (erf, floor ...): complex is a TypeError.
inline void check_not_complex(const char* op, const Tensor& a) {
  EMBER_CHECK(!a.is_complex(), TypeError, "[", op, "] not implemented for dtype ", dtype_name(a.dtype()));
}

}  // namespace ember::unary_detail
