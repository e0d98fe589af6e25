// CPU scans along one dim of a contiguous input: the tensor is seen as
// [outer, n, inner]. inner == 1 runs each row sequentially; otherwise a
// running accumulator row of `inner` elements is carried down the dim, which
// vectorizes. Lines are split across threads by outer index.
#include <cmath>
#include <vector>

#include "ember/core/reduce_kernels.h"

namespace ember {
namespace {

struct Lines {
  int64_t outer = 1, n = 1, inner = 1;
  Lines(const Tensor& t, int64_t dim) {
    for (int64_t d = 0; d < t.dim(); ++d) {
      if (d < dim) outer *= t.sizes()[d];
      else if (d == dim) n = t.sizes()[d];
      else inner *= t.sizes()[d];
    }
  }
};

// Sums and products: float16/bfloat16 accumulate in float32.
template <class T, bool IsSum>
void accumulate_scan(const Tensor& out, const Tensor& in, int64_t dim) {
  using Acc = detail::compute_t<T>;
  Lines g(in, dim);
  const T* x = static_cast<const T*>(in.data_ptr());
  T* y = static_cast<T*>(out.data_ptr());
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, g.n * g.inner));
  parallel_for(0, g.outer, grain, [&](int64_t b, int64_t e) {
    std::vector<Acc> acc(g.inner);
    for (int64_t o = b; o < e; ++o) {
      const T* xo = x + o * g.n * g.inner;
      T* yo = y + o * g.n * g.inner;
      std::fill(acc.begin(), acc.end(), Acc(IsSum ? 0 : 1));
      for (int64_t k = 0; k < g.n; ++k) {
        for (int64_t j = 0; j < g.inner; ++j) {
          Acc v = static_cast<Acc>(xo[k * g.inner + j]);
          acc[j] = IsSum ? acc[j] + v : acc[j] * v;
          yo[k * g.inner + j] = static_cast<T>(acc[j]);
        }
      }
    }
  });
}

// cummax/cummin as PyTorch: a NaN is taken (and a later NaN moves the index);
// ties move the index to the later element.
template <class T, bool IsMax>
void extreme_scan(const Tensor& out, const Tensor& indices, const Tensor& in, int64_t dim) {
  using C = detail::compute_t<T>;
  Lines g(in, dim);
  const T* x = static_cast<const T*>(in.data_ptr());
  T* y = static_cast<T*>(out.data_ptr());
  int64_t* ix = static_cast<int64_t*>(indices.data_ptr());
  auto isnan_ = [](C v) {
    if constexpr (detail::is_float_v<T>) return std::isnan(v);
    else return false;
  };
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, g.n * g.inner));
  parallel_for(0, g.outer, grain, [&](int64_t b, int64_t e) {
    for (int64_t o = b; o < e; ++o) {
      int64_t base = o * g.n * g.inner;
      for (int64_t j = 0; j < g.inner; ++j) {
        C best = static_cast<C>(x[base + j]);
        int64_t bi = 0;
        for (int64_t k = 0; k < g.n; ++k) {
          int64_t p = base + k * g.inner + j;
          C v = static_cast<C>(x[p]);
          if (isnan_(v) || (!isnan_(best) && (IsMax ? v >= best : v <= best))) {
            best = v;
            bi = k;
          }
          y[p] = static_cast<T>(best);
          ix[p] = bi;
        }
      }
    }
  });
}

void cumsum_kernel(const Tensor& out, const Tensor&, const Tensor& in, int64_t dim) {
  dispatch_numeric(in.dtype(), "cumsum", [&]<class T>() { accumulate_scan<T, true>(out, in, dim); });
}
void cumprod_kernel(const Tensor& out, const Tensor&, const Tensor& in, int64_t dim) {
  dispatch_numeric(in.dtype(), "cumprod", [&]<class T>() { accumulate_scan<T, false>(out, in, dim); });
}
template <bool IsMax>
void cumextreme_kernel(const Tensor& out, const Tensor& idx, const Tensor& in, int64_t dim) {
  if (in.dtype() == DType::Bool) return extreme_scan<bool, IsMax>(out, idx, in, dim);
  dispatch_real(in.dtype(), IsMax ? "cummax" : "cummin",
                [&]<class T>() { extreme_scan<T, IsMax>(out, idx, in, dim); });
}

}  // namespace

EMBER_REGISTER_KERNEL(cumsum_stub, CPU, &cumsum_kernel);
EMBER_REGISTER_KERNEL(cumprod_stub, CPU, &cumprod_kernel);
EMBER_REGISTER_KERNEL(cummax_stub, CPU, &cumextreme_kernel<true>);
EMBER_REGISTER_KERNEL(cummin_stub, CPU, &cumextreme_kernel<false>);

}  // namespace ember
