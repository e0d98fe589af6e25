// The reduction, scan and softmax kernel tables; backends fill them.
#include "ember/core/reduce_kernels.h"

namespace ember {

DispatchStub<ReduceKernel> sum_stub{"sum"};
DispatchStub<ReduceKernel> nansum_stub{"nansum"};
DispatchStub<ReduceKernel> prod_stub{"prod"};
DispatchStub<ReduceKernel> max_stub{"max"};
DispatchStub<ReduceKernel> min_stub{"min"};
DispatchStub<ReduceKernel> all_stub{"all"};
DispatchStub<ReduceKernel> any_stub{"any"};
DispatchStub<MedianKernel> median_stub{"median"};
DispatchStub<ModeKernel> mode_stub{"mode"};
DispatchStub<QuantileKernel> quantile_stub{"quantile"};
DispatchStub<ScanKernel> cumsum_stub{"cumsum"};
DispatchStub<ScanKernel> cumprod_stub{"cumprod"};
DispatchStub<ScanKernel> cummax_stub{"cummax"};
DispatchStub<ScanKernel> cummin_stub{"cummin"};
DispatchStub<SoftmaxKernel> softmax_stub{"softmax"};
DispatchStub<SoftmaxKernel> log_softmax_stub{"log_softmax"};

}  // namespace ember
