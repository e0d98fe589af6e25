#pragma once
// Note [Dispatch stubs]
// Backends fill per-device tables of kernel function pointers. The ops layer
// calls `stub(device_type)`; cpu/ and cuda/ register with
// EMBER_REGISTER_KERNEL at static-initialisation time. Adding a backend
// never touches ops/. The library is shared, so registrations in every
// object file run when it loads.
#include "ember/core/device.h"
#include "ember/core/error.h"

namespace ember {

template <class Fn>
struct DispatchStub {
  const char* name;
  Fn table[kNumDeviceTypes] = {};

  explicit constexpr DispatchStub(const char* n) : name(n) {}
  Fn operator()(DeviceType t) const {
    Fn f = table[static_cast<int>(t)];
    EMBER_CHECK(f != nullptr, NotImplementedError, "[", name, "] no kernel for device type '",
                device_type_name(t), "'",
                t == DeviceType::CUDA ? " (Ember was built without CUDA or no GPU is present)" : "");
    return f;
  }
};

#define EMBER_REGISTER_KERNEL(stub, device_type, fn)                               \
  static const bool stub##_registered_##device_type##_ = [] {                       \
    stub.table[static_cast<int>(::ember::DeviceType::device_type)] = fn;             \
    return true;                                                                     \
  }()

}  // namespace ember
