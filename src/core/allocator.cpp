// Note [CPU caching allocator]
// Fresh pages cost ~3 us each to touch on these machines, so an allocator
// that returns memory to the OS after every op makes large elementwise ops
// 3x slower than NumPy. Freed blocks are kept in per-size free lists (sizes
// rounded to 64 bytes below 4 KiB, then to quarter powers of two) and
// reused; blocks of 2 MiB and more are aligned to 2 MiB and advised to use
// huge pages. The cache is capped; beyond the cap blocks go back to the OS.
// The lists are an array indexed by size class under a spin lock, so a cache
// hit costs one locked instruction and no hashing (Note [Per-call
// overhead]).
// Under sanitizers the cache is off so that use-after-free is caught.
#include "ember/core/allocator.h"

#include <pthread.h>
#include <sys/mman.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>
#include <thread>
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

// Every size round_size gives has a slot: 64..4096 in steps of 64 (slots
// 0..63), then p, 1.25p, 1.5p, 1.75p for each power of two p >= 4096 (four
// slots per power). The free lists are an array indexed by slot, so a cache
// hit costs no hashing.
constexpr size_t kNumSizeClasses = 64 + 4 * (64 - 12);

size_t size_class(size_t rounded) {
  if (rounded <= 4096) return rounded / kAlignment - 1;
  const int k = 63 - __builtin_clzll(rounded);
  const size_t p = size_t(1) << k;
  return 64 + 4 * size_t(k - 12) + (rounded - p) / (p / 4);
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

// The free lists' lock. Its critical sections are a few dozen instructions,
// and a mutex's lock and unlock are two locked read-modify-writes (~10 ns
// each here, Note [Refcount atomics]) where this takes one: the release is a
// plain store. A waiter spins briefly, then yields its core (threads may
// outnumber cores).
class SpinLock {
 public:
  void lock() {
    for (int spins = 0; locked_.exchange(true, std::memory_order_acquire); ++spins) {
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins > 64) std::this_thread::yield();
      }
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

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
    // Past 2^63 bytes rounding wraps; no machine has that much memory.
    EMBER_CHECK(size >= nbytes && size_class(size) < kNumSizeClasses, RuntimeError,
                "[allocator] out of memory: failed to allocate ", nbytes, " bytes");
    void* p = nullptr;
    {
      std::lock_guard<SpinLock> lock(mu_);
      ++stats_.num_allocs;
      std::vector<void*>& list = free_[size_class(size)];
      if (!list.empty()) {
        p = list.back();
        list.pop_back();
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
          std::lock_guard<SpinLock> lock(mu_);
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
      std::lock_guard<SpinLock> lock(mu_);
      stats_.allocated_bytes -= size;
      if (caching_ && stats_.cached_bytes + int64_t(size) <= int64_t(kMaxCachedBytes)) {
        free_[size_class(size)].push_back(p);
        stats_.cached_bytes += size;
        return;
      }
    }
    std::free(p);
  }

  void empty_cache() {
    std::vector<void*> blocks;
    {
      std::lock_guard<SpinLock> lock(mu_);
      for (std::vector<void*>& list : free_) {
        blocks.insert(blocks.end(), list.begin(), list.end());
        std::vector<void*>().swap(list);
      }
      stats_.cached_bytes = 0;
    }
    for (void* p : blocks) std::free(p);
  }

  CpuAllocatorStats stats() {
    std::lock_guard<SpinLock> lock(mu_);
    return stats_;
  }

  static CachingCpuAllocator& instance() {
    // Never destroyed: storages may be freed during static destruction.
    static auto* a = [] {
      auto* created = new CachingCpuAllocator();
#if defined(__unix__) || defined(__APPLE__)
      // fork() copies the lock as it is: had another thread held it, the
      // child (a DataLoader worker) would wait on it forever. Holding it
      // across the fork leaves both copies consistent and unlocked.
      pthread_atfork([] { instance().mu_.lock(); }, [] { instance().mu_.unlock(); },
                     [] { instance().mu_.unlock(); });
#endif
      return created;
    }();
    return *a;
  }

 private:
  SpinLock mu_;
  std::array<std::vector<void*>, kNumSizeClasses> free_;
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
