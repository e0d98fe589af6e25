// CPU copy (with dtype conversion) and fill kernels.
#include <cstring>

#include "ember/core/kernels.h"

namespace ember {
namespace {

// Same-dtype copies move bytes; the element size picks the word type so
// that strided copies need no per-dtype instantiation.
template <class Word>
void copy_words(char** ptrs, const int64_t* strides, int64_t n) {
  char* dst = ptrs[0];
  const char* src = ptrs[1];
  if (strides[0] == sizeof(Word) && strides[1] == sizeof(Word)) {
    std::memcpy(dst, src, n * sizeof(Word));
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(dst + i * strides[0], src + i * strides[1], sizeof(Word));
  }
}

struct Bytes16 { char b[16]; };

void copy_same_dtype(TensorIterator& it) {
  switch (it.tensor(0).element_size()) {
    case 1: it.for_each(copy_words<uint8_t>); break;
    case 2: it.for_each(copy_words<uint16_t>); break;
    case 4: it.for_each(copy_words<uint32_t>); break;
    case 8: it.for_each(copy_words<uint64_t>); break;
    default: it.for_each(copy_words<Bytes16>); break;
  }
}

void copy_kernel(TensorIterator& it) {
  DType dst_t = it.dtype(0), src_t = it.dtype(1);
  if (dst_t == src_t) {
    copy_same_dtype(it);
    return;
  }
  dispatch_all(dst_t, [&]<class To>() {
    dispatch_all(src_t, [&]<class From>() {
      it.for_each([](char** ptrs, const int64_t* strides, int64_t n) {
        char* dst = ptrs[0];
        const char* src = ptrs[1];
        for (int64_t i = 0; i < n; ++i) {
          From x;
          std::memcpy(&x, src + i * strides[1], sizeof(From));
          To y = detail::convert<To>(x);
          std::memcpy(dst + i * strides[0], &y, sizeof(To));
        }
      });
    });
  });
}

void fill_kernel(TensorIterator& it, const Scalar& value) {
  dispatch_all(it.dtype(0), [&]<class T>() {
    T v = value.to<T>();
    it.for_each([v](char** ptrs, const int64_t* strides, int64_t n) {
      char* dst = ptrs[0];
      if (strides[0] == sizeof(T)) {
        T* d = reinterpret_cast<T*>(dst);
        for (int64_t i = 0; i < n; ++i) d[i] = v;
        return;
      }
      for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * strides[0], &v, sizeof(T));
    });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(copy_stub, CPU, &copy_kernel);
EMBER_REGISTER_KERNEL(fill_stub, CPU, &fill_kernel);

}  // namespace ember
