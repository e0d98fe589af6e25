#pragma once
// Scalar: a single number of kind bool, integer, floating or complex, as a
// Python scalar arrives (weakly typed) or as item() returns it.
#include <complex>
#include <cstdint>
#include <ostream>

#include "ember/core/dtype.h"

namespace ember {

class Scalar {
 public:
  enum class Kind : int8_t { Bool, Int, Float, Complex };

  Scalar() : Scalar(int64_t(0)) {}
  Scalar(bool v) : kind_(Kind::Bool) { i_ = v; }
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  Scalar(I v) : kind_(Kind::Int) { i_ = static_cast<int64_t>(v); }
  Scalar(double v) : kind_(Kind::Float) { d_ = v; }
  Scalar(float v) : kind_(Kind::Float) { d_ = v; }
  Scalar(Half v) : kind_(Kind::Float) { d_ = float(v); }
  Scalar(BFloat16 v) : kind_(Kind::Float) { d_ = float(v); }
  Scalar(std::complex<double> v) : kind_(Kind::Complex) { c_[0] = v.real(); c_[1] = v.imag(); }
  Scalar(std::complex<float> v) : kind_(Kind::Complex) { c_[0] = v.real(); c_[1] = v.imag(); }

  Kind kind() const { return kind_; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_integral() const { return kind_ == Kind::Int; }
  bool is_floating_point() const { return kind_ == Kind::Float; }
  bool is_complex() const { return kind_ == Kind::Complex; }

  // Converts to the C++ element type T with C-like semantics.
  template <class T>
  T to() const;

  bool to_bool() const {
    switch (kind_) {
      case Kind::Bool:
      case Kind::Int: return i_ != 0;
      case Kind::Float: return d_ != 0;
      default: return c_[0] != 0 || c_[1] != 0;
    }
  }
  int64_t to_int() const;
  double to_double() const {
    switch (kind_) {
      case Kind::Bool:
      case Kind::Int: return static_cast<double>(i_);
      case Kind::Float: return d_;
      default: return c_[0];
    }
  }
  std::complex<double> to_complex() const {
    return kind_ == Kind::Complex ? std::complex<double>(c_[0], c_[1])
                                  : std::complex<double>(to_double(), 0);
  }
  // The dtype a tensor made from this scalar gets (bool, int64, default
  // float, default complex), as torch.tensor(3.0) does.
  DType default_dtype() const;

 private:
  Kind kind_;
  union {
    int64_t i_;
    double d_;
    double c_[2];
  };
};

EMBER_API std::ostream& operator<<(std::ostream& os, const Scalar& s);

namespace detail {
// float -> integer with C truncation, made well defined where C++ is not,
// with the results x86 gives (and so NumPy and PyTorch there): types of up
// to 32 bits convert through int32, int64 through int64; NaN and
// out-of-range values give that type's minimum, then wrap to narrower types
// modulo 2^n (float(-3e9) -> int16 is 0, float(300.7) -> uint8 is 44).
template <class I, class F>
EMBER_HOST_DEVICE inline I float_to_int(F f) {
  if constexpr (std::is_same_v<I, bool>) {
    return f != F(0);
  } else if constexpr (sizeof(I) < 8) {
    int32_t v = INT32_MIN;
    if (f >= F(-2147483648.0) && f < F(2147483648.0)) v = static_cast<int32_t>(f);
    return static_cast<I>(v);
  } else {
    int64_t v = INT64_MIN;
    if (f >= F(-9223372036854775808.0) && f < F(9223372036854775808.0)) v = static_cast<int64_t>(f);
    return static_cast<I>(v);
  }
}

template <class T> struct is_complex_t : std::false_type { using type = T; };
template <class T> struct is_complex_t<std::complex<T>> : std::true_type { using type = T; };
template <class T> constexpr bool is_complex_v = is_complex_t<T>::value;
template <class T> constexpr bool is_reduced_float_v =
    std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;
template <class T> constexpr bool is_float_v = std::is_floating_point_v<T> || is_reduced_float_v<T>;

// The type arithmetic on T is done in: float for float16/bfloat16.
template <class T> struct compute_type { using type = T; };
template <> struct compute_type<Half> { using type = float; };
template <> struct compute_type<BFloat16> { using type = float; };
template <class T> using compute_t = typename compute_type<T>::type;

// Element conversion with C-like rules: float -> int truncates toward zero,
// complex -> real drops the imaginary part, anything -> bool is (x != 0).
template <class To, class From>
EMBER_HOST_DEVICE inline To convert(From x) {
  if constexpr (std::is_same_v<To, From>) {
    return x;
  } else if constexpr (is_complex_v<From>) {
    if constexpr (is_complex_v<To>) {
      return To(static_cast<typename To::value_type>(x.real()),
                static_cast<typename To::value_type>(x.imag()));
    } else if constexpr (std::is_same_v<To, bool>) {
      return x.real() != 0 || x.imag() != 0;
    } else {
      return convert<To>(x.real());
    }
  } else if constexpr (is_complex_v<To>) {
    return To(convert<typename To::value_type>(x), 0);
  } else if constexpr (std::is_same_v<To, bool>) {
    return static_cast<compute_t<From>>(x) != compute_t<From>(0);
  } else if constexpr (is_reduced_float_v<From>) {
    return convert<To>(static_cast<float>(x));
  } else if constexpr (is_reduced_float_v<To>) {
    return To(static_cast<float>(x));
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return float_to_int<To>(x);
  } else {
    return static_cast<To>(x);
  }
}
}  // namespace detail

template <class T>
T Scalar::to() const {
  switch (kind_) {
    case Kind::Bool: return detail::convert<T>(i_ != 0);
    case Kind::Int: return detail::convert<T>(i_);
    case Kind::Float: return detail::convert<T>(d_);
    default: return detail::convert<T>(std::complex<double>(c_[0], c_[1]));
  }
}

inline int64_t Scalar::to_int() const { return to<int64_t>(); }

}  // namespace ember
