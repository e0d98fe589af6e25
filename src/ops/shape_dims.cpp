// Ops that rearrange dims or broadcast: movedim, meshgrid, cartesian_prod,
// broadcast_to/tensors/shapes, atleast_nd, ravel. All but cartesian_prod
// (and ravel of a non-contiguous tensor) return views.
#include <vector>

#include "ember/core/tensor_iterator.h"
#include "ember/ops/shape.h"

namespace ember {

Tensor movedim(const Tensor& self, const DimVector& source, const DimVector& destination) {
  EMBER_CHECK(source.size() == destination.size(), RuntimeError,
              "[movedim] movedim: Invalid source or destination dims: source (", source,
              " dims) should contain the same number of dims as destination (", destination, " dims)");
  int64_t nd = self.dim();
  // order[j] = the input dim that lands at position j (-1: not yet chosen).
  std::vector<int64_t> order(nd, -1);
  std::vector<bool> used(std::max<int64_t>(nd, 1), false);
  for (size_t i = 0; i < source.size(); ++i) {
    int64_t s = wrap_dim(source[i], nd, "movedim"), d = wrap_dim(destination[i], nd, "movedim");
    EMBER_CHECK(!used[s], RuntimeError, "[movedim] movedim: repeated dim in `source` (", source, ")");
    used[s] = true;
    if (nd == 0) continue;
    EMBER_CHECK(order[d] == -1, RuntimeError, "[movedim] movedim: repeated dim in `destination` (", destination, ")");
    order[d] = s;
  }
  // The other dims keep their relative order in the free positions.
  for (int64_t j = 0, s = 0; j < nd; ++j) {
    if (order[j] != -1) continue;
    while (used[s]) ++s;
    order[j] = s++;
  }
  return self.permute(DimVector(order));
}

std::vector<Tensor> meshgrid(const std::vector<Tensor>& tensors, std::string_view indexing) {
  EMBER_CHECK(!tensors.empty(), RuntimeError, "[meshgrid] meshgrid expects a non-empty TensorList");
  EMBER_CHECK(indexing == "ij" || indexing == "xy", ValueError,
              "[meshgrid] torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: ", indexing);
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    EMBER_CHECK(t.dim() <= 1, RuntimeError, "[meshgrid] torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                "but got: ", t.sizes(), " at position ", i);
    EMBER_CHECK(t.dtype() == tensors[0].dtype(), RuntimeError,
                "[meshgrid] torch.meshgrid: Expected all tensors in the tensor list to have the same dtype, but got ",
                dtype_name(tensors[0].dtype()), " and ", dtype_name(t.dtype()));
    EMBER_CHECK(t.device() == tensors[0].device(), RuntimeError,
                "[meshgrid] torch.meshgrid: Expected all tensors in the tensor list to have the same device");
  }
  // "xy" is "ij" with the first two inputs (and then outputs) swapped.
  std::vector<Tensor> inputs = tensors;
  bool swap = indexing == "xy" && inputs.size() >= 2;
  if (swap) std::swap(inputs[0], inputs[1]);
  size_t n = inputs.size();
  DimVector shape(n);
  for (size_t i = 0; i < n; ++i) shape[i] = inputs[i].numel();
  std::vector<Tensor> grids;
  grids.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    DimVector view_shape(n, 1);
    view_shape[i] = shape[i];
    grids.push_back(inputs[i].reshape(view_shape).expand(shape));
  }
  if (swap) std::swap(grids[0], grids[1]);
  return grids;
}

Tensor cartesian_prod(const std::vector<Tensor>& tensors) {
  EMBER_CHECK(!tensors.empty(), RuntimeError, "[cartesian_prod] cartesian_prod expects a non-empty TensorList");
  for (const Tensor& t : tensors) {
    EMBER_CHECK(t.dim() == 1, RuntimeError, "[cartesian_prod] Expect a 1D vector, but got shape ", t.sizes());
  }
  if (tensors.size() == 1) return tensors[0];
  std::vector<Tensor> columns = meshgrid(tensors, "ij");
  for (Tensor& c : columns) c = c.reshape({c.numel()});
  return stack(columns, 1);
}

Tensor broadcast_to(const Tensor& self, const DimVector& shape) { return self.expand(shape); }

DimVector broadcast_shapes(const std::vector<DimVector>& shapes) {
  DimVector out;
  for (const DimVector& s : shapes) {
    for (int64_t v : s) {
      EMBER_CHECK(v >= 0, RuntimeError, "[broadcast_shapes] Trying to create tensor with negative dimension ", v,
                  ": ", s);
    }
    out = ember::broadcast_shapes(out, s, "broadcast_shapes");
  }
  return out;
}

std::vector<Tensor> broadcast_tensors(const std::vector<Tensor>& tensors) {
  DimVector shape;
  for (const Tensor& t : tensors) shape = ember::broadcast_shapes(shape, t.sizes(), "broadcast_tensors");
  std::vector<Tensor> out;
  out.reserve(tensors.size());
  for (const Tensor& t : tensors) out.push_back(t.expand(shape));
  return out;
}

Tensor atleast_1d(const Tensor& self) { return self.dim() == 0 ? self.reshape({1}) : self; }

Tensor atleast_2d(const Tensor& self) {
  if (self.dim() == 0) return self.reshape({1, 1});
  return self.dim() == 1 ? self.unsqueeze(0) : self;
}

Tensor atleast_3d(const Tensor& self) {
  switch (self.dim()) {
    case 0: return self.reshape({1, 1, 1});
    case 1: return self.unsqueeze(0).unsqueeze(-1);
    case 2: return self.unsqueeze(-1);
    default: return self;
  }
}

Tensor ravel(const Tensor& self) { return self.contiguous().view({-1}); }

}  // namespace ember
