// flip, roll and rot90: copies (and the definitions of the shape ops'
// kernel stubs). Ember has no negative strides, so flip
// reads the input backwards in a byte-level gather kernel; roll is two
// slice copies per rolled dim.
#include <vector>

#include "ember/autograd/record.h"
#include "ember/ops/shape.h"

namespace ember {

DispatchStub<StridedGatherKernel> strided_gather_stub{"flip"};
DispatchStub<TriangleKernel> triangle_stub{"tril/triu"};
DispatchStub<RepeatRowsKernel> repeat_rows_stub{"repeat_interleave"};
DispatchStub<CatContiguousKernel> cat_contiguous_stub{"cat"};

Tensor flip(const Tensor& self, const DimVector& dims) {
  int64_t nd = self.dim();
  std::vector<bool> flipped(std::max<int64_t>(nd, 1), false);
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, nd, "flip");
    EMBER_CHECK(!flipped[w], RuntimeError, "[flip] dim ", w, " appears multiple times in the list of dims");
    flipped[w] = true;
  }
  Tensor out = empty(self.sizes(), self.options());
  if (out.numel() > 0) {
    // Start at the last element of each flipped dim and walk it backwards.
    DimVector strides = self.strides();
    int64_t offset = 0;
    for (int64_t d = 0; d < nd; ++d) {
      if (!flipped[d]) continue;
      offset += (self.sizes()[d] - 1) * strides[d];
      strides[d] = -strides[d];
    }
    const char* src = static_cast<const char*>(self.data_ptr()) + offset * self.element_size();
    strided_gather_stub(self.device().type)(out, src, strides);
  }
  autograd::record("FlipBackward0", {self}, out, [&] {
    return [dims](autograd::BackwardCtx& ctx) -> autograd::variable_list { return {flip(ctx.grad(), dims)}; };
  });
  return out;
}

Tensor fliplr(const Tensor& self) {
  EMBER_CHECK(self.dim() >= 2, RuntimeError, "[fliplr] Input must be >= 2-d.");
  return flip(self, {1});
}

Tensor flipud(const Tensor& self) {
  EMBER_CHECK(self.dim() >= 1, RuntimeError, "[flipud] Input must be >= 1-d.");
  return flip(self, {0});
}

namespace {

// A copy of t rolled by shift along dim (already wrapped); not recorded.
Tensor roll_one(const Tensor& t, int64_t shift, int64_t dim) {
  Tensor out = empty(t.sizes(), t.options());
  int64_t n = t.sizes()[dim];
  if (out.numel() == 0) return out;
  int64_t s = ((shift % n) + n) % n;
  if (s == 0) {
    out.copy_(t);
    return out;
  }
  out.narrow(dim, s, n - s).copy_(t.narrow(dim, 0, n - s));
  out.narrow(dim, 0, s).copy_(t.narrow(dim, n - s, s));
  return out;
}

}  // namespace

Tensor roll(const Tensor& self, const DimVector& shifts, const DimVector& dims) {
  EMBER_CHECK(!shifts.empty(), RuntimeError, "[roll] `shifts` required");
  if (dims.empty()) {
    EMBER_CHECK(shifts.size() == 1, RuntimeError, "[roll] shifts and dimensions must align. shifts: ",
                shifts.size(), ", dims:0");
  } else {
    EMBER_CHECK(shifts.size() == dims.size(), RuntimeError, "[roll] shifts and dimensions must align. shifts: ",
                shifts.size(), ", dims:", dims.size());
    EMBER_CHECK(self.dim() > 0, RuntimeError, "[roll] cannot roll a 0-dimensional tensor along a dim");
  }
  Tensor out;
  {
    autograd::NoGradGuard no_grad;  // the slice copies are not part of the graph
    if (dims.empty()) {
      out = roll_one(self.flatten(), shifts[0], 0).view(self.sizes());
    } else {
      out = self;
      for (size_t i = 0; i < dims.size(); ++i) out = roll_one(out, shifts[i], wrap_dim(dims[i], self.dim(), "roll"));
    }
  }
  // The gradient rolls back by the opposite shifts (reduced modulo the size
  // first, so negating cannot overflow).
  autograd::record("RollBackward0", {self}, out, [&] {
    DimVector back;
    for (size_t i = 0; i < shifts.size(); ++i) {
      int64_t n = dims.empty() ? self.numel() : self.sizes()[wrap_dim(dims[i], self.dim(), "roll")];
      back.push_back(n == 0 ? 0 : -(shifts[i] % n));
    }
    return [back, dims](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      return {roll(ctx.grad(), back, dims)};
    };
  });
  return out;
}

Tensor rot90(const Tensor& self, int64_t k, const DimVector& dims) {
  EMBER_CHECK(dims.size() == 2, RuntimeError, "[rot90] expected total rotation dims == 2, but got dims = ",
              dims.size());
  EMBER_CHECK(self.dim() >= 2, RuntimeError, "[rot90] expected total dims >= 2, but got total dims = ", self.dim());
  int64_t d0 = wrap_dim(dims[0], self.dim(), "rot90"), d1 = wrap_dim(dims[1], self.dim(), "rot90");
  EMBER_CHECK(d0 != d1, RuntimeError, "[rot90] expected rotation dims to be different, but got dim0 = ", dims[0],
              " and dim1 = ", dims[1]);
  switch (((k % 4) + 4) % 4) {
    case 1: return flip(self, {d1}).transpose(d0, d1);
    case 2: return flip(self, {d0, d1});
    case 3: return flip(self, {d0}).transpose(d0, d1);
    default: return self.clone();
  }
}

}  // namespace ember
