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
DispatchStub<IsCloseKernel> isclose_stub{"isclose"};
DispatchStub<ElementwiseKernel> fmod_stub{"fmod"};
DispatchStub<ElementwiseKernel> atan2_stub{"atan2"};
DispatchStub<ElementwiseKernel> hypot_stub{"hypot"};
DispatchStub<ElementwiseKernel> copysign_stub{"copysign"};
DispatchStub<ElementwiseKernel> fmax_stub{"fmax"};
DispatchStub<ElementwiseKernel> fmin_stub{"fmin"};
DispatchStub<ElementwiseKernel> logaddexp_stub{"logaddexp"};
DispatchStub<ElementwiseKernel> logaddexp2_stub{"logaddexp2"};
DispatchStub<ElementwiseKernel> xlogy_stub{"xlogy"};
DispatchStub<ElementwiseKernel> bitwise_and_stub{"bitwise_and"};
DispatchStub<ElementwiseKernel> bitwise_or_stub{"bitwise_or"};
DispatchStub<ElementwiseKernel> bitwise_xor_stub{"bitwise_xor"};
DispatchStub<ElementwiseKernel> logical_and_stub{"logical_and"};
DispatchStub<ElementwiseKernel> logical_or_stub{"logical_or"};
DispatchStub<ElementwiseKernel> logical_xor_stub{"logical_xor"};
DispatchStub<ElementwiseKernel> where_stub{"where"};
DispatchStub<ElementwiseKernel> clamp_stub{"clamp"};
DispatchStub<ElementwiseKernel> lerp_stub{"lerp"};
DispatchStub<ElementwiseKernel> lshift_stub{"bitwise_left_shift"};
DispatchStub<ElementwiseKernel> rshift_stub{"bitwise_right_shift"};
}  // namespace ember
