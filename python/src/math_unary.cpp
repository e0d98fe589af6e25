// Unary elementwise math: module functions (with out=), Tensor methods,
// in-place forms, the ~ operator and the real/imag properties.
#include "bind.h"
#include "ember/ops/unary.h"

namespace ember::py {

namespace {

using UnaryFn = Tensor (*)(const Tensor&);
using InplaceFn = Tensor& (*)(Tensor&);

// In-place methods return self itself (the same Python object), as PyTorch.
nb::object call_inplace(InplaceFn f, nb::handle self) {
  f(nb::cast<Tensor&>(self));
  return nb::borrow(self);
}

// out= returns the out tensor itself (the same Python object), as PyTorch.
nb::object with_out(const char* op, Tensor&& result, nb::handle out) {
  if (out.is_none()) return nb::cast(std::move(result));  // no handle copy
  write_out(op, result, out);
  return nb::borrow(out);
}

// Assigning to t.real / t.imag writes through the view.
void assign(Tensor view, nb::handle value) {
  if (nb::isinstance<Tensor>(value)) {
    view.copy_(nb::cast<const Tensor&>(value));
    return;
  }
  Scalar s;
  EMBER_CHECK(scalar_from_python(value, s), TypeError, "[real/imag] expected a Tensor or a number");
  view.fill_(s);
}

}  // namespace

static void bind_math_unary(nb::module_& m, nb::class_<Tensor>& cls) {
  // name(input, *, out=None) at module level, and the method name().
  auto unary_fn = [&m, &cls](const char* name, UnaryFn f) {
    m.def(name, [f, name](const Tensor& a, nb::handle out) { return with_out(name, f(a), out); },
          nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none());
    cls.def(name, f);
  };
  // name_() as a method and a module function.
  auto inplace_fn = [&m, &cls](const char* name, InplaceFn f) {
    m.def(name, [f](nb::handle self) { return call_inplace(f, self); }, nb::arg("input"));
    cls.def(name, [f](nb::handle self) { return call_inplace(f, self); });
  };
  auto both = [&](const char* name, const char* name_, UnaryFn f, InplaceFn f_) {
    unary_fn(name, f);
    inplace_fn(name_, f_);
  };
  both("neg", "neg_", &neg, &neg_);
  both("negative", "negative_", &neg, &neg_);
  both("abs", "abs_", &abs, &abs_);
  both("absolute", "absolute_", &abs, &abs_);
  both("sign", "sign_", &sign, &sign_);
  both("sgn", "sgn_", &sgn, &sgn_);
  both("square", "square_", &square, &square_);
  both("reciprocal", "reciprocal_", &reciprocal, &reciprocal_);
  both("sqrt", "sqrt_", &sqrt, &sqrt_);
  both("rsqrt", "rsqrt_", &rsqrt, &rsqrt_);
  both("exp", "exp_", &exp, &exp_);
  both("exp2", "exp2_", &exp2, &exp2_);
  both("expm1", "expm1_", &expm1, &expm1_);
  both("log", "log_", &log, &log_);
  both("log2", "log2_", &log2, &log2_);
  both("log10", "log10_", &log10, &log10_);
  both("log1p", "log1p_", &log1p, &log1p_);
  both("sin", "sin_", &sin, &sin_);
  both("cos", "cos_", &cos, &cos_);
  both("tan", "tan_", &tan, &tan_);
  both("asin", "asin_", &asin, &asin_);
  both("arcsin", "arcsin_", &asin, &asin_);
  both("acos", "acos_", &acos, &acos_);
  both("arccos", "arccos_", &acos, &acos_);
  both("atan", "atan_", &atan, &atan_);
  both("arctan", "arctan_", &atan, &atan_);
  both("sinh", "sinh_", &sinh, &sinh_);
  both("cosh", "cosh_", &cosh, &cosh_);
  both("tanh", "tanh_", &tanh, &tanh_);
  both("asinh", "asinh_", &asinh, &asinh_);
  both("arcsinh", "arcsinh_", &asinh, &asinh_);
  both("acosh", "acosh_", &acosh, &acosh_);
  both("arccosh", "arccosh_", &acosh, &acosh_);
  both("atanh", "atanh_", &atanh, &atanh_);
  both("arctanh", "arctanh_", &atanh, &atanh_);
  both("sigmoid", "sigmoid_", &sigmoid, &sigmoid_);
  both("erf", "erf_", &erf, &erf_);
  both("erfc", "erfc_", &erfc, &erfc_);
  both("erfinv", "erfinv_", &erfinv, &erfinv_);
  both("lgamma", "lgamma_", &lgamma, &lgamma_);
  both("digamma", "digamma_", &digamma, &digamma_);
  m.def("polygamma", [](int64_t n, const Tensor& a, nb::handle out) { return with_out("polygamma", polygamma(n, a), out); },
        nb::arg("n"), nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("polygamma", [](const Tensor& a, int64_t n) { return polygamma(n, a); }, nb::arg("n"));
  cls.def("polygamma_", [](nb::handle self, int64_t n) {
    polygamma_(nb::cast<Tensor&>(self), n);
    return nb::borrow(self);
  }, nb::arg("n"));
  unary_fn("cbrt", &cbrt);
  both("floor", "floor_", &floor, &floor_);
  both("ceil", "ceil_", &ceil, &ceil_);
  both("trunc", "trunc_", &trunc, &trunc_);
  both("fix", "fix_", &trunc, &trunc_);
  both("frac", "frac_", &frac, &frac_);
  unary_fn("isnan", &isnan);
  unary_fn("isinf", &isinf);
  unary_fn("isposinf", &isposinf);
  unary_fn("isneginf", &isneginf);
  unary_fn("isfinite", &isfinite);
  both("logical_not", "logical_not_", &logical_not, &logical_not_);
  both("bitwise_not", "bitwise_not_", &bitwise_not, &bitwise_not_);
  unary_fn("angle", &angle);
  unary_fn("conj_physical", &conj_physical);
  cls.def("__invert__", &bitwise_not);

  // ---- ops with arguments
  m.def("round", [](const Tensor& a, int64_t decimals, nb::handle out) { return with_out("round", round(a, decimals), out); },
        nb::arg("input"), nb::kw_only(), nb::arg("decimals") = 0, nb::arg("out") = nb::none());
  cls.def("round", [](const Tensor& a, int64_t decimals) { return round(a, decimals); }, nb::kw_only(),
          nb::arg("decimals") = 0);
  auto round_inplace = [](nb::handle self, int64_t decimals) {
    round_(nb::cast<Tensor&>(self), decimals);
    return nb::borrow(self);
  };
  m.def("round_", round_inplace, nb::arg("input"), nb::kw_only(), nb::arg("decimals") = 0);
  cls.def("round_", round_inplace, nb::kw_only(), nb::arg("decimals") = 0);

  m.def("logit", [](const Tensor& a, std::optional<double> eps, nb::handle out) { return with_out("logit", logit(a, eps), out); },
        nb::arg("input"), nb::arg("eps") = nb::none(), nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("logit", [](const Tensor& a, std::optional<double> eps) { return logit(a, eps); },
          nb::arg("eps") = nb::none());
  auto logit_inplace = [](nb::handle self, std::optional<double> eps) {
    logit_(nb::cast<Tensor&>(self), eps);
    return nb::borrow(self);
  };
  m.def("logit_", logit_inplace, nb::arg("input"), nb::arg("eps") = nb::none());
  cls.def("logit_", logit_inplace, nb::arg("eps") = nb::none());

  m.def("nan_to_num",
        [](const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf, nb::handle out) {
          return with_out("nan_to_num", nan_to_num(a, nan, posinf, neginf), out);
        },
        nb::arg("input"), nb::arg("nan") = 0.0, nb::arg("posinf") = nb::none(), nb::arg("neginf") = nb::none(),
        nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("nan_to_num", [](const Tensor& a, double nan, std::optional<double> posinf,
                           std::optional<double> neginf) { return nan_to_num(a, nan, posinf, neginf); },
          nb::arg("nan") = 0.0, nb::arg("posinf") = nb::none(), nb::arg("neginf") = nb::none());
  auto nan_to_num_inplace = [](nb::handle self, double nan, std::optional<double> posinf,
                               std::optional<double> neginf) {
    nan_to_num_(nb::cast<Tensor&>(self), nan, posinf, neginf);
    return nb::borrow(self);
  };
  m.def("nan_to_num_", nan_to_num_inplace, nb::arg("input"), nb::arg("nan") = 0.0, nb::arg("posinf") = nb::none(),
        nb::arg("neginf") = nb::none());
  cls.def("nan_to_num_", nan_to_num_inplace, nb::arg("nan") = 0.0, nb::arg("posinf") = nb::none(),
          nb::arg("neginf") = nb::none());

  // ---- complex views (no out=: they share memory with the input)
  m.def("view_as_real", &view_as_real, nb::arg("input"));
  m.def("view_as_complex", &view_as_complex, nb::arg("input"));
  m.def("real", &real, nb::arg("input"));
  m.def("imag", &imag, nb::arg("input"));
  m.def("conj", &conj, nb::arg("input"));
  cls.def("conj", &conj);
  // Ember has no lazy conjugation bit (see conj in unary_complex.cpp).
  cls.def("is_conj", [](const Tensor&) { return false; });
  cls.def("resolve_conj", [](const Tensor& t) { return t; });
  cls.def_prop_rw("real", &real, [](Tensor& t, nb::handle v) { assign(real(t), v); });
  cls.def_prop_rw("imag", &imag, [](Tensor& t, nb::handle v) { assign(imag(t), v); });
}

static BindingRegistrar reg(41, &bind_math_unary);

}  // namespace ember::py
