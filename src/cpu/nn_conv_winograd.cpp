// Note [Winograd convolution]
// A 3x3 stride-1 convolution computes each 2x2 block of outputs from a 4x4
// block of inputs (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2015): with U = G g G^T per (out, in) channel pair and
// V = B^T d B per input tile and channel,
//     Y = A^T [ sum over input channels of U (.) V ] A,
// so the channel sums are 16 matrix products (one per position xi of the
// 4x4 transform) of Cout x Cin by Cin x tiles: 16 multiplications per 2x2
// outputs and channel pair instead of im2col's 4 * 9 = 36, and no column
// matrix 9 times the input's size.
// The transforms only add, subtract and halve (the weight's, done in
// double), so float32 errors stay the size of the direct sum's (2-5e-7 of
// the largest output against float64 in tests, like im2col's). Tiles are
// taken a run of tile rows at a time (kTargetTiles tiles, so that the
// transformed tiles and products stay in L2), and a run's tiles transform
// four at a time on 16-byte vectors. Each output depends on its own tile
// only, so results do not depend on the thread count.
#include "nn_conv_winograd.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "blas.h"
#include "ember/core/parallel.h"
#include "ember/ops/creation.h"

namespace ember::conv_detail {

namespace {

typedef float V4 __attribute__((vector_size(16)));

// Tiles per run of tile rows (see the Note): 112 and 224 measured best on
// 64 channels and 56x56 images, 56 about 20% slower (smaller products).
constexpr int64_t kTargetTiles = 128;

// The 16 planes of transformed tiles (and of products) sit an odd number of
// cache lines apart: with a plain C * TC floats (often a multiple of 2 or 4
// KiB) a tile's 16 stores fall into a few cache sets and 4K-alias one
// another, which made the 64-channel 56x56 forward 30% slower.
inline int64_t plane_stride(int64_t channels, int64_t TC) {
  const int64_t lines = (channels * TC + 15) / 16;  // 16 floats per 64-byte line
  return (lines | 1) * 16;
}

inline V4 load4(const float* p) {
  V4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(float* p, V4 v) { std::memcpy(p, &v, sizeof v); }

// v = B^T d B for one tile (d row-major 4x4), on scalars or on 4 tiles at once.
template <class T>
inline void input_transform(const T (&d)[4][4], T (&v)[16]) {
  T t[4][4];
  for (int r = 0; r < 4; ++r) {
    t[r][0] = d[r][0] - d[r][2];
    t[r][1] = d[r][1] + d[r][2];
    t[r][2] = d[r][2] - d[r][1];
    t[r][3] = d[r][1] - d[r][3];
  }
  for (int j = 0; j < 4; ++j) {
    v[0 * 4 + j] = t[0][j] - t[2][j];
    v[1 * 4 + j] = t[1][j] + t[2][j];
    v[2 * 4 + j] = t[2][j] - t[1][j];
    v[3 * 4 + j] = t[1][j] - t[3][j];
  }
}

// y = A^T m A (2x2) for one tile, on scalars or on 4 tiles at once.
template <class T>
inline void output_transform(const T (&m)[16], T (&y)[2][2]) {
  T s[2][4];
  for (int j = 0; j < 4; ++j) {
    s[0][j] = m[0 * 4 + j] + m[1 * 4 + j] + m[2 * 4 + j];
    s[1][j] = m[1 * 4 + j] - m[2 * 4 + j] - m[3 * 4 + j];
  }
  for (int i = 0; i < 2; ++i) {
    y[i][0] = s[i][0] + s[i][1] + s[i][2];
    y[i][1] = s[i][1] - s[i][2] - s[i][3];
  }
}

// U[xi][co][ci] = (G g G^T)[xi] for each channel pair, in double, rounded once.
std::vector<float> weight_transform(const float* w, int64_t Cout, int64_t Cin) {
  std::vector<float> U(size_t(16 * Cout * Cin));
  for (int64_t co = 0; co < Cout; ++co)
    for (int64_t ci = 0; ci < Cin; ++ci) {
      const float* g = w + (co * Cin + ci) * 9;
      double t[4][3];  // G g
      for (int j = 0; j < 3; ++j) {
        const double g0 = g[0 * 3 + j], g1 = g[1 * 3 + j], g2 = g[2 * 3 + j];
        t[0][j] = g0;
        t[1][j] = 0.5 * (g0 + g1 + g2);
        t[2][j] = 0.5 * (g0 - g1 + g2);
        t[3][j] = g2;
      }
      for (int i = 0; i < 4; ++i) {
        const double u[4] = {t[i][0], 0.5 * (t[i][0] + t[i][1] + t[i][2]), 0.5 * (t[i][0] - t[i][1] + t[i][2]),
                             t[i][2]};
        for (int j = 0; j < 4; ++j) U[size_t(((i * 4 + j) * Cout + co) * Cin + ci)] = float(u[j]);
      }
    }
  return U;
}

struct Shape {
  int64_t N, Cin, Cout, IH, IW, OH, OW, ph, pw, TH, TW;
};

// Transforms the tiles of global tile rows [r0, r1) (row r: sample r / TH,
// tile row r % TH) into V[xi][ci][t], t counting tiles from r0's first.
void transform_inputs(const float* x, const Shape& s, int64_t r0, int64_t r1, float* V, int64_t TC,
                      int64_t xi_stride, std::vector<float>& rows) {
  const int64_t Wp = 2 * s.TW + 2;  // padded row: image columns -pw .. 2 TW - pw + 1
  const int64_t ld = Wp + 8;        // + room for the last vector's overread
  // The zero-padded image rows of a sample's tile rows [th0, th1): 2 (th1 - th0) + 2.
  rows.assign(size_t((2 * (r1 - r0) + 2) * ld), 0.f);
  const int64_t lo = std::min<int64_t>(Wp, s.pw), hi = std::max(lo, std::min<int64_t>(Wp, s.IW + s.pw));
  for (int64_t ci = 0; ci < s.Cin; ++ci) {
    for (int64_t r = r0; r < r1;) {
      const int64_t n = r / s.TH, th0 = r % s.TH, th1 = std::min(s.TH, th0 + (r1 - r));
      const float* plane = x + (n * s.Cin + ci) * s.IH * s.IW;
      // The rows the sample's next channel needs: too few and short for the
      // hardware prefetcher to pick up.
      if (ci + 1 < s.Cin) {
        const float* next = plane + s.IH * s.IW;
        for (int64_t ih = std::max<int64_t>(0, 2 * th0 - s.ph); ih < std::min(s.IH, 2 * th1 - s.ph + 2); ++ih)
          for (int64_t j = 0; j < s.IW; j += 16) __builtin_prefetch(next + ih * s.IW + j);
      }
      const int64_t nrows = 2 * (th1 - th0) + 2;
      for (int64_t i = 0; i < nrows; ++i) {
        float* dst = rows.data() + i * ld;
        const int64_t ih = 2 * th0 - s.ph + i;
        if (ih < 0 || ih >= s.IH) {
          std::fill(dst, dst + Wp, 0.f);
          continue;
        }
        std::fill(dst, dst + lo, 0.f);
        std::memcpy(dst + lo, plane + ih * s.IW, size_t(hi - lo) * sizeof(float));
        std::fill(dst + hi, dst + Wp, 0.f);
      }
      for (int64_t th = th0; th < th1; ++th, ++r) {
        const float* tile_rows = rows.data() + 2 * (th - th0) * ld;
        float* out = V + ci * TC + (r - r0) * s.TW;  // + xi * xi_stride
        int64_t tw = 0;
        for (; tw + 4 <= s.TW; tw += 4) {
          V4 d[4][4];
          for (int i = 0; i < 4; ++i) {
            const float* p = tile_rows + i * ld + 2 * tw;
            const V4 a = load4(p), b = load4(p + 4), c = load4(p + 8);
            d[i][0] = __builtin_shufflevector(a, b, 0, 2, 4, 6);
            d[i][1] = __builtin_shufflevector(a, b, 1, 3, 5, 7);
            const V4 bc0 = __builtin_shufflevector(b, c, 0, 2, 4, 6), bc1 = __builtin_shufflevector(b, c, 1, 3, 5, 7);
            d[i][2] = __builtin_shufflevector(d[i][0], bc0, 1, 2, 3, 6);
            d[i][3] = __builtin_shufflevector(d[i][1], bc1, 1, 2, 3, 6);
          }
          V4 v[16];
          input_transform(d, v);
          for (int xi = 0; xi < 16; ++xi) store4(out + xi * xi_stride + tw, v[xi]);
        }
        for (; tw < s.TW; ++tw) {
          float d[4][4];
          for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j) d[i][j] = tile_rows[i * ld + 2 * tw + j];
          float v[16];
          input_transform(d, v);
          for (int xi = 0; xi < 16; ++xi) out[xi * xi_stride + tw] = v[xi];
        }
      }
    }
  }
}

// y for global tile rows [r0, r1) from M[xi][co][t], plus the bias.
void transform_outputs(const float* M, const float* bias, const Shape& s, int64_t r0, int64_t r1, int64_t TC,
                       int64_t xi_stride, float* y) {
  for (int64_t co = 0; co < s.Cout; ++co) {
    const float b = bias ? bias[co] : 0.f;
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / s.TH, th = r % s.TH;
      float* plane = y + (n * s.Cout + co) * s.OH * s.OW;
      const float* in = M + co * TC + (r - r0) * s.TW;
      const int64_t oh = 2 * th;
      const bool two_rows = oh + 1 < s.OH;
      int64_t tw = 0;
      if (two_rows)
        for (; tw + 4 <= s.TW && 2 * tw + 8 <= s.OW; tw += 4) {
          V4 m[16];
          for (int xi = 0; xi < 16; ++xi) m[xi] = load4(in + xi * xi_stride + tw);
          V4 o[2][2];
          output_transform(m, o);
          for (int i = 0; i < 2; ++i) {
            float* dst = plane + (oh + i) * s.OW + 2 * tw;
            store4(dst, __builtin_shufflevector(o[i][0], o[i][1], 0, 4, 1, 5) + b);
            store4(dst + 4, __builtin_shufflevector(o[i][0], o[i][1], 2, 6, 3, 7) + b);
          }
        }
      for (; tw < s.TW; ++tw) {
        float m[16];
        for (int xi = 0; xi < 16; ++xi) m[xi] = in[xi * xi_stride + tw];
        float o[2][2];
        output_transform(m, o);
        for (int i = 0; i < 2 && oh + i < s.OH; ++i)
          for (int j = 0; j < 2 && 2 * tw + j < s.OW; ++j) plane[(oh + i) * s.OW + 2 * tw + j] = o[i][j] + b;
      }
    }
  }
}

}  // namespace

// The 16 transformed weight matrices (16 * Cin * Cout floats) are read once
// per run of tiles; past this many channel pairs (512 KiB of them) they stop
// fitting in L2 beside the run, and im2col's single product won in
// measurements (128 channels at 14x14: 2.3 ms against 2.1; 256 at 7x7: 7.8
// against 5.1; 64 at 56x56: 10.8 against 21; below 32 channels im2col
// also wins, 16 -> 32 at 8x8: 0.44 against 0.35 ms).
constexpr int64_t kMaxChannelPairs = 8192;

bool winograd_applies(const ConvGeometry& g, int64_t groups, int64_t cin, int64_t cout) {
  return g.kernel[0] == 1 && g.kernel[1] == 3 && g.kernel[2] == 3 && g.stride[1] == 1 && g.stride[2] == 1 &&
         g.dil[1] == 1 && g.dil[2] == 1 && g.pad[0] == 0 && g.pad[1] <= 2 && g.pad[2] <= 2 && groups == 1 &&
         cin >= 32 && cout >= 32 && cin * cout <= kMaxChannelPairs && g.cols[1] >= 2 && g.cols[2] >= 2;
}

void winograd_conv3x3(const float* x, const float* w, const float* bias, float* y, int64_t N, int64_t Cin,
                      int64_t Cout, int64_t IH, int64_t IW, int64_t pad_h, int64_t pad_w) {
  Shape s;
  s.N = N, s.Cin = Cin, s.Cout = Cout, s.IH = IH, s.IW = IW, s.ph = pad_h, s.pw = pad_w;
  s.OH = IH + 2 * pad_h - 2, s.OW = IW + 2 * pad_w - 2;
  s.TH = (s.OH + 1) / 2, s.TW = (s.OW + 1) / 2;
  const std::vector<float> U = weight_transform(w, Cout, Cin);
  const int64_t rows_total = N * s.TH;
  const int64_t run = std::max<int64_t>(1, kTargetTiles / s.TW);  // tile rows per run
  const int64_t runs = (rows_total + run - 1) / run;
  const int64_t TCmax = run * s.TW;
  parallel_for(0, runs, 1, [&](int64_t b, int64_t e) {
    // From the caching allocator (Note [CPU caching allocator]): a fresh
    // megabyte per call would be fresh pages, faulted in and zeroed each time.
    Tensor vbuf = empty(DimVector{16 * plane_stride(Cin, TCmax)}, TensorOptions(DType::Float32));
    Tensor mbuf = empty(DimVector{16 * plane_stride(Cout, TCmax)}, TensorOptions(DType::Float32));
    float* V = vbuf.data_ptr<float>();
    float* M = mbuf.data_ptr<float>();
    std::vector<float> rows;
    for (int64_t k = b; k < e; ++k) {
      const int64_t r0 = k * run, r1 = std::min(rows_total, r0 + run), TC = (r1 - r0) * s.TW;
      const int64_t vs = plane_stride(Cin, TC), ms = plane_stride(Cout, TC);
      transform_inputs(x, s, r0, r1, V, TC, vs, rows);
      for (int64_t xi = 0; xi < 16; ++xi)
        blas::gemm<float>(false, false, false, false, Cout, TC, Cin, 1.f, U.data() + xi * Cout * Cin, Cin,
                          V + xi * vs, TC, 0.f, M + xi * ms, TC, false);
      transform_outputs(M, bias, s, r0, r1, TC, ms, y);
    }
  });
}

}  // namespace ember::conv_detail
