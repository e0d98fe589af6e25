// DLPack export/import in C++: encodings, round trips, who frees what, and
// the errors for what Ember cannot represent.
#include <gtest/gtest.h>

#include <vector>

#include "ember/ember.h"

using namespace ember;

namespace {

const DType kAllDTypes[] = {DType::Bool,    DType::UInt8,    DType::Int8,    DType::Int16,
                            DType::Int32,   DType::Int64,    DType::Float16, DType::BFloat16,
                            DType::Float32, DType::Float64,  DType::Complex64, DType::Complex128};

// A producer of our own: a buffer of floats and a count of deleter calls.
struct FakeProducer {
  std::vector<float> buffer = std::vector<float>(12);
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  int deleter_calls = 0;
  DLManagedTensor managed{};
  DLManagedTensorVersioned versioned{};

  FakeProducer() {
    for (size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<float>(i);
  }
  DLTensor make_dl(std::vector<int64_t> sz, std::vector<int64_t> st) {
    shape = std::move(sz);
    strides = std::move(st);
    DLTensor dl{};
    dl.data = buffer.data();
    dl.device = DLDevice{kDLCPU, 0};
    dl.ndim = static_cast<int32_t>(shape.size());
    dl.dtype = DLDataType{kDLFloat, 32, 1};
    dl.shape = shape.data();
    dl.strides = strides.empty() ? nullptr : strides.data();
    dl.byte_offset = 0;
    return dl;
  }
  DLManagedTensor* legacy(std::vector<int64_t> sz, std::vector<int64_t> st = {}) {
    managed.dl_tensor = make_dl(std::move(sz), std::move(st));
    managed.manager_ctx = this;
    managed.deleter = [](DLManagedTensor* self) { static_cast<FakeProducer*>(self->manager_ctx)->deleter_calls++; };
    return &managed;
  }
  DLManagedTensorVersioned* v1(std::vector<int64_t> sz, uint64_t flags = 0) {
    versioned.version = DLPackVersion{1, 0};
    versioned.dl_tensor = make_dl(std::move(sz), {});
    versioned.manager_ctx = this;
    versioned.flags = flags;
    versioned.deleter = [](DLManagedTensorVersioned* self) {
      static_cast<FakeProducer*>(self->manager_ctx)->deleter_calls++;
    };
    return &versioned;
  }
};

float at(const Tensor& t, int64_t i, int64_t j) {
  return static_cast<const float*>(t.data_ptr())[i * t.stride(0) + j * t.stride(1)];
}

}  // namespace

TEST(DLPackEncoding, DTypeCodesMatchTheSpec) {
  struct Expect {
    DType t;
    uint8_t code, bits;
  };
  const Expect table[] = {{DType::Bool, 6, 8},       {DType::UInt8, 1, 8},      {DType::Int8, 0, 8},
                          {DType::Int16, 0, 16},     {DType::Int32, 0, 32},     {DType::Int64, 0, 64},
                          {DType::Float16, 2, 16},   {DType::BFloat16, 4, 16},  {DType::Float32, 2, 32},
                          {DType::Float64, 2, 64},   {DType::Complex64, 5, 64}, {DType::Complex128, 5, 128}};
  for (const Expect& e : table) {
    DLDataType d = to_dlpack_dtype(e.t);
    EXPECT_EQ(d.code, e.code) << dtype_name(e.t);
    EXPECT_EQ(d.bits, e.bits) << dtype_name(e.t);
    EXPECT_EQ(d.lanes, 1);
    EXPECT_EQ(from_dlpack_dtype(d), e.t);
  }
}

TEST(DLPackEncoding, Devices) {
  DLDevice cpu = to_dlpack_device(Device(DeviceType::CPU));
  EXPECT_EQ(cpu.device_type, kDLCPU);
  EXPECT_EQ(cpu.device_id, 0);
  DLDevice cuda1 = to_dlpack_device(Device(DeviceType::CUDA, 1));
  EXPECT_EQ(cuda1.device_type, kDLCUDA);
  EXPECT_EQ(cuda1.device_id, 1);
  EXPECT_EQ(to_dlpack_device(Device(DeviceType::CUDA, -1)).device_id, 0);  // "current" is device 0
  EXPECT_EQ(from_dlpack_device(DLDevice{kDLCUDA, 3}), Device(DeviceType::CUDA, 3));
  EXPECT_EQ(from_dlpack_device(DLDevice{kDLCPU, 0}), Device(DeviceType::CPU));
  EXPECT_EQ(from_dlpack_device(DLDevice{kDLCUDAHost, 0}), Device(DeviceType::CPU));
  EXPECT_THROW(from_dlpack_device(DLDevice{kDLOpenCL, 0}), RuntimeError);
  EXPECT_THROW(from_dlpack_device(DLDevice{kDLCUDA, -2}), RuntimeError);
}

TEST(DLPackEncoding, RejectsWhatEmberCannotHold) {
  EXPECT_THROW(from_dlpack_dtype(DLDataType{kDLFloat, 32, 4}), TypeError);  // lanes
  EXPECT_THROW(from_dlpack_dtype(DLDataType{kDLUInt, 16, 1}), TypeError);
  EXPECT_THROW(from_dlpack_dtype(DLDataType{kDLFloat, 8, 1}), TypeError);
  EXPECT_THROW(from_dlpack_dtype(DLDataType{kDLBool, 1, 1}), TypeError);
  EXPECT_THROW(from_dlpack_dtype(DLDataType{kDLOpaqueHandle, 64, 1}), TypeError);
}

TEST(DLPackRoundTrip, EveryDTypeSharesMemory) {
  for (DType dt : kAllDTypes) {
    Tensor t = arange(Scalar(int64_t(0)), Scalar(int64_t(6))).to(dt).view({2, 3});
    DLManagedTensor* m = to_dlpack(t);
    EXPECT_EQ(m->dl_tensor.data, t.data_ptr());
    EXPECT_EQ(m->dl_tensor.byte_offset, 0u);
    EXPECT_EQ(m->dl_tensor.ndim, 2);
    EXPECT_EQ(m->dl_tensor.shape[0], 2);
    EXPECT_EQ(m->dl_tensor.shape[1], 3);
    EXPECT_EQ(m->dl_tensor.strides[0], 3);
    EXPECT_EQ(m->dl_tensor.strides[1], 1);
    EXPECT_EQ(m->dl_tensor.device.device_type, kDLCPU);
    Tensor back = from_dlpack(m);
    EXPECT_EQ(back.dtype(), dt);
    EXPECT_EQ(back.sizes(), (DimVector{2, 3}));
    EXPECT_EQ(back.data_ptr(), t.data_ptr());
    // Same bytes: element 5 reads back through the imported tensor.
    EXPECT_EQ(back.select(0, 1).select(0, 2).item().to<double>(), dt == DType::Bool ? 1.0 : 5.0)
        << dtype_name(dt);

    DLManagedTensorVersioned* v = to_dlpack_versioned(t);
    EXPECT_EQ(v->version.major, 1u);
    EXPECT_EQ(v->version.minor, 0u);
    EXPECT_EQ(v->flags, 0u);
    Tensor back2 = from_dlpack(v);
    EXPECT_EQ(back2.dtype(), dt);
    EXPECT_EQ(back2.data_ptr(), t.data_ptr());
  }
}

TEST(DLPackRoundTrip, NonContiguousViewAndZeroDim) {
  Tensor base = arange(Scalar(int64_t(0)), Scalar(int64_t(12))).view({3, 4});
  Tensor v = base.t().slice(0, 1, 4, 2);  // shape [2, 3], strides [2, 4], offset 1
  DLManagedTensor* m = to_dlpack(v);
  EXPECT_EQ(m->dl_tensor.strides[0], 2);
  EXPECT_EQ(m->dl_tensor.strides[1], 4);
  EXPECT_EQ(m->dl_tensor.data, v.data_ptr());
  Tensor back = from_dlpack(m);
  EXPECT_EQ(back.sizes(), (DimVector{2, 3}));
  EXPECT_EQ(back.strides(), (DimVector{2, 4}));
  EXPECT_EQ(back.select(0, 1).select(0, 2).item().to<int64_t>(), 11);  // base[2][3]
  back.select(0, 0).select(0, 0).fill_(Scalar(int64_t(-7)));
  EXPECT_EQ(base.select(0, 0).select(0, 1).item().to<int64_t>(), -7);

  Tensor scalar = full({}, Scalar(2.5), TensorOptions(DType::Float64));
  DLManagedTensor* ms = to_dlpack(scalar);
  EXPECT_EQ(ms->dl_tensor.ndim, 0);
  EXPECT_NE(ms->dl_tensor.shape, nullptr);
  Tensor s2 = from_dlpack(ms);
  EXPECT_EQ(s2.dim(), 0);
  EXPECT_EQ(s2.item().to<double>(), 2.5);
}

TEST(DLPackLifetime, ExportKeepsStorageUntilDeleter) {
  const int64_t start = cpu_allocator_stats().allocated_bytes;
  DLManagedTensor* m = nullptr;
  {
    Tensor t = full({1000}, Scalar(3.0), TensorOptions(DType::Float64));
    m = to_dlpack(t);
  }
  EXPECT_GE(cpu_allocator_stats().allocated_bytes, start + 8000);  // blocks are rounded up
  EXPECT_EQ(static_cast<double*>(m->dl_tensor.data)[999], 3.0);  // still valid memory
  m->deleter(m);
  EXPECT_EQ(cpu_allocator_stats().allocated_bytes, start);

  DLManagedTensorVersioned* v = to_dlpack_versioned(full({10}, Scalar(1.0), TensorOptions(DType::Float32)));
  EXPECT_GE(cpu_allocator_stats().allocated_bytes, start + 40);
  v->deleter(v);
  EXPECT_EQ(cpu_allocator_stats().allocated_bytes, start);
}

TEST(DLPackLifetime, ImportCallsProducerDeleterOnceWhenLastViewDies) {
  FakeProducer p;
  Tensor t = from_dlpack(p.legacy({3, 4}));
  Tensor view = t.transpose(0, 1).select(0, 2);  // column 2: 2, 6, 10
  EXPECT_EQ(view.select(0, 2).item().to<double>(), 10.0);
  t = Tensor();
  EXPECT_EQ(p.deleter_calls, 0);
  view = Tensor();
  EXPECT_EQ(p.deleter_calls, 1);

  FakeProducer q;
  { Tensor a = from_dlpack(q.v1({12})); }
  EXPECT_EQ(q.deleter_calls, 1);
}

TEST(DLPackLifetime, NullDeleterIsAllowed) {
  FakeProducer p;
  DLManagedTensor* m = p.legacy({12});
  m->deleter = nullptr;
  { Tensor t = from_dlpack(m); EXPECT_EQ(t.numel(), 12); }
  EXPECT_EQ(p.deleter_calls, 0);
}

TEST(DLPackImport, ByteOffsetAndNullStrides) {
  FakeProducer p;
  DLManagedTensor* m = p.legacy({2, 3});
  m->dl_tensor.byte_offset = 2 * sizeof(float);
  Tensor t = from_dlpack(m);
  EXPECT_EQ(t.strides(), (DimVector{3, 1}));  // NULL strides mean row-major
  EXPECT_EQ(at(t, 0, 0), 2.0f);
  EXPECT_EQ(at(t, 1, 2), 7.0f);
  // Writes land in the producer's buffer.
  t.fill_(Scalar(-1.0));
  EXPECT_EQ(p.buffer[1], 1.0f);
  EXPECT_EQ(p.buffer[2], -1.0f);
  EXPECT_EQ(p.buffer[7], -1.0f);
  EXPECT_EQ(p.buffer[8], 8.0f);
}

TEST(DLPackImport, ExplicitStridesAndSizeOneNegativeStride) {
  FakeProducer p;
  Tensor t = from_dlpack(p.legacy({3, 2}, {4, 2}));  // every other column
  EXPECT_EQ(at(t, 2, 1), 10.0f);
  FakeProducer q;
  Tensor u = from_dlpack(q.legacy({1, 3}, {-5, 1}));  // a size-1 dim's stride is irrelevant
  EXPECT_EQ(u.sizes(), (DimVector{1, 3}));
  EXPECT_EQ(at(u, 0, 2), 2.0f);
}

TEST(DLPackImport, ErrorsLeaveOwnershipWithTheCaller) {
  FakeProducer p;
  DLManagedTensor* m = p.legacy({2, 3});
  m->dl_tensor.dtype.lanes = 4;
  EXPECT_THROW(from_dlpack(m), TypeError);
  m->dl_tensor.dtype = DLDataType{kDLUInt, 32, 1};
  EXPECT_THROW(from_dlpack(m), TypeError);
  m->dl_tensor.dtype = DLDataType{kDLFloat, 32, 1};
  m->dl_tensor.device = DLDevice{kDLVulkan, 0};
  EXPECT_THROW(from_dlpack(m), RuntimeError);
  m->dl_tensor.device = DLDevice{kDLCPU, 0};
  EXPECT_THROW(from_dlpack(p.legacy({2, 3}, {-3, 1})), ValueError);
  EXPECT_THROW(from_dlpack(p.legacy({2, -3})), RuntimeError);  // negative size
  EXPECT_THROW(from_dlpack(static_cast<DLManagedTensor*>(nullptr)), ValueError);
  EXPECT_THROW(from_dlpack(static_cast<DLManagedTensorVersioned*>(nullptr)), ValueError);
  DLManagedTensorVersioned* v = p.v1({4});
  v->version.major = 2;
  EXPECT_THROW(from_dlpack(v), RuntimeError);
  EXPECT_EQ(p.deleter_calls, 0);
}

TEST(DLPackImport, ReadOnlyFlagAndReExport) {
  FakeProducer p;
  Tensor t = from_dlpack(p.v1({12}, kDLPackFlagBitmaskReadOnly));
  EXPECT_FALSE(t.storage()->writeable);
  DLManagedTensorVersioned* again = to_dlpack_versioned(t, kDLPackFlagBitmaskIsCopied);
  EXPECT_EQ(again->flags, kDLPackFlagBitmaskReadOnly | kDLPackFlagBitmaskIsCopied);
  EXPECT_EQ(again->dl_tensor.data, p.buffer.data());
  t = Tensor();
  EXPECT_EQ(p.deleter_calls, 0);  // the export still holds the storage
  again->deleter(again);
  EXPECT_EQ(p.deleter_calls, 1);

  FakeProducer q;
  Tensor w = from_dlpack(q.v1({12}));
  EXPECT_TRUE(w.storage()->writeable);
}

TEST(DLPackImport, CudaDeviceIsDecodedAndReEncoded) {
  // Never dereferenced: Ember has no CUDA kernels in this build, but the
  // device must survive a trip through DLPack.
  FakeProducer p;
  DLManagedTensor* m = p.legacy({2, 6});
  m->dl_tensor.device = DLDevice{kDLCUDA, 1};
  Tensor t = from_dlpack(m);
  EXPECT_TRUE(t.is_cuda());
  EXPECT_EQ(t.device(), Device(DeviceType::CUDA, 1));
  DLManagedTensor* out = to_dlpack(t);
  EXPECT_EQ(out->dl_tensor.device.device_type, kDLCUDA);
  EXPECT_EQ(out->dl_tensor.device.device_id, 1);
  out->deleter(out);
  t = Tensor();
  EXPECT_EQ(p.deleter_calls, 1);
}
