#include "ember/core/storage.h"

namespace ember {

Storage new_storage(size_t nbytes, Device device) {
  DataPtr p = get_allocator(device.type)->allocate(nbytes);
  return make_intrusive<StorageImpl>(p, nbytes, device);
}

Storage borrow_storage(void* data, size_t nbytes, Device device, void* ctx,
                       void (*deleter)(void*, void*)) {
  return make_intrusive<StorageImpl>(DataPtr{data, ctx, deleter}, nbytes, device);
}

}  // namespace ember
