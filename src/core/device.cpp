#include "ember/core/device.h"

#include <cctype>

#include "ember/core/error.h"

namespace ember {

std::string_view device_type_name(DeviceType t) {
  return t == DeviceType::CPU ? "cpu" : "cuda";
}

Device::Device(std::string_view spec) {
  std::string_view kind = spec;
  int idx = -1;
  auto colon = spec.find(':');
  if (colon != std::string_view::npos) {
    kind = spec.substr(0, colon);
    std::string_view num = spec.substr(colon + 1);
    // Digits only, no leading zeros ("cuda:01" is invalid, as in PyTorch).
    bool ok = !num.empty() && num.size() <= 3 && (num.size() == 1 || num[0] != '0');
    int v = 0;
    for (char c : num) {
      ok = ok && std::isdigit(static_cast<unsigned char>(c));
      v = v * 10 + (c - '0');
    }
    EMBER_CHECK(ok && v < 128, RuntimeError, "Invalid device string: '", spec, "'");
    idx = v;
  }
  if (kind == "cpu") {
    type = DeviceType::CPU;
  } else if (kind == "cuda") {
    type = DeviceType::CUDA;
  } else {
    EMBER_THROW(RuntimeError,
                "Expected one of cpu, cuda device type at start of device string: ", spec);
  }
  index = static_cast<int8_t>(idx);
}

std::string Device::str() const {
  std::string s(device_type_name(type));
  if (index >= 0) {
    s += ':';  // two appends, not ":" + to_string: GCC 12 warns falsely on that
    s += std::to_string(index);
  }
  return s;
}

}  // namespace ember
