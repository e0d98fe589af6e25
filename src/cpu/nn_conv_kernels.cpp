// CPU convolution: unfold the image side into columns (im2col, 3-D so that
// 1-D and 2-D convolutions are the same code; Note [Convolution geometry],
// nn_conv_columns.h) and multiply with BLAS; col2im folds column gradients
// back, summing overlaps. Samples of a batch run in our pool with
// single-threaded GEMMs (Note [BLAS threads]); a batch of one gives BLAS the
// threads instead. float32 3x3 stride-1 convolutions with enough channels
// take Winograd's algorithm instead (nn_conv_winograd.cpp), forward and for
// the input gradient.
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "blas.h"
#include "ember/core/nn_kernels.h"
#include "ember/core/parallel.h"
#include "nn_conv_columns.h"
#include "nn_conv_winograd.h"

namespace ember {
namespace {

using conv_detail::col2im;
using conv_detail::im2col;

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
  if constexpr (std::is_same_v<T, float>) {
    if (!transposed && conv_detail::winograd_applies(g, groups, Cin, Cout)) {  // Note [Winograd convolution]
      conv_detail::winograd_conv3x3(x, w, b, y, N, Cin, Cout, g.image[1], g.image[2], g.pad[1], g.pad[2]);
      return;
    }
  }
  if (!transposed) {
    const int64_t rows = cin_g * K;  // one group's column rows
    for_each_sample<T>(N, [&](int64_t n, bool may_thread, Scratch<T>& sa, Scratch<T>&) {
      const T* xn = x + n * Cin * I;
      const T* col = xn;
      if (!pointwise) {
        T* buf = sa.get(Cin * K * L);
        im2col(xn, Cin, g, buf, L);
        col = buf;
      }
      T* yn = y + n * Cout * L;
      // The bias goes in first and the product adds to it (OpenBLAS clears
      // C with a pass of its own for beta 0 anyway).
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
      col2im(buf, Cout, g, yn, L);
      if (b)
        for (int64_t c = 0; c < Cout; ++c)
          for (int64_t i = 0; i < I; ++i) yn[c * I + i] += b[c];
    });
  }
}

// Note [Weight gradient partials]
// grad_weight sums a product per sample. The batch is cut into `parts`
// fixed runs of samples (at most kMaxParts, a number that depends on the
// batch and the weight size only, never on the thread count); each run sums
// its samples in order into its own partial, the runs go to the pool, and
// the partials are added in run order. So results do not depend on the
// number of threads, and a run of several samples pays one partial.
constexpr int64_t kMaxParts = 16;
// Bound on the partials' memory (elements).
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
  const bool pointwise = is_pointwise(g);
  if constexpr (std::is_same_v<T, float>) {
    // The input gradient of a 3x3 stride-1 convolution is itself one: the
    // output gradient (Cout channels) convolved with the kernels turned
    // half a turn and their channel axes swapped, padded 2 - p (the result is
    // the input's size). So it takes the Winograd path too (Note [Winograd
    // convolution]), and no column gradients are folded back.
    if (gi && !transposed && conv_detail::winograd_applies(g, groups, Cin, Cout)) {
      std::vector<float> flipped(static_cast<size_t>(wsize));
      for (int64_t co = 0; co < Cout; ++co)
        for (int64_t ci = 0; ci < Cin; ++ci)
          for (int64_t k = 0; k < 9; ++k) flipped[size_t((ci * Cout + co) * 9 + 8 - k)] = w[(co * Cin + ci) * 9 + k];
      conv_detail::winograd_conv3x3(go, flipped.data(), nullptr, gi, N, Cout, Cin, g.cols[1], g.cols[2],
                                    2 - g.pad[1], 2 - g.pad[2]);
      gi = nullptr;  // done; the samples below only add the weight gradient
    }
  }
  // Note [Weight gradient layout]
  // For a convolution, grad_weight_g (cout_g x rows) = gout_g (cout_g x L) @ col_g^T.
  // OpenBLAS runs that "A @ B^T" shape at ~65% of the speed of a plain
  // product, so it is computed transposed, gw_g^T (rows x cout_g) = col_g @
  // gout_g^T, with the sample's output gradient transposed to (L x Cout)
  // first (a cost of 1/rows of the product's, so only worth it for enough
  // rows); partials hold gw^T and the final sum transposes back. Transposed
  // convolutions keep the direct form.
  const bool gw_t = !transposed && cin_g * K >= 64;
  // One sample: its part of grad_input, and its grad_weight term added to
  // gw_n with factor gw_beta (0 for the first sample of a run).
  auto sample = [&](int64_t n, bool may_thread, T* gw_n, T gw_beta, Scratch<T>& sa, Scratch<T>& sb) {
    if (!transposed) {
      const int64_t rows = cin_g * K;
      const T* gon = go + n * Cout * L;
      if (gw_n) {
        const T* col = x + n * Cin * I;
        if (!pointwise) {
          T* buf = sa.get(Cin * K * L);
          im2col(col, Cin, g, buf, L);
          col = buf;
        }
        if (!gw_t) {
          for (int64_t gr = 0; gr < groups; ++gr)
            blas::gemm<T>(false, false, true, false, cout_g, rows, L, T(1), gon + gr * cout_g * L, L,
                          col + gr * rows * L, L, gw_beta, gw_n + gr * cout_g * rows, rows, may_thread);
        } else {
          T* got = sb.get(L * Cout);
          conv_detail::transpose(gon, Cout, L, got);
          for (int64_t gr = 0; gr < groups; ++gr)
            blas::gemm<T>(false, false, false, false, rows, cout_g, L, T(1), col + gr * rows * L, L,
                          got + gr * cout_g, Cout, gw_beta, gw_n + gr * rows * cout_g, cout_g, may_thread);
        }
      }
      if (gi) {
        T* gin = gi + n * Cin * I;
        T* col = pointwise ? gin : sa.get(Cin * K * L);
        for (int64_t gr = 0; gr < groups; ++gr)
          blas::gemm<T>(true, false, false, false, rows, L, cout_g, T(1), w + gr * cout_g * rows, rows,
                        gon + gr * cout_g * L, L, T(0), col + gr * rows * L, L, may_thread);
        if (!pointwise) {
          std::fill(gin, gin + Cin * I, T(0));  // col2im adds into it
          col2im(col, Cin, g, gin, L);
        }
      }
    } else {
      // The output gradient is the image side: unfold it once for both gradients.
      const int64_t rows = cout_g * K;
      T* col = sa.get(Cout * K * L);
      im2col(go + n * Cout * I, Cout, g, col, L);
      const T* xn = x + n * Cin * L;
      for (int64_t gr = 0; gr < groups; ++gr) {
        if (gi)
          blas::gemm<T>(false, false, false, false, cin_g, L, rows, T(1), w + gr * cin_g * rows, rows,
                        col + gr * rows * L, L, T(0), gi + n * Cin * L + gr * cin_g * L, L, may_thread);
        if (gw_n)
          blas::gemm<T>(false, false, true, false, cin_g, rows, L, T(1), xn + gr * cin_g * L, L,
                        col + gr * rows * L, L, gw_beta, gw_n + gr * cin_g * rows, rows, may_thread);
      }
    }
  };
  // Note [Weight gradient partials]
  int64_t parts = std::min(N, kMaxParts);
  if (gw) parts = std::max<int64_t>(1, std::min(parts, kMaxPartialWeightElems / std::max<int64_t>(1, wsize)));
  Scratch<T> part_buf;
  // Partials in gw^T layout need the final transposition even for one part.
  T* part = gw && (parts > 1 || gw_t) ? part_buf.get(parts * wsize) : nullptr;
  auto run = [&](int64_t p, bool may_thread, Scratch<T>& sa, Scratch<T>& sb) {
    const int64_t lo = p * N / parts, hi = (p + 1) * N / parts;
    T* gw_p = gw ? (part ? part + p * wsize : gw) : nullptr;
    for (int64_t n = lo; n < hi; ++n) sample(n, may_thread, gw_p, n == lo ? T(0) : T(1), sa, sb);
  };
  if (parts == 1 || get_num_threads() == 1) {
    Scratch<T> sa, sb;
    for (int64_t p = 0; p < parts; ++p) run(p, true, sa, sb);
  } else {
    parallel_for(0, parts, 1, [&](int64_t pb, int64_t pe) {
      Scratch<T> sa, sb;
      for (int64_t p = pb; p < pe; ++p) run(p, false, sa, sb);
    });
  }
  if (part && gw_t) {
    // gw[gr][co][r] = sum_p part[p][gr][r][co] (Note [Weight gradient layout]):
    // the partials add up in run order into the first, which transposes into gw.
    parallel_for(0, wsize, 4096, [&](int64_t b, int64_t e) {
      for (int64_t p = 1; p < parts; ++p) conv_detail::add_n(part + b, part + p * wsize + b, e - b);
    });
    const int64_t rows = cin_g * K;
    for (int64_t gr = 0; gr < groups; ++gr)
      conv_detail::transpose(part + gr * rows * cout_g, rows, cout_g, gw + gr * cout_g * rows);
  } else if (part) {
    parallel_for(0, wsize, 4096, [&](int64_t b, int64_t e) {
      std::copy(part + b, part + e, gw + b);
      for (int64_t p = 1; p < parts; ++p) {
        const T* src = part + p * wsize;
        for (int64_t i = b; i < e; ++i) gw[i] += src[i];
      }
    });
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
    for (int64_t n = b; n < e; ++n) im2col(x + n * C * I, C, g, c + n * CKL, g.cols_numel());
  });
}

template <class T>
void col2im_t(const Tensor& im, const Tensor& col, const ConvGeometry& g) {
  const int64_t N = im.size(0), C = im.size(1), I = g.image_numel(), CKL = C * g.kernel_numel() * g.cols_numel();
  const T* c = col.data_ptr<T>();
  T* x = im.data_ptr<T>();
  parallel_for(0, N, 1, [&](int64_t b, int64_t e) {
    for (int64_t n = b; n < e; ++n) col2im(c + n * CKL, C, g, x + n * C * I, g.cols_numel());
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
