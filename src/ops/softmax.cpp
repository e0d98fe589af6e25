// softmax and log_softmax along one dim.
#include "ember/autograd/record.h"
#include "ember/core/reduce_kernels.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"
#include "ember/ops/unary.h"

namespace ember {

namespace {

Tensor softmax_impl(const char* op, const DispatchStub<SoftmaxKernel>& stub, const Tensor& a, int64_t dim,
                    std::optional<DType> dtype) {
  int64_t d = wrap_dim(dim, a.dim(), op);
  DType t = dtype ? *dtype : a.dtype();
  EMBER_CHECK(is_floating_point(t), RuntimeError, "[", op, "] ", op, " is not implemented for dtype ",
              dtype_name(t), " (use a floating dtype, or pass dtype=)");
  Tensor x = a.to(t).contiguous();
  Tensor out = empty(a.sizes(), TensorOptions(t).device(a.device()));
  if (out.numel() > 0) stub(a.device().type)(out, x, a.dim() == 0 ? 0 : d);
  return out;
}

}  // namespace

using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

Tensor softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  Tensor out = softmax_impl("softmax", softmax_stub, a, dim, dtype);
  // d softmax: y * (g - sum(g * y)) along dim.
  autograd::record("SoftmaxBackward0", {a}, out, [&] {
    return [d = a.dim() == 0 ? 0 : wrap_dim(dim, a.dim(), "softmax"), sy = SavedVariable(out, true)](
               BackwardCtx& ctx) -> variable_list {
      Tensor y = ctx.unpack(sy);
      Tensor gy = mul(ctx.grad(), y);
      if (y.dim() == 0) return {sub(gy, mul(y, gy))};
      return {sub(gy, mul(y, sum(gy, DimVector{d}, true)))};
    };
  });
  return out;
}

Tensor log_softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  Tensor out = softmax_impl("log_softmax", log_softmax_stub, a, dim, dtype);
  // d log_softmax: g - exp(y) * sum(g) along dim.
  autograd::record("LogSoftmaxBackward0", {a}, out, [&] {
    return [d = a.dim() == 0 ? 0 : wrap_dim(dim, a.dim(), "log_softmax"), sy = SavedVariable(out, true)](
               BackwardCtx& ctx) -> variable_list {
      Tensor y = ctx.unpack(sy);
      const Tensor& g = ctx.grad();
      if (y.dim() == 0) return {sub(g, mul(exp(y), g))};
      return {sub(g, mul(exp(y), sum(g, DimVector{d}, true)))};
    };
  });
  return out;
}

}  // namespace ember
