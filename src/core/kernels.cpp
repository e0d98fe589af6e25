// The kernel tables (Note [Dispatch stubs]); backends fill them.
#include "ember/core/kernels.h"

namespace ember {

DispatchStub<CopyKernel> copy_stub{"copy_"};
DispatchStub<FillKernel> fill_stub{"fill_"};
DispatchStub<ArangeKernel> arange_stub{"arange"};
DispatchStub<LinspaceKernel> linspace_stub{"linspace"};

}  // namespace ember
