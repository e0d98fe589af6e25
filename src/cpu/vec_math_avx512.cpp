// The AVX-512 build of Note [Vectorized math] (compiled with -mavx512f
// -mavx512dq -mavx512vl -mavx512bw -mfma, see CMakeLists.txt): 8 float64 lanes.
#if defined(__AVX512F__) && defined(__FMA__)
#include "vec_math_table.h"

namespace ember::cpu::vec {
const Kernels kAvx512Kernels = make_kernels<8>();
}
#else
// Not an x86-64 build: an empty table, which kernels() never returns.
#include "vec_math.h"

namespace ember::cpu::vec {
const Kernels kAvx512Kernels = {};
}
#endif
