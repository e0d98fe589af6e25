// The advanced-indexing kernel tables; backends fill them.
#include "ember/core/index_kernels.h"

namespace ember {

DispatchStub<IndexGatherKernel> index_gather_stub{"index"};
DispatchStub<IndexScatterKernel> index_scatter_stub{"index_put_"};
DispatchStub<MaskCountKernel> mask_count_stub{"index"};
DispatchStub<MaskSelectKernel> mask_select_stub{"index"};
DispatchStub<NonzeroKernel> nonzero_stub{"nonzero"};
DispatchStub<MaskedFillKernel> masked_fill_stub{"masked_fill_"};

}  // namespace ember
