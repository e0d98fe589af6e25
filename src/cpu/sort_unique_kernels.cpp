// CPU kernel for unique / unique_consecutive: a stable lexicographic sort
// of row numbers (skipped for consecutive), then one pass that starts a new
// group wherever a row differs from the previous one.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include "ember/core/sort_kernels.h"

namespace ember {
namespace {

template <class K>
bool nan_less(K a, K b) {  // Note [NaN order] in sort_kernels.cpp
  if constexpr (std::is_floating_point_v<K>) {
    return a < b || (std::isnan(b) && !std::isnan(a));
  } else {
    return a < b;
  }
}

Tensor int64_tensor(const std::vector<int64_t>& v) {
  Tensor t = empty({static_cast<int64_t>(v.size())}, TensorOptions(DType::Int64));
  if (!v.empty()) std::memcpy(t.data_ptr(), v.data(), v.size() * sizeof(int64_t));
  return t;
}

std::tuple<Tensor, Tensor, Tensor> unique_kernel(const Tensor& rows, bool consecutive) {
  int64_t n = rows.size(0), m = rows.size(1);
  Tensor inverse = empty({n}, TensorOptions(DType::Int64));
  int64_t* inv = static_cast<int64_t*>(inverse.data_ptr());
  std::vector<int64_t> order(n), first, counts;
  std::iota(order.begin(), order.end(), int64_t(0));
  dispatch_all(rows.dtype(), [&]<class T>() {
    if constexpr (!detail::is_complex_v<T>) {
      using K = detail::compute_t<T>;
      const T* p = static_cast<const T*>(rows.data_ptr());
      auto less = [&](int64_t a, int64_t b) {
        for (int64_t j = 0; j < m; ++j) {
          K x = static_cast<K>(p[a * m + j]), y = static_cast<K>(p[b * m + j]);
          if (nan_less(x, y)) return true;
          if (nan_less(y, x)) return false;
        }
        return false;
      };
      // NaN equals nothing, so every NaN is its own group (as in PyTorch).
      auto equal = [&](int64_t a, int64_t b) {
        for (int64_t j = 0; j < m; ++j) {
          if (!(static_cast<K>(p[a * m + j]) == static_cast<K>(p[b * m + j]))) return false;
        }
        return true;
      };
      if (!consecutive) std::stable_sort(order.begin(), order.end(), less);
      for (int64_t t = 0; t < n; ++t) {
        int64_t r = order[t];
        if (t == 0 || !equal(order[t - 1], r)) {
          first.push_back(r);
          counts.push_back(0);
        }
        ++counts.back();
        inv[r] = static_cast<int64_t>(first.size()) - 1;
      }
    }
  });
  return {int64_tensor(first), inverse, int64_tensor(counts)};
}

}  // namespace

EMBER_REGISTER_KERNEL(unique_stub, CPU, &unique_kernel);

}  // namespace ember
