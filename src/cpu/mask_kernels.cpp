// CPU kernels of Note [Mask compaction] (include/ember/core/index_kernels.h):
// the per-chunk counts of a bool mask, and the two compactions made from
// them, of elements (x[mask], masked_select) and of coordinates (nonzero).
// A mask byte counts as true when it is non-zero.
#include <algorithm>
#include <cstring>

#include "ember/core/index_kernels.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

int64_t count_true(const uint8_t* p, int64_t n) {
  int64_t total = 0;
  for (int64_t i = 0; i < n; i += 4096) {
    const int64_t m = std::min<int64_t>(4096, n - i);
    uint32_t s = 0;  // a narrow sum, so that the loop vectorizes well
    for (int64_t j = 0; j < m; ++j) s += p[i + j] != 0;
    total += s;
  }
  return total;
}

// Runs fn(chunk, begin, end) over the chunks of mask[0, n) in parallel,
// with end moved back to just after the chunk's last true element: the
// branch-free loops store at the output position before they know whether
// the element is true, and so must stop at the last one that is (a store
// beyond it would land in the next chunk's output).
template <class F>
void for_each_chunk(const uint8_t* m, int64_t n, const F& fn) {
  parallel_for(0, mask_chunks(n), 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      const int64_t b = c * kMaskChunk;
      int64_t e = std::min(n, b + kMaskChunk);
      while (e > b && m[e - 1] == 0) --e;
      if (e > b) fn(c, b, e);
    }
  });
}

void mask_count_kernel(const bool* mask, int64_t n, int64_t* counts) {
  const uint8_t* m = reinterpret_cast<const uint8_t*>(mask);
  parallel_for(0, mask_chunks(n), 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      const int64_t b = c * kMaskChunk;
      counts[c] = count_true(m + b, std::min(kMaskChunk, n - b));
    }
  });
}

struct Bytes16 {
  char b[16];
};

// Elements of one machine word: every element is stored, the position
// advances by its mask bit; runs of 8 false elements are skipped whole.
template <class Word>
void select_words(const uint8_t* m, int64_t b, int64_t e, const char* src, int64_t stride, char* dst) {
  int64_t w = 0;
  int64_t i = b;
  for (; i + 8 <= e; i += 8) {
    uint64_t bits;
    std::memcpy(&bits, m + i, 8);
    if (bits == 0) continue;
    for (int k = 0; k < 8; ++k) {
      std::memcpy(dst + w * int64_t(sizeof(Word)), src + (i + k) * stride, sizeof(Word));
      w += m[i + k] != 0;
    }
  }
  for (; i < e; ++i) {
    std::memcpy(dst + w * int64_t(sizeof(Word)), src + i * stride, sizeof(Word));
    w += m[i] != 0;
  }
}

// Larger blocks (rows): copied only where the mask is true.
void select_blocks(const uint8_t* m, int64_t b, int64_t e, const char* src, int64_t stride, int64_t block,
                   char* dst) {
  for (int64_t i = b; i < e; ++i) {
    if (m[i] != 0) {
      std::memcpy(dst, src + i * stride, block);
      dst += block;
    }
  }
}

void mask_select_kernel(const bool* mask, int64_t n, const int64_t* starts, const char* src, int64_t stride,
                        int64_t block, char* dst) {
  const uint8_t* m = reinterpret_cast<const uint8_t*>(mask);
  for_each_chunk(m, n, [&](int64_t c, int64_t b, int64_t e) {
    char* out = dst + starts[c] * block;
    switch (block) {
      case 1: return select_words<uint8_t>(m, b, e, src, stride, out);
      case 2: return select_words<uint16_t>(m, b, e, src, stride, out);
      case 4: return select_words<uint32_t>(m, b, e, src, stride, out);
      case 8: return select_words<uint64_t>(m, b, e, src, stride, out);
      case 16: return select_words<Bytes16>(m, b, e, src, stride, out);
      default: return select_blocks(m, b, e, src, stride, block, out);
    }
  });
}

void nonzero_kernel(const bool* data, const DimVector& sizes, const int64_t* starts, int64_t* out) {
  const uint8_t* m = reinterpret_cast<const uint8_t*>(data);
  const int64_t nd = static_cast<int64_t>(sizes.size());
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  for_each_chunk(m, n, [&](int64_t c, int64_t b, int64_t e) {
    int64_t* o = out + starts[c] * nd;
    if (nd == 1) {
      int64_t w = 0;
      for (int64_t i = b; i < e; ++i) {
        o[w] = i;
        w += m[i] != 0;
      }
      return;
    }
    DimVector coord(static_cast<size_t>(nd));
    for (int64_t d = nd - 1, rem = b; d >= 0; --d) {
      coord[d] = rem % sizes[d];
      rem /= sizes[d];
    }
    const int64_t last = sizes[nd - 1];
    for (int64_t i = b; i < e; ++i) {
      std::copy(coord.begin(), coord.end(), o);
      o += nd * (m[i] != 0);
      if (++coord[nd - 1] < last) continue;
      coord[nd - 1] = 0;
      for (int64_t d = nd - 2; d >= 0; --d) {
        if (++coord[d] < sizes[d]) break;
        coord[d] = 0;
      }
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(mask_count_stub, CPU, &mask_count_kernel);
EMBER_REGISTER_KERNEL(mask_select_stub, CPU, &mask_select_kernel);
EMBER_REGISTER_KERNEL(nonzero_stub, CPU, &nonzero_kernel);

}  // namespace ember
