#pragma once
// The algorithms of Note [Vectorized math], for W float64 lanes. Included
// only by the per-ISA files; everything sits in an anonymous namespace so
// that the AVX-512 and AVX2 copies never merge at link time (a merged
// inline function could run AVX-512 code on an AVX2-only CPU).
//
// The formulas follow fdlibm (e_exp.c, s_expm1.c, e_log.c, k_sin.c, k_cos.c,
// e_rem_pio2.c, s_tanh.c) with their branches turned into lane selects.
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "vec_math.h"

namespace ember::cpu::vec {
namespace {

template <int W>
struct V {
  typedef double D __attribute__((vector_size(W * 8)));
  typedef long long I __attribute__((vector_size(W * 8)));
  typedef float F __attribute__((vector_size(W * 4)));
};

template <class M>
inline bool any(M m) {
#if defined(__AVX512F__)
  if constexpr (sizeof(M) == 64) return _mm512_test_epi64_mask((__m512i)m, (__m512i)m) != 0;
#endif
#if defined(__AVX__)
  if constexpr (sizeof(M) == 32) return !_mm256_testz_si256((__m256i)m, (__m256i)m);
#endif
  bool r = false;
  for (int i = 0; i < int(sizeof(M) / 8); ++i) r |= m[i] != 0;
  return r;
}

template <class D>
inline D splat(double c) {
  return D{} + c;
}

// Lanes where m is set get the scalar libm result instead.
template <class D, class I>
inline D fix_lanes(D x, D y, I m, double (*scalar)(double)) {
  if (any(m)) {
    for (int i = 0; i < int(sizeof(D) / 8); ++i)
      if (m[i]) y[i] = scalar(x[i]);
  }
  return y;
}

constexpr double kMagic = 0x1.8p52;  // adding it rounds |x| < 2^51 to an integer
constexpr long long kMagicBits = 0x4338000000000000LL;

// 2^k for integer lanes k in [-1022, 1023].
template <class D, class I>
inline D pow2(I k) {
  return (D)((k + 1023) << 52);
}

// ---- exp (fdlibm's reduction; Taylor polynomial to degree 13 on |r| <= ln2/2)
template <class D, class I>
inline D exp_core(D x) {
  const D t = x * 1.4426950408889634 + kMagic;  // round(x / ln2)
  const D fn = t - kMagic;
  const I k = (I)t - kMagicBits;
  const D r = (x - fn * 6.93147180369123816490e-01) - fn * 1.90821492927058770002e-10;
  D q = splat<D>(1.0 / 6227020800.0);
  q = q * r + 1.0 / 479001600.0;
  q = q * r + 1.0 / 39916800.0;
  q = q * r + 1.0 / 3628800.0;
  q = q * r + 1.0 / 362880.0;
  q = q * r + 1.0 / 40320.0;
  q = q * r + 1.0 / 5040.0;
  q = q * r + 1.0 / 720.0;
  q = q * r + 1.0 / 120.0;
  q = q * r + 1.0 / 24.0;
  q = q * r + 1.0 / 6.0;
  q = q * r + 0.5;
  const D p = 1.0 + (r + (r * r) * q);
  return p * pow2<D, I>(k);
}

template <class D, class I>
inline D fabs_v(D x) {
  return (D)((I)x & 0x7fffffffffffffffLL);
}

// exp: lanes with |x| >= 708 (overflow, subnormal results) or NaN go to libm.
template <class D, class I>
inline D exp_v(D x) {
  const I slow = !(fabs_v<D, I>(x) < 708.0);
  return fix_lanes(x, exp_core<D, I>(x), slow, static_cast<double (*)(double)>(std::exp));
}

// ---- expm1 (s_expm1.c) for |x| < 700; the k == 0, -1, 1, [2, 20), [20, 56]
// and other branches are all evaluated and selected per lane.
template <class D, class I>
inline D expm1_core(D x) {
  const D t = x * 1.44269504088896338700e+00 + kMagic;
  const D fk = t - kMagic;
  const I k = (I)t - kMagicBits;
  const D hi = x - fk * 6.93147180369123816490e-01;
  const D lo = fk * 1.90821492927058770002e-10;
  const D xr = hi - lo;
  const D c = (hi - xr) - lo;
  const D hfx = 0.5 * xr;
  const D hxs = xr * hfx;
  const D r1 = 1.0 + hxs * (-3.33333333333331316428e-02 +
                            hxs * (1.58730158725481460165e-03 +
                                   hxs * (-7.93650757867487942473e-05 +
                                          hxs * (4.00821782732936239552e-06 + hxs * -2.01099218183624371326e-07))));
  const D tt = 3.0 - r1 * hfx;
  D e = hxs * ((r1 - tt) / (6.0 - xr * tt));
  const D y_k0 = xr - (xr * e - hxs);
  e = (xr * (e - c) - c) - hxs;
  const D y_km1 = 0.5 * (xr - e) - 0.5;
  const D y_k1 = xr < -0.25 ? -2.0 * (e - (xr + 0.5)) : 1.0 + 2.0 * (xr - e);
  const D twopk = pow2<D, I>(k);
  const D y_far = (1.0 - (e - xr)) * twopk - 1.0;                          // k <= -2 or k > 56
  const D y_mid = ((1.0 - pow2<D, I>(-k)) - (e - xr)) * twopk;               // 2 <= k < 20
  const D y_high = ((xr - (e + pow2<D, I>(-k))) + 1.0) * twopk;              // 20 <= k <= 56
  D y = k < 20 ? y_mid : y_high;
  y = (k <= -2) | (k > 56) ? y_far : y;
  y = k == 1 ? y_k1 : y;
  y = k == -1 ? y_km1 : y;
  y = k == 0 ? y_k0 : y;
  return y;
}

template <class D, class I>
inline D expm1_v(D x) {
  const I slow = !(fabs_v<D, I>(x) < 700.0);
  return fix_lanes(x, expm1_core<D, I>(x), slow, static_cast<double (*)(double)>(std::expm1));
}

// ---- log (e_log.c) for normal positive finite x; zero, inf, NaN and
// negative lanes are selected in vector form, subnormal ones go to libm.
template <class D, class I>
inline D log_v(D x) {
  const I ix = (I)x;
  const I hx = ix >> 32;
  I k = (hx >> 20) - 1023;
  const I hm = hx & 0x000fffff;
  const I i = (hm + 0x95f64) & 0x100000;  // set when the mantissa is above sqrt(2)
  const D m = (D)(((hm | (i ^ 0x3ff00000)) << 32) | (ix & 0xffffffffLL));
  k += i >> 20;
  const D f = m - 1.0;
  const D dk = (D)(k + kMagicBits) - kMagic;
  const D s = f / (2.0 + f);
  const D z = s * s;
  const D w = z * z;
  const D t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const D t2 = z * (6.666666666666735130e-01 +
                    w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  const D R = t2 + t1;
  const I far = ((hm - 0x6147a) | (0x6b851 - hm)) > 0;  // f far from 0: the hfsq form
  const D hfsq = 0.5 * f * f;
  const D lnhi = dk * 6.93147180369123816490e-01, lnlo = dk * 1.90821492927058770002e-10;
  const D y_far = lnhi - ((hfsq - (s * (hfsq + R) + lnlo)) - f);
  const D y_near = lnhi - ((s * (f - R) - lnlo) - f);
  D y = far ? y_far : y_near;
  // Special lanes as libm: log(0) = -inf, log(inf) = inf, NaN for x < 0 and
  // NaN (0/0 gives the CPU's default NaN, as libm); positive subnormals go to libm.
  y = x == 0.0 ? splat<D>(-__builtin_inf()) : y;
  y = x == __builtin_inf() ? x : y;
  y = x >= 0.0 ? y : (x - x) / (x - x);
  const I slow = (x > 0.0) & (x < 2.2250738585072014e-308);
  return fix_lanes(x, y, slow, static_cast<double (*)(double)>(std::log));
}

// ---- sin and cos: e_rem_pio2.c's medium reduction (all three rounds, so
// ~118 bits of pi/2) for |x| < 4e5, then k_sin.c / k_cos.c on (y0, y1).
template <class D, class I>
struct Reduced {
  D y0, y1;
  I n;
};

template <class D, class I>
inline Reduced<D, I> rem_pio2(D x) {
  const D t0 = x * 6.36619772367581382433e-01 + kMagic;
  const D fn = t0 - kMagic;
  const I n = (I)t0 - kMagicBits;
  D r = x - fn * 1.57079632673412561417e+00;
  D w = fn * 6.07710050630396597660e-11;
  D t = r;
  r = t - w;
  w = fn * 2.02226624879595063154e-21 - ((t - r) - w);
  t = r;
  w = fn * 2.02226624871116645580e-21;
  r = t - w;
  w = fn * 8.47842766036889956997e-32 - ((t - r) - w);
  const D y0 = r - w;
  const D y1 = (r - y0) - w;
  return {y0, y1, n};
}

template <class D>
inline D kernel_sin(D x, D y) {
  const D z = x * x;
  const D v = z * x;
  const D r = 8.33333333332248946124e-03 +
              z * (-1.98412698298579493134e-04 +
                   z * (2.75573137070700676789e-06 + z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)));
  return x - ((z * (0.5 * y - v * r) - y) - v * -1.66666666666666324348e-01);
}

template <class D, class I>
inline D kernel_cos(D x, D y) {
  const I ix = ((I)x >> 32) & 0x7fffffff;
  const D z = x * x;
  const D r = z * (4.16666666666666019037e-02 +
                   z * (-1.38888888888741095749e-03 +
                        z * (2.48015872894767294178e-05 +
                             z * (-2.75573143513906633035e-07 +
                                  z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
  // qx: 0 for |x| < 0.3, x/4 truncated to its high word up to 0.78125, then 0.28125.
  D qx = (D)((ix - 0x00200000) << 32);
  qx = ix > 0x3fe90000 ? splat<D>(0.28125) : qx;
  qx = ix < 0x3FD33333 ? splat<D>(0.0) : qx;
  const D hz = 0.5 * z - qx;
  const D a = 1.0 - qx;
  return a - (hz - (z * r - x * y));
}

template <class D, class I>
inline D sincos_v(D x, bool want_cos) {
  const Reduced<D, I> red = rem_pio2<D, I>(x);
  const D s = kernel_sin(red.y0, red.y1);
  const D c = kernel_cos<D, I>(red.y0, red.y1);
  const I q = (red.n + (want_cos ? 1 : 0)) & 3;  // cos x = sin(x + pi/2)
  D y = (q & 1) != 0 ? c : s;
  y = (q & 2) != 0 ? -y : y;
  const I slow = !(fabs_v<D, I>(x) < 4e5);
  return fix_lanes(x, y, slow,
                   want_cos ? static_cast<double (*)(double)>(std::cos) : static_cast<double (*)(double)>(std::sin));
}

// ---- tanh (s_tanh.c): one expm1 per lane, of 2|x| or -2|x|.
template <class D, class I>
inline D tanh_v(D x) {
  const D a = fabs_v<D, I>(x);
  const D ac = a < 22.0 ? a : splat<D>(22.0);  // also maps NaN to 22
  const I big = ac >= 1.0;
  const D t = expm1_core<D, I>(big ? 2.0 * ac : -2.0 * ac);
  D z = big ? 1.0 - 2.0 / (t + 2.0) : -t / (t + 2.0);
  z = a < 22.0 ? z : splat<D>(1.0);
  const I sign = (I)x & (I{} + (long long)0x8000000000000000ULL);
  z = (D)((I)z | sign);
  return x == x ? z : x;
}

// e / (1 + e) with e = exp(-|x|) <= 1 for x < 0, so that large negative x
// keep their tiny (subnormal) results.
template <class D, class I>
inline D sigmoid_v(D x) {
  const D e = exp_v<D, I>(-fabs_v<D, I>(x));
  return (x < 0.0 ? e : splat<D>(1.0)) / (1.0 + e);
}

// ---- array drivers: full vectors, then the tail padded to one vector.
template <int W, class Fn>
inline void run_f64(const double* in, double* out, int64_t n, Fn fn) {
  using D = typename V<W>::D;
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    D x;
    std::memcpy(&x, in + i, sizeof x);
    const D y = fn(x);
    std::memcpy(out + i, &y, sizeof y);
  }
  if (i < n) {
    D x = splat<D>(0.5);
    std::memcpy(&x, in + i, (n - i) * sizeof(double));
    const D y = fn(x);
    std::memcpy(out + i, &y, (n - i) * sizeof(double));
  }
}

// float32 through float64 lanes, rounded once at the end (the functions
// that have no float32 algorithm in vec_math_f32.h).
template <int W, class Fn>
inline void run_f32_via_f64(const float* in, float* out, int64_t n, Fn fn) {
  using D = typename V<W>::D;
  using F = typename V<W>::F;
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    F x;
    std::memcpy(&x, in + i, sizeof x);
    const F y = __builtin_convertvector(fn(__builtin_convertvector(x, D)), F);
    std::memcpy(out + i, &y, sizeof y);
  }
  if (i < n) {
    F x = F{} + 0.5f;
    std::memcpy(&x, in + i, (n - i) * sizeof(float));
    const F y = __builtin_convertvector(fn(__builtin_convertvector(x, D)), F);
    std::memcpy(out + i, &y, (n - i) * sizeof(float));
  }
}

}  // namespace
}  // namespace ember::cpu::vec
