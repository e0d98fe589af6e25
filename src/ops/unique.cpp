// unique and unique_consecutive: rows to compare are laid out as a
// contiguous (N, M) tensor (single elements, or slices along dim), grouped
// by the kernel, and the first row of each group is gathered back.

#include "ember/core/sort_kernels.h"
#include "ember/ops/sort.h"

namespace ember {

namespace {

std::tuple<Tensor, Tensor, Tensor> unique_impl(const Tensor& self, std::optional<int64_t> dim,
                                               bool consecutive, const char* op) {
  EMBER_CHECK(!self.is_complex(), TypeError, "[", op, "] not implemented for dtype ",
              dtype_name(self.dtype()));
  UniqueKernel kernel = unique_stub(self.device().type);
  if (!dim) {
    Tensor rows = self.reshape({self.numel(), 1}).contiguous();
    auto [first, inverse, counts] = kernel(rows, consecutive);
    Tensor values = gather(rows, 0, first.unsqueeze(1)).reshape({first.numel()});
    return {values, inverse.reshape(self.sizes()), counts};
  }
  EMBER_CHECK(self.dim() > 0, IndexError, "[", op, "] dim ", *dim,
              " is out of range for a 0-d tensor (unique with dim needs at least one dim)");
  int64_t d = wrap_dim(*dim, self.dim(), op);
  // Move dim to the front, keeping the other dims in order so that slices
  // compare lexicographically in their own row-major order.
  DimVector perm{d}, inv_perm(self.dim());
  for (int64_t k = 0; k < self.dim(); ++k) {
    if (k != d) perm.push_back(k);
  }
  for (int64_t k = 0; k < self.dim(); ++k) inv_perm[perm[k]] = k;
  Tensor moved = self.permute(perm).contiguous();
  int64_t n = self.size(d), m = 1;
  for (int64_t k = 1; k < moved.dim(); ++k) m *= moved.size(k);
  Tensor rows = moved.reshape({n, m});
  auto [first, inverse, counts] = kernel(rows, consecutive);
  int64_t groups = first.numel();
  Tensor picked = gather(rows, 0, first.unsqueeze(1).expand({groups, m}));
  DimVector out_sizes = moved.sizes();
  out_sizes[0] = groups;
  Tensor values = picked.reshape(out_sizes).permute(inv_perm).contiguous();
  return {values, inverse, counts};
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& self, bool /*sorted*/,
                                          std::optional<int64_t> dim) {
  return unique_impl(self, dim, false, "unique");
}

std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& self, std::optional<int64_t> dim) {
  return unique_impl(self, dim, true, "unique_consecutive");
}

}  // namespace ember
