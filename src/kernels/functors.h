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

}  // namespace ember::fn
