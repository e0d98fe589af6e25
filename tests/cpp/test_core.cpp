// GoogleTest for the core: dtype promotion, DimVector, Half/BFloat16,
// views and contiguity, copy_ casting, the caching allocator, parallel_for
// and TensorIterator's broadcasting.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "ember/core/dtype_info.h"
#include "ember/core/kernels.h"
#include "ember/ember.h"

using namespace ember;

namespace {

// "b1 u1 ..." codes of PyTorch's promotion table, in Ember's enum order.
DType code(const std::string& c) {
  static const char* kCodes[] = {"b1", "u1", "i1", "i2", "i4", "i8",
                                 "f2", "bf", "f4", "f8", "c4", "c8"};
  for (int i = 0; i < kNumDTypes; ++i) {
    if (c == kCodes[i]) return static_cast<DType>(i);
  }
  throw std::runtime_error("bad code " + c);
}

// Restores the thread count a test changes.
struct ThreadGuard {
  int saved = get_num_threads();
  ~ThreadGuard() { set_num_threads(saved); }
};

template <class T>
std::vector<T> values(const Tensor& t) {
  Tensor c = t.contiguous();
  const T* p = c.data_ptr<T>();
  return std::vector<T>(p, p + c.numel());
}

uint32_t f32_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float f32_from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

}  // namespace

// ---------------------------------------------------------------- dtypes

TEST(DType, PromoteTypesMatchesPyTorchTable) {
  // Rows and columns: bool uint8 int8 int16 int32 int64 float16 bfloat16
  // float32 float64 complex64 complex128 (PyTorch's c10 promotion table).
  const std::vector<std::pair<std::string, std::string>> table = {
      {"b1", "b1 u1 i1 i2 i4 i8 f2 bf f4 f8 c4 c8"},
      {"u1", "u1 u1 i2 i2 i4 i8 f2 bf f4 f8 c4 c8"},
      {"i1", "i1 i2 i1 i2 i4 i8 f2 bf f4 f8 c4 c8"},
      {"i2", "i2 i2 i2 i2 i4 i8 f2 bf f4 f8 c4 c8"},
      {"i4", "i4 i4 i4 i4 i4 i8 f2 bf f4 f8 c4 c8"},
      {"i8", "i8 i8 i8 i8 i8 i8 f2 bf f4 f8 c4 c8"},
      {"f2", "f2 f2 f2 f2 f2 f2 f2 f4 f4 f8 c4 c8"},
      {"bf", "bf bf bf bf bf bf f4 bf f4 f8 c4 c8"},
      {"f4", "f4 f4 f4 f4 f4 f4 f4 f4 f4 f8 c4 c8"},
      {"f8", "f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 c8 c8"},
      {"c4", "c4 c4 c4 c4 c4 c4 c4 c4 c4 c8 c4 c8"},
      {"c8", "c8 c8 c8 c8 c8 c8 c8 c8 c8 c8 c8 c8"},
  };
  for (int i = 0; i < kNumDTypes; ++i) {
    DType a = code(table[i].first);
    ASSERT_EQ(a, static_cast<DType>(i));
    for (int j = 0; j < kNumDTypes; ++j) {
      DType want = code(table[i].second.substr(3 * j, 2));
      DType b = static_cast<DType>(j);
      EXPECT_EQ(promote_types(a, b), want) << dtype_name(a) << " with " << dtype_name(b);
    }
  }
}

TEST(DType, NamesSizesAndAliases) {
  EXPECT_EQ(dtype_name(DType::BFloat16), "bfloat16");
  EXPECT_EQ(itemsize(DType::Bool), 1);
  EXPECT_EQ(itemsize(DType::Float16), 2);
  EXPECT_EQ(itemsize(DType::Complex128), 16);
  EXPECT_EQ(dtype_from_name("long"), DType::Int64);
  EXPECT_EQ(dtype_from_name("cdouble"), DType::Complex128);
  EXPECT_THROW(dtype_from_name("float8"), TypeError);
  EXPECT_EQ(to_real(DType::Complex64), DType::Float32);
  EXPECT_EQ(to_complex(DType::Float64), DType::Complex128);
}

TEST(DType, DefaultDtypeOnlyFloating) {
  EXPECT_THROW(set_default_dtype(DType::Int64), TypeError);
  set_default_dtype(DType::Float64);
  EXPECT_EQ(default_complex_dtype(), DType::Complex128);
  EXPECT_EQ(zeros({2}).dtype(), DType::Float64);
  set_default_dtype(DType::Float32);
  EXPECT_EQ(default_complex_dtype(), DType::Complex64);
}

TEST(DType, FInfoAndIInfo) {
  FInfo h = finfo(DType::Float16);
  EXPECT_EQ(h.bits, 16);
  EXPECT_EQ(h.eps, 0.0009765625);
  EXPECT_EQ(h.max, 65504.0);
  EXPECT_EQ(h.min, -65504.0);
  EXPECT_EQ(h.tiny, 6.103515625e-05);
  EXPECT_EQ(h.resolution, 0.001);
  FInfo b = finfo(DType::BFloat16);
  EXPECT_EQ(b.eps, 0.0078125);
  EXPECT_EQ(b.max, 3.3895313892515355e+38);
  EXPECT_EQ(b.tiny, 1.1754943508222875e-38);
  EXPECT_EQ(b.resolution, 0.01);
  FInfo c = finfo(DType::Complex128);
  EXPECT_EQ(c.dtype, DType::Float64);
  EXPECT_EQ(c.eps, std::numeric_limits<double>::epsilon());
  EXPECT_EQ(c.resolution, 1e-15);
  EXPECT_THROW(finfo(DType::Int32), TypeError);
  IInfo u = iinfo(DType::UInt8);
  EXPECT_EQ(u.min, 0);
  EXPECT_EQ(u.max, 255);
  EXPECT_EQ(iinfo(DType::Int64).min, std::numeric_limits<int64_t>::min());
  EXPECT_THROW(iinfo(DType::Bool), TypeError);
  EXPECT_THROW(iinfo(DType::Float32), TypeError);
}

// ---------------------------------------------------------------- DimVector

TEST(DimVector, InlineThenHeap) {
  DimVector v;
  EXPECT_TRUE(v.empty());
  for (int64_t i = 0; i < 20; ++i) v.push_back(i * i);  // grows past the 6 inline slots
  ASSERT_EQ(v.size(), 20u);
  for (int64_t i = 0; i < 20; ++i) EXPECT_EQ(v[i], i * i);
  v.pop_back();
  EXPECT_EQ(v.back(), 18 * 18);
}

TEST(DimVector, CopyMoveAndCompare) {
  DimVector small{1, 2, 3};
  DimVector big(10, 7);
  DimVector a = small, b = big;
  EXPECT_EQ(a, small);
  EXPECT_EQ(b, big);
  DimVector moved_small = std::move(a), moved_big = std::move(b);
  EXPECT_EQ(moved_small, (DimVector{1, 2, 3}));
  EXPECT_EQ(moved_big, DimVector(10, 7));
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(b.empty());
  moved_small = big;  // inline <- heap
  EXPECT_EQ(moved_small, big);
  moved_big = DimVector{4};  // heap <- inline (move-assign)
  EXPECT_EQ(moved_big, DimVector{4});
  EXPECT_NE(small, big);
  EXPECT_NE(small, (DimVector{1, 2}));
}

TEST(DimVector, InsertEraseResize) {
  DimVector v{1, 2, 3};
  v.insert(0, 9);
  v.insert(4, 8);
  v.insert(2, 7);
  EXPECT_EQ(v, (DimVector{9, 1, 7, 2, 3, 8}));
  v.insert(3, 6);  // 7 elements: moves to the heap
  EXPECT_EQ(v, (DimVector{9, 1, 7, 6, 2, 3, 8}));
  v.erase(0);
  v.erase(5);
  EXPECT_EQ(v, (DimVector{1, 7, 6, 2, 3}));
  v.resize(8, -1);
  EXPECT_EQ(v, (DimVector{1, 7, 6, 2, 3, -1, -1, -1}));
  v.resize(2);
  EXPECT_EQ(v.vec(), (std::vector<int64_t>{1, 7}));
  std::ostringstream os;
  os << v;
  EXPECT_EQ(os.str(), "[1, 7]");
}

// ---------------------------------------------------------------- Half / BFloat16

TEST(Half, KnownValues) {
  EXPECT_EQ(Half(1.0f).bits, 0x3c00);
  EXPECT_EQ(Half(-2.0f).bits, 0xc000);
  EXPECT_EQ(Half(65504.0f).bits, 0x7bff);  // max
  EXPECT_EQ(Half(6.103515625e-05f).bits, 0x0400);  // smallest normal
  EXPECT_EQ(float(Half(uint16_t(0x3555), Half::from_bits_t{})), 0.333251953125f);
}

TEST(Half, RoundsToNearestEven) {
  const float ulp = 1.0f / 1024;  // spacing of halves in [1, 2)
  EXPECT_EQ(Half(1.0f + ulp / 2).bits, 0x3c00);      // tie -> even (down)
  EXPECT_EQ(Half(1.0f + 3 * ulp / 2).bits, 0x3c02);  // tie -> even (up)
  EXPECT_EQ(Half(1.0f + ulp / 2 + ulp / 64).bits, 0x3c01);  // above the tie
  EXPECT_EQ(Half(65519.0f).bits, 0x7bff);  // below the tie with 65536
  EXPECT_EQ(Half(65520.0f).bits, 0x7c00);  // tie -> even = inf
}

TEST(Half, Subnormals) {
  const float tiny = std::ldexp(1.0f, -24);  // smallest subnormal half
  EXPECT_EQ(Half(tiny).bits, 0x0001);
  EXPECT_EQ(Half(tiny / 2).bits, 0x0000);      // tie -> even (0)
  EXPECT_EQ(Half(3 * tiny / 2).bits, 0x0002);  // tie -> even (2)
  EXPECT_EQ(Half(-tiny).bits, 0x8001);
  EXPECT_EQ(Half(1023 * tiny).bits, 0x03ff);  // largest subnormal
  EXPECT_EQ(float(Half(uint16_t(0x0001), Half::from_bits_t{})), tiny);
  EXPECT_EQ(float(Half(uint16_t(0x03ff), Half::from_bits_t{})), 1023 * tiny);
  EXPECT_EQ(Half(std::ldexp(1.0f, -30)).bits, 0x0000);  // underflows to zero
}

TEST(Half, InfNanAndSignedZero) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(Half(inf).bits, 0x7c00);
  EXPECT_EQ(Half(-inf).bits, 0xfc00);
  EXPECT_EQ(Half(1e10f).bits, 0x7c00);
  EXPECT_TRUE(std::isnan(float(Half(std::nanf("")))));
  EXPECT_TRUE(std::isinf(float(Half(uint16_t(0xfc00), Half::from_bits_t{}))));
  EXPECT_EQ(Half(-0.0f).bits, 0x8000);
  EXPECT_TRUE(std::signbit(float(Half(uint16_t(0x8000), Half::from_bits_t{}))));
}

TEST(Half, EveryBitPatternRoundTrips) {
  for (uint32_t b = 0; b <= 0xffff; ++b) {
    Half h(static_cast<uint16_t>(b), Half::from_bits_t{});
    float f = h;
    if (std::isnan(f)) {
      EXPECT_TRUE((b & 0x7c00) == 0x7c00 && (b & 0x3ff) != 0) << b;
      EXPECT_TRUE(std::isnan(float(Half(f))));
      continue;
    }
    ASSERT_EQ(Half(f).bits, b) << "bits " << b;
  }
}

TEST(BFloat16, RoundsToNearestEvenAndSpecials) {
  EXPECT_EQ(BFloat16(1.0f).bits, 0x3f80);
  EXPECT_EQ(BFloat16(f32_from_bits(0x3f808000)).bits, 0x3f80);  // tie -> even (down)
  EXPECT_EQ(BFloat16(f32_from_bits(0x3f818000)).bits, 0x3f82);  // tie -> even (up)
  EXPECT_EQ(BFloat16(f32_from_bits(0x3f808001)).bits, 0x3f81);  // above the tie
  EXPECT_EQ(BFloat16(f32_from_bits(0x00018000)).bits, 0x0002);  // subnormal tie -> even
  EXPECT_EQ(BFloat16(f32_from_bits(0x00010000)).bits, 0x0001);  // smallest subnormal
  EXPECT_EQ(BFloat16(std::numeric_limits<float>::max()).bits, 0x7f80);  // rounds to inf
  EXPECT_EQ(BFloat16(-std::numeric_limits<float>::infinity()).bits, 0xff80);
  EXPECT_TRUE(std::isnan(float(BFloat16(std::nanf("")))));
  EXPECT_EQ(float(BFloat16(uint16_t(0x7f7f), BFloat16::from_bits_t{})), 3.3895313892515355e+38f);
}

TEST(BFloat16, EveryBitPatternRoundTrips) {
  for (uint32_t b = 0; b <= 0xffff; ++b) {
    BFloat16 h(static_cast<uint16_t>(b), BFloat16::from_bits_t{});
    float f = h;
    EXPECT_EQ(f32_bits(f), b << 16);
    if (std::isnan(f)) continue;
    ASSERT_EQ(BFloat16(f).bits, b) << "bits " << b;
  }
}

// ---------------------------------------------------------------- views

TEST(Views, ShareStorageAndStrides) {
  Tensor a = arange(0, 24).reshape({2, 3, 4});
  EXPECT_TRUE(a.is_contiguous());
  EXPECT_EQ(a.strides(), (DimVector{12, 4, 1}));
  Tensor t = a.transpose(0, 2);
  EXPECT_EQ(t.sizes(), (DimVector{4, 3, 2}));
  EXPECT_EQ(t.strides(), (DimVector{1, 4, 12}));
  EXPECT_FALSE(t.is_contiguous());
  EXPECT_EQ(t.storage().get(), a.storage().get());
  Tensor s = a.select(1, 2);
  EXPECT_EQ(s.storage_offset(), 8);
  EXPECT_EQ(values<int64_t>(s), (std::vector<int64_t>{8, 9, 10, 11, 20, 21, 22, 23}));
  Tensor d = a.diagonal(1, 1, 2);  // a[:, i, i+1]
  EXPECT_EQ(d.strides(), (DimVector{12, 5}));
  EXPECT_EQ(values<int64_t>(d), (std::vector<int64_t>{1, 6, 11, 13, 18, 23}));
}

TEST(Views, ContiguityRules) {
  Tensor a = zeros({2, 3});
  // Size-1 dims may have any stride and still be contiguous.
  Tensor b = empty({6}).as_strided({2, 1, 3}, {3, 100, 1});
  EXPECT_TRUE(b.is_contiguous());
  EXPECT_FALSE(a.t().is_contiguous());
  EXPECT_FALSE(a.narrow(1, 0, 2).is_contiguous());
  EXPECT_TRUE(a.narrow(0, 1, 1).is_contiguous());
  EXPECT_TRUE(zeros({0, 3}).t().is_contiguous());  // empty tensors are contiguous
  EXPECT_FALSE(zeros({3}).expand({2, 3}).is_contiguous());
  Tensor c = a.t().contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_NE(c.storage().get(), a.storage().get());
  EXPECT_EQ(a.contiguous().storage().get(), a.storage().get());  // no copy when contiguous
}

TEST(Views, ViewVersusReshape) {
  Tensor a = arange(0, 6).reshape({2, 3});
  Tensor t = a.t();
  EXPECT_THROW(t.view({6}), RuntimeError);
  Tensor r = t.reshape({6});  // must copy
  EXPECT_NE(r.storage().get(), a.storage().get());
  EXPECT_EQ(values<int64_t>(r), (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
  Tensor v = a.reshape({3, 2});  // can view
  EXPECT_EQ(v.storage().get(), a.storage().get());
  EXPECT_EQ(a.view({-1, 1}).sizes(), (DimVector{6, 1}));
  EXPECT_THROW(a.view({4, -1}), RuntimeError);
  EXPECT_THROW(a.view({-1, -1}), RuntimeError);
  // A view that only splits a contiguous dim of a non-contiguous tensor.
  Tensor w = arange(0, 24).reshape({4, 6}).t().view({2, 3, 4});
  EXPECT_EQ(w.strides(), (DimVector{3, 1, 6}));
}

TEST(Views, ErrorsAreTyped) {
  Tensor a = zeros({2, 3});
  EXPECT_THROW(a.transpose(0, 2), IndexError);
  EXPECT_THROW(a.select(0, 2), IndexError);
  EXPECT_THROW(a.permute({0, 0}), RuntimeError);
  EXPECT_THROW(a.expand({3, 3}), RuntimeError);
  EXPECT_THROW(a.narrow(1, 2, 2), RuntimeError);
  EXPECT_THROW(a.as_strided({2, 3}, {3, 2}), RuntimeError);  // out of bounds
  EXPECT_THROW(a.view(DType::Int64), RuntimeError);
  EXPECT_THROW(zeros({1}).expand({int64_t(1) << 40, int64_t(1) << 40}), RuntimeError);
  EXPECT_THROW(empty({int64_t(1) << 62}), RuntimeError);  // bytes overflow size_t
  EXPECT_THROW(empty({-1}), RuntimeError);
}

// ---------------------------------------------------------------- copy_

TEST(Copy, CastsWithCRules) {
  Tensor f = tensor({-2.7, -0.5, 0.0, 0.5, 2.7, 300.6});
  EXPECT_EQ(values<int32_t>(f.to(DType::Int32)), (std::vector<int32_t>{-2, 0, 0, 0, 2, 300}));
  EXPECT_EQ(values<uint8_t>(f.to(DType::UInt8)), (std::vector<uint8_t>{254, 0, 0, 0, 2, 44}));
  std::vector<bool> want_bool{true, true, false, true, true, true};
  Tensor b = f.to(DType::Bool);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(b.data_ptr<bool>()[i], want_bool[i]);
  // float64 -> float16 rounds to nearest even.
  Tensor h = tensor({1.0 + 1.0 / 2048, 2049.0, 1e6}).to(DType::Float16);
  EXPECT_EQ(h.data_ptr<Half>()[0].bits, 0x3c00);
  EXPECT_EQ(float(h.data_ptr<Half>()[1]), 2048.0f);
  EXPECT_TRUE(std::isinf(float(h.data_ptr<Half>()[2])));
  // complex -> real drops the imaginary part; int -> complex has zero imag.
  Tensor c = tensor({std::complex<double>(1.5, 2.0), std::complex<double>(-3.0, 1.0)});
  EXPECT_EQ(values<float>(c.to(DType::Float32)), (std::vector<float>{1.5f, -3.0f}));
  auto z = values<std::complex<float>>(tensor({int64_t(7)}).to(DType::Complex64));
  EXPECT_EQ(z[0], std::complex<float>(7.0f, 0.0f));
  // NaN and out-of-range floats give the x86 (and NumPy) results.
  Tensor nan = tensor({std::nan(""), 1e20, -3e9});
  EXPECT_EQ(values<int32_t>(nan.to(DType::Int32)),
            (std::vector<int32_t>{INT32_MIN, INT32_MIN, INT32_MIN}));
  EXPECT_EQ(values<int64_t>(nan.to(DType::Int64)),
            (std::vector<int64_t>{INT64_MIN, INT64_MIN, -3000000000}));
  EXPECT_EQ(values<int16_t>(nan.to(DType::Int16)), (std::vector<int16_t>{0, 0, 0}));
}

TEST(Copy, BroadcastsStridesAndBumpsVersion) {
  Tensor dst = zeros({2, 3}, DType::Int64);
  uint32_t v0 = dst.version();
  dst.t().copy_(tensor({int64_t(1), int64_t(2)}).unsqueeze(0).expand({3, 2}));
  EXPECT_EQ(values<int64_t>(dst), (std::vector<int64_t>{1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(dst.version(), v0 + 1);
  Tensor view = dst.select(0, 1);
  view.fill_(Scalar(int64_t(9)));
  EXPECT_EQ(dst.version(), v0 + 2);  // shared by every view
  EXPECT_EQ(values<int64_t>(dst), (std::vector<int64_t>{1, 1, 1, 9, 9, 9}));
  EXPECT_THROW(dst.copy_(zeros({4})), RuntimeError);  // shapes don't broadcast
  EXPECT_THROW(zeros({3}).expand({2, 3}).copy_(zeros({2, 3})), RuntimeError);  // overlapping output
}

TEST(Copy, OverlappingSourceIsReadFirst) {
  Tensor a = arange(0, 6);
  a.narrow(0, 1, 5).copy_(a.narrow(0, 0, 5));
  EXPECT_EQ(values<int64_t>(a), (std::vector<int64_t>{0, 0, 1, 2, 3, 4}));
  Tensor m = arange(0, 9).reshape({3, 3});
  m.copy_(m.t());
  EXPECT_EQ(values<int64_t>(m), (std::vector<int64_t>{0, 3, 6, 1, 4, 7, 2, 5, 8}));
}

// ---------------------------------------------------------------- allocator

TEST(Allocator, ReusesFreedBlocks) {
  const char* env = std::getenv("EMBER_NO_CACHING_ALLOCATOR");
  if (env && env[0] && env[0] != '0') GTEST_SKIP() << "caching disabled by environment";
#if defined(EMBER_SANITIZE)
  GTEST_SKIP() << "caching is off under sanitizers";
#endif
  const int64_t n = 123457;  // an odd size no other test uses
  void* first;
  {
    Tensor t = empty({n}, DType::Float32);
    first = t.data_ptr();
  }
  CpuAllocatorStats before = cpu_allocator_stats();
  EXPECT_GT(before.cached_bytes, 0);
  Tensor again = empty({n}, DType::Float32);
  CpuAllocatorStats after = cpu_allocator_stats();
  EXPECT_EQ(again.data_ptr(), first);
  EXPECT_EQ(after.num_cache_hits, before.num_cache_hits + 1);
  EXPECT_EQ(after.num_allocs, before.num_allocs + 1);
  EXPECT_GE(after.allocated_bytes, before.allocated_bytes + n * 4);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(again.data_ptr()) % 64, 0u);  // 64-byte aligned
  cpu_allocator_empty_cache();
  EXPECT_EQ(cpu_allocator_stats().cached_bytes, 0);
}

// ---------------------------------------------------------------- parallel_for

TEST(Parallel, CoversRangeExactlyOnce) {
  ThreadGuard guard;
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    EXPECT_EQ(get_num_threads(), threads);
    for (int64_t grain : {1, 7, 1000, 100000}) {
      const int64_t begin = 3, end = 10003;
      std::vector<std::atomic<int>> hits(end);
      std::atomic<int> calls{0};
      parallel_for(begin, end, grain, [&](int64_t b, int64_t e) {
        ++calls;
        EXPECT_LE(begin, b);
        EXPECT_LT(b, e);
        EXPECT_LE(e, end);
        for (int64_t i = b; i < e; ++i) hits[i]++;
      });
      for (int64_t i = 0; i < end; ++i) ASSERT_EQ(hits[i].load(), i >= begin ? 1 : 0) << i;
      if (threads == 1 || grain >= end - begin) {
        EXPECT_EQ(calls.load(), 1);  // one chunk: the caller runs it all
      }
      if (threads == 2 && grain == 1) {
        EXPECT_EQ(calls.load(), 2);  // split between the two threads
      }
    }
  }
}

TEST(Parallel, EmptyRangeAndNesting) {
  ThreadGuard guard;
  set_num_threads(2);
  int calls = 0;
  parallel_for(5, 5, 1, [&](int64_t, int64_t) { ++calls; });
  parallel_for(5, 2, 1, [&](int64_t, int64_t) { ++calls; });
  EXPECT_EQ(calls, 0);
  // A nested parallel_for runs serially, in one call, inside the chunk.
  std::atomic<int> inner_calls{0};
  std::atomic<int64_t> total{0};
  parallel_for(0, 4, 1, [&](int64_t b, int64_t e) {
    EXPECT_TRUE(in_parallel_region());
    parallel_for(0, 100, 1, [&](int64_t ib, int64_t ie) {
      ++inner_calls;
      total += (ie - ib) * (e - b);
    });
  });
  EXPECT_FALSE(in_parallel_region());
  EXPECT_EQ(total.load(), 400);
  EXPECT_EQ(inner_calls.load(), 2);  // one per outer chunk
  EXPECT_THROW(set_num_threads(0), ValueError);
}

TEST(Parallel, RethrowsAChunksException) {
  ThreadGuard guard;
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    try {
      parallel_for(0, 1000, 10, [&](int64_t b, int64_t e) {
        if (b <= 900 && 900 < e) EMBER_THROW(IndexError, "[test] chunk ", b, " failed");
      });
      ADD_FAILURE() << "no exception with " << threads << " threads";
    } catch (const IndexError& err) {
      EXPECT_NE(std::string(err.what()).find("[test] chunk"), std::string::npos);
    }
    // The pool still works after an exception.
    std::atomic<int64_t> sum{0};
    parallel_for(0, 1000, 10, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) sum += i;
    });
    EXPECT_EQ(sum.load(), 999 * 1000 / 2);
  }
}

// ---------------------------------------------------------------- TensorIterator

TEST(TensorIterator, BroadcastShapes) {
  EXPECT_EQ(broadcast_shapes({2, 1, 4}, {3, 1}, "add"), (DimVector{2, 3, 4}));
  EXPECT_EQ(broadcast_shapes({}, {5}, "add"), (DimVector{5}));
  EXPECT_EQ(broadcast_shapes({0, 1}, {1, 3}, "add"), (DimVector{0, 3}));
  try {
    broadcast_shapes({2, 3}, {4}, "add");
    ADD_FAILURE() << "no error";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(std::string(e.what()),
              "[add] The size of tensor a (3) must match the size of tensor b (4) at "
              "non-singleton dimension 1");
  }
}

TEST(TensorIterator, BroadcastErrors) {
  Tensor out = empty({2, 3});
  TensorIterator bad_input;
  bad_input.add_output(out).add_input(zeros({3, 3}));
  EXPECT_THROW(bad_input.build("copy_"), RuntimeError);
  // The output must already have the broadcast shape.
  TensorIterator small_output;
  small_output.add_output(empty({3})).add_input(zeros({2, 3}));
  try {
    small_output.build("op");
    ADD_FAILURE() << "no error";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("output with shape [3] doesn't match the broadcast shape [2, 3]"),
              std::string::npos)
        << e.what();
  }
  TensorIterator order;
  order.add_input(zeros({2}));
  EXPECT_THROW(order.add_output(out), RuntimeError);
}

TEST(TensorIterator, WalksBroadcastAndTransposedOperands) {
  Tensor out = empty({3, 4}, DType::Int64);
  Tensor row = arange(0, 4);                           // [4], broadcast over rows
  Tensor tr = arange(0, 12).reshape({4, 3}).t();       // [3, 4], transposed
  TensorIterator it;
  it.add_output(out).add_input(row).add_input(tr).build("test");
  EXPECT_EQ(it.numel(), 12);
  it.for_each([](char** p, const int64_t* s, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      int64_t r = *reinterpret_cast<int64_t*>(p[1] + i * s[1]);
      int64_t t = *reinterpret_cast<int64_t*>(p[2] + i * s[2]);
      *reinterpret_cast<int64_t*>(p[0] + i * s[0]) = 100 * r + t;
    }
  });
  // out[i][j] = 100 * j + tr[i][j] = 100 * j + (3 * j + i)
  std::vector<int64_t> want;
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 4; ++j) want.push_back(100 * j + 3 * j + i);
  EXPECT_EQ(values<int64_t>(out), want);
}

TEST(TensorIterator, CoalescesContiguousOperands) {
  Tensor a = zeros({4, 5, 6}), b = zeros({4, 5, 6});
  TensorIterator it;
  it.add_output(a).add_input(b).build("test");
  EXPECT_EQ(it.ndim(), 1);
  EXPECT_TRUE(it.is_contiguous());
  TensorIterator strided;
  strided.add_output(a).add_input(b.transpose(0, 2).contiguous().transpose(0, 2)).build("test");
  EXPECT_FALSE(strided.is_contiguous());
  EXPECT_EQ(strided.numel(), 120);
}

TEST(Views, SliceWithHugeStepDoesNotOverflow) {
  Tensor t = arange(0, 5);
  Tensor s = t.slice(0, 1, std::nullopt, INT64_MAX);
  EXPECT_EQ(s.sizes(), (DimVector{1}));
  EXPECT_EQ(s.item().to_int(), 1);
}
