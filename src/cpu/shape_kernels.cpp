// CPU kernels of the shape ops. Both move bytes, so the element size picks
// the word type and no per-dtype instantiation is needed.
#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/ops/shape.h"

namespace ember {
namespace {

struct Bytes16 {
  char b[16];
};

template <class F>
void dispatch_word(int64_t element_size, F f) {
  switch (element_size) {
    case 1: f.template operator()<uint8_t>(); break;
    case 2: f.template operator()<uint16_t>(); break;
    case 4: f.template operator()<uint32_t>(); break;
    case 8: f.template operator()<uint64_t>(); break;
    default: f.template operator()<Bytes16>(); break;
  }
}

// Drops size-1 dims and merges neighbours that walk memory as one dim
// (also when both run backwards), so a flip of all dims is one long row.
void coalesce(DimVector& sizes, DimVector& strides) {
  DimVector sz, st;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) continue;
    if (!sz.empty() && st.back() == strides[d] * sizes[d]) {
      sz.back() *= sizes[d];
      st.back() = strides[d];
    } else {
      sz.push_back(sizes[d]);
      st.push_back(strides[d]);
    }
  }
  if (sz.empty()) {
    sz.push_back(1);
    st.push_back(1);
  }
  sizes = std::move(sz);
  strides = std::move(st);
}

template <class W>
void gather_rows(W* dst, const W* src, const DimVector& sizes, const DimVector& strides, int64_t begin, int64_t end) {
  int64_t nd = static_cast<int64_t>(sizes.size());
  int64_t inner = sizes[nd - 1], step = strides[nd - 1];
  // Position of row `begin` in the outer dims.
  DimVector idx(nd, 0);
  int64_t offset = 0;
  for (int64_t d = nd - 2, r = begin; d >= 0; --d) {
    idx[d] = r % sizes[d];
    r /= sizes[d];
    offset += idx[d] * strides[d];
  }
  for (int64_t row = begin; row < end; ++row) {
    W* o = dst + row * inner;
    const W* in = src + offset;
    if (step == 1) {
      std::memcpy(o, in, inner * sizeof(W));
    } else if (step == -1) {
      for (int64_t j = 0; j < inner; ++j) o[j] = in[-j];
    } else {
      for (int64_t j = 0; j < inner; ++j) o[j] = in[j * step];
    }
    for (int64_t d = nd - 2; d >= 0; --d) {  // next row
      if (++idx[d] < sizes[d]) {
        offset += strides[d];
        break;
      }
      offset -= (sizes[d] - 1) * strides[d];
      idx[d] = 0;
    }
  }
}

void strided_gather_kernel(const Tensor& out, const void* src_data, const DimVector& src_strides) {
  DimVector sizes = out.sizes(), strides = src_strides;
  if (out.numel() == 0) return;
  coalesce(sizes, strides);
  int64_t inner = sizes.back(), rows = out.numel() / inner;
  dispatch_word(out.element_size(), [&]<class W>() {
    W* dst = static_cast<W*>(out.data_ptr());
    const W* src = static_cast<const W*>(src_data);
    parallel_for(0, rows, std::max<int64_t>(1, kGrainSize / inner), [&](int64_t b, int64_t e) {
      gather_rows(dst, src, sizes, strides, b, e);
    });
  });
}

void triangle_kernel(Tensor& self, int64_t diagonal, bool lower) {
  if (self.numel() == 0) return;
  int64_t m = self.sizes()[self.dim() - 2], n = self.sizes()[self.dim() - 1];
  int64_t rows = self.numel() / n, esize = self.element_size();
  char* base = static_cast<char*>(self.data_ptr());
  // diagonal was clamped by the op to [-m, n], so i + diagonal cannot overflow.
  parallel_for(0, rows, std::max<int64_t>(1, kGrainSize / n), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t i = r % m;
      char* row = base + r * n * esize;
      if (lower) {  // keep j <= i + diagonal
        int64_t from = std::clamp<int64_t>(i + diagonal + 1, 0, n);
        std::memset(row + from * esize, 0, (n - from) * esize);
      } else {  // keep j >= i + diagonal
        int64_t to = std::clamp<int64_t>(i + diagonal, 0, n);
        std::memset(row, 0, to * esize);
      }
    }
  });
}

// Products of the dims before and after dim.
std::pair<int64_t, int64_t> outer_inner(const DimVector& sizes, int64_t dim) {
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(sizes.size()); ++d) {
    if (d < dim) outer *= sizes[d];
    if (d > dim) inner *= sizes[d];
  }
  return {outer, inner};
}

void repeat_rows_kernel(const Tensor& out, const Tensor& in, const int64_t* counts, int64_t uniform, int64_t dim) {
  if (out.numel() == 0) return;
  auto [outer, inner] = outer_inner(in.sizes(), dim);
  int64_t n = in.sizes()[dim], total = out.sizes()[dim];
  auto count = [&](int64_t i) { return counts ? counts[i] : uniform; };
  const char* src = static_cast<const char*>(in.data_ptr());
  char* dst = static_cast<char*>(out.data_ptr());
  // Work items are input rows (o, i); a row writes count(i) * inner elements.
  int64_t per_row = std::max<int64_t>(1, total * inner / std::max<int64_t>(n, 1));
  dispatch_word(in.element_size(), [&]<class W>() {
    parallel_for(0, outer * n, std::max<int64_t>(1, kGrainSize / per_row), [&](int64_t b, int64_t e) {
      int64_t o = b / n, i = b % n, at = 0;  // at: where row i's copies start in block o
      if (counts) {
        for (int64_t k = 0; k < i; ++k) at += counts[k];
      } else {
        at = i * uniform;
      }
      const W* s = reinterpret_cast<const W*>(src) + b * inner;
      for (int64_t j = b; j < e; ++j, s += inner) {
        int64_t c = count(i);
        W* d = reinterpret_cast<W*>(dst) + (o * total + at) * inner;
        if (inner == 1) {  // one element, repeated: no memcpy call per copy
          const W v = *s;
          for (int64_t r = 0; r < c; ++r) d[r] = v;
        } else {
          for (int64_t r = 0; r < c; ++r, d += inner) std::memcpy(d, s, inner * sizeof(W));
        }
        at += c;
        if (++i == n) {
          i = 0;
          at = 0;
          ++o;
        }
      }
    });
  });
}

void cat_contiguous_kernel(const Tensor& out, const std::vector<Tensor>& inputs, int64_t dim) {
  if (out.numel() == 0) return;
  auto [outer, inner] = outer_inner(out.sizes(), dim);
  const int64_t esize = out.element_size();
  const int64_t out_row = out.sizes()[dim] * inner * esize;  // bytes of one outer row of out
  int64_t n = static_cast<int64_t>(inputs.size());
  // Byte offset of each input's block within an outer row.
  std::vector<int64_t> offset(n + 1, 0);
  for (int64_t k = 0; k < n; ++k) offset[k + 1] = offset[k] + inputs[k].sizes()[dim] * inner * esize;
  char* dst = static_cast<char*>(out.data_ptr());
  // Work items are (outer row, input) blocks, in output order.
  int64_t grain = std::max<int64_t>(1, kGrainSize * 4 / std::max<int64_t>(1, out_row / n));
  parallel_for(0, outer * n, grain, [&](int64_t b, int64_t e) {
    for (int64_t j = b; j < e; ++j) {
      int64_t o = j / n, k = j % n;
      int64_t bytes = offset[k + 1] - offset[k];
      if (bytes == 0) continue;
      const char* s = static_cast<const char*>(inputs[k].data_ptr()) + o * bytes;
      std::memcpy(dst + o * out_row + offset[k], s, bytes);
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(repeat_rows_stub, CPU, &repeat_rows_kernel);
EMBER_REGISTER_KERNEL(cat_contiguous_stub, CPU, &cat_contiguous_kernel);
EMBER_REGISTER_KERNEL(strided_gather_stub, CPU, &strided_gather_kernel);
EMBER_REGISTER_KERNEL(triangle_stub, CPU, &triangle_kernel);

}  // namespace ember
