#pragma once
// Unary elementwise functors (Note [Elementwise functors] in functors.h).
// They see values in the compute type: float/double, std::complex, or an
// integer type for the few ops defined on integers. Functions that the
// standard library lacks for complex numbers are written out here.
#include "functors.h"

namespace ember::fn {

using detail::is_complex_v;
template <class T> using real_t = typename detail::is_complex_t<T>::type;

struct Neg {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if constexpr (is_int_v<T> && std::is_signed_v<T>) return wrap_neg(a);
    else return -a;
  }
};
struct Abs {
  template <class T> EMBER_HOST_DEVICE auto operator()(T a) const {
    if constexpr (std::is_unsigned_v<T>) return a;
    else if constexpr (is_int_v<T>) return a < 0 ? wrap_neg(a) : a;
    else return std::abs(a);
  }
};
// -1, 0 or 1. NaN gives 0, as PyTorch (NumPy gives NaN; pytorch/pytorch#41245).
struct Sign {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    return static_cast<T>((T(0) < a) - (a < T(0)));
  }
};
// sign for real values, z / |z| for complex ones (0 at 0).
struct Sgn {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if constexpr (is_complex_v<T>) {
      auto r = std::abs(a);
      return r == 0 ? T(0) : a / r;
    } else {
      return Sign{}(a);
    }
  }
};
struct Square {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return Mul{}(a, a); }
};
struct Reciprocal {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return T(1) / a; }
};
struct Sqrt { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::sqrt(a); } };
struct Rsqrt {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return T(1) / std::sqrt(a); }
};
struct Exp { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::exp(a); } };
struct Exp2 {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if constexpr (is_complex_v<T>) return std::exp(a * real_t<T>(0.693147180559945309417232121458176568));
    else return std::exp2(a);
  }
};
// Complex expm1(x+iy) = expm1(x) cos y - 2 sin^2(y/2) + i e^x sin y: no
// cancellation near 0, unlike exp(z) - 1.
struct Expm1 {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if constexpr (is_complex_v<T>) {
      auto x = a.real(), y = a.imag();
      auto s = std::sin(y / 2);
      return T(std::expm1(x) * std::cos(y) - 2 * s * s, std::exp(x) * std::sin(y));
    } else {
      return std::expm1(a);
    }
  }
};
struct Log { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::log(a); } };
struct Log2 {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if constexpr (is_complex_v<T>) return std::log(a) * real_t<T>(1.44269504088896340735992468100189214);
    else return std::log2(a);
  }
};
struct Log10 { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::log10(a); } };
// Complex log1p(z): log|1+z| = log1p(2x + x^2 + y^2) / 2 keeps precision
// near 0, where log(1 + z) would lose it.
struct Log1p {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if constexpr (is_complex_v<T>) {
      auto x = a.real(), y = a.imag();
      return T(std::log1p(x * (2 + x) + y * y) / 2, std::atan2(y, 1 + x));
    } else {
      return std::log1p(a);
    }
  }
};
struct Sin { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::sin(a); } };
struct Cos { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::cos(a); } };
struct Tan { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::tan(a); } };
struct Asin { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::asin(a); } };
struct Acos { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::acos(a); } };
struct Atan { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::atan(a); } };
struct Sinh { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::sinh(a); } };
struct Cosh { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::cosh(a); } };
struct Tanh { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::tanh(a); } };
struct Asinh { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::asinh(a); } };
struct Acosh { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::acosh(a); } };
struct Atanh { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::atanh(a); } };
// e^a / (1 + e^a) for real a < 0, so that large negative a keep their tiny
// (subnormal) results instead of 1 / (1 + inf) = 0.
struct Sigmoid {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if constexpr (!is_complex_v<T>) {
      if (a < T(0)) {
        const T e = std::exp(a);
        return e / (T(1) + e);
      }
    }
    return T(1) / (T(1) + std::exp(-a));
  }
};

// ---- real floating only
struct Erf { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::erf(a); } };
struct Erfc { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::erfc(a); } };
// glibc's lgamma writes the global signgam: the reentrant form avoids a data
// race between threads.
struct Lgamma {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
#if defined(__GLIBC__) && !defined(__CUDA_ARCH__)
    int sign;
    if constexpr (std::is_same_v<T, float>) return ::lgammaf_r(a, &sign);
    else return ::lgamma_r(a, &sign);
#else
    return std::lgamma(a);
#endif
  }
};
struct Cbrt { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::cbrt(a); } };
// Inverse error function: Giles' approximation ("Approximating the erfinv
// function", GPU Computing Gems, 2011) refined by two Newton steps in double,
// which brings float64 to within a few ULP.
struct Erfinv {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    double y = static_cast<double>(a);
    if (!(y > -1 && y < 1)) {
      if (y == 1) return std::numeric_limits<T>::infinity();
      if (y == -1) return -std::numeric_limits<T>::infinity();
      return std::numeric_limits<T>::quiet_NaN();  // |y| > 1 and NaN
    }
    if (y == 0) return a;  // keeps the sign of -0.0
    double w = -std::log((1.0 - y) * (1.0 + y)), p;
    if (w < 5.0) {
      w -= 2.5;
      p = 2.81022636e-08;
      p = 3.43273939e-07 + p * w;
      p = -3.5233877e-06 + p * w;
      p = -4.39150654e-06 + p * w;
      p = 0.00021858087 + p * w;
      p = -0.00125372503 + p * w;
      p = -0.00417768164 + p * w;
      p = 0.246640727 + p * w;
      p = 1.50140941 + p * w;
    } else {
      w = std::sqrt(w) - 3.0;
      p = -0.000200214257;
      p = 0.000100950558 + p * w;
      p = 0.00134934322 + p * w;
      p = -0.00367342844 + p * w;
      p = 0.00573950773 + p * w;
      p = -0.0076224613 + p * w;
      p = 0.00943887047 + p * w;
      p = 1.00167406 + p * w;
      p = 2.83297682 + p * w;
    }
    double x = p * y;
    constexpr double two_over_sqrt_pi = 1.12837916709551257389615890312154517;
    for (int i = 0; i < 2; ++i) x -= (std::erf(x) - y) / (two_over_sqrt_pi * std::exp(-x * x));
    return static_cast<T>(x);
  }
};
// Round half to even (the default floating-point rounding mode), as PyTorch.
struct Round { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::nearbyint(a); } };
struct Floor { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::floor(a); } };
struct Ceil { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::ceil(a); } };
struct Trunc { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::trunc(a); } };
struct Frac { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return a - std::trunc(a); } };
// round(x, decimals) as PyTorch: scale by 10^|decimals|, round half to even,
// scale back (dividing first for negative decimals).
struct RoundDecimals {
  double ten_pow;
  bool negative;
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    T p = static_cast<T>(ten_pow);
    return negative ? std::nearbyint(a / p) * p : std::nearbyint(a * p) / p;
  }
};
// logit(x) = log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps >= 0.
struct Logit {
  double eps;
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if (eps >= 0) {
      T lo = static_cast<T>(eps), hi = T(1) - lo;
      a = a < lo ? lo : a > hi ? hi : a;  // NaN passes through
    }
    return std::log(a / (T(1) - a));
  }
};
// Replacement values already rounded to the tensor's storage dtype.
struct NanToNum {
  double nan, posinf, neginf;
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if (a != a) return static_cast<T>(nan);
    if (a == std::numeric_limits<T>::infinity()) return static_cast<T>(posinf);
    if (a == -std::numeric_limits<T>::infinity()) return static_cast<T>(neginf);
    return a;
  }
};
// Angle of a real number: 0 for x >= 0, pi for x < 0, NaN stays NaN.
struct Angle {
  template <class T> EMBER_HOST_DEVICE auto operator()(T a) const {
    if constexpr (is_complex_v<T>) return std::arg(a);
    else if (a != a) return a;
    else return a < 0 ? T(3.14159265358979323846264338327950288) : T(0);
  }
};
struct Conj { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::conj(a); } };

// ---- predicates (bool results)
struct IsNan {
  template <class T> EMBER_HOST_DEVICE bool operator()(T a) const {
    if constexpr (is_complex_v<T>) return std::isnan(a.real()) || std::isnan(a.imag());
    else return std::isnan(a);
  }
};
struct IsInf {
  template <class T> EMBER_HOST_DEVICE bool operator()(T a) const {
    if constexpr (is_complex_v<T>) return std::isinf(a.real()) || std::isinf(a.imag());
    else return std::isinf(a);
  }
};
struct IsFinite {
  template <class T> EMBER_HOST_DEVICE bool operator()(T a) const {
    if constexpr (is_complex_v<T>) return std::isfinite(a.real()) && std::isfinite(a.imag());
    else return std::isfinite(a);
  }
};
struct IsPosInf {
  template <class T> EMBER_HOST_DEVICE bool operator()(T a) const { return a == std::numeric_limits<T>::infinity(); }
};
struct IsNegInf {
  template <class T> EMBER_HOST_DEVICE bool operator()(T a) const { return a == -std::numeric_limits<T>::infinity(); }
};
struct LogicalNot {
  template <class T> EMBER_HOST_DEVICE bool operator()(T a) const { return a == T(0); }
};
// Integers and bool only (the ops layer rejects other dtypes).
struct BitwiseNot {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const {
    if constexpr (std::is_same_v<T, bool>) return !a;
    else if constexpr (is_int_v<T>) return static_cast<T>(~a);
    else return a;
  }
};

}  // namespace ember::fn
