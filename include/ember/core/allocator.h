#pragma once
#include <cstddef>
#include <cstdint>

#include "ember/core/device.h"

namespace ember {

// Memory returned by an allocator, with the function that gives it back.
// ctx is passed to the deleter (the allocator, or a producer to release).
struct DataPtr {
  void* data = nullptr;
  void* ctx = nullptr;
  void (*deleter)(void* data, void* ctx) = nullptr;
};

class EMBER_API Allocator {
 public:
  virtual ~Allocator() = default;
  virtual DataPtr allocate(size_t nbytes) = 0;
};

// The CPU caching allocator: 64-byte aligned blocks, freed blocks kept by
// rounded size for reuse, huge pages requested for large blocks.
EMBER_API Allocator* cpu_allocator();
// Allocator registered for a device type (CUDA registers itself when built).
EMBER_API Allocator* get_allocator(DeviceType t);
EMBER_API void set_allocator(DeviceType t, Allocator* a);

struct CpuAllocatorStats {
  int64_t allocated_bytes = 0;  // in use by tensors
  int64_t cached_bytes = 0;     // freed, kept for reuse
  int64_t num_allocs = 0;       // calls to allocate
  int64_t num_cache_hits = 0;
};
EMBER_API CpuAllocatorStats cpu_allocator_stats();
// Returns cached blocks to the system.
EMBER_API void cpu_allocator_empty_cache();

}  // namespace ember
