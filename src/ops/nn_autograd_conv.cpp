// Autograd for convolution (1-3 d, grouped, dilated, transposed) and
// unfold/fold: the forward kernel, ConvolutionBackward0 whose formula calls
// the differentiable convolution_backward below, and that op's own nodes.
//
// Note [Convolution double backward]
// y = conv(x, w) is bilinear, so its gradients are bilinear too:
//   gx = conv_input_grad(gy, w)   (the kernel's input gradient)
//   gw = conv_weight_grad(gy, x)  (the kernel's weight gradient)
//   gb = sum of gy over batch and space.
// For cotangents ggx, ggw, ggb of these (PyTorch's
// _convolution_double_backward):
//   d gy = conv(ggx, w) + conv(x, ggw) + ggb   (each term from its node)
//   d w  = conv_weight_grad(gy, input = ggx)   (from gx's node)
//   d x  = conv_input_grad(gy, weight = ggw)   (from gw's node)
// Each of gx, gw, gb is recorded as a node of its own (named
// ConvolutionBackwardBackward0), so a gradient that nobody differentiates
// costs nothing (the engine would give a joint node zeros for it), and the
// formulas call the differentiable convolution and convolution_backward
// again: every order of derivative follows. gx's node also lists x, and
// gw's w, with no gradient: as in PyTorch, where the node takes (gy, x, w),
// gx then requires grad whenever x does.
#include "nn_autograd_common.h"

namespace ember::nn_autograd {

using namespace detail;

namespace {

struct ConvParams {
  DimVector stride, padding, dilation;
  bool transposed;
  DimVector output_padding;
  int64_t groups;
};

Tensor conv(const Tensor& x, const Tensor& w, const ConvParams& p) {
  return nn_autograd::convolution(x, w, std::nullopt, p.stride, p.padding, p.dilation, p.transposed, p.output_padding,
                                  p.groups);
}
Tensor3 conv_backward(const Tensor& gy, const Tensor& x, const Tensor& w, const ConvParams& p, Mask3 mask) {
  return nn_autograd::convolution_backward(gy, x, w, p.stride, p.padding, p.dilation, p.transposed, p.output_padding,
                                           p.groups, mask);
}

}  // namespace

Tensor convolution(const Tensor& input, const Tensor& weight, const OptTensor& bias, const DimVector& stride,
                   const DimVector& padding, const DimVector& dilation, bool transposed,
                   const DimVector& output_padding, int64_t groups) {
  Tensor out = plain([&] {
    return ember::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups);
  });
  autograd::record("ConvolutionBackward0", {input, weight, undef(bias)}, out, [&] {
    return [si = SavedVariable(input, false), sw = SavedVariable(weight, false), has_bias = bias.has_value(),
            p = ConvParams{stride, padding, dilation, transposed, output_padding, groups}](
               BackwardCtx& ctx) -> variable_list {
      return list3(conv_backward(ctx.grad(), ctx.unpack(si), ctx.unpack(sw), p, mask3(ctx, has_bias)));
    };
  });
  return out;
}

Tensor3 convolution_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                             const DimVector& stride, const DimVector& padding, const DimVector& dilation,
                             bool transposed, const DimVector& output_padding, int64_t groups, Mask3 output_mask) {
  auto [gx, gw, gb] = plain([&] {
    return ember::convolution_backward(grad_output, input, weight, stride, padding, dilation, transposed,
                                       output_padding, groups, output_mask);
  });
  const ConvParams p{stride, padding, dilation, transposed, output_padding, groups};
  // Note [Convolution double backward]
  if (gx.defined()) {
    autograd::record("ConvolutionBackwardBackward0", {grad_output, weight, input}, gx, [&] {
      return [sgy = SavedVariable(grad_output, false), sw = SavedVariable(weight, false),
              p](BackwardCtx& ctx) -> variable_list {
        const Tensor& ggx = ctx.grad();
        Tensor gy = ctx.unpack(sgy), w = ctx.unpack(sw), d_gy, d_w;
        if (ctx.needs_input_grad(0)) d_gy = conv(ggx, w, p);
        if (ctx.needs_input_grad(1)) d_w = std::get<1>(conv_backward(gy, ggx, w, p, {false, true, false}));
        return {d_gy, d_w, Tensor()};
      };
    });
  }
  if (gw.defined()) {
    autograd::record("ConvolutionBackwardBackward0", {grad_output, input, weight}, gw, [&] {
      return [sgy = SavedVariable(grad_output, false), sx = SavedVariable(input, false),
              p](BackwardCtx& ctx) -> variable_list {
        const Tensor& ggw = ctx.grad();
        Tensor gy = ctx.unpack(sgy), x = ctx.unpack(sx), d_gy, d_x;
        if (ctx.needs_input_grad(0)) d_gy = conv(x, ggw, p);
        if (ctx.needs_input_grad(1)) d_x = std::get<0>(conv_backward(gy, x, ggw, p, {true, false, false}));
        return {d_gy, d_x, Tensor()};
      };
    });
  }
  if (gb.defined()) {
    // gb sums gy over every dim but the channels; its adjoint broadcasts back.
    DimVector shape(static_cast<size_t>(grad_output.dim()), 1);
    const bool batched = grad_output.dim() == weight.dim();
    shape[batched ? 1 : 0] = gb.numel();
    autograd::record("ConvolutionBackwardBackward0", {grad_output}, gb, [&] {
      return [shape, sizes = grad_output.sizes()](BackwardCtx& ctx) -> variable_list {
        return {ctx.grad().reshape(shape).expand(sizes)};
      };
    });
  }
  return {gx, gw, gb};
}

// im2col and col2im are each other's adjoints, so differentiable to any order.
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

}  // namespace ember::nn_autograd
