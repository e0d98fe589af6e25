// Rebinds the forward layer ops of ember._C._nn (and ember.relu, ember.selu,
// ember.celu, ember.threshold, Tensor.relu ...) to their differentiable
// versions in ops/nn_autograd.h, keeping nn_ops.cpp's names and arguments.
// Runs after nn_ops.cpp (order 56 > 55) and replaces each function instead
// of adding an overload beside it. The *_backward ops stay as bound there.
#include "bind.h"
#include "ember/ops/nn_autograd.h"

namespace ember::py {

namespace {

namespace ag = ember::nn_autograd;

DimVector int_list(nb::handle h, const char* op) {
  if (PyLong_Check(h.ptr())) return DimVector{nb::cast<int64_t>(h)};
  return sizes_from_sequence(h, op);
}
DimVector stride_list(nb::handle h, const char* op) { return h.is_none() ? DimVector{} : int_list(h, op); }

nb::object out(const Tensor& t) { return t.defined() ? nb::cast(t) : nb::none(); }
nb::tuple outs(const Tensor2& t) { return nb::make_tuple(out(std::get<0>(t)), out(std::get<1>(t))); }
nb::tuple outs(const Tensor3& t) {
  return nb::make_tuple(out(std::get<0>(t)), out(std::get<1>(t)), out(std::get<2>(t)));
}

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

// nanobind's def() adds an overload to an existing name; drop it first.
template <class Scope>
Scope& fresh(Scope& scope, const char* name) {
  if (nb::hasattr(scope, name)) nb::delattr(scope, name);
  return scope;
}

void bind_conv_pool(nb::module_& m) {
  fresh(m, "convolution").def("convolution", [](const Tensor& input, const Tensor& weight, const OptTensor& bias,
                                                nb::handle stride, nb::handle padding, nb::handle dilation,
                                                bool transposed, nb::handle output_padding, int64_t groups) {
    const char* op = "convolution";
    return ag::convolution(input, weight, bias, int_list(stride, op), int_list(padding, op), int_list(dilation, op),
                           transposed, int_list(output_padding, op), groups);
  }, nb::arg("input"), nb::arg("weight"), nb::arg("bias").none(), nb::arg("stride") = 1, nb::arg("padding") = 0,
     nb::arg("dilation") = 1, nb::arg("transposed") = false, nb::arg("output_padding") = 0, nb::arg("groups") = 1);
  fresh(m, "im2col").def("im2col", [](const Tensor& input, nb::handle k, nb::handle d, nb::handle p, nb::handle s) {
    return ag::im2col(input, int_list(k, "im2col"), int_list(d, "im2col"), int_list(p, "im2col"),
                      int_list(s, "im2col"));
  }, nb::arg("input"), nb::arg("kernel_size"), nb::arg("dilation") = 1, nb::arg("padding") = 0, nb::arg("stride") = 1);
  fresh(m, "col2im").def("col2im", [](const Tensor& input, nb::handle os, nb::handle k, nb::handle d, nb::handle p,
                                      nb::handle s) {
    return ag::col2im(input, int_list(os, "col2im"), int_list(k, "col2im"), int_list(d, "col2im"),
                      int_list(p, "col2im"), int_list(s, "col2im"));
  }, nb::arg("input"), nb::arg("output_size"), nb::arg("kernel_size"), nb::arg("dilation") = 1,
     nb::arg("padding") = 0, nb::arg("stride") = 1);

  using MaxPoolFn = Tensor2 (*)(const Tensor&, const DimVector&, const DimVector&, const DimVector&,
                                const DimVector&, bool);
  auto def_max = [&](const char* name, MaxPoolFn f) {
    fresh(m, name).def(name, [f, name](const Tensor& input, nb::handle k, nb::handle s, nb::handle p, nb::handle d,
                                       bool ceil_mode) {
      return outs(f(input, int_list(k, name), stride_list(s, name), int_list(p, name), int_list(d, name), ceil_mode));
    }, nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(), nb::arg("padding") = 0,
       nb::arg("dilation") = 1, nb::arg("ceil_mode") = false);
  };
  def_max("max_pool1d_with_indices", &ag::max_pool1d_with_indices);
  def_max("max_pool2d_with_indices", &ag::max_pool2d_with_indices);

  fresh(m, "avg_pool1d").def("avg_pool1d", [](const Tensor& input, nb::handle k, nb::handle s, nb::handle p,
                                              bool ceil_mode, bool cip) {
    const char* op = "avg_pool1d";
    return ag::avg_pool1d(input, int_list(k, op), stride_list(s, op), int_list(p, op), ceil_mode, cip);
  }, nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(), nb::arg("padding") = 0,
     nb::arg("ceil_mode") = false, nb::arg("count_include_pad") = true);
  fresh(m, "avg_pool2d").def("avg_pool2d", [](const Tensor& input, nb::handle k, nb::handle s, nb::handle p,
                                              bool ceil_mode, bool cip, nb::handle div) {
    const char* op = "avg_pool2d";
    return ag::avg_pool2d(input, int_list(k, op), stride_list(s, op), int_list(p, op), ceil_mode, cip, opt_int(div));
  }, nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::none(), nb::arg("padding") = 0,
     nb::arg("ceil_mode") = false, nb::arg("count_include_pad") = true, nb::arg("divisor_override") = nb::none());

  fresh(m, "adaptive_avg_pool1d").def("adaptive_avg_pool1d", [](const Tensor& x, nb::handle os) {
    return ag::adaptive_avg_pool1d(x, int_list(os, "adaptive_avg_pool1d"));
  }, nb::arg("input"), nb::arg("output_size"));
  fresh(m, "adaptive_avg_pool2d").def("adaptive_avg_pool2d", [](const Tensor& x, nb::handle os) {
    return ag::adaptive_avg_pool2d(x, int_list(os, "adaptive_avg_pool2d"));
  }, nb::arg("input"), nb::arg("output_size"));
  fresh(m, "adaptive_max_pool1d").def("adaptive_max_pool1d", [](const Tensor& x, nb::handle os) {
    return outs(ag::adaptive_max_pool1d(x, int_list(os, "adaptive_max_pool1d")));
  }, nb::arg("input"), nb::arg("output_size"));
  fresh(m, "adaptive_max_pool2d").def("adaptive_max_pool2d", [](const Tensor& x, nb::handle os) {
    return outs(ag::adaptive_max_pool2d(x, int_list(os, "adaptive_max_pool2d")));
  }, nb::arg("input"), nb::arg("output_size"));
}

void bind_norms_losses(nb::module_& m) {
  fresh(m, "native_batch_norm").def("native_batch_norm", [](const Tensor& input, const OptTensor& weight,
                                                            const OptTensor& bias, const OptTensor& running_mean,
                                                            const OptTensor& running_var, bool training,
                                                            double momentum, double eps) {
    return outs(ag::native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps));
  }, nb::arg("input"), nb::arg("weight").none(), nb::arg("bias").none(), nb::arg("running_mean").none(),
     nb::arg("running_var").none(), nb::arg("training"), nb::arg("momentum"), nb::arg("eps"));
  fresh(m, "native_layer_norm").def("native_layer_norm", [](const Tensor& input, nb::handle shape,
                                                            const OptTensor& weight, const OptTensor& bias,
                                                            double eps) {
    return outs(ag::native_layer_norm(input, int_list(shape, "native_layer_norm"), weight, bias, eps));
  }, nb::arg("input"), nb::arg("normalized_shape"), nb::arg("weight").none(), nb::arg("bias").none(),
     nb::arg("eps"));
  fresh(m, "native_group_norm").def("native_group_norm", [](const Tensor& input, const OptTensor& weight,
                                                            const OptTensor& bias, int64_t N, int64_t C, int64_t HxW,
                                                            int64_t group, double eps) {
    return outs(ag::native_group_norm(input, weight, bias, N, C, HxW, group, eps));
  }, nb::arg("input"), nb::arg("weight").none(), nb::arg("bias").none(), nb::arg("N"), nb::arg("C"), nb::arg("HxW"),
     nb::arg("group"), nb::arg("eps"));
  fresh(m, "rms_norm").def("rms_norm", [](const Tensor& input, nb::handle shape, const OptTensor& weight,
                                          std::optional<double> eps) {
    return ag::rms_norm(input, int_list(shape, "rms_norm"), weight, eps);
  }, nb::arg("input"), nb::arg("normalized_shape"), nb::arg("weight").none() = nb::none(),
     nb::arg("eps").none() = nb::none());

  fresh(m, "cross_entropy_loss").def("cross_entropy_loss", [](const Tensor& input, const Tensor& target,
                                                              const OptTensor& weight, nb::handle reduction,
                                                              int64_t ignore_index, double label_smoothing) {
    return ag::cross_entropy_loss(input, target, weight, reduction_arg(reduction), ignore_index, label_smoothing);
  }, nb::arg("input"), nb::arg("target"), nb::arg("weight").none() = nb::none(), nb::arg("reduction") = 1,
     nb::arg("ignore_index") = -100, nb::arg("label_smoothing") = 0.0);
  fresh(m, "nll_loss").def("nll_loss", [](const Tensor& input, const Tensor& target, const OptTensor& weight,
                                          nb::handle reduction, int64_t ignore_index) {
    return ag::nll_loss(input, target, weight, reduction_arg(reduction), ignore_index);
  }, nb::arg("input"), nb::arg("target"), nb::arg("weight").none() = nb::none(), nb::arg("reduction") = 1,
     nb::arg("ignore_index") = -100);

  fresh(m, "upsample_nearest2d").def("upsample_nearest2d", [](const Tensor& input, nb::handle os,
                                                              std::optional<double> sh, std::optional<double> sw) {
    return ag::upsample_nearest2d(input, int_list(os, "upsample_nearest2d"), sh, sw);
  }, nb::arg("input"), nb::arg("output_size"), nb::arg("scales_h").none() = nb::none(),
     nb::arg("scales_w").none() = nb::none());
  fresh(m, "upsample_bilinear2d").def("upsample_bilinear2d", [](const Tensor& input, nb::handle os,
                                                                bool align_corners, std::optional<double> sh,
                                                                std::optional<double> sw) {
    return ag::upsample_bilinear2d(input, int_list(os, "upsample_bilinear2d"), align_corners, sh, sw);
  }, nb::arg("input"), nb::arg("output_size"), nb::arg("align_corners"), nb::arg("scales_h").none() = nb::none(),
     nb::arg("scales_w").none() = nb::none());
}

void bind_activations(nb::module_& nn, nb::module_& top, nb::class_<Tensor>& cls) {
  using Fn = Tensor (*)(const Tensor&);
  using InplaceFn = Tensor& (*)(Tensor&);
  auto plain = [&](const char* name, Fn f, bool top_level) {
    fresh(nn, name).def(name, f, nb::arg("input"));
    if (top_level) fresh(top, name).def(name, f, nb::arg("input"));
  };
  auto inplace = [&](const char* name, InplaceFn f, bool top_level) {
    auto g = [f](Tensor& x) -> Tensor& { return f(x); };
    fresh(nn, name).def(name, g, nb::arg("input"), nb::rv_policy::reference);
    if (top_level) fresh(top, name).def(name, g, nb::arg("input"), nb::rv_policy::reference);
  };
  plain("relu", &ag::relu, true);
  inplace("relu_", &ag::relu_, true);
  fresh(cls, "relu").def("relu", [](const Tensor& x) { return ag::relu(x); });
  fresh(cls, "relu_").def("relu_", [](Tensor& x) -> Tensor& { return ag::relu_(x); }, nb::rv_policy::reference);
  plain("relu6", &ag::relu6, false);
  inplace("relu6_", &ag::relu6_, false);
  plain("selu", &ag::selu, true);
  inplace("selu_", &ag::selu_, true);
  plain("silu", &ag::silu, false);
  inplace("silu_", &ag::silu_, false);
  plain("mish", &ag::mish, false);
  inplace("mish_", &ag::mish_, false);
  plain("hardsigmoid", &ag::hardsigmoid, false);
  inplace("hardsigmoid_", &ag::hardsigmoid_, false);
  plain("hardswish", &ag::hardswish, false);
  inplace("hardswish_", &ag::hardswish_, false);
  plain("softsign", &ag::softsign, false);
  plain("log_sigmoid", &ag::log_sigmoid, false);
  fresh(nn, "hardshrink").def("hardshrink", [](const Tensor& x, double l) { return ag::hardshrink(x, l); },
                              nb::arg("input"), nb::arg("lambd") = 0.5);
  fresh(nn, "softshrink").def("softshrink", [](const Tensor& x, double l) { return ag::softshrink(x, l); },
                              nb::arg("input"), nb::arg("lambd") = 0.5);

  for (nb::module_* mod : {&nn, &top}) {
    fresh(*mod, "threshold").def("threshold", [](const Tensor& x, double th, double v) {
      return ag::threshold(x, th, v);
    }, nb::arg("input"), nb::arg("threshold"), nb::arg("value"));
    fresh(*mod, "threshold_").def("threshold_", [](Tensor& x, double th, double v) -> Tensor& {
      return ag::threshold_(x, th, v);
    }, nb::arg("input"), nb::arg("threshold"), nb::arg("value"), nb::rv_policy::reference);
    fresh(*mod, "celu").def("celu", [](const Tensor& x, double a) { return ag::celu(x, a); }, nb::arg("input"),
                            nb::arg("alpha") = 1.0);
    fresh(*mod, "celu_").def("celu_", [](Tensor& x, double a) -> Tensor& { return ag::celu_(x, a); },
                             nb::arg("input"), nb::arg("alpha") = 1.0, nb::rv_policy::reference);
  }
  fresh(nn, "hardtanh").def("hardtanh", [](const Tensor& x, double lo, double hi) { return ag::hardtanh(x, lo, hi); },
                            nb::arg("input"), nb::arg("min_val") = -1.0, nb::arg("max_val") = 1.0);
  fresh(nn, "hardtanh_").def("hardtanh_", [](Tensor& x, double lo, double hi) -> Tensor& {
    return ag::hardtanh_(x, lo, hi);
  }, nb::arg("input"), nb::arg("min_val") = -1.0, nb::arg("max_val") = 1.0, nb::rv_policy::reference);
  fresh(nn, "leaky_relu").def("leaky_relu", [](const Tensor& x, double s) { return ag::leaky_relu(x, s); },
                              nb::arg("input"), nb::arg("negative_slope") = 0.01);
  fresh(nn, "leaky_relu_").def("leaky_relu_", [](Tensor& x, double s) -> Tensor& { return ag::leaky_relu_(x, s); },
                               nb::arg("input"), nb::arg("negative_slope") = 0.01, nb::rv_policy::reference);
  fresh(nn, "elu").def("elu", [](const Tensor& x, double a, double s, double is) { return ag::elu(x, a, s, is); },
                       nb::arg("input"), nb::arg("alpha") = 1.0, nb::arg("scale") = 1.0,
                       nb::arg("input_scale") = 1.0);
  fresh(nn, "elu_").def("elu_", [](Tensor& x, double a, double s, double is) -> Tensor& {
    return ag::elu_(x, a, s, is);
  }, nb::arg("input"), nb::arg("alpha") = 1.0, nb::arg("scale") = 1.0, nb::arg("input_scale") = 1.0,
     nb::rv_policy::reference);
  fresh(nn, "gelu").def("gelu", [](const Tensor& x, std::string_view a) { return ag::gelu(x, a); }, nb::arg("input"),
                        nb::arg("approximate") = "none");
  fresh(nn, "softplus").def("softplus", [](const Tensor& x, double b, double t) { return ag::softplus(x, b, t); },
                            nb::arg("input"), nb::arg("beta") = 1.0, nb::arg("threshold") = 20.0);
}

void bind_nn_autograd(nb::module_& m, nb::class_<Tensor>& cls) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));
  bind_conv_pool(nn);
  bind_norms_losses(nn);
  bind_activations(nn, m, cls);
}

}  // namespace

static BindingRegistrar reg(56, &bind_nn_autograd);

}  // namespace ember::py
