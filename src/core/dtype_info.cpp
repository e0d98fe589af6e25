// finfo / iinfo from std::numeric_limits (specialised for Half and BFloat16
// in half.h). Only the floating and integer types are instantiated, not the
// whole dtype table.
#include "ember/core/dtype_info.h"

#include <cmath>
#include <limits>

namespace ember {

namespace {

template <class T>
FInfo make_finfo(DType t) {
  using L = std::numeric_limits<T>;
  FInfo f;
  f.bits = static_cast<int>(sizeof(T) * 8);
  f.eps = static_cast<double>(L::epsilon());
  f.max = static_cast<double>(L::max());
  f.min = static_cast<double>(L::lowest());
  f.smallest_normal = static_cast<double>(L::min());
  f.tiny = f.smallest_normal;
  // digits10 = floor((digits - 1) * log10(2)): 3 for float16, 2 for bfloat16,
  // 6 for float32, 15 for float64. Computed from `digits` because half.h's
  // numeric_limits do not define digits10.
  int digits10 = static_cast<int>(std::floor((L::digits - 1) * std::log10(2.0)));
  f.resolution = std::pow(10.0, -digits10);
  f.dtype = t;
  return f;
}

template <class T>
IInfo make_iinfo(DType t) {
  using L = std::numeric_limits<T>;
  return IInfo{static_cast<int>(sizeof(T) * 8), static_cast<int64_t>(L::max()),
               static_cast<int64_t>(L::lowest()), t};
}

}  // namespace

FInfo finfo(DType t) {
  DType real = to_real(t);
  switch (real) {
    case DType::Float16: return make_finfo<Half>(real);
    case DType::BFloat16: return make_finfo<BFloat16>(real);
    case DType::Float32: return make_finfo<float>(real);
    case DType::Float64: return make_finfo<double>(real);
    default:
      EMBER_THROW(TypeError,
                  "[finfo] ember.finfo() requires a floating point input type. Use ember.iinfo to "
                  "handle ember.",
                  dtype_name(t));
  }
}

FInfo finfo() { return finfo(get_default_dtype()); }

IInfo iinfo(DType t) {
  switch (t) {
    case DType::UInt8: return make_iinfo<uint8_t>(t);
    case DType::Int8: return make_iinfo<int8_t>(t);
    case DType::Int16: return make_iinfo<int16_t>(t);
    case DType::Int32: return make_iinfo<int32_t>(t);
    case DType::Int64: return make_iinfo<int64_t>(t);
    case DType::Bool:
      EMBER_THROW(TypeError, "[iinfo] ember.bool is not supported by ember.iinfo");
    default:
      EMBER_THROW(TypeError,
                  "[iinfo] ember.iinfo() requires an integer input type. Use ember.finfo to "
                  "handle ember.",
                  dtype_name(t));
  }
}

}  // namespace ember
