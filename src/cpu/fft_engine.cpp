// The FFT engine (see fft_engine.h). Note [FFT plans]
// A plan for length n holds its factorisation into radices and one twiddle
// table tw[t] = exp(sign 2 pi i t / n), t < n, computed in double and then
// rounded to the working precision. The transform is a recursive
// decimation-in-time Cooley-Tukey: a length-n DFT with radix r splits the
// input into r interleaved subsequences, transforms each (length n/r) into
// consecutive blocks of the output, then combines them with n/r butterflies
// of size r. A length with a prime factor above kMaxRadix uses Bluestein:
// the DFT becomes a convolution with a chirp, done with power-of-two FFTs of
// length m >= 2n-1, so it stays O(n log n).
#include "fft_engine.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <tuple>

#include "ember/core/error.h"
#include "ember/core/parallel.h"

namespace ember::fft_engine {

namespace {

constexpr int64_t kPrimeRadices[] = {2, 3, 5, 7, 11, 13};

// Radices for n (4 first, then small primes); `rest` is what is left over,
// 1 when n factors completely.
std::vector<int64_t> factorize(int64_t n, int64_t& rest) {
  std::vector<int64_t> radices;
  while (n % 4 == 0) {
    radices.push_back(4);
    n /= 4;
  }
  for (int64_t p : kPrimeRadices) {
    while (n % p == 0) {
      radices.push_back(p);
      n /= p;
    }
  }
  rest = n;
  return radices;
}

// Beyond this, 2n-1 rounded up to a power of two could overflow; no tensor
// that large fits in memory anyway.
constexpr int64_t kMaxLength = int64_t(1) << 56;

int64_t next_pow2(int64_t v) {
  int64_t m = 1;
  while (m < v) m <<= 1;
  return m;
}

template <class R>
struct Plan {
  using C = std::complex<R>;
  int64_t n = 0;
  bool forward = true;
  std::vector<int64_t> radices;
  std::vector<C> tw;
  // Per recursion level l (radix r, sub-length m): level_tw[level_off[l] +
  // k*(r-1) + j-1] = tw[j*k*step], so a butterfly reads its twiddles
  // contiguously instead of striding through tw (cache misses for large n).
  std::vector<C> level_tw;
  std::vector<int64_t> level_off;
  // half_tw[k] = exp(sign pi i k / n), k <= n: the twiddles that turn this
  // length-n plan into a real transform of length 2n (Note [Real FFT]).
  std::vector<C> half_tw;
  // Bluestein only.
  bool bluestein = false;
  int64_t m = 0;
  std::vector<C> chirp;       // exp(sign pi i k^2 / n), k < n
  std::vector<C> kernel_hat;  // FFT_m of the conjugate chirp, divided by m
  std::shared_ptr<const Plan<R>> inner_fwd, inner_inv;

  size_t bytes() const {
    return (tw.size() + level_tw.size() + half_tw.size() + chirp.size() + kernel_hat.size()) * sizeof(C);
  }
  // Complex scratch elements one execute() call needs.
  int64_t scratch_size() const { return bluestein ? 2 * m : 0; }
};

// ---- butterflies: combine r blocks of length m in `out` (in place).
// a_j = out[j*m + k] * (level twiddle j, k); out[q*m + k] = sum_j a_j w_r^{jq}.

// Plain complex product: std::complex's operator* checks for inf/nan
// (C99 Annex G) through a library call, several times slower in this loop.
template <class R>
inline std::complex<R> cmul(std::complex<R> a, std::complex<R> b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

template <class R>
inline std::complex<R> rot(std::complex<R> z, R s) {  // z * (s i)
  return {-s * z.imag(), s * z.real()};
}

// kRadix is the radix when it has its own butterfly (2, 3, 4, 5), else 0 and
// the runtime r is used; the switch on it then folds away in the loop.
template <class R, int64_t kRadix>
void butterfly_loop(std::complex<R>* out, int64_t r, int64_t m, const std::complex<R>* ltw,
                    const std::complex<R>* tw, int64_t n_total, bool forward) {
  using C = std::complex<R>;
  if constexpr (kRadix != 0) r = kRadix;
  const R s = forward ? R(-1) : R(1);
  C a[kMaxRadix];
  C y[kMaxRadix];
  for (int64_t k = 0; k < m; ++k) {
    a[0] = out[k];
    const C* w = ltw + k * (r - 1) - 1;
    for (int64_t j = 1; j < r; ++j) a[j] = cmul(out[j * m + k], w[j]);
    switch (kRadix) {
      case 2:
        y[0] = a[0] + a[1];
        y[1] = a[0] - a[1];
        break;
      case 3: {
        const R h = static_cast<R>(0.86602540378443864676);  // sqrt(3)/2
        C t = a[1] + a[2];
        C mid = a[0] - t * R(0.5);
        C d = rot(a[1] - a[2], s * h);
        y[0] = a[0] + t;
        y[1] = mid + d;
        y[2] = mid - d;
        break;
      }
      case 4: {
        C t0 = a[0] + a[2], t1 = a[0] - a[2];
        C t2 = a[1] + a[3], t3 = rot(a[1] - a[3], s);
        y[0] = t0 + t2;
        y[2] = t0 - t2;
        y[1] = t1 + t3;
        y[3] = t1 - t3;
        break;
      }
      case 5: {
        const R c1 = static_cast<R>(0.30901699437494742410);   // cos(2pi/5)
        const R c2 = static_cast<R>(-0.80901699437494742410);  // cos(4pi/5)
        const R s1 = static_cast<R>(0.95105651629515357212);   // sin(2pi/5)
        const R s2 = static_cast<R>(0.58778525229247312917);   // sin(4pi/5)
        C t1 = a[1] + a[4], t2 = a[2] + a[3], t3 = a[1] - a[4], t4 = a[2] - a[3];
        C b1 = a[0] + c1 * t1 + c2 * t2;
        C b2 = a[0] + c2 * t1 + c1 * t2;
        C d1 = rot(s1 * t3 + s2 * t4, s);
        C d2 = rot(s2 * t3 - s1 * t4, s);
        y[0] = a[0] + t1 + t2;
        y[1] = b1 + d1;
        y[4] = b1 - d1;
        y[2] = b2 + d2;
        y[3] = b2 - d2;
        break;
      }
      default: {  // generic odd radix: O(r^2), r <= kMaxRadix
        const int64_t wstep = n_total / r;
        for (int64_t q = 0; q < r; ++q) {
          C acc = a[0];
          for (int64_t j = 1; j < r; ++j) acc += cmul(a[j], tw[((j * q) % r) * wstep]);
          y[q] = acc;
        }
      }
    }
    for (int64_t q = 0; q < r; ++q) out[q * m + k] = y[q];
  }
}

template <class R>
void butterflies(std::complex<R>* out, int64_t r, int64_t m, const std::complex<R>* ltw,
                 const std::complex<R>* tw, int64_t n_total, bool forward) {
  switch (r) {
    case 2: return butterfly_loop<R, 2>(out, r, m, ltw, tw, n_total, forward);
    case 3: return butterfly_loop<R, 3>(out, r, m, ltw, tw, n_total, forward);
    case 4: return butterfly_loop<R, 4>(out, r, m, ltw, tw, n_total, forward);
    case 5: return butterfly_loop<R, 5>(out, r, m, ltw, tw, n_total, forward);
    default: return butterfly_loop<R, 0>(out, r, m, ltw, tw, n_total, forward);
  }
}

// out[0..n) = DFT of in[0], in[is], ..., in[(n-1) is] (out distinct from in).
template <class R>
void recurse(const Plan<R>& p, const std::complex<R>* in, int64_t is, std::complex<R>* out, int64_t n,
             size_t level) {
  if (n == 1) {
    out[0] = in[0];
    return;
  }
  const int64_t r = p.radices[level];
  const int64_t m = n / r;
  if (m == 1) {
    for (int64_t j = 0; j < r; ++j) out[j] = in[j * is];
  } else {
    for (int64_t j = 0; j < r; ++j) recurse(p, in + j * is, is * r, out + j * m, m, level + 1);
  }
  butterflies(out, r, m, p.level_tw.data() + p.level_off[level], p.tw.data(), p.n, p.forward);
}

// out = DFT(in) for one row; in and out distinct; scratch of scratch_size().
template <class R>
void execute(const Plan<R>& p, const std::complex<R>* in, std::complex<R>* out, std::complex<R>* scratch) {
  using C = std::complex<R>;
  if (!p.bluestein) {
    recurse(p, in, 1, out, p.n, 0);
    return;
  }
  const int64_t n = p.n, m = p.m;
  C* a = scratch;
  C* b = scratch + m;
  for (int64_t k = 0; k < n; ++k) a[k] = cmul(in[k], p.chirp[k]);
  std::fill(a + n, a + m, C(0));
  recurse(*p.inner_fwd, a, 1, b, m, 0);
  for (int64_t k = 0; k < m; ++k) b[k] = cmul(b[k], p.kernel_hat[k]);
  recurse(*p.inner_inv, b, 1, a, m, 0);
  for (int64_t k = 0; k < n; ++k) out[k] = cmul(a[k], p.chirp[k]);
}

template <class R>
std::shared_ptr<const Plan<R>> get_plan(int64_t n, bool forward);

template <class R>
std::shared_ptr<const Plan<R>> build_plan(int64_t n, bool forward) {
  auto p = std::make_shared<Plan<R>>();
  p->n = n;
  p->forward = forward;
  const double sign = forward ? -1.0 : 1.0;
  p->half_tw.resize(n + 1);
  for (int64_t k = 0; k <= n; ++k) {
    double a = std::numbers::pi * static_cast<double>(k) / static_cast<double>(n);
    p->half_tw[k] = std::complex<R>(static_cast<R>(std::cos(a)), static_cast<R>(sign * std::sin(a)));
  }
  int64_t rest = 1;
  p->radices = factorize(n, rest);
  if (rest == 1) {
    p->tw.resize(n);
    for (int64_t t = 0; t < n; ++t) {
      double a = 2.0 * std::numbers::pi * static_cast<double>(t) / static_cast<double>(n);
      p->tw[t] = std::complex<R>(static_cast<R>(std::cos(a)), static_cast<R>(sign * std::sin(a)));
    }
    int64_t len = n, step = 1;
    for (int64_t r : p->radices) {
      const int64_t m = len / r;
      p->level_off.push_back(static_cast<int64_t>(p->level_tw.size()));
      for (int64_t k = 0; k < m; ++k) {
        for (int64_t j = 1; j < r; ++j) p->level_tw.push_back(p->tw[j * k * step]);
      }
      step *= r;
      len = m;
    }
    // Only the generic odd radix reads tw after this (for its roots of unity).
    if (std::all_of(p->radices.begin(), p->radices.end(), [](int64_t r) { return r <= 5; })) {
      std::vector<std::complex<R>>().swap(p->tw);
    }
    return p;
  }
  p->radices.clear();
  p->bluestein = true;
  p->m = next_pow2(2 * n - 1);
  p->inner_fwd = get_plan<R>(p->m, true);
  p->inner_inv = get_plan<R>(p->m, false);
  std::vector<std::complex<double>> chirp(n);
  for (int64_t k = 0; k < n; ++k) {
    // k^2 mod 2n keeps the angle small, so it stays exact for large k.
    int64_t k2 = static_cast<int64_t>((static_cast<unsigned __int128>(k) * k) % (2 * n));
    double a = std::numbers::pi * static_cast<double>(k2) / static_cast<double>(n);
    chirp[k] = {std::cos(a), sign * std::sin(a)};
  }
  p->chirp.resize(n);
  for (int64_t k = 0; k < n; ++k) p->chirp[k] = std::complex<R>(chirp[k]);
  std::vector<std::complex<R>> h(p->m, std::complex<R>(0));
  for (int64_t k = 0; k < n; ++k) {
    h[k] = std::complex<R>(std::conj(chirp[k]));
    if (k > 0) h[p->m - k] = h[k];
  }
  p->kernel_hat.resize(p->m);
  recurse(*p->inner_fwd, h.data(), 1, p->kernel_hat.data(), p->m, 0);
  const R inv_m = R(1) / static_cast<R>(p->m);
  for (auto& v : p->kernel_hat) v *= inv_m;
  return p;
}

// A small thread-safe cache, bounded in plans and in bytes; plans are built
// outside the lock (a Bluestein plan asks the cache for its inner plans).
template <class R>
std::shared_ptr<const Plan<R>> get_plan(int64_t n, bool forward) {
  static std::mutex mu;
  static std::map<std::pair<int64_t, bool>, std::shared_ptr<const Plan<R>>> cache;
  static size_t cached_bytes = 0;
  constexpr size_t kMaxPlans = 64;
  constexpr size_t kMaxBytes = size_t(256) << 20;
  const auto key = std::make_pair(n, forward);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
  }
  auto plan = build_plan<R>(n, forward);
  std::lock_guard<std::mutex> lock(mu);
  auto [it, inserted] = cache.emplace(key, plan);
  if (!inserted) return it->second;  // another thread built it first
  cached_bytes += plan->bytes();
  if (cache.size() > kMaxPlans || cached_bytes > kMaxBytes) {
    cache.clear();  // callers holding a plan keep it alive
    cached_bytes = 0;
  }
  return plan;
}

// Rows of one batch per task: enough rows that a task does real work.
int64_t row_grain(int64_t n) { return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)); }

}  // namespace

}  // namespace ember::fft_engine

ember::fft::PlanInfo ember::fft::plan_info(int64_t n) {
  using namespace ember::fft_engine;
  EMBER_CHECK(n >= 1, RuntimeError, "[_fft_plan_info] Invalid number of data points (", n, ") specified");
  EMBER_CHECK(n <= kMaxLength, RuntimeError, "[_fft_plan_info] ", n, " data points are more than the ", kMaxLength,
              " supported");
  PlanInfo info;
  int64_t rest = 1;
  info.radices = factorize(n, rest);
  if (rest != 1) {
    info.bluestein = true;
    info.inner_n = next_pow2(2 * n - 1);
    int64_t r2 = 1;
    info.radices = factorize(info.inner_n, r2);
  }
  return info;
}

namespace ember::fft_engine {

template <class R>
void c2c(std::complex<R>* data, int64_t outer, int64_t n, int64_t inner, bool forward, R scale) {
  using C = std::complex<R>;
  const int64_t lines = outer * inner;
  if (lines == 0) return;
  auto plan = get_plan<R>(n, forward);
  // Consecutive lines are neighbouring columns (when inner > 1), so the
  // strided gathers of one task share cache lines.
  parallel_for(0, lines, row_grain(n), [&](int64_t begin, int64_t end) {
    std::vector<C> x(inner == 1 ? 0 : n), out(n), scratch(plan->scratch_size());
    for (int64_t line = begin; line < end; ++line) {
      C* base = data + (line / inner) * n * inner + line % inner;
      if (inner == 1) {
        execute(*plan, base, out.data(), scratch.data());
        for (int64_t k = 0; k < n; ++k) base[k] = out[k] * scale;
      } else {
        for (int64_t k = 0; k < n; ++k) x[k] = base[k * inner];
        execute(*plan, x.data(), out.data(), scratch.data());
        for (int64_t k = 0; k < n; ++k) base[k * inner] = out[k] * scale;
      }
    }
  });
}

// Note [Real FFT]
// A real signal x of even length n = 2M is packed as z_j = x_2j + i x_2j+1
// and transformed with a length-M complex FFT Z. With E_k = (Z_k +
// conj(Z_M-k)) / 2 and O_k = -i (Z_k - conj(Z_M-k)) / 2 (the transforms of
// the even and odd samples), X_k = E_k + w_k O_k, w_k = exp(sign 2 pi i k/n).
// c2r runs the same steps backwards: Y_k = A_k + i w_k B_k with A_k = X_k +
// conj(X_M-k), B_k = X_k - conj(X_M-k); z = FFT_M(Y) holds x_2j + i x_2j+1.
// Odd lengths go through a full complex FFT.

template <class R>
void r2c(const R* in, std::complex<R>* out, int64_t rows, int64_t n, bool forward, R scale) {
  using C = std::complex<R>;
  if (rows == 0) return;
  const int64_t half = n / 2 + 1;
  const bool packed = n % 2 == 0;
  const int64_t len = packed ? n / 2 : n;
  auto plan = get_plan<R>(len, forward);
  parallel_for(0, rows, row_grain(n), [&](int64_t begin, int64_t end) {
    std::vector<C> x(len), y(len), scratch(plan->scratch_size());
    for (int64_t row = begin; row < end; ++row) {
      const R* src = in + row * n;
      C* dst = out + row * half;
      if (!packed) {
        for (int64_t k = 0; k < n; ++k) x[k] = C(src[k], R(0));
        execute(*plan, x.data(), y.data(), scratch.data());
        for (int64_t k = 0; k < half; ++k) dst[k] = y[k] * scale;
        continue;
      }
      for (int64_t j = 0; j < len; ++j) x[j] = C(src[2 * j], src[2 * j + 1]);
      execute(*plan, x.data(), y.data(), scratch.data());
      const R h = R(0.5) * scale;
      for (int64_t k = 0; k <= len; ++k) {
        const C zk = y[k == len ? 0 : k];
        const C zc = std::conj(y[k == 0 ? 0 : len - k]);
        const C e = zk + zc;
        const C d = zk - zc;
        const C o(d.imag(), -d.real());  // -i d
        dst[k] = (e + cmul(plan->half_tw[k], o)) * h;
      }
    }
  });
}

template <class R>
void c2r(const std::complex<R>* in, R* out, int64_t rows, int64_t n, bool forward, R scale) {
  using C = std::complex<R>;
  if (rows == 0) return;
  const int64_t half = n / 2 + 1;
  const bool packed = n % 2 == 0;
  const int64_t len = packed ? n / 2 : n;
  auto plan = get_plan<R>(len, forward);
  parallel_for(0, rows, row_grain(n), [&](int64_t begin, int64_t end) {
    std::vector<C> x(len), y(len), scratch(plan->scratch_size());
    for (int64_t row = begin; row < end; ++row) {
      const C* src = in + row * half;
      R* dst = out + row * n;
      // The zero (and Nyquist) terms of a real signal's spectrum are real.
      auto term = [&](int64_t k) { return (k == 0 || (packed && k == len)) ? C(src[k].real(), R(0)) : src[k]; };
      if (!packed) {
        for (int64_t k = 0; k < half; ++k) x[k] = term(k);
        for (int64_t k = half; k < n; ++k) x[k] = std::conj(src[n - k]);
        execute(*plan, x.data(), y.data(), scratch.data());
        for (int64_t k = 0; k < n; ++k) dst[k] = y[k].real() * scale;
        continue;
      }
      for (int64_t k = 0; k < len; ++k) {
        const C xk = term(k);
        const C xc = std::conj(term(len - k));
        const C a = xk + xc;
        const C b = cmul(plan->half_tw[k], xk - xc);
        x[k] = C(a.real() - b.imag(), a.imag() + b.real());  // a + i b
      }
      execute(*plan, x.data(), y.data(), scratch.data());
      for (int64_t j = 0; j < len; ++j) {
        dst[2 * j] = y[j].real() * scale;
        dst[2 * j + 1] = y[j].imag() * scale;
      }
    }
  });
}

template void c2c<float>(std::complex<float>*, int64_t, int64_t, int64_t, bool, float);
template void c2c<double>(std::complex<double>*, int64_t, int64_t, int64_t, bool, double);
template void r2c<float>(const float*, std::complex<float>*, int64_t, int64_t, bool, float);
template void r2c<double>(const double*, std::complex<double>*, int64_t, int64_t, bool, double);
template void c2r<float>(const std::complex<float>*, float*, int64_t, int64_t, bool, float);
template void c2r<double>(const std::complex<double>*, double*, int64_t, int64_t, bool, double);

}  // namespace ember::fft_engine
