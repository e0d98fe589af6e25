#pragma once
// Kernel tables of the neural-network layers (Note [Dispatch stubs]).
// The ops layer (src/ops/nn_*.cpp, src/ops/activation.cpp) checks arguments,
// allocates and hands kernels contiguous float32/float64 tensors
// (float16/bfloat16 are computed in float32 and cast back there), in the
// fixed layouts written beside each kernel type. An undefined Tensor is an
// absent optional operand (bias, weight, a gradient not asked for).
#include <cstdint>

#include "ember/core/elementwise_kernels.h"

namespace ember {

// Note [Convolution geometry]
// Convolutions of 1, 2 and 3 spatial dims all run as 3-D ones: the ops layer
// views inputs as (N, C, D, H, W), padding the missing leading spatial dims
// with size 1 (kernel 1, stride 1, padding 0, dilation 1). `image` is the
// spatial size of the side that is unfolded into columns (a convolution's
// input, a transposed convolution's output), `cols` the spatial size of the
// other side; column matrices are (C * kD * kH * kW, oD * oH * oW).
struct ConvGeometry {
  int64_t kernel[3], stride[3], pad[3], dil[3];
  int64_t image[3], cols[3];
  int64_t kernel_numel() const { return kernel[0] * kernel[1] * kernel[2]; }
  int64_t image_numel() const { return image[0] * image[1] * image[2]; }
  int64_t cols_numel() const { return cols[0] * cols[1] * cols[2]; }
};

// out (N, Cout, cols...) = conv(input (N, Cin, image...), weight (Cout, Cin/g, k...)) + bias;
// transposed: out (N, Cout, image...) from input (N, Cin, cols...), weight (Cin, Cout/g, k...).
using ConvForwardKernel = void (*)(const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias,
                                   const ConvGeometry& g, int64_t groups, bool transposed);
// grad_input and/or grad_weight (either may be undefined) from grad_out; every
// element of each is written (they arrive uninitialised).
using ConvBackwardKernel = void (*)(const Tensor& grad_input, const Tensor& grad_weight, const Tensor& grad_out,
                                    const Tensor& input, const Tensor& weight, const ConvGeometry& g, int64_t groups,
                                    bool transposed);
// col (N, C*K, L) from im (N, C, image...), and back (col2im sums overlaps into a zeroed im).
using Im2ColKernel = void (*)(const Tensor& col, const Tensor& im, const ConvGeometry& g);
using Col2ImKernel = void (*)(const Tensor& im, const Tensor& col, const ConvGeometry& g);

// Pooling over planes: input (P, H, W) with P = N * C; 1-D pooling has H = 1.
struct PoolGeometry {
  int64_t kernel[2], stride[2], pad[2], dil[2];
  int64_t in[2], out[2];
};
// indices (int64) are flat positions h * W + w within a plane, as PyTorch's.
using MaxPoolKernel = void (*)(const Tensor& out, const Tensor& indices, const Tensor& input, const PoolGeometry& g);
// grad_input (P, H, W), zeroed by the kernel, += grad_out at indices.
using MaxPoolBackwardKernel = void (*)(const Tensor& grad_input, const Tensor& grad_out, const Tensor& indices);
// divisor 0: no divisor_override.
using AvgPoolKernel = void (*)(const Tensor& out, const Tensor& input, const PoolGeometry& g, bool count_include_pad,
                               int64_t divisor);
using AvgPoolBackwardKernel = void (*)(const Tensor& grad_input, const Tensor& grad_out, const PoolGeometry& g,
                                       bool count_include_pad, int64_t divisor);
// Adaptive pooling: windows [floor(i*In/Out), ceil((i+1)*In/Out)).
using AdaptiveAvgPoolKernel = void (*)(const Tensor& out, const Tensor& input);
using AdaptiveAvgPoolBackwardKernel = void (*)(const Tensor& grad_input, const Tensor& grad_out);
using AdaptiveMaxPoolKernel = void (*)(const Tensor& out, const Tensor& indices, const Tensor& input);

// Batch norm over input (N, C, S): per-channel mean and biased variance.
using BatchNormStatsKernel = void (*)(const Tensor& mean, const Tensor& var, const Tensor& input);
// out = (x - mean) * invstd * weight + bias, per channel.
using BatchNormApplyKernel = void (*)(const Tensor& out, const Tensor& input, const Tensor& mean,
                                      const Tensor& invstd, const Tensor& weight, const Tensor& bias);
// training: the batch statistics depend on x; otherwise (eval) they are constants.
using BatchNormBackwardKernel = void (*)(const Tensor& grad_input, const Tensor& grad_weight,
                                         const Tensor& grad_bias, const Tensor& grad_out, const Tensor& input,
                                         const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                                         bool training);
// Group norm over input (N, C, S) in G groups, affine per channel; layer
// norm is the case G = 1, S = 1 (rows of C), and rms norm the case that
// does not subtract the mean (mean is then undefined). mean/rstd: (N * G).
using GroupNormKernel = void (*)(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& input,
                                 const Tensor& weight, const Tensor& bias, int64_t groups, double eps);
using GroupNormBackwardKernel = void (*)(const Tensor& grad_input, const Tensor& grad_weight,
                                         const Tensor& grad_bias, const Tensor& grad_out, const Tensor& input,
                                         const Tensor& mean, const Tensor& rstd, const Tensor& weight,
                                         int64_t groups);

// Losses over input (N, C, S) and target (N, S) int64 class indices or
// (N, C, S) probabilities. Forward writes the per-sample loss (N, S) and,
// for class targets, the sample's weight w[target] (0 where ignored).
struct LossOptions {
  int64_t ignore_index = -100;
  double label_smoothing = 0.0;
  bool prob_target = false;
};
using CrossEntropyKernel = void (*)(const Tensor& loss, const Tensor& sample_weight, const Tensor& logits,
                                    const Tensor& target, const Tensor& weight, const LossOptions& o);
// grad_logits (N, C, S) from the per-sample cotangent (N, S) already divided
// by the reduction's denominator.
using CrossEntropyBackwardKernel = void (*)(const Tensor& grad_logits, const Tensor& grad_loss,
                                            const Tensor& logits, const Tensor& target, const Tensor& weight,
                                            const LossOptions& o);
// nll on log-probabilities: loss = -w[t] * input[t].
using NllLossKernel = void (*)(const Tensor& loss, const Tensor& sample_weight, const Tensor& input,
                               const Tensor& target, const Tensor& weight, int64_t ignore_index);
using NllLossBackwardKernel = void (*)(const Tensor& grad_input, const Tensor& grad_loss, const Tensor& target,
                                       const Tensor& weight, int64_t ignore_index);

// grad_weight (num_weights, D) = scatter-add of grad (M, D) rows at indices (M) int64.
using EmbeddingBackwardKernel = void (*)(const Tensor& grad_weight, const Tensor& grad, const Tensor& indices,
                                         int64_t padding_idx, bool scale_grad_by_freq);

// Upsampling over planes (P, H, W) -> (P, oH, oW). scale_h/scale_w: the
// source step per output pixel (in/out, or 1/scale_factor when given).
struct UpsampleGeometry {
  int64_t in[2], out[2];
  double scale[2];
  bool align_corners;
};
using UpsampleKernel = void (*)(const Tensor& out, const Tensor& input, const UpsampleGeometry& g);
using UpsampleBackwardKernel = void (*)(const Tensor& grad_input, const Tensor& grad_out, const UpsampleGeometry& g);

// Elementwise activations: forward f(x; a, b, c), operands (out, x);
// backward operands (grad_in, grad_out, x) (or the forward's result, per op).
using ActivationKernel = void (*)(TensorIterator& it, double a, double b, double c);

EMBER_DECLARE_STUB(conv_forward_stub, ConvForwardKernel);
EMBER_DECLARE_STUB(conv_backward_stub, ConvBackwardKernel);
EMBER_DECLARE_STUB(im2col_stub, Im2ColKernel);
EMBER_DECLARE_STUB(col2im_stub, Col2ImKernel);
EMBER_DECLARE_STUB(max_pool_stub, MaxPoolKernel);
EMBER_DECLARE_STUB(max_pool_backward_stub, MaxPoolBackwardKernel);
EMBER_DECLARE_STUB(avg_pool_stub, AvgPoolKernel);
EMBER_DECLARE_STUB(avg_pool_backward_stub, AvgPoolBackwardKernel);
EMBER_DECLARE_STUB(adaptive_avg_pool_stub, AdaptiveAvgPoolKernel);
EMBER_DECLARE_STUB(adaptive_avg_pool_backward_stub, AdaptiveAvgPoolBackwardKernel);
EMBER_DECLARE_STUB(adaptive_max_pool_stub, AdaptiveMaxPoolKernel);
EMBER_DECLARE_STUB(batch_norm_stats_stub, BatchNormStatsKernel);
EMBER_DECLARE_STUB(batch_norm_apply_stub, BatchNormApplyKernel);
EMBER_DECLARE_STUB(batch_norm_backward_stub, BatchNormBackwardKernel);
EMBER_DECLARE_STUB(group_norm_stub, GroupNormKernel);
EMBER_DECLARE_STUB(group_norm_backward_stub, GroupNormBackwardKernel);
EMBER_DECLARE_STUB(cross_entropy_stub, CrossEntropyKernel);
EMBER_DECLARE_STUB(cross_entropy_backward_stub, CrossEntropyBackwardKernel);
EMBER_DECLARE_STUB(nll_loss_stub, NllLossKernel);
EMBER_DECLARE_STUB(nll_loss_backward_stub, NllLossBackwardKernel);
EMBER_DECLARE_STUB(embedding_backward_stub, EmbeddingBackwardKernel);
EMBER_DECLARE_STUB(upsample_nearest_stub, UpsampleKernel);
EMBER_DECLARE_STUB(upsample_nearest_backward_stub, UpsampleBackwardKernel);
EMBER_DECLARE_STUB(upsample_bilinear_stub, UpsampleKernel);
EMBER_DECLARE_STUB(upsample_bilinear_backward_stub, UpsampleBackwardKernel);

// Activations (src/kernels/activation_functors.h has the math).
EMBER_DECLARE_STUB(relu_stub, ActivationKernel);
EMBER_DECLARE_STUB(threshold_stub, ActivationKernel);       // x > a ? x : b
EMBER_DECLARE_STUB(hardtanh_stub, ActivationKernel);        // clamp(x, a, b)
EMBER_DECLARE_STUB(leaky_relu_stub, ActivationKernel);      // a: slope
EMBER_DECLARE_STUB(elu_stub, ActivationKernel);             // a: alpha, b: scale, c: input_scale
EMBER_DECLARE_STUB(gelu_stub, ActivationKernel);            // a: 1 for tanh approximation
EMBER_DECLARE_STUB(silu_stub, ActivationKernel);
EMBER_DECLARE_STUB(mish_stub, ActivationKernel);
EMBER_DECLARE_STUB(softplus_stub, ActivationKernel);        // a: beta, b: threshold
EMBER_DECLARE_STUB(hardsigmoid_stub, ActivationKernel);
EMBER_DECLARE_STUB(hardswish_stub, ActivationKernel);
EMBER_DECLARE_STUB(softsign_stub, ActivationKernel);
EMBER_DECLARE_STUB(hardshrink_stub, ActivationKernel);       // a: lambda
EMBER_DECLARE_STUB(softshrink_stub, ActivationKernel);       // a: lambda
EMBER_DECLARE_STUB(log_sigmoid_stub, ActivationKernel);
EMBER_DECLARE_STUB(threshold_backward_stub, ActivationKernel);   // a: threshold
EMBER_DECLARE_STUB(hardtanh_backward_stub, ActivationKernel);    // a: min, b: max
EMBER_DECLARE_STUB(leaky_relu_backward_stub, ActivationKernel);  // a: slope
EMBER_DECLARE_STUB(elu_backward_stub, ActivationKernel);         // a: alpha, b: scale, c: input_scale
EMBER_DECLARE_STUB(elu_backward_result_stub, ActivationKernel);  // same, from the forward's result
EMBER_DECLARE_STUB(gelu_backward_stub, ActivationKernel);        // a: 1 for tanh
EMBER_DECLARE_STUB(silu_backward_stub, ActivationKernel);
EMBER_DECLARE_STUB(mish_backward_stub, ActivationKernel);
EMBER_DECLARE_STUB(softplus_backward_stub, ActivationKernel);    // a: beta, b: threshold
EMBER_DECLARE_STUB(hardsigmoid_backward_stub, ActivationKernel);
EMBER_DECLARE_STUB(hardswish_backward_stub, ActivationKernel);
EMBER_DECLARE_STUB(softsign_backward_stub, ActivationKernel);
EMBER_DECLARE_STUB(shrink_backward_stub, ActivationKernel);     // a: lambda (hard and soft shrink)
EMBER_DECLARE_STUB(log_sigmoid_backward_stub, ActivationKernel);

}  // namespace ember
