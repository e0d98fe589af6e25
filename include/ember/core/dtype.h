#pragma once
// Note [The dtype table]
// EMBER_FORALL_DTYPES is the single list of dtypes. The enum, the C++ element
// types, names, sizes and the dispatch helper are all generated from it, so a
// new dtype is one line here plus its promotion-table row in dtype.cpp.
#include <complex>
#include <cstdint>
#include <string>
#include <string_view>

#include "ember/core/error.h"
#include "ember/core/half.h"

namespace ember {

// _(C++ type, Enum name, python name)
#define EMBER_FORALL_DTYPES(_)            \
  _(bool, Bool, bool)                     \
  _(uint8_t, UInt8, uint8)                \
  _(int8_t, Int8, int8)                   \
  _(int16_t, Int16, int16)                \
  _(int32_t, Int32, int32)                \
  _(int64_t, Int64, int64)                \
  _(::ember::Half, Float16, float16)      \
  _(::ember::BFloat16, BFloat16, bfloat16) \
  _(float, Float32, float32)              \
  _(double, Float64, float64)             \
  _(std::complex<float>, Complex64, complex64) \
  _(std::complex<double>, Complex128, complex128)

enum class DType : int8_t {
#define EMBER_ENUM_ENTRY(T, E, N) E,
  EMBER_FORALL_DTYPES(EMBER_ENUM_ENTRY)
#undef EMBER_ENUM_ENTRY
      NumDTypes
};
constexpr int kNumDTypes = static_cast<int>(DType::NumDTypes);

// C++ element type -> DType.
template <class T>
struct dtype_of;
#define EMBER_DTYPE_OF(T, E, N) \
  template <>                   \
  struct dtype_of<T> {          \
    static constexpr DType value = DType::E; \
  };
EMBER_FORALL_DTYPES(EMBER_DTYPE_OF)
#undef EMBER_DTYPE_OF
template <class T>
constexpr DType dtype_of_v = dtype_of<T>::value;

EMBER_API std::string_view dtype_name(DType t);  // "float32"
EMBER_API int64_t itemsize(DType t);
EMBER_API DType dtype_from_name(std::string_view name);  // throws TypeError
// PyTorch's ScalarType name ("Long", "ComplexFloat"), for its error wordings.
EMBER_API std::string_view torch_dtype_name(DType t);

constexpr bool is_complex(DType t) { return t == DType::Complex64 || t == DType::Complex128; }
constexpr bool is_floating_point(DType t) {
  return t == DType::Float16 || t == DType::BFloat16 || t == DType::Float32 ||
         t == DType::Float64;
}
constexpr bool is_integral(DType t, bool include_bool) {
  return (include_bool && t == DType::Bool) || t == DType::UInt8 || t == DType::Int8 ||
         t == DType::Int16 || t == DType::Int32 || t == DType::Int64;
}
constexpr bool is_signed(DType t) { return t != DType::Bool && t != DType::UInt8; }
// The real dtype of a complex dtype (complex64 -> float32); others unchanged.
constexpr DType to_real(DType t) {
  return t == DType::Complex64 ? DType::Float32 : t == DType::Complex128 ? DType::Float64 : t;
}
// The complex dtype that holds a floating dtype (float64 -> complex128).
EMBER_API DType to_complex(DType t);

// PyTorch's promotion lattice for two tensor dtypes.
EMBER_API DType promote_types(DType a, DType b);

EMBER_API DType get_default_dtype();
// Only floating dtypes may be the default, as in PyTorch.
EMBER_API void set_default_dtype(DType t);
// complex64 when the default is float32, complex128 for float64.
EMBER_API DType default_complex_dtype();

inline std::ostream& operator<<(std::ostream& os, DType t) { return os << dtype_name(t); }

// dispatch(dtype, []<class T>() { ... }) calls the lambda with T the element
// type of dtype. The lambda is instantiated once per dtype in the list, so
// keep what goes in it small (Note [Template budget] in CONTRIBUTING.md).
#define EMBER_DISPATCH_CASE(T, E, N) \
  case DType::E:                     \
    return f.template operator()<T>();

template <class F>
decltype(auto) dispatch_all(DType t, F&& f) {
  switch (t) {
    EMBER_FORALL_DTYPES(EMBER_DISPATCH_CASE)
    default:
      EMBER_THROW(RuntimeError, "[dispatch] invalid dtype");
  }
}

// Dispatch over a subset of dtypes; any other dtype raises TypeError
// "[op] not implemented for dtype X".
#define EMBER_DISPATCH_ONE(T, E) \
  case DType::E:                 \
    return f.template operator()<T>();
#define EMBER_DISPATCH_DEFAULT(op, t) \
  default:                             \
    EMBER_THROW(TypeError, "[", op, "] not implemented for dtype ", dtype_name(t));

template <class F>
decltype(auto) dispatch_floating(DType t, const char* op, F&& f) {
  switch (t) {
    EMBER_DISPATCH_ONE(::ember::Half, Float16)
    EMBER_DISPATCH_ONE(::ember::BFloat16, BFloat16)
    EMBER_DISPATCH_ONE(float, Float32)
    EMBER_DISPATCH_ONE(double, Float64)
    EMBER_DISPATCH_DEFAULT(op, t)
  }
}

template <class F>
decltype(auto) dispatch_floating_complex(DType t, const char* op, F&& f) {
  switch (t) {
    EMBER_DISPATCH_ONE(::ember::Half, Float16)
    EMBER_DISPATCH_ONE(::ember::BFloat16, BFloat16)
    EMBER_DISPATCH_ONE(float, Float32)
    EMBER_DISPATCH_ONE(double, Float64)
    EMBER_DISPATCH_ONE(std::complex<float>, Complex64)
    EMBER_DISPATCH_ONE(std::complex<double>, Complex128)
    EMBER_DISPATCH_DEFAULT(op, t)
  }
}

// Integers and floating dtypes: everything ordered except bool.
template <class F>
decltype(auto) dispatch_real(DType t, const char* op, F&& f) {
  switch (t) {
    EMBER_DISPATCH_ONE(uint8_t, UInt8)
    EMBER_DISPATCH_ONE(int8_t, Int8)
    EMBER_DISPATCH_ONE(int16_t, Int16)
    EMBER_DISPATCH_ONE(int32_t, Int32)
    EMBER_DISPATCH_ONE(int64_t, Int64)
    EMBER_DISPATCH_ONE(::ember::Half, Float16)
    EMBER_DISPATCH_ONE(::ember::BFloat16, BFloat16)
    EMBER_DISPATCH_ONE(float, Float32)
    EMBER_DISPATCH_ONE(double, Float64)
    EMBER_DISPATCH_DEFAULT(op, t)
  }
}

// Every dtype but bool.
template <class F>
decltype(auto) dispatch_numeric(DType t, const char* op, F&& f) {
  switch (t) {
    EMBER_DISPATCH_ONE(std::complex<float>, Complex64)
    EMBER_DISPATCH_ONE(std::complex<double>, Complex128)
    case DType::Bool:
      EMBER_THROW(TypeError, "[", op, "] not implemented for dtype bool");
    default:
      return dispatch_real(t, op, std::forward<F>(f));
  }
}
#undef EMBER_DISPATCH_ONE
#undef EMBER_DISPATCH_DEFAULT
#undef EMBER_DISPATCH_CASE

}  // namespace ember
