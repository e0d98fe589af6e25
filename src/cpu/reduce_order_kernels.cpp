// CPU order statistics over the rows of a contiguous [rows, n] input:
// median (nth_element), mode (sort and count runs) and quantiles (sort,
// then interpolate). Rows are split across threads; each thread reuses one
// scratch buffer.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "ember/core/reduce_kernels.h"

namespace ember {
namespace {

template <class C>
bool is_nan(C v) {
  if constexpr (std::is_floating_point_v<C>) return std::isnan(v);
  else return false;
}

int64_t row_grain(int64_t n) { return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, n * 8)); }

// The lower median (element (n-1)/2 in order); NaN if the row has one,
// unless ignore_nan, which takes the median of the other values.
template <class T>
void median_rows(const Tensor& values, const Tensor& indices, const Tensor& rows, bool ignore_nan) {
  using C = detail::compute_t<T>;
  int64_t m = rows.sizes()[0], n = rows.sizes()[1];
  const T* x = static_cast<const T*>(rows.data_ptr());
  T* v = static_cast<T*>(values.data_ptr());
  int64_t* ix = static_cast<int64_t*>(indices.data_ptr());
  parallel_for(0, m, row_grain(n), [&](int64_t b, int64_t e) {
    std::vector<std::pair<C, int64_t>> buf;
    buf.reserve(n);
    for (int64_t r = b; r < e; ++r) {
      buf.clear();
      int64_t first_nan = -1;
      for (int64_t i = 0; i < n; ++i) {
        C c = static_cast<C>(x[r * n + i]);
        if (is_nan(c)) {
          if (first_nan < 0) first_nan = i;
        } else {
          buf.emplace_back(c, i);
        }
      }
      if (first_nan >= 0 && (!ignore_nan || buf.empty())) {
        v[r] = x[r * n + first_nan];
        ix[r] = first_nan;
        continue;
      }
      auto mid = buf.begin() + (static_cast<int64_t>(buf.size()) - 1) / 2;
      std::nth_element(buf.begin(), mid, buf.end());
      v[r] = static_cast<T>(mid->first);
      ix[r] = mid->second;
    }
  });
}

// The most frequent value (the smallest on ties) and its last index.
template <class T>
void mode_rows(const Tensor& values, const Tensor& indices, const Tensor& rows) {
  using C = detail::compute_t<T>;
  int64_t m = rows.sizes()[0], n = rows.sizes()[1];
  const T* x = static_cast<const T*>(rows.data_ptr());
  T* v = static_cast<T*>(values.data_ptr());
  int64_t* ix = static_cast<int64_t*>(indices.data_ptr());
  parallel_for(0, m, row_grain(n), [&](int64_t b, int64_t e) {
    std::vector<std::pair<C, int64_t>> buf(n);
    for (int64_t r = b; r < e; ++r) {
      for (int64_t i = 0; i < n; ++i) buf[i] = {static_cast<C>(x[r * n + i]), i};
      std::sort(buf.begin(), buf.end(), [](const auto& p, const auto& q) {
        // NaNs last, then by value, then by index.
        if (is_nan(p.first) || is_nan(q.first)) return !is_nan(p.first) && is_nan(q.first);
        return p.first < q.first || (p.first == q.first && p.second < q.second);
      });
      int64_t best = 0, best_count = 0, run = 0;
      for (int64_t i = 0; i < n; ++i) {
        ++run;
        bool end = i == n - 1 || !(buf[i].first == buf[i + 1].first);
        if (end) {
          if (run > best_count) {
            best_count = run;
            best = i;
          }
          run = 0;
        }
      }
      v[r] = static_cast<T>(buf[best].first);
      ix[r] = buf[best].second;
    }
  });
}

template <class T>
void quantile_rows(const Tensor& out, const Tensor& rows, const std::vector<double>& qs,
                   QuantileInterpolation mode, bool ignore_nan) {
  int64_t m = rows.sizes()[0], n = rows.sizes()[1];
  const T* x = static_cast<const T*>(rows.data_ptr());
  T* y = static_cast<T*>(out.data_ptr());
  int64_t nq = static_cast<int64_t>(qs.size());
  parallel_for(0, m, row_grain(n), [&](int64_t b, int64_t e) {
    std::vector<double> buf;
    buf.reserve(n);
    for (int64_t r = b; r < e; ++r) {
      buf.clear();
      bool has_nan = false;
      for (int64_t i = 0; i < n; ++i) {
        double c = static_cast<double>(x[r * n + i]);
        if (std::isnan(c)) has_nan = true;
        else buf.push_back(c);
      }
      if ((has_nan && !ignore_nan) || buf.empty()) {
        for (int64_t k = 0; k < nq; ++k) y[k * m + r] = static_cast<T>(std::nan(""));
        continue;
      }
      std::sort(buf.begin(), buf.end());
      double last = static_cast<double>(buf.size() - 1);
      for (int64_t k = 0; k < nq; ++k) {
        double rank = qs[k] * last;
        auto lo = static_cast<int64_t>(std::floor(rank)), hi = static_cast<int64_t>(std::ceil(rank));
        double w = rank - static_cast<double>(lo), res;
        switch (mode) {
          case QuantileInterpolation::Lower: res = buf[lo]; break;
          case QuantileInterpolation::Higher: res = buf[hi]; break;
          case QuantileInterpolation::Midpoint: res = buf[lo] + 0.5 * (buf[hi] - buf[lo]); break;
          case QuantileInterpolation::Nearest: res = buf[static_cast<int64_t>(std::nearbyint(rank))]; break;
          default: res = buf[lo] + w * (buf[hi] - buf[lo]); break;
        }
        y[k * m + r] = static_cast<T>(res);
      }
    }
  });
}

void median_kernel(const Tensor& values, const Tensor& indices, const Tensor& rows, bool ignore_nan) {
  if (rows.dtype() == DType::Bool) return median_rows<bool>(values, indices, rows, ignore_nan);
  dispatch_real(rows.dtype(), ignore_nan ? "nanmedian" : "median",
                [&]<class T>() { median_rows<T>(values, indices, rows, ignore_nan); });
}

void mode_kernel(const Tensor& values, const Tensor& indices, const Tensor& rows) {
  if (rows.dtype() == DType::Bool) return mode_rows<bool>(values, indices, rows);
  dispatch_real(rows.dtype(), "mode", [&]<class T>() { mode_rows<T>(values, indices, rows); });
}

void quantile_kernel(const Tensor& out, const Tensor& rows, const std::vector<double>& q, QuantileInterpolation mode,
                     bool ignore_nan) {
  dispatch_floating(rows.dtype(), ignore_nan ? "nanquantile" : "quantile",
                    [&]<class T>() { quantile_rows<T>(out, rows, q, mode, ignore_nan); });
}

}  // namespace

EMBER_REGISTER_KERNEL(median_stub, CPU, &median_kernel);
EMBER_REGISTER_KERNEL(mode_stub, CPU, &mode_kernel);
EMBER_REGISTER_KERNEL(quantile_stub, CPU, &quantile_kernel);

}  // namespace ember
