#pragma once
// Shared by the binary and ternary op files (private to src/ops): promotion
// of two operands, the common device, and the out-of-place and in-place
// drivers that allocate, build a TensorIterator and call a kernel.
//
// Note [Per-call overhead]
// A tiny op (`a + b` on one-element tensors) is all overhead, and must cost
// no more than NumPy's (issue 3). Measured with callgrind and perf on this
// path, the cost was Python's generic operator dispatch, the general
// iterator build, heap traffic, and above all locked atomic instructions
// (~10 ns each on these machines; the path had 18). What a call does now:
//   1. CPython calls Tensor's nb_add slot directly (Note [Operator slots],
//      python/src/operators.cpp); the result goes into a pooled instance.
//   2. Operands refer to the caller's tensors (Note [Operand references]);
//      a Python number is a reused per-thread 0-dim tensor, converted to the
//      compute dtype without the copy kernel (Note [Wrapped numbers]).
//   3. binary() below allocates the output with empty() when the inputs are
//      contiguous and of one shape or one element (trivial_broadcast), and
//      the iterator borrows its operands and takes the shortcut of Note
//      [Trivial iteration]; a one-dim run goes straight to the kernel's loop
//      (never near the thread pool below kGrainSize).
//   4. autograd::record reads requires_grad through references and builds
//      nothing unless an input requires grad (record.h).
//   5. New TensorImpl/StorageImpl objects start at refcount 1 and the last
//      owner frees without a locked decrement (Note [Refcount atomics]); the
//      allocator indexes its free lists by size class under a spin lock
//      (Note [CPU caching allocator]).
// A tiny op now makes two locked instructions (the allocator's lock taken
// for the output and for its release). Anything unusual (casts, broadcasts,
// strided operands, other devices) takes the general path, which the fast
// one must match exactly: tests/cpp/test_fast_paths.cpp and
// tests/python/test_fast_paths.py compare the two.
#include "ember/core/elementwise_kernels.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/type_promotion.h"

namespace ember::elementwise {

inline DType promote(const Operand& a, const Operand& b) {
  ResultTypeState st;
  st.add(a.tensor, a.wrapped_number);
  st.add(b.tensor, b.wrapped_number);
  return st.result();
}

inline Device common_device(const char* op, const Tensor& a, const Tensor& b) {
  // A 0-dim CPU tensor may join tensors on another device, as in PyTorch.
  if (a.device() == b.device()) return a.device();
  if (b.dim() == 0 && b.is_cpu()) return a.device();
  if (a.dim() == 0 && a.is_cpu()) return b.device();
  EMBER_THROW(RuntimeError, "[", op, "] Expected all tensors to be on the same device, but found at least two devices, ",
              a.device().str(), " and ", b.device().str(), "!");
}

template <class Kernel, class... Extra>
inline void run(const char* op, const DispatchStub<Kernel>& stub, const Tensor& out, const Tensor& x, const Tensor& y,
         const Extra&... extra) {
  TensorIterator it;
  it.add_borrowed_output(out).add_borrowed_input(x).add_borrowed_input(y).build(op);
  stub(out.device().type)(it, extra...);
}

// A 0-dim CPU tensor holding s in dtype, reused across calls (Note
// [Wrapped numbers] in binary.cpp); what Operand(Scalar) holds.
Tensor wrapped_scalar(const Scalar& s, DType dtype);

// The operand as a tensor of `dtype` on `dev`: the operand's own tensor
// when it already is one (no handle copy), a reused 0-dim tensor for a
// Python number, else a converted copy; `holder` keeps what is made.
inline const Tensor& converted(const Operand& o, Device dev, DType dtype, Tensor& holder) {
  const Tensor& t = o.tensor;
  if (t.dtype() == dtype && t.device() == dev) return t;
  if (o.wrapped_number && dev.is_cpu() && t.is_cpu()) holder = wrapped_scalar(t.item(), dtype);
  else holder = t.to(dev, dtype);
  return holder;
}

// The output shape when x and y are contiguous and either have the same
// shape or one holds a single element that broadcasts (the cases of Note
// [Trivial iteration]); nullptr otherwise.
inline const DimVector* trivial_broadcast(const Tensor& x, const Tensor& y) {
  if (!x.is_contiguous() || !y.is_contiguous()) return nullptr;
  if (y.numel() == 1 && y.dim() <= x.dim()) return &x.sizes();
  if (x.numel() == 1 && x.dim() <= y.dim()) return &y.sizes();
  return x.sizes() == y.sizes() ? &x.sizes() : nullptr;
}

// Computes op(a, b) in dtype `compute` into a new tensor of dtype `out_dtype`.
template <class Kernel, class... Extra>
inline Tensor binary(const char* op, const DispatchStub<Kernel>& stub, const Operand& a, const Operand& b, DType compute,
              DType out_dtype, const Extra&... extra) {
  Device dev = common_device(op, a.tensor, b.tensor);
  Tensor xc, yc;
  const Tensor& x = converted(a, dev, compute, xc);
  const Tensor& y = converted(b, dev, compute, yc);
  const TensorOptions opts = TensorOptions(out_dtype).device(dev);
  Tensor out;
  if (const DimVector* shape = trivial_broadcast(x, y)) out = empty(*shape, opts);
  else out = empty_like_inputs(broadcast_shapes(x.sizes(), y.sizes(), op), opts, {&x, &y});  // Note [Output layout]
  run(op, stub, out, x, y, extra...);
  return out;
}

// An input that shares memory with the output of an in-place op, other than
// as the very same view, is copied first: x.add_(x.t()) would otherwise read
// elements it has already overwritten.
inline Tensor detach_overlap(const Tensor& self, const Tensor& input) {
  if (input.storage().get() != self.storage().get()) return input;
  if (input.sizes() == self.sizes() && input.strides() == self.strides() &&
      input.storage_offset() == self.storage_offset())
    return input;
  return input.clone();
}

// In place: self = op(self, other), with PyTorch's rules on shape and dtype.
template <class Kernel, class... Extra>
inline Tensor& binary_(const char* op, const DispatchStub<Kernel>& stub, Tensor& self, const Operand& other, DType compute,
                const Extra&... extra) {
  EMBER_CHECK(can_cast(compute, self.dtype()), RuntimeError, "[", op, "] result type ", dtype_name(compute),
              " can't be cast to the desired output type ", dtype_name(self.dtype()));
  Device dev = common_device(op, self, other.tensor);
  Tensor yc;
  const Tensor& y0 = converted(other, dev, compute, yc);
  const Tensor& y = y0.storage().get() == self.storage().get() ? (yc = detach_overlap(self, y0)) : y0;
  if (trivial_broadcast(self, y) != &self.sizes()) {
    DimVector shape = broadcast_shapes(self.sizes(), y.sizes(), op);
    EMBER_CHECK(shape == self.sizes(), RuntimeError, "[", op, "] output with shape ", self.sizes(),
                " doesn't match the broadcast shape ", shape);
  }
  if (compute == self.dtype()) {
    run(op, stub, self, self, y, extra...);
  } else {
    Tensor x = self.to(compute);
    run(op, stub, x, x, y, extra...);
    self.copy_(x);
  }
  self.bump_version();
  return self;
}

}  // namespace ember::elementwise
