#pragma once
// Note [CPU elementwise loops]
// The generic CPU drivers for elementwise kernels: one for unary ops
// (out = f(a)) and one for binary ops (out = f(a, b)). Each runs a
// TensorIterator's inner loop with fast paths the compiler vectorizes:
// every operand contiguous, or one input a broadcast scalar (stride 0).
// Values are loaded in the storage type T and computed in compute_t<T>
// (float for float16/bfloat16).
#include "ember/core/tensor_iterator.h"

namespace ember::cpu {

template <class Out, class In, class F>
void unary_loop(TensorIterator& it, F f) {
  using C = detail::compute_t<In>;
  it.for_each([f](char** p, const int64_t* s, int64_t n) {
    if (s[0] == sizeof(Out) && s[1] == sizeof(In)) {
      Out* o = reinterpret_cast<Out*>(p[0]);
      const In* a = reinterpret_cast<const In*>(p[1]);
      for (int64_t i = 0; i < n; ++i) o[i] = static_cast<Out>(f(static_cast<C>(a[i])));
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      const In a = *reinterpret_cast<const In*>(p[1] + i * s[1]);
      *reinterpret_cast<Out*>(p[0] + i * s[0]) = static_cast<Out>(f(static_cast<C>(a)));
    }
  });
}

template <class Out, class In, class F>
void binary_loop(TensorIterator& it, F f) {
  using C = detail::compute_t<In>;
  it.for_each([f](char** p, const int64_t* s, int64_t n) {
    Out* o = reinterpret_cast<Out*>(p[0]);
    const In* a = reinterpret_cast<const In*>(p[1]);
    const In* b = reinterpret_cast<const In*>(p[2]);
    constexpr int64_t so = sizeof(Out), si = sizeof(In);
    if (s[0] == so && s[1] == si && s[2] == si) {
      for (int64_t i = 0; i < n; ++i) o[i] = static_cast<Out>(f(static_cast<C>(a[i]), static_cast<C>(b[i])));
    } else if (s[0] == so && s[1] == si && s[2] == 0) {
      const C bv = static_cast<C>(b[0]);
      for (int64_t i = 0; i < n; ++i) o[i] = static_cast<Out>(f(static_cast<C>(a[i]), bv));
    } else if (s[0] == so && s[1] == 0 && s[2] == si) {
      const C av = static_cast<C>(a[0]);
      for (int64_t i = 0; i < n; ++i) o[i] = static_cast<Out>(f(av, static_cast<C>(b[i])));
    } else {
      for (int64_t i = 0; i < n; ++i) {
        const In x = *reinterpret_cast<const In*>(p[1] + i * s[1]);
        const In y = *reinterpret_cast<const In*>(p[2] + i * s[2]);
        *reinterpret_cast<Out*>(p[0] + i * s[0]) = static_cast<Out>(f(static_cast<C>(x), static_cast<C>(y)));
      }
    }
  });
}

}  // namespace ember::cpu
