// Binary elementwise math: module functions and Tensor methods (the
// operators are type slots, operators.cpp; unary functions are in
// math_unary.cpp).
#include <nanobind/stl/string_view.h>

#include "bind.h"
#include "ember/ops/elementwise.h"
#include "numpy_interop.h"
#include "operators.h"

namespace ember::py {

namespace {

using BinaryFn = Tensor (*)(const Operand&, const Operand&);
using InplaceFn = Tensor& (*)(Tensor&, const Operand&);

// None -> no bound; anything else -> an operand.
std::optional<Operand> optional_operand(nb::handle h, const char* op) {
  if (h.is_none()) return std::nullopt;
  return to_operand(h, op);
}

Tensor add2(const Operand& a, const Operand& b) { return add(a, b); }
Tensor sub2(const Operand& a, const Operand& b) { return sub(a, b); }
Tensor div2(const Operand& a, const Operand& b) { return div(a, b); }

}  // namespace

static void bind_math(nb::module_& m, nb::class_<Tensor>& cls) {
  // ---- operators: + - * / // % ** & | ^ << >>, their reflected and
  // in-place forms and the comparisons are type slots (Note [Operator
  // slots] in operators.cpp); never .def() them here.
  cls.def("__neg__", &neg)
      .def("__pos__", [](const Tensor& t) { return t; })
      .def("__abs__", &abs);

  // ---- methods
  cls.def("add", [](const Tensor& t, nb::handle o, const Scalar& alpha) { return add(t, to_operand(o, "add"), alpha); },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1)
      .def("add_", [](Tensor& t, nb::handle o, const Scalar& alpha) -> Tensor& { return add_(t, to_operand(o, "add_"), alpha); }, nb::rv_policy::reference,
           nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1)
      .def("sub", [](const Tensor& t, nb::handle o, const Scalar& alpha) { return sub(t, to_operand(o, "sub"), alpha); },
           nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1)
      .def("sub_", [](Tensor& t, nb::handle o, const Scalar& alpha) -> Tensor& { return sub_(t, to_operand(o, "sub_"), alpha); }, nb::rv_policy::reference,
           nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1)
      .def("mul", [](const Tensor& t, nb::handle o) { return mul(t, to_operand(o, "mul")); })
      .def("mul_", [](Tensor& t, nb::handle o) -> Tensor& { return mul_(t, to_operand(o, "mul_")); }, nb::rv_policy::reference)
      .def("div", [](const Tensor& t, nb::handle o, std::optional<std::string_view> mode) {
        return div(t, to_operand(o, "div"), mode);
      }, nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none())
      .def("div_", [](Tensor& t, nb::handle o, std::optional<std::string_view> mode) -> Tensor& {
        return div_(t, to_operand(o, "div_"), mode);
      }, nb::rv_policy::reference, nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none())
      .def("pow", [](const Tensor& t, nb::handle o) { return pow(t, to_operand(o, "pow")); })
      .def("pow_", [](Tensor& t, nb::handle o) -> Tensor& { return pow_(t, to_operand(o, "pow_")); }, nb::rv_policy::reference)
      .def("floor_divide", [](const Tensor& t, nb::handle o) { return floor_divide(t, to_operand(o, "floor_divide")); })
      .def("remainder", [](const Tensor& t, nb::handle o) { return remainder(t, to_operand(o, "remainder")); })
      .def("maximum", &maximum)
      .def("minimum", &minimum)
      .def("eq", [](const Tensor& t, nb::handle o) { return eq(t, to_operand(o, "eq")); })
      .def("ne", [](const Tensor& t, nb::handle o) { return ne(t, to_operand(o, "ne")); })
      .def("lt", [](const Tensor& t, nb::handle o) { return lt(t, to_operand(o, "lt")); })
      .def("le", [](const Tensor& t, nb::handle o) { return le(t, to_operand(o, "le")); })
      .def("gt", [](const Tensor& t, nb::handle o) { return gt(t, to_operand(o, "gt")); })
      .def("ge", [](const Tensor& t, nb::handle o) { return ge(t, to_operand(o, "ge")); });

  // ---- module functions (NumPy-style aliases too)
  auto binary_fn = [&m](const char* name, BinaryFn f) {
    m.def(name, [f, name](nb::handle a, nb::handle b, nb::handle out) {
      return write_out(name, f(to_operand(a, name), to_operand(b, name)), out);
    }, nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("out") = nb::none());
  };
  m.def("add", [](nb::handle a, nb::handle b, const Scalar& alpha, nb::handle out) {
    return write_out("add", add(to_operand(a, "add"), to_operand(b, "add"), alpha), out);
  }, nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1, nb::arg("out") = nb::none());
  m.def("sub", [](nb::handle a, nb::handle b, const Scalar& alpha, nb::handle out) {
    return write_out("sub", sub(to_operand(a, "sub"), to_operand(b, "sub"), alpha), out);
  }, nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1, nb::arg("out") = nb::none());
  m.def("div", [](nb::handle a, nb::handle b, std::optional<std::string_view> mode, nb::handle out) {
    return write_out("div", div(to_operand(a, "div"), to_operand(b, "div"), mode), out);
  }, nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none(),
     nb::arg("out") = nb::none());
  binary_fn("mul", &mul);
  binary_fn("multiply", &mul);
  binary_fn("true_divide", &div2);
  binary_fn("floor_divide", &floor_divide);
  binary_fn("remainder", &remainder);
  binary_fn("pow", &pow);
  binary_fn("eq", &eq);
  binary_fn("ne", &ne);
  binary_fn("not_equal", &ne);
  binary_fn("lt", &lt);
  binary_fn("less", &lt);
  binary_fn("le", &le);
  binary_fn("less_equal", &le);
  binary_fn("gt", &gt);
  binary_fn("greater", &gt);
  binary_fn("ge", &ge);
  binary_fn("greater_equal", &ge);
  for (auto [name, f] : {std::pair{"maximum", &maximum}, std::pair{"minimum", &minimum}}) {
    m.def(name, [f, name](const Tensor& a, const Tensor& b, nb::handle out) { return write_out(name, f(a, b), out); },
          nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("out") = nb::none());
  }

  // ---- binary functions: module function with out=, method, in-place method
  auto method = [&cls](const char* name, BinaryFn f) {
    cls.def(name, [f, name](const Tensor& t, nb::handle o) { return f(t, to_operand(o, name)); }, nb::arg("other"));
  };
  auto inplace = [&cls](const char* name, InplaceFn f) {
    // Returning Tensor& with rv_policy::reference gives back self's own
    // Python object: `x.add_(y) is x`, as in PyTorch.
    cls.def(name, [f, name](Tensor& t, nb::handle o) -> Tensor& { return f(t, to_operand(o, name)); },
            nb::rv_policy::reference, nb::arg("other"));
  };
  auto full = [&](const char* name, const char* name_, BinaryFn f, InplaceFn f_) {
    binary_fn(name, f);
    method(name, f);
    if (f_) inplace(name_, f_);
  };
  full("fmod", "fmod_", &fmod, &fmod_);
  full("atan2", "atan2_", &atan2, &atan2_);
  full("arctan2", "arctan2_", &atan2, &atan2_);
  full("hypot", "hypot_", &hypot, &hypot_);
  full("copysign", "copysign_", &copysign, &copysign_);
  full("fmax", nullptr, &fmax, nullptr);
  full("fmin", nullptr, &fmin, nullptr);
  full("logaddexp", nullptr, &logaddexp, nullptr);
  full("logaddexp2", nullptr, &logaddexp2, nullptr);
  full("xlogy", "xlogy_", &xlogy, &xlogy_);
  full("bitwise_and", "bitwise_and_", &bitwise_and, &bitwise_and_);
  full("bitwise_or", "bitwise_or_", &bitwise_or, &bitwise_or_);
  full("bitwise_xor", "bitwise_xor_", &bitwise_xor, &bitwise_xor_);
  full("bitwise_left_shift", "bitwise_left_shift_", &bitwise_left_shift, &bitwise_left_shift_);
  full("bitwise_right_shift", "bitwise_right_shift_", &bitwise_right_shift, &bitwise_right_shift_);
  full("logical_and", "logical_and_", &logical_and, &logical_and_);
  full("logical_or", "logical_or_", &logical_or, &logical_or_);
  full("logical_xor", "logical_xor_", &logical_xor, &logical_xor_);
  inplace("remainder_", &remainder_);
  inplace("floor_divide_", &floor_divide_);
  inplace("multiply_", &mul_);
  inplace("true_divide_", [](Tensor& t, const Operand& o) -> Tensor& { return div_(t, o); });
  method("multiply", &mul);
  method("true_divide", &div2);
  method("not_equal", &ne);
  method("less", &lt);
  method("less_equal", &le);
  method("greater", &gt);
  method("greater_equal", &ge);
  for (auto [name, f] : {std::pair{"eq_", &eq_}, std::pair{"ne_", &ne_}, std::pair{"not_equal_", &ne_},
                         std::pair{"lt_", &lt_}, std::pair{"less_", &lt_}, std::pair{"le_", &le_},
                         std::pair{"less_equal_", &le_}, std::pair{"gt_", &gt_}, std::pair{"greater_", &gt_},
                         std::pair{"ge_", &ge_}, std::pair{"greater_equal_", &ge_}}) {
    inplace(name, f);
  }
  // NumPy-style names with PyTorch's keyword arguments.
  m.def("subtract", [](nb::handle a, nb::handle b, const Scalar& alpha, nb::handle out) {
    return write_out("subtract", sub(to_operand(a, "subtract"), to_operand(b, "subtract"), alpha), out);
  }, nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1, nb::arg("out") = nb::none());
  cls.def("subtract", [](const Tensor& t, nb::handle o, const Scalar& alpha) {
    return sub(t, to_operand(o, "subtract"), alpha);
  }, nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1);
  cls.def("subtract_", [](Tensor& t, nb::handle o, const Scalar& alpha) -> Tensor& {
    return sub_(t, to_operand(o, "subtract_"), alpha);
  }, nb::rv_policy::reference, nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1);
  m.def("divide", [](nb::handle a, nb::handle b, std::optional<std::string_view> mode, nb::handle out) {
    return write_out("divide", div(to_operand(a, "divide"), to_operand(b, "divide"), mode), out);
  }, nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none(),
     nb::arg("out") = nb::none());
  cls.def("divide", [](const Tensor& t, nb::handle o, std::optional<std::string_view> mode) {
    return div(t, to_operand(o, "divide"), mode);
  }, nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none());
  cls.def("divide_", [](Tensor& t, nb::handle o, std::optional<std::string_view> mode) -> Tensor& {
    return div_(t, to_operand(o, "divide_"), mode);
  }, nb::rv_policy::reference, nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none());

  // ---- where, clamp, lerp
  m.def("where", [](const Tensor& cond, nb::handle a, nb::handle b, nb::handle out) {
    EMBER_CHECK(!a.is_none() && !b.is_none(), NotImplementedError,
                "[where] where(condition) with one argument is not supported; use nonzero(as_tuple=True)");
    return write_out("where", where(cond, to_operand(a, "where"), to_operand(b, "where")), out);
  }, nb::arg("condition"), nb::arg("input") = nb::none(), nb::arg("other") = nb::none(), nb::kw_only(),
     nb::arg("out") = nb::none());
  cls.def("where", [](const Tensor& t, const Tensor& cond, nb::handle o) {
    return where(cond, t, to_operand(o, "where"));
  }, nb::arg("condition"), nb::arg("other"));
  using ClampFn = Tensor (*)(const Tensor&, const std::optional<Operand>&, const std::optional<Operand>&);
  using ClampInplaceFn = Tensor& (*)(Tensor&, const std::optional<Operand>&, const std::optional<Operand>&);
  auto bind_clamp = [&](const char* name, const char* name_, ClampFn f, ClampInplaceFn f_) {
    m.def(name, [name, f](const Tensor& t, nb::handle lo, nb::handle hi, nb::handle out) {
      return write_out(name, f(t, optional_operand(lo, name), optional_operand(hi, name)), out);
    }, nb::arg("input"), nb::arg("min") = nb::none(), nb::arg("max") = nb::none(), nb::kw_only(),
       nb::arg("out") = nb::none());
    cls.def(name, [name, f](const Tensor& t, nb::handle lo, nb::handle hi) {
      return f(t, optional_operand(lo, name), optional_operand(hi, name));
    }, nb::arg("min") = nb::none(), nb::arg("max") = nb::none());
    cls.def(name_, [name_, f_](Tensor& t, nb::handle lo, nb::handle hi) -> Tensor& {
      return f_(t, optional_operand(lo, name_), optional_operand(hi, name_));
    }, nb::rv_policy::reference, nb::arg("min") = nb::none(), nb::arg("max") = nb::none());
  };
  bind_clamp("clamp", "clamp_", &clamp, &clamp_);
  bind_clamp("clip", "clip_", &clip, &clip_);
  m.def("clamp_min", [](const Tensor& t, nb::handle lo, nb::handle out) {
    return write_out("clamp_min", clamp_min(t, to_operand(lo, "clamp_min")), out);
  }, nb::arg("input"), nb::arg("min"), nb::kw_only(), nb::arg("out") = nb::none());
  m.def("clamp_max", [](const Tensor& t, nb::handle hi, nb::handle out) {
    return write_out("clamp_max", clamp_max(t, to_operand(hi, "clamp_max")), out);
  }, nb::arg("input"), nb::arg("max"), nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("clamp_min", [](const Tensor& t, nb::handle lo) { return clamp_min(t, to_operand(lo, "clamp_min")); },
          nb::arg("min"));
  cls.def("clamp_max", [](const Tensor& t, nb::handle hi) { return clamp_max(t, to_operand(hi, "clamp_max")); },
          nb::arg("max"));
  cls.def("clamp_min_", [](Tensor& t, nb::handle lo) -> Tensor& { return clamp_min_(t, to_operand(lo, "clamp_min_")); }, nb::rv_policy::reference,
          nb::arg("min"));
  cls.def("clamp_max_", [](Tensor& t, nb::handle hi) -> Tensor& { return clamp_max_(t, to_operand(hi, "clamp_max_")); }, nb::rv_policy::reference,
          nb::arg("max"));
  m.def("lerp", [](const Tensor& s, const Tensor& e, nb::handle w, nb::handle out) {
    return write_out("lerp", lerp(s, e, to_operand(w, "lerp")), out);
  }, nb::arg("input"), nb::arg("end"), nb::arg("weight"), nb::kw_only(), nb::arg("out") = nb::none());
  cls.def("lerp", [](const Tensor& s, const Tensor& e, nb::handle w) { return lerp(s, e, to_operand(w, "lerp")); },
          nb::arg("end"), nb::arg("weight"));
  cls.def("lerp_", [](Tensor& s, const Tensor& e, nb::handle w) -> Tensor& { return lerp_(s, e, to_operand(w, "lerp_")); },
          nb::rv_policy::reference, nb::arg("end"), nb::arg("weight"));

  // ---- closeness
  m.def("isclose", &isclose, nb::arg("input"), nb::arg("other"), nb::arg("rtol") = 1e-05, nb::arg("atol") = 1e-08,
        nb::arg("equal_nan") = false);
  cls.def("isclose", &isclose, nb::arg("other"), nb::arg("rtol") = 1e-05, nb::arg("atol") = 1e-08,
          nb::arg("equal_nan") = false);
  m.def("allclose", &allclose, nb::arg("input"), nb::arg("other"), nb::arg("rtol") = 1e-05, nb::arg("atol") = 1e-08,
        nb::arg("equal_nan") = false);
  cls.def("allclose", &allclose, nb::arg("other"), nb::arg("rtol") = 1e-05, nb::arg("atol") = 1e-08,
          nb::arg("equal_nan") = false);
  m.def("equal", &equal, nb::arg("input"), nb::arg("other"));
  cls.def("equal", &equal, nb::arg("other"));
  m.def("result_type", [](nb::handle a, nb::handle b) {
    Operand x = to_operand(a, "result_type"), y = to_operand(b, "result_type");
    ResultTypeState s;
    s.add(x.tensor, x.wrapped_number);
    s.add(y.tensor, y.wrapped_number);
    return s.result();
  });
  m.def("can_cast", &can_cast, nb::arg("from_"), nb::arg("to"));
  m.def("scalar_tensor", [](const Scalar& s, std::optional<DType> dtype, nb::handle device, bool requires_grad) {
    Tensor t = scalar_tensor(s, dtype.value_or(s.is_integral() || s.is_bool() ? get_default_dtype() : s.default_dtype()),
                             device_from_python(device).value_or(Device(DeviceType::CPU)));
    return t.set_requires_grad(requires_grad);
  }, nb::arg("s"), nb::kw_only(), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
     nb::arg("requires_grad") = false);
}

static BindingRegistrar reg(40, &bind_math);

}  // namespace ember::py
