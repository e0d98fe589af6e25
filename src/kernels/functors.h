#pragma once
// Binary elementwise functors; unary ones are in unary_functors.h.
// Note [Elementwise functors]
// The math of each elementwise op, written once for every backend: a
// functor whose operator() takes values in the compute type (float for
// float16/bfloat16) and returns the result. Backends wrap them in their
// loop drivers (src/cpu/loops.h). Integer edge cases that are undefined in
// C++ (INT_MIN / -1, division by zero) are defined here, never left to UB.
#include <cmath>
#include <complex>
#include <limits>
#include <type_traits>

#include "ember/core/error.h"
#include "ember/core/macros.h"
#include "ember/core/scalar.h"

namespace ember::fn {

template <class T> constexpr bool is_int_v = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// Wrapping negation without signed-overflow UB.
template <class T>
EMBER_HOST_DEVICE T wrap_neg(T a) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(U(0) - static_cast<U>(a));
}

struct Add {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) return a || b;
    else if constexpr (is_int_v<T>) {
      using U = std::make_unsigned_t<T>;  // wraps like PyTorch, without UB
      return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
    } else return a + b;
  }
};
struct Mul {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) return a && b;
    else if constexpr (is_int_v<T>) {
      using U = std::make_unsigned_t<T>;
      return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
    } else return a * b;
  }
};
struct TrueDiv {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const { return a / b; }
};

[[noreturn]] inline void integer_division_by_zero() { EMBER_THROW(RuntimeError, "ZeroDivisionError"); }

struct TruncDiv {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (is_int_v<T>) {
      if (b == 0) integer_division_by_zero();
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return wrap_neg(a);
      }
      return static_cast<T>(a / b);
    } else {
      return std::trunc(a / b);
    }
  }
};
struct FloorDiv {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (is_int_v<T>) {
      if (b == 0) integer_division_by_zero();
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return wrap_neg(a);
        T q = static_cast<T>(a / b);
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return q;
      } else {
        return static_cast<T>(a / b);
      }
    } else {
      // PyTorch's div_floor: exact for representable quotients.
      if (b == 0) return a / b;
      T mod = std::fmod(a, b);
      T div = (a - mod) / b;
      if (mod != 0 && (b < 0) != (mod < 0)) div -= T(1);
      T floordiv;
      if (div != 0) {
        floordiv = std::floor(div);
        if (div - floordiv > T(0.5)) floordiv += T(1);
      } else {
        floordiv = std::copysign(T(0), a / b);
      }
      return floordiv;
    }
  }
};
// Python's %: the result takes the sign of the divisor.
struct Remainder {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (is_int_v<T>) {
      if (b == 0) integer_division_by_zero();
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return 0;
        T r = static_cast<T>(a % b);
        if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
        return r;
      } else {
        return static_cast<T>(a % b);
      }
    } else {
      T r = std::fmod(a, b);
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      return r;
    }
  }
};
struct Pow {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (is_int_v<T>) {
      if constexpr (std::is_signed_v<T>) {
        if (b < 0) {
          // Integer a**negative: 1 and -1 stay exact; |a| > 1 truncates to 0.
          if (a == 1) return 1;
          if (a == -1) return (b % 2 == 0) ? 1 : -1;
          if (a == 0) integer_division_by_zero();
          return 0;
        }
      }
      using U = std::make_unsigned_t<T>;
      U result = 1, base = static_cast<U>(a);
      auto e = b;
      while (e > 0) {
        if (e & 1) result *= base;
        base *= base;
        e >>= 1;
      }
      return static_cast<T>(result);
    } else {
      return std::pow(a, b);
    }
  }
};
// NaN-propagating, as torch.maximum.
struct Maximum {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
    }
    return a > b ? a : b;
  }
};
struct Minimum {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
    }
    return a < b ? a : b;
  }
};

struct Eq { template <class T> EMBER_HOST_DEVICE bool operator()(T a, T b) const { return a == b; } };
struct Ne { template <class T> EMBER_HOST_DEVICE bool operator()(T a, T b) const { return a != b; } };
struct Lt { template <class T> EMBER_HOST_DEVICE bool operator()(T a, T b) const { return a < b; } };
struct Le { template <class T> EMBER_HOST_DEVICE bool operator()(T a, T b) const { return a <= b; } };
struct Gt { template <class T> EMBER_HOST_DEVICE bool operator()(T a, T b) const { return a > b; } };
struct Ge { template <class T> EMBER_HOST_DEVICE bool operator()(T a, T b) const { return a >= b; } };

// C's fmod: the result takes the sign of the dividend.
struct Fmod {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (is_int_v<T>) {
      if (b == 0) integer_division_by_zero();
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return 0;  // INT_MIN % -1 is UB in C++
      }
      return static_cast<T>(a % b);
    } else {
      return std::fmod(a, b);
    }
  }
};
struct Atan2 {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const { return std::atan2(a, b); }
};
struct Hypot {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const { return std::hypot(a, b); }
};
struct Copysign {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const { return std::copysign(a, b); }
};
// NaN-ignoring, as torch.fmax / fmin: a NaN loses to a number.
struct Fmax {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) return std::fmax(a, b);
    else return a > b ? a : b;
  }
};
struct Fmin {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) return std::fmin(a, b);
    else return a < b ? a : b;
  }
};
// log(exp(a) + exp(b)) without overflow; equal infinities return themselves
// (inf - inf would give NaN).
struct LogAddExp {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if (std::isinf(a) && a == b) return a;
    T m = a > b ? a : b;
    return m + std::log1p(std::exp(-std::abs(a - b)));
  }
};
struct LogAddExp2 {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    if (std::isinf(a) && a == b) return a;
    T m = a > b ? a : b;
    return m + std::log1p(std::exp2(-std::abs(a - b))) / T(0.693147180559945309417232121458176568);
  }
};
// x * log(y) with 0 * log(0) = 0; a NaN y still gives NaN.
struct Xlogy {
  template <class T> EMBER_HOST_DEVICE T operator()(T x, T y) const {
    if (std::isnan(y)) return y;
    if (x == 0) return T(0);
    return x * std::log(y);
  }
};

struct BitwiseAnd {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const { return static_cast<T>(a & b); }
};
struct BitwiseOr {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const { return static_cast<T>(a | b); }
};
struct BitwiseXor {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const { return static_cast<T>(a ^ b); }
};
// Shifts as PyTorch defines them for counts outside [0, bits): a left shift
// gives 0; a right shift fills with the sign bit (0 or -1; 0 for unsigned).
struct LeftShift {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    constexpr T bits = static_cast<T>(sizeof(T) * 8);
    if (static_cast<std::make_signed_t<T>>(b) < 0 || b >= bits) return 0;
    return static_cast<T>(static_cast<std::make_unsigned_t<T>>(a) << b);
  }
};
struct RightShift {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T b) const {
    constexpr T bits = static_cast<T>(sizeof(T) * 8);
    if (static_cast<std::make_signed_t<T>>(b) < 0 || b >= bits) {
      if constexpr (std::is_signed_v<T>) return a < 0 ? T(-1) : T(0);
      else return 0;
    }
    return static_cast<T>(a >> b);  // arithmetic for signed T (C++20)
  }
};
// Logical ops see their inputs already converted to bool.
struct LogicalAnd { EMBER_HOST_DEVICE bool operator()(bool a, bool b) const { return a && b; } };
struct LogicalOr { EMBER_HOST_DEVICE bool operator()(bool a, bool b) const { return a || b; } };
struct LogicalXor { EMBER_HOST_DEVICE bool operator()(bool a, bool b) const { return a != b; } };

// |a - b| <= atol + rtol * |b| for finite values; equal values (infinities
// included) are close; two NaNs are close only with equal_nan.
struct IsClose {
  double rtol, atol;
  bool equal_nan;
  template <class T> EMBER_HOST_DEVICE bool operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) {
      return a == b;
    } else if constexpr (is_int_v<T>) {
      if (a == b) return true;
      double d = std::abs(static_cast<double>(a) - static_cast<double>(b));
      return d <= atol + rtol * std::abs(static_cast<double>(b));
    } else {
      if (a == b) return true;
      using R = decltype(std::abs(a));
      if constexpr (detail::is_complex_v<T>) {
        if (equal_nan && (std::isnan(a.real()) || std::isnan(a.imag())) &&
            (std::isnan(b.real()) || std::isnan(b.imag())))
          return true;
      } else {
        if (equal_nan && std::isnan(a) && std::isnan(b)) return true;
      }
      R d = std::abs(a - b);
      return std::isfinite(d) && d <= static_cast<R>(atol + rtol * std::abs(b));
    }
  }
};

// Ternary functors (src/cpu/loops.h ternary_loop).
struct Where {
  template <class T> EMBER_HOST_DEVICE T operator()(bool c, T a, T b) const { return c ? a : b; }
};
// NaN-propagating clamp: min(max(a, lo), hi), so lo > hi gives hi, as PyTorch.
struct Clamp {
  template <class T> EMBER_HOST_DEVICE T operator()(T a, T lo, T hi) const {
    return Minimum{}(Maximum{}(a, lo), hi);
  }
};
// PyTorch's lerp: the two formulas meet at w = 0.5 and each is exact at its end.
struct Lerp {
  template <class T> EMBER_HOST_DEVICE T operator()(T start, T end, T w) const {
    T diff = end - start;
    return std::abs(w) < 0.5 ? start + w * diff : end - diff * (T(1) - w);
  }
};

}  // namespace ember::fn
