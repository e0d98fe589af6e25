// CPU kernels of the matrix products: batched GEMM through OpenBLAS for
// float/double/complex, a blocked loop for integers (Note [BLAS threads]).
#include <algorithm>
#include <cstring>
#include <optional>

#include "blas.h"
#include "ember/core/dtype.h"
#include "ember/core/parallel.h"
#include "ember/ops/linalg.h"

namespace ember::cpu {

namespace {

// How BLAS can read a (rows x cols) matrix with these element strides:
// row-major as is (trans = false) or as the transpose of a row-major one.
struct Layout {
  bool trans;
  int64_t ld;
};
std::optional<Layout> blas_layout(int64_t sr, int64_t sc, int64_t rows, int64_t cols) {
  if ((sc == 1 || cols <= 1) && (rows <= 1 || sr >= std::max<int64_t>(1, cols)))
    return Layout{false, rows <= 1 ? std::max<int64_t>(1, cols) : sr};
  if ((sr == 1 || rows <= 1) && (cols <= 1 || sc >= std::max<int64_t>(1, rows)))
    return Layout{true, cols <= 1 ? std::max<int64_t>(1, rows) : sc};
  return std::nullopt;
}

template <class T>
void bmm_blas(const Tensor& out, Tensor a, Tensor b) {
  const int64_t B = out.size(0), M = out.size(1), N = out.size(2), K = a.size(2);
  auto la = blas_layout(a.stride(1), a.stride(2), M, K);
  if (!la) a = a.contiguous(), la = Layout{false, std::max<int64_t>(1, K)};
  auto lb = blas_layout(b.stride(1), b.stride(2), K, N);
  if (!lb) b = b.contiguous(), lb = Layout{false, std::max<int64_t>(1, N)};
  const T* pa = a.data_ptr<T>();
  const T* pb = b.data_ptr<T>();
  T* po = out.data_ptr<T>();
  const int64_t sa = a.stride(0), sb = b.stride(0);
  const int64_t ldc = std::max<int64_t>(1, N);
  auto one = [&](int64_t i, bool may_thread) {
    blas::gemm<T>(la->trans, false, lb->trans, false, M, N, K, T(1), pa + i * sa, la->ld, pb + i * sb, lb->ld,
                  T(0), po + i * M * N, ldc, may_thread);
  };
  if (B == 1) {
    one(0, true);
    return;
  }
  // Batches run in our pool, each BLAS call single-threaded.
  const int64_t work = std::max<int64_t>(1, M * N * std::max<int64_t>(K, 1));
  parallel_for(0, B, std::max<int64_t>(1, kGrainSize / work), [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) one(i, false);
  });
}

// Integers: rows of out accumulate rows of b (contiguous) scaled by a[i, k],
// which the compiler vectorizes; rows are split over the pool.
template <class T>
void bmm_integer(const Tensor& out, const Tensor& a, Tensor b) {
  const int64_t B = out.size(0), M = out.size(1), N = out.size(2), K = a.size(2);
  b = b.contiguous();
  const T* pa = a.data_ptr<T>();
  const T* pb = b.data_ptr<T>();
  T* po = out.data_ptr<T>();
  const int64_t sa0 = a.stride(0), sa1 = a.stride(1), sa2 = a.stride(2), sb0 = b.stride(0);
  const int64_t work = std::max<int64_t>(1, N * std::max<int64_t>(K, 1));
  parallel_for(0, B * M, std::max<int64_t>(1, kGrainSize / work), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const int64_t bi = r / M, i = r % M;
      T* o = po + r * N;
      std::fill(o, o + N, T(0));
      const T* arow = pa + bi * sa0 + i * sa1;
      const T* bmat = pb + bi * sb0;
      for (int64_t k = 0; k < K; ++k) {
        const T aik = arow[k * sa2];
        if (aik == T(0)) continue;
        const T* brow = bmat + k * N;
        for (int64_t j = 0; j < N; ++j) o[j] = static_cast<T>(o[j] + aik * brow[j]);
      }
    }
  });
}

template <class T>
void conj_typed(const Tensor& out, const Tensor& in) {
  Tensor src = in.contiguous();
  const T* p = src.data_ptr<T>();
  T* o = out.data_ptr<T>();
  parallel_for(0, out.numel(), kGrainSize, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) o[i] = std::conj(p[i]);
  });
}

void conj_kernel(const Tensor& out, const Tensor& in) {
  if (out.dtype() == DType::Complex64) return conj_typed<std::complex<float>>(out, in);
  if (out.dtype() == DType::Complex128) return conj_typed<std::complex<double>>(out, in);
  Tensor(out).copy_(in);
}

void bmm_kernel(const Tensor& out, const Tensor& a_in, const Tensor& b, bool conj_a) {
  if (out.numel() == 0) return;
  if (a_in.size(2) == 0) {  // an empty sum: BLAS is not asked to zero C
    std::memset(out.data_ptr(), 0, out.nbytes());
    return;
  }
  Tensor a = a_in;
  if (conj_a && is_complex(a.dtype())) {
    a = empty(a_in.sizes(), a_in.options());
    conj_kernel(a, a_in);
  }
  switch (out.dtype()) {
    case DType::Float32: return bmm_blas<float>(out, a, b);
    case DType::Float64: return bmm_blas<double>(out, a, b);
    case DType::Complex64: return bmm_blas<std::complex<float>>(out, a, b);
    case DType::Complex128: return bmm_blas<std::complex<double>>(out, a, b);
    case DType::UInt8: return bmm_integer<uint8_t>(out, a, b);
    case DType::Int8: return bmm_integer<int8_t>(out, a, b);
    case DType::Int16: return bmm_integer<int16_t>(out, a, b);
    case DType::Int32: return bmm_integer<int32_t>(out, a, b);
    case DType::Int64: return bmm_integer<int64_t>(out, a, b);
    default:
      EMBER_THROW(TypeError, "[matmul] not implemented for dtype ", dtype_name(out.dtype()));
  }
}

}  // namespace

EMBER_REGISTER_KERNEL(bmm_stub, CPU, &bmm_kernel);

}  // namespace ember::cpu

namespace ember {
int blas_num_threads() { return blas::num_threads(); }
}  // namespace ember
