// copy_, fill_, clone, contiguous, to, item, detach: the ops that move or
// convert data, and the allocation of new tensors.
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include <algorithm>

#include "ember/core/kernels.h"
#include "ember/core/tensor.h"
#include "ember/ops/views.h"

namespace ember {

namespace {
// Bytes for `elements` elements of dt; throws instead of wrapping around
// (2**62 float32 elements would otherwise ask for 0 bytes).
size_t storage_nbytes(int64_t elements, DType dt, const DimVector& sizes, const char* op) {
  int64_t nbytes = 0;
  EMBER_CHECK(!__builtin_mul_overflow(elements, itemsize(dt), &nbytes), RuntimeError, "[", op,
              "] Storage size calculation overflowed with sizes=", sizes);
  return static_cast<size_t>(nbytes);
}
}  // namespace

Tensor empty(const DimVector& sizes, const TensorOptions& opts) {
  int64_t n = checked_numel(sizes, "empty");
  DType dt = opts.dtype_or_default();
  Storage st = new_storage(storage_nbytes(n, dt, sizes, "empty"), opts.device_);
  Tensor t(make_intrusive<TensorImpl>(std::move(st), dt, sizes, contiguous_strides(sizes), 0));
  if (opts.requires_grad_) t.set_requires_grad(true);
  return t;
}

Tensor empty_strided(const DimVector& sizes, const DimVector& strides, const TensorOptions& opts) {
  EMBER_CHECK(sizes.size() == strides.size(), RuntimeError,
              "[empty_strided] mismatch in length of strides and shape: ", sizes, " vs ", strides);
  int64_t n = checked_numel(sizes, "empty_strided");
  int64_t extent = n == 0 ? 0 : 1;  // elements needed to hold the largest index
  bool overflow = false;
  for (size_t i = 0; i < sizes.size(); ++i) {
    EMBER_CHECK(strides[i] >= 0, RuntimeError, "[empty_strided] negative strides are not supported: ",
                strides);
    int64_t span = 0;
    if (n != 0) {
      overflow = overflow || __builtin_mul_overflow(sizes[i] - 1, strides[i], &span) ||
                 __builtin_add_overflow(extent, span, &extent);
    }
  }
  EMBER_CHECK(!overflow, RuntimeError, "[empty_strided] Storage size calculation overflowed with sizes=",
              sizes, " and strides=", strides);
  DType dt = opts.dtype_or_default();
  Storage st = new_storage(storage_nbytes(extent, dt, sizes, "empty_strided"), opts.device_);
  Tensor t(make_intrusive<TensorImpl>(std::move(st), dt, sizes, strides, 0));
  if (opts.requires_grad_) t.set_requires_grad(true);
  return t;
}

namespace {
// True when some element of t is reachable by two different indices.
bool has_internal_overlap(const Tensor& t) {
  if (t.numel() == 0) return false;  // nothing is written
  for (int64_t d = 0; d < t.dim(); ++d) {
    if (t.sizes()[d] > 1 && t.strides()[d] == 0) return true;
  }
  return false;
}

// Byte range [lo, hi) that t's elements occupy.
std::pair<const char*, const char*> memory_range(const Tensor& t) {
  const char* lo = static_cast<const char*>(t.data_ptr());
  int64_t extent = 0;
  for (int64_t d = 0; d < t.dim(); ++d) extent += (t.sizes()[d] - 1) * t.strides()[d];
  return {lo, lo + (extent + 1) * t.element_size()};
}

bool may_overlap(const Tensor& a, const Tensor& b) {
  if (a.numel() == 0 || b.numel() == 0 || a.storage() != b.storage()) return false;
  auto [alo, ahi] = memory_range(a);
  auto [blo, bhi] = memory_range(b);
  return alo < bhi && blo < ahi;
}
}  // namespace

namespace {
// copy_ without the version bump, for tensors just allocated (clone, to):
// new tensors start at version 0, as in PyTorch.
void copy_data(const Tensor& dst, const Tensor& src) {
  EMBER_CHECK(dst.defined() && src.defined(), RuntimeError, "[copy_] undefined tensor");
  EMBER_CHECK(!has_internal_overlap(dst), RuntimeError,
              "[copy_] unsupported operation: more than one element of the written-to tensor refers "
              "to a single memory location. Please clone() the tensor before performing the operation.");
  Tensor cloned;
  const bool clone = may_overlap(dst, src) && !(dst.data_ptr() == src.data_ptr() && dst.sizes() == src.sizes() &&
                                                dst.strides() == src.strides() && dst.dtype() == src.dtype());
  const Tensor& source = clone ? (cloned = src.clone()) : src;  // read everything before anything is written
  EMBER_CHECK(dst.device() == source.device() || (dst.is_cpu() && source.is_cpu()), NotImplementedError,
              "[copy_] copying between ", source.device().str(), " and ", dst.device().str(),
              " is not supported yet");
  TensorIterator it;
  it.add_borrowed_output(dst).add_borrowed_input(source).build("copy_");
  copy_stub(dst.device().type)(it);
}
}  // namespace

Tensor& Tensor::copy_(const Tensor& src) {
  if (is_same(src)) return *this;
  if (autograd::inplace_needs_grad(*this, {src})) {
    return autograd::apply_inplace(*this, [&](const Tensor&) {
      return src.to(device(), dtype()).expand(sizes());
    }, /*uses_self_value=*/false);
  }
  copy_data(*this, src);
  bump_version();
  return *this;
}

Tensor& Tensor::fill_(const Scalar& value) {
  EMBER_CHECK(defined(), RuntimeError, "[fill_] undefined tensor");
  if (value.is_complex() && !ember::is_complex(dtype())) {
    auto c = value.to_complex();
    EMBER_CHECK(c.imag() == 0, TypeError, "[fill_] cannot fill a tensor of dtype ", dtype_name(dtype()),
                " with the complex value ", value);
  }
  if (autograd::inplace_needs_grad(*this)) {
    return autograd::apply_inplace(*this, [&](const Tensor&) { return full(sizes(), value, options()); },
                                   /*uses_self_value=*/false);
  }
  TensorIterator it;
  it.add_output(*this).build("fill_");
  fill_stub(device().type)(it, value);
  bump_version();
  return *this;
}

Tensor Tensor::clone() const {
  Tensor out = empty(sizes(), options());
  copy_data(out, *this);
  autograd::record("CloneBackward0", {*this}, out, [] {
    return [](autograd::BackwardCtx& ctx) { return autograd::variable_list{ctx.grad()}; };
  });
  return out;
}

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }

Tensor Tensor::detach() const {
  return Tensor(make_intrusive<TensorImpl>(storage(), dtype(), sizes(), strides(), storage_offset()));
}

Tensor Tensor::to(DType dt, bool copy) const { return to(device(), dt, copy); }

Tensor Tensor::to(Device dev, bool copy) const { return to(dev, dtype(), copy); }

Tensor Tensor::to(Device dev, DType dt, bool copy) const {
  if (dev.type == DeviceType::CUDA && dev.index < 0) dev.index = 0;
  if (!copy && dt == dtype() && dev == device()) return *this;
  Tensor out = empty(sizes(), TensorOptions(dt).device(dev));
  copy_data(out, *this);
  autograd::record("ToCopyBackward0", {*this}, out, [&] {
    return [dev = device()](autograd::BackwardCtx& ctx) { return autograd::variable_list{ctx.grad().to(dev)}; };
  });
  return out;
}

Scalar Tensor::item() const {
  EMBER_CHECK(numel() == 1, RuntimeError, "a Tensor with ", numel(),
              " elements cannot be converted to Scalar");
  Tensor c = is_cpu() ? *this : cpu();
  return dispatch_all(dtype(), [&]<class T>() -> Scalar {
    T v = *static_cast<const T*>(c.data_ptr());
    if constexpr (std::is_same_v<T, bool>) {
      return Scalar(v);
    } else if constexpr (std::is_integral_v<T>) {
      return Scalar(static_cast<int64_t>(v));
    } else if constexpr (detail::is_complex_v<T>) {
      return Scalar(std::complex<double>(v));
    } else {
      return Scalar(static_cast<double>(v));
    }
  });
}

}  // namespace ember
