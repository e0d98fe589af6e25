// The AVX2+FMA build of Note [Vectorized math] (compiled with -mavx2 -mfma,
// see CMakeLists.txt): 4 float64 lanes.
#if defined(__AVX2__) && defined(__FMA__)
#include "vec_math_table.h"

namespace ember::cpu::vec {
const Kernels kAvx2Kernels = make_kernels<4>();
}
#else
// Not an x86-64 build: an empty table, which kernels() never returns.
#include "vec_math.h"

namespace ember::cpu::vec {
const Kernels kAvx2Kernels = {};
}
#endif
