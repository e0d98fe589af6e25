// Triangles and diagonals: tril, triu, diag, diag_embed, diagflat (copies).
#include <algorithm>
#include <cstdint>

#include "ember/autograd/record.h"
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
  if (out.numel() > 0) {
    autograd::NoGradGuard no_grad;
    out.copy_(self);
    triangle_stub(self.device().type)(out, diagonal, lower);
  }
  // The same triangle of the gradient.
  autograd::record(lower ? "TrilBackward0" : "TriuBackward0", {self}, out, [&] {
    return [diagonal, lower](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      return {lower ? tril(ctx.grad(), diagonal) : triu(ctx.grad(), diagonal)};
    };
  });
  return out;
}

}  // namespace

Tensor tril(const Tensor& self, int64_t diagonal) { return triangle(self, diagonal, true, "tril"); }
Tensor triu(const Tensor& self, int64_t diagonal) { return triangle(self, diagonal, false, "triu"); }

Tensor diag(const Tensor& self, int64_t diagonal) {
  EMBER_CHECK(self.dim() == 1 || self.dim() == 2, RuntimeError, "[diag] diag(): Supports 1D or 2D tensors. Got ",
              self.dim(), "D");
  if (self.dim() == 2) return self.diagonal(diagonal, 0, 1).clone();
  padded_size(self.sizes()[0], diagonal, "diag");  // errors name diag, not diag_embed
  return diag_embed(self, diagonal, 0, 1);         // a vector's diag is its diag_embed
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
  if (self.numel() > 0) {
    autograd::NoGradGuard no_grad;
    out.diagonal(offset, d1, d2).copy_(self);
  }
  autograd::record("DiagEmbedBackward0", {self}, out, [&] {
    return [offset, d1, d2, sizes = self.sizes()](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      return {ctx.grad().diagonal(offset, d1, d2).reshape(sizes)};
    };
  });
  return out;
}

Tensor diagflat(const Tensor& self, int64_t offset) { return diag(self.reshape({self.numel()}), offset); }

}  // namespace ember
