#pragma once
#include <optional>

#include "ember/nn/module.h"

namespace ember::nn {

// A lookup table: weight (num_embeddings, embedding_dim) ~ N(0, 1); input
// int64/int32 indices of any shape, output (*input.shape, embedding_dim).
// The padding_idx row (negative counts from the end) starts at zero and
// gets no gradient.
class EMBER_API Embedding : public UnaryModule {
 public:
  Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx = std::nullopt);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();
  int64_t num_embeddings() const { return num_; }
  int64_t embedding_dim() const { return dim_; }
  std::optional<int64_t> padding_idx() const { return padding_idx_; }

  Tensor& weight;

 private:
  int64_t num_, dim_;
  std::optional<int64_t> padding_idx_;
};

}  // namespace ember::nn
