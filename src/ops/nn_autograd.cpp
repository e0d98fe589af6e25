// Autograd for the layer ops of ops/nn.h: the forward kernel, then a node
// named as PyTorch names it whose formula calls the *_backward op.
//
// Note [NN double backward]
// The *_backward kernels of convolution, pooling, normalisation and the
// losses do not record. When a formula runs with create_graph set, its
// gradients are attached to a "NotImplemented" node, so a first derivative
// with create_graph works and only a second backward through it raises
// "[op] double backward is not supported" (instead of silently treating the
// first gradient as a constant). Activations use the fast backward kernel
// when no graph is wanted and differentiable elementwise formulas when it
// is; im2col and col2im are each other's adjoints and so differentiable to
// any order.
#include "ember/ops/nn_autograd.h"

#include <cmath>
#include <functional>
#include <string>

#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"
#include "ember/ops/unary.h"

namespace ember::nn_autograd {

using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

namespace {

OptTensor opt(const Tensor& t) { return t.defined() ? OptTensor(t) : std::nullopt; }
Tensor undef(const OptTensor& t) { return t ? *t : Tensor(); }
SavedVariable save(const OptTensor& t) { return t ? SavedVariable(*t, false) : SavedVariable(); }
Tensor unpack(BackwardCtx& ctx, const SavedVariable& v) { return v.defined() ? ctx.unpack(v) : Tensor(); }

// Note [NN double backward]: gradients computed by a non-recording kernel
// under create_graph get a node that refuses to be differentiated.
void forbid_double_backward(const char* op, const variable_list& inputs, const variable_list& grads) {
  if (!GradMode::is_enabled()) return;
  autograd::record("NotImplemented", inputs, grads, [op] {
    return [op](BackwardCtx&) -> variable_list {
      EMBER_THROW(NotImplementedError, "[", op, "] double backward is not supported");
    };
  });
}

// Runs a kernel op without recording: the ops it may call inside would only
// build a graph that this file's node replaces (CONTRIBUTING: a forward that
// records its own node runs the ops it calls under NoGradGuard).
template <class Fn>
auto plain(Fn&& fn) {
  NoGradGuard guard;
  return fn();
}

Mask3 mask3(BackwardCtx& ctx, bool has_third = true) {
  return {ctx.needs_input_grad(0), ctx.needs_input_grad(1), has_third && ctx.needs_input_grad(2)};
}

variable_list list3(const Tensor3& t) { return {std::get<0>(t), std::get<1>(t), std::get<2>(t)}; }

}  // namespace

// ---- convolution and unfold/fold

Tensor convolution(const Tensor& input, const Tensor& weight, const OptTensor& bias, const DimVector& stride,
                   const DimVector& padding, const DimVector& dilation, bool transposed,
                   const DimVector& output_padding, int64_t groups) {
  Tensor out = plain([&] { return ember::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups); });
  autograd::record("ConvolutionBackward0", {input, weight, undef(bias)}, out, [&] {
    return [si = SavedVariable(input, false), sw = SavedVariable(weight, false), has_bias = bias.has_value(), stride,
            padding, dilation, transposed, output_padding, groups](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = ctx.unpack(sw);
      variable_list g = plain([&] { return list3(ember::convolution_backward(ctx.grad(), x, w, stride, padding, dilation, transposed,
                                                          output_padding, groups, mask3(ctx, has_bias))); });
      forbid_double_backward(transposed ? "conv_transpose" : "conv", {ctx.grad(), x, w}, g);
      return g;
    };
  });
  return out;
}

Tensor im2col(const Tensor& input, const DimVector& kernel_size, const DimVector& dilation, const DimVector& padding,
              const DimVector& stride) {
  Tensor out = plain([&] { return ember::im2col(input, kernel_size, dilation, padding, stride); });
  autograd::record("Im2ColBackward0", {input}, out, [&] {
    DimVector spatial{input.size(-2), input.size(-1)};
    return [spatial, kernel_size, dilation, padding, stride](BackwardCtx& ctx) -> variable_list {
      return {nn_autograd::col2im(ctx.grad(), spatial, kernel_size, dilation, padding, stride)};
    };
  });
  return out;
}

Tensor col2im(const Tensor& input, const DimVector& output_size, const DimVector& kernel_size,
              const DimVector& dilation, const DimVector& padding, const DimVector& stride) {
  Tensor out = plain([&] { return ember::col2im(input, output_size, kernel_size, dilation, padding, stride); });
  autograd::record("Col2ImBackward0", {input}, out, [&] {
    return [kernel_size, dilation, padding, stride](BackwardCtx& ctx) -> variable_list {
      return {nn_autograd::im2col(ctx.grad(), kernel_size, dilation, padding, stride)};
    };
  });
  return out;
}

// ---- pooling

namespace {
using MaxPoolBwd = Tensor (*)(const Tensor&, const Tensor&, const DimVector&, const DimVector&, const DimVector&,
                              const DimVector&, bool, const Tensor&);

void record_max_pool(const char* name, const char* op, MaxPoolBwd bwd, const Tensor& input, const Tensor2& r,
                     const DimVector& k, const DimVector& s, const DimVector& p, const DimVector& d, bool ceil_mode) {
  const auto& [out, indices] = r;
  autograd::record(name, {input}, {out, indices}, [&] {
    return [si = SavedVariable(input, false), sidx = SavedVariable(indices, true, 1), bwd, op, k, s, p, d,
            ceil_mode](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si);
      Tensor g = plain([&] { return bwd(ctx.grad(), x, k, s, p, d, ceil_mode, ctx.unpack(sidx)); });
      forbid_double_backward(op, {ctx.grad(), x}, {g});
      return {g};
    };
  });
}
}  // namespace

Tensor2 max_pool1d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                const DimVector& padding, const DimVector& dilation, bool ceil_mode) {
  Tensor2 r = plain([&] { return ember::max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode); });
  record_max_pool("MaxPool1DWithIndicesBackward0", "max_pool1d", &ember::max_pool1d_with_indices_backward, input, r,
                  kernel_size, stride, padding, dilation, ceil_mode);
  return r;
}

Tensor2 max_pool2d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                const DimVector& padding, const DimVector& dilation, bool ceil_mode) {
  Tensor2 r = plain([&] { return ember::max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode); });
  record_max_pool("MaxPool2DWithIndicesBackward0", "max_pool2d", &ember::max_pool2d_with_indices_backward, input, r,
                  kernel_size, stride, padding, dilation, ceil_mode);
  return r;
}

Tensor avg_pool1d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride, const DimVector& padding,
                  bool ceil_mode, bool count_include_pad) {
  Tensor out = plain([&] { return ember::avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad); });
  autograd::record("AvgPool1DBackward0", {input}, out, [&] {
    return [si = SavedVariable(input, false), kernel_size, stride, padding, ceil_mode,
            count_include_pad](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si);
      Tensor g = plain([&] { return ember::avg_pool1d_backward(ctx.grad(), x, kernel_size, stride, padding, ceil_mode, count_include_pad); });
      forbid_double_backward("avg_pool1d", {ctx.grad()}, {g});
      return {g};
    };
  });
  return out;
}

Tensor avg_pool2d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride, const DimVector& padding,
                  bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
  Tensor out = plain([&] { return ember::avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override); });
  autograd::record("AvgPool2DBackward0", {input}, out, [&] {
    return [si = SavedVariable(input, false), kernel_size, stride, padding, ceil_mode, count_include_pad,
            divisor_override](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si);
      Tensor g = plain([&] { return ember::avg_pool2d_backward(ctx.grad(), x, kernel_size, stride, padding, ceil_mode,
                                            count_include_pad, divisor_override); });
      forbid_double_backward("avg_pool2d", {ctx.grad()}, {g});
      return {g};
    };
  });
  return out;
}

namespace {
using AdaptiveAvgBwd = Tensor (*)(const Tensor&, const Tensor&);
using AdaptiveMaxBwd = Tensor (*)(const Tensor&, const Tensor&, const Tensor&);

Tensor record_adaptive_avg(const char* name, const char* op, AdaptiveAvgBwd bwd, const Tensor& input,
                           const Tensor& out) {
  autograd::record(name, {input}, out, [&] {
    return [si = SavedVariable(input, false), bwd, op](BackwardCtx& ctx) -> variable_list {
      Tensor g = plain([&] { return bwd(ctx.grad(), ctx.unpack(si)); });
      forbid_double_backward(op, {ctx.grad()}, {g});
      return {g};
    };
  });
  return out;
}

Tensor2 record_adaptive_max(const char* name, const char* op, AdaptiveMaxBwd bwd, const Tensor& input,
                            const Tensor2& r) {
  const auto& [out, indices] = r;
  autograd::record(name, {input}, {out, indices}, [&] {
    return [si = SavedVariable(input, false), sidx = SavedVariable(indices, true, 1), bwd,
            op](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si);
      Tensor g = plain([&] { return bwd(ctx.grad(), x, ctx.unpack(sidx)); });
      forbid_double_backward(op, {ctx.grad(), x}, {g});
      return {g};
    };
  });
  return r;
}
}  // namespace

Tensor adaptive_avg_pool1d(const Tensor& input, const DimVector& output_size) {
  return record_adaptive_avg("AdaptiveAvgPool1DBackward0", "adaptive_avg_pool1d", &ember::adaptive_avg_pool1d_backward,
                             input, plain([&] { return ember::adaptive_avg_pool1d(input, output_size); }));
}
Tensor adaptive_avg_pool2d(const Tensor& input, const DimVector& output_size) {
  return record_adaptive_avg("AdaptiveAvgPool2DBackward0", "adaptive_avg_pool2d", &ember::adaptive_avg_pool2d_backward,
                             input, plain([&] { return ember::adaptive_avg_pool2d(input, output_size); }));
}
Tensor2 adaptive_max_pool1d(const Tensor& input, const DimVector& output_size) {
  return record_adaptive_max("AdaptiveMaxPool1DBackward0", "adaptive_max_pool1d",
                             &ember::adaptive_max_pool1d_backward, input,
                             ember::adaptive_max_pool1d(input, output_size));
}
Tensor2 adaptive_max_pool2d(const Tensor& input, const DimVector& output_size) {
  return record_adaptive_max("AdaptiveMaxPool2DBackward0", "adaptive_max_pool2d",
                             &ember::adaptive_max_pool2d_backward, input,
                             ember::adaptive_max_pool2d(input, output_size));
}

// ---- normalisation: only the normalised output is differentiable; the
// saved statistics are returned as plain tensors.

Tensor3 native_batch_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias,
                          const OptTensor& running_mean, const OptTensor& running_var, bool training, double momentum,
                          double eps) {
  Tensor3 r = plain([&] { return ember::native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps); });
  const auto& [out, save_mean, save_invstd] = r;
  autograd::record("NativeBatchNormBackward0", {input, undef(weight), undef(bias)}, out, [&] {
    // In eval the backward reads the running statistics, which must not
    // change before it runs (saved with their version).
    bool use_running = !training;
    return [si = SavedVariable(input, false), sw = save(weight), srm = use_running ? save(running_mean) : SavedVariable(),
            srv = use_running ? save(running_var) : SavedVariable(), ssm = save(opt(save_mean)),
            ssi = save(opt(save_invstd)), training, eps](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = unpack(ctx, sw);
      variable_list g = plain([&] { return list3(ember::native_batch_norm_backward(
          ctx.grad(), x, opt(w), opt(unpack(ctx, srm)), opt(unpack(ctx, srv)), opt(unpack(ctx, ssm)),
          opt(unpack(ctx, ssi)), training, eps, mask3(ctx))); });
      forbid_double_backward("batch_norm", {ctx.grad(), x, w}, g);
      return g;
    };
  });
  return r;
}

Tensor3 native_layer_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                          const OptTensor& bias, double eps) {
  Tensor3 r = plain([&] { return ember::native_layer_norm(input, normalized_shape, weight, bias, eps); });
  const auto& [out, mean, rstd] = r;
  autograd::record("NativeLayerNormBackward0", {input, undef(weight), undef(bias)}, out, [&] {
    return [si = SavedVariable(input, false), sw = save(weight), sb = save(bias), sm = SavedVariable(mean, false),
            sr = SavedVariable(rstd, false), normalized_shape](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = unpack(ctx, sw);
      variable_list g = plain([&] { return list3(ember::native_layer_norm_backward(ctx.grad(), x, normalized_shape, ctx.unpack(sm),
                                                                ctx.unpack(sr), opt(w), opt(unpack(ctx, sb)),
                                                                mask3(ctx))); });
      forbid_double_backward("layer_norm", {ctx.grad(), x, w}, g);
      return g;
    };
  });
  return r;
}

Tensor3 native_group_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias, int64_t N, int64_t C,
                          int64_t HxW, int64_t group, double eps) {
  Tensor3 r = plain([&] { return ember::native_group_norm(input, weight, bias, N, C, HxW, group, eps); });
  const auto& [out, mean, rstd] = r;
  autograd::record("NativeGroupNormBackward0", {input, undef(weight), undef(bias)}, out, [&] {
    return [si = SavedVariable(input, false), sw = save(weight), sm = SavedVariable(mean, false),
            sr = SavedVariable(rstd, false), N, C, HxW, group](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = unpack(ctx, sw);
      variable_list g = plain([&] { return list3(ember::native_group_norm_backward(ctx.grad(), x, ctx.unpack(sm), ctx.unpack(sr), opt(w),
                                                                N, C, HxW, group, mask3(ctx))); });
      forbid_double_backward("group_norm", {ctx.grad(), x, w}, g);
      return g;
    };
  });
  return r;
}

Tensor rms_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                std::optional<double> eps) {
  if (!autograd::needs_grad({input, undef(weight)})) return ember::rms_norm(input, normalized_shape, weight, eps);
  auto [out, rstd] = plain([&] { return ember::_fused_rms_norm(input, normalized_shape, weight, eps); });
  autograd::record("FusedRmsNormBackward0", {input, undef(weight)}, out, [&] {
    return [si = SavedVariable(input, false), sw = save(weight), sr = SavedVariable(rstd, false),
            normalized_shape](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = unpack(ctx, sw);
      auto [gx, gw] = plain([&] { return ember::_fused_rms_norm_backward(ctx.grad(), x, normalized_shape, ctx.unpack(sr), opt(w),
                                                      {ctx.needs_input_grad(0), ctx.needs_input_grad(1)}); });
      forbid_double_backward("rms_norm", {ctx.grad(), x, w}, {gx, gw});
      return {gx, gw};
    };
  });
  return out;
}

// ---- losses

namespace {
void check_no_weight_grad(const char* op, const OptTensor& weight) {
  EMBER_CHECK(!(weight && weight->requires_grad() && GradMode::is_enabled()), NotImplementedError, "[", op,
              "] the derivative for 'weight' is not implemented.");
}
}  // namespace

Tensor cross_entropy_loss(const Tensor& input, const Tensor& target, const OptTensor& weight, int64_t reduction,
                          int64_t ignore_index, double label_smoothing) {
  check_no_weight_grad("cross_entropy", weight);
  Tensor out = plain([&] { return ember::cross_entropy_loss(input, target, weight, reduction, ignore_index, label_smoothing); });
  autograd::record("CrossEntropyLossBackward0", {input, target}, out, [&] {
    return [si = SavedVariable(input, false), st = SavedVariable(target, false), sw = save(weight), reduction,
            ignore_index, label_smoothing](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), t = ctx.unpack(st), w = unpack(ctx, sw);
      Tensor gx, gt;
      if (ctx.needs_input_grad(0)) {
        gx = plain([&] { return ember::cross_entropy_loss_backward(ctx.grad(), x, t, opt(w), reduction, ignore_index, label_smoothing); });
        forbid_double_backward("cross_entropy", {ctx.grad(), x, t}, {gx});
      }
      if (ctx.needs_input_grad(1)) {
        // Probability targets: d loss / d t_c = -(1 - ls) w_c log_softmax(x)_c,
        // scaled by the incoming gradient (per sample for reduction none, and
        // divided by the number of samples for mean, as the forward does).
        int64_t cdim = x.dim() >= 2 ? 1 : 0;
        int64_t C = x.size(cdim);
        Tensor coef = mul(log_softmax(x, cdim), -(1.0 - label_smoothing));
        if (w.defined()) {
          DimVector shape(static_cast<size_t>(x.dim()), 1);
          shape[static_cast<size_t>(cdim)] = C;
          coef = mul(coef, w.reshape(shape));
        }
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
      Tensor x = ctx.unpack(si), t = ctx.unpack(st);
      Tensor g = plain([&] { return ember::nll_loss_backward(ctx.grad(), x, t, opt(unpack(ctx, sw)), reduction, ignore_index,
                                          ctx.unpack(stw)); });
      forbid_double_backward("nll_loss", {ctx.grad()}, {g});
      return {g};
    };
  });
  return out;
}

// ---- resampling

Tensor upsample_nearest2d(const Tensor& input, const DimVector& output_size, std::optional<double> scales_h,
                          std::optional<double> scales_w) {
  Tensor out = plain([&] { return ember::upsample_nearest2d(input, output_size, scales_h, scales_w); });
  autograd::record("UpsampleNearest2DBackward0", {input}, out, [&] {
    return [in_size = input.sizes(), output_size, scales_h, scales_w](BackwardCtx& ctx) -> variable_list {
      Tensor g = plain([&] { return ember::upsample_nearest2d_backward(ctx.grad(), output_size, in_size, scales_h, scales_w); });
      forbid_double_backward("upsample_nearest2d", {ctx.grad()}, {g});
      return {g};
    };
  });
  return out;
}

Tensor upsample_bilinear2d(const Tensor& input, const DimVector& output_size, bool align_corners,
                           std::optional<double> scales_h, std::optional<double> scales_w) {
  Tensor out = plain([&] { return ember::upsample_bilinear2d(input, output_size, align_corners, scales_h, scales_w); });
  autograd::record("UpsampleBilinear2DBackward0", {input}, out, [&] {
    return [in_size = input.sizes(), output_size, align_corners, scales_h,
            scales_w](BackwardCtx& ctx) -> variable_list {
      Tensor g =
          ember::upsample_bilinear2d_backward(ctx.grad(), output_size, in_size, align_corners, scales_h, scales_w);
      forbid_double_backward("upsample_bilinear2d", {ctx.grad()}, {g});
      return {g};
    };
  });
  return out;
}

// ---- activations

namespace {

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

using GradFn = std::function<Tensor(const Tensor& grad, const Tensor& x)>;

// y = f(x) records `name`; its formula runs the backward kernel (`fast`)
// without a graph and the differentiable `diff` with one (Note [NN double
// backward]); an activation with no `diff` refuses double backward.
Tensor activation(const char* name, const char* op, const Tensor& x, const Tensor& y, GradFn fast, GradFn diff) {
  autograd::record(name, {x}, y, [&] {
    return [sx = SavedVariable(x, false), fast = std::move(fast), diff = std::move(diff),
            op](BackwardCtx& ctx) -> variable_list {
      Tensor xv = ctx.unpack(sx);
      if (GradMode::is_enabled() && diff) return {diff(ctx.grad(), xv)};
      Tensor g = plain([&] { return fast(ctx.grad(), xv); });
      forbid_double_backward(op, {ctx.grad(), xv}, {g});
      return {g};
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
  return activation("ReluBackward0", "relu", x, plain([&] { return ember::relu(x); }),
                    [](const Tensor& g, const Tensor& x) { return ember::threshold_backward(g, x, 0.0); },
                    [](const Tensor& g, const Tensor& x) { return mask_grad(g, gt(x, 0.0)); });
}
Tensor& relu_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::relu(s); }, [](Tensor& s) -> Tensor& { return ember::relu_(s); });
}

Tensor threshold(const Tensor& x, double th, double value) {
  return activation("ThresholdBackward0", "threshold", x, plain([&] { return ember::threshold(x, th, value); }),
                    [th](const Tensor& g, const Tensor& x) { return ember::threshold_backward(g, x, th); },
                    [th](const Tensor& g, const Tensor& x) { return mask_grad(g, gt(x, th)); });
}
Tensor& threshold_(Tensor& x, double th, double value) {
  return activation_(x, [=](const Tensor& s) { return nn_autograd::threshold(s, th, value); },
                     [=](Tensor& s) -> Tensor& { return ember::threshold_(s, th, value); });
}

Tensor hardtanh(const Tensor& x, double lo, double hi) {
  return activation("HardtanhBackward0", "hardtanh", x, plain([&] { return ember::hardtanh(x, lo, hi); }),
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
  return activation("LeakyReluBackward0", "leaky_relu", x, plain([&] { return ember::leaky_relu(x, slope); }),
                    [slope](const Tensor& g, const Tensor& x) { return ember::leaky_relu_backward(g, x, slope, false); },
                    [slope](const Tensor& g, const Tensor& x) { return where(gt(x, 0.0), g, mul(g, slope)); });
}
Tensor& leaky_relu_(Tensor& x, double slope) {
  return activation_(x, [=](const Tensor& s) { return nn_autograd::leaky_relu(s, slope); },
                     [=](Tensor& s) -> Tensor& { return ember::leaky_relu_(s, slope); });
}

Tensor elu(const Tensor& x, double alpha, double scale, double input_scale) {
  return activation("EluBackward0", "elu", x, plain([&] { return ember::elu(x, alpha, scale, input_scale); }),
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
  return activation("GeluBackward0", "gelu", x, y,
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
  return activation("SiluBackward0", "silu", x, plain([&] { return ember::silu(x); }), &ember::silu_backward,
                    [](const Tensor& g, const Tensor& x) {
                      Tensor s = sigmoid(x);
                      return mul(mul(g, s), add(mul(x, sub(1.0, s)), 1.0));
                    });
}
Tensor& silu_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::silu(s); }, [](Tensor& s) -> Tensor& { return ember::silu_(s); });
}

Tensor mish(const Tensor& x) {
  return activation("MishBackward0", "mish", x, plain([&] { return ember::mish(x); }), &ember::mish_backward, nullptr);
}
Tensor& mish_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::mish(s); }, [](Tensor& s) -> Tensor& { return ember::mish_(s); });
}

Tensor softplus(const Tensor& x, double beta, double threshold) {
  return activation("SoftplusBackward0", "softplus", x, plain([&] { return ember::softplus(x, beta, threshold); }),
                    [=](const Tensor& g, const Tensor& x) { return ember::softplus_backward(g, x, beta, threshold); },
                    [=](const Tensor& g, const Tensor& x) {
                      Tensor bx = mul(x, beta);
                      return where(gt(bx, threshold), g, mul(g, sigmoid(bx)));
                    });
}

Tensor hardsigmoid(const Tensor& x) {
  return activation("HardsigmoidBackward0", "hardsigmoid", x, plain([&] { return ember::hardsigmoid(x); }), &ember::hardsigmoid_backward,
                    [](const Tensor& g, const Tensor& x) { return div(hardtanh_diff(g, x, -3.0, 3.0), 6.0); });
}
Tensor& hardsigmoid_(Tensor& x) {
  return activation_(x, [](const Tensor& s) { return nn_autograd::hardsigmoid(s); },
                     [](Tensor& s) -> Tensor& { return ember::hardsigmoid_(s); });
}

Tensor hardswish(const Tensor& x) {
  return activation("HardswishBackward0", "hardswish", x, plain([&] { return ember::hardswish(x); }), &ember::hardswish_backward,
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
  return activation("SoftsignBackward0", "softsign", x, plain([&] { return ember::softsign(x); }), &ember::softsign_backward,
                    [](const Tensor& g, const Tensor& x) {
                      Tensor d = add(abs(x), 1.0);
                      return div(g, mul(d, d));
                    });
}

Tensor hardshrink(const Tensor& x, double lambd) {
  return activation("HardshrinkBackward0", "hardshrink", x, plain([&] { return ember::hardshrink(x, lambd); }),
                    [lambd](const Tensor& g, const Tensor& x) { return ember::hardshrink_backward(g, x, lambd); },
                    [lambd](const Tensor& g, const Tensor& x) { return mask_grad(g, gt(abs(x), lambd)); });
}

Tensor softshrink(const Tensor& x, double lambd) {
  return activation("SoftshrinkBackward0", "softshrink", x, plain([&] { return ember::softshrink(x, lambd); }),
                    [lambd](const Tensor& g, const Tensor& x) { return ember::softshrink_backward(g, x, lambd); },
                    [lambd](const Tensor& g, const Tensor& x) { return mask_grad(g, gt(abs(x), lambd)); });
}

Tensor log_sigmoid(const Tensor& x) {
  return activation("LogSigmoidBackward0", "log_sigmoid", x, plain([&] { return ember::log_sigmoid(x); }), &ember::log_sigmoid_backward,
                    [](const Tensor& g, const Tensor& x) { return mul(g, sigmoid(neg(x))); });
}

}  // namespace ember::nn_autograd
