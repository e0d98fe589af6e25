// The Philox generator's state: seed, offset, and their (de)serialisation
// (Note [Random numbers]).
#include "ember/core/generator.h"

#include <chrono>
#include <cstring>
#include <random>

namespace ember {

void Generator::manual_seed(uint64_t seed) {
  std::lock_guard<std::mutex> lock(mutex_);
  seed_ = seed;
  offset_ = 0;
}

uint64_t Generator::seed() {
  // random_device may be deterministic on some platforms; mixing in the
  // clock keeps two processes apart there.
  std::random_device rd;
  uint64_t s = (uint64_t(rd()) << 32) ^ rd();
  s ^= static_cast<uint64_t>(std::chrono::high_resolution_clock::now().time_since_epoch().count());
  manual_seed(s);
  return s;
}

uint64_t Generator::initial_seed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return seed_;
}

uint64_t Generator::offset() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return offset_;
}

PhiloxDraw Generator::reserve(uint64_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  PhiloxDraw d{seed_, offset_};
  offset_ += n;
  return d;
}

namespace {
void put_le64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t get_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(p[i]) << (8 * i);
  return v;
}
}  // namespace

Tensor Generator::get_state() const {
  Tensor state = empty({kRngStateBytes}, TensorOptions(DType::UInt8));
  uint8_t* p = state.data_ptr<uint8_t>();
  std::lock_guard<std::mutex> lock(mutex_);
  put_le64(p, seed_);
  put_le64(p + 8, offset_);
  return state;
}

void Generator::set_state(const Tensor& state) {
  EMBER_CHECK(state.defined(), TypeError, "[set_state] expected a tensor, got an undefined one");
  EMBER_CHECK(state.dtype() == DType::UInt8, TypeError,
              "[set_state] expected a ByteTensor (uint8) as the RNG state, but got ",
              dtype_name(state.dtype()));
  EMBER_CHECK(state.numel() == kRngStateBytes, RuntimeError,
              "[set_state] RNG state is wrong size: expected ", kRngStateBytes, " bytes, got ",
              state.numel());
  Tensor c = state.cpu().contiguous();
  const uint8_t* p = c.data_ptr<uint8_t>();
  std::lock_guard<std::mutex> lock(mutex_);
  seed_ = get_le64(p);
  offset_ = get_le64(p + 8);
}

Generator& default_generator() {
  // Never destroyed: random ops may run from other static destructors.
  static Generator* gen = new Generator(kDefaultRngSeed);
  return *gen;
}

void manual_seed(uint64_t seed) { default_generator().manual_seed(seed); }
uint64_t seed() { return default_generator().seed(); }
uint64_t initial_seed() { return default_generator().initial_seed(); }

}  // namespace ember
