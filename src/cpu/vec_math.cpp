// Run-time choice of the vectorized math kernels (Note [Vectorized math]).
#include "vec_math.h"

#include "ember/core/cpu_capability.h"

#include <cstdlib>
#include <cstring>

namespace ember::cpu::vec {
namespace {

Capability detect() {
  Capability best = Capability::Default;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) best = Capability::AVX2;
  if (best == Capability::AVX2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw"))
    best = Capability::AVX512;
#endif
  // EMBER_CPU_CAPABILITY may lower the choice (for tests and comparisons), never raise it.
  if (const char* env = std::getenv("EMBER_CPU_CAPABILITY")) {
    Capability want = best;
    if (std::strcmp(env, "default") == 0) want = Capability::Default;
    else if (std::strcmp(env, "avx2") == 0) want = Capability::AVX2;
    else if (std::strcmp(env, "avx512") == 0) want = Capability::AVX512;
    if (want < best) best = want;
  }
  return best;
}

}  // namespace

Capability capability() {
  static const Capability c = detect();
  return c;
}

const Kernels* kernels() {
  switch (capability()) {
    case Capability::AVX512: return kAvx512Kernels.f32[0] ? &kAvx512Kernels : nullptr;
    case Capability::AVX2: return kAvx2Kernels.f32[0] ? &kAvx2Kernels : nullptr;
    default: return nullptr;
  }
}

}  // namespace ember::cpu::vec

namespace ember {
const char* cpu_capability() {
  switch (cpu::vec::capability()) {
    case cpu::vec::Capability::AVX512: return "AVX512";
    case cpu::vec::Capability::AVX2: return "AVX2";
    default: return "DEFAULT";
  }
}
}  // namespace ember
