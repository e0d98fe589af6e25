// The elementwise kernel tables; backends fill them.
#include "ember/core/elementwise_kernels.h"

namespace ember {

DispatchStub<AddKernel> add_stub{"add"};
DispatchStub<ElementwiseKernel> mul_stub{"mul"};
DispatchStub<ElementwiseKernel> div_true_stub{"div"};
DispatchStub<ElementwiseKernel> div_floor_stub{"floor_divide"};
DispatchStub<ElementwiseKernel> div_trunc_stub{"div"};
DispatchStub<ElementwiseKernel> remainder_stub{"remainder"};
DispatchStub<ElementwiseKernel> pow_stub{"pow"};
DispatchStub<ElementwiseKernel> maximum_stub{"maximum"};
DispatchStub<ElementwiseKernel> minimum_stub{"minimum"};
DispatchStub<ElementwiseKernel> eq_stub{"eq"};
DispatchStub<ElementwiseKernel> ne_stub{"ne"};
DispatchStub<ElementwiseKernel> lt_stub{"lt"};
DispatchStub<ElementwiseKernel> le_stub{"le"};
DispatchStub<ElementwiseKernel> gt_stub{"gt"};
DispatchStub<ElementwiseKernel> ge_stub{"ge"};
}  // namespace ember
