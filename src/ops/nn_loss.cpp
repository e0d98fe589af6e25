// Losses: cross entropy fused with log_softmax (one pass per sample, class
// indices or class probabilities, weights, ignore_index, label smoothing)
// and nll_loss, each with its backward. Kernels see input (N, C, S) and
// class targets (N, S); reductions happen here.
#include <limits>

#include "ember/ops/elementwise.h"
#include "nn_common.h"

namespace ember {

using namespace nn_detail;

namespace {

struct LossShapes {
  int64_t N = 1, C = 1, S = 1;
  DimVector sample_sizes;  // input's shape without the class dim
  bool prob_target = false;
};

// Checks input/target/weight and classifies the target, as PyTorch's
// cross_entropy / nll_loss_nd.
LossShapes loss_shapes(const char* op, const Tensor& input, const Tensor& target, const OptTensor& weight,
                       bool allow_probs) {
  EMBER_CHECK(input.dim() >= 1, RuntimeError, "[", op, "] Expected input with at least 1 dim (C), but got input ",
              "of size ", input.sizes());
  LossShapes s;
  s.C = input.dim() == 1 ? input.size(0) : input.size(1);
  for (int64_t d = 0; d < input.dim(); ++d)
    if (d != (input.dim() == 1 ? 0 : 1)) s.sample_sizes.push_back(input.size(d));
  if (input.dim() >= 2) s.N = input.size(0);
  for (int64_t d = 2; d < input.dim(); ++d) s.S *= input.size(d);
  if (allow_probs && target.sizes() == input.sizes() && (input.dim() != 1 || target.dim() == 1)) {
    EMBER_CHECK(target.is_floating_point(), RuntimeError, "[", op, "] Expected floating point type for target ",
                "with class probabilities, got ", dtype_name(target.dtype()));
    s.prob_target = true;
  } else {
    EMBER_CHECK(target.dtype() == DType::Int64, RuntimeError, "[", op, "] expected scalar type Long (int64) for ",
                "class-index targets but found ", dtype_name(target.dtype()), " (target of size ", target.sizes(),
                ", input of size ", input.sizes(), ")");
    if (input.dim() == 1) {
      EMBER_CHECK(target.dim() == 0, RuntimeError, "[", op, "] 0D target tensor expected for 1D input, ",
                  "multi-target not supported (got target of size ", target.sizes(), ")");
    } else if (input.dim() == 2) {
      EMBER_CHECK(target.dim() == 1, RuntimeError, "[", op, "] 0D or 1D target tensor expected, multi-target not ",
                  "supported (got target of size ", target.sizes(), ")");
      EMBER_CHECK(target.size(0) == s.N, ValueError, "[", op, "] Expected input batch_size (", s.N,
                  ") to match target batch_size (", target.size(0), ").");
    } else {
      EMBER_CHECK(target.sizes() == s.sample_sizes, RuntimeError, "[", op, "] Expected target size ",
                  s.sample_sizes, ", got ", target.sizes());
    }
  }
  if (weight) {
    EMBER_CHECK(weight->dim() == 1 && weight->size(0) == s.C, RuntimeError, "[", op, "] weight tensor should be ",
                "defined either for all ", s.C, " classes or no classes but got weight tensor of shape: ",
                weight->sizes());
    check_same_device(op, input, *weight);
  }
  check_same_device(op, input, target);
  return s;
}

Tensor ncs(const Tensor& x, const LossShapes& s, DType t) { return prep(x, t).reshape(DimVector{s.N, s.C, s.S}); }
Tensor class_target(const Tensor& target, const LossShapes& s) {
  return target.contiguous().reshape(DimVector{s.N, s.S});
}

// Per-sample cotangent (N, S) of a reduced or unreduced loss: the reduction's
// denominator is folded in.
Tensor per_sample_grad(const char* op, const Tensor& grad_output, const LossShapes& s, int64_t reduction,
                       const Tensor& denominator, DType t) {
  if (reduction == 0) {
    EMBER_CHECK(grad_output.sizes() == s.sample_sizes, RuntimeError, "[", op, "] expected grad_output of size ",
                s.sample_sizes, " for reduction='none', but got ", grad_output.sizes());
    return prep(grad_output, t).reshape(DimVector{s.N, s.S});
  }
  EMBER_CHECK(grad_output.numel() == 1, RuntimeError, "[", op, "] expected a one-element grad_output for a ",
              "reduced loss, but got ", grad_output.sizes());
  Tensor g = grad_output.to(t).reshape(DimVector{});
  if (reduction == 1) g = div(g, denominator.to(t));
  return g.expand(DimVector{s.N, s.S}).contiguous();
}

Tensor reduce_loss(const Tensor& loss, const Tensor& denominator, const LossShapes& s, int64_t reduction) {
  if (reduction == 0) return loss.view(s.sample_sizes);
  Tensor total = sum(loss);
  return reduction == 2 ? total : div(total, denominator);
}

}  // namespace

Tensor cross_entropy_loss(const Tensor& input, const Tensor& target, const OptTensor& weight, int64_t reduction,
                          int64_t ignore_index, double label_smoothing) {
  const char* op = "cross_entropy";
  check_reduction(op, reduction);
  DType t = compute_dtype(op, input.dtype());
  EMBER_CHECK(label_smoothing >= 0.0 && label_smoothing <= 1.0, RuntimeError, "[", op,
              "] label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
  LossShapes s = loss_shapes(op, input, target, weight, true);
  auto opts = TensorOptions(t).device(input.device());
  Tensor loss = empty(DimVector{s.N, s.S}, opts), sw = empty(DimVector{s.N, s.S}, opts);
  LossOptions o{ignore_index, label_smoothing, s.prob_target};
  if (loss.numel() > 0) {
    Tensor tg = s.prob_target ? ncs(target, s, t) : class_target(target, s);
    cross_entropy_stub(input.device().type)(loss, sw, ncs(input, s, t), tg, prep(weight, t), o);
  }
  // Mean over probabilities divides by the sample count; over classes by the
  // summed weights of the samples not ignored.
  Tensor denom = s.prob_target ? full(DimVector{}, Scalar(double(s.N * s.S)), opts) : sum(sw);
  return finish(reduce_loss(loss, denom, s, reduction), input.dtype());
}

Tensor cross_entropy_loss_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                                   const OptTensor& weight, int64_t reduction, int64_t ignore_index,
                                   double label_smoothing) {
  const char* op = "cross_entropy_backward";
  check_reduction(op, reduction);
  DType t = compute_dtype(op, input.dtype());
  LossShapes s = loss_shapes(op, input, target, weight, true);
  auto opts = TensorOptions(t).device(input.device());
  Tensor x = ncs(input, s, t), w = prep(weight, t);
  Tensor tg = s.prob_target ? ncs(target, s, t) : class_target(target, s);
  Tensor denom = full(DimVector{}, Scalar(double(s.N * s.S)), opts);
  if (reduction == 1 && !s.prob_target) {
    // The summed weights of the samples not ignored (nll's sample weights).
    Tensor l = empty(DimVector{s.N, s.S}, opts), sw = empty(DimVector{s.N, s.S}, opts);
    if (l.numel() > 0) nll_loss_stub(input.device().type)(l, sw, x, tg, w, ignore_index);
    denom = sum(sw);
  }
  Tensor g = per_sample_grad(op, grad_output, s, reduction, denom, t);
  Tensor gi = empty(x.sizes(), opts);
  LossOptions o{ignore_index, label_smoothing, s.prob_target};
  if (gi.numel() > 0) cross_entropy_backward_stub(input.device().type)(gi, g, x, tg, w, o);
  return finish(gi.view(input.sizes()), input.dtype());
}

Tensor2 nll_loss_forward(const Tensor& input, const Tensor& target, const OptTensor& weight, int64_t reduction,
                         int64_t ignore_index) {
  const char* op = "nll_loss";
  check_reduction(op, reduction);
  DType t = compute_dtype(op, input.dtype());
  LossShapes s = loss_shapes(op, input, target, weight, false);
  auto opts = TensorOptions(t).device(input.device());
  Tensor loss = empty(DimVector{s.N, s.S}, opts), sw = empty(DimVector{s.N, s.S}, opts);
  if (loss.numel() > 0)
    nll_loss_stub(input.device().type)(loss, sw, ncs(input, s, t), class_target(target, s), prep(weight, t),
                                       ignore_index);
  Tensor total_weight = sum(sw);
  return {finish(reduce_loss(loss, total_weight, s, reduction), input.dtype()), finish(total_weight, input.dtype())};
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const OptTensor& weight, int64_t reduction,
                int64_t ignore_index) {
  return std::get<0>(nll_loss_forward(input, target, weight, reduction, ignore_index));
}

Tensor nll_loss_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target, const OptTensor& weight,
                         int64_t reduction, int64_t ignore_index, const Tensor& total_weight) {
  const char* op = "nll_loss_backward";
  check_reduction(op, reduction);
  DType t = compute_dtype(op, input.dtype());
  LossShapes s = loss_shapes(op, input, target, weight, false);
  EMBER_CHECK(total_weight.numel() == 1, RuntimeError, "[", op, "] expected a one-element total_weight, but got ",
              total_weight.sizes());
  Tensor g = per_sample_grad(op, grad_output, s, reduction, total_weight.reshape(DimVector{}), t);
  Tensor gi = zeros(DimVector{s.N, s.C, s.S}, TensorOptions(t).device(input.device()));
  if (gi.numel() > 0 && g.numel() > 0)
    nll_loss_backward_stub(input.device().type)(gi, g, class_target(target, s), prep(weight, t), ignore_index);
  return finish(gi.view(input.sizes()), input.dtype());
}

}  // namespace ember
