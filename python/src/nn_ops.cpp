// ember._C._nn: the layer kernels under ATen's names (convolution,
// native_batch_norm, cross_entropy_loss ... and their backwards) for
// ember.nn.functional and autograd to build on; the activations also as
// top-level functions (ember.relu, ember.selu ...) where PyTorch has them.
#include <nanobind/stl/array.h>

#include "bind.h"
#include "ember/ops/linalg.h"
#include "ember/ops/nn.h"

namespace ember::py {

namespace {

// An int or a sequence of ints (ATen's int[] arguments accept both).
DimVector int_list(nb::handle h, const char* op) {
  if (PyLong_Check(h.ptr())) return DimVector{nb::cast<int64_t>(h)};
  return sizes_from_sequence(h, op);
}

// Undefined tensors (outputs not asked for) become None.
nb::object out(const Tensor& t) { return t.defined() ? nb::cast(t) : nb::none(); }
nb::tuple outs(const Tensor2& t) { return nb::make_tuple(out(std::get<0>(t)), out(std::get<1>(t))); }
nb::tuple outs(const Tensor3& t) {
  return nb::make_tuple(out(std::get<0>(t)), out(std::get<1>(t)), out(std::get<2>(t)));
}

// reduction as ATen's int (0 none, 1 mean, 2 sum) or its name.
int64_t reduction_arg(nb::handle h) {
  if (PyLong_Check(h.ptr())) return nb::cast<int64_t>(h);
  std::string s = nb::cast<std::string>(h);
  if (s == "none") return 0;
  if (s == "mean") return 1;
  if (s == "sum") return 2;
  EMBER_THROW(ValueError, s, " is not a valid value for reduction");
}

std::optional<int64_t> opt_int(nb::handle h) {
  return h.is_none() ? std::nullopt : std::optional<int64_t>(nb::cast<int64_t>(h));
}

void bind_conv_pool(nb::module_& m) {
  // Recording (ops/linalg.h, src/ops/nn_linear.cpp): ember.nn.functional.linear's fast path.
  m.def("linear", &ember::linear, nb::arg("input"), nb::arg("weight"), nb::arg("bias").none() = nb::none());
  m.def("convolution", [](const Tensor& input, const Tensor& weight, const OptTensor& bias, nb::handle stride,
                          nb::handle padding, nb::handle dilation, bool transposed, nb::handle output_padding,
                          int64_t groups) {
    return convolution(input, weight, bias, int_list(stride, "convolution"), int_list(padding, "convolution"),
                       int_list(dilation, "convolution"), transposed, int_list(output_padding, "convolution"),
                       groups);
  }, nb::arg("input"), nb::arg("weight"), nb::arg("bias").none(), nb::arg("stride") = 1, nb::arg("padding") = 0,
     nb::arg("dilation") = 1, nb::arg("transposed") = false, nb::arg("output_padding") = 0, nb::arg("groups") = 1);
  m.def("convolution_backward", [](const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                   nb::handle stride, nb::handle padding, nb::handle dilation, bool transposed,
                                   nb::handle output_padding, int64_t groups, std::array<bool, 3> mask) {
    const char* op = "convolution_backward";
    return outs(convolution_backward(grad_output, input, weight, int_list(stride, op), int_list(padding, op),
                                     int_list(dilation, op), transposed, int_list(output_padding, op), groups, mask));
  }, nb::arg("grad_output"), nb::arg("input"), nb::arg("weight"), nb::arg("stride") = 1, nb::arg("padding") = 0,
     nb::arg("dilation") = 1, nb::arg("transposed") = false, nb::arg("output_padding") = 0, nb::arg("groups") = 1,
     nb::arg("output_mask") = std::array<bool, 3>{true, true, true});
  m.def("im2col", [](const Tensor& input, nb::handle k, nb::handle d, nb::handle p, nb::handle s) {
    return im2col(input, int_list(k, "im2col"), int_list(d, "im2col"), int_list(p, "im2col"), int_list(s, "im2col"));
  }, nb::arg("input"), nb::arg("kernel_size"), nb::arg("dilation") = 1, nb::arg("padding") = 0, nb::arg("stride") = 1);
  m.def("col2im", [](const Tensor& input, nb::handle os, nb::handle k, nb::handle d, nb::handle p, nb::handle s) {
    return col2im(input, int_list(os, "col2im"), int_list(k, "col2im"), int_list(d, "col2im"),
                  int_list(p, "col2im"), int_list(s, "col2im"));
  }, nb::arg("input"), nb::arg("output_size"), nb::arg("kernel_size"), nb::arg("dilation") = 1,
     nb::arg("padding") = 0, nb::arg("stride") = 1);

  // An empty stride (None or ()) means stride = kernel_size.
  auto stride_arg = [](nb::handle h, const char* op) { return h.is_none() ? DimVector{} : int_list(h, op); };
  using MaxPoolFn = Tensor2 (*)(const Tensor&, const DimVector&, const DimVector&, const DimVector&,
                                const DimVector&, bool);
  using MaxPoolBwdFn = Tensor (*)(const Tensor&, const Tensor&, const DimVector&, const DimVector&,
                                  const DimVector&, const DimVector&, bool, const Tensor&);
  auto def_max = [&](const char* name, MaxPoolFn f, const char* bname, MaxPoolBwdFn bf) {
    m.def(name, [f, name, stride_arg](const Tensor& input, nb::handle k, nb::handle s, nb::handle p, nb::handle d,
                                      bool ceil_mode) {
      return outs(f(input, int_list(k, name), stride_arg(s, name), int_list(p, name), int_list(d, name), ceil_mode));
    }, nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(), nb::arg("padding") = 0,
       nb::arg("dilation") = 1, nb::arg("ceil_mode") = false);
    m.def(bname, [bf, bname, stride_arg](const Tensor& grad_output, const Tensor& input, nb::handle k, nb::handle s,
                                         nb::handle p, nb::handle d, bool ceil_mode, const Tensor& indices) {
      return bf(grad_output, input, int_list(k, bname), stride_arg(s, bname), int_list(p, bname), int_list(d, bname),
                ceil_mode, indices);
    }, nb::arg("grad_output"), nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(),
       nb::arg("padding") = 0, nb::arg("dilation") = 1, nb::arg("ceil_mode") = false, nb::arg("indices"));
  };
  def_max("max_pool1d_with_indices", &max_pool1d_with_indices, "max_pool1d_with_indices_backward",
          &max_pool1d_with_indices_backward);
  def_max("max_pool2d_with_indices", &max_pool2d_with_indices, "max_pool2d_with_indices_backward",
          &max_pool2d_with_indices_backward);

  m.def("avg_pool1d", [stride_arg](const Tensor& input, nb::handle k, nb::handle s, nb::handle p, bool ceil_mode,
                                   bool cip) {
    const char* op = "avg_pool1d";
    return avg_pool1d(input, int_list(k, op), stride_arg(s, op), int_list(p, op), ceil_mode, cip);
  }, nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(), nb::arg("padding") = 0,
     nb::arg("ceil_mode") = false, nb::arg("count_include_pad") = true);
  m.def("avg_pool1d_backward", [stride_arg](const Tensor& grad_output, const Tensor& input, nb::handle k, nb::handle s,
                                            nb::handle p, bool ceil_mode, bool cip) {
    const char* op = "avg_pool1d_backward";
    return avg_pool1d_backward(grad_output, input, int_list(k, op), stride_arg(s, op), int_list(p, op), ceil_mode,
                               cip);
  }, nb::arg("grad_output"), nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(),
     nb::arg("padding") = 0, nb::arg("ceil_mode") = false, nb::arg("count_include_pad") = true);
  m.def("avg_pool2d", [stride_arg](const Tensor& input, nb::handle k, nb::handle s, nb::handle p, bool ceil_mode,
                                   bool cip, nb::handle div) {
    const char* op = "avg_pool2d";
    return avg_pool2d(input, int_list(k, op), stride_arg(s, op), int_list(p, op), ceil_mode, cip, opt_int(div));
  }, nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(), nb::arg("padding") = 0,
     nb::arg("ceil_mode") = false, nb::arg("count_include_pad") = true, nb::arg("divisor_override") = nb::none());
  m.def("avg_pool2d_backward", [stride_arg](const Tensor& grad_output, const Tensor& input, nb::handle k, nb::handle s,
                                            nb::handle p, bool ceil_mode, bool cip, nb::handle div) {
    const char* op = "avg_pool2d_backward";
    return avg_pool2d_backward(grad_output, input, int_list(k, op), stride_arg(s, op), int_list(p, op), ceil_mode,
                               cip, opt_int(div));
  }, nb::arg("grad_output"), nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(),
     nb::arg("padding") = 0, nb::arg("ceil_mode") = false, nb::arg("count_include_pad") = true,
     nb::arg("divisor_override") = nb::none());

  m.def("adaptive_avg_pool1d", [](const Tensor& x, nb::handle os) {
    return adaptive_avg_pool1d(x, int_list(os, "adaptive_avg_pool1d"));
  }, nb::arg("input"), nb::arg("output_size"));
  m.def("adaptive_avg_pool2d", [](const Tensor& x, nb::handle os) {
    return adaptive_avg_pool2d(x, int_list(os, "adaptive_avg_pool2d"));
  }, nb::arg("input"), nb::arg("output_size"));
  m.def("adaptive_max_pool1d", [](const Tensor& x, nb::handle os) {
    return outs(adaptive_max_pool1d(x, int_list(os, "adaptive_max_pool1d")));
  }, nb::arg("input"), nb::arg("output_size"));
  m.def("adaptive_max_pool2d", [](const Tensor& x, nb::handle os) {
    return outs(adaptive_max_pool2d(x, int_list(os, "adaptive_max_pool2d")));
  }, nb::arg("input"), nb::arg("output_size"));
  m.def("adaptive_avg_pool1d_backward", &adaptive_avg_pool1d_backward, nb::arg("grad_output"), nb::arg("input"));
  m.def("adaptive_avg_pool2d_backward", &adaptive_avg_pool2d_backward, nb::arg("grad_output"), nb::arg("input"));
  m.def("adaptive_max_pool1d_backward", &adaptive_max_pool1d_backward, nb::arg("grad_output"), nb::arg("input"),
        nb::arg("indices"));
  m.def("adaptive_max_pool2d_backward", &adaptive_max_pool2d_backward, nb::arg("grad_output"), nb::arg("input"),
        nb::arg("indices"));
}

void bind_norms(nb::module_& m) {
  m.def("native_batch_norm", [](const Tensor& input, const OptTensor& weight, const OptTensor& bias,
                                const OptTensor& running_mean, const OptTensor& running_var, bool training,
                                double momentum, double eps) {
    return outs(native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps));
  }, nb::arg("input"), nb::arg("weight").none(), nb::arg("bias").none(), nb::arg("running_mean").none(),
     nb::arg("running_var").none(), nb::arg("training"), nb::arg("momentum"), nb::arg("eps"));
  m.def("native_batch_norm_backward", [](const Tensor& grad_out, const Tensor& input, const OptTensor& weight,
                                         const OptTensor& running_mean, const OptTensor& running_var,
                                         const OptTensor& save_mean, const OptTensor& save_invstd, bool train,
                                         double eps, std::array<bool, 3> mask) {
    return outs(native_batch_norm_backward(grad_out, input, weight, running_mean, running_var, save_mean, save_invstd,
                                           train, eps, mask));
  }, nb::arg("grad_out"), nb::arg("input"), nb::arg("weight").none(), nb::arg("running_mean").none(),
     nb::arg("running_var").none(), nb::arg("save_mean").none(), nb::arg("save_invstd").none(), nb::arg("train"),
     nb::arg("eps"), nb::arg("output_mask") = std::array<bool, 3>{true, true, true});
  m.def("native_layer_norm", [](const Tensor& input, nb::handle shape, const OptTensor& weight, const OptTensor& bias,
                                double eps) {
    return outs(native_layer_norm(input, int_list(shape, "native_layer_norm"), weight, bias, eps));
  }, nb::arg("input"), nb::arg("normalized_shape"), nb::arg("weight").none(), nb::arg("bias").none(),
     nb::arg("eps"));
  m.def("native_layer_norm_backward", [](const Tensor& grad_out, const Tensor& input, nb::handle shape,
                                         const Tensor& mean, const Tensor& rstd, const OptTensor& weight,
                                         const OptTensor& bias, std::array<bool, 3> mask) {
    return outs(native_layer_norm_backward(grad_out, input, int_list(shape, "native_layer_norm_backward"), mean, rstd,
                                           weight, bias, mask));
  }, nb::arg("grad_out"), nb::arg("input"), nb::arg("normalized_shape"), nb::arg("mean"), nb::arg("rstd"),
     nb::arg("weight").none(), nb::arg("bias").none(), nb::arg("output_mask") = std::array<bool, 3>{true, true, true});
  m.def("native_group_norm", [](const Tensor& input, const OptTensor& weight, const OptTensor& bias, int64_t N,
                                int64_t C, int64_t HxW, int64_t group, double eps) {
    return outs(native_group_norm(input, weight, bias, N, C, HxW, group, eps));
  }, nb::arg("input"), nb::arg("weight").none(), nb::arg("bias").none(), nb::arg("N"), nb::arg("C"), nb::arg("HxW"),
     nb::arg("group"), nb::arg("eps"));
  m.def("native_group_norm_backward", [](const Tensor& grad_out, const Tensor& input, const Tensor& mean,
                                         const Tensor& rstd, const OptTensor& weight, int64_t N, int64_t C,
                                         int64_t HxW, int64_t group, std::array<bool, 3> mask) {
    return outs(native_group_norm_backward(grad_out, input, mean, rstd, weight, N, C, HxW, group, mask));
  }, nb::arg("grad_out"), nb::arg("input"), nb::arg("mean"), nb::arg("rstd"), nb::arg("weight").none(), nb::arg("N"),
     nb::arg("C"), nb::arg("HxW"), nb::arg("group"), nb::arg("output_mask") = std::array<bool, 3>{true, true, true});
  m.def("rms_norm", [](const Tensor& input, nb::handle shape, const OptTensor& weight, std::optional<double> eps) {
    return rms_norm(input, int_list(shape, "rms_norm"), weight, eps);
  }, nb::arg("input"), nb::arg("normalized_shape"), nb::arg("weight").none() = nb::none(),
     nb::arg("eps").none() = nb::none());
  m.def("_fused_rms_norm", [](const Tensor& input, nb::handle shape, const OptTensor& weight,
                              std::optional<double> eps) {
    return outs(_fused_rms_norm(input, int_list(shape, "rms_norm"), weight, eps));
  }, nb::arg("input"), nb::arg("normalized_shape"), nb::arg("weight").none() = nb::none(),
     nb::arg("eps").none() = nb::none());
  m.def("_fused_rms_norm_backward", [](const Tensor& grad_out, const Tensor& input, nb::handle shape,
                                       const Tensor& rstd, const OptTensor& weight, std::array<bool, 2> mask) {
    return outs(_fused_rms_norm_backward(grad_out, input, int_list(shape, "rms_norm_backward"), rstd, weight, mask));
  }, nb::arg("grad_out"), nb::arg("input"), nb::arg("normalized_shape"), nb::arg("rstd"),
     nb::arg("weight").none() = nb::none(), nb::arg("output_mask") = std::array<bool, 2>{true, true});
}

void bind_losses(nb::module_& m) {
  m.def("cross_entropy_loss", [](const Tensor& input, const Tensor& target, const OptTensor& weight,
                                 nb::handle reduction, int64_t ignore_index, double label_smoothing) {
    return cross_entropy_loss(input, target, weight, reduction_arg(reduction), ignore_index, label_smoothing);
  }, nb::arg("input"), nb::arg("target"), nb::arg("weight").none() = nb::none(), nb::arg("reduction") = 1,
     nb::arg("ignore_index") = -100, nb::arg("label_smoothing") = 0.0);
  m.def("cross_entropy_loss_backward", [](const Tensor& grad_output, const Tensor& input, const Tensor& target,
                                          const OptTensor& weight, nb::handle reduction, int64_t ignore_index,
                                          double label_smoothing) {
    return cross_entropy_loss_backward(grad_output, input, target, weight, reduction_arg(reduction), ignore_index,
                                       label_smoothing);
  }, nb::arg("grad_output"), nb::arg("input"), nb::arg("target"), nb::arg("weight").none() = nb::none(),
     nb::arg("reduction") = 1, nb::arg("ignore_index") = -100, nb::arg("label_smoothing") = 0.0);
  m.def("nll_loss_forward", [](const Tensor& input, const Tensor& target, const OptTensor& weight,
                               nb::handle reduction, int64_t ignore_index) {
    return outs(nll_loss_forward(input, target, weight, reduction_arg(reduction), ignore_index));
  }, nb::arg("input"), nb::arg("target"), nb::arg("weight").none() = nb::none(), nb::arg("reduction") = 1,
     nb::arg("ignore_index") = -100);
  m.def("nll_loss", [](const Tensor& input, const Tensor& target, const OptTensor& weight, nb::handle reduction,
                       int64_t ignore_index) {
    return nll_loss(input, target, weight, reduction_arg(reduction), ignore_index);
  }, nb::arg("input"), nb::arg("target"), nb::arg("weight").none() = nb::none(), nb::arg("reduction") = 1,
     nb::arg("ignore_index") = -100);
  m.def("nll_loss_backward", [](const Tensor& grad_output, const Tensor& input, const Tensor& target,
                                const OptTensor& weight, nb::handle reduction, int64_t ignore_index,
                                const Tensor& total_weight) {
    return nll_loss_backward(grad_output, input, target, weight, reduction_arg(reduction), ignore_index,
                             total_weight);
  }, nb::arg("grad_output"), nb::arg("input"), nb::arg("target"), nb::arg("weight").none(), nb::arg("reduction"),
     nb::arg("ignore_index"), nb::arg("total_weight"));
}

void bind_resample(nb::module_& m) {
  m.def("embedding_dense_backward", &embedding_dense_backward, nb::arg("grad_output"), nb::arg("indices"),
        nb::arg("num_weights"), nb::arg("padding_idx") = -1, nb::arg("scale_grad_by_freq") = false);
  m.def("upsample_nearest2d", [](const Tensor& input, nb::handle os, std::optional<double> sh,
                                 std::optional<double> sw) {
    return upsample_nearest2d(input, int_list(os, "upsample_nearest2d"), sh, sw);
  }, nb::arg("input"), nb::arg("output_size"), nb::arg("scales_h").none() = nb::none(),
     nb::arg("scales_w").none() = nb::none());
  m.def("upsample_nearest2d_backward", [](const Tensor& grad_output, nb::handle os, nb::handle is,
                                          std::optional<double> sh, std::optional<double> sw) {
    const char* op = "upsample_nearest2d_backward";
    return upsample_nearest2d_backward(grad_output, int_list(os, op), int_list(is, op), sh, sw);
  }, nb::arg("grad_output"), nb::arg("output_size"), nb::arg("input_size"), nb::arg("scales_h").none() = nb::none(),
     nb::arg("scales_w").none() = nb::none());
  m.def("upsample_bilinear2d", [](const Tensor& input, nb::handle os, bool align_corners, std::optional<double> sh,
                                  std::optional<double> sw) {
    return upsample_bilinear2d(input, int_list(os, "upsample_bilinear2d"), align_corners, sh, sw);
  }, nb::arg("input"), nb::arg("output_size"), nb::arg("align_corners"), nb::arg("scales_h").none() = nb::none(),
     nb::arg("scales_w").none() = nb::none());
  m.def("upsample_bilinear2d_backward", [](const Tensor& grad_output, nb::handle os, nb::handle is,
                                           bool align_corners, std::optional<double> sh, std::optional<double> sw) {
    const char* op = "upsample_bilinear2d_backward";
    return upsample_bilinear2d_backward(grad_output, int_list(os, op), int_list(is, op), align_corners, sh, sw);
  }, nb::arg("grad_output"), nb::arg("output_size"), nb::arg("input_size"), nb::arg("align_corners"),
     nb::arg("scales_h").none() = nb::none(), nb::arg("scales_w").none() = nb::none());
}

void bind_activations(nb::module_& nn, nb::module_& top, nb::class_<Tensor>& cls) {
  using Fn = Tensor (*)(const Tensor&);
  using InplaceFn = Tensor& (*)(Tensor&);
  // x -> f(x) in _nn, and as ember.name / Tensor.name where PyTorch has them.
  auto plain = [&](const char* name, Fn f, bool top_level) {
    nn.def(name, f, nb::arg("input"));
    if (top_level) top.def(name, f, nb::arg("input"));
  };
  auto inplace = [&](const char* name, InplaceFn f, bool top_level) {
    auto g = [f](Tensor& x) -> Tensor& { return f(x); };
    nn.def(name, g, nb::arg("input"), nb::rv_policy::reference);
    if (top_level) top.def(name, g, nb::arg("input"), nb::rv_policy::reference);
  };
  plain("relu", &relu, true);
  inplace("relu_", &relu_, true);
  cls.def("relu", [](const Tensor& x) { return relu(x); });
  cls.def("relu_", [](Tensor& x) -> Tensor& { return relu_(x); }, nb::rv_policy::reference);
  plain("relu6", &relu6, false);
  inplace("relu6_", &relu6_, false);
  plain("selu", &selu, true);
  inplace("selu_", &selu_, true);
  plain("silu", &silu, false);
  inplace("silu_", &silu_, false);
  plain("mish", &mish, false);
  inplace("mish_", &mish_, false);
  plain("hardsigmoid", &hardsigmoid, false);
  inplace("hardsigmoid_", &hardsigmoid_, false);
  plain("hardswish", &hardswish, false);
  inplace("hardswish_", &hardswish_, false);
  plain("softsign", &softsign, false);
  plain("log_sigmoid", &log_sigmoid, false);
  nn.def("hardshrink", [](const Tensor& x, double l) { return hardshrink(x, l); }, nb::arg("input"),
         nb::arg("lambd") = 0.5);
  nn.def("softshrink", [](const Tensor& x, double l) { return softshrink(x, l); }, nb::arg("input"),
         nb::arg("lambd") = 0.5);

  for (nb::module_* mod : {&nn, &top}) {
    mod->def("threshold", [](const Tensor& x, double th, double v) { return threshold(x, th, v); }, nb::arg("input"),
             nb::arg("threshold"), nb::arg("value"));
    mod->def("threshold_", [](Tensor& x, double th, double v) -> Tensor& { return threshold_(x, th, v); },
             nb::arg("input"), nb::arg("threshold"), nb::arg("value"), nb::rv_policy::reference);
    mod->def("celu", [](const Tensor& x, double a) { return celu(x, a); }, nb::arg("input"), nb::arg("alpha") = 1.0);
    mod->def("celu_", [](Tensor& x, double a) -> Tensor& { return celu_(x, a); }, nb::arg("input"),
             nb::arg("alpha") = 1.0, nb::rv_policy::reference);
  }
  nn.def("hardtanh", [](const Tensor& x, double lo, double hi) { return hardtanh(x, lo, hi); }, nb::arg("input"),
         nb::arg("min_val") = -1.0, nb::arg("max_val") = 1.0);
  nn.def("hardtanh_", [](Tensor& x, double lo, double hi) -> Tensor& { return hardtanh_(x, lo, hi); },
         nb::arg("input"), nb::arg("min_val") = -1.0, nb::arg("max_val") = 1.0, nb::rv_policy::reference);
  nn.def("leaky_relu", [](const Tensor& x, double s) { return leaky_relu(x, s); }, nb::arg("input"),
         nb::arg("negative_slope") = 0.01);
  nn.def("leaky_relu_", [](Tensor& x, double s) -> Tensor& { return leaky_relu_(x, s); }, nb::arg("input"),
         nb::arg("negative_slope") = 0.01, nb::rv_policy::reference);
  nn.def("elu", [](const Tensor& x, double a, double s, double is) { return elu(x, a, s, is); }, nb::arg("input"),
         nb::arg("alpha") = 1.0, nb::arg("scale") = 1.0, nb::arg("input_scale") = 1.0);
  nn.def("elu_", [](Tensor& x, double a, double s, double is) -> Tensor& { return elu_(x, a, s, is); },
         nb::arg("input"), nb::arg("alpha") = 1.0, nb::arg("scale") = 1.0, nb::arg("input_scale") = 1.0,
         nb::rv_policy::reference);
  nn.def("gelu", [](const Tensor& x, std::string_view a) { return gelu(x, a); }, nb::arg("input"),
         nb::arg("approximate") = "none");
  nn.def("softplus", [](const Tensor& x, double b, double t) { return softplus(x, b, t); }, nb::arg("input"),
         nb::arg("beta") = 1.0, nb::arg("threshold") = 20.0);

  nn.def("threshold_backward", &threshold_backward, nb::arg("grad_output"), nb::arg("self"), nb::arg("threshold"));
  nn.def("hardtanh_backward", &hardtanh_backward, nb::arg("grad_output"), nb::arg("self"), nb::arg("min_val"),
         nb::arg("max_val"));
  nn.def("leaky_relu_backward", &leaky_relu_backward, nb::arg("grad_output"), nb::arg("self"),
         nb::arg("negative_slope"), nb::arg("self_is_result") = false);
  nn.def("elu_backward", &elu_backward, nb::arg("grad_output"), nb::arg("alpha"), nb::arg("scale"),
         nb::arg("input_scale"), nb::arg("is_result"), nb::arg("self_or_result"));
  nn.def("gelu_backward", [](const Tensor& g, const Tensor& x, std::string_view a) { return gelu_backward(g, x, a); },
         nb::arg("grad_output"), nb::arg("self"), nb::arg("approximate") = "none");
  nn.def("silu_backward", &silu_backward, nb::arg("grad_output"), nb::arg("self"));
  nn.def("mish_backward", &mish_backward, nb::arg("grad_output"), nb::arg("self"));
  nn.def("softplus_backward", &softplus_backward, nb::arg("grad_output"), nb::arg("self"), nb::arg("beta"),
         nb::arg("threshold"));
  nn.def("hardsigmoid_backward", &hardsigmoid_backward, nb::arg("grad_output"), nb::arg("self"));
  nn.def("hardswish_backward", &hardswish_backward, nb::arg("grad_output"), nb::arg("self"));
  nn.def("softsign_backward", &softsign_backward, nb::arg("grad_output"), nb::arg("self"));
  nn.def("hardshrink_backward", &hardshrink_backward, nb::arg("grad_out"), nb::arg("self"), nb::arg("lambd"));
  nn.def("softshrink_backward", &softshrink_backward, nb::arg("grad_output"), nb::arg("self"), nb::arg("lambd"));
  nn.def("log_sigmoid_backward", &log_sigmoid_backward, nb::arg("grad_output"), nb::arg("self"));
}

void bind_nn(nb::module_& m, nb::class_<Tensor>& cls) {
  nb::module_ nn = m.def_submodule("_nn", "Layer kernels under ATen's names (torch._C._nn).");
  bind_conv_pool(nn);
  bind_norms(nn);
  bind_losses(nn);
  bind_resample(nn);
  bind_activations(nn, m, cls);
}

}  // namespace

static BindingRegistrar reg(55, &bind_nn);

}  // namespace ember::py
