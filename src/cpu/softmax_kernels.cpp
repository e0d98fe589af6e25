// CPU softmax and log_softmax along one dim of a contiguous input seen as
// [outer, n, inner]: subtract the max before exp (no overflow), sum, scale.
// float16/bfloat16 compute in float32. Threads split the outer index.
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "ember/core/reduce_kernels.h"

namespace ember {
namespace {

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
