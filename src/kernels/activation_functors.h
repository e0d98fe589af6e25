#pragma once
// Activation functors (Note [Elementwise functors] in functors.h): the math
// of each activation and of its backward, once for every backend. Forward
// functors take x; backward ones take (grad, x) (or (grad, result) where the
// op says so). Values arrive in the compute type (float for
// float16/bfloat16). Parameters are stored in double and converted once.
#include <cmath>

#include "ember/core/macros.h"

namespace ember::fn {

// NaN passes through every comparison-based activation, as in PyTorch.
struct Relu {
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const { return x <= T(0) ? T(0) : x; }
};
struct Threshold {
  double threshold, value;
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    return x <= static_cast<T>(threshold) ? static_cast<T>(value) : x;
  }
};
struct Hardtanh {
  double lo, hi;
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    return x < static_cast<T>(lo) ? static_cast<T>(lo) : x > static_cast<T>(hi) ? static_cast<T>(hi) : x;
  }
};
struct LeakyRelu {
  double slope;
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const { return x > T(0) ? x : x * static_cast<T>(slope); }
};
// elu(x) = scale * x for x > 0, alpha * scale * (exp(x * input_scale) - 1) otherwise.
struct Elu {
  double alpha, scale, input_scale;
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    return x > T(0) ? x * static_cast<T>(scale)
                    : static_cast<T>(alpha * scale) * std::expm1(x * static_cast<T>(input_scale));
  }
};
constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kGeluKappa = 0.044715;
struct Gelu {
  bool tanh_approx;
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    if (tanh_approx) {
      T inner = static_cast<T>(kSqrt2OverPi) * (x + static_cast<T>(kGeluKappa) * x * x * x);
      return T(0.5) * x * (T(1) + std::tanh(inner));
    }
    return x * T(0.5) * (T(1) + std::erf(x * static_cast<T>(kSqrt1_2)));
  }
};
struct Silu {
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const { return x / (T(1) + std::exp(-x)); }
};
struct Mish {
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const { return x * std::tanh(std::log1p(std::exp(x))); }
};
// Linear above the threshold, where log1p(exp(beta x)) / beta equals x in floating point.
struct Softplus {
  double beta, threshold;
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    T bx = x * static_cast<T>(beta);
    return bx > static_cast<T>(threshold) ? x : std::log1p(std::exp(bx)) / static_cast<T>(beta);
  }
};
struct Hardsigmoid {
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    return std::fmin(std::fmax(x + T(3), T(0)), T(6)) / T(6);
  }
};
struct Hardswish {
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    return x * std::fmin(std::fmax(x + T(3), T(0)), T(6)) / T(6);
  }
};
struct Softsign {
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const { return x / (T(1) + std::abs(x)); }
};
struct Hardshrink {
  double lambd;
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    return (x >= static_cast<T>(-lambd) && x <= static_cast<T>(lambd)) ? T(0) : x;
  }
};
struct Softshrink {
  double lambd;
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    const T l = static_cast<T>(lambd);
    return x > l ? x - l : x < -l ? x + l : (x != x ? x : T(0));
  }
};
// log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)): no overflow either way.
struct LogSigmoid {
  template <class T> EMBER_HOST_DEVICE T operator()(T x) const {
    return std::fmin(x, T(0)) - std::log1p(std::exp(-std::abs(x)));
  }
};

// ---- backward: (grad, x)

struct ThresholdBackward {
  double threshold;
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    return x <= static_cast<T>(threshold) ? T(0) : g;
  }
};
struct HardtanhBackward {
  double lo, hi;
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    return (x <= static_cast<T>(lo) || x >= static_cast<T>(hi)) ? T(0) : g;
  }
};
struct LeakyReluBackward {
  double slope;
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const { return x > T(0) ? g : g * static_cast<T>(slope); }
};
struct EluBackward {
  double alpha, scale, input_scale;
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    return x > T(0) ? g * static_cast<T>(scale)
                    : g * static_cast<T>(input_scale * alpha * scale) * std::exp(x * static_cast<T>(input_scale));
  }
};
// From the forward's result y: for y <= 0, d/dx = input_scale * (y + alpha * scale).
struct EluBackwardFromResult {
  double alpha, scale, input_scale;
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T y) const {
    return y > T(0) ? g * static_cast<T>(scale)
                    : g * static_cast<T>(input_scale) * (y + static_cast<T>(alpha * scale));
  }
};
struct GeluBackward {
  bool tanh_approx;
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    if (tanh_approx) {
      const T b = static_cast<T>(kSqrt2OverPi), k = static_cast<T>(kGeluKappa);
      T x2 = x * x;
      T th = std::tanh(b * (x + k * x2 * x));
      T left = T(0.5) * x, right = T(1) + th;
      T dright = left * (T(1) - th * th) * b * (T(1) + T(3) * k * x2);
      return g * (T(0.5) * right + dright);
    }
    T cdf = T(0.5) * (T(1) + std::erf(x * static_cast<T>(kSqrt1_2)));
    T pdf = static_cast<T>(kInvSqrt2Pi) * std::exp(T(-0.5) * x * x);
    return g * (cdf + x * pdf);
  }
};
struct SiluBackward {
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    T s = T(1) / (T(1) + std::exp(-x));
    return g * s * (T(1) + x * (T(1) - s));
  }
};
struct MishBackward {
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    T s = T(1) / (T(1) + std::exp(-x));
    T t = std::tanh(std::log1p(std::exp(x)));
    return g * (t + x * s * (T(1) - t * t));
  }
};
struct SoftplusBackward {
  double beta, threshold;
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    T bx = x * static_cast<T>(beta);
    if (bx > static_cast<T>(threshold)) return g;
    T z = std::exp(bx);
    return g * z / (z + T(1));
  }
};
struct HardsigmoidBackward {
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    return (x > T(-3) && x < T(3)) ? g / T(6) : T(0);
  }
};
struct HardswishBackward {
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    if (x < T(-3)) return T(0);
    if (x <= T(3)) return g * (x / T(3) + T(0.5));
    return g;
  }
};
struct SoftsignBackward {
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    T d = T(1) + std::abs(x);
    return g / (d * d);
  }
};
// hardshrink and softshrink share it: zero inside [-lambda, lambda].
struct ShrinkBackward {
  double lambd;
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const {
    return (x >= static_cast<T>(-lambd) && x <= static_cast<T>(lambd)) ? T(0) : g;
  }
};
// d/dx log(sigmoid(x)) = sigmoid(-x) = 1 / (1 + exp(x)).
struct LogSigmoidBackward {
  template <class T> EMBER_HOST_DEVICE T operator()(T g, T x) const { return g / (T(1) + std::exp(x)); }
};

}  // namespace ember::fn
