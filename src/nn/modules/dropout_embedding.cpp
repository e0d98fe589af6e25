// Dropout and Embedding.
#include "../init.h"
#include "../repr.h"
#include "ember/nn/functional.h"
#include "ember/nn/modules/dropout.h"
#include "ember/nn/modules/embedding.h"

namespace ember::nn {

Dropout::Dropout(double p, bool inplace) : UnaryModule("Dropout"), p_(p), inplace_(inplace) {
  EMBER_CHECK(p >= 0.0 && p <= 1.0, ValueError, "[Dropout] dropout probability has to be between 0 and 1, but got ",
              p);
}

Tensor Dropout::forward(const Tensor& input) { return functional::dropout(input, p_, is_training(), inplace_); }

std::string Dropout::extra_repr() const {
  return "p=" + detail::py_float(p_) + ", inplace=" + detail::py_bool(inplace_);
}

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx)
    : UnaryModule("Embedding"),
      weight(register_parameter("weight", Tensor())),
      num_(num_embeddings),
      dim_(embedding_dim) {
  EMBER_CHECK(num_embeddings >= 0 && embedding_dim >= 0, ValueError, "[Embedding] num_embeddings and ",
              "embedding_dim must be non-negative, but got ", num_embeddings, " and ", embedding_dim);
  if (padding_idx) {
    EMBER_CHECK(*padding_idx >= -num_embeddings && *padding_idx < num_embeddings, ValueError,
                "[Embedding] padding_idx (", *padding_idx, ") must be within num_embeddings (", num_embeddings, ")");
    padding_idx_ = *padding_idx < 0 ? *padding_idx + num_embeddings : *padding_idx;
  }
  register_parameter("weight", detail::new_parameter({num_embeddings, embedding_dim}));
  reset_parameters();
}

void Embedding::reset_parameters() {
  detail::init_normal(weight);
  if (padding_idx_) {
    Tensor row = weight.select(0, *padding_idx_);
    detail::init_fill(row, 0.0);
  }
}

Tensor Embedding::forward(const Tensor& input) { return functional::embedding(input, weight, padding_idx_); }

std::string Embedding::extra_repr() const {
  std::string s = std::to_string(num_) + ", " + std::to_string(dim_);
  if (padding_idx_) s += ", padding_idx=" + std::to_string(*padding_idx_);
  return s;
}

}  // namespace ember::nn
