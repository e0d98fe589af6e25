#pragma once
// Unfolding an image into convolution columns and folding columns back
// (Note [Convolution geometry]): im2col copies, col2im sums overlaps. One
// sample of C channels at a time; the callers run samples in parallel.
#include <algorithm>
#include <cstring>
#include <vector>

#include "ember/core/nn_kernels.h"

namespace ember::conv_detail {

// The output positions o in [lo, hi) read image position o * s + off inside [0, n).
inline void valid_range(int64_t out_n, int64_t s, int64_t off, int64_t n, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + s - 1) / s;
  hi = n - off <= 0 ? 0 : (n - off - 1) / s + 1;
  lo = std::min(lo, out_n);
  hi = std::clamp(hi, lo, out_n);
}

// Copies and clears of column pieces: most are a few dozen bytes (one row of
// a small image), where a call to memcpy/memset costs more than the work, so
// short ones run inline in 16-byte pieces.
constexpr int64_t kShortBytes = 64;

template <class T>
inline void copy_n(T* d, const T* s, int64_t n) {
  const int64_t bytes = n * int64_t(sizeof(T));
  if (bytes <= 0) return;
  if (bytes > kShortBytes) {
    std::memcpy(d, s, size_t(bytes));
    return;
  }
  char* dc = reinterpret_cast<char*>(d);
  const char* sc = reinterpret_cast<const char*>(s);
  int64_t i = 0;
  for (; i + 16 <= bytes; i += 16) {
    char buf[16];
    std::memcpy(buf, sc + i, 16);
    std::memcpy(dc + i, buf, 16);
  }
  for (; i < bytes; i += int64_t(sizeof(T))) std::memcpy(dc + i, sc + i, sizeof(T));
}

template <class T>
inline void zero_n(T* p, int64_t n) {
  const int64_t bytes = n * int64_t(sizeof(T));
  if (bytes <= 0) return;
  if (bytes > kShortBytes) {
    std::memset(p, 0, size_t(bytes));
    return;
  }
  char* pc = reinterpret_cast<char*>(p);
  int64_t i = 0;
  for (; i + 16 <= bytes; i += 16) {
    const char zero[16] = {};
    std::memcpy(pc + i, zero, 16);
  }
  for (; i < bytes; i += int64_t(sizeof(T))) std::memset(pc + i, 0, sizeof(T));
}

// dst (cols x rows) = src (rows x cols)^T, in 8x8 tiles.
template <class T>
void transpose(const T* src, int64_t rows, int64_t cols, T* dst) {
  constexpr int64_t B = 8;
  for (int64_t r0 = 0; r0 < rows; r0 += B)
    for (int64_t c0 = 0; c0 < cols; c0 += B) {
      const int64_t r1 = std::min(rows, r0 + B), c1 = std::min(cols, c0 + B);
      for (int64_t c = c0; c < c1; ++c)
        for (int64_t r = r0; r < r1; ++r) dst[c * rows + r] = src[r * cols + c];
    }
}

// Note [Column spans]
// With stride 1 along H and W and an output row as wide as an image row (a
// "same" convolution, the common case), output position j = oh * OW + ow of
// the column row of kernel offset (kh, kw) reads image position
// j + hoff * IW + woff: apart from the positions that wrap around a row edge
// (ow + woff outside the image) it is the image plane shifted by a constant.
// So im2col builds, per channel and kernel column kw, the image shifted by
// woff with the wrapped positions zeroed and zero rows above and below (one
// contiguous copy and a few stores per row), and each of the KH column rows
// of that kw is then one contiguous copy out of it; col2im does the adjoint
// (col2im_span). On small images this replaces a call per output row (8
// floats each on 8x8 images) with one per column row.
struct ColumnRow {
  int64_t hoff, woff;  // image row/column of output (0, 0), per spatial dim
  int64_t hlo, hhi;    // output rows that read inside the image
  int64_t lo, hi;      // output columns that read inside the image
};

// Calls fn(c, id, r, od, ColumnRow) for each column row r = (c, kd, kh, kw) and
// output depth od; id is the image depth that od reads, -1 when it is padding.
// The ranges depend on the kernel offset only: they are worked out once per
// offset (integer divisions cost more than copying a short row).
template <class Fn>
void for_each_column_row(int64_t C, const ConvGeometry& g, Fn fn) {
  const int64_t KD = g.kernel[0], KH = g.kernel[1], KW = g.kernel[2];
  const int64_t ID = g.image[0], IH = g.image[1], IW = g.image[2];
  const int64_t OD = g.cols[0], OH = g.cols[1], OW = g.cols[2];
  std::vector<ColumnRow> offsets(size_t(KH * KW));
  for (int64_t kh = 0; kh < KH; ++kh)
    for (int64_t kw = 0; kw < KW; ++kw) {
      ColumnRow& cr = offsets[size_t(kh * KW + kw)];
      cr.hoff = kh * g.dil[1] - g.pad[1];
      cr.woff = kw * g.dil[2] - g.pad[2];
      valid_range(OH, g.stride[1], cr.hoff, IH, cr.hlo, cr.hhi);
      valid_range(OW, g.stride[2], cr.woff, IW, cr.lo, cr.hi);
    }
  for (int64_t c = 0; c < C; ++c)
    for (int64_t kd = 0; kd < KD; ++kd)
      for (int64_t k = 0; k < KH * KW; ++k) {
        const int64_t r = (c * KD + kd) * KH * KW + k;
        const ColumnRow& cr = offsets[size_t(k)];
        for (int64_t od = 0; od < OD; ++od) {
          const int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dil[0];
          fn(c, id >= 0 && id < ID ? id : -1, r, od, cr);
        }
      }
}

inline bool spans_contiguous(const ConvGeometry& g) {
  return g.stride[1] == 1 && g.stride[2] == 1 && g.cols[2] == g.image[2];
}

// im2col when spans_contiguous(g) (Note [Column spans]).
template <class T>
void im2col_span(const T* im, int64_t C, const ConvGeometry& g, T* col, int64_t ldc) {
  const int64_t KD = g.kernel[0], KH = g.kernel[1], KW = g.kernel[2];
  const int64_t ID = g.image[0], IH = g.image[1], IW = g.image[2];
  const int64_t OD = g.cols[0], OH = g.cols[1], OW = g.cols[2], plane = OH * OW;
  // The shifted planes, rows -top .. IH - 1 + bottom; the margins stay zero.
  const int64_t hoff_min = -g.pad[1], hoff_max = (KH - 1) * g.dil[1] - g.pad[1];
  const int64_t top = std::max<int64_t>(0, -hoff_min), bottom = std::max<int64_t>(0, OH - 1 + hoff_max - (IH - 1));
  const int64_t prow = top + IH + bottom;
  std::vector<T> shifted(size_t(KW * prow * OW), T(0));
  for (int64_t c = 0; c < C; ++c)
    for (int64_t kd = 0; kd < KD; ++kd)
      for (int64_t od = 0; od < OD; ++od) {
        const int64_t r0 = (c * KD + kd) * KH * KW;
        const int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dil[0];
        if (id < 0 || id >= ID) {
          for (int64_t k = 0; k < KH * KW; ++k) zero_n(col + (r0 + k) * ldc + od * plane, plane);
          continue;
        }
        const T* x = im + (c * ID + id) * IH * IW;
        for (int64_t kw = 0; kw < KW; ++kw) {
          T* p = shifted.data() + (kw * prow + top) * OW;
          const int64_t woff = kw * g.dil[2] - g.pad[2];
          int64_t lo, hi;
          valid_range(OW, 1, woff, IW, lo, hi);
          if (lo >= hi) {
            zero_n(p, IH * OW);
            continue;
          }
          copy_n(p + lo, x + lo + woff, (IH - 1) * OW + hi - lo);
          if (lo > 0 || hi < OW)
            for (int64_t ih = 0; ih < IH; ++ih) {
              zero_n(p + ih * OW, lo);
              zero_n(p + ih * OW + hi, OW - hi);
            }
        }
        for (int64_t kh = 0; kh < KH; ++kh) {
          const int64_t hoff = kh * g.dil[1] - g.pad[1];
          for (int64_t kw = 0; kw < KW; ++kw)
            copy_n(col + (r0 + kh * KW + kw) * ldc + od * plane,
                   shifted.data() + (kw * prow + top + hoff) * OW, plane);
        }
      }
}

// col (C*K, L) with row stride ldc (>= L) from one sample's image (C, D, H, W).
template <class T>
void im2col(const T* im, int64_t C, const ConvGeometry& g, T* col, int64_t ldc) {
  const int64_t ID = g.image[0], IH = g.image[1], IW = g.image[2];
  const int64_t OH = g.cols[1], OW = g.cols[2], plane = OH * OW;
  const int64_t sh = g.stride[1], sw = g.stride[2];
  if (spans_contiguous(g)) {
    im2col_span(im, C, g, col, ldc);
    return;
  }
  for_each_column_row(C, g, [&](int64_t c, int64_t id, int64_t r, int64_t od, const ColumnRow& cr) {
    T* d = col + r * ldc + od * plane;
    if (id < 0 || cr.hlo >= cr.hhi || cr.lo >= cr.hi) {
      zero_n(d, plane);
      return;
    }
    const T* s = im + (c * ID + id) * IH * IW;
    zero_n(d, cr.hlo * OW);
    for (int64_t oh = cr.hlo; oh < cr.hhi; ++oh) {
      T* dr = d + oh * OW;
      const int64_t base = (oh * sh + cr.hoff) * IW + cr.woff;  // image index of ow = 0 (maybe padding)
      zero_n(dr, cr.lo);
      if (sw == 1) {
        copy_n(dr + cr.lo, s + base + cr.lo, cr.hi - cr.lo);
      } else {
        for (int64_t w = cr.lo; w < cr.hi; ++w) dr[w] = s[base + w * sw];
      }
      zero_n(dr + cr.hi, OW - cr.hi);
    }
    zero_n(d + cr.hhi * OW, (OH - cr.hhi) * OW);
  });
}

template <class T>
inline void add_n(T* __restrict d, const T* __restrict s, int64_t n) {
  for (int64_t i = 0; i < n; ++i) d[i] += s[i];
}

// col2im when spans_contiguous(g): im2col_span's adjoint (Note [Column
// spans]). The KH column rows of each kernel column kw add up, each in one
// contiguous run, in a shifted plane with zero rows above and below; its
// wrapped positions are cleared and it adds into the image in one run.
template <class T>
void col2im_span(const T* col, int64_t C, const ConvGeometry& g, T* im, int64_t ldc) {
  const int64_t KD = g.kernel[0], KH = g.kernel[1], KW = g.kernel[2];
  const int64_t ID = g.image[0], IH = g.image[1], IW = g.image[2];
  const int64_t OD = g.cols[0], OH = g.cols[1], OW = g.cols[2], plane = OH * OW;
  const int64_t hoff_min = -g.pad[1], hoff_max = (KH - 1) * g.dil[1] - g.pad[1];
  const int64_t top = std::max<int64_t>(0, -hoff_min), bottom = std::max<int64_t>(0, OH - 1 + hoff_max - (IH - 1));
  const int64_t prow = top + IH + bottom;
  std::vector<T> shifted(size_t(KW * prow * OW));
  for (int64_t c = 0; c < C; ++c)
    for (int64_t kd = 0; kd < KD; ++kd)
      for (int64_t od = 0; od < OD; ++od) {
        const int64_t r0 = (c * KD + kd) * KH * KW;
        const int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dil[0];
        if (id < 0 || id >= ID) continue;
        zero_n(shifted.data(), KW * prow * OW);
        for (int64_t kh = 0; kh < KH; ++kh) {
          const int64_t hoff = kh * g.dil[1] - g.pad[1];
          for (int64_t kw = 0; kw < KW; ++kw)
            add_n(shifted.data() + (kw * prow + top + hoff) * OW, col + (r0 + kh * KW + kw) * ldc + od * plane,
                  plane);
        }
        T* x = im + (c * ID + id) * IH * IW;
        for (int64_t kw = 0; kw < KW; ++kw) {
          T* p = shifted.data() + (kw * prow + top) * OW;
          const int64_t woff = kw * g.dil[2] - g.pad[2];
          int64_t lo, hi;
          valid_range(OW, 1, woff, IW, lo, hi);
          if (lo >= hi) continue;
          if (lo > 0 || hi < OW)
            for (int64_t ih = 0; ih < IH; ++ih) {
              zero_n(p + ih * OW, lo);
              zero_n(p + ih * OW + hi, OW - hi);
            }
          add_n(x + lo + woff, p + lo, (IH - 1) * OW + hi - lo);
        }
      }
}

// im (C, D, H, W; zeroed or partial) += fold(col), col (C*K, L) with row stride ldc.
template <class T>
void col2im(const T* col, int64_t C, const ConvGeometry& g, T* im, int64_t ldc) {
  const int64_t ID = g.image[0], IH = g.image[1], IW = g.image[2];
  const int64_t OH = g.cols[1], OW = g.cols[2], plane = OH * OW;
  const int64_t sh = g.stride[1], sw = g.stride[2];
  if (spans_contiguous(g)) {
    col2im_span(col, C, g, im, ldc);
    return;
  }
  for_each_column_row(C, g, [&](int64_t c, int64_t id, int64_t r, int64_t od, const ColumnRow& cr) {
    if (id < 0 || cr.hlo >= cr.hhi || cr.lo >= cr.hi) return;
    const T* s = col + r * ldc + od * plane;
    T* d = im + (c * ID + id) * IH * IW;
    for (int64_t oh = cr.hlo; oh < cr.hhi; ++oh) {
      const T* sr = s + oh * OW;
      const int64_t base = (oh * sh + cr.hoff) * IW + cr.woff;  // image index of ow = 0 (maybe padding)
      if (sw == 1) {
        for (int64_t w = cr.lo; w < cr.hi; ++w) d[base + w] += sr[w];
      } else {
        for (int64_t w = cr.lo; w < cr.hi; ++w) d[base + w * sw] += sr[w];
      }
    }
  });
}

}  // namespace ember::conv_detail
