#pragma once
// The CPU driver of the vectorized math ops (Note [Vectorized math]): real
// floating dtypes run the kernel of vec::kernels() over contiguous runs
// directly, and over strided runs and float16/bfloat16 through a small
// buffer in the compute dtype; complex dtypes, and CPUs without a kernel
// table, take the scalar functor (Note [CPU elementwise loops]).
#include <algorithm>
#include <type_traits>

#include "loops.h"
#include "vec_math.h"

namespace ember::cpu {

template <class T, class F>
void vec_unary_loop(TensorIterator& it, vec::Op op, F scalar) {
  using C = detail::compute_t<T>;
  constexpr bool real = std::is_same_v<C, float> || std::is_same_v<C, double>;
  const vec::Kernels* table = vec::kernels();
  if constexpr (!real) {
    unary_loop<T, T>(it, scalar);
  } else {
    if (table == nullptr) {
      unary_loop<T, T>(it, scalar);
      return;
    }
    void (*fn)(const C*, C*, int64_t);
    if constexpr (std::is_same_v<C, float>) fn = table->f32[op];
    else fn = table->f64[op];
    it.for_each([fn](char** p, const int64_t* s, int64_t n) {
      if constexpr (std::is_same_v<T, C>) {
        if (s[0] == sizeof(T) && s[1] == sizeof(T)) {
          fn(reinterpret_cast<const T*>(p[1]), reinterpret_cast<T*>(p[0]), n);
          return;
        }
      }
      constexpr int64_t kChunk = 256;
      C buf[kChunk];
      for (int64_t i0 = 0; i0 < n; i0 += kChunk) {
        const int64_t m = std::min(kChunk, n - i0);
        for (int64_t j = 0; j < m; ++j) buf[j] = static_cast<C>(*reinterpret_cast<const T*>(p[1] + (i0 + j) * s[1]));
        fn(buf, buf, m);
        for (int64_t j = 0; j < m; ++j) *reinterpret_cast<T*>(p[0] + (i0 + j) * s[0]) = static_cast<T>(buf[j]);
      }
    });
  }
}

}  // namespace ember::cpu
