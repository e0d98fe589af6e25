// Autograd for pooling and 2-D upsampling. Each forward records a node
// whose formula runs the backward kernel through a differentiable wrapper:
// the gradient of every op here is linear in grad_output and does not
// depend on the input's values (max pooling's indices are piecewise
// constant), so the wrapper records one node on grad_output whose formula
// is the adjoint of that linear map: the forward pool or upsample of the
// incoming gradient, or for max pooling a gather at the saved indices
// (Note [NN double backward]). Those are recording ops, so every order of
// derivative follows.
#include <functional>

#include "ember/ops/scatter.h"
#include "nn_autograd_common.h"

namespace ember::nn_autograd {

using namespace detail;

namespace {

using Adjoint = std::function<Tensor(const Tensor& grad)>;

// g = backward(gy, self), recorded as `name` with the formula adjoint(gg).
// self (undefined for upsampling) is an input as in PyTorch, whose
// derivative is zero: so g requires grad when self does, as there.
Tensor record_linear(const char* name, const Tensor& grad_output, const Tensor& self, const Tensor& g,
                     Adjoint adjoint) {
  autograd::record(name, {grad_output, self}, g, [&] {
    return [adjoint = std::move(adjoint), self_meta = autograd::TensorMeta(self.defined() ? self : g)](
               BackwardCtx& ctx) -> variable_list {
      return {ctx.needs_input_grad(0) ? adjoint(ctx.grad()) : Tensor(),
              ctx.needs_input_grad(1) ? self_meta.zeros() : Tensor()};
    };
  });
  return g;
}

// Max pooling's gradient scatters gy to the flat positions `indices` within
// the last k dims of each plane; its adjoint gathers from there.
Adjoint gather_at(const Tensor& indices, int64_t k) {
  return [indices, k](const Tensor& gg) {
    return gather(gg.flatten(-k), -1, indices.flatten(-k)).reshape(indices.sizes());
  };
}

using MaxPoolBwd = Tensor (*)(const Tensor&, const Tensor&, const DimVector&, const DimVector&, const DimVector&,
                              const DimVector&, bool, const Tensor&);

void record_max_pool(const char* name, const char* bwd_name, int64_t k, MaxPoolBwd bwd, const Tensor& input,
                     const Tensor2& r, const DimVector& ks, const DimVector& s, const DimVector& p, const DimVector& d,
                     bool ceil_mode) {
  const auto& [out, indices] = r;
  autograd::record(name, {input}, {out, indices}, [&] {
    return [si = SavedVariable(input, false), sidx = SavedVariable(indices, true, 1), bwd, bwd_name, k, ks, s, p, d,
            ceil_mode](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), idx = ctx.unpack(sidx);
      Tensor g = plain([&] { return bwd(ctx.grad(), x, ks, s, p, d, ceil_mode, idx); });
      return {record_linear(bwd_name, ctx.grad(), x, g, gather_at(idx, k))};
    };
  });
}

using AdaptiveAvgBwd = Tensor (*)(const Tensor&, const Tensor&);
using AdaptiveAvgFwd = Tensor (*)(const Tensor&, const DimVector&);
using AdaptiveMaxBwd = Tensor (*)(const Tensor&, const Tensor&, const Tensor&);

Tensor record_adaptive_avg(const char* name, const char* bwd_name, int64_t k, AdaptiveAvgBwd bwd,
                           AdaptiveAvgFwd fwd, const Tensor& input, const Tensor& out) {
  autograd::record(name, {input}, out, [&] {
    return [si = SavedVariable(input, false), bwd, fwd, bwd_name, k](BackwardCtx& ctx) -> variable_list {
      const Tensor& gy = ctx.grad();
      Tensor x = ctx.unpack(si);
      Tensor g = plain([&] { return bwd(gy, x); });
      const DimVector gy_sizes = gy.sizes();
      DimVector out_size(gy_sizes.end() - k, gy_sizes.end());
      return {record_linear(bwd_name, gy, x, g, [fwd, out_size](const Tensor& gg) { return fwd(gg, out_size); })};
    };
  });
  return out;
}

Tensor2 record_adaptive_max(const char* name, const char* bwd_name, int64_t k, AdaptiveMaxBwd bwd,
                            const Tensor& input, const Tensor2& r) {
  const auto& [out, indices] = r;
  autograd::record(name, {input}, {out, indices}, [&] {
    return [si = SavedVariable(input, false), sidx = SavedVariable(indices, true, 1), bwd, bwd_name,
            k](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si), idx = ctx.unpack(sidx);
      Tensor g = plain([&] { return bwd(ctx.grad(), x, idx); });
      return {record_linear(bwd_name, ctx.grad(), x, g, gather_at(idx, k))};
    };
  });
  return r;
}

}  // namespace

Tensor2 max_pool1d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                const DimVector& padding, const DimVector& dilation, bool ceil_mode) {
  Tensor2 r = plain([&] { return ember::max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode); });
  record_max_pool("MaxPool1DWithIndicesBackward0", "MaxPool1DWithIndicesBackwardBackward0", 1,
                  &ember::max_pool1d_with_indices_backward, input, r, kernel_size, stride, padding, dilation,
                  ceil_mode);
  return r;
}

Tensor2 max_pool2d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                const DimVector& padding, const DimVector& dilation, bool ceil_mode) {
  Tensor2 r = plain([&] { return ember::max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode); });
  record_max_pool("MaxPool2DWithIndicesBackward0", "MaxPool2DWithIndicesBackwardBackward0", 2,
                  &ember::max_pool2d_with_indices_backward, input, r, kernel_size, stride, padding, dilation,
                  ceil_mode);
  return r;
}

Tensor avg_pool1d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride, const DimVector& padding,
                  bool ceil_mode, bool count_include_pad) {
  Tensor out = plain([&] { return ember::avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad); });
  autograd::record("AvgPool1DBackward0", {input}, out, [&] {
    return [si = SavedVariable(input, false), kernel_size, stride, padding, ceil_mode,
            count_include_pad](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si);
      Tensor g = plain([&] {
        return ember::avg_pool1d_backward(ctx.grad(), x, kernel_size, stride, padding, ceil_mode,
                                          count_include_pad);
      });
      return {record_linear("AvgPool1DBackwardBackward0", ctx.grad(), x, g, [=](const Tensor& gg) {
        return nn_autograd::avg_pool1d(gg, kernel_size, stride, padding, ceil_mode, count_include_pad);
      })};
    };
  });
  return out;
}

Tensor avg_pool2d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride, const DimVector& padding,
                  bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
  Tensor out = plain([&] {
    return ember::avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
  });
  autograd::record("AvgPool2DBackward0", {input}, out, [&] {
    return [si = SavedVariable(input, false), kernel_size, stride, padding, ceil_mode, count_include_pad,
            divisor_override](BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(si);
      Tensor g = plain([&] {
        return ember::avg_pool2d_backward(ctx.grad(), x, kernel_size, stride, padding, ceil_mode,
                                          count_include_pad, divisor_override);
      });
      return {record_linear("AvgPool2DBackwardBackward0", ctx.grad(), x, g, [=](const Tensor& gg) {
        return nn_autograd::avg_pool2d(gg, kernel_size, stride, padding, ceil_mode, count_include_pad,
                                       divisor_override);
      })};
    };
  });
  return out;
}

Tensor adaptive_avg_pool1d(const Tensor& input, const DimVector& output_size) {
  return record_adaptive_avg("AdaptiveAvgPool1DBackward0", "AdaptiveAvgPool1DBackwardBackward0", 1,
                             &ember::adaptive_avg_pool1d_backward, &nn_autograd::adaptive_avg_pool1d, input,
                             plain([&] { return ember::adaptive_avg_pool1d(input, output_size); }));
}
Tensor adaptive_avg_pool2d(const Tensor& input, const DimVector& output_size) {
  return record_adaptive_avg("AdaptiveAvgPool2DBackward0", "AdaptiveAvgPool2DBackwardBackward0", 2,
                             &ember::adaptive_avg_pool2d_backward, &nn_autograd::adaptive_avg_pool2d, input,
                             plain([&] { return ember::adaptive_avg_pool2d(input, output_size); }));
}
Tensor2 adaptive_max_pool1d(const Tensor& input, const DimVector& output_size) {
  return record_adaptive_max("AdaptiveMaxPool1DBackward0", "AdaptiveMaxPool1DBackwardBackward0", 1,
                             &ember::adaptive_max_pool1d_backward, input,
                             plain([&] { return ember::adaptive_max_pool1d(input, output_size); }));
}
Tensor2 adaptive_max_pool2d(const Tensor& input, const DimVector& output_size) {
  return record_adaptive_max("AdaptiveMaxPool2DBackward0", "AdaptiveMaxPool2DBackwardBackward0", 2,
                             &ember::adaptive_max_pool2d_backward, input,
                             plain([&] { return ember::adaptive_max_pool2d(input, output_size); }));
}

// ---- resampling: linear in the input, so the adjoint of the backward is the forward.

Tensor upsample_nearest2d(const Tensor& input, const DimVector& output_size, std::optional<double> scales_h,
                          std::optional<double> scales_w) {
  Tensor out = plain([&] { return ember::upsample_nearest2d(input, output_size, scales_h, scales_w); });
  autograd::record("UpsampleNearest2DBackward0", {input}, out, [&] {
    return [in_size = input.sizes(), output_size, scales_h, scales_w](BackwardCtx& ctx) -> variable_list {
      Tensor g = plain([&] {
        return ember::upsample_nearest2d_backward(ctx.grad(), output_size, in_size, scales_h, scales_w);
      });
      return {record_linear("UpsampleNearest2DBackwardBackward0", ctx.grad(), Tensor(), g, [=](const Tensor& gg) {
        return nn_autograd::upsample_nearest2d(gg, output_size, scales_h, scales_w);
      })};
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
      Tensor g = plain([&] {
        return ember::upsample_bilinear2d_backward(ctx.grad(), output_size, in_size, align_corners, scales_h,
                                                   scales_w);
      });
      return {record_linear("UpsampleBilinear2DBackwardBackward0", ctx.grad(), Tensor(), g, [=](const Tensor& gg) {
        return nn_autograd::upsample_bilinear2d(gg, output_size, align_corners, scales_h, scales_w);
      })};
    };
  });
  return out;
}

}  // namespace ember::nn_autograd
