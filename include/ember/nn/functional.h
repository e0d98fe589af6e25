#pragma once
// ember::nn::functional: the stateless layer functions (Python's
// ember.nn.functional / torch.nn.functional), what the modules call in their
// forward. Each records its backward through the differentiable ops of
// ember/ops/nn_autograd.h (or elementwise ops), so results train. An
// undefined Tensor stands for Python's None (a missing bias, running stats).
//   namespace F = ember::nn::functional;
//   Tensor loss = F::cross_entropy(model(x), y);
#include <optional>
#include <string>

#include "ember/core/generator.h"
#include "ember/nn/arguments.h"
#include "ember/ops/nn.h"

namespace ember::nn::functional {

// ---- convolution: input (N, C, *spatial) or unbatched (C, *spatial);
// weight (out, C / groups, *kernel). padding "same" (stride 1 only) pads
// d * (k - 1) in total per dim, the odd element on the right, as PyTorch.
EMBER_API Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias = {}, const Dims& stride = 1,
                        const Padding& padding = 0, const Dims& dilation = 1, int64_t groups = 1);
EMBER_API Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = {}, const Dims& stride = 1,
                        const Padding& padding = 0, const Dims& dilation = 1, int64_t groups = 1);

// ---- pooling: input (N, C, H, W) or (C, H, W); no stride means stride = kernel_size.
EMBER_API Tensor max_pool2d(const Tensor& input, const Dims& kernel_size, const std::optional<Dims>& stride = {},
                            const Dims& padding = 0, const Dims& dilation = 1, bool ceil_mode = false);
// (output, indices of the maxima in each flattened input plane)
EMBER_API Tensor2 max_pool2d_with_indices(const Tensor& input, const Dims& kernel_size,
                                          const std::optional<Dims>& stride = {}, const Dims& padding = 0,
                                          const Dims& dilation = 1, bool ceil_mode = false);
EMBER_API Tensor avg_pool2d(const Tensor& input, const Dims& kernel_size, const std::optional<Dims>& stride = {},
                            const Dims& padding = 0, bool ceil_mode = false, bool count_include_pad = true,
                            std::optional<int64_t> divisor_override = {});
EMBER_API Tensor adaptive_avg_pool2d(const Tensor& input, const Dims& output_size);

// ---- normalisation
// Normalises over every dim but 1. training: batch statistics, and the
// running stats (when defined) updated in place with `momentum`; else the
// running stats, which must then be defined.
EMBER_API Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                            const Tensor& weight = {}, const Tensor& bias = {}, bool training = false,
                            double momentum = 0.1, double eps = 1e-5);
EMBER_API Tensor layer_norm(const Tensor& input, const DimVector& normalized_shape, const Tensor& weight = {},
                            const Tensor& bias = {}, double eps = 1e-5);

// ---- dropout: zeroes each element with probability p while training and
// scales the others by 1 / (1 - p); the identity otherwise. The mask is drawn
// from gen (the default generator when null).
EMBER_API Tensor dropout(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
                         Generator* gen = nullptr);

// ---- embedding: the rows of weight (num_embeddings, dim) at the int64/int32
// indices in input, shape (*input.shape, dim). The padding_idx row gets no
// gradient (PyTorch's EmbeddingBackward0).
EMBER_API Tensor embedding(const Tensor& input, const Tensor& weight, std::optional<int64_t> padding_idx = {});

// ---- activations
EMBER_API Tensor relu(const Tensor& input, bool inplace = false);
EMBER_API Tensor leaky_relu(const Tensor& input, double negative_slope = 0.01, bool inplace = false);
EMBER_API Tensor gelu(const Tensor& input, const std::string& approximate = "none");
EMBER_API Tensor silu(const Tensor& input, bool inplace = false);
EMBER_API Tensor tanh(const Tensor& input);
EMBER_API Tensor sigmoid(const Tensor& input);
EMBER_API Tensor softmax(const Tensor& input, int64_t dim);
EMBER_API Tensor log_softmax(const Tensor& input, int64_t dim);

// ---- losses. input (N, C) / (N, C, d1, ...) / (C); target class indices
// (int64) or class probabilities (input's shape).
EMBER_API Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                               Reduction reduction = Reduction::Mean, int64_t ignore_index = -100,
                               double label_smoothing = 0.0);
// input: log-probabilities.
EMBER_API Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                          Reduction reduction = Reduction::Mean, int64_t ignore_index = -100);
// (input - target)^2; the shapes must broadcast together.
EMBER_API Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);

}  // namespace ember::nn::functional
