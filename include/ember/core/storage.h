#pragma once
// Storage: a block of memory on a device, owned (allocated by Ember) or
// borrowed (from NumPy or DLPack, with a deleter that releases the
// producer). Views share one storage; the version counter lives here so that
// every view of the storage sees the same count (Note [Version counter]).
#include <atomic>
#include <cstddef>

#include "ember/core/allocator.h"
#include "ember/core/device.h"
#include "ember/core/intrusive_ptr.h"

namespace ember {

class EMBER_API StorageImpl : public RefCounted {
 public:
  StorageImpl(DataPtr ptr, size_t nbytes, Device device)
      : ptr_(ptr), nbytes_(nbytes), device_(device) {}
  ~StorageImpl() override {
    if (ptr_.deleter) ptr_.deleter(ptr_.data, ptr_.ctx);
  }

  void* data() const { return ptr_.data; }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }
  bool resizable() const { return resizable_; }

  // Note [Version counter]: bumped by every in-place write through any view,
  // read by autograd to detect tensors modified after being saved.
  uint32_t version() const { return version_.load(std::memory_order_relaxed); }
  void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

  // Whether a borrowed buffer may be written (false for read-only NumPy).
  bool writeable = true;

 private:
  DataPtr ptr_;
  size_t nbytes_;
  Device device_;
  bool resizable_ = true;
  std::atomic<uint32_t> version_{0};
};

using Storage = intrusive_ptr<StorageImpl>;

// New owned storage of nbytes on device.
EMBER_API Storage new_storage(size_t nbytes, Device device);
// Storage over memory someone else owns; deleter(data, ctx) runs when the
// last tensor using it dies.
EMBER_API Storage borrow_storage(void* data, size_t nbytes, Device device, void* ctx,
                                 void (*deleter)(void*, void*));

}  // namespace ember
