#include "ember/core/dtype.h"

#include <atomic>

namespace ember {

namespace {
struct DTypeInfo {
  std::string_view name;
  int64_t size;
};
constexpr DTypeInfo kInfo[] = {
#define EMBER_INFO_ENTRY(T, E, N) {#N, sizeof(T)},
    EMBER_FORALL_DTYPES(EMBER_INFO_ENTRY)
#undef EMBER_INFO_ENTRY
};

std::atomic<DType> g_default_dtype{DType::Float32};

// Rank of a floating or complex dtype's precision: f16/bf16 < f32 < f64.
int float_rank(DType t) {
  switch (to_real(t)) {
    case DType::Float16:
    case DType::BFloat16: return 0;
    case DType::Float32: return 1;
    default: return 2;
  }
}
}  // namespace

std::string_view dtype_name(DType t) {
  auto i = static_cast<int>(t);
  EMBER_CHECK(i >= 0 && i < kNumDTypes, RuntimeError, "[dtype] invalid dtype ", i);
  return kInfo[i].name;
}

int64_t itemsize(DType t) { return kInfo[static_cast<int>(t)].size; }

std::string_view torch_dtype_name(DType t) {
  switch (t) {
    case DType::Bool: return "Bool";
    case DType::UInt8: return "Byte";
    case DType::Int8: return "Char";
    case DType::Int16: return "Short";
    case DType::Int32: return "Int";
    case DType::Int64: return "Long";
    case DType::Float16: return "Half";
    case DType::BFloat16: return "BFloat16";
    case DType::Float32: return "Float";
    case DType::Float64: return "Double";
    case DType::Complex64: return "ComplexFloat";
    case DType::Complex128: return "ComplexDouble";
    default: return "Unknown";
  }
}

DType dtype_from_name(std::string_view name) {
  for (int i = 0; i < kNumDTypes; ++i) {
    if (kInfo[i].name == name) return static_cast<DType>(i);
  }
  // PyTorch's aliases.
  struct Alias { std::string_view alias; DType t; };
  static constexpr Alias kAliases[] = {
      {"float", DType::Float32},    {"double", DType::Float64},   {"half", DType::Float16},
      {"int", DType::Int32},        {"long", DType::Int64},       {"short", DType::Int16},
      {"cfloat", DType::Complex64}, {"cdouble", DType::Complex128}, {"bool_", DType::Bool},
  };
  for (const auto& a : kAliases) {
    if (a.alias == name) return a.t;
  }
  EMBER_THROW(TypeError, "[dtype] unknown dtype '", name, "'");
}

DType to_complex(DType t) {
  if (is_complex(t)) return t;
  return t == DType::Float64 ? DType::Complex128 : DType::Complex64;
}

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::Bool) return b;
  if (b == DType::Bool) return a;
  bool a_int = is_integral(a, false), b_int = is_integral(b, false);
  if (a_int && b_int) {
    // uint8 with a signed type needs a signed type wider than 8 bits.
    if (a == DType::UInt8 || b == DType::UInt8) {
      DType other = a == DType::UInt8 ? b : a;
      return other == DType::Int8 ? DType::Int16 : other;
    }
    return itemsize(a) >= itemsize(b) ? a : b;
  }
  if (a_int) return b;
  if (b_int) return a;
  // Both floating or complex.
  int rank = std::max(float_rank(a), float_rank(b));
  if (is_complex(a) || is_complex(b)) {
    return rank == 2 ? DType::Complex128 : DType::Complex64;
  }
  if (rank == 0) return DType::Float32;  // float16 with bfloat16
  return rank == 1 ? DType::Float32 : DType::Float64;
}

DType get_default_dtype() { return g_default_dtype.load(std::memory_order_relaxed); }

void set_default_dtype(DType t) {
  EMBER_CHECK(is_floating_point(t), TypeError,
              "only floating-point types are supported as the default type, got ", dtype_name(t));
  g_default_dtype.store(t);
}

DType default_complex_dtype() {
  return get_default_dtype() == DType::Float64 ? DType::Complex128 : DType::Complex64;
}

}  // namespace ember
