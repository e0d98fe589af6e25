#pragma once
// Note [Random numbers]
// Every random op draws from a Generator that holds a 64-bit seed and a
// 64-bit offset, and turns them into numbers with the counter-based
// Philox4x32-10 function (Salmon et al., "Parallel random numbers: as easy
// as 1, 2, 3", SC 2011): the key is the seed, the 128-bit counter is
// (offset + i, 0), and one call gives 128 random bits.
//   * Element i of a draw of n elements uses counter (offset + i) and nothing
//     else, so a kernel may split the elements across threads in any way and
//     the result is the same on every run and for every thread count.
//   * A draw reserves its counters under the generator's mutex: the offset
//     advances by the number of counters the draw consumed (n, or what the op
//     documents), so concurrent draws never share counters, and the kernel
//     itself runs without the lock.
//   * The state is (seed, offset) alone; get_state() returns it as a uint8
//     tensor of 16 bytes: the seed then the offset, each little-endian.
//     (PyTorch's CPU state is a 5056-byte Mersenne Twister state; the layout
//     is implementation-defined in both libraries.)
// The default seed at start is PyTorch's, 67280421310721.
#include <cstdint>
#include <mutex>

#include "ember/core/tensor.h"

namespace ember {

constexpr uint64_t kDefaultRngSeed = 67280421310721ULL;
// Bytes in the tensor get_state() returns.
constexpr int64_t kRngStateBytes = 16;

// The counters one draw reserved: element i uses philox(seed, offset + i).
struct PhiloxDraw {
  uint64_t seed = 0;
  uint64_t offset = 0;
};

struct Philox4x32 {
  uint32_t v[4];
};

// Philox4x32 with 10 rounds: counter c (128 bits), key (k0, k1).
EMBER_HOST_DEVICE inline Philox4x32 philox4x32_10(Philox4x32 c, uint32_t k0, uint32_t k1) {
  constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = uint64_t(kMul0) * c.v[0];
    uint64_t p1 = uint64_t(kMul1) * c.v[2];
    c = {{static_cast<uint32_t>(p1 >> 32) ^ c.v[1] ^ k0, static_cast<uint32_t>(p1),
          static_cast<uint32_t>(p0 >> 32) ^ c.v[3] ^ k1, static_cast<uint32_t>(p0)}};
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return c;
}

// The 128 bits of element i of a draw as two 64-bit words.
struct Bits128 {
  uint64_t lo, hi;
};
EMBER_HOST_DEVICE inline Bits128 philox_bits(const PhiloxDraw& d, uint64_t i) {
  uint64_t ctr = d.offset + i;
  Philox4x32 r = philox4x32_10({{static_cast<uint32_t>(ctr), static_cast<uint32_t>(ctr >> 32), 0, 0}},
                               static_cast<uint32_t>(d.seed), static_cast<uint32_t>(d.seed >> 32));
  return {uint64_t(r.v[0]) | (uint64_t(r.v[1]) << 32), uint64_t(r.v[2]) | (uint64_t(r.v[3]) << 32)};
}

class EMBER_API Generator {
 public:
  // A new generator starts from the default seed, as torch.Generator() does.
  explicit Generator(uint64_t seed = kDefaultRngSeed) : seed_(seed) {}
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Sets the seed and restarts the counters.
  void manual_seed(uint64_t seed);
  // Seeds from a non-deterministic source and returns the new seed.
  uint64_t seed();
  uint64_t initial_seed() const;
  uint64_t offset() const;

  // (seed, offset) as a uint8 tensor of kRngStateBytes bytes (Note [Random
  // numbers]); set_state checks the dtype and size.
  Tensor get_state() const;
  void set_state(const Tensor& state);

  // Reserves n counters for one draw and advances the offset past them.
  PhiloxDraw reserve(uint64_t n);

 private:
  mutable std::mutex mutex_;
  uint64_t seed_;
  uint64_t offset_ = 0;
};

// The process-wide generator random ops use when given none.
EMBER_API Generator& default_generator();
// gen, or the default generator when gen is null.
inline Generator& generator_or_default(Generator* gen) { return gen ? *gen : default_generator(); }

// The default generator's manual_seed / seed / initial_seed.
EMBER_API void manual_seed(uint64_t seed);
EMBER_API uint64_t seed();
EMBER_API uint64_t initial_seed();

}  // namespace ember
