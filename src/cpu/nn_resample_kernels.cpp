// CPU kernels of embedding_dense_backward and 2-D upsampling. Index and
// weight computations follow PyTorch's (nearest in float32 arithmetic;
// bilinear's source index clamped at 0 without align_corners).
#include <algorithm>
#include <cmath>
#include <vector>

#include "ember/core/nn_kernels.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

template <class F>
void float_or_double(DType t, F f) {
  if (t == DType::Float64) f.template operator()<double>();
  else f.template operator()<float>();
}

template <class T>
void embedding_backward_t(const Tensor& grad_weight, const Tensor& grad, const Tensor& indices, int64_t padding_idx,
                          bool scale_grad_by_freq) {
  const int64_t M = grad.size(0), D = grad.size(1), W = grad_weight.size(0);
  const int64_t* idx = indices.data_ptr<int64_t>();
  const T* g = grad.data_ptr<T>();
  T* gw = grad_weight.data_ptr<T>();
  std::vector<int64_t> count(scale_grad_by_freq ? W : 0);
  for (int64_t m = 0; m < M; ++m) {
    EMBER_CHECK(idx[m] >= 0 && idx[m] < W, IndexError, "[embedding_dense_backward] index ", idx[m],
                " is out of range for ", W, " embeddings (index out of range in self)");
    if (scale_grad_by_freq) ++count[idx[m]];
  }
  // Threads split the embedding dim, so each output element has one writer
  // and rows are summed in index order.
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, M));
  parallel_for(0, D, grain, [&](int64_t b, int64_t e) {
    for (int64_t m = 0; m < M; ++m) {
      const int64_t i = idx[m];
      if (i == padding_idx) continue;
      const T scale = scale_grad_by_freq ? T(1) / static_cast<T>(count[i]) : T(1);
      for (int64_t d = b; d < e; ++d) gw[i * D + d] += g[m * D + d] * scale;
    }
  });
}

inline int64_t nearest_index(int64_t o, int64_t in, int64_t out, double scale) {
  if (in == out) return o;
  if (out == 2 * in) return o >> 1;
  const float s = static_cast<float>(scale);
  return std::min(static_cast<int64_t>(std::floor(static_cast<float>(o) * s)), in - 1);
}

template <class T>
void nearest_t(const Tensor& out, const Tensor& input, const UpsampleGeometry& g, bool backward) {
  const int64_t H = g.in[0], W = g.in[1], OH = g.out[0], OW = g.out[1];
  std::vector<int64_t> hs(OH), ws(OW);
  for (int64_t o = 0; o < OH; ++o) hs[o] = nearest_index(o, H, OH, g.scale[0]);
  for (int64_t o = 0; o < OW; ++o) ws[o] = nearest_index(o, W, OW, g.scale[1]);
  const T* src = input.data_ptr<T>();
  T* dst = out.data_ptr<T>();
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, OH * OW));
  parallel_for(0, out.size(0), grain, [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) {
      if (!backward) {
        for (int64_t oh = 0; oh < OH; ++oh)
          for (int64_t ow = 0; ow < OW; ++ow) dst[(p * OH + oh) * OW + ow] = src[(p * H + hs[oh]) * W + ws[ow]];
      } else {
        // out is grad_input (P, H, W); input is grad_output (P, OH, OW).
        T* gp = dst + p * H * W;
        std::fill(gp, gp + H * W, T(0));
        for (int64_t oh = 0; oh < OH; ++oh)
          for (int64_t ow = 0; ow < OW; ++ow) gp[hs[oh] * W + ws[ow]] += src[(p * OH + oh) * OW + ow];
      }
    }
  });
}

struct LinearTap {
  int64_t i0, i1;
  double l0, l1;
};

std::vector<LinearTap> linear_taps(int64_t in, int64_t out, double scale, bool align_corners) {
  std::vector<LinearTap> taps(out);
  for (int64_t o = 0; o < out; ++o) {
    double src = align_corners ? scale * o : std::max(scale * (o + 0.5) - 0.5, 0.0);
    int64_t i0 = std::min(static_cast<int64_t>(src), in - 1);
    int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
    double l1 = std::min(std::max(src - i0, 0.0), 1.0);
    taps[o] = {i0, i1, 1.0 - l1, l1};
  }
  return taps;
}

template <class T>
void bilinear_t(const Tensor& out, const Tensor& input, const UpsampleGeometry& g, bool backward) {
  const int64_t H = g.in[0], W = g.in[1], OH = g.out[0], OW = g.out[1];
  auto th = linear_taps(H, OH, g.scale[0], g.align_corners), tw = linear_taps(W, OW, g.scale[1], g.align_corners);
  const T* src = input.data_ptr<T>();
  T* dst = out.data_ptr<T>();
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, 4 * OH * OW));
  parallel_for(0, out.size(0), grain, [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) {
      if (!backward) {
        const T* xp = src + p * H * W;
        for (int64_t oh = 0; oh < OH; ++oh) {
          const LinearTap& h = th[oh];
          for (int64_t ow = 0; ow < OW; ++ow) {
            const LinearTap& w = tw[ow];
            double v = h.l0 * (w.l0 * xp[h.i0 * W + w.i0] + w.l1 * xp[h.i0 * W + w.i1]) +
                       h.l1 * (w.l0 * xp[h.i1 * W + w.i0] + w.l1 * xp[h.i1 * W + w.i1]);
            dst[(p * OH + oh) * OW + ow] = static_cast<T>(v);
          }
        }
      } else {
        T* gp = dst + p * H * W;
        std::fill(gp, gp + H * W, T(0));
        for (int64_t oh = 0; oh < OH; ++oh) {
          const LinearTap& h = th[oh];
          for (int64_t ow = 0; ow < OW; ++ow) {
            const LinearTap& w = tw[ow];
            const double gv = src[(p * OH + oh) * OW + ow];
            gp[h.i0 * W + w.i0] += static_cast<T>(gv * h.l0 * w.l0);
            gp[h.i0 * W + w.i1] += static_cast<T>(gv * h.l0 * w.l1);
            gp[h.i1 * W + w.i0] += static_cast<T>(gv * h.l1 * w.l0);
            gp[h.i1 * W + w.i1] += static_cast<T>(gv * h.l1 * w.l1);
          }
        }
      }
    }
  });
}

void embedding_backward_kernel(const Tensor& gw, const Tensor& g, const Tensor& idx, int64_t padding_idx,
                               bool scale_grad_by_freq) {
  float_or_double(gw.dtype(), [&]<class T>() { embedding_backward_t<T>(gw, g, idx, padding_idx, scale_grad_by_freq); });
}
void nearest_kernel(const Tensor& out, const Tensor& input, const UpsampleGeometry& g) {
  float_or_double(out.dtype(), [&]<class T>() { nearest_t<T>(out, input, g, false); });
}
void nearest_backward_kernel(const Tensor& gi, const Tensor& go, const UpsampleGeometry& g) {
  float_or_double(gi.dtype(), [&]<class T>() { nearest_t<T>(gi, go, g, true); });
}
void bilinear_kernel(const Tensor& out, const Tensor& input, const UpsampleGeometry& g) {
  float_or_double(out.dtype(), [&]<class T>() { bilinear_t<T>(out, input, g, false); });
}
void bilinear_backward_kernel(const Tensor& gi, const Tensor& go, const UpsampleGeometry& g) {
  float_or_double(gi.dtype(), [&]<class T>() { bilinear_t<T>(gi, go, g, true); });
}

}  // namespace

EMBER_REGISTER_KERNEL(embedding_backward_stub, CPU, &embedding_backward_kernel);
EMBER_REGISTER_KERNEL(upsample_nearest_stub, CPU, &nearest_kernel);
EMBER_REGISTER_KERNEL(upsample_nearest_backward_stub, CPU, &nearest_backward_kernel);
EMBER_REGISTER_KERNEL(upsample_bilinear_stub, CPU, &bilinear_kernel);
EMBER_REGISTER_KERNEL(upsample_bilinear_backward_stub, CPU, &bilinear_backward_kernel);

}  // namespace ember
