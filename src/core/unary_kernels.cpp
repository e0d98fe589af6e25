// The unary elementwise kernel tables; backends fill them.
#include "ember/core/unary_kernels.h"

namespace ember {

DispatchStub<ElementwiseKernel> neg_stub{"neg"};
DispatchStub<ElementwiseKernel> abs_stub{"abs"};
DispatchStub<ElementwiseKernel> sgn_stub{"sgn"};
DispatchStub<ElementwiseKernel> square_stub{"square"};
DispatchStub<ElementwiseKernel> reciprocal_stub{"reciprocal"};
DispatchStub<ElementwiseKernel> sqrt_stub{"sqrt"};
DispatchStub<ElementwiseKernel> rsqrt_stub{"rsqrt"};
DispatchStub<ElementwiseKernel> exp_stub{"exp"};
DispatchStub<ElementwiseKernel> exp2_stub{"exp2"};
DispatchStub<ElementwiseKernel> expm1_stub{"expm1"};
DispatchStub<ElementwiseKernel> log_stub{"log"};
DispatchStub<ElementwiseKernel> log2_stub{"log2"};
DispatchStub<ElementwiseKernel> log10_stub{"log10"};
DispatchStub<ElementwiseKernel> log1p_stub{"log1p"};
DispatchStub<ElementwiseKernel> sin_stub{"sin"};
DispatchStub<ElementwiseKernel> cos_stub{"cos"};
DispatchStub<ElementwiseKernel> tan_stub{"tan"};
DispatchStub<ElementwiseKernel> asin_stub{"asin"};
DispatchStub<ElementwiseKernel> acos_stub{"acos"};
DispatchStub<ElementwiseKernel> atan_stub{"atan"};
DispatchStub<ElementwiseKernel> sinh_stub{"sinh"};
DispatchStub<ElementwiseKernel> cosh_stub{"cosh"};
DispatchStub<ElementwiseKernel> tanh_stub{"tanh"};
DispatchStub<ElementwiseKernel> asinh_stub{"asinh"};
DispatchStub<ElementwiseKernel> acosh_stub{"acosh"};
DispatchStub<ElementwiseKernel> atanh_stub{"atanh"};
DispatchStub<ElementwiseKernel> sigmoid_stub{"sigmoid"};
DispatchStub<ElementwiseKernel> angle_stub{"angle"};
DispatchStub<ElementwiseKernel> conj_stub{"conj"};
DispatchStub<ElementwiseKernel> erf_stub{"erf"};
DispatchStub<ElementwiseKernel> erfc_stub{"erfc"};
DispatchStub<ElementwiseKernel> erfinv_stub{"erfinv"};
DispatchStub<ElementwiseKernel> lgamma_stub{"lgamma"};
DispatchStub<ElementwiseKernel> cbrt_stub{"cbrt"};
DispatchStub<ElementwiseKernel> floor_stub{"floor"};
DispatchStub<ElementwiseKernel> ceil_stub{"ceil"};
DispatchStub<ElementwiseKernel> round_stub{"round"};
DispatchStub<ElementwiseKernel> trunc_stub{"trunc"};
DispatchStub<ElementwiseKernel> frac_stub{"frac"};
DispatchStub<RoundDecimalsKernel> round_decimals_stub{"round_decimals"};
DispatchStub<LogitKernel> logit_stub{"logit"};
DispatchStub<NanToNumKernel> nan_to_num_stub{"nan_to_num"};
DispatchStub<ElementwiseKernel> isnan_stub{"isnan"};
DispatchStub<ElementwiseKernel> isinf_stub{"isinf"};
DispatchStub<ElementwiseKernel> isfinite_stub{"isfinite"};
DispatchStub<ElementwiseKernel> isposinf_stub{"isposinf"};
DispatchStub<ElementwiseKernel> isneginf_stub{"isneginf"};
DispatchStub<ElementwiseKernel> logical_not_stub{"logical_not"};
DispatchStub<ElementwiseKernel> bitwise_not_stub{"bitwise_not"};

}  // namespace ember
