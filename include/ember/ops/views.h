#pragma once
// Helpers shared by the view ops (the ops themselves are Tensor methods).
#include <optional>

#include "ember/core/tensor.h"

namespace ember {

// A tensor over base's storage with the given geometry.
EMBER_API Tensor make_view(const Tensor& base, DimVector sizes, DimVector strides, int64_t offset);
// Replaces one -1 in shape so that the product is numel; checks the rest.
EMBER_API DimVector infer_size(const DimVector& shape, int64_t numel, const char* op);
// Strides for viewing (old_sizes, old_strides) as sizes, if possible.
EMBER_API std::optional<DimVector> compute_view_strides(const DimVector& old_sizes,
                                                        const DimVector& old_strides,
                                                        const DimVector& sizes);

}  // namespace ember
