#pragma once
// 16-bit floating types. Arithmetic happens in float32: these are storage
// types that convert on load and store (round to nearest even on store).
#include <cstdint>
#include <cstring>
#include <limits>

#include "ember/core/macros.h"

namespace ember {

namespace detail {
EMBER_HOST_DEVICE inline uint32_t f32_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
EMBER_HOST_DEVICE inline float f32_from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// IEEE binary16 <-> binary32, exact and round-to-nearest-even.
EMBER_HOST_DEVICE inline float half_bits_to_float(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t man = h & 0x3ff;
  if (exp == 0x1f) return f32_from_bits(sign | 0x7f800000u | (man << 13));
  if (exp == 0) {
    if (man == 0) return f32_from_bits(sign);
    // Subnormal half: value = man * 2^-24.
    float v = float(man) * 5.9604644775390625e-08f;
    return sign ? -v : v;
  }
  return f32_from_bits(sign | ((exp + 112) << 23) | (man << 13));
}

EMBER_HOST_DEVICE inline uint16_t float_to_half_bits(float f) {
  uint32_t x = f32_bits(f);
  uint16_t sign = uint16_t((x >> 16) & 0x8000);
  uint32_t ax = x & 0x7fffffffu;
  if (ax >= 0x7f800000u) {  // inf or nan
    return sign | 0x7c00 | (ax > 0x7f800000u ? 0x200 : 0);
  }
  if (ax >= 0x477ff000u) return sign | 0x7c00;  // rounds to inf
  if (ax < 0x38800000u) {                       // subnormal or zero in half
    // Add a magic number so the FPU rounds to the 2^-24 grid.
    float v = f32_from_bits(ax) + 0.5f;
    return sign | uint16_t(f32_bits(v) - 0x3f000000u);
  }
  uint32_t mant_odd = (ax >> 13) & 1;
  ax += 0xc8000fffu + mant_odd;  // rebias exponent and round to nearest even
  return sign | uint16_t(ax >> 13);
}

EMBER_HOST_DEVICE inline uint16_t float_to_bf16_bits(float f) {
  uint32_t x = f32_bits(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return uint16_t((x >> 16) | 0x40);  // quiet nan
  uint32_t rounding = 0x7fff + ((x >> 16) & 1);
  return uint16_t((x + rounding) >> 16);
}
}  // namespace detail

struct alignas(2) Half {
  uint16_t bits = 0;
  Half() = default;
  struct from_bits_t {};
  EMBER_HOST_DEVICE constexpr Half(uint16_t b, from_bits_t) : bits(b) {}
  EMBER_HOST_DEVICE Half(float f) : bits(detail::float_to_half_bits(f)) {}
  EMBER_HOST_DEVICE operator float() const { return detail::half_bits_to_float(bits); }
};

struct alignas(2) BFloat16 {
  uint16_t bits = 0;
  BFloat16() = default;
  struct from_bits_t {};
  EMBER_HOST_DEVICE constexpr BFloat16(uint16_t b, from_bits_t) : bits(b) {}
  EMBER_HOST_DEVICE BFloat16(float f) : bits(detail::float_to_bf16_bits(f)) {}
  EMBER_HOST_DEVICE operator float() const { return detail::f32_from_bits(uint32_t(bits) << 16); }
};

}  // namespace ember

namespace std {
template <>
class numeric_limits<ember::Half> {
 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr int digits = 11;
  static constexpr int max_exponent = 16;
  static constexpr int min_exponent = -13;
  static constexpr ember::Half min() { return {0x0400, {}}; }
  static constexpr ember::Half lowest() { return {0xfbff, {}}; }
  static constexpr ember::Half max() { return {0x7bff, {}}; }
  static constexpr ember::Half epsilon() { return {0x1400, {}}; }
  static constexpr ember::Half infinity() { return {0x7c00, {}}; }
  static constexpr ember::Half quiet_NaN() { return {0x7e00, {}}; }
  static constexpr ember::Half denorm_min() { return {0x0001, {}}; }
};
template <>
class numeric_limits<ember::BFloat16> {
 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr int digits = 8;
  static constexpr int max_exponent = 128;
  static constexpr int min_exponent = -125;
  static constexpr ember::BFloat16 min() { return {0x0080, {}}; }
  static constexpr ember::BFloat16 lowest() { return {0xff7f, {}}; }
  static constexpr ember::BFloat16 max() { return {0x7f7f, {}}; }
  static constexpr ember::BFloat16 epsilon() { return {0x3c00, {}}; }
  static constexpr ember::BFloat16 infinity() { return {0x7f80, {}}; }
  static constexpr ember::BFloat16 quiet_NaN() { return {0x7fc0, {}}; }
  static constexpr ember::BFloat16 denorm_min() { return {0x0001, {}}; }
};
}  // namespace std
