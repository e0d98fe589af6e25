// Autograd for batch, layer, group and RMS norm. Only the normalised output
// is differentiable; the saved statistics are returned as plain tensors.
// Without a graph the formulas run the fused backward kernels; when the
// gradient itself must be differentiable (create_graph) they are written
// with ops from the closed form below (Note [NN double backward]).
//
// Note [Normalisation backward as ops]
// With xhat = (x - mean) * rstd, rstd = 1 / sqrt(var + eps), statistics
// (biased) over the normalised dims R, and y = xhat * w + b:
//   gxhat = gy * w
//   gx    = rstd * (gxhat - mean_R(gxhat) - xhat * mean_R(gxhat * xhat))
//   gw    = sum over the other dims of gy * xhat,  gb = sum of gy.
// RMS norm has no centring (xhat = x * rstd, rstd = 1 / sqrt(mean_R(x^2) +
// eps)) and drops the mean_R(gxhat) term. Batch norm in eval uses the
// running statistics, constants: gx = gxhat * rstd. The statistics are
// recomputed from x with ops (not taken from the saved ones, which carry no
// graph), so the result is differentiable in x, w and gy to any order.
#include "ember/core/dtype_info.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/reduce.h"
#include "ember/ops/unary.h"
#include "nn_autograd_common.h"

namespace ember::nn_autograd {

using namespace detail;

namespace {

// sum() reduces every dim for an empty list; here no dims means no sum.
Tensor sum_over(const Tensor& t, const DimVector& dims) { return dims.empty() ? t : sum(t, dims); }

DimVector dim_range(int64_t begin, int64_t end, DimVector r = {}) {
  for (int64_t d = begin; d < end; ++d) r.push_back(d);
  return r;
}

// Note [Normalisation backward as ops]: (gx, xhat) for statistics over `rd`.
std::pair<Tensor, Tensor> normalize_backward(const Tensor& gxhat, const Tensor& x, const DimVector& rd, double eps,
                                             bool center) {
  Tensor xc = center ? sub(x, mean(x, rd, true)) : x;
  Tensor rstd = rsqrt(add(mean(mul(xc, xc), rd, true), eps));
  Tensor xhat = mul(xc, rstd);
  Tensor inner = mul(xhat, mean(mul(gxhat, xhat), rd, true));
  if (center) inner = add(inner, mean(gxhat, rd, true));
  return {mul(sub(gxhat, inner), rstd), xhat};
}

// (gx, gw, gb) for the inputs that need them, in the caller's dtype (the
// engine casts gw and gb to the parameters' own).
template <class Gw, class Gb>
variable_list norm_grads(BackwardCtx& ctx, DType dtype, const Tensor& gx, Gw gw, Gb gb) {
  return {ctx.needs_input_grad(0) ? cast_to(gx, dtype) : Tensor(),
          ctx.needs_input_grad(1) ? cast_to(gw(), dtype) : Tensor(),
          ctx.needs_input_grad(2) ? cast_to(gb(), dtype) : Tensor()};
}

// (1, C, 1, ...) for broadcasting a per-channel tensor over x (N, C, *).
DimVector channel_shape(const Tensor& x) {
  DimVector s(static_cast<size_t>(x.dim()), 1);
  s[1] = x.size(1);
  return s;
}

variable_list batch_norm_diff(BackwardCtx& ctx, const Tensor& x_in, const Tensor& w_in, const Tensor& rm,
                              const Tensor& rv, bool training, double eps) {
  Tensor gy = upcast(ctx.grad()), x = upcast(x_in), w = upcast(w_in);
  DimVector rd = dim_range(2, x.dim(), {0}), cs = channel_shape(x);
  Tensor gxhat = w.defined() ? mul(gy, w.reshape(cs)) : gy;
  Tensor gx, xhat;
  if (training) {
    std::tie(gx, xhat) = normalize_backward(gxhat, x, rd, eps, true);
  } else {
    Tensor rstd = rsqrt(add(upcast(rv), eps)).reshape(cs);
    xhat = mul(sub(x, upcast(rm).reshape(cs)), rstd);
    gx = mul(gxhat, rstd);
  }
  return norm_grads(ctx, x_in.dtype(), gx, [&] { return sum(mul(gy, xhat), rd); }, [&] { return sum(gy, rd); });
}

// Layer and RMS norm: statistics over the trailing k dims, w of their shape.
variable_list trailing_norm_diff(BackwardCtx& ctx, const Tensor& x_in, const Tensor& w_in, int64_t k, double eps,
                                 bool center) {
  Tensor gy = upcast(ctx.grad()), x = upcast(x_in), w = upcast(w_in);
  DimVector lead = dim_range(0, x.dim() - k), rd = dim_range(x.dim() - k, x.dim());
  auto [gx, xhat] = normalize_backward(w.defined() ? mul(gy, w) : gy, x, rd, eps, center);
  return norm_grads(ctx, x_in.dtype(), gx, [&] { return sum_over(mul(gy, xhat), lead); },
                    [&] { return sum_over(gy, lead); });
}

variable_list group_norm_diff(BackwardCtx& ctx, const Tensor& x_in, const Tensor& w_in, int64_t N, int64_t C,
                              int64_t HxW, int64_t group, double eps) {
  Tensor gy = upcast(ctx.grad()), x = upcast(x_in), w = upcast(w_in);
  DimVector rd = dim_range(2, x.dim(), {0}), grouped{N, group, C / group * HxW};
  Tensor gxhat = w.defined() ? mul(gy, w.reshape(channel_shape(x))) : gy;
  auto [gx, xhat] = normalize_backward(gxhat.reshape(grouped), x.reshape(grouped), DimVector{2}, eps, true);
  return norm_grads(ctx, x_in.dtype(), gx.reshape(x.sizes()),
                    [&] { return sum(mul(gy, xhat.reshape(x.sizes())), rd); }, [&] { return sum(gy, rd); });
}

// Whether the formula must build a graph (create_graph and something to differentiate).
bool wants_graph(BackwardCtx& ctx, const Tensor& x, const Tensor& w) {
  return autograd::needs_grad({ctx.grad(), x, w});
}

}  // namespace

Tensor3 native_batch_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias,
                          const OptTensor& running_mean, const OptTensor& running_var, bool training, double momentum,
                          double eps) {
  Tensor3 r = plain([&] {
    return ember::native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps);
  });
  const auto& [out, save_mean, save_invstd] = r;
  autograd::record("NativeBatchNormBackward0", {input, undef(weight), undef(bias)}, out, [&] {
    // In eval the backward reads the running statistics, which must not
    // change before it runs (saved with their version).
    bool use_running = !training;
    return [si = SavedVariable(input, false), sw = save(weight), srm = use_running ? save(running_mean) : SavedVariable(),
            srv = use_running ? save(running_var) : SavedVariable(), ssm = save(opt(save_mean)),
            ssi = save(opt(save_invstd)), training, eps](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = unpack(ctx, sw), rm = unpack(ctx, srm), rv = unpack(ctx, srv);
      if (wants_graph(ctx, x, w)) return batch_norm_diff(ctx, x, w, rm, rv, training, eps);
      return plain([&] {
        return list3(ember::native_batch_norm_backward(ctx.grad(), x, opt(w), opt(rm), opt(rv), opt(unpack(ctx, ssm)),
                                                       opt(unpack(ctx, ssi)), training, eps, mask3(ctx)));
      });
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
            sr = SavedVariable(rstd, false), normalized_shape, eps](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = unpack(ctx, sw);
      if (wants_graph(ctx, x, w))
        return trailing_norm_diff(ctx, x, w, static_cast<int64_t>(normalized_shape.size()), eps, true);
      return plain([&] {
        return list3(ember::native_layer_norm_backward(ctx.grad(), x, normalized_shape, ctx.unpack(sm),
                                                       ctx.unpack(sr), opt(w), opt(unpack(ctx, sb)), mask3(ctx)));
      });
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
            sr = SavedVariable(rstd, false), N, C, HxW, group, eps](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = unpack(ctx, sw);
      if (wants_graph(ctx, x, w)) return group_norm_diff(ctx, x, w, N, C, HxW, group, eps);
      return plain([&] {
        return list3(ember::native_group_norm_backward(ctx.grad(), x, ctx.unpack(sm), ctx.unpack(sr), opt(w), N, C,
                                                       HxW, group, mask3(ctx)));
      });
    };
  });
  return r;
}

Tensor rms_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                std::optional<double> eps) {
  if (!autograd::needs_grad({input, undef(weight)})) return ember::rms_norm(input, normalized_shape, weight, eps);
  auto [out, rstd] = plain([&] { return ember::_fused_rms_norm(input, normalized_shape, weight, eps); });
  // The kernel's default eps, for the formula written with ops.
  const double e = eps ? *eps : finfo(input.dtype()).eps;
  autograd::record("FusedRmsNormBackward0", {input, undef(weight)}, out, [&] {
    return [si = SavedVariable(input, false), sw = save(weight), sr = SavedVariable(rstd, false), normalized_shape,
            e](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), w = unpack(ctx, sw);
      if (wants_graph(ctx, x, w)) {
        variable_list g = trailing_norm_diff(ctx, x, w, static_cast<int64_t>(normalized_shape.size()), e, false);
        g.pop_back();  // no bias
        return g;
      }
      auto [gx, gw] = plain([&] {
        return ember::_fused_rms_norm_backward(ctx.grad(), x, normalized_shape, ctx.unpack(sr), opt(w),
                                               {ctx.needs_input_grad(0), ctx.needs_input_grad(1)});
      });
      return {gx, gw};
    };
  });
  return out;
}

}  // namespace ember::nn_autograd
