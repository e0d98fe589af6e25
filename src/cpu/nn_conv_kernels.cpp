// CPU convolution: unfold the image side into columns (im2col, 3-D so that
// 1-D and 2-D convolutions are the same code; Note [Convolution geometry])
// and multiply with BLAS; col2im folds column gradients back, summing
// overlaps. Samples of a batch run in our pool with single-threaded GEMMs
// (Note [BLAS threads]); a batch of one gives BLAS the threads instead.
#include <algorithm>
#include <cstring>

#include "blas.h"
#include "ember/core/nn_kernels.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

// The output columns ow in [lo, hi) read image column ow * s + off inside [0, n).
inline void valid_range(int64_t out_n, int64_t s, int64_t off, int64_t n, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + s - 1) / s;
  hi = n - off <= 0 ? 0 : (n - off - 1) / s + 1;
  lo = std::min(lo, out_n);
  hi = std::clamp(hi, lo, out_n);
}

// Visits every (column row, output position) pair of the unfolding of C
// channels: fn(col_row_ptr_offset, image_row_offset, lo, hi, off, s) per output
// row, with the zero-padded parts handled by `pad(col_offset, count)`.
template <class Row, class Pad>
void for_each_col_row(int64_t C, const ConvGeometry& g, Row row, Pad pad) {
  const int64_t KD = g.kernel[0], KH = g.kernel[1], KW = g.kernel[2];
  const int64_t ID = g.image[0], IH = g.image[1], IW = g.image[2];
  const int64_t OD = g.cols[0], OH = g.cols[1], OW = g.cols[2];
  const int64_t L = OD * OH * OW;
  for (int64_t c = 0; c < C; ++c)
    for (int64_t kd = 0; kd < KD; ++kd)
      for (int64_t kh = 0; kh < KH; ++kh)
        for (int64_t kw = 0; kw < KW; ++kw) {
          const int64_t r = ((c * KD + kd) * KH + kh) * KW + kw;
          const int64_t woff = kw * g.dil[2] - g.pad[2];
          int64_t lo, hi;
          valid_range(OW, g.stride[2], woff, IW, lo, hi);
          for (int64_t od = 0; od < OD; ++od) {
            const int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dil[0];
            for (int64_t oh = 0; oh < OH; ++oh) {
              const int64_t ih = oh * g.stride[1] - g.pad[1] + kh * g.dil[1];
              const int64_t col = r * L + (od * OH + oh) * OW;
              if (id < 0 || id >= ID || ih < 0 || ih >= IH) {
                pad(col, OW);
                continue;
              }
              const int64_t img = ((c * ID + id) * IH + ih) * IW;
              pad(col, lo);
              row(col, img, lo, hi, woff);
              pad(col + hi, OW - hi);
            }
          }
        }
}

template <class T>
void im2col(const T* im, int64_t C, const ConvGeometry& g, T* col) {
  const int64_t s = g.stride[2];
  for_each_col_row(
      C, g,
      [&](int64_t c0, int64_t i0, int64_t lo, int64_t hi, int64_t off) {
        T* dst = col + c0;
        const T* src = im + i0 + off;
        if (s == 1) {
          if (hi > lo) std::memcpy(dst + lo, src + lo, (hi - lo) * sizeof(T));
        } else {
          for (int64_t w = lo; w < hi; ++w) dst[w] = src[w * s];
        }
      },
      [&](int64_t c0, int64_t n) { std::fill(col + c0, col + c0 + std::max<int64_t>(n, 0), T(0)); });
}

// im (zeroed or partial) += fold(col).
template <class T>
void col2im(const T* col, int64_t C, const ConvGeometry& g, T* im) {
  const int64_t s = g.stride[2];
  for_each_col_row(
      C, g,
      [&](int64_t c0, int64_t i0, int64_t lo, int64_t hi, int64_t off) {
        const T* src = col + c0;
        T* dst = im + i0 + off;
        for (int64_t w = lo; w < hi; ++w) dst[w * s] += src[w];
      },
      [](int64_t, int64_t) {});
}

// True when the columns of a sample are its image itself (1x1, stride 1, no padding).
bool is_pointwise(const ConvGeometry& g) {
  for (int i = 0; i < 3; ++i)
    if (g.kernel[i] != 1 || g.stride[i] != 1 || g.pad[i] != 0) return false;
  return true;
}

// Column buffers come from the caching allocator (Note [CPU caching
// allocator]): one per chunk of samples, reused by its samples and never
// zero-filled, so a batch does not pay for fresh pages per sample.
template <class T>
struct Scratch {
  Tensor buf;
  T* get(int64_t n) {
    if (!buf.defined() || buf.numel() < n) buf = empty(DimVector{n}, TensorOptions(dtype_of_v<T>));
    return buf.data_ptr<T>();
  }
};

// Runs fn(n, may_thread, scratch_a, scratch_b) over the batch: in our pool
// with one BLAS thread each, or serially with threaded BLAS when there is
// one sample.
template <class T, class F>
void for_each_sample(int64_t N, F fn) {
  if (N == 1 || get_num_threads() == 1) {
    Scratch<T> a, b;
    for (int64_t n = 0; n < N; ++n) fn(n, true, a, b);
    return;
  }
  parallel_for(0, N, 1, [&](int64_t lo, int64_t hi) {
    Scratch<T> a, b;
    for (int64_t n = lo; n < hi; ++n) fn(n, false, a, b);
  });
}

template <class T>
void conv_forward_t(const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias,
                    const ConvGeometry& g, int64_t groups, bool transposed) {
  const int64_t N = input.size(0), Cin = input.size(1), Cout = out.size(1);
  const int64_t K = g.kernel_numel(), L = g.cols_numel(), I = g.image_numel();
  const int64_t cin_g = Cin / groups, cout_g = Cout / groups;
  const T* x = input.data_ptr<T>();
  const T* w = weight.data_ptr<T>();
  const T* b = bias.defined() ? bias.data_ptr<T>() : nullptr;
  T* y = out.data_ptr<T>();
  const bool pointwise = is_pointwise(g);
  if (!transposed) {
    const int64_t rows = cin_g * K;  // one group's column rows
    for_each_sample<T>(N, [&](int64_t n, bool may_thread, Scratch<T>& sa, Scratch<T>&) {
      const T* xn = x + n * Cin * I;
      const T* col = xn;
      if (!pointwise) {
        T* buf = sa.get(Cin * K * L);
        im2col(xn, Cin, g, buf);
        col = buf;
      }
      T* yn = y + n * Cout * L;
      for (int64_t c = 0; c < Cout; ++c) std::fill(yn + c * L, yn + (c + 1) * L, b ? b[c] : T(0));
      for (int64_t gr = 0; gr < groups; ++gr) {
        blas::gemm<T>(false, false, false, false, cout_g, L, rows, T(1), w + gr * cout_g * rows, rows,
                      col + gr * rows * L, L, T(1), yn + gr * cout_g * L, L, may_thread);
      }
    });
  } else {
    // Input is the column side: col_g = W_g^T @ x_g, then fold into the output image.
    const int64_t rows = cout_g * K;
    for_each_sample<T>(N, [&](int64_t n, bool may_thread, Scratch<T>& sa, Scratch<T>&) {
      T* buf = sa.get(Cout * K * L);
      const T* xn = x + n * Cin * L;
      T* yn = y + n * Cout * I;
      for (int64_t gr = 0; gr < groups; ++gr) {
        blas::gemm<T>(true, false, false, false, rows, L, cin_g, T(1), w + gr * cin_g * rows, rows,
                      xn + gr * cin_g * L, L, T(0), buf + gr * rows * L, L, may_thread);
      }
      std::fill(yn, yn + Cout * I, T(0));
      col2im(buf, Cout, g, yn);
      if (b)
        for (int64_t c = 0; c < Cout; ++c)
          for (int64_t i = 0; i < I; ++i) yn[c * I + i] += b[c];
    });
  }
}

// Above this many elements of per-sample weight gradients, grad_weight
// accumulates serially instead (one partial per sample keeps the sum order
// fixed, so results do not depend on the thread count).
constexpr int64_t kMaxPartialWeightElems = int64_t(1) << 24;

template <class T>
void conv_backward_t(const Tensor& grad_input, const Tensor& grad_weight, const Tensor& grad_out,
                     const Tensor& input, const Tensor& weight, const ConvGeometry& g, int64_t groups,
                     bool transposed) {
  const int64_t N = input.size(0), Cin = input.size(1), Cout = grad_out.size(1);
  const int64_t K = g.kernel_numel(), L = g.cols_numel(), I = g.image_numel();
  const int64_t cin_g = Cin / groups, cout_g = Cout / groups;
  const T* x = input.data_ptr<T>();
  const T* w = weight.data_ptr<T>();
  const T* go = grad_out.data_ptr<T>();
  T* gi = grad_input.defined() ? grad_input.data_ptr<T>() : nullptr;
  T* gw = grad_weight.defined() ? grad_weight.data_ptr<T>() : nullptr;
  const int64_t wsize = weight.numel();
  const bool partials = gw && N > 1 && N * wsize <= kMaxPartialWeightElems;
  Scratch<T> part_buf;
  T* part = partials ? part_buf.get(N * wsize) : nullptr;
  const bool pointwise = is_pointwise(g);
  // One sample: its part of grad_input, and its grad_weight term added at `gw_n`
  // (beta 1 accumulates into grad_weight itself when not using partials).
  auto sample = [&](int64_t n, bool may_thread, bool do_gi, T* gw_n, T gw_beta, Scratch<T>& sa, Scratch<T>& sb) {
    if (!transposed) {
      const int64_t rows = cin_g * K;
      const T* gon = go + n * Cout * L;
      if (do_gi) {
        T* gin = gi + n * Cin * I;
        if (pointwise) {
          for (int64_t gr = 0; gr < groups; ++gr)
            blas::gemm<T>(true, false, false, false, rows, L, cout_g, T(1), w + gr * cout_g * rows, rows,
                          gon + gr * cout_g * L, L, T(0), gin + gr * rows * L, L, may_thread);
        } else {
          T* col = sa.get(Cin * K * L);
          for (int64_t gr = 0; gr < groups; ++gr)
            blas::gemm<T>(true, false, false, false, rows, L, cout_g, T(1), w + gr * cout_g * rows, rows,
                          gon + gr * cout_g * L, L, T(0), col + gr * rows * L, L, may_thread);
          col2im(col, Cin, g, gin);
        }
      }
      if (gw_n) {
        const T* col = x + n * Cin * I;
        if (!pointwise) {
          T* buf = sb.get(Cin * K * L);
          im2col(col, Cin, g, buf);
          col = buf;
        }
        for (int64_t gr = 0; gr < groups; ++gr)
          blas::gemm<T>(false, false, true, false, cout_g, rows, L, T(1), gon + gr * cout_g * L, L,
                        col + gr * rows * L, L, gw_beta, gw_n + gr * cout_g * rows, rows, may_thread);
      }
    } else {
      // The output gradient is the image side: unfold it once for both gradients.
      const int64_t rows = cout_g * K;
      T* col = sa.get(Cout * K * L);
      im2col(go + n * Cout * I, Cout, g, col);
      const T* xn = x + n * Cin * L;
      for (int64_t gr = 0; gr < groups; ++gr) {
        if (do_gi)
          blas::gemm<T>(false, false, false, false, cin_g, L, rows, T(1), w + gr * cin_g * rows, rows,
                        col + gr * rows * L, L, T(0), gi + n * Cin * L + gr * cin_g * L, L, may_thread);
        if (gw_n)
          blas::gemm<T>(false, false, true, false, cin_g, rows, L, T(1), xn + gr * cin_g * L, L,
                        col + gr * rows * L, L, gw_beta, gw_n + gr * cin_g * rows, rows, may_thread);
      }
    }
  };
  if (partials) {
    for_each_sample<T>(N, [&](int64_t n, bool mt, Scratch<T>& sa, Scratch<T>& sb) {
      sample(n, mt, gi != nullptr, part + n * wsize, T(0), sa, sb);
    });
    parallel_for(0, wsize, 4096, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        T s = T(0);
        for (int64_t n = 0; n < N; ++n) s += part[n * wsize + i];
        gw[i] = s;
      }
    });
    return;
  }
  if (gi) {
    for_each_sample<T>(N, [&](int64_t n, bool mt, Scratch<T>& sa, Scratch<T>& sb) {
      sample(n, mt, true, nullptr, T(0), sa, sb);
    });
  }
  if (gw) {
    Scratch<T> sa, sb;
    for (int64_t n = 0; n < N; ++n) sample(n, true, false, gw, T(1), sa, sb);  // grad_weight starts zeroed
  }
}

void conv_forward_kernel(const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias,
                         const ConvGeometry& g, int64_t groups, bool transposed) {
  if (input.dtype() == DType::Float64) conv_forward_t<double>(out, input, weight, bias, g, groups, transposed);
  else conv_forward_t<float>(out, input, weight, bias, g, groups, transposed);
}

void conv_backward_kernel(const Tensor& grad_input, const Tensor& grad_weight, const Tensor& grad_out,
                          const Tensor& input, const Tensor& weight, const ConvGeometry& g, int64_t groups,
                          bool transposed) {
  if (input.dtype() == DType::Float64)
    conv_backward_t<double>(grad_input, grad_weight, grad_out, input, weight, g, groups, transposed);
  else
    conv_backward_t<float>(grad_input, grad_weight, grad_out, input, weight, g, groups, transposed);
}

template <class T>
void im2col_t(const Tensor& col, const Tensor& im, const ConvGeometry& g) {
  const int64_t N = im.size(0), C = im.size(1), I = g.image_numel(), CKL = C * g.kernel_numel() * g.cols_numel();
  const T* x = im.data_ptr<T>();
  T* c = col.data_ptr<T>();
  parallel_for(0, N, 1, [&](int64_t b, int64_t e) {
    for (int64_t n = b; n < e; ++n) im2col(x + n * C * I, C, g, c + n * CKL);
  });
}

template <class T>
void col2im_t(const Tensor& im, const Tensor& col, const ConvGeometry& g) {
  const int64_t N = im.size(0), C = im.size(1), I = g.image_numel(), CKL = C * g.kernel_numel() * g.cols_numel();
  const T* c = col.data_ptr<T>();
  T* x = im.data_ptr<T>();
  parallel_for(0, N, 1, [&](int64_t b, int64_t e) {
    for (int64_t n = b; n < e; ++n) col2im(c + n * CKL, C, g, x + n * C * I);
  });
}

void im2col_kernel(const Tensor& col, const Tensor& im, const ConvGeometry& g) {
  if (im.dtype() == DType::Float64) im2col_t<double>(col, im, g);
  else im2col_t<float>(col, im, g);
}

void col2im_kernel(const Tensor& im, const Tensor& col, const ConvGeometry& g) {
  if (im.dtype() == DType::Float64) col2im_t<double>(im, col, g);
  else col2im_t<float>(im, col, g);
}

}  // namespace

EMBER_REGISTER_KERNEL(conv_forward_stub, CPU, &conv_forward_kernel);
EMBER_REGISTER_KERNEL(conv_backward_stub, CPU, &conv_backward_kernel);
EMBER_REGISTER_KERNEL(im2col_stub, CPU, &im2col_kernel);
EMBER_REGISTER_KERNEL(col2im_stub, CPU, &col2im_kernel);

}  // namespace ember
