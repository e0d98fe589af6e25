// Built when Ember has no CUDA backend: registers nothing, so every CUDA
// request raises the clear NotImplementedError/RuntimeError of the
// dispatch table and the allocator lookup.
#include "ember/core/device.h"

namespace ember {
bool cuda_is_available() { return false; }
int cuda_device_count() { return 0; }
}  // namespace ember
