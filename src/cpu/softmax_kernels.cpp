// CPU softmax and log_softmax along one dim of a contiguous input seen as
// [outer, n, inner]: subtract the max before exp (no overflow), sum, scale.
// float16/bfloat16 compute in float32. Threads split the outer index.
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "ember/core/reduce_kernels.h"
#include "vec_math.h"

namespace ember {
namespace {

template <class C>
void scalar_exp(const C* in, C* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);
}

// The max of a contiguous line in 8 branch-free lanes, so the loop
// vectorizes. NaNs are skipped here on purpose: a NaN in the line makes its
// exp sum NaN, so every output of the line is NaN anyway.
template <class T, class C>
C line_max(const T* x, int64_t n) {
  C lane[8];
  for (auto& l : lane) l = -std::numeric_limits<C>::infinity();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) {
      const C v = static_cast<C>(x[i + k]);
      lane[k] = v > lane[k] ? v : lane[k];
    }
  }
  for (; i < n; ++i) {
    const C v = static_cast<C>(x[i]);
    lane[0] = v > lane[0] ? v : lane[0];
  }
  C m = lane[0];
  for (int k = 1; k < 8; ++k) m = lane[k] > m ? lane[k] : m;
  return m;
}

// Softmax along the last dim (inner == 1), the common case: the line goes
// through a buffer in the compute dtype in chunks, exp runs on the
// vectorized kernels (Note [Vectorized math]), the sum has 8 lanes.
template <class T, bool Log>
void softmax_last_dim(const T* x, T* y, int64_t outer, int64_t n) {
  using C = detail::compute_t<T>;
  const cpu::vec::Kernels* table = cpu::vec::kernels();
  void (*vexp)(const C*, C*, int64_t) = &scalar_exp<C>;
  if (table) {
    if constexpr (std::is_same_v<C, float>) vexp = table->f32[cpu::vec::Exp];
    else vexp = table->f64[cpu::vec::Exp];
  }
  constexpr int64_t kBuf = 512;
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, 4 * n));
  parallel_for(0, outer, grain, [&](int64_t b, int64_t e) {
    C buf[kBuf];
    for (int64_t o = b; o < e; ++o) {
      const T* xo = x + o * n;
      T* yo = y + o * n;
      C mx = line_max<T, C>(xo, n);
      // An all -inf line has max -inf; shifting by 0 instead gives nan as PyTorch does.
      if (std::isinf(mx)) mx = mx > 0 ? mx : C(0);
      C lanes[8] = {};
      // Softmax in float/double computes exp(x - max) in the output itself
      // (no staging copy); the others go through the buffer.
      constexpr bool kInPlace = !Log && std::is_same_v<T, C>;
      for (int64_t i0 = 0; i0 < n; i0 += kBuf) {
        const int64_t m = std::min(kBuf, n - i0);
        C* e = kInPlace ? reinterpret_cast<C*>(yo + i0) : buf;
        for (int64_t i = 0; i < m; ++i) e[i] = static_cast<C>(xo[i0 + i]) - mx;
        vexp(e, e, m);
        int64_t i = 0;
        for (; i + 8 <= m; i += 8)
          for (int k = 0; k < 8; ++k) lanes[k] += e[i + k];
        for (; i < m; ++i) lanes[0] += e[i];
        if constexpr (!Log && !kInPlace)
          for (int64_t j = 0; j < m; ++j) yo[i0 + j] = static_cast<T>(buf[j]);
      }
      const C sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
      if constexpr (Log) {
        const C logsum = std::log(sum);
        for (int64_t i = 0; i < n; ++i) yo[i] = static_cast<T>((static_cast<C>(xo[i]) - mx) - logsum);
      } else if constexpr (std::is_same_v<T, C>) {
        const C inv = C(1) / sum;
        for (int64_t i = 0; i < n; ++i) yo[i] *= inv;
      } else {
        // float16/bfloat16: recompute exp rather than round it twice.
        const C inv = C(1) / sum;
        for (int64_t i0 = 0; i0 < n; i0 += kBuf) {
          const int64_t m = std::min(kBuf, n - i0);
          for (int64_t i = 0; i < m; ++i) buf[i] = static_cast<C>(xo[i0 + i]) - mx;
          vexp(buf, buf, m);
          for (int64_t i = 0; i < m; ++i) yo[i0 + i] = static_cast<T>(buf[i] * inv);
        }
      }
    }
  });
}

template <class T, bool Log>
void softmax_lines(const Tensor& out, const Tensor& in, int64_t dim) {
  using C = detail::compute_t<T>;
  int64_t outer = 1, n = 1, inner = 1;
  for (int64_t d = 0; d < in.dim(); ++d) {
    if (d < dim) outer *= in.sizes()[d];
    else if (d == dim) n = in.sizes()[d];
    else inner *= in.sizes()[d];
  }
  const T* x = static_cast<const T*>(in.data_ptr());
  T* y = static_cast<T*>(out.data_ptr());
  if (inner == 1) return softmax_last_dim<T, Log>(x, y, outer, n);
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, n * inner));
  parallel_for(0, outer, grain, [&](int64_t b, int64_t e) {
    std::vector<C> mx(inner), sum(inner);
    for (int64_t o = b; o < e; ++o) {
      const T* xo = x + o * n * inner;
      T* yo = y + o * n * inner;
      std::fill(mx.begin(), mx.end(), -std::numeric_limits<C>::infinity());
      std::fill(sum.begin(), sum.end(), C(0));
      for (int64_t k = 0; k < n; ++k) {
        for (int64_t j = 0; j < inner; ++j) {
          C v = static_cast<C>(xo[k * inner + j]);
          mx[j] = (v > mx[j] || std::isnan(v)) ? v : mx[j];
        }
      }
      // An all -inf line has max -inf; shifting by 0 instead gives nan as PyTorch does.
      for (int64_t j = 0; j < inner; ++j) {
        if (std::isinf(mx[j])) mx[j] = mx[j] > 0 ? mx[j] : C(0);
      }
      // Softmax in float/double keeps exp(x - max) in the output and scales
      // it afterwards (one exp per element); float16/bfloat16 recompute it
      // rather than round it twice.
      constexpr bool kStoreExp = !Log && std::is_same_v<T, C>;
      for (int64_t k = 0; k < n; ++k) {
        for (int64_t j = 0; j < inner; ++j) {
          C ev = std::exp(static_cast<C>(xo[k * inner + j]) - mx[j]);
          if constexpr (kStoreExp) yo[k * inner + j] = ev;
          sum[j] += ev;
        }
      }
      for (int64_t j = 0; j < inner; ++j) sum[j] = Log ? std::log(sum[j]) : C(1) / sum[j];
      for (int64_t k = 0; k < n; ++k) {
        for (int64_t j = 0; j < inner; ++j) {
          if constexpr (kStoreExp) {
            yo[k * inner + j] *= sum[j];
          } else {
            C v = static_cast<C>(xo[k * inner + j]) - mx[j];
            yo[k * inner + j] = static_cast<T>(Log ? v - sum[j] : std::exp(v) * sum[j]);
          }
        }
      }
    }
  });
}

template <bool Log>
void softmax_kernel(const Tensor& out, const Tensor& in, int64_t dim) {
  dispatch_floating(in.dtype(), Log ? "log_softmax" : "softmax",
                    [&]<class T>() { softmax_lines<T, Log>(out, in, dim); });
}

}  // namespace

EMBER_REGISTER_KERNEL(softmax_stub, CPU, &softmax_kernel<false>);
EMBER_REGISTER_KERNEL(log_softmax_stub, CPU, &softmax_kernel<true>);

}  // namespace ember
