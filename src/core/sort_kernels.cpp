// The sorting, searching, counting, gather and scatter kernel tables;
// backends fill them.
#include "ember/core/sort_kernels.h"

namespace ember {

DispatchStub<SortKernel> sort_stub{"sort"};
DispatchStub<TopkKernel> topk_stub{"topk"};
DispatchStub<KthvalueKernel> kthvalue_stub{"kthvalue"};
DispatchStub<UniqueKernel> unique_stub{"unique"};
DispatchStub<SearchsortedKernel> searchsorted_stub{"searchsorted"};
DispatchStub<BincountKernel> bincount_stub{"bincount"};
DispatchStub<HistcKernel> histc_stub{"histc"};
DispatchStub<DataRangeKernel> data_range_stub{"histogram"};
DispatchStub<HistogramKernel> histogram_stub{"histogram"};
DispatchStub<GatherKernel> gather_stub{"gather"};
DispatchStub<ScatterKernel> scatter_stub{"scatter"};

}  // namespace ember
