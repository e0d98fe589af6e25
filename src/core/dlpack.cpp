// DLPack export and import (Note [DLPack ownership] in dlpack.h).
#include "ember/core/dlpack.h"

#include <memory>
#include <vector>

namespace ember {

// ---- encodings

DLDevice to_dlpack_device(Device d) {
  if (d.is_cuda()) return DLDevice{kDLCUDA, d.index < 0 ? 0 : d.index};
  return DLDevice{kDLCPU, 0};
}

Device from_dlpack_device(DLDevice d) {
  switch (d.device_type) {
    case kDLCPU:
    case kDLCUDAHost:  // pinned host memory is ordinary memory to the CPU
      return Device(DeviceType::CPU);
    case kDLCUDA:
      EMBER_CHECK(d.device_id >= 0 && d.device_id <= 127, RuntimeError,
                  "[from_dlpack] invalid CUDA device_id ", d.device_id);
      return Device(DeviceType::CUDA, d.device_id);
    default:
      EMBER_THROW(RuntimeError, "[from_dlpack] Unsupported device_type: ",
                  static_cast<int>(d.device_type), " (Ember takes kDLCPU=1, kDLCUDA=2, kDLCUDAHost=3)");
  }
}

DLDataType to_dlpack_dtype(DType t) {
  uint8_t code = kDLFloat;
  if (t == DType::Bool) {
    code = kDLBool;
  } else if (t == DType::UInt8) {
    code = kDLUInt;
  } else if (is_integral(t, /*include_bool=*/false)) {
    code = kDLInt;
  } else if (t == DType::BFloat16) {
    code = kDLBfloat;
  } else if (is_complex(t)) {
    code = kDLComplex;
  }
  return DLDataType{code, static_cast<uint8_t>(itemsize(t) * 8), 1};
}

DType from_dlpack_dtype(DLDataType t) {
  EMBER_CHECK(t.lanes == 1, TypeError, "[from_dlpack] Ember does not support lanes != 1 (got lanes=",
              t.lanes, ")");
  switch (t.code) {
    case kDLBool:
      if (t.bits == 8) return DType::Bool;
      break;
    case kDLUInt:
      if (t.bits == 8) return DType::UInt8;
      break;
    case kDLInt:
      if (t.bits == 8) return DType::Int8;
      if (t.bits == 16) return DType::Int16;
      if (t.bits == 32) return DType::Int32;
      if (t.bits == 64) return DType::Int64;
      break;
    case kDLFloat:
      if (t.bits == 16) return DType::Float16;
      if (t.bits == 32) return DType::Float32;
      if (t.bits == 64) return DType::Float64;
      break;
    case kDLBfloat:
      if (t.bits == 16) return DType::BFloat16;
      break;
    case kDLComplex:
      if (t.bits == 64) return DType::Complex64;
      if (t.bits == 128) return DType::Complex128;
      break;
  }
  EMBER_THROW(TypeError, "[from_dlpack] Unsupported DLPack dtype (code=", static_cast<int>(t.code),
              ", bits=", static_cast<int>(t.bits),
              "); Ember takes bool, uint8, int8/16/32/64, float16/32/64, bfloat16, complex64/128");
}

// ---- export

namespace {

// Owns what the DLTensor points at: the storage (kept alive) and the shape
// and strides arrays. The managed struct lives inside it, so one delete
// releases everything.
template <class Managed>
struct ExportContext {
  Storage storage;
  std::vector<int64_t> dims;  // ndim sizes, then ndim strides
  Managed managed{};
};

template <class Managed>
void delete_export_context(Managed* self) {
  delete static_cast<ExportContext<Managed>*>(self->manager_ctx);
}

template <class Managed>
Managed* export_tensor(const Tensor& t) {
  EMBER_CHECK(t.defined(), ValueError, "[to_dlpack] got an undefined tensor");
  auto ctx = std::make_unique<ExportContext<Managed>>();
  const int64_t nd = t.dim();
  ctx->storage = t.storage();
  // One spare slot so that shape/strides are valid pointers even for 0-d.
  ctx->dims.resize(static_cast<size_t>(2 * nd + 1));
  for (int64_t d = 0; d < nd; ++d) {
    ctx->dims[d] = t.sizes()[d];
    ctx->dims[nd + d] = t.strides()[d];
  }
  DLTensor& dl = ctx->managed.dl_tensor;
  // data points at element 0 with byte_offset 0, as PyTorch and NumPy export:
  // some consumers ignore byte_offset.
  dl.data = t.data_ptr();
  dl.device = to_dlpack_device(t.device());
  dl.ndim = static_cast<int32_t>(nd);
  dl.dtype = to_dlpack_dtype(t.dtype());
  dl.shape = ctx->dims.data();
  dl.strides = ctx->dims.data() + nd;
  dl.byte_offset = 0;
  ctx->managed.manager_ctx = ctx.get();
  ctx->managed.deleter = &delete_export_context<Managed>;
  return &ctx.release()->managed;
}

}  // namespace

DLManagedTensor* to_dlpack(const Tensor& t) { return export_tensor<DLManagedTensor>(t); }

DLManagedTensorVersioned* to_dlpack_versioned(const Tensor& t, uint64_t flags) {
  DLManagedTensorVersioned* m = export_tensor<DLManagedTensorVersioned>(t);
  m->version = DLPackVersion{kDLPackMajorVersion, kDLPackMinorVersion};
  m->flags = flags & ~kDLPackFlagBitmaskReadOnly;
  if (!t.storage()->writeable) m->flags |= kDLPackFlagBitmaskReadOnly;
  return m;
}

// ---- import

namespace {

template <class Managed>
void call_producer_deleter(void*, void* ctx) {
  auto* m = static_cast<Managed*>(ctx);
  if (m->deleter) m->deleter(m);
}

template <class Managed>
Tensor import_tensor(Managed* src, bool readonly) {
  const DLTensor& dl = src->dl_tensor;
  Device device = from_dlpack_device(dl.device);
  DType dtype = from_dlpack_dtype(dl.dtype);
  EMBER_CHECK(dl.ndim >= 0, ValueError, "[from_dlpack] negative ndim ", dl.ndim);
  EMBER_CHECK(dl.ndim == 0 || dl.shape != nullptr, ValueError,
              "[from_dlpack] shape is NULL for a ", dl.ndim, "-d tensor");
  DimVector sizes(dl.shape, dl.shape + dl.ndim);
  const int64_t numel = checked_numel(sizes, "from_dlpack");
  DimVector row_major = contiguous_strides(sizes);
  DimVector strides = dl.strides ? DimVector(dl.strides, dl.strides + dl.ndim) : row_major;
  for (int32_t d = 0; d < dl.ndim; ++d) {
    if (strides[d] >= 0) continue;
    // A negative stride only matters where it moves the pointer.
    EMBER_CHECK(sizes[d] <= 1 || numel == 0, ValueError,
                "[from_dlpack] negative strides are not supported (strides ", strides, " for shape ", sizes,
                "); make a copy with positive strides first");
    strides[d] = row_major[d];
  }
  // Bytes reachable from the first element, for the storage's size.
  int64_t extent = numel == 0 ? 0 : 1;
  if (numel != 0) {
    for (int32_t d = 0; d < dl.ndim; ++d) {
      int64_t span = 0;
      bool overflow = __builtin_mul_overflow(sizes[d] - 1, strides[d], &span) ||
                      __builtin_add_overflow(extent, span, &extent);
      EMBER_CHECK(!overflow, ValueError, "[from_dlpack] shape ", sizes, " with strides ", strides,
                  " overflows int64");
    }
  }
  EMBER_CHECK(numel == 0 || dl.data != nullptr, ValueError, "[from_dlpack] data is NULL for a tensor of shape ",
              sizes);
  void* first = static_cast<char*>(dl.data) + dl.byte_offset;
  Storage storage = borrow_storage(first, static_cast<size_t>(extent * itemsize(dtype)), device, src,
                                   &call_producer_deleter<Managed>);
  storage->writeable = !readonly;
  return Tensor(make_intrusive<TensorImpl>(std::move(storage), dtype, std::move(sizes), std::move(strides), 0));
}

}  // namespace

Tensor from_dlpack(DLManagedTensor* src) {
  EMBER_CHECK(src != nullptr, ValueError, "[from_dlpack] got a null DLManagedTensor");
  return import_tensor(src, /*readonly=*/false);
}

Tensor from_dlpack(DLManagedTensorVersioned* src) {
  EMBER_CHECK(src != nullptr, ValueError, "[from_dlpack] got a null DLManagedTensorVersioned");
  EMBER_CHECK(src->version.major <= kDLPackMajorVersion, RuntimeError, "[from_dlpack] DLPack version ",
              src->version.major, ".", src->version.minor, " is newer than the supported ",
              kDLPackMajorVersion, ".", kDLPackMinorVersion);
  return import_tensor(src, (src->flags & kDLPackFlagBitmaskReadOnly) != 0);
}

}  // namespace ember
