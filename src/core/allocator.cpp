// Note [CPU caching allocator]
// Fresh pages cost ~3 us each to touch on these machines, so an allocator
// that returns memory to the OS after every op makes large elementwise ops
// 3x slower than NumPy. Freed blocks are kept in per-size free lists (sizes
// rounded to 64 bytes below 4 KiB, then to quarter powers of two) and
// reused; blocks of 2 MiB and more are aligned to 2 MiB and advised to use
// huge pages. The cache is capped; beyond the cap blocks go back to the OS.
// Under sanitizers the cache is off so that use-after-free is caught.
#include "ember/core/allocator.h"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "ember/core/error.h"

namespace ember {

namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kMaxCachedBytes = size_t(4) << 30;

size_t round_size(size_t n) {
  if (n < kAlignment) return kAlignment;
  if (n <= 4096) return (n + kAlignment - 1) & ~(kAlignment - 1);
  // Quarter powers of two: at most 25% slack, few distinct sizes.
  size_t p = size_t(1) << (63 - __builtin_clzll(n));
  size_t quarter = p / 4;
  return (n + quarter - 1) / quarter * quarter;
}

void* system_alloc(size_t n) {
  size_t align = n >= kHugePage ? kHugePage : kAlignment;
  // posix_memalign, unlike aligned_alloc, takes sizes that are not a
  // multiple of the alignment.
  void* p = nullptr;
  if (posix_memalign(&p, align, n) != 0) p = nullptr;
  if (!p) {
    EMBER_THROW(RuntimeError, "[allocator] out of memory: failed to allocate ", n, " bytes");
  }
#ifdef MADV_HUGEPAGE
  if (n >= kHugePage) madvise(p, n, MADV_HUGEPAGE);
#endif
  return p;
}

class CachingCpuAllocator final : public Allocator {
 public:
  CachingCpuAllocator() {
    const char* env = std::getenv("EMBER_NO_CACHING_ALLOCATOR");
#if defined(EMBER_SANITIZE)
    caching_ = false;
#else
    caching_ = !(env && env[0] && env[0] != '0');
#endif
  }

  DataPtr allocate(size_t nbytes) override {
    size_t size = round_size(nbytes);
    void* p = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.num_allocs;
      auto it = free_.find(size);
      if (it != free_.end() && !it->second.empty()) {
        p = it->second.back();
        it->second.pop_back();
        stats_.cached_bytes -= size;
        ++stats_.num_cache_hits;
      }
      stats_.allocated_bytes += size;
    }
    if (!p) {
      try {
        p = system_alloc(size);
      } catch (...) {
        // Retry once after giving the cache back to the system.
        empty_cache();
        try {
          p = system_alloc(size);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu_);
          stats_.allocated_bytes -= size;
          throw;
        }
      }
    }
    return DataPtr{p, reinterpret_cast<void*>(size), &CachingCpuAllocator::release};
  }

  static void release(void* p, void* ctx) { instance().free_block(p, reinterpret_cast<size_t>(ctx)); }

  void free_block(void* p, size_t size) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stats_.allocated_bytes -= size;
      if (caching_ && stats_.cached_bytes + int64_t(size) <= int64_t(kMaxCachedBytes)) {
        free_[size].push_back(p);
        stats_.cached_bytes += size;
        return;
      }
    }
    std::free(p);
  }

  void empty_cache() {
    std::unordered_map<size_t, std::vector<void*>> blocks;
    {
      std::lock_guard<std::mutex> lock(mu_);
      blocks.swap(free_);
      stats_.cached_bytes = 0;
    }
    for (auto& [size, list] : blocks) {
      for (void* p : list) std::free(p);
    }
  }

  CpuAllocatorStats stats() {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

  static CachingCpuAllocator& instance() {
    // Never destroyed: storages may be freed during static destruction.
    static auto* a = new CachingCpuAllocator();
    return *a;
  }

 private:
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  CpuAllocatorStats stats_;
  bool caching_ = true;
};

Allocator* g_allocators[kNumDeviceTypes] = {};

}  // namespace

Allocator* cpu_allocator() { return &CachingCpuAllocator::instance(); }

Allocator* get_allocator(DeviceType t) {
  if (t == DeviceType::CPU) return cpu_allocator();
  Allocator* a = g_allocators[static_cast<int>(t)];
  EMBER_CHECK(a != nullptr, RuntimeError, "[allocator] no allocator for device type '",
              device_type_name(t),
              "': Ember was built without CUDA support or no CUDA device is available");
  return a;
}

void set_allocator(DeviceType t, Allocator* a) { g_allocators[static_cast<int>(t)] = a; }

CpuAllocatorStats cpu_allocator_stats() { return CachingCpuAllocator::instance().stats(); }

void cpu_allocator_empty_cache() { CachingCpuAllocator::instance().empty_cache(); }

}  // namespace ember
