#pragma once
// The float32 algorithms of Note [Vectorized math], on L float32 lanes (16
// with AVX-512, 8 with AVX2). Included only by the per-ISA files through
// vec_math_table.h; everything sits in an anonymous namespace (see
// vec_math_impl.h for why).
//
// Note [float32 exp]
// e^x = 2^e * T[j] * e^r with k = round(x * N / ln2) = e * N + j, N = L
// table entries T[j] = 2^(j/N) (a permute of one register: vpermps), and
// |r| <= ln2 / (2N). r = x - k * (ln2/N) in two FMAs: the first is exact,
// because ln2/N rounded to float32 has its last bit at 2^-28 (N = 16) or
// 2^-27 (N = 8), as does k * hi, and |x - k * hi| < 2^-4 needs <= 24 bits;
// the second rounds at <= 2^-30. expm1(r) is a degree-4 minimax polynomial
// (|error| < 2^-32); the relative error of the float32 T[j] is folded into
// it, and the result is one FMA, S + S * s with S = 2^e * T[j], so it is
// rounded once: the error before that rounding is a few hundredths of an
// ULP, nearly every result is correctly rounded. Where |x| >= 87 (overflow,
// subnormal results, infinities) or x is NaN, the whole vector takes a
// second form in which the scale is two powers of two (so both are normal
// numbers and a subnormal result is rounded only at the last multiply),
// with x clamped to [-104, 89]: results that overflow become inf, results
// below half the least subnormal become 0.
//
// tanh and sigmoid are exp's pieces plus one quotient, computed from a
// reciprocal estimate and one residual correction so that the quotient
// num / den of two double-float numbers is rounded about once:
//   y0 ~ 1/den_hi, q0 = num_hi * y0,
//   q = q0 + y0 * (num_hi - q0 * den_hi - q0 * den_lo + num_lo)
// (the first residual term is exact in an FMA).
#include "vec_math_impl.h"

namespace ember::cpu::vec {
namespace {

template <int L>
struct VF {
  typedef float F __attribute__((vector_size(L * 4)));
  typedef int I __attribute__((vector_size(L * 4)));
  typedef unsigned U __attribute__((vector_size(L * 4)));
};

template <class F>
inline F splatf(float c) {
  return F{} + c;
}

// a * b + c rounded once (the reductions depend on it, so it is not left
// to -ffp-contract).
template <class F>
inline F fmaf_v(F a, F b, F c) {
  static_assert(sizeof(F) == 64 || sizeof(F) == 32);
  if constexpr (sizeof(F) == 64) {
    return (F)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
  } else {
    return (F)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
  }
}

// 1/d to >= 14 bits; the quotients below correct it with a residual.
template <class F>
inline F recip_estimate(F d) {
  if constexpr (sizeof(F) == 64) {
    // (the maskz form: GCC 12 warns about the undefined source of the plain one)
    return (F)_mm512_maskz_rcp14_ps((__mmask16)0xffff, (__m512)d);
  } else {
    // AVX2: vrcpps has 12 bits, one Newton step makes ~23.
    const F y = (F)_mm256_rcp_ps((__m256)d);
    return fmaf_v(y, fmaf_v(-d, y, splatf<F>(1.0f)), y);
  }
}

// (nh + nl) / (dh + dl), rounded about once (Note [float32 exp]).
template <class F>
inline F quotient(F nh, F nl, F dh, F dl) {
  const F y0 = recip_estimate(dh);
  const F q0 = nh * y0;
  F res = fmaf_v(-q0, dh, nh);
  res = fmaf_v(-q0, dl, res) + nl;
  return fmaf_v(res, y0, q0);
}

template <class F, class I>
inline F fabsf_v(F x) {
  return (F)((I)x & 0x7fffffff);
}

// ---- exp (Note [float32 exp])

// 2^(j/16) rounded to float32, and (2^(j/16) - hi) / hi.
alignas(64) constexpr float kExp2Hi[16] = {
    0x1p+0f,        0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f, 0x1.306fep+0f,  0x1.3dea64p+0f,
    0x1.4bfdaep+0f, 0x1.5ab07ep+0f, 0x1.6a09e6p+0f, 0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
    0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f};
alignas(64) constexpr float kExp2Lo[16] = {
    0x0p+0f,         0x1.8d96d4p-25f,  -0x1.9c0c22p-27f, 0x1.964904p-25f,  0x1.125002p-25f,  0x1.370be4p-25f,
    -0x1.0a355p-25f, -0x1.00d8acp-27f, 0x1.26055cp-26f,  -0x1.05cb44p-25f, 0x1.67a1cap-28f,  0x1.a3b5e4p-28f,
    -0x1.f9c304p-27f, -0x1.6961b4p-28f, -0x1.a5217cp-28f, 0x1.61428ep-28f};

// The table for N = L entries: every (16 / L)-th of the 16.
template <class F>
inline F table16(const float* t16) {
  constexpr int L = sizeof(F) / 4;
  F v;
  for (int i = 0; i < L; ++i) v[i] = t16[i * (16 / L)];
  return v;
}

// e^x = 2^e * T * (1 + s).
template <class F, class I>
struct ExpSplit {
  F s;
  F T;
  I e;
};

// For |x| < 2^17 (k must fit the rounding constant's 22 bits).
template <class F, class I>
inline ExpSplit<F, I> exp_split(F x) {
  constexpr int L = sizeof(F) / 4;
  constexpr int kLogN = L == 16 ? 4 : 3;
  // N / ln2, and ln2 / N in two parts.
  constexpr float kInvStep = L == 16 ? 0x1.715476p+4f : 0x1.715476p+3f;
  constexpr float kStepHi = L == 16 ? 0x1.62e43p-5f : 0x1.62e43p-4f;
  constexpr float kStepLo = L == 16 ? -0x1.05c61p-33f : -0x1.05c61p-32f;
  constexpr float kRound = 0x1.8p23f;  // adding it rounds |v| < 2^22 to an integer
  const F t = fmaf_v(x, splatf<F>(kInvStep), splatf<F>(kRound));
  const F kf = t - kRound;
  const I k = (I)t - 0x4b400000;  // the bits of kRound
  F r = fmaf_v(kf, splatf<F>(-kStepHi), x);
  r = fmaf_v(kf, splatf<F>(-kStepLo), r);
  const I j = k & (L - 1);
  const F T = __builtin_shuffle(table16<F>(kExp2Hi), j);
  const F Tl = __builtin_shuffle(table16<F>(kExp2Lo), j);
  // expm1(r) ~ r + r^2 (1/2 + c3 r + c4 r^2), minimax on |r| <= 1.01 ln2/16.
  const F p = fmaf_v(fmaf_v(splatf<F>(0x1.555dd2p-5f), r, splatf<F>(0x1.555c9ap-3f)), r, splatf<F>(0.5f));
  const F s = fmaf_v(r * r, p, r + Tl);
  return {s, T, k >> kLogN};
}

// 2^e * T for e in [-126, 127] (T in [1, 2)).
template <class F, class I>
inline F scale_by(F T, I e) {
  return (F)((I)T + (e << 23));
}

// e^x for any x, the scale split in two normal powers of two.
template <class F, class I>
inline F exp_any_f32(F x) {
  F xc = x < -104.0f ? splatf<F>(-104.0f) : x;
  xc = xc > 89.0f ? splatf<F>(89.0f) : xc;  // NaN stays NaN through both
  xc = xc == xc ? xc : splatf<F>(0.0f);
  const ExpSplit<F, I> p = exp_split<F, I>(xc);
  const I e1 = p.e >> 1;  // e in [-151, 128]: e1 in [-76, 64]
  const F s1 = scale_by<F, I>(p.T, e1);
  const F s2 = (F)((p.e - e1 + 127) << 23);
  const F y = fmaf_v(s1, p.s, s1) * s2;
  return x == x ? y : x + x;
}

template <class F, class I>
inline F exp_f32(F x) {
  if (any(!(fabsf_v<F, I>(x) < 87.0f))) return exp_any_f32<F, I>(x);
  const ExpSplit<F, I> p = exp_split<F, I>(x);
  const F S = scale_by<F, I>(p.T, p.e);
  return fmaf_v(S, p.s, S);
}

// ---- expm1: for |x| < ln2/2, x + x^2 (1/2 + x P(x)) (minimax, relative
// error < 2^-31; |x| < 2^-25 gives x itself, so -0 and subnormals are
// exact). Above, e^x - 1 = E - 1 from exp's pieces with E = S + S * s
// kept as E + E_lo (the residual is exact in an FMA, S - E being exact)
// and E - 1 formed by TwoSum, so the result rounds about once; there
// |E - 1| >= 0.29 and the error of s (< 2^-30) stays small against it.
// Where |x| >= 87 or NaN the vector takes exp's split-scale form, with x
// clamped to [-20, 89] (expm1 rounds to -1 below -17.4); an overflowing E
// gives inf.
template <class F>
inline F expm1_from_parts(F E, F El) {
  const F h = E - 1.0f;
  const F bb = h - E;
  const F l = (E - (h - bb)) + (-1.0f - bb);  // TwoSum: E - 1 = h + l exactly
  return h + (l + El);
}

template <class F, class I>
inline F expm1_f32(F x) {
  F y;
  if (any(!(fabsf_v<F, I>(x) < 87.0f))) {
    F xc = x < -20.0f ? splatf<F>(-20.0f) : x;
    xc = xc > 89.0f ? splatf<F>(89.0f) : xc;
    xc = xc == xc ? xc : splatf<F>(0.0f);
    const ExpSplit<F, I> p = exp_split<F, I>(xc);
    const I e1 = p.e >> 1;
    const F s1 = scale_by<F, I>(p.T, e1);
    const F s2 = (F)((p.e - e1 + 127) << 23);
    const F E1 = fmaf_v(s1, p.s, s1);
    const F E = E1 * s2, El = fmaf_v(s1, p.s, s1 - E1) * s2;
    y = expm1_from_parts(E, El);
    y = E == __builtin_inff() ? E : y;
    y = x == x ? y : x + x;
  } else {
    const ExpSplit<F, I> p = exp_split<F, I>(x);
    const F S = scale_by<F, I>(p.T, p.e);
    const F E = fmaf_v(S, p.s, S);
    y = expm1_from_parts(E, fmaf_v(S, p.s, S - E));
  }
  F p = fmaf_v(splatf<F>(0x1.9fbdf8p-13f), x, splatf<F>(0x1.6d4078p-10f));
  p = fmaf_v(p, x, splatf<F>(0x1.1111cap-7f));
  p = fmaf_v(p, x, splatf<F>(0x1.5554f2p-5f));
  p = fmaf_v(p, x, splatf<F>(0x1.555554p-3f));
  p = fmaf_v(p, x, splatf<F>(0.5f));
  const F small = fmaf_v(x * x, p, x);
  const F a = fabsf_v<F, I>(x);
  y = a < 0x1.62e43p-2f ? small : y;
  return a < 0x1p-25f ? x : y;
}

// ---- log
//
// Note [float32 log]
// x = 2^k z with z in [0.699, 1.398) (the bits of x less those of
// 0x3f330000, split as glibc's logf does), and z falls in one of 16
// buckets by its top mantissa bits. Each bucket has an invc near 1/z,
// searched among multiples of 2^-5 so that r = z * invc - 1 is exact in
// one FMA for every z of the bucket (|r| < 0.044; the bucket holding 1
// has invc = 1), and log(1/invc) split as hi + lo with hi a multiple of
// 2^-16, as is ln2's hi part: k * ln2_hi + hi is exact. Then
// log x = (k ln2_hi + hi) + r + (k ln2_lo + lo + r^2 P(r)), P minimax of
// degree 4 (relative error < 2^-34), the first sum kept exact (Fast2Sum)
// because near 1 (k = 0, |hi| ~ 0.03) it cancels. Zero, negative, subnormal,
// infinite and NaN lanes send the vector to a form that scales
// subnormals by 2^23 first and selects the special results.
alignas(64) constexpr float kLogInvC[16] = {
    0x1.68p+0f, 0x1.58p+0f, 0x1.48p+0f, 0x1.4p+0f, 0x1.3p+0f, 0x1.28p+0f, 0x1.18p+0f, 0x1.1p+0f,
    0x1.08p+0f, 0x1p+0f,    0x1.ep-1f,  0x1.dp-1f, 0x1.bp-1f, 0x1.ap-1f,  0x1.9p-1f,  0x1.7p-1f};
alignas(64) constexpr float kLogCHi[16] = {
    -0x1.5d1cp-2f, -0x1.2e9p-2f, -0x1.fb9p-3f, -0x1.c9p-3f, -0x1.5ffp-3f, -0x1.2958p-3f, -0x1.6f1p-4f,
    -0x1.f0ap-5f,  -0x1.f84p-6f, 0.0f,         0x1.086p-4f, 0x1.933p-4f,  0x1.5bf8p-3f,  0x1.a94p-3f,
    0x1.f99p-3f,   0x1.522cp-2f};
alignas(64) constexpr float kLogCLo[16] = {
    0x1.2053fcp-21f,  0x1.d451eep-18f, -0x1.86d5e4p-19f, 0x1.070cacp-20f, -0x1.83853cp-18f, 0x1.683fp-18f,
    0x1.6ba8d4p-19f,  -0x1.86008cp-20f, 0x1.64f188p-18f, 0.0f,            -0x1.9d2988p-18f, 0x1.797566p-18f,
    -0x1.fca55ep-18f, -0x1.2c3752p-19f, 0x1.c6cb3cp-19f, -0x1.1f8c76p-18f};

// t[i] for i in [0, 16): one vpermps with 16 lanes, two and a blend with 8.
template <class F, class I>
inline F lookup16(const float* t, I i) {
  if constexpr (sizeof(F) == 64) {
    return __builtin_shuffle(table16<F>(t), i);
  } else {
    F lo, hi;
    std::memcpy(&lo, t, sizeof lo);
    std::memcpy(&hi, t + 8, sizeof hi);
    return __builtin_shuffle(lo, hi, i & 15);
  }
}

// log of positive normal finite x, times 2^kadj.
template <class F, class I>
inline F log_core(F x, I kadj) {
  const I ix = (I)x;
  const I tmp = ix - 0x3f330000;
  const I i = (tmp >> 19) & 15;
  const F z = (F)(ix - (tmp & (int)0xff800000));
  const F kf = __builtin_convertvector((tmp >> 23) + kadj, F);
  const F r = fmaf_v(z, lookup16<F, I>(kLogInvC, i), splatf<F>(-1.0f));
  const F w = fmaf_v(kf, splatf<F>(0x1.62e4p-1f), lookup16<F, I>(kLogCHi, i));  // exact
  const F lo = fmaf_v(kf, splatf<F>(0x1.7f7d1cp-20f), lookup16<F, I>(kLogCLo, i));
  F p = fmaf_v(splatf<F>(-0x1.561898p-3f), r, splatf<F>(0x1.9a637ap-3f));
  p = fmaf_v(p, r, splatf<F>(-0x1.ffffdcp-3f));
  p = fmaf_v(p, r, splatf<F>(0x1.555546p-2f));
  p = fmaf_v(p, r, splatf<F>(-0.5f));
  const F t = fmaf_v(r * r, p, lo);
  const F h = w + r;  // Fast2Sum: |w| >= |r| in every bucket (or w = 0)
  return h + (((w - h) + r) + t);
}

template <class F, class I>
inline F log_f32(F x) {
  using U = typename VF<sizeof(F) / 4>::U;
  const I ix = (I)x;
  // Not a positive normal finite number: <= 0 (or -0), subnormal, inf, NaN.
  if (any((U)(ix - 0x00800000) >= 0x7f000000u)) {
    const I sub = (ix > 0) & (ix < 0x00800000);
    F y = log_core<F, I>(sub ? x * 0x1p23f : x, sub & -23);
    y = x == 0.0f ? splatf<F>(-__builtin_inff()) : y;
    y = x == __builtin_inff() ? x : y;
    y = x >= 0.0f ? y : (x - x) / (x - x);  // negative: the default NaN, as libm; NaN: NaN
    return x == x ? y : x + x;
  }
  return log_core<F, I>(x, I{});
}

// ---- tanh
//
// Note [float32 tanh]
// With 16 lanes (AVX-512) |x| is cut at half octaves from 1/8 (the bucket
// is the float's exponent and first mantissa bit, so one shift) into 14
// buckets ([0, 1/8), [1/8, 3/16), ..., [6, 8), [8, 9.3]), and tanh is a
// degree-7 polynomial in |x| - c on each, every coefficient one vpermps
// from a 16-entry table. The coefficients are minimax fits (relative error
// < 2^-27); c is a float32 near the bucket's middle whose tanh(c), the
// constant term, is within 2^-35 of a float32, so that the constant adds
// no rounding error. The first bucket's polynomial is odd with constant 0
// and linear term 1: tiny and subnormal x give x exactly. |x| > 9.3 is
// evaluated at 9.3, where the last polynomial rounds to 1 as tanh does
// (from 9.0109 on). NaN propagates through the arithmetic (its bucket
// does not matter).
// With 8 lanes (AVX2), where a 16-entry lookup costs three instructions,
// tanh is a + a^3 P(a^2) below 0.625 and (E - 1) / (E + 1) above, E =
// e^(2|x|) carried as E + E_lo: E - 1 is exact (E >= 3.4) and E + 1 is
// rounded with its error kept, so the quotient rounds about once.
// Bucket b: the center c, then the coefficients of (|x| - c)^k, k = 0..7
// (entries 14 and 15 repeat bucket 13; no index reaches them).
alignas(64) constexpr float kTanhCenter[16] = {
    0.0f, 0x1.419d34p-3f, 0x1.c25604p-3f, 0x1.42c764p-2f, 0x1.c16e58p-2f, 0x1.432da2p-1f, 0x1.c26128p-1f,
    0x1.410236p+0f, 0x1.bff09ap+0f, 0x1.3f630ap+1f, 0x1.c321d6p+1f, 0x1.43295ep+2f, 0x1.bdadeap+2f,
    0x1.154244p+3f, 0x1.154244p+3f, 0x1.154244p+3f};
alignas(64) constexpr float kTanhPoly[8][16] = {
    {
        0.0f, 0x1.3eff02p-3f, 0x1.bb372ap-3f, 0x1.387f36p-2f, 0x1.a6a2bcp-2f, 0x1.1e25eep-1f, 0x1.6998a4p-1f,
        0x1.b2e29p-1f, 0x1.e1f878p-1f, 0x1.f914bcp-1f, 0x1.ff1c92p-1f, 0x1.fff538p-1f, 0x1.ffffc4p-1f,
        0x1.fffffep-1f, 0x1.fffffep-1f, 0x1.fffffep-1f},
    {
        0x1p+0f, 0x1.f3940cp-1f, 0x1.e8054p-1f, 0x1.d05136p-1f, 0x1.a8c862p-1f, 0x1.60139ep-1f, 0x1.00a014p-1f,
        0x1.1d3b08p-2f, 0x1.d2617p-4f, 0x1.b7d31p-6f, 0x1.c676eep-9f, 0x1.58f2f8p-13f, 0x1.e00168p-19f,
        0x1.ffffc2p-24f, 0x1.ffffc2p-24f, 0x1.ffffc2p-24f},
    {
        0.0f, -0x1.3741bep-3f, -0x1.a6751cp-3f, -0x1.1b64dap-2f, -0x1.5ea42cp-2f, -0x1.898a14p-2f,
        -0x1.6a7abep-2f, -0x1.e48a86p-3f, -0x1.b706d4p-4f, -0x1.b1e0e8p-6f, -0x1.c5addep-9f, -0x1.59296ap-13f,
        -0x1.e04b84p-19f, -0x1.0003fp-23f, -0x1.0003fp-23f, -0x1.0003fp-23f},
    {
        -0x1.555554p-2f, -0x1.34cfa8p-2f, -0x1.17a24ep-2f, -0x1.be1f16p-3f, -0x1.14efbap-3f, -0x1.d8ce9p-7f,
        0x1.53a8f6p-4f, 0x1.bad14cp-4f, 0x1.01d128p-4f, 0x1.1967a8p-6f, 0x1.2d6902p-9f, 0x1.ccc1eap-14f,
        0x1.3ff3b4p-19f, 0x1.555ff4p-24f, 0x1.555ff4p-24f, 0x1.555ff4p-24f},
    {
        0.0f, 0x1.8f5674p-4f, 0x1.05b28p-3f, 0x1.45140ep-3f, 0x1.5c09bap-3f, 0x1.16e076p-3f, 0x1.e6ddbap-5f,
        -0x1.a89f8ep-7f, -0x1.8179d4p-6f, -0x1.0a1022p-7f, -0x1.2b2802p-10f, -0x1.c6c5bcp-15f, -0x1.3c6f4p-20f,
        -0x1.549a58p-25f, -0x1.549a58p-25f, -0x1.549a58p-25f},
    {
        0x1.110dfcp-3f, 0x1.b10b02p-4f, 0x1.5792eep-4f, 0x1.6b3f2p-5f, -0x1.b5144p-8f, -0x1.cadee4p-5f,
        -0x1.df1d0cp-5f, -0x1.34e698p-6f, 0x1.e44c6cp-9f, 0x1.79b412p-9f, 0x1.d75fa8p-12f, 0x1.658152p-16f,
        0x1.ffb77ep-22f, 0x1.0ffffcp-26f, 0x1.0ffffcp-26f, 0x1.0ffffcp-26f},
    {
        0.0f, 0x1.677d8ep-5f, -0x1.932f08p-7f, -0x1.2a88dep-4f, -0x1.e78dcap-5f, -0x1.74dfa2p-6f,
        0x1.b52f52p-7f, 0x1.ea1cf6p-7f, 0x1.1182f6p-9f, -0x1.6f7c6p-11f, -0x1.3a55dcp-13f, -0x1.16db0ep-17f,
        -0x1.861d56p-23f, -0x1.825f48p-28f, -0x1.825f48p-28f, -0x1.825f48p-28f},
    {
        -0x1.b4c6ccp-5f, 0x1.fa186p-1f, 0x1.189c3p-1f, -0x1.99ce26p-9f, 0x1.efebe8p-6f, 0x1.e3c7bp-6f,
        0x1.6dc618p-7f, -0x1.20814ep-8f, -0x1.025bbep-9f, 0x1.f0c4cep-15f, 0x1.5f05d6p-15f, 0x1.5f38b6p-19f,
        0x1.9f090ep-25f, 0x1.c5e5fcp-30f, 0x1.c5e5fcp-30f, 0x1.c5e5fcp-30f},
};

template <class F, class I>
inline F tanh_table_f32(F x) {
  // min(9.3, |x|): tanh(9.3) rounds to 1, as the last polynomial does. vminps
  // returns its second operand where either is NaN, so NaN stays (maskz:
  // see recip_estimate).
  const F a = (F)_mm512_maskz_min_ps((__mmask16)0xffff, _mm512_set1_ps(9.3f), (__m512)fabsf_v<F, I>(x));
  I b = ((I)a >> 22) - 247;            // 1 at 1/8 (0x3e000000 >> 22 is 248); NaN: any bucket
  b = b > 0 ? b : I{};
  const F t = a - __builtin_shuffle(table16<F>(kTanhCenter), b);
  auto c = [b](int k) { return __builtin_shuffle(table16<F>(kTanhPoly[k]), b); };
  F p = fmaf_v(c(7), t, c(6));  // written out: GCC keeps a loop here rolled
  p = fmaf_v(p, t, c(5));
  p = fmaf_v(p, t, c(4));
  p = fmaf_v(p, t, c(3));
  p = fmaf_v(p, t, c(2));
  p = fmaf_v(p, t, c(1));
  p = fmaf_v(p, t, c(0));
  return (F)((I)p | ((I)x & (int)0x80000000));
}

template <class F, class I>
inline F tanh_exp_f32(F x) {
  const F a = fabsf_v<F, I>(x);
  const F z = a * a;
  F p = splatf<F>(-0x1.75e1a8p-8f);
  p = fmaf_v(p, z, splatf<F>(0x1.522692p-6f));
  p = fmaf_v(p, z, splatf<F>(-0x1.b83c58p-5f));
  p = fmaf_v(p, z, splatf<F>(0x1.110726p-3f));
  p = fmaf_v(p, z, splatf<F>(-0x1.555532p-2f));
  const F small = fmaf_v(a * z, p, a);

  const F ac = a < 9.1f ? a : splatf<F>(9.1f);  // also NaN -> 9.1
  const ExpSplit<F, I> sp = exp_split<F, I>(ac + ac);
  const F S = scale_by<F, I>(sp.T, sp.e);
  const F E = fmaf_v(S, sp.s, S);
  const F El = fmaf_v(S, sp.s, S - E);  // S - E is exact (E / S in [0.95, 1.05])
  const F d = E + 1.0f;
  const F dl = (1.0f - (d - E)) + El;  // Fast2Sum: E >= 1
  const F big = quotient(E - 1.0f, El, d, dl);

  F y = a < 0.625f ? small : big;
  y = (F)((I)y | ((I)x & (int)0x80000000));
  return x == x ? y : x + x;
}

template <class F, class I>
inline F tanh_f32(F x) {
  if constexpr (sizeof(F) == 64) return tanh_table_f32<F, I>(x);
  else return tanh_exp_f32<F, I>(x);
}

// ---- sigmoid: num / (1 + E) with E = e^-|x| <= 1, num = E for x < 0
// (so that large negative x keep their tiny, possibly subnormal, results)
// and 1 otherwise; 1 + E is Fast2Sum'd, the quotient rounds about once.
template <class F, class I>
inline F sigmoid_f32(F x) {
  const F na = -fabsf_v<F, I>(x);
  F E, El{};  // E + El = e^-|x|; El only on the common path (it matters where E is near 1)
  if (any(!(na > -87.0f))) {
    E = exp_any_f32<F, I>(na);
  } else {
    const ExpSplit<F, I> sp = exp_split<F, I>(na);
    const F S = scale_by<F, I>(sp.T, sp.e);
    E = fmaf_v(S, sp.s, S);
    El = fmaf_v(S, sp.s, S - E);
  }
  const F d = 1.0f + E;
  const F dl = (E - (d - 1.0f)) + El;  // Fast2Sum: E <= 1
  const I neg = x < 0.0f;
  const F y = quotient(neg ? E : splatf<F>(1.0f), neg ? El : F{}, d, dl);
  return x == x ? y : x + x;
}

// ---- array driver: full vectors, then the tail padded to one vector.
template <int L, class Fn>
inline void run_f32_lanes(const float* in, float* out, int64_t n, Fn fn) {
  using F = typename VF<L>::F;
  int64_t i = 0;
  for (; i + L <= n; i += L) {
    F x;
    std::memcpy(&x, in + i, sizeof x);
    const F y = fn(x);
    std::memcpy(out + i, &y, sizeof y);
  }
  if (i < n) {
    F x = splatf<F>(0.5f);
    std::memcpy(&x, in + i, (n - i) * sizeof(float));
    const F y = fn(x);
    std::memcpy(out + i, &y, (n - i) * sizeof(float));
  }
}

}  // namespace
}  // namespace ember::cpu::vec
