#pragma once
// Special functions of real floating numbers, computed in double (the
// gradients of lgamma: digamma, then polygamma).
#include <cmath>
#include <limits>

#include <cstdint>

namespace ember::fn {

namespace special {

constexpr double kPi = 3.14159265358979323846;

// Digamma (psi): reflection for x < 0, the recurrence psi(x) = psi(x + 1) -
// 1/x up to x >= 10, then the asymptotic series. psi(0) is -inf and negative
// integers are poles (NaN), as PyTorch.
inline double digamma(double x) {
  if (std::isnan(x)) return x;
  if (x == 0) return std::copysign(std::numeric_limits<double>::infinity(), -x);
  if (x < 0) {
    if (x == std::floor(x)) return std::numeric_limits<double>::quiet_NaN();
    // psi(x) = psi(1 - x) - pi / tan(pi x); tan through the fractional part
    // keeps its accuracy for large |x|.
    double r = std::fmod(x, 1.0);
    return digamma(1 - x) - kPi / std::tan(kPi * r);
  }
  double acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  if (x == 10) return acc + 2.25175258906672110764;  // psi(10), exactly
  double z = 1 / (x * x);
  // Bernoulli terms B2k / (2k x^2k).
  double series = z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132)))));
  return acc + std::log(x) - 0.5 / x - series;
}

// Hurwitz zeta(s, q) = sum_k (k + q)^-s for s > 1 (Cephes' algorithm:
// direct sum, then Euler-Maclaurin).
inline double zeta(double s, double q) {
  constexpr double kEps = 1.11022302462515654042e-16;
  static constexpr double A[] = {12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
                                 7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
                                 -4.5979787224074726105e15, 1.8152105401943546773e17,
                                 -7.1661652561756670113e18};
  if (s == 1) return std::numeric_limits<double>::infinity();
  if (s < 1) return std::numeric_limits<double>::quiet_NaN();
  if (q <= 0) {
    if (q == std::floor(q)) return std::numeric_limits<double>::infinity();
    if (s != std::floor(s)) return std::numeric_limits<double>::quiet_NaN();
  }
  double sum = std::pow(q, -s), a = q, b = 0;
  int i = 0;
  while (i < 9 || a <= 9) {
    i += 1;
    a += 1;
    b = std::pow(a, -s);
    sum += b;
    if (std::fabs(b / sum) < kEps) return sum;
  }
  double w = a;
  sum += b * w / (s - 1);
  sum -= 0.5 * b;
  double fac = 1, k = 0;
  for (double coef : A) {
    fac *= s + k;
    b /= w;
    double t = fac * b / coef;
    sum += t;
    if (std::fabs(t / sum) < kEps) break;
    k += 1;
    fac *= s + k;
    b /= w;
    k += 1;
  }
  return sum;
}

// polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 1.
inline double polygamma(int64_t n, double x) {
  double fact = std::tgamma(static_cast<double>(n) + 1);
  double sign = n % 2 ? 1.0 : -1.0;
  return sign * fact * zeta(static_cast<double>(n) + 1, x);
}

}  // namespace special

struct Digamma {
  template <class T> T operator()(T a) const { return static_cast<T>(special::digamma(static_cast<double>(a))); }
};

struct Polygamma {
  int64_t n;
  template <class T> T operator()(T a) const { return static_cast<T>(special::polygamma(n, static_cast<double>(a))); }
};

}  // namespace ember::fn
