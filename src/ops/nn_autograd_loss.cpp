// Autograd for the fused losses, cross_entropy_loss and nll_loss. Without
// a graph the formulas run the backward kernels; with one (create_graph)
// they are written with ops (Note [NN double backward], Note [Cross
// entropy gradient as ops]).
//
// Note [Cross entropy gradient as ops]
// Per sample, both losses are linear in the log-probabilities:
//   loss = -sum_c A_c logp_c   (logp = log_softmax(x) for cross entropy,
//                               logp = x for nll_loss)
// with class coefficients
//   class-index target t:  A_c = v * ((1 - ls) w_t [c == t] + ls / C * w_c)
//   probability target p:  A_c = w_c ((1 - ls) p_c + ls / C)
// (v = [t != ignore_index], w = 1 without weights, ls the label
// smoothing). With g the per-sample cotangent (grad_output itself for
// reduction='none', divided by the mean's denominator for 'mean':
// sum of v w_t for class targets, the sample count for probabilities):
//   cross entropy:  dx = g (softmax(x) sum_c A_c - A)
//   nll_loss:       dx = -g A
// which is what the kernels compute, written with ops so that it is
// differentiable in x, the probability target and grad_output.
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"
#include "nn_autograd_common.h"

namespace ember::nn_autograd {

using namespace detail;

namespace {

void check_no_weight_grad(const char* op, const OptTensor& weight) {
  EMBER_CHECK(!(weight && weight->requires_grad() && GradMode::is_enabled()), NotImplementedError, "[", op,
              "] the derivative for 'weight' is not implemented.");
}

int64_t class_dim(const Tensor& x) { return x.dim() >= 2 ? 1 : 0; }

// A per-class tensor (C) shaped to broadcast along x's class dim.
Tensor along_classes(const Tensor& t, const Tensor& x) {
  DimVector shape(static_cast<size_t>(x.dim()), 1);
  shape[static_cast<size_t>(class_dim(x))] = x.size(class_dim(x));
  return t.reshape(shape);
}

// Note [Cross entropy gradient as ops]: the coefficients A (x's shape) and
// the mean's denominator, for class-index targets.
std::pair<Tensor, Tensor> class_coefficients(const Tensor& x, const Tensor& target, const Tensor& weight,
                                             int64_t ignore_index, double ls) {
  const int64_t cdim = class_dim(x), C = x.size(cdim);
  auto opts = TensorOptions(x.dtype()).device(x.device());
  Tensor t = target.unsqueeze(cdim);
  Tensor classes = along_classes(arange(Scalar(int64_t(0)), Scalar(C), Scalar(int64_t(1)),
                                        TensorOptions(DType::Int64).device(x.device())), x);
  Tensor onehot = eq(t, classes).to(x.dtype());
  Tensor valid = ne(t, Scalar(ignore_index)).to(x.dtype());
  Tensor w = weight.defined() ? along_classes(weight.to(x.dtype()), x) : ones(DimVector{}, opts);
  Tensor w_t = mul(sum(mul(onehot, w), DimVector{cdim}, true), valid);  // v * w_t per sample
  Tensor a = mul(onehot, w_t);
  if (ls > 0) a = add(mul(a, 1.0 - ls), mul(mul(w, valid), ls / double(C)));
  return {a, sum(w_t)};
}

// The per-sample cotangent g, shaped to broadcast over x.
Tensor sample_cotangent(const Tensor& grad, const Tensor& x, int64_t reduction, const Tensor& denominator) {
  if (reduction == 0) return x.dim() >= 2 ? grad.unsqueeze(1) : grad;
  return reduction == 1 ? div(grad, denominator) : grad;
}

Tensor cross_entropy_diff(const Tensor& grad_in, const Tensor& x_in, const Tensor& target_in, const Tensor& weight,
                          int64_t reduction, int64_t ignore_index, double ls) {
  Tensor grad = upcast(grad_in), x = upcast(x_in), target = upcast(target_in);
  const int64_t cdim = class_dim(x), C = x.size(cdim);
  Tensor a, denom;
  if (target.sizes() == x.sizes() && target.is_floating_point()) {
    a = add(mul(target, 1.0 - ls), ls / double(C));
    if (weight.defined()) a = mul(a, along_classes(weight.to(x.dtype()), x));
    denom = full(DimVector{}, Scalar(double(C ? x.numel() / C : 0)), TensorOptions(x.dtype()).device(x.device()));
  } else {
    std::tie(a, denom) = class_coefficients(x, target, weight, ignore_index, ls);
  }
  Tensor g = sample_cotangent(grad, x, reduction, denom);
  return cast_to(mul(g, sub(mul(softmax(x, cdim), sum(a, DimVector{cdim}, true)), a)), x_in.dtype());
}

}  // namespace

Tensor cross_entropy_loss(const Tensor& input, const Tensor& target, const OptTensor& weight, int64_t reduction,
                          int64_t ignore_index, double label_smoothing) {
  check_no_weight_grad("cross_entropy", weight);
  Tensor out = plain([&] {
    return ember::cross_entropy_loss(input, target, weight, reduction, ignore_index, label_smoothing);
  });
  autograd::record("CrossEntropyLossBackward0", {input, target}, out, [&] {
    return [si = SavedVariable(input, false), st = SavedVariable(target, false), sw = save(weight), reduction,
            ignore_index, label_smoothing](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), t = ctx.unpack(st), w = unpack(ctx, sw);
      Tensor gx, gt;
      if (ctx.needs_input_grad(0)) {
        if (autograd::needs_grad({ctx.grad(), x, t})) {
          gx = cross_entropy_diff(ctx.grad(), x, t, w, reduction, ignore_index, label_smoothing);
        } else {
          gx = plain([&] {
            return ember::cross_entropy_loss_backward(ctx.grad(), x, t, opt(w), reduction, ignore_index,
                                                      label_smoothing);
          });
        }
      }
      if (ctx.needs_input_grad(1)) {
        // Probability targets: d loss / d t_c = -(1 - ls) w_c log_softmax(x)_c,
        // scaled by the incoming gradient (per sample for reduction none, and
        // divided by the number of samples for mean, as the forward does).
        int64_t cdim = class_dim(x);
        int64_t C = x.size(cdim);
        Tensor coef = mul(log_softmax(x, cdim), -(1.0 - label_smoothing));
        if (w.defined()) coef = mul(coef, along_classes(w, x));
        Tensor g = ctx.grad();
        if (reduction == 0) g = x.dim() >= 2 ? g.unsqueeze(1) : g;
        if (reduction == 1) g = div(g, static_cast<double>(x.numel() / (C ? C : 1)));
        gt = mul(coef, g);
      }
      return {gx, gt};
    };
  });
  return out;
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const OptTensor& weight, int64_t reduction,
                int64_t ignore_index) {
  check_no_weight_grad("nll_loss", weight);
  auto [out, total_weight] = plain([&] { return ember::nll_loss_forward(input, target, weight, reduction, ignore_index); });
  autograd::record("NllLossBackward0", {input}, out, [&] {
    return [si = SavedVariable(input, false), st = SavedVariable(target, false), sw = save(weight),
            stw = SavedVariable(total_weight, false), reduction, ignore_index](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), t = ctx.unpack(st), w = unpack(ctx, sw), tw = ctx.unpack(stw);
      // The gradient does not depend on x: only grad_output can carry a graph.
      if (autograd::needs_grad({ctx.grad()})) {
        Tensor a = class_coefficients(x, t, w, ignore_index, 0.0).first;
        return {neg(mul(sample_cotangent(ctx.grad(), x, reduction, tw.reshape(DimVector{})), a))};
      }
      return {plain([&] { return ember::nll_loss_backward(ctx.grad(), x, t, opt(w), reduction, ignore_index, tw); })};
    };
  });
  return out;
}

}  // namespace ember::nn_autograd
