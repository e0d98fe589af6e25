#pragma once
// Differentiable entry points of the layer ops in ops/nn.h: each calls the
// forward kernel and records a node (PyTorch's node names) whose formula
// runs the matching *_backward kernel. Those gradients are differentiable
// again, to any order (create_graph; Note [NN double backward] in
// src/ops/nn_autograd.cpp), while a backward without a graph runs only the
// kernels.
#include "ember/ops/nn.h"

namespace ember::nn_autograd {

EMBER_API Tensor convolution(const Tensor& input, const Tensor& weight, const OptTensor& bias, const DimVector& stride,
                             const DimVector& padding, const DimVector& dilation, bool transposed,
                             const DimVector& output_padding, int64_t groups);
// convolution_backward's kernel, recorded so that its results are
// differentiable in grad_output, input and weight (Note [Convolution double
// backward] in src/ops/nn_autograd_conv.cpp): ConvolutionBackward0 runs it.
EMBER_API Tensor3 convolution_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                       const DimVector& stride, const DimVector& padding, const DimVector& dilation,
                                       bool transposed, const DimVector& output_padding, int64_t groups,
                                       Mask3 output_mask = {true, true, true});
EMBER_API Tensor im2col(const Tensor& input, const DimVector& kernel_size, const DimVector& dilation,
                        const DimVector& padding, const DimVector& stride);
EMBER_API Tensor col2im(const Tensor& input, const DimVector& output_size, const DimVector& kernel_size,
                        const DimVector& dilation, const DimVector& padding, const DimVector& stride);

EMBER_API Tensor2 max_pool1d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                          const DimVector& padding, const DimVector& dilation, bool ceil_mode);
EMBER_API Tensor2 max_pool2d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                          const DimVector& padding, const DimVector& dilation, bool ceil_mode);
EMBER_API Tensor avg_pool1d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                            const DimVector& padding, bool ceil_mode, bool count_include_pad);
EMBER_API Tensor avg_pool2d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                            const DimVector& padding, bool ceil_mode, bool count_include_pad,
                            std::optional<int64_t> divisor_override);
EMBER_API Tensor adaptive_avg_pool1d(const Tensor& input, const DimVector& output_size);
EMBER_API Tensor adaptive_avg_pool2d(const Tensor& input, const DimVector& output_size);
EMBER_API Tensor2 adaptive_max_pool1d(const Tensor& input, const DimVector& output_size);
EMBER_API Tensor2 adaptive_max_pool2d(const Tensor& input, const DimVector& output_size);

EMBER_API Tensor3 native_batch_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias,
                                    const OptTensor& running_mean, const OptTensor& running_var, bool training,
                                    double momentum, double eps);
EMBER_API Tensor3 native_layer_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                                    const OptTensor& bias, double eps);
EMBER_API Tensor3 native_group_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias, int64_t N,
                                    int64_t C, int64_t HxW, int64_t group, double eps);
EMBER_API Tensor rms_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                          std::optional<double> eps);

EMBER_API Tensor cross_entropy_loss(const Tensor& input, const Tensor& target, const OptTensor& weight,
                                   int64_t reduction = 1, int64_t ignore_index = -100, double label_smoothing = 0.0);
EMBER_API Tensor nll_loss(const Tensor& input, const Tensor& target, const OptTensor& weight = {},
                          int64_t reduction = 1, int64_t ignore_index = -100);

EMBER_API Tensor upsample_nearest2d(const Tensor& input, const DimVector& output_size,
                                    std::optional<double> scales_h = {}, std::optional<double> scales_w = {});
EMBER_API Tensor upsample_bilinear2d(const Tensor& input, const DimVector& output_size, bool align_corners,
                                     std::optional<double> scales_h = {}, std::optional<double> scales_w = {});

// ---- activations (in-place forms record through autograd::apply_inplace)
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
EMBER_API Tensor softshrink(const Tensor& x, double lambd = 0.5);
EMBER_API Tensor log_sigmoid(const Tensor& x);

}  // namespace ember::nn_autograd
