// CPU kernel for searchsorted: a binary search per value, values in
// parallel. NaN counts as the largest value (Note [NaN order]).
#include <algorithm>
#include <cmath>

#include "ember/core/parallel.h"
#include "ember/core/sort_kernels.h"

namespace ember {
namespace {

template <class K>
bool nan_less(K a, K b) {
  if constexpr (std::is_floating_point_v<K>) {
    return a < b || (std::isnan(b) && !std::isnan(a));
  } else {
    return a < b;
  }
}

void searchsorted_kernel(const Tensor& boundaries, const Tensor& values, const Tensor& sorter,
                         const Tensor& out, bool right) {
  int64_t nb = boundaries.size(1), nv = values.size(1), total = values.numel();
  bool per_row = boundaries.size(0) > 1 || values.size(0) == 1;
  const int64_t* order = sorter.defined() ? static_cast<const int64_t*>(sorter.data_ptr()) : nullptr;
  if (order) {
    for (int64_t i = 0; i < sorter.numel(); ++i) {
      EMBER_CHECK(order[i] >= 0 && order[i] < nb, RuntimeError,
                  "[searchsorted] sorter index out of range (", order[i], " for a sequence of ", nb,
                  ")");
    }
  }
  bool int32_out = out.dtype() == DType::Int32;
  dispatch_all(boundaries.dtype(), [&]<class T>() {
    if constexpr (!detail::is_complex_v<T>) {
      using K = detail::compute_t<T>;
      const T* b = static_cast<const T*>(boundaries.data_ptr());
      const T* v = static_cast<const T*>(values.data_ptr());
      parallel_for(0, total, kGrainSize / 16, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          int64_t row = per_row ? i / nv : 0;
          const T* br = b + row * nb;
          const int64_t* orow = order ? order + row * nb : nullptr;
          K x = static_cast<K>(v[i]);
          // First position whose boundary is >= x (left) or > x (right).
          int64_t lo = 0, hi = nb;
          while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            K y = static_cast<K>(br[orow ? orow[mid] : mid]);
            bool go_right = right ? !nan_less(x, y) : nan_less(y, x);
            if (go_right) {
              lo = mid + 1;
            } else {
              hi = mid;
            }
          }
          if (int32_out) {
            static_cast<int32_t*>(out.data_ptr())[i] = static_cast<int32_t>(lo);
          } else {
            static_cast<int64_t*>(out.data_ptr())[i] = lo;
          }
        }
      });
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(searchsorted_stub, CPU, &searchsorted_kernel);

}  // namespace ember
