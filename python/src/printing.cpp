// Tensor.__repr__ / __str__ / __format__ and ember.set_printoptions /
// get_printoptions, over the C++ printing in ember/core/printing.h.
#include <cmath>
#include <limits>

#include "bind.h"
#include "ember/core/printing.h"

namespace ember::py {

namespace {

// PyTorch's threshold is a float so that profile "full" can set inf; ours
// is an int64 where INT64_MAX stands for inf. `numel > x` equals
// `numel > floor(x)` for a finite float x.
int64_t threshold_from_python(nb::handle h) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (PyFloat_Check(h.ptr())) {
    double x = PyFloat_AsDouble(h.ptr());
    EMBER_CHECK(!std::isnan(x), ValueError, "[set_printoptions] threshold must not be nan");
    if (x >= 9.2e18) return kMax;
    if (x <= -9.2e18) return kMin;
    return static_cast<int64_t>(std::floor(x));
  }
  EMBER_CHECK(PyIndex_Check(h.ptr()), TypeError, "[set_printoptions] threshold must be a number, got ",
              nb::inst_name(h).c_str());
  int overflow = 0;
  nb::object i = nb::steal(PyNumber_Index(h.ptr()));
  if (!i.is_valid()) throw nb::python_error();
  long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
  return overflow > 0 ? kMax : overflow < 0 ? kMin : static_cast<int64_t>(v);
}

nb::object threshold_to_python(int64_t t) {
  if (t == std::numeric_limits<int64_t>::max()) return nb::float_(INFINITY);
  return nb::int_(t);
}

}  // namespace

static void bind_printing(nb::module_& m, nb::class_<Tensor>& cls) {
  cls.def("__repr__", &Tensor::str)
      .def("__str__", &Tensor::str)
      // As PyTorch: a 0-d tensor formats like its Python number
      // (f"{t:.2f}"); others accept only the empty spec, like object.
      .def("__format__", [](const Tensor& t, const std::string& spec) -> nb::object {
        if (t.dim() == 0) return scalar_to_python(t.item()).attr("__format__")(spec);
        EMBER_CHECK(spec.empty(), TypeError, "unsupported format string passed to Tensor.__format__");
        return nb::str(t.str().c_str());
      }, nb::arg("format_spec"));

  m.def("set_printoptions",
        [](std::optional<int> precision, nb::handle threshold, std::optional<int64_t> edgeitems,
           std::optional<int64_t> linewidth, std::optional<std::string> profile, std::optional<bool> sci_mode) {
          PrintOptions o = profile ? print_options_profile(*profile) : get_print_options();
          if (precision) o.precision = *precision;
          if (!threshold.is_none()) o.threshold = threshold_from_python(threshold);
          if (edgeitems) o.edgeitems = *edgeitems;
          if (linewidth) o.linewidth = *linewidth;
          o.sci_mode = sci_mode;  // PyTorch resets it to None when not given
          set_print_options(o);
        },
        nb::arg("precision") = nb::none(), nb::arg("threshold") = nb::none(), nb::arg("edgeitems") = nb::none(),
        nb::arg("linewidth") = nb::none(), nb::arg("profile") = nb::none(), nb::arg("sci_mode") = nb::none());

  // A dict that set_printoptions(**d) accepts back, as in PyTorch.
  m.def("get_printoptions", [] {
    PrintOptions o = get_print_options();
    nb::dict d;
    d["precision"] = o.precision;
    d["threshold"] = threshold_to_python(o.threshold);
    d["edgeitems"] = o.edgeitems;
    d["linewidth"] = o.linewidth;
    d["sci_mode"] = o.sci_mode ? nb::object(nb::bool_(*o.sci_mode)) : nb::none();
    return d;
  });
}

static BindingRegistrar reg(40, &bind_printing);

}  // namespace ember::py
