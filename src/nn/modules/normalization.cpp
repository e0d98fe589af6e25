// BatchNorm1d/2d (BatchNormBase) and LayerNorm.
#include "ember/nn/modules/normalization.h"

#include <sstream>

#include "../init.h"
#include "../repr.h"
#include "ember/nn/functional.h"
#include "ember/ops/elementwise.h"

namespace ember::nn {

BatchNormBase::BatchNormBase(const char* name, int64_t min_dim, int64_t max_dim, int64_t num_features, double eps,
                             std::optional<double> momentum, bool affine, bool track_running_stats)
    : UnaryModule(name),
      weight(register_parameter("weight", Tensor())),
      bias(register_parameter("bias", Tensor())),
      running_mean(register_buffer("running_mean", Tensor())),
      running_var(register_buffer("running_var", Tensor())),
      num_batches_tracked(register_buffer("num_batches_tracked", Tensor())),
      min_dim_(min_dim),
      max_dim_(max_dim),
      num_features_(num_features),
      eps_(eps),
      momentum_(momentum),
      affine_(affine),
      track_(track_running_stats) {
  EMBER_CHECK(num_features >= 0, ValueError, "[", name, "] num_features must be non-negative, but got ",
              num_features);
  if (affine) {
    register_parameter("weight", detail::new_parameter({num_features}));
    register_parameter("bias", detail::new_parameter({num_features}));
  }
  if (track_running_stats) {
    TensorOptions opts(get_default_dtype());
    register_buffer("running_mean", zeros({num_features}, opts));
    register_buffer("running_var", ones({num_features}, opts));
    register_buffer("num_batches_tracked", zeros({}, TensorOptions(DType::Int64)));
  }
  reset_parameters();
}

void BatchNormBase::reset_running_stats() {
  if (!track_) return;
  detail::init_fill(running_mean, 0.0);
  detail::init_fill(running_var, 1.0);
  detail::init_fill(num_batches_tracked, 0.0);
}

void BatchNormBase::reset_parameters() {
  reset_running_stats();
  if (!affine_) return;
  detail::init_fill(weight, 1.0);
  detail::init_fill(bias, 0.0);
}

Tensor BatchNormBase::forward(const Tensor& input) {
  EMBER_CHECK(input.defined(), RuntimeError, "[", type_name(), "] input must be defined");
  EMBER_CHECK(input.dim() >= min_dim_ && input.dim() <= max_dim_, ValueError, "[", type_name(), "] expected ",
              min_dim_ == max_dim_ ? std::to_string(min_dim_) + "D" : std::to_string(min_dim_) + "D or " +
                                                                          std::to_string(max_dim_) + "D",
              " input (got ", input.dim(), "D input)");
  // A missing momentum means the cumulative moving average: factor 1/n.
  double factor = momentum_.value_or(0.0);
  if (is_training() && track_) {
    {
      NoGradGuard no_grad;
      add_(num_batches_tracked, int64_t(1));
    }
    if (!momentum_) factor = 1.0 / num_batches_tracked.item().to_double();
  }
  // Without running stats, eval mode normalises with the batch statistics too.
  bool batch_stats = is_training() || (!running_mean.defined() && !running_var.defined());
  return functional::batch_norm(input, running_mean, running_var, weight, bias, batch_stats, factor, eps_);
}

std::string BatchNormBase::extra_repr() const {
  std::ostringstream os;
  os << num_features_ << ", eps=" << detail::py_float(eps_)
     << ", momentum=" << (momentum_ ? detail::py_float(*momentum_) : std::string("None"))
     << ", affine=" << detail::py_bool(affine_) << ", track_running_stats=" << detail::py_bool(track_);
  return os.str();
}

LayerNorm::LayerNorm(const Dims& normalized_shape, double eps, bool elementwise_affine, bool with_bias)
    : UnaryModule("LayerNorm"),
      weight(register_parameter("weight", Tensor())),
      bias(register_parameter("bias", Tensor())),
      shape_(normalized_shape.values()),
      eps_(eps),
      affine_(elementwise_affine) {
  EMBER_CHECK(!shape_.empty(), ValueError, "[LayerNorm] normalized_shape must have at least one dim");
  for (int64_t s : shape_)
    EMBER_CHECK(s >= 0, ValueError, "[LayerNorm] normalized_shape must be non-negative, but got ", shape_);
  if (elementwise_affine) {
    register_parameter("weight", detail::new_parameter(shape_));
    if (with_bias) register_parameter("bias", detail::new_parameter(shape_));
  }
  reset_parameters();
}

void LayerNorm::reset_parameters() {
  if (weight.defined()) detail::init_fill(weight, 1.0);
  if (bias.defined()) detail::init_fill(bias, 0.0);
}

Tensor LayerNorm::forward(const Tensor& input) { return functional::layer_norm(input, shape_, weight, bias, eps_); }

std::string LayerNorm::extra_repr() const {
  return detail::py_tuple(shape_) + ", eps=" + detail::py_float(eps_) +
         ", elementwise_affine=" + detail::py_bool(affine_);
}

}  // namespace ember::nn
