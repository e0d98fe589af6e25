// The special-function kernel tables; backends fill them.
#include "ember/core/special_kernels.h"

namespace ember {

DispatchStub<ElementwiseKernel> digamma_stub{"digamma"};
DispatchStub<PolygammaKernel> polygamma_stub{"polygamma"};

}  // namespace ember
