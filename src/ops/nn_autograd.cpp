// Autograd for the activations of ops/nn.h: the forward kernel, then a
// node named as PyTorch names it. The layer ops have their own files:
// nn_autograd_conv.cpp (convolution, unfold/fold), nn_autograd_pool.cpp
// (pooling, upsampling), nn_autograd_norm.cpp and nn_autograd_loss.cpp.
//
// Note [NN double backward]
// The *_backward kernels of ops/nn.h do not record, yet every gradient of a
// layer op is differentiable again (create_graph), to any order, as in
// PyTorch. Each formula keeps the fast kernel for the ordinary backward and
// builds a graph only when one is wanted, in one of two ways:
// - the kernel's result is recorded as a node of its own whose formula is
//   written with differentiable ops: convolution (Note [Convolution double
//   backward]), pooling and upsampling (linear in grad_output: the adjoint
//   is the forward pool/upsample, or a gather at max pooling's indices);
// - under grad mode (autograd::needs_grad of the formula's inputs) the
//   gradient itself is computed with recording ops instead of the kernel:
//   the norms (Note [Normalisation backward as ops]), the losses (Note
//   [Cross entropy gradient as ops]) and the activations (`diff` below).
// im2col and col2im are each other's adjoints. Embedding is index_select
// (python/ember/nn/functional.py), differentiable through its own formula.
#include "ember/ops/nn_autograd.h"

#include <cmath>
#include <functional>
#include <string>

#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/unary.h"
#include "nn_autograd_common.h"

namespace ember::nn_autograd {

using namespace detail;

// ---- activations

namespace {

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

using GradFn = std::function<Tensor(const Tensor& grad, const Tensor& x)>;

// y = f(x) records `name`; its formula runs the backward kernel (`fast`)
// without a graph and the differentiable `diff` with one (Note [NN double
// backward]).
Tensor activation(const char* name, const Tensor& x, const Tensor& y, GradFn fast, GradFn diff) {
  autograd::record(name, {x}, y, [&] {
    return [sx = SavedVariable(x, false), fast = std::move(fast), diff = std::move(diff)](
               BackwardCtx& ctx) -> variable_list {
      Tensor xv = ctx.unpack(sx);
      if (autograd::needs_grad({ctx.grad(), xv})) return {diff(ctx.grad(), xv)};
      return {plain([&] { return fast(ctx.grad(), xv); })};
    };
  });
  return y;
}

// The in-place form: recorded as its out-of-place form (autograd::apply_inplace)
// when self needs a graph, the kernel's in-place op otherwise.
template <class Outplace, class Inplace>
Tensor& activation_(Tensor& x, Outplace outplace, Inplace inplace) {
  if (autograd::inplace_needs_grad(x)) return autograd::apply_inplace(x, outplace);
  return inplace(x);
}

// g where mask holds, 0 elsewhere (a product, so it differentiates in g).
Tensor mask_grad(const Tensor& g, const Tensor& mask) { return mul(g, mask.to(g.dtype())); }

Tensor hardtanh_diff(const Tensor& g, const Tensor& x, double lo, double hi) {
  return mask_grad(g, logical_and(gt(x, lo), lt(x, hi)));
}

Tensor elu_diff(const Tensor& g, const Tensor& x, double alpha, double scale, double input_scale) {
  Tensor neg_branch = mul(g, mul(exp(mul(x, input_scale)), alpha * scale * input_scale));
  return where(gt(x, 0.0), mul(g, scale), neg_branch);
}

Tensor elu_fast(const Tensor& g, const Tensor& x, double alpha, double scale, double input_scale) {
  return ember::elu_backward(g, alpha, scale, input_scale, false, x);
}

}  // namespace

Tensor relu(const Tensor& x) {
  return activation("ReluBackward0", x, plain([&] { return ember::relu(x); }),
                    [](const Tensor& g, const Tensor& x) { return ember::threshold_backward(g, x, 0.0); },
                    [](const Tensor& g, const Tensor& x) { return mask_grad(g, gt(x, 0.0)); });
}
Tensor& relu_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::relu(s); }, [](Tensor& s) -> Tensor& { return ember::relu_(s); });
}

Tensor threshold(const Tensor& x, double th, double value) {
  return activation("ThresholdBackward0", x, plain([&] { return ember::threshold(x, th, value); }),
                    [th](const Tensor& g, const Tensor& x) { return ember::threshold_backward(g, x, th); },
                    [th](const Tensor& g, const Tensor& x) { return mask_grad(g, gt(x, th)); });
}
Tensor& threshold_(Tensor& x, double th, double value) {
  return activation_(x, [=](const Tensor& s) { return nn_autograd::threshold(s, th, value); },
                     [=](Tensor& s) -> Tensor& { return ember::threshold_(s, th, value); });
}

Tensor hardtanh(const Tensor& x, double lo, double hi) {
  return activation("HardtanhBackward0", x, plain([&] { return ember::hardtanh(x, lo, hi); }),
                    [lo, hi](const Tensor& g, const Tensor& x) { return ember::hardtanh_backward(g, x, lo, hi); },
                    [lo, hi](const Tensor& g, const Tensor& x) { return hardtanh_diff(g, x, lo, hi); });
}
Tensor& hardtanh_(Tensor& x, double lo, double hi) {
  return activation_(x, [=](const Tensor& s) { return nn_autograd::hardtanh(s, lo, hi); },
                     [=](Tensor& s) -> Tensor& { return ember::hardtanh_(s, lo, hi); });
}
Tensor relu6(const Tensor& x) { return nn_autograd::hardtanh(x, 0.0, 6.0); }
Tensor& relu6_(Tensor& x) { return nn_autograd::hardtanh_(x, 0.0, 6.0); }

Tensor leaky_relu(const Tensor& x, double slope) {
  return activation("LeakyReluBackward0", x, plain([&] { return ember::leaky_relu(x, slope); }),
                    [slope](const Tensor& g, const Tensor& x) { return ember::leaky_relu_backward(g, x, slope, false); },
                    [slope](const Tensor& g, const Tensor& x) { return where(gt(x, 0.0), g, mul(g, slope)); });
}
Tensor& leaky_relu_(Tensor& x, double slope) {
  return activation_(x, [=](const Tensor& s) { return nn_autograd::leaky_relu(s, slope); },
                     [=](Tensor& s) -> Tensor& { return ember::leaky_relu_(s, slope); });
}

Tensor elu(const Tensor& x, double alpha, double scale, double input_scale) {
  return activation("EluBackward0", x, plain([&] { return ember::elu(x, alpha, scale, input_scale); }),
                    [=](const Tensor& g, const Tensor& x) { return elu_fast(g, x, alpha, scale, input_scale); },
                    [=](const Tensor& g, const Tensor& x) { return elu_diff(g, x, alpha, scale, input_scale); });
}
Tensor& elu_(Tensor& x, double alpha, double scale, double input_scale) {
  return activation_(x, [=](const Tensor& s) { return nn_autograd::elu(s, alpha, scale, input_scale); },
                     [=](Tensor& s) -> Tensor& { return ember::elu_(s, alpha, scale, input_scale); });
}
Tensor selu(const Tensor& x) { return nn_autograd::elu(x, kSeluAlpha, kSeluScale, 1.0); }
Tensor& selu_(Tensor& x) { return nn_autograd::elu_(x, kSeluAlpha, kSeluScale, 1.0); }
Tensor celu(const Tensor& x, double alpha) {
  EMBER_CHECK(alpha != 0, RuntimeError, "[celu] ZeroDivisionError: alpha must be non-zero for celu");
  return nn_autograd::elu(x, alpha, 1.0, 1.0 / alpha);
}
Tensor& celu_(Tensor& x, double alpha) {
  EMBER_CHECK(alpha != 0, RuntimeError, "[celu_] ZeroDivisionError: alpha must be non-zero for celu");
  return nn_autograd::elu_(x, alpha, 1.0, 1.0 / alpha);
}

Tensor gelu(const Tensor& x, std::string_view approximate) {
  std::string approx(approximate);
  Tensor y = plain([&] { return ember::gelu(x, approximate); });  // validates `approximate`
  return activation("GeluBackward0", x, y,
                    [approx](const Tensor& g, const Tensor& x) { return ember::gelu_backward(g, x, approx); },
                    [approx](const Tensor& g, const Tensor& x) {
                      if (approx == "tanh") {
                        const double k = std::sqrt(2.0 / M_PI), c = 0.044715;
                        Tensor x2 = mul(x, x);
                        Tensor t = tanh(mul(mul(x, add(mul(x2, c), 1.0)), k));
                        Tensor dinner = mul(add(mul(x2, 3.0 * c), 1.0), k);
                        Tensor d = add(mul(add(t, 1.0), 0.5), mul(mul(mul(x, 0.5), sub(1.0, mul(t, t))), dinner));
                        return mul(g, d);
                      }
                      Tensor cdf = mul(add(erf(mul(x, M_SQRT1_2)), 1.0), 0.5);
                      Tensor pdf = mul(exp(mul(mul(x, x), -0.5)), 0.5 * M_2_SQRTPI * M_SQRT1_2);
                      return mul(g, add(cdf, mul(x, pdf)));
                    });
}

Tensor silu(const Tensor& x) {
  return activation("SiluBackward0", x, plain([&] { return ember::silu(x); }), &ember::silu_backward,
                    [](const Tensor& g, const Tensor& x) {
                      Tensor s = sigmoid(x);
                      return mul(mul(g, s), add(mul(x, sub(1.0, s)), 1.0));
                    });
}
Tensor& silu_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::silu(s); }, [](Tensor& s) -> Tensor& { return ember::silu_(s); });
}

Tensor mish(const Tensor& x) {
  return activation("MishBackward0", x, plain([&] { return ember::mish(x); }), &ember::mish_backward,
                    [](const Tensor& g, const Tensor& x) {
                      // mish = x tanh(softplus(x)): d/dx = t + x sigmoid(x) (1 - t^2).
                      Tensor t = tanh(nn_autograd::softplus(x));
                      return mul(g, add(t, mul(mul(x, sigmoid(x)), sub(1.0, mul(t, t)))));
                    });
}
Tensor& mish_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::mish(s); }, [](Tensor& s) -> Tensor& { return ember::mish_(s); });
}

Tensor softplus(const Tensor& x, double beta, double threshold) {
  return activation("SoftplusBackward0", x, plain([&] { return ember::softplus(x, beta, threshold); }),
                    [=](const Tensor& g, const Tensor& x) { return ember::softplus_backward(g, x, beta, threshold); },
                    [=](const Tensor& g, const Tensor& x) {
                      Tensor bx = mul(x, beta);
                      return where(gt(bx, threshold), g, mul(g, sigmoid(bx)));
                    });
}

Tensor hardsigmoid(const Tensor& x) {
  return activation("HardsigmoidBackward0", x, plain([&] { return ember::hardsigmoid(x); }), &ember::hardsigmoid_backward,
                    [](const Tensor& g, const Tensor& x) { return div(hardtanh_diff(g, x, -3.0, 3.0), 6.0); });
}
Tensor& hardsigmoid_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::hardsigmoid(s); },
                     [](Tensor& s) -> Tensor& { return ember::hardsigmoid_(s); });
}

Tensor hardswish(const Tensor& x) {
  return activation("HardswishBackward0", x, plain([&] { return ember::hardswish(x); }), &ember::hardswish_backward,
                    [](const Tensor& g, const Tensor& x) {
                      Tensor mid = mul(g, add(div(x, 3.0), 0.5));
                      return where(lt(x, -3.0), zeros_like(g, TensorOptions(g.dtype()).device(g.device())), where(le(x, 3.0), mid, g));
                    });
}
Tensor& hardswish_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::hardswish(s); },
                     [](Tensor& s) -> Tensor& { return ember::hardswish_(s); });
}

Tensor softsign(const Tensor& x) {
  return activation("SoftsignBackward0", x, plain([&] { return ember::softsign(x); }), &ember::softsign_backward,
                    [](const Tensor& g, const Tensor& x) {
                      Tensor d = add(abs(x), 1.0);
                      return div(g, mul(d, d));
                    });
}

Tensor hardshrink(const Tensor& x, double lambd) {
  return activation("HardshrinkBackward0", x, plain([&] { return ember::hardshrink(x, lambd); }),
                    [lambd](const Tensor& g, const Tensor& x) { return ember::hardshrink_backward(g, x, lambd); },
                    [lambd](const Tensor& g, const Tensor& x) { return mask_grad(g, gt(abs(x), lambd)); });
}

Tensor softshrink(const Tensor& x, double lambd) {
  return activation("SoftshrinkBackward0", x, plain([&] { return ember::softshrink(x, lambd); }),
                    [lambd](const Tensor& g, const Tensor& x) { return ember::softshrink_backward(g, x, lambd); },
                    [lambd](const Tensor& g, const Tensor& x) { return mask_grad(g, gt(abs(x), lambd)); });
}

Tensor log_sigmoid(const Tensor& x) {
  return activation("LogSigmoidBackward0", x, plain([&] { return ember::log_sigmoid(x); }), &ember::log_sigmoid_backward,
                    [](const Tensor& g, const Tensor& x) { return mul(g, sigmoid(neg(x))); });
}

}  // namespace ember::nn_autograd
