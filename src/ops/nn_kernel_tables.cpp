// The kernel tables of the neural-network layers (declared in
// ember/core/nn_kernels.h); backends fill them.
#include "ember/core/nn_kernels.h"

namespace ember {

DispatchStub<ConvForwardKernel> conv_forward_stub{"conv_forward"};
DispatchStub<ConvBackwardKernel> conv_backward_stub{"conv_backward"};
DispatchStub<Im2ColKernel> im2col_stub{"im2col"};
DispatchStub<Col2ImKernel> col2im_stub{"col2im"};
DispatchStub<MaxPoolKernel> max_pool_stub{"max_pool"};
DispatchStub<MaxPoolBackwardKernel> max_pool_backward_stub{"max_pool_backward"};
DispatchStub<AvgPoolKernel> avg_pool_stub{"avg_pool"};
DispatchStub<AvgPoolBackwardKernel> avg_pool_backward_stub{"avg_pool_backward"};
DispatchStub<AdaptiveAvgPoolKernel> adaptive_avg_pool_stub{"adaptive_avg_pool"};
DispatchStub<AdaptiveAvgPoolBackwardKernel> adaptive_avg_pool_backward_stub{"adaptive_avg_pool_backward"};
DispatchStub<AdaptiveMaxPoolKernel> adaptive_max_pool_stub{"adaptive_max_pool"};
DispatchStub<BatchNormStatsKernel> batch_norm_stats_stub{"batch_norm_stats"};
DispatchStub<BatchNormApplyKernel> batch_norm_apply_stub{"batch_norm_apply"};
DispatchStub<BatchNormBackwardKernel> batch_norm_backward_stub{"batch_norm_backward"};
DispatchStub<GroupNormKernel> group_norm_stub{"group_norm"};
DispatchStub<GroupNormBackwardKernel> group_norm_backward_stub{"group_norm_backward"};
DispatchStub<CrossEntropyKernel> cross_entropy_stub{"cross_entropy"};
DispatchStub<CrossEntropyBackwardKernel> cross_entropy_backward_stub{"cross_entropy_backward"};
DispatchStub<NllLossKernel> nll_loss_stub{"nll_loss"};
DispatchStub<NllLossBackwardKernel> nll_loss_backward_stub{"nll_loss_backward"};
DispatchStub<EmbeddingBackwardKernel> embedding_backward_stub{"embedding_backward"};
DispatchStub<UpsampleKernel> upsample_nearest_stub{"upsample_nearest"};
DispatchStub<UpsampleBackwardKernel> upsample_nearest_backward_stub{"upsample_nearest_backward"};
DispatchStub<UpsampleKernel> upsample_bilinear_stub{"upsample_bilinear"};
DispatchStub<UpsampleBackwardKernel> upsample_bilinear_backward_stub{"upsample_bilinear_backward"};
DispatchStub<ActivationKernel> relu_stub{"relu"};
DispatchStub<ActivationKernel> threshold_stub{"threshold"};
DispatchStub<ActivationKernel> hardtanh_stub{"hardtanh"};
DispatchStub<ActivationKernel> leaky_relu_stub{"leaky_relu"};
DispatchStub<ActivationKernel> elu_stub{"elu"};
DispatchStub<ActivationKernel> gelu_stub{"gelu"};
DispatchStub<ActivationKernel> silu_stub{"silu"};
DispatchStub<ActivationKernel> mish_stub{"mish"};
DispatchStub<ActivationKernel> softplus_stub{"softplus"};
DispatchStub<ActivationKernel> hardsigmoid_stub{"hardsigmoid"};
DispatchStub<ActivationKernel> hardswish_stub{"hardswish"};
DispatchStub<ActivationKernel> softsign_stub{"softsign"};
DispatchStub<ActivationKernel> hardshrink_stub{"hardshrink"};
DispatchStub<ActivationKernel> softshrink_stub{"softshrink"};
DispatchStub<ActivationKernel> log_sigmoid_stub{"log_sigmoid"};
DispatchStub<ActivationKernel> threshold_backward_stub{"threshold_backward"};
DispatchStub<ActivationKernel> hardtanh_backward_stub{"hardtanh_backward"};
DispatchStub<ActivationKernel> leaky_relu_backward_stub{"leaky_relu_backward"};
DispatchStub<ActivationKernel> elu_backward_stub{"elu_backward"};
DispatchStub<ActivationKernel> elu_backward_result_stub{"elu_backward_result"};
DispatchStub<ActivationKernel> gelu_backward_stub{"gelu_backward"};
DispatchStub<ActivationKernel> silu_backward_stub{"silu_backward"};
DispatchStub<ActivationKernel> mish_backward_stub{"mish_backward"};
DispatchStub<ActivationKernel> softplus_backward_stub{"softplus_backward"};
DispatchStub<ActivationKernel> hardsigmoid_backward_stub{"hardsigmoid_backward"};
DispatchStub<ActivationKernel> hardswish_backward_stub{"hardswish_backward"};
DispatchStub<ActivationKernel> softsign_backward_stub{"softsign_backward"};
DispatchStub<ActivationKernel> shrink_backward_stub{"shrink_backward"};
DispatchStub<ActivationKernel> log_sigmoid_backward_stub{"log_sigmoid_backward"};

}  // namespace ember
