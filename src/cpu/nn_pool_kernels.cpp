// CPU pooling kernels over contiguous planes (P, H, W); threads split the
// planes, so backward scatters within a plane never race.
#include <algorithm>
#include <cmath>
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

template <class T>
void max_pool_t(const Tensor& out, const Tensor& indices, const Tensor& input, const PoolGeometry& g) {
  const int64_t H = g.in[0], W = g.in[1], OH = g.out[0], OW = g.out[1];
  const T* x = input.data_ptr<T>();
  T* y = out.data_ptr<T>();
  int64_t* ind = indices.data_ptr<int64_t>();
  for_planes(input.size(0), OH * OW * g.kernel[0] * g.kernel[1], [&](int64_t p) {
    const T* xp = x + p * H * W;
    for (int64_t oh = 0; oh < OH; ++oh) {
      int64_t hs = oh * g.stride[0] - g.pad[0];
      for (int64_t ow = 0; ow < OW; ++ow) {
        int64_t ws = ow * g.stride[1] - g.pad[1];
        T best = -std::numeric_limits<T>::infinity();
        int64_t best_i = -1;
        for (int64_t kh = 0; kh < g.kernel[0]; ++kh) {
          int64_t h = hs + kh * g.dil[0];
          if (h < 0 || h >= H) continue;
          for (int64_t kw = 0; kw < g.kernel[1]; ++kw) {
            int64_t w = ws + kw * g.dil[1];
            if (w < 0 || w >= W) continue;
            T v = xp[h * W + w];
            // NaN wins (the last NaN of a window, as PyTorch).
            if (best_i < 0 || v > best || std::isnan(v)) best = v, best_i = h * W + w;
          }
        }
        y[(p * OH + oh) * OW + ow] = best;
        ind[(p * OH + oh) * OW + ow] = best_i;
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
          for (int64_t w = w0; w < w1; ++w) {
            T v = xp[h * W + w];
            if (v > best || std::isnan(v)) best = v, best_i = h * W + w;
          }
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
