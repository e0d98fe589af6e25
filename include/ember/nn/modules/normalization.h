#pragma once
// BatchNorm1d/2d and LayerNorm (Python's normalization.py).
#include <optional>

#include "ember/nn/arguments.h"
#include "ember/nn/module.h"

namespace ember::nn {

// What BatchNorm1d and BatchNorm2d share (Python's _BatchNorm). Parameters
// weight (ones) and bias (zeros) when affine; buffers running_mean (zeros),
// running_var (ones) and num_batches_tracked (int64 0) when tracking running
// stats. Training normalises with the batch statistics and updates the
// running stats (momentum; no momentum: the cumulative average,
// 1/num_batches_tracked); eval normalises with the running stats.
class EMBER_API BatchNormBase : public UnaryModule {
 public:
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_running_stats();
  void reset_parameters();

  int64_t num_features() const { return num_features_; }
  double eps() const { return eps_; }
  std::optional<double> momentum() const { return momentum_; }
  bool affine() const { return affine_; }
  bool track_running_stats() const { return track_; }

  Tensor& weight;
  Tensor& bias;
  Tensor& running_mean;
  Tensor& running_var;
  Tensor& num_batches_tracked;

 protected:
  BatchNormBase(const char* name, int64_t min_dim, int64_t max_dim, int64_t num_features, double eps,
                std::optional<double> momentum, bool affine, bool track_running_stats);

 private:
  int64_t min_dim_, max_dim_;
  int64_t num_features_;
  double eps_;
  std::optional<double> momentum_;
  bool affine_, track_;
};

// Input (N, C) or (N, C, L).
class EMBER_API BatchNorm1d : public BatchNormBase {
 public:
  explicit BatchNorm1d(int64_t num_features, double eps = 1e-5, std::optional<double> momentum = 0.1,
                       bool affine = true, bool track_running_stats = true)
      : BatchNormBase("BatchNorm1d", 2, 3, num_features, eps, momentum, affine, track_running_stats) {}
};

// Input (N, C, H, W).
class EMBER_API BatchNorm2d : public BatchNormBase {
 public:
  explicit BatchNorm2d(int64_t num_features, double eps = 1e-5, std::optional<double> momentum = 0.1,
                       bool affine = true, bool track_running_stats = true)
      : BatchNormBase("BatchNorm2d", 4, 4, num_features, eps, momentum, affine, track_running_stats) {}
};

// Normalises over the trailing dims normalized_shape; weight (ones) and bias
// (zeros) of that shape when elementwise_affine (bias=false: no bias).
class EMBER_API LayerNorm : public UnaryModule {
 public:
  explicit LayerNorm(const Dims& normalized_shape, double eps = 1e-5, bool elementwise_affine = true,
                     bool bias = true);
  // LayerNorm({2, 3}): a braced list alone would also fit the (deleted) copy constructor.
  explicit LayerNorm(std::initializer_list<int64_t> normalized_shape) : LayerNorm(Dims(normalized_shape)) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();
  const DimVector& normalized_shape() const { return shape_; }

  Tensor& weight;
  Tensor& bias;

 private:
  DimVector shape_;
  double eps_;
  bool affine_;
};

}  // namespace ember::nn
