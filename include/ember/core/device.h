#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "ember/core/macros.h"

namespace ember {

enum class DeviceType : int8_t { CPU = 0, CUDA = 1 };
constexpr int kNumDeviceTypes = 2;

// A device is a type and an index; -1 means "the current one" for CUDA.
struct EMBER_API Device {
  DeviceType type = DeviceType::CPU;
  int8_t index = -1;

  Device() = default;
  constexpr Device(DeviceType t, int idx = -1) : type(t), index(static_cast<int8_t>(idx)) {}
  // Parses "cpu", "cuda", "cuda:1"; throws RuntimeError on anything else.
  explicit Device(std::string_view spec);

  bool is_cpu() const { return type == DeviceType::CPU; }
  bool is_cuda() const { return type == DeviceType::CUDA; }
  bool operator==(const Device& o) const { return type == o.type && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
  std::string str() const;  // "cpu", "cuda:0"
};

EMBER_API std::string_view device_type_name(DeviceType t);
inline std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.str(); }

}  // namespace ember
