// searchsorted and bucketize: PyTorch's shape checks, a common dtype for
// boundaries and values, and dispatch on contiguous 2-D views
// (kernel in src/cpu/sort_search_kernels.cpp).
#include "ember/core/sort_kernels.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/sort.h"

namespace ember {

Tensor searchsorted(const Tensor& seq, const Tensor& values, bool out_int32, bool right,
                    std::optional<std::string_view> side, const std::optional<Tensor>& sorter) {
  if (side) {
    EMBER_CHECK(*side == "left" || *side == "right", RuntimeError,
                "[searchsorted] side can only be 'left' or 'right' but got ", *side);
    EMBER_CHECK(!(right && *side == "left"), RuntimeError,
                "[searchsorted] side and right can't be set to opposites, got side of left while "
                "right was True");
    right = *side == "right";
  }
  EMBER_CHECK(!seq.is_complex() && !values.is_complex(), TypeError,
              "[searchsorted] not implemented for dtype ",
              dtype_name(seq.is_complex() ? seq.dtype() : values.dtype()));
  EMBER_CHECK(seq.device() == values.device(), RuntimeError,
              "[searchsorted] Expected all tensors to be on the same device, but found ",
              seq.device(), " and ", values.device());
  EMBER_CHECK(seq.dim() >= 1, RuntimeError,
              "[searchsorted] boundaries tensor should have positive dimension, but got 0 dimension");
  bool leading_match = seq.dim() == 1 || seq.dim() == values.dim();
  for (int64_t d = 0; leading_match && d + 1 < seq.dim(); ++d) {
    leading_match = seq.size(d) == values.size(d);
  }
  EMBER_CHECK(leading_match, RuntimeError,
              "[searchsorted] boundaries tensor should be 1 dimension or the first N-1 dimensions "
              "of boundaries tensor and input value tensor must match, but we got boundaries "
              "tensor ", seq.sizes(), " and input value tensor ", values.sizes());
  Tensor order;
  if (sorter) {
    EMBER_CHECK(sorter->dtype() == DType::Int64, RuntimeError,
                "[searchsorted] sorter must be a tensor of long dtype but got dtype ",
                dtype_name(sorter->dtype()));
    EMBER_CHECK(sorter->sizes() == seq.sizes(), RuntimeError,
                "[searchsorted] boundary and sorter must have the same size, but got boundary "
                "tensor ", seq.sizes(), " and got sorter tensor ", sorter->sizes());
    order = sorter->contiguous();
  }
  DType common = promote_types(seq.dtype(), values.dtype());
  int64_t nb = seq.size(-1);
  int64_t b_rows = nb == 0 ? 1 : seq.numel() / nb;
  for (int64_t d = 0; nb == 0 && d + 1 < seq.dim(); ++d) b_rows *= seq.size(d);
  Tensor b = seq.to(common).contiguous().reshape({b_rows, nb});
  if (order.defined()) order = order.reshape({b_rows, nb});
  // One row of values per row of boundaries (all values in one row for 1-D).
  int64_t nv = seq.dim() == 1 ? values.numel() : values.size(-1);
  int64_t v_rows = seq.dim() == 1 ? 1 : b_rows;
  Tensor v = values.to(common).contiguous().reshape({v_rows, nv});
  Tensor out = empty(values.sizes(),
                     TensorOptions(out_int32 ? DType::Int32 : DType::Int64).device(values.device()));
  if (out.numel() > 0) {
    searchsorted_stub(values.device().type)(b, v, order, out.reshape({v_rows, nv}), right);
  }
  return out;
}

Tensor searchsorted(const Tensor& seq, const Scalar& value, bool out_int32, bool right,
                    std::optional<std::string_view> side, const std::optional<Tensor>& sorter) {
  EMBER_CHECK(seq.dim() == 1, RuntimeError,
              "[searchsorted] input value can be a scalar only when boundaries tensor dimension "
              "is 1, but we got boundaries tensor dim(", seq.dim(), ")");
  return searchsorted(seq, scalar_tensor(value, std::nullopt, seq.device()), out_int32, right, side,
                      sorter);
}

Tensor bucketize(const Tensor& input, const Tensor& boundaries, bool out_int32, bool right) {
  EMBER_CHECK(boundaries.dim() == 1, RuntimeError,
              "[bucketize] boundaries tensor must be 1 dimension, but got dim(", boundaries.dim(),
              ")");
  return searchsorted(boundaries, input, out_int32, right);
}

}  // namespace ember
