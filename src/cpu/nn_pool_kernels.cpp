// CPU pooling kernels over contiguous planes (P, H, W); threads split the
// planes, so backward scatters within a plane never race.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <limits>

#include "ember/core/nn_kernels.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

template <class F>
void for_planes(int64_t P, int64_t work_per_plane, F f) {
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, work_per_plane));
  parallel_for(0, P, grain, [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) f(p);
  });
}

template <class F>
void float_or_double(DType t, F f) {
  if (t == DType::Float64) f.template operator()<double>();
  else f.template operator()<float>();
}

// Note [Branchless max]
// A window's maximum is taken with selects, not branches: on real data the
// comparison is a coin toss, and a mispredicted branch per element made
// 2x2 pooling cost ~20 ns per output. NaN wins (the last NaN of a window, as
// PyTorch); among equal maxima the first one wins.
template <class T>
inline void max_step(T v, int64_t i, T& best, int64_t& best_i) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  // Integer masks: compilers turn a float `take ? v : best` back into a branch.
  const Bits take = Bits(0) - Bits((v > best) | (v != v));
  best = std::bit_cast<T>((std::bit_cast<Bits>(v) & take) | (std::bit_cast<Bits>(best) & ~take));
  best_i = int64_t((uint64_t(i) & uint64_t(int64_t(std::make_signed_t<Bits>(take)))) |
                   (uint64_t(best_i) & ~uint64_t(int64_t(std::make_signed_t<Bits>(take)))));
}

// The kernel offsets k in [lo, hi) whose input position o * s - p + k * d lies in [0, n).
inline void window_range(int64_t o, int64_t s, int64_t p, int64_t d, int64_t k, int64_t n, int64_t& lo,
                         int64_t& hi) {
  const int64_t start = o * s - p;
  lo = start >= 0 ? 0 : (-start + d - 1) / d;
  hi = start + (k - 1) * d < n ? k : start >= n ? 0 : (n - 1 - start) / d + 1;
  hi = std::max(hi, lo);
}

// One output of a 2x2 window (a b / c d), as a tree that keeps the scan's
// answer (Note [Branchless max]): the later of two wins when it is greater or NaN.
template <class T>
inline void max_2x2_one(const T* r0, const T* r1, int64_t i0, int64_t W, T& best, int64_t& best_i) {
  T v01 = r0[0];
  int64_t i01 = i0;
  max_step(r0[1], i0 + 1, v01, i01);
  T v23 = r1[0];
  int64_t i23 = i0 + W;
  max_step(r1[1], i0 + W + 1, v23, i23);
  max_step(v23, i23, v01, i01);
  best = v01, best_i = i01;
}

// 2x2 windows, stride 2, no padding: 16-byte vectors of outputs (4 floats
// or 2 doubles, SSE2 on x86-64) with the same tree, then a scalar tail.
template <class T>
void max_pool_2x2(const T* xp, T* yp, int64_t* ip, int64_t W, int64_t OH, int64_t OW) {
  typedef T V __attribute__((vector_size(16)));
  typedef decltype(V{} < V{}) M;  // lanes of 0 / -1, as wide as T
  constexpr int L = 16 / sizeof(T);
  for (int64_t oh = 0; oh < OH; ++oh) {
    const T* r0 = xp + 2 * oh * W;
    const T* r1 = r0 + W;
    T* yr = yp + oh * OW;
    int64_t* ir = ip + oh * OW;
    int64_t ow = 0;
    for (; ow + L <= OW; ow += L) {
      V p0, p1, q0, q1;
      std::memcpy(&p0, r0 + 2 * ow, sizeof p0);
      std::memcpy(&p1, r0 + 2 * ow + L, sizeof p1);
      std::memcpy(&q0, r1 + 2 * ow, sizeof q0);
      std::memcpy(&q1, r1 + 2 * ow + L, sizeof q1);
      V a, b, c, d;
      if constexpr (L == 4) {
        a = __builtin_shufflevector(p0, p1, 0, 2, 4, 6), b = __builtin_shufflevector(p0, p1, 1, 3, 5, 7);
        c = __builtin_shufflevector(q0, q1, 0, 2, 4, 6), d = __builtin_shufflevector(q0, q1, 1, 3, 5, 7);
      } else {
        a = __builtin_shufflevector(p0, p1, 0, 2), b = __builtin_shufflevector(p0, p1, 1, 3);
        c = __builtin_shufflevector(q0, q1, 0, 2), d = __builtin_shufflevector(q0, q1, 1, 3);
      }
      const M tb = (b > a) | (b != b), td = (d > c) | (d != d);
      const V v01 = tb ? b : a, v23 = td ? d : c;
      const M t = (v23 > v01) | (v23 != v23);
      const V v = t ? v23 : v01;
      // Which of a, b, c, d won: 0..3, as the offsets 0, 1, W, W + 1.
      const M which = t ? (td ? M{} + 3 : M{} + 2) : (tb ? M{} + 1 : M{});
      std::memcpy(yr + ow, &v, sizeof v);
      for (int l = 0; l < L; ++l) {
        const int64_t k = int64_t(which[l]);
        ir[ow + l] = 2 * oh * W + 2 * (ow + l) + (k & 1) + (k >> 1) * W;
      }
    }
    for (; ow < OW; ++ow) max_2x2_one(r0 + 2 * ow, r1 + 2 * ow, 2 * oh * W + 2 * ow, W, yr[ow], ir[ow]);
  }
}

template <class T>
void max_pool_t(const Tensor& out, const Tensor& indices, const Tensor& input, const PoolGeometry& g) {
  const int64_t H = g.in[0], W = g.in[1], OH = g.out[0], OW = g.out[1];
  const T* x = input.data_ptr<T>();
  T* y = out.data_ptr<T>();
  int64_t* ind = indices.data_ptr<int64_t>();
  // 2x2 windows with stride 2 and no padding or dilation: the common case, unrolled.
  const bool two_by_two = g.kernel[0] == 2 && g.kernel[1] == 2 && g.stride[0] == 2 && g.stride[1] == 2 &&
                          g.pad[0] == 0 && g.pad[1] == 0 && g.dil[0] == 1 && g.dil[1] == 1;
  for_planes(input.size(0), OH * OW * g.kernel[0] * g.kernel[1], [&](int64_t p) {
    const T* xp = x + p * H * W;
    T* yp = y + p * OH * OW;
    int64_t* ip = ind + p * OH * OW;
    if (two_by_two) {
      max_pool_2x2(xp, yp, ip, W, OH, OW);
      return;
    }
    for (int64_t oh = 0; oh < OH; ++oh) {
      const int64_t hs = oh * g.stride[0] - g.pad[0];
      int64_t kh0, kh1;
      window_range(oh, g.stride[0], g.pad[0], g.dil[0], g.kernel[0], H, kh0, kh1);
      for (int64_t ow = 0; ow < OW; ++ow) {
        const int64_t ws = ow * g.stride[1] - g.pad[1];
        int64_t kw0, kw1;
        window_range(ow, g.stride[1], g.pad[1], g.dil[1], g.kernel[1], W, kw0, kw1);
        T best = -std::numeric_limits<T>::infinity();
        int64_t best_i = -1;
        if (kh0 < kh1 && kw0 < kw1) {
          best_i = (hs + kh0 * g.dil[0]) * W + ws + kw0 * g.dil[1];
          best = xp[best_i];
          for (int64_t kh = kh0; kh < kh1; ++kh) {
            const int64_t row = (hs + kh * g.dil[0]) * W + ws;
            for (int64_t kw = kw0; kw < kw1; ++kw) max_step(xp[row + kw * g.dil[1]], row + kw * g.dil[1], best, best_i);
          }
        }
        yp[oh * OW + ow] = best;
        ip[oh * OW + ow] = best_i;
      }
    }
  });
}

template <class T>
void max_pool_backward_t(const Tensor& grad_input, const Tensor& grad_out, const Tensor& indices) {
  const int64_t HW = grad_input.size(1) * grad_input.size(2), O = grad_out.size(1) * grad_out.size(2);
  const T* go = grad_out.data_ptr<T>();
  const int64_t* ind = indices.data_ptr<int64_t>();
  T* gi = grad_input.data_ptr<T>();
  for_planes(grad_input.size(0), HW + O, [&](int64_t p) {
    T* gp = gi + p * HW;
    std::fill(gp, gp + HW, T(0));
    for (int64_t o = 0; o < O; ++o) {
      int64_t i = ind[p * O + o];
      EMBER_CHECK(i >= 0 && i < HW, IndexError, "[max_pool_backward] index ", i, " is out of bounds for a plane of ",
                  HW, " elements");
      gp[i] += go[p * O + o];
    }
  });
}

// The window of output (oh, ow) clipped to the input, and its divisor.
struct AvgWindow {
  int64_t h0, h1, w0, w1;
  int64_t divisor;
};
inline AvgWindow avg_window(const PoolGeometry& g, int64_t oh, int64_t ow, bool count_include_pad, int64_t div) {
  int64_t h0 = oh * g.stride[0] - g.pad[0], w0 = ow * g.stride[1] - g.pad[1];
  int64_t h1 = std::min(h0 + g.kernel[0], g.in[0] + g.pad[0]), w1 = std::min(w0 + g.kernel[1], g.in[1] + g.pad[1]);
  int64_t pool = (h1 - h0) * (w1 - w0);
  h0 = std::max<int64_t>(h0, 0), w0 = std::max<int64_t>(w0, 0);
  h1 = std::min(h1, g.in[0]), w1 = std::min(w1, g.in[1]);
  int64_t d = div != 0 ? div : count_include_pad ? pool : (h1 - h0) * (w1 - w0);
  return {h0, h1, w0, w1, d};
}

template <class T>
void avg_pool_t(const Tensor& out, const Tensor& input, const PoolGeometry& g, bool cip, int64_t div) {
  const int64_t H = g.in[0], W = g.in[1], OH = g.out[0], OW = g.out[1];
  const T* x = input.data_ptr<T>();
  T* y = out.data_ptr<T>();
  for_planes(input.size(0), OH * OW * g.kernel[0] * g.kernel[1], [&](int64_t p) {
    const T* xp = x + p * H * W;
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        AvgWindow a = avg_window(g, oh, ow, cip, div);
        T s = T(0);
        for (int64_t h = a.h0; h < a.h1; ++h)
          for (int64_t w = a.w0; w < a.w1; ++w) s += xp[h * W + w];
        y[(p * OH + oh) * OW + ow] = (a.h0 >= a.h1 || a.w0 >= a.w1) ? T(0) : s / static_cast<T>(a.divisor);
      }
  });
}

template <class T>
void avg_pool_backward_t(const Tensor& grad_input, const Tensor& grad_out, const PoolGeometry& g, bool cip,
                         int64_t div) {
  const int64_t H = g.in[0], W = g.in[1], OH = g.out[0], OW = g.out[1];
  const T* go = grad_out.data_ptr<T>();
  T* gi = grad_input.data_ptr<T>();
  for_planes(grad_input.size(0), OH * OW * g.kernel[0] * g.kernel[1], [&](int64_t p) {
    T* gp = gi + p * H * W;
    std::fill(gp, gp + H * W, T(0));
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        AvgWindow a = avg_window(g, oh, ow, cip, div);
        if (a.h0 >= a.h1 || a.w0 >= a.w1) continue;
        T v = go[(p * OH + oh) * OW + ow] / static_cast<T>(a.divisor);
        for (int64_t h = a.h0; h < a.h1; ++h)
          for (int64_t w = a.w0; w < a.w1; ++w) gp[h * W + w] += v;
      }
  });
}

inline int64_t start_index(int64_t o, int64_t out, int64_t in) { return (o * in) / out; }
inline int64_t end_index(int64_t o, int64_t out, int64_t in) { return ((o + 1) * in + out - 1) / out; }

template <class T>
void adaptive_avg_t(const Tensor& out, const Tensor& input) {
  const int64_t H = input.size(1), W = input.size(2), OH = out.size(1), OW = out.size(2);
  const T* x = input.data_ptr<T>();
  T* y = out.data_ptr<T>();
  for_planes(input.size(0), H * W + OH * OW, [&](int64_t p) {
    const T* xp = x + p * H * W;
    for (int64_t oh = 0; oh < OH; ++oh) {
      int64_t h0 = start_index(oh, OH, H), h1 = end_index(oh, OH, H);
      for (int64_t ow = 0; ow < OW; ++ow) {
        int64_t w0 = start_index(ow, OW, W), w1 = end_index(ow, OW, W);
        T s = T(0);
        for (int64_t h = h0; h < h1; ++h)
          for (int64_t w = w0; w < w1; ++w) s += xp[h * W + w];
        y[(p * OH + oh) * OW + ow] = s / static_cast<T>((h1 - h0) * (w1 - w0));
      }
    }
  });
}

template <class T>
void adaptive_avg_backward_t(const Tensor& grad_input, const Tensor& grad_out) {
  const int64_t H = grad_input.size(1), W = grad_input.size(2), OH = grad_out.size(1), OW = grad_out.size(2);
  const T* go = grad_out.data_ptr<T>();
  T* gi = grad_input.data_ptr<T>();
  for_planes(grad_input.size(0), H * W + OH * OW, [&](int64_t p) {
    T* gp = gi + p * H * W;
    std::fill(gp, gp + H * W, T(0));
    for (int64_t oh = 0; oh < OH; ++oh) {
      int64_t h0 = start_index(oh, OH, H), h1 = end_index(oh, OH, H);
      for (int64_t ow = 0; ow < OW; ++ow) {
        int64_t w0 = start_index(ow, OW, W), w1 = end_index(ow, OW, W);
        T v = go[(p * OH + oh) * OW + ow] / static_cast<T>((h1 - h0) * (w1 - w0));
        for (int64_t h = h0; h < h1; ++h)
          for (int64_t w = w0; w < w1; ++w) gp[h * W + w] += v;
      }
    }
  });
}

template <class T>
void adaptive_max_t(const Tensor& out, const Tensor& indices, const Tensor& input) {
  const int64_t H = input.size(1), W = input.size(2), OH = out.size(1), OW = out.size(2);
  const T* x = input.data_ptr<T>();
  T* y = out.data_ptr<T>();
  int64_t* ind = indices.data_ptr<int64_t>();
  for_planes(input.size(0), H * W + OH * OW, [&](int64_t p) {
    const T* xp = x + p * H * W;
    for (int64_t oh = 0; oh < OH; ++oh) {
      int64_t h0 = start_index(oh, OH, H), h1 = end_index(oh, OH, H);
      for (int64_t ow = 0; ow < OW; ++ow) {
        int64_t w0 = start_index(ow, OW, W), w1 = end_index(ow, OW, W);
        T best = xp[h0 * W + w0];
        int64_t best_i = h0 * W + w0;
        for (int64_t h = h0; h < h1; ++h)
          for (int64_t w = w0; w < w1; ++w) max_step(xp[h * W + w], h * W + w, best, best_i);
        y[(p * OH + oh) * OW + ow] = best;
        ind[(p * OH + oh) * OW + ow] = best_i;
      }
    }
  });
}

void max_pool_kernel(const Tensor& out, const Tensor& indices, const Tensor& input, const PoolGeometry& g) {
  float_or_double(input.dtype(), [&]<class T>() { max_pool_t<T>(out, indices, input, g); });
}
void max_pool_backward_kernel(const Tensor& grad_input, const Tensor& grad_out, const Tensor& indices) {
  float_or_double(grad_input.dtype(), [&]<class T>() { max_pool_backward_t<T>(grad_input, grad_out, indices); });
}
void avg_pool_kernel(const Tensor& out, const Tensor& input, const PoolGeometry& g, bool cip, int64_t div) {
  float_or_double(input.dtype(), [&]<class T>() { avg_pool_t<T>(out, input, g, cip, div); });
}
void avg_pool_backward_kernel(const Tensor& grad_input, const Tensor& grad_out, const PoolGeometry& g, bool cip,
                              int64_t div) {
  float_or_double(grad_input.dtype(), [&]<class T>() { avg_pool_backward_t<T>(grad_input, grad_out, g, cip, div); });
}
void adaptive_avg_kernel(const Tensor& out, const Tensor& input) {
  float_or_double(input.dtype(), [&]<class T>() { adaptive_avg_t<T>(out, input); });
}
void adaptive_avg_backward_kernel(const Tensor& grad_input, const Tensor& grad_out) {
  float_or_double(grad_input.dtype(), [&]<class T>() { adaptive_avg_backward_t<T>(grad_input, grad_out); });
}
void adaptive_max_kernel(const Tensor& out, const Tensor& indices, const Tensor& input) {
  float_or_double(input.dtype(), [&]<class T>() { adaptive_max_t<T>(out, indices, input); });
}

}  // namespace

EMBER_REGISTER_KERNEL(max_pool_stub, CPU, &max_pool_kernel);
EMBER_REGISTER_KERNEL(max_pool_backward_stub, CPU, &max_pool_backward_kernel);
EMBER_REGISTER_KERNEL(avg_pool_stub, CPU, &avg_pool_kernel);
EMBER_REGISTER_KERNEL(avg_pool_backward_stub, CPU, &avg_pool_backward_kernel);
EMBER_REGISTER_KERNEL(adaptive_avg_pool_stub, CPU, &adaptive_avg_kernel);
EMBER_REGISTER_KERNEL(adaptive_avg_pool_backward_stub, CPU, &adaptive_avg_backward_kernel);
EMBER_REGISTER_KERNEL(adaptive_max_pool_stub, CPU, &adaptive_max_kernel);

}  // namespace ember
