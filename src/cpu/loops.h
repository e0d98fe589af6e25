#pragma once
// Note [CPU elementwise loops]
// The generic CPU drivers for elementwise kernels: unary (out = f(a)),
// binary (out = f(a, b)) and ternary (out = f(a, b, c)). Each runs a
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

namespace detail_loops {
// One contiguous inner loop of ternary_loop; an input with SX = true is a
// broadcast scalar (stride 0), loaded once outside the loop.
template <bool SA, bool SB, bool SC, class Out, class A, class B, class C, class F>
inline void ternary_contiguous(Out* o, const A* a, const B* b, const C* c, int64_t n, const F& f) {
  using CA = detail::compute_t<A>;
  using CB = detail::compute_t<B>;
  using CC = detail::compute_t<C>;
  const CA a0 = static_cast<CA>(a[0]);
  const CB b0 = static_cast<CB>(b[0]);
  const CC c0 = static_cast<CC>(c[0]);
  for (int64_t i = 0; i < n; ++i) {
    o[i] = static_cast<Out>(f(SA ? a0 : static_cast<CA>(a[i]), SB ? b0 : static_cast<CB>(b[i]),
                              SC ? c0 : static_cast<CC>(c[i])));
  }
}
}  // namespace detail_loops

// out = f(a, b, c) with inputs of types A, B, C (each computed in its
// compute_t). Fast paths: the first input contiguous and each of the other
// two either contiguous or a broadcast scalar (the shapes of where(c, x, 0),
// clamp(x, lo, hi) with scalar bounds and lerp(x, y, w) with a scalar w).
template <class Out, class A, class B, class C, class F>
void ternary_loop(TensorIterator& it, F f) {
  it.for_each([f](char** p, const int64_t* s, int64_t n) {
    Out* o = reinterpret_cast<Out*>(p[0]);
    const A* a = reinterpret_cast<const A*>(p[1]);
    const B* b = reinterpret_cast<const B*>(p[2]);
    const C* c = reinterpret_cast<const C*>(p[3]);
    const bool fast = s[0] == int64_t(sizeof(Out)) && s[1] == int64_t(sizeof(A)) &&
                      (s[2] == 0 || s[2] == int64_t(sizeof(B))) && (s[3] == 0 || s[3] == int64_t(sizeof(C)));
    if (fast && n > 1) {
      const int which = (s[2] == 0 ? 2 : 0) | (s[3] == 0 ? 1 : 0);
      switch (which) {
        case 0: detail_loops::ternary_contiguous<false, false, false>(o, a, b, c, n, f); return;
        case 1: detail_loops::ternary_contiguous<false, false, true>(o, a, b, c, n, f); return;
        case 2: detail_loops::ternary_contiguous<false, true, false>(o, a, b, c, n, f); return;
        default: detail_loops::ternary_contiguous<false, true, true>(o, a, b, c, n, f); return;
      }
    }
    using CA = detail::compute_t<A>;
    using CB = detail::compute_t<B>;
    using CC = detail::compute_t<C>;
    for (int64_t i = 0; i < n; ++i) {
      const A x = *reinterpret_cast<const A*>(p[1] + i * s[1]);
      const B y = *reinterpret_cast<const B*>(p[2] + i * s[2]);
      const C z = *reinterpret_cast<const C*>(p[3] + i * s[3]);
      *reinterpret_cast<Out*>(p[0] + i * s[0]) =
          static_cast<Out>(f(static_cast<CA>(x), static_cast<CB>(y), static_cast<CC>(z)));
    }
  });
}

}  // namespace ember::cpu
