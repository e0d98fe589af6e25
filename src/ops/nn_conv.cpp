// convolution and convolution_backward for 1-D, 2-D and 3-D inputs
// (grouped, dilated, transposed), and im2col/col2im (unfold/fold). The CPU
// kernels unfold into columns and multiply with BLAS (src/cpu/nn_conv_kernels.cpp).
#include "nn_common.h"

namespace ember {

using namespace nn_detail;

namespace {

struct ConvArgs {
  std::string op;  // conv2d, conv_transpose1d ... for messages
  int64_t k = 0;   // spatial dims
  DimVector stride, padding, dilation, output_padding;
};

std::string conv_name(int64_t k, bool transposed) {
  return (transposed ? "conv_transpose" : "conv") + std::to_string(k) + "d";
}

ConvArgs check_conv_args(const Tensor& input, const Tensor& weight, const DimVector& stride,
                         const DimVector& padding, const DimVector& dilation, bool transposed,
                         const DimVector& output_padding, int64_t groups) {
  int64_t k = weight.dim() - 2;
  EMBER_CHECK(k >= 1 && k <= 3, RuntimeError, "[convolution] expected weight to have 3, 4 or 5 dims ",
              "(1-D, 2-D or 3-D convolution), but got weight of size ", weight.sizes());
  ConvArgs a;
  a.op = conv_name(k, transposed);
  const char* op = a.op.c_str();
  EMBER_CHECK(input.dim() == k + 1 || input.dim() == k + 2, RuntimeError, "[", op, "] Expected ", k + 1,
              "D (unbatched) or ", k + 2, "D (batched) input to ", op, ", but got input of size: ", input.sizes());
  a.k = k;
  a.stride = expand_param(op, "stride", stride, k);
  a.padding = expand_param(op, "padding", padding, k);
  a.dilation = expand_param(op, "dilation", dilation, k);
  a.output_padding = output_padding.empty() ? DimVector(k, 0) : expand_param(op, "output_padding", output_padding, k);
  for (int64_t i = 0; i < k; ++i) {
    EMBER_CHECK(a.stride[i] > 0, RuntimeError, "[", op, "] non-positive stride is not supported");
    EMBER_CHECK(a.padding[i] >= 0, RuntimeError, "[", op, "] negative padding is not supported");
    EMBER_CHECK(a.dilation[i] > 0, RuntimeError, "[", op, "] dilation should be greater than zero");
    EMBER_CHECK(a.output_padding[i] >= 0, RuntimeError, "[", op, "] negative output_padding is not supported");
    if (transposed) {
      EMBER_CHECK(a.output_padding[i] < a.stride[i] || a.output_padding[i] < a.dilation[i], RuntimeError, "[", op,
                  "] output padding must be smaller than either stride or dilation, but got output_padding ",
                  a.output_padding, ", stride ", a.stride, ", dilation ", a.dilation);
    } else {
      EMBER_CHECK(a.output_padding[i] == 0, RuntimeError, "[", op, "] output_padding is only supported for ",
                  "transposed convolutions, but got ", a.output_padding);
    }
  }
  EMBER_CHECK(groups > 0, RuntimeError, "[", op, "] non-positive groups is not supported");
  check_same_dtype(op, "weight", input, weight);
  check_same_device(op, input, weight);
  compute_dtype(op, input.dtype());
  EMBER_CHECK(weight.size(0) % groups == 0, RuntimeError, "[", op, "] Given groups=", groups,
              ", expected weight to be divisible by ", groups, " at dimension 0, but got weight of size ",
              weight.sizes(), " instead");
  int64_t channels = input.size(input.dim() - k - 1);
  if (!transposed) {
    EMBER_CHECK(channels == weight.size(1) * groups, RuntimeError, "[", op, "] Given groups=", groups,
                ", weight of size ", weight.sizes(), ", expected input", input.sizes(), " to have ",
                weight.size(1) * groups, " channels, but got ", channels, " channels instead");
  } else {
    EMBER_CHECK(channels == weight.size(0), RuntimeError, "[", op, "] Given transposed=1, weight of size ",
                weight.sizes(), ", expected input", input.sizes(), " to have ", weight.size(0),
                " channels, but got ", channels, " channels instead");
  }
  return a;
}

// Note [Convolution geometry] in nn_kernels.h: spatial dims padded to 3.
ConvGeometry make_geometry(const ConvArgs& a, const Tensor& input5, const Tensor& weight, bool transposed) {
  ConvGeometry g;
  const int64_t off = 3 - a.k;
  const char* op = a.op.c_str();
  int64_t in_sp[3], out_sp[3], padded[3], kdil[3];
  for (int64_t i = 0; i < 3; ++i) {
    bool real = i >= off;
    g.kernel[i] = real ? weight.size(2 + i - off) : 1;
    g.stride[i] = real ? a.stride[i - off] : 1;
    g.pad[i] = real ? a.padding[i - off] : 0;
    g.dil[i] = real ? a.dilation[i - off] : 1;
    in_sp[i] = input5.size(2 + i);
    kdil[i] = g.dil[i] * (g.kernel[i] - 1) + 1;
    padded[i] = in_sp[i] + 2 * g.pad[i];
  }
  if (!transposed) {
    bool fits = true;
    for (int64_t i = off; i < 3; ++i) fits = fits && padded[i] >= kdil[i];
    EMBER_CHECK(fits, RuntimeError, "[", op, "] Calculated padded input size per channel: ",
                paren_sizes(padded + off, a.k), ". Kernel size: ", paren_sizes(kdil + off, a.k),
                ". Kernel size can't be greater than actual input size");
    for (int64_t i = 0; i < 3; ++i) {
      out_sp[i] = (padded[i] - kdil[i]) / g.stride[i] + 1;
      g.image[i] = in_sp[i];
      g.cols[i] = out_sp[i];
    }
  } else {
    bool positive = true;
    for (int64_t i = 0; i < 3; ++i) {
      int64_t op_pad = i >= off ? a.output_padding[i - off] : 0;
      out_sp[i] = (in_sp[i] - 1) * g.stride[i] - 2 * g.pad[i] + kdil[i] + op_pad;
      positive = positive && out_sp[i] > 0;
      g.image[i] = out_sp[i];
      g.cols[i] = in_sp[i];
    }
    EMBER_CHECK(positive, RuntimeError, "[", op, "] Given input size per channel: ", paren_sizes(in_sp + off, a.k),
                ". Calculated output size per channel: ", paren_sizes(out_sp + off, a.k),
                ". Output size is too small");
  }
  return g;
}

// (N, C, spatial...) -> (N, C, D, H, W) view.
Tensor to_5d(const Tensor& t, int64_t k) {
  Tensor r = t;
  for (int64_t i = k; i < 3; ++i) r = r.unsqueeze(2);
  return r;
}
Tensor from_5d(const Tensor& t, int64_t k) {
  Tensor r = t;
  for (int64_t i = k; i < 3; ++i) r = r.squeeze(DimVector{2});
  return r;
}

DimVector output_sizes(const Tensor& input5, const Tensor& weight, const ConvGeometry& g, int64_t groups,
                       bool transposed) {
  const int64_t* sp = transposed ? g.image : g.cols;
  int64_t cout = transposed ? weight.size(1) * groups : weight.size(0);
  return DimVector{input5.size(0), cout, sp[0], sp[1], sp[2]};
}

}  // namespace

Tensor convolution(const Tensor& input, const Tensor& weight, const OptTensor& bias, const DimVector& stride,
                   const DimVector& padding, const DimVector& dilation, bool transposed,
                   const DimVector& output_padding, int64_t groups) {
  ConvArgs a = check_conv_args(input, weight, stride, padding, dilation, transposed, output_padding, groups);
  const char* op = a.op.c_str();
  int64_t cout = transposed ? weight.size(1) * groups : weight.size(0);
  if (bias) {
    check_same_dtype(op, "bias", input, *bias);
    EMBER_CHECK(bias->dim() == 1 && bias->size(0) == cout, RuntimeError, "[", op, "] Given weight of size ",
                weight.sizes(), ", expected bias to be 1-dimensional with ", cout, " elements, but got bias of size ",
                bias->sizes(), " instead");
  }
  const bool batched = input.dim() == a.k + 2;
  DType t = compute_dtype(op, input.dtype());
  Tensor x5 = to_5d(batched ? input : input.unsqueeze(0), a.k);
  ConvGeometry g = make_geometry(a, x5, weight, transposed);
  Tensor out = empty(output_sizes(x5, weight, g, groups, transposed), TensorOptions(t).device(input.device()));
  if (out.numel() > 0) {
    if (x5.size(1) == 0 || weight.numel() == 0) {
      // No input channels: the output is the bias alone.
      out.zero_();
      if (bias) out.copy_(prep(*bias, t).view(DimVector{1, cout, 1, 1, 1}));
    } else {
      conv_forward_stub(input.device().type)(out, prep(x5, t), prep(to_5d(weight, a.k), t), prep(bias, t), g, groups,
                                             transposed);
    }
  }
  Tensor r = from_5d(out, a.k);
  return finish(batched ? r : r.squeeze(DimVector{0}), input.dtype());
}

Tensor3 convolution_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                             const DimVector& stride, const DimVector& padding, const DimVector& dilation,
                             bool transposed, const DimVector& output_padding, int64_t groups, Mask3 output_mask) {
  ConvArgs a = check_conv_args(input, weight, stride, padding, dilation, transposed, output_padding, groups);
  const char* op = a.op.c_str();
  const bool batched = input.dim() == a.k + 2;
  DType t = compute_dtype(op, input.dtype());
  Tensor x5 = to_5d(batched ? input : input.unsqueeze(0), a.k);
  ConvGeometry g = make_geometry(a, x5, weight, transposed);
  DimVector expect = output_sizes(x5, weight, g, groups, transposed);
  Tensor go5 = to_5d(batched ? grad_output : grad_output.unsqueeze(0), a.k);
  EMBER_CHECK(go5.sizes() == expect, RuntimeError, "[", op, "_backward] expected grad_output of size ",
              from_5d(empty(expect, TensorOptions(t)), a.k).sizes(), " for input of size ", input.sizes(),
              ", but got ", grad_output.sizes());
  Tensor gout = prep(go5, t);
  Tensor gi, gw, gb;
  // The kernel writes every element of the gradients it is given.
  if (output_mask[0]) gi = empty(x5.sizes(), TensorOptions(t).device(input.device()));
  if (output_mask[1]) gw = empty(to_5d(weight, a.k).sizes(), TensorOptions(t).device(input.device()));
  bool work = gout.numel() > 0 && x5.numel() > 0 && weight.numel() > 0;
  if (work && (gi.defined() || gw.defined())) {
    conv_backward_stub(input.device().type)(gi, gw, gout, prep(x5, t), prep(to_5d(weight, a.k), t), g, groups,
                                            transposed);
  } else {
    if (gi.defined()) gi.zero_();
    if (gw.defined()) gw.zero_();
  }
  if (output_mask[2]) gb = sum(gout, DimVector{0, 2, 3, 4});
  if (gi.defined()) {
    gi = from_5d(gi, a.k);
    gi = finish(batched ? gi : gi.squeeze(DimVector{0}), input.dtype());
  }
  if (gw.defined()) gw = finish(from_5d(gw, a.k), weight.dtype());
  if (gb.defined()) gb = finish(gb, grad_output.dtype());
  return {gi, gw, gb};
}

// ---- unfold / fold

namespace {

ConvGeometry fold_geometry(const char* op, const DimVector& kernel_size, const DimVector& dilation,
                           const DimVector& padding, const DimVector& stride, int64_t H, int64_t W) {
  DimVector k = expand_param(op, "kernel_size", kernel_size, 2), d = expand_param(op, "dilation", dilation, 2),
            p = expand_param(op, "padding", padding, 2), s = expand_param(op, "stride", stride, 2);
  ConvGeometry g;
  g.kernel[0] = 1, g.stride[0] = 1, g.pad[0] = 0, g.dil[0] = 1, g.image[0] = 1, g.cols[0] = 1;
  for (int i = 0; i < 2; ++i) {
    EMBER_CHECK(k[i] > 0, RuntimeError, "[", op, "] kernel size should be greater than zero, but got kernel_size ", k);
    EMBER_CHECK(d[i] > 0, RuntimeError, "[", op, "] dilation should be greater than zero, but got dilation ", d);
    EMBER_CHECK(p[i] >= 0, RuntimeError, "[", op, "] padding should be non-negative, but got padding ", p);
    EMBER_CHECK(s[i] > 0, RuntimeError, "[", op, "] stride should be greater than zero, but got stride ", s);
    g.kernel[1 + i] = k[i], g.dil[1 + i] = d[i], g.pad[1 + i] = p[i], g.stride[1 + i] = s[i];
  }
  g.image[1] = H, g.image[2] = W;
  for (int i = 0; i < 2; ++i) {
    int64_t span = d[i] * (k[i] - 1) + 1;
    int64_t in = (i == 0 ? H : W) + 2 * p[i];
    g.cols[1 + i] = in >= span ? (in - span) / s[i] + 1 : 0;
  }
  return g;
}

}  // namespace

Tensor im2col(const Tensor& input, const DimVector& kernel_size, const DimVector& dilation, const DimVector& padding,
              const DimVector& stride) {
  const char* op = "im2col";
  EMBER_CHECK((input.dim() == 3 || input.dim() == 4) && input.size(-1) > 0 && input.size(-2) > 0 &&
                  input.size(-3) > 0,
              RuntimeError, "[", op, "] Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and ",
              "other non-zero dimensions for input, but got: ", input.sizes());
  DType t = compute_dtype(op, input.dtype());
  const bool batched = input.dim() == 4;
  Tensor x = batched ? input : input.unsqueeze(0);
  ConvGeometry g = fold_geometry(op, kernel_size, dilation, padding, stride, x.size(2), x.size(3));
  EMBER_CHECK(g.cols[1] > 0 && g.cols[2] > 0, RuntimeError, "[", op, "] Given input with spatial size (",
              x.size(2), ", ", x.size(3), "), kernel_size ", kernel_size, ", dilation ", dilation, ", padding ",
              padding, ", calculated shape of the array of sliding blocks as (", g.cols[1], ", ", g.cols[2],
              "), but its components must be at least one.");
  Tensor col = empty(DimVector{x.size(0), x.size(1) * g.kernel_numel(), g.cols_numel()},
                     TensorOptions(t).device(input.device()));
  if (col.numel() > 0) im2col_stub(input.device().type)(col, prep(x.unsqueeze(2), t), g);
  return finish(batched ? col : col.squeeze(DimVector{0}), input.dtype());
}

Tensor col2im(const Tensor& input, const DimVector& output_size, const DimVector& kernel_size,
              const DimVector& dilation, const DimVector& padding, const DimVector& stride) {
  const char* op = "col2im";
  EMBER_CHECK((input.dim() == 2 || input.dim() == 3) && input.size(-1) > 0 && input.size(-2) > 0, RuntimeError,
              "[", op, "] Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and non-zero ",
              "dimensions for input, but got: ", input.sizes());
  DType t = compute_dtype(op, input.dtype());
  DimVector os = expand_param(op, "output_size", output_size, 2);
  const bool batched = input.dim() == 3;
  Tensor x = batched ? input : input.unsqueeze(0);
  ConvGeometry g = fold_geometry(op, kernel_size, dilation, padding, stride, os[0], os[1]);
  int64_t K = g.kernel_numel();
  EMBER_CHECK(x.size(1) % K == 0, RuntimeError, "[", op, "] Expected size of input's dimension 1 to be divisible ",
              "by the product of kernel_size, but got input.size(1)=", x.size(1), " and kernel_size=", kernel_size);
  EMBER_CHECK(x.size(2) == g.cols_numel() && g.cols_numel() > 0, RuntimeError, "[", op,
              "] Given output_size=", os, ", kernel_size=", kernel_size, ", dilation=", dilation, ", padding=",
              padding, ", stride=", stride, ", expected size of input's dimension 2 to match the calculated number ",
              "of sliding blocks ", g.cols[1], " * ", g.cols[2], " = ", g.cols_numel(), ", but got input.size(2)=",
              x.size(2), ".");
  Tensor im = zeros(DimVector{x.size(0), x.size(1) / K, 1, os[0], os[1]}, TensorOptions(t).device(input.device()));
  if (im.numel() > 0) col2im_stub(input.device().type)(im, prep(x, t), g);
  im = im.squeeze(DimVector{2});
  return finish(batched ? im : im.squeeze(DimVector{0}), input.dtype());
}

}  // namespace ember
