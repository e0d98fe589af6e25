#pragma once
// Unary elementwise functors (Note [Elementwise functors] in functors.h).
#include "functors.h"

namespace ember::fn {

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
struct Exp { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::exp(a); } };
struct Log { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::log(a); } };
struct Sqrt { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::sqrt(a); } };
struct Sin { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::sin(a); } };
struct Cos { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::cos(a); } };
struct Tanh { template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return std::tanh(a); } };
struct Sigmoid {
  template <class T> EMBER_HOST_DEVICE T operator()(T a) const { return T(1) / (T(1) + std::exp(-a)); }
};

}  // namespace ember::fn
