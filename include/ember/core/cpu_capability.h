#pragma once
// The instruction set the CPU kernels use (Note [Vectorized math] in
// src/cpu/vec_math.h): "AVX512", "AVX2" or "DEFAULT", as PyTorch's
// torch.backends.cpu.get_cpu_capability(). EMBER_CPU_CAPABILITY=default|avx2|avx512
// lowers it before first use.
#include "ember/core/macros.h"

namespace ember {
EMBER_API const char* cpu_capability();
}  // namespace ember
