#pragma once
// Neural-network layer ops, named and shaped after PyTorch's ATen functions
// so that autograd and ember.nn.functional can wire them: each forward has
// its backward beside it as a plain op (no autograd recording here).
// float16/bfloat16 inputs are computed in float32 and returned in their dtype.
// `reduction` is ATen's enum: 0 none, 1 mean, 2 sum.
#include <array>
#include <optional>
#include <string_view>
#include <tuple>

#include "ember/core/tensor.h"

namespace ember {

using OptTensor = std::optional<Tensor>;
using Tensor3 = std::tuple<Tensor, Tensor, Tensor>;
using Tensor2 = std::tuple<Tensor, Tensor>;
using Mask3 = std::array<bool, 3>;

enum class Reduction : int64_t { None = 0, Mean = 1, Sum = 2 };

// ---- convolution (src/ops/nn_conv.cpp): 1-D, 2-D and 3-D, grouped, transposed.
// stride/padding/dilation/output_padding hold one value per spatial dim (a
// single value is repeated). "same"/"valid" padding is resolved by callers.
EMBER_API Tensor convolution(const Tensor& input, const Tensor& weight, const OptTensor& bias, const DimVector& stride,
                             const DimVector& padding, const DimVector& dilation, bool transposed,
                             const DimVector& output_padding, int64_t groups);
// (grad_input, grad_weight, grad_bias); an output whose mask bit is false is undefined.
EMBER_API Tensor3 convolution_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                       const DimVector& stride, const DimVector& padding, const DimVector& dilation,
                                       bool transposed, const DimVector& output_padding, int64_t groups,
                                       Mask3 output_mask = {true, true, true});
// nn.functional.unfold / fold on (N, C, H, W) or unbatched (C, H, W) inputs.
EMBER_API Tensor im2col(const Tensor& input, const DimVector& kernel_size, const DimVector& dilation,
                        const DimVector& padding, const DimVector& stride);
EMBER_API Tensor col2im(const Tensor& input, const DimVector& output_size, const DimVector& kernel_size,
                        const DimVector& dilation, const DimVector& padding, const DimVector& stride);

// ---- pooling (src/ops/nn_pool.cpp). An empty stride means stride = kernel_size.
EMBER_API Tensor2 max_pool1d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                          const DimVector& padding, const DimVector& dilation, bool ceil_mode);
EMBER_API Tensor2 max_pool2d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                          const DimVector& padding, const DimVector& dilation, bool ceil_mode);
// Backwards of max pooling scatter grad_output to the saved indices.
EMBER_API Tensor max_pool1d_with_indices_backward(const Tensor& grad_output, const Tensor& input,
                                                  const DimVector& kernel_size, const DimVector& stride,
                                                  const DimVector& padding, const DimVector& dilation, bool ceil_mode,
                                                  const Tensor& indices);
EMBER_API Tensor max_pool2d_with_indices_backward(const Tensor& grad_output, const Tensor& input,
                                                  const DimVector& kernel_size, const DimVector& stride,
                                                  const DimVector& padding, const DimVector& dilation, bool ceil_mode,
                                                  const Tensor& indices);
EMBER_API Tensor avg_pool1d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                            const DimVector& padding, bool ceil_mode, bool count_include_pad);
EMBER_API Tensor avg_pool1d_backward(const Tensor& grad_output, const Tensor& input, const DimVector& kernel_size,
                                     const DimVector& stride, const DimVector& padding, bool ceil_mode,
                                     bool count_include_pad);
EMBER_API Tensor avg_pool2d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                            const DimVector& padding, bool ceil_mode, bool count_include_pad,
                            std::optional<int64_t> divisor_override);
EMBER_API Tensor avg_pool2d_backward(const Tensor& grad_output, const Tensor& input, const DimVector& kernel_size,
                                     const DimVector& stride, const DimVector& padding, bool ceil_mode,
                                     bool count_include_pad, std::optional<int64_t> divisor_override);
EMBER_API Tensor adaptive_avg_pool1d(const Tensor& input, const DimVector& output_size);
EMBER_API Tensor adaptive_avg_pool2d(const Tensor& input, const DimVector& output_size);
EMBER_API Tensor adaptive_avg_pool1d_backward(const Tensor& grad_output, const Tensor& input);
EMBER_API Tensor adaptive_avg_pool2d_backward(const Tensor& grad_output, const Tensor& input);
EMBER_API Tensor2 adaptive_max_pool1d(const Tensor& input, const DimVector& output_size);
EMBER_API Tensor2 adaptive_max_pool2d(const Tensor& input, const DimVector& output_size);
EMBER_API Tensor adaptive_max_pool1d_backward(const Tensor& grad_output, const Tensor& input, const Tensor& indices);
EMBER_API Tensor adaptive_max_pool2d_backward(const Tensor& grad_output, const Tensor& input, const Tensor& indices);

// ---- normalisation (src/ops/nn_norm.cpp)
// (out, save_mean, save_invstd); training updates running_mean/var in place
// (running_var with the unbiased variance). In eval the saved stats are empty.
EMBER_API Tensor3 native_batch_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias,
                                    const OptTensor& running_mean, const OptTensor& running_var, bool training,
                                    double momentum, double eps);
EMBER_API Tensor3 native_batch_norm_backward(const Tensor& grad_out, const Tensor& input, const OptTensor& weight,
                                             const OptTensor& running_mean, const OptTensor& running_var,
                                             const OptTensor& save_mean, const OptTensor& save_invstd, bool train,
                                             double eps, Mask3 output_mask = {true, true, true});
// (out, mean, rstd); mean/rstd have input's leading dims and 1 for each normalized dim.
EMBER_API Tensor3 native_layer_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                                    const OptTensor& bias, double eps);
EMBER_API Tensor3 native_layer_norm_backward(const Tensor& grad_out, const Tensor& input,
                                             const DimVector& normalized_shape, const Tensor& mean, const Tensor& rstd,
                                             const OptTensor& weight, const OptTensor& bias,
                                             Mask3 output_mask = {true, true, true});
// (out, mean (N, group), rstd (N, group)).
EMBER_API Tensor3 native_group_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias, int64_t N,
                                    int64_t C, int64_t HxW, int64_t group, double eps);
EMBER_API Tensor3 native_group_norm_backward(const Tensor& grad_out, const Tensor& input, const Tensor& mean,
                                             const Tensor& rstd, const OptTensor& weight, int64_t N, int64_t C,
                                             int64_t HxW, int64_t group, Mask3 output_mask = {true, true, true});
// eps defaults to the dtype's machine epsilon, as PyTorch.
EMBER_API Tensor rms_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                          std::optional<double> eps);
EMBER_API Tensor2 _fused_rms_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                                  std::optional<double> eps);  // (out, rstd)
EMBER_API Tensor2 _fused_rms_norm_backward(const Tensor& grad_out, const Tensor& input,
                                           const DimVector& normalized_shape, const Tensor& rstd,
                                           const OptTensor& weight, std::array<bool, 2> output_mask = {true, true});

// ---- losses (src/ops/nn_loss.cpp). input (C), (N, C) or (N, C, d1, ...);
// target class indices (int64, input's shape without C) or probabilities
// (input's shape, floating).
EMBER_API Tensor cross_entropy_loss(const Tensor& input, const Tensor& target, const OptTensor& weight,
                                   int64_t reduction = 1, int64_t ignore_index = -100, double label_smoothing = 0.0);
// Gradient with respect to the logits.
EMBER_API Tensor cross_entropy_loss_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                                            const OptTensor& weight, int64_t reduction = 1,
                                            int64_t ignore_index = -100, double label_smoothing = 0.0);
// (output, total_weight) on log-probabilities.
EMBER_API Tensor2 nll_loss_forward(const Tensor& input, const Tensor& target, const OptTensor& weight,
                                   int64_t reduction = 1, int64_t ignore_index = -100);
EMBER_API Tensor nll_loss_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                                   const OptTensor& weight, int64_t reduction, int64_t ignore_index,
                                   const Tensor& total_weight);
EMBER_API Tensor nll_loss(const Tensor& input, const Tensor& target, const OptTensor& weight = {},
                          int64_t reduction = 1, int64_t ignore_index = -100);

// ---- embedding and resampling (src/ops/nn_resample.cpp)
EMBER_API Tensor embedding_dense_backward(const Tensor& grad_output, const Tensor& indices, int64_t num_weights,
                                          int64_t padding_idx, bool scale_grad_by_freq);
// input (N, C, H, W); scales: the scale_factor the caller was given, if any.
EMBER_API Tensor upsample_nearest2d(const Tensor& input, const DimVector& output_size,
                                    std::optional<double> scales_h = {}, std::optional<double> scales_w = {});
EMBER_API Tensor upsample_nearest2d_backward(const Tensor& grad_output, const DimVector& output_size,
                                             const DimVector& input_size, std::optional<double> scales_h = {},
                                             std::optional<double> scales_w = {});
EMBER_API Tensor upsample_bilinear2d(const Tensor& input, const DimVector& output_size, bool align_corners,
                                     std::optional<double> scales_h = {}, std::optional<double> scales_w = {});
EMBER_API Tensor upsample_bilinear2d_backward(const Tensor& grad_output, const DimVector& output_size,
                                              const DimVector& input_size, bool align_corners,
                                              std::optional<double> scales_h = {},
                                              std::optional<double> scales_w = {});

// ---- activations (src/ops/activation.cpp); floating inputs only.
EMBER_API Tensor relu(const Tensor& x);
EMBER_API Tensor& relu_(Tensor& x);
EMBER_API Tensor relu6(const Tensor& x);
EMBER_API Tensor& relu6_(Tensor& x);
EMBER_API Tensor threshold(const Tensor& x, double threshold, double value);
EMBER_API Tensor& threshold_(Tensor& x, double threshold, double value);
EMBER_API Tensor hardtanh(const Tensor& x, double min_val = -1.0, double max_val = 1.0);
EMBER_API Tensor& hardtanh_(Tensor& x, double min_val = -1.0, double max_val = 1.0);
EMBER_API Tensor leaky_relu(const Tensor& x, double negative_slope = 0.01);
EMBER_API Tensor& leaky_relu_(Tensor& x, double negative_slope = 0.01);
EMBER_API Tensor elu(const Tensor& x, double alpha = 1.0, double scale = 1.0, double input_scale = 1.0);
EMBER_API Tensor& elu_(Tensor& x, double alpha = 1.0, double scale = 1.0, double input_scale = 1.0);
EMBER_API Tensor selu(const Tensor& x);
EMBER_API Tensor& selu_(Tensor& x);
EMBER_API Tensor celu(const Tensor& x, double alpha = 1.0);
EMBER_API Tensor& celu_(Tensor& x, double alpha = 1.0);
EMBER_API Tensor gelu(const Tensor& x, std::string_view approximate = "none");
EMBER_API Tensor silu(const Tensor& x);
EMBER_API Tensor& silu_(Tensor& x);
EMBER_API Tensor mish(const Tensor& x);
EMBER_API Tensor& mish_(Tensor& x);
EMBER_API Tensor softplus(const Tensor& x, double beta = 1.0, double threshold = 20.0);
EMBER_API Tensor hardsigmoid(const Tensor& x);
EMBER_API Tensor& hardsigmoid_(Tensor& x);
EMBER_API Tensor hardswish(const Tensor& x);
EMBER_API Tensor& hardswish_(Tensor& x);
EMBER_API Tensor softsign(const Tensor& x);
EMBER_API Tensor hardshrink(const Tensor& x, double lambd = 0.5);
EMBER_API Tensor softshrink(const Tensor& x, double lambd = 0.5);  // lambd >= 0
EMBER_API Tensor log_sigmoid(const Tensor& x);

EMBER_API Tensor threshold_backward(const Tensor& grad_output, const Tensor& self, double threshold);
EMBER_API Tensor hardtanh_backward(const Tensor& grad_output, const Tensor& self, double min_val, double max_val);
EMBER_API Tensor leaky_relu_backward(const Tensor& grad_output, const Tensor& self, double negative_slope,
                                     bool self_is_result);
EMBER_API Tensor elu_backward(const Tensor& grad_output, double alpha, double scale, double input_scale,
                              bool is_result, const Tensor& self_or_result);
EMBER_API Tensor gelu_backward(const Tensor& grad_output, const Tensor& self, std::string_view approximate = "none");
EMBER_API Tensor silu_backward(const Tensor& grad_output, const Tensor& self);
EMBER_API Tensor mish_backward(const Tensor& grad_output, const Tensor& self);
EMBER_API Tensor softplus_backward(const Tensor& grad_output, const Tensor& self, double beta, double threshold);
EMBER_API Tensor hardsigmoid_backward(const Tensor& grad_output, const Tensor& self);
EMBER_API Tensor hardswish_backward(const Tensor& grad_output, const Tensor& self);
EMBER_API Tensor softsign_backward(const Tensor& grad_output, const Tensor& self);
EMBER_API Tensor hardshrink_backward(const Tensor& grad_output, const Tensor& self, double lambd);
EMBER_API Tensor softshrink_backward(const Tensor& grad_output, const Tensor& self, double lambd);
EMBER_API Tensor log_sigmoid_backward(const Tensor& grad_output, const Tensor& self);

}  // namespace ember
