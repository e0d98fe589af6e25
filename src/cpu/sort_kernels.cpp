// CPU kernels for sort, topk and kthvalue: each 1-D slice along dim is
// gathered into a contiguous (key, index) buffer, ordered with the standard
// algorithms, and written back; slices run in parallel
// (Note [Rows along a dim]).
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/core/sort_kernels.h"

namespace ember {
namespace {

template <class K>
bool is_nan(K v) {
  if constexpr (std::is_floating_point_v<K>) {
    return std::isnan(v);
  } else {
    return false;
  }
}

// Note [NaN order]: NaN is the largest value, so it sorts last ascending
// and first descending, as in PyTorch (and NumPy for ascending).
template <class K>
struct Less {
  bool operator()(const std::pair<K, int64_t>& a, const std::pair<K, int64_t>& b) const {
    return a.first < b.first || (is_nan(b.first) && !is_nan(a.first));
  }
};
template <class K>
struct Greater {
  bool operator()(const std::pair<K, int64_t>& a, const std::pair<K, int64_t>& b) const {
    return a.first > b.first || (is_nan(a.first) && !is_nan(b.first));
  }
};

// Calls fn(in, n, in_stride, buf, row) for each row of x along dim with buf
// filled with (key, position); keys are float for float16/bfloat16.
template <class T, class F>
void for_each_row(const Tensor& x, int64_t dim, F fn) {
  using K = detail::compute_t<T>;
  DimRows rows(x.sizes(), dim);
  DimVector xs = DimRows::other_strides(x, dim);
  const T* base = static_cast<const T*>(x.data_ptr());
  int64_t n = x.size(dim), stride = x.stride(dim);
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1));
  parallel_for(0, rows.count, grain, [&](int64_t b, int64_t e) {
    std::vector<std::pair<K, int64_t>> buf(n);  // one buffer per chunk
    for (int64_t r = b; r < e; ++r) {
      const T* in = base + rows.offset(r, xs);
      for (int64_t j = 0; j < n; ++j) buf[j] = {static_cast<K>(in[j * stride]), j};
      fn(in, stride, buf, rows, r);
    }
  });
}

// Writes the first m entries of buf to a row of values/indices.
template <class T, class K>
struct RowWriter {
  T* v;
  int64_t* i;
  DimVector vs, is;
  int64_t v_step, i_step;
  RowWriter(const Tensor& values, const Tensor& indices, int64_t dim)
      : v(static_cast<T*>(values.data_ptr())), i(static_cast<int64_t*>(indices.data_ptr())),
        vs(DimRows::other_strides(values, dim)), is(DimRows::other_strides(indices, dim)),
        v_step(values.stride(dim)), i_step(indices.stride(dim)) {}
  void write(const DimRows& rows, int64_t r, const T* in, int64_t in_stride,
             const std::vector<std::pair<K, int64_t>>& buf, int64_t m) const {
    T* vr = v + rows.offset(r, vs);
    int64_t* ir = i + rows.offset(r, is);
    for (int64_t j = 0; j < m; ++j) {
      vr[j * v_step] = in[buf[j].second * in_stride];  // the original element, bit for bit
      ir[j * i_step] = buf[j].second;
    }
  }
};

// Sorts one row stably: NaNs are split off first (last ascending, first
// descending), then the rest is ordered by (key, position), which gives
// the stable order with the faster unstable std::sort.
template <class K>
void sort_row(std::vector<std::pair<K, int64_t>>& buf, bool descending) {
  using P = std::pair<K, int64_t>;
  auto by_position = [](const P& a, const P& b) { return a.second < b.second; };
  auto nan_first = [](const P& p) { return is_nan(p.first); };
  auto lo = buf.begin(), hi = buf.end();
  if constexpr (std::is_floating_point_v<K>) {
    if (descending) {
      lo = std::partition(buf.begin(), buf.end(), nan_first);
      std::sort(buf.begin(), lo, by_position);
    } else {
      hi = std::partition(buf.begin(), buf.end(), [](const P& p) { return !is_nan(p.first); });
      std::sort(hi, buf.end(), by_position);
    }
  }
  if (descending) {
    std::sort(lo, hi, [](const P& a, const P& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
  } else {
    std::sort(lo, hi, [](const P& a, const P& b) {
      return a.first < b.first || (a.first == b.first && a.second < b.second);
    });
  }
}

void sort_kernel(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim,
                 bool descending) {
  dispatch_all(self.dtype(), [&]<class T>() {
    if constexpr (!detail::is_complex_v<T>) {
      using K = detail::compute_t<T>;
      RowWriter<T, K> out(values, indices, dim);
      int64_t n = self.size(dim);
      for_each_row<T>(self, dim, [&](const T* in, int64_t stride, auto& buf, const DimRows& rows,
                                     int64_t r) {
        sort_row(buf, descending);
        out.write(rows, r, in, stride, buf, n);
      });
    }
  });
}

void topk_kernel(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim,
                 int64_t k, bool largest, bool sorted) {
  dispatch_all(self.dtype(), [&]<class T>() {
    if constexpr (!detail::is_complex_v<T>) {
      using K = detail::compute_t<T>;
      RowWriter<T, K> out(values, indices, dim);
      for_each_row<T>(self, dim, [&](const T* in, int64_t stride, auto& buf, const DimRows& rows,
                                     int64_t r) {
        auto select = [&](auto cmp) {
          if (sorted) {
            std::partial_sort(buf.begin(), buf.begin() + k, buf.end(), cmp);
          } else {
            std::nth_element(buf.begin(), buf.begin() + (k - 1), buf.end(), cmp);
          }
        };
        if (largest) {
          select(Greater<K>());
        } else {
          select(Less<K>());
        }
        out.write(rows, r, in, stride, buf, k);
      });
    }
  });
}

void kthvalue_kernel(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim,
                     int64_t k) {
  dispatch_all(self.dtype(), [&]<class T>() {
    if constexpr (!detail::is_complex_v<T>) {
      using K = detail::compute_t<T>;
      RowWriter<T, K> out(values, indices, dim);
      for_each_row<T>(self, dim, [&](const T* in, int64_t stride, auto& buf, const DimRows& rows,
                                     int64_t r) {
        std::nth_element(buf.begin(), buf.begin() + (k - 1), buf.end(), Less<K>());
        std::swap(buf[0], buf[k - 1]);
        out.write(rows, r, in, stride, buf, 1);
      });
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(sort_stub, CPU, &sort_kernel);
EMBER_REGISTER_KERNEL(topk_stub, CPU, &topk_kernel);
EMBER_REGISTER_KERNEL(kthvalue_stub, CPU, &kthvalue_kernel);

}  // namespace ember
