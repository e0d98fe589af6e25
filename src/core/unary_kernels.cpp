// The unary elementwise kernel tables; backends fill them.
#include "ember/core/unary_kernels.h"

namespace ember {

DispatchStub<ElementwiseKernel> neg_stub{"neg"};
DispatchStub<ElementwiseKernel> abs_stub{"abs"};
DispatchStub<ElementwiseKernel> exp_stub{"exp"};
DispatchStub<ElementwiseKernel> log_stub{"log"};
DispatchStub<ElementwiseKernel> sqrt_stub{"sqrt"};
DispatchStub<ElementwiseKernel> sin_stub{"sin"};
DispatchStub<ElementwiseKernel> cos_stub{"cos"};
DispatchStub<ElementwiseKernel> tanh_stub{"tanh"};
DispatchStub<ElementwiseKernel> sigmoid_stub{"sigmoid"};

}  // namespace ember
