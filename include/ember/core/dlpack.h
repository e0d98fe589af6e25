#pragma once
// DLPack: the C ABI through which array libraries share memory with no copy
// (https://dmlc.github.io/dlpack/latest/). The structs below are written out
// here rather than taken from dlpack/dlpack.h, and live in namespace ember so
// that they never collide with another library's copy of that header. Their
// layout is the ABI (checked by the static_asserts at the end), so a pointer
// to ember::DLManagedTensor may be reinterpret_cast to ::DLManagedTensor and
// back.
#include <cstddef>
#include <cstdint>

#include "ember/core/tensor.h"

namespace ember {

// The DLPack version this header describes (DLPACK_MAJOR/MINOR_VERSION).
constexpr uint32_t kDLPackMajorVersion = 1;
constexpr uint32_t kDLPackMinorVersion = 0;

// Same numbering as DLDeviceType in dlpack.h (a C enum: 32 bits).
enum DLDeviceType : int32_t {
  kDLCPU = 1,
  kDLCUDA = 2,
  kDLCUDAHost = 3,  // pinned host memory: readable from the CPU
  kDLOpenCL = 4,
  kDLVulkan = 7,
  kDLMetal = 8,
  kDLVPI = 9,
  kDLROCM = 10,
  kDLROCMHost = 11,
  kDLExtDev = 12,
  kDLCUDAManaged = 13,
  kDLOneAPI = 14,
  kDLWebGPU = 15,
  kDLHexagon = 16,
  kDLMAIA = 17,
};

struct DLDevice {
  DLDeviceType device_type;
  int32_t device_id;
};

enum DLDataTypeCode : uint8_t {
  kDLInt = 0,
  kDLUInt = 1,
  kDLFloat = 2,
  kDLOpaqueHandle = 3,
  kDLBfloat = 4,
  kDLComplex = 5,
  kDLBool = 6,
};

struct DLDataType {
  uint8_t code;    // a DLDataTypeCode
  uint8_t bits;    // bits of one lane: 8, 16, 32, 64, 128
  uint16_t lanes;  // vector lanes; Ember (like PyTorch) only takes 1
};

struct DLTensor {
  void* data;
  DLDevice device;
  int32_t ndim;
  DLDataType dtype;
  int64_t* shape;    // ndim entries
  int64_t* strides;  // ndim entries, in elements; NULL means row-major
  uint64_t byte_offset;
};

// Legacy (pre-1.0) managed tensor: capsule name "dltensor".
struct DLManagedTensor {
  DLTensor dl_tensor;
  void* manager_ctx;
  void (*deleter)(DLManagedTensor* self);  // may be NULL
};

struct DLPackVersion {
  uint32_t major;
  uint32_t minor;
};

// DLManagedTensorVersioned::flags
constexpr uint64_t kDLPackFlagBitmaskReadOnly = 1ULL << 0;
constexpr uint64_t kDLPackFlagBitmaskIsCopied = 1ULL << 1;

// DLPack 1.0 managed tensor: capsule name "dltensor_versioned".
struct DLManagedTensorVersioned {
  DLPackVersion version;
  void* manager_ctx;
  void (*deleter)(DLManagedTensorVersioned* self);  // may be NULL
  uint64_t flags;
  DLTensor dl_tensor;
};

static_assert(sizeof(DLDevice) == 8 && sizeof(DLDataType) == 4, "DLPack ABI");
static_assert(sizeof(DLTensor) == 48 && offsetof(DLTensor, byte_offset) == 40, "DLPack ABI");
static_assert(sizeof(DLManagedTensor) == 64, "DLPack ABI");
static_assert(offsetof(DLManagedTensorVersioned, flags) == 24 &&
                  offsetof(DLManagedTensorVersioned, dl_tensor) == 32,
              "DLPack ABI");

// Note [DLPack ownership]
// to_dlpack: the returned struct shares t's memory and keeps its storage
// alive until the consumer calls its deleter (exactly once).
// from_dlpack: on success the tensor borrows the memory, and the producer's
// deleter runs when the last Ember tensor using it dies. On an exception
// nothing was taken: the caller still owns `src` and must release it.
EMBER_API DLManagedTensor* to_dlpack(const Tensor& t);
// flags: kDLPackFlagBitmaskIsCopied when the caller made t as a copy; the
// read-only flag is set from the storage.
EMBER_API DLManagedTensorVersioned* to_dlpack_versioned(const Tensor& t, uint64_t flags = 0);
EMBER_API Tensor from_dlpack(DLManagedTensor* src);
// Marks the storage read-only when the producer set kDLPackFlagBitmaskReadOnly;
// rejects major versions above the one this header knows.
EMBER_API Tensor from_dlpack(DLManagedTensorVersioned* src);

// The encodings used by both directions, exposed for __dlpack_device__ and
// for tests.
EMBER_API DLDevice to_dlpack_device(Device d);
EMBER_API Device from_dlpack_device(DLDevice d);  // throws for other devices
EMBER_API DLDataType to_dlpack_dtype(DType t);
EMBER_API DType from_dlpack_dtype(DLDataType t);  // throws for lanes != 1 and others

}  // namespace ember
