// Triangles and diagonals: tril, triu, diag, diag_embed, diagflat (copies).
#include <algorithm>
#include <cstdint>

#include "ember/ops/creation.h"
#include "ember/ops/shape.h"

namespace ember {

namespace {

// n + |k|, the side of a matrix holding a length-n diagonal at offset k.
int64_t padded_size(int64_t n, int64_t k, const char* op) {
  int64_t size = 0;
  bool ok = k != INT64_MIN && !__builtin_add_overflow(n, k < 0 ? -k : k, &size);
  EMBER_CHECK(ok, RuntimeError, "[", op, "] diagonal offset ", k, " is too large");
  return size;
}

Tensor triangle(const Tensor& self, int64_t diagonal, bool lower, const char* op) {
  EMBER_CHECK(self.dim() >= 2, RuntimeError, "[", op, "] ", op, ": input tensor must have at least 2 dimensions");
  int64_t m = self.sizes()[self.dim() - 2], n = self.sizes()[self.dim() - 1];
  // Beyond these bounds every element is kept or every one zeroed; clamping
  // keeps the kernel's row arithmetic from overflowing.
  diagonal = std::clamp<int64_t>(diagonal, -m - 1, n + 1);
  Tensor out = empty(self.sizes(), self.options());
  if (out.numel() == 0) return out;
  out.copy_(self);
  triangle_stub(self.device().type)(out, diagonal, lower);
  return out;
}

}  // namespace

Tensor tril(const Tensor& self, int64_t diagonal) { return triangle(self, diagonal, true, "tril"); }
Tensor triu(const Tensor& self, int64_t diagonal) { return triangle(self, diagonal, false, "triu"); }

Tensor diag(const Tensor& self, int64_t diagonal) {
  EMBER_CHECK(self.dim() == 1 || self.dim() == 2, RuntimeError, "[diag] diag(): Supports 1D or 2D tensors. Got ",
              self.dim(), "D");
  if (self.dim() == 2) return self.diagonal(diagonal, 0, 1).clone();
  int64_t n = self.sizes()[0], size = padded_size(n, diagonal, "diag");
  Tensor out = zeros({size, size}, self.options());
  if (n > 0) out.diagonal(diagonal, 0, 1).copy_(self);
  return out;
}

Tensor diag_embed(const Tensor& self, int64_t offset, int64_t dim1, int64_t dim2) {
  int64_t nd = self.dim() + 1;
  int64_t d1 = wrap_dim(dim1, nd, "diag_embed"), d2 = wrap_dim(dim2, nd, "diag_embed");
  EMBER_CHECK(d1 != d2, RuntimeError, "[diag_embed] diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  int64_t n = self.dim() == 0 ? 1 : self.sizes()[self.dim() - 1];
  int64_t size = padded_size(n, offset, "diag_embed");
  // The input's leading dims fill the result's dims other than d1 and d2.
  DimVector sizes(nd);
  for (int64_t d = 0, k = 0; d < nd; ++d) {
    sizes[d] = (d == d1 || d == d2) ? size : self.sizes()[k++];
  }
  Tensor out = zeros(sizes, self.options());
  if (self.numel() > 0) out.diagonal(offset, d1, d2).copy_(self);
  return out;
}

Tensor diagflat(const Tensor& self, int64_t offset) { return diag(self.reshape({self.numel()}), offset); }

}  // namespace ember
