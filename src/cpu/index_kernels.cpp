// CPU kernels of advanced indexing (see IndexPlan in
// include/ember/core/index_kernels.h): a gather picked by element size, a
// scatter that copies bytes or accumulates by dtype, and masked_fill (the
// mask compactions are in mask_kernels.cpp).
#include <algorithm>
#include <cstring>

#include "ember/core/index_kernels.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

// Calls f(self_element, other_element) for the linear positions
// [begin, end) of the iteration shape, row by row along the last dim. When
// no index varies along that dim (x[idx] with rows left whole), the row's
// self address is computed once and f_row moves the whole row.
template <class F, class FRow>
void walk(const IndexPlan& p, int64_t begin, int64_t end, const F& f, const FRow& f_row) {
  const int64_t nd = static_cast<int64_t>(p.sizes.size());
  const size_t nidx = p.index.size();
  DimVector coord(static_cast<size_t>(nd));
  int64_t rem = begin;
  for (int64_t d = nd - 1; d >= 0; --d) {
    coord[d] = rem % p.sizes[d];
    rem /= p.sizes[d];
  }
  const int64_t inner = nd ? p.sizes[nd - 1] : 1;
  const int64_t ss = nd ? p.self_strides[nd - 1] : 0;
  const int64_t os = nd ? p.other_strides[nd - 1] : 0;
  bool row_fixed = true;
  DimVector is(nidx), io(nidx);  // each index's stride along the last dim, and its row offset
  for (size_t k = 0; k < nidx; ++k) {
    is[k] = nd ? p.index_strides[k][nd - 1] : 0;
    row_fixed = row_fixed && is[k] == 0;
  }
  auto self_at = [&](int64_t self_off, int64_t j) {
    char* sp = p.self + self_off + j * ss;
    for (size_t k = 0; k < nidx; ++k) {
      int64_t v = p.index[k][io[k] + j * is[k]];
      if (v < 0) v += p.indexed_sizes[k];
      sp += v * p.indexed_strides[k];
    }
    return sp;
  };
  for (int64_t i = begin; i < end;) {
    int64_t self_off = 0, other_off = 0;
    for (size_t k = 0; k < nidx; ++k) io[k] = 0;
    for (int64_t d = 0; d < nd; ++d) {
      self_off += coord[d] * p.self_strides[d];
      other_off += coord[d] * p.other_strides[d];
      for (size_t k = 0; k < nidx; ++k) io[k] += coord[d] * p.index_strides[k][d];
    }
    const int64_t start = nd ? coord[nd - 1] : 0;
    const int64_t n = std::min(inner - start, end - i);
    if (row_fixed) {
      f_row(self_at(self_off, 0), ss, p.other + other_off, os, n);
    } else {
      for (int64_t j = 0; j < n; ++j) f(self_at(self_off, j), p.other + other_off + j * os);
    }
    i += n;
    if (i >= end || nd == 0) break;
    coord[nd - 1] = 0;
    for (int64_t d = nd - 2; d >= 0; --d) {
      if (++coord[d] < p.sizes[d]) break;
      coord[d] = 0;
    }
  }
}

int64_t numel_of(const DimVector& sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  return n;
}

struct Bytes16 {
  char b[16];
};

template <class Word>
void gather_words(const IndexPlan& p) {
  auto one = [](const char* src, char* dst) { std::memcpy(dst, src, sizeof(Word)); };
  auto row = [](const char* src, int64_t ss, char* dst, int64_t ds, int64_t n) {
    if (ss == sizeof(Word) && ds == sizeof(Word)) {
      std::memcpy(dst, src, n * sizeof(Word));
      return;
    }
    for (int64_t j = 0; j < n; ++j) std::memcpy(dst + j * ds, src + j * ss, sizeof(Word));
  };
  parallel_for(0, numel_of(p.sizes), kGrainSize, [&](int64_t b, int64_t e) {
    walk(p, b, e, [&](char* s, char* o) { one(s, o); }, row);
  });
}

void gather_kernel(const IndexPlan& p) {
  switch (p.element_size) {
    case 1: return gather_words<uint8_t>(p);
    case 2: return gather_words<uint16_t>(p);
    case 4: return gather_words<uint32_t>(p);
    case 8: return gather_words<uint64_t>(p);
    case 16: return gather_words<Bytes16>(p);
    default: EMBER_THROW(RuntimeError, "[index] unsupported element size ", p.element_size);
  }
}

// Scatters run on one thread: duplicate indices would race otherwise.
template <class Word>
void scatter_words(const IndexPlan& p) {
  auto row = [](char* dst, int64_t ds, const char* src, int64_t ss, int64_t n) {
    for (int64_t j = 0; j < n; ++j) std::memcpy(dst + j * ds, src + j * ss, sizeof(Word));
  };
  walk(p, 0, numel_of(p.sizes), [](char* s, const char* o) { std::memcpy(s, o, sizeof(Word)); }, row);
}

void scatter_kernel(const IndexPlan& p, bool accumulate) {
  if (!accumulate) {
    switch (p.element_size) {
      case 1: return scatter_words<uint8_t>(p);
      case 2: return scatter_words<uint16_t>(p);
      case 4: return scatter_words<uint32_t>(p);
      case 8: return scatter_words<uint64_t>(p);
      case 16: return scatter_words<Bytes16>(p);
      default: EMBER_THROW(RuntimeError, "[index_put_] unsupported element size ", p.element_size);
    }
  }
  dispatch_all(p.dtype, [&]<class T>() {
    auto add = [](char* s, const char* o) {
      T* d = reinterpret_cast<T*>(s);
      *d = static_cast<T>(*d + *reinterpret_cast<const T*>(o));
    };
    auto row = [&](char* s, int64_t ss, const char* o, int64_t os, int64_t n) {
      for (int64_t j = 0; j < n; ++j) add(s + j * ss, o + j * os);
    };
    walk(p, 0, numel_of(p.sizes), add, row);
  });
}

template <class Word>
void masked_fill_words(TensorIterator& it, const void* value) {
  Word v;
  std::memcpy(&v, value, sizeof(Word));
  it.for_each([&v](char** ptrs, const int64_t* strides, int64_t n) {
    char* out = ptrs[0];
    const char* mask = ptrs[1];
    for (int64_t i = 0; i < n; ++i) {
      if (*reinterpret_cast<const bool*>(mask + i * strides[1])) std::memcpy(out + i * strides[0], &v, sizeof(Word));
    }
  });
}

void masked_fill_kernel(TensorIterator& it, const void* value) {
  switch (it.tensor(0).element_size()) {
    case 1: return masked_fill_words<uint8_t>(it, value);
    case 2: return masked_fill_words<uint16_t>(it, value);
    case 4: return masked_fill_words<uint32_t>(it, value);
    case 8: return masked_fill_words<uint64_t>(it, value);
    case 16: return masked_fill_words<Bytes16>(it, value);
    default: EMBER_THROW(RuntimeError, "[masked_fill_] unsupported element size ", it.tensor(0).element_size());
  }
}

}  // namespace

EMBER_REGISTER_KERNEL(index_gather_stub, CPU, &gather_kernel);
EMBER_REGISTER_KERNEL(index_scatter_stub, CPU, &scatter_kernel);
EMBER_REGISTER_KERNEL(masked_fill_stub, CPU, &masked_fill_kernel);

}  // namespace ember
