// CPU kernels for gather and scatter. Both walk the 1-D slices of index
// along dim (Note [Rows along a dim]); a slice of index only touches the
// matching slice of self, so slices run in parallel and the writes that
// collide (duplicate indices) stay within one thread, in index order.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/core/sort_kernels.h"

namespace ember {
namespace {

// Gather only moves elements: dispatch on their size, not their dtype.
template <int N>
struct Bytes {
  unsigned char b[N];
};
template <class F>
void dispatch_bytes(int64_t size, F&& f) {
  switch (size) {
    case 1: return f.template operator()<uint8_t>();
    case 2: return f.template operator()<uint16_t>();
    case 4: return f.template operator()<uint32_t>();
    case 8: return f.template operator()<uint64_t>();
    default: return f.template operator()<Bytes<16>>();
  }
}

[[noreturn]] void out_of_bounds(const char* op, int64_t k, int64_t dim, int64_t size) {
  EMBER_THROW(RuntimeError, "[", op, "] index ", k, " is out of bounds for dimension ", dim,
              " with size ", size);
}

int64_t row_grain(int64_t n) { return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)); }

void gather_kernel(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& out) {
  DimRows rows(index.sizes(), dim);
  DimVector ss = DimRows::other_strides(self, dim), is = DimRows::other_strides(index, dim),
            os = DimRows::other_strides(out, dim);
  int64_t n = index.size(dim), limit = self.size(dim);
  int64_t s_step = self.stride(dim), i_step = index.stride(dim), o_step = out.stride(dim);
  const int64_t* ibase = static_cast<const int64_t*>(index.data_ptr());
  dispatch_bytes(self.element_size(), [&]<class T>() {
    const T* sbase = static_cast<const T*>(self.data_ptr());
    T* obase = static_cast<T*>(out.data_ptr());
    parallel_for(0, rows.count, row_grain(n), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        const T* s = sbase + rows.offset(r, ss);
        const int64_t* ix = ibase + rows.offset(r, is);
        T* o = obase + rows.offset(r, os);
        for (int64_t j = 0; j < n; ++j) {
          int64_t k = ix[j * i_step];
          if (k < 0 || k >= limit) out_of_bounds("gather", k, dim, limit);
          o[j * o_step] = s[k * s_step];
        }
      }
    });
  });
}

template <class T>
bool nan_of(T v) {
  if constexpr (detail::is_float_v<T>) {
    return std::isnan(static_cast<detail::compute_t<T>>(v));
  } else {
    return false;
  }
}

// a (op) b for the reductions; amax/amin propagate NaN like PyTorch.
template <class T>
T combine(ScatterReduce r, T a, T b) {
  using C = detail::compute_t<T>;
  switch (r) {
    case ScatterReduce::Assign:
      return b;
    case ScatterReduce::Sum:
    case ScatterReduce::Mean:
      if constexpr (std::is_same_v<T, bool>) return a || b;
      else return static_cast<T>(C(a) + C(b));
    case ScatterReduce::Prod:
      if constexpr (std::is_same_v<T, bool>) return a && b;
      else return static_cast<T>(C(a) * C(b));
    case ScatterReduce::Amax:
    case ScatterReduce::Amin:
      if constexpr (detail::is_complex_v<T>) {
        return b;  // rejected by the ops layer
      } else {
        if (nan_of(a)) return a;
        if (nan_of(b)) return b;
        bool take_b = r == ScatterReduce::Amax ? C(b) > C(a) : C(b) < C(a);
        return take_b ? b : a;
      }
  }
  return b;
}

// sum / count; integers round toward -inf as PyTorch's scatter_reduce mean.
template <class T>
T mean_of(T sum, int64_t count) {
  using C = detail::compute_t<T>;
  if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_same_v<T, bool>) {
      return sum;  // rejected by the ops layer
    } else {
      int64_t s = static_cast<int64_t>(sum), q = s / count;
      if (s % count != 0 && (s < 0) != (count < 0)) --q;
      return static_cast<T>(q);
    }
  } else {
    return static_cast<T>(C(sum) / C(static_cast<double>(count)));
  }
}

void scatter_kernel(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                    const Scalar& value, ScatterReduce reduce, bool include_self) {
  DimRows rows(index.sizes(), dim);
  DimVector ss = DimRows::other_strides(self, dim), is = DimRows::other_strides(index, dim);
  DimVector rs = src.defined() ? DimRows::other_strides(src, dim) : DimVector(rows.other_sizes.size(), 0);
  int64_t n = index.size(dim), limit = self.size(dim);
  int64_t s_step = self.stride(dim), i_step = index.stride(dim);
  int64_t r_step = src.defined() ? src.stride(dim) : 0;
  const int64_t* ibase = static_cast<const int64_t*>(index.data_ptr());
  // Positions already written in this slice, and how often (mean).
  bool track = reduce != ScatterReduce::Assign && (!include_self || reduce == ScatterReduce::Mean);
  dispatch_all(self.dtype(), [&]<class T>() {
    T* sbase = static_cast<T*>(self.data_ptr());
    T fill = value.to<T>();
    const T* rbase = src.defined() ? static_cast<const T*>(src.data_ptr()) : &fill;
    parallel_for(0, rows.count, row_grain(n), [&](int64_t b, int64_t e) {
      std::vector<int64_t> counts(track ? limit : 0, 0);
      for (int64_t r = b; r < e; ++r) {
        T* s = sbase + rows.offset(r, ss);
        const int64_t* ix = ibase + rows.offset(r, is);
        const T* v = rbase + rows.offset(r, rs);
        for (int64_t j = 0; j < n; ++j) {
          int64_t k = ix[j * i_step];
          if (k < 0 || k >= limit) out_of_bounds("scatter", k, dim, limit);
          T& dst = s[k * s_step];
          T x = v[j * r_step];
          if (track && counts[k]++ == 0 && !include_self) {
            dst = x;  // the first value replaces self's
          } else {
            dst = combine(reduce, dst, x);
          }
        }
        if (!track) continue;
        for (int64_t j = 0; j < n; ++j) {
          int64_t k = ix[j * i_step];
          if (counts[k] == 0) continue;  // already finished
          if (reduce == ScatterReduce::Mean) {
            s[k * s_step] = mean_of(s[k * s_step], counts[k] + (include_self ? 1 : 0));
          }
          counts[k] = 0;
        }
      }
    });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(gather_stub, CPU, &gather_kernel);
EMBER_REGISTER_KERNEL(scatter_stub, CPU, &scatter_kernel);

}  // namespace ember
