// softmax and log_softmax along one dim.
#include "ember/core/reduce_kernels.h"
#include "ember/ops/reduce.h"

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

Tensor softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  return softmax_impl("softmax", softmax_stub, a, dim, dtype);
}

Tensor log_softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  return softmax_impl("log_softmax", log_softmax_stub, a, dim, dtype);
}

}  // namespace ember
