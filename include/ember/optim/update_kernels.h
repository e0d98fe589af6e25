#pragma once
// The fused per-parameter update kernels behind every optimizer (C++ classes
// in optimizers.h and the Python ember.optim both call these). Each kernel
// makes one pass over the parameter's elements, split across threads with
// parallel_for, reading the gradient and the state buffers and writing the
// parameter and the buffers in place. The arithmetic follows PyTorch's
// single-tensor implementations (torch/optim/*.py) operation for operation,
// so results agree step for step; float16/bfloat16 parameters compute in
// float32 (their state stays in the parameter's dtype, as in PyTorch).
//
// Common rules (checked, with errors naming the kernel):
//   - param is a floating tensor on the CPU (it may be non-contiguous);
//   - grad has param's shape (its dtype is cast to param's);
//   - state buffers are contiguous with param's shape and dtype;
//   - `step` counts from 1 and already includes this update.
// The parameter's version counter is bumped; nothing is recorded for autograd.
#include <cstdint>

#include "ember/core/tensor.h"

namespace ember::optim::detail {

// SGD. momentum_buffer is used when momentum != 0; first_step makes the
// buffer a copy of the (decayed) gradient instead of accumulating.
EMBER_API void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                          bool first_step, double lr, double momentum, double dampening,
                          double weight_decay, bool nesterov, bool maximize);

// Adam and AdamW (decoupled = true multiplies param by 1 - lr*weight_decay
// instead of adding weight_decay*param to the gradient). max_exp_avg_sq is
// used only when amsgrad.
EMBER_API void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                           const Tensor& exp_avg_sq, const Tensor& max_exp_avg_sq, int64_t step,
                           double lr, double beta1, double beta2, double eps, double weight_decay,
                           bool amsgrad, bool maximize, bool decoupled);

EMBER_API void adamax_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                             const Tensor& exp_inf, int64_t step, double lr, double beta1,
                             double beta2, double eps, double weight_decay, bool maximize);

// NAdam. mu_product is the running product of the momentum schedule; the
// kernel multiplies it by this step's mu and returns the new value.
EMBER_API double nadam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                              const Tensor& exp_avg_sq, int64_t step, double mu_product, double lr,
                              double beta1, double beta2, double eps, double weight_decay,
                              double momentum_decay, bool decoupled_weight_decay, bool maximize);

EMBER_API void radam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                            const Tensor& exp_avg_sq, int64_t step, double lr, double beta1,
                            double beta2, double eps, double weight_decay,
                            bool decoupled_weight_decay, bool maximize);

// RMSprop. grad_avg is used when centered, momentum_buffer when momentum > 0.
EMBER_API void rmsprop_update(const Tensor& param, const Tensor& grad, const Tensor& square_avg,
                              const Tensor& grad_avg, const Tensor& momentum_buffer, double lr,
                              double alpha, double eps, double weight_decay, double momentum,
                              bool centered, bool maximize);

EMBER_API void adagrad_update(const Tensor& param, const Tensor& grad, const Tensor& state_sum,
                              int64_t step, double lr, double lr_decay, double weight_decay,
                              double eps, bool maximize);

EMBER_API void adadelta_update(const Tensor& param, const Tensor& grad, const Tensor& square_avg,
                               const Tensor& acc_delta, double lr, double rho, double eps,
                               double weight_decay, bool maximize);

}  // namespace ember::optim::detail
