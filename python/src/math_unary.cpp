// Unary elementwise math: module functions (with out=) and Tensor methods.
#include "bind.h"
#include "ember/ops/unary.h"

namespace ember::py {

static void bind_math_unary(nb::module_& m, nb::class_<Tensor>& cls) {
  using UnaryFn = Tensor (*)(const Tensor&);
  auto unary_fn = [&m, &cls](const char* name, UnaryFn f, bool method = true) {
    m.def(name, [f, name](const Tensor& a, nb::handle out) { return write_out(name, f(a), out); },
          nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none());
    if (method) cls.def(name, f);
  };
  unary_fn("neg", &neg);
  unary_fn("negative", &neg);
  unary_fn("abs", &abs);
  unary_fn("absolute", &abs);
  unary_fn("exp", &exp);
  unary_fn("log", &log);
  unary_fn("sqrt", &sqrt);
  unary_fn("sin", &sin);
  unary_fn("cos", &cos);
  unary_fn("tanh", &tanh);
  unary_fn("sigmoid", &sigmoid);
}

static BindingRegistrar reg(41, &bind_math_unary);

}  // namespace ember::py
