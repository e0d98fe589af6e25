// Embedding lookup of ember::nn::functional. The op layer has no
// differentiable embedding, so the node is recorded here: PyTorch's
// EmbeddingBackward0, whose gradient skips the padding_idx row.
#include "ember/autograd/record.h"
#include "ember/nn/functional.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"

namespace ember::nn::functional {

Tensor embedding(const Tensor& input, const Tensor& weight, std::optional<int64_t> padding_idx) {
  EMBER_CHECK(input.defined() && weight.defined(), RuntimeError, "[embedding] input and weight must be defined");
  EMBER_CHECK(input.dtype() == DType::Int64 || input.dtype() == DType::Int32, RuntimeError,
              "[embedding] Expected tensor for argument #1 'indices' to have one of the following scalar types: "
              "Long, Int; but got ", input.dtype(), " instead");
  EMBER_CHECK(weight.dim() == 2, RuntimeError, "[embedding] 'weight' must be 2-D, got shape ", weight.sizes());
  const int64_t rows = weight.size(0), cols = weight.size(1);
  int64_t pad = -1;  // embedding_dense_backward's "no padding row"
  if (padding_idx) {
    EMBER_CHECK(*padding_idx >= -rows && *padding_idx < rows, ValueError, "[embedding] padding_idx (", *padding_idx,
                ") must be within num_embeddings (", rows, ")");
    pad = *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
  }
  Tensor flat = input.reshape({-1});
  if (flat.numel() > 0) {
    // index_select would wrap negative indices; PyTorch refuses them.
    auto [lo, hi] = aminmax(flat);
    int64_t lo_v = lo.item().to_int(), hi_v = hi.item().to_int();
    EMBER_CHECK(lo_v >= 0 && hi_v < rows, IndexError, "[embedding] index ", lo_v < 0 ? lo_v : hi_v,
                " is out of range for an embedding with ", rows, " rows");
  }
  DimVector out_sizes = input.sizes();
  out_sizes.push_back(cols);
  Tensor out;
  {
    NoGradGuard no_grad;  // index_select would record IndexSelectBackward0; this node replaces it
    out = index_select(weight, 0, flat).reshape(out_sizes);
  }
  autograd::record("EmbeddingBackward0", {weight}, out, [&] {
    return [idx = autograd::SavedVariable(flat, false), rows, cols,
            pad](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      Tensor index = ctx.unpack(idx);
      Tensor g = ctx.grad().reshape({index.numel(), cols});
      if (!GradMode::is_enabled()) return {embedding_dense_backward(g, index, rows, pad, false)};
      // create_graph: the same sums written with differentiable ops.
      if (pad >= 0) g = mul(g, ne(index, pad).unsqueeze(1).to(g.dtype()));
      return {index_add(zeros({rows, cols}, g.options()), 0, index, g)};
    };
  });
  return out;
}

}  // namespace ember::nn::functional
