// Factory functions: tensor, zeros, ones, full, empty, arange, linspace,
// logspace, eye and the *_like forms. Sizes come as varargs or one sequence.
#include "bind.h"

namespace ember::py {

namespace {

// Creation signatures share these keyword-only arguments.
#define EMBER_FACTORY_KWARGS                                                    \
  nb::kw_only(), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(), \
      nb::arg("requires_grad") = false, nb::arg("layout") = nb::none(),         \
      nb::arg("pin_memory") = false, nb::arg("out") = nb::none()

void check_no_out(nb::handle out, const char* op) {
  EMBER_CHECK(out.is_none(), NotImplementedError, "[", op, "] out= is not supported for factory functions yet");
}

template <class F>
auto sized_factory(const char* op, F make) {
  return [op, make](nb::args size, std::optional<DType> dtype, nb::handle device, bool requires_grad,
                    nb::handle, bool, nb::handle out) {
    check_no_out(out, op);
    return make(sizes_from_args(size, op), make_options(dtype, device, requires_grad));
  };
}

Tensor like(const Tensor& t, std::optional<DType> dtype, nb::handle device, bool requires_grad,
            Tensor (*make)(const Tensor&, const TensorOptions&)) {
  return make(t, like_options(t, dtype, device_from_python(device), requires_grad));
}

#define EMBER_LIKE_KWARGS                                                       \
  nb::arg("input"), nb::kw_only(), nb::arg("dtype") = nb::none(),               \
      nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,         \
      nb::arg("layout") = nb::none(), nb::arg("memory_format") = nb::none()

}  // namespace

static void bind_creation(nb::module_& m, nb::class_<Tensor>&) {
  m.def("tensor", [](nb::handle data, std::optional<DType> dtype, nb::handle device, bool requires_grad, bool) {
    Tensor t = tensor_from_data(data, dtype, device_from_python(device));
    return t.set_requires_grad(requires_grad);
  }, nb::arg("data"), nb::kw_only(), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
     nb::arg("requires_grad") = false, nb::arg("pin_memory") = false);

  m.def("empty", sized_factory("empty", [](const DimVector& s, const TensorOptions& o) { return empty(s, o); }),
        nb::arg("size"), EMBER_FACTORY_KWARGS);
  m.def("zeros", sized_factory("zeros", [](const DimVector& s, const TensorOptions& o) { return zeros(s, o); }),
        nb::arg("size"), EMBER_FACTORY_KWARGS);
  m.def("ones", sized_factory("ones", [](const DimVector& s, const TensorOptions& o) { return ones(s, o); }),
        nb::arg("size"), EMBER_FACTORY_KWARGS);
  m.def("full", [](nb::handle size, const Scalar& value, std::optional<DType> dtype, nb::handle device,
                   bool requires_grad, nb::handle, bool, nb::handle out) {
    check_no_out(out, "full");
    return full(sizes_from_sequence(size, "full"), value, make_options(dtype, device, requires_grad));
  }, nb::arg("size"), nb::arg("fill_value"), EMBER_FACTORY_KWARGS);
  m.def("empty_strided", [](nb::handle size, nb::handle stride, std::optional<DType> dtype, nb::handle device,
                            bool requires_grad, nb::handle, bool, nb::handle out) {
    check_no_out(out, "empty_strided");
    return empty_strided(sizes_from_sequence(size, "empty_strided"), sizes_from_sequence(stride, "empty_strided"),
                         make_options(dtype, device, requires_grad));
  }, nb::arg("size"), nb::arg("stride"), EMBER_FACTORY_KWARGS);

  m.def("empty_like", [](const Tensor& t, std::optional<DType> dt, nb::handle dev, bool rg, nb::handle, nb::handle) {
    return like(t, dt, dev, rg, &empty_like);
  }, EMBER_LIKE_KWARGS);
  m.def("zeros_like", [](const Tensor& t, std::optional<DType> dt, nb::handle dev, bool rg, nb::handle, nb::handle) {
    return like(t, dt, dev, rg, &zeros_like);
  }, EMBER_LIKE_KWARGS);
  m.def("ones_like", [](const Tensor& t, std::optional<DType> dt, nb::handle dev, bool rg, nb::handle, nb::handle) {
    return like(t, dt, dev, rg, &ones_like);
  }, EMBER_LIKE_KWARGS);
  m.def("full_like", [](const Tensor& t, const Scalar& v, std::optional<DType> dt, nb::handle dev, bool rg,
                        nb::handle, nb::handle) {
    return full_like(t, v, like_options(t, dt, device_from_python(dev), rg));
  }, nb::arg("input"), nb::arg("fill_value"), nb::kw_only(), nb::arg("dtype") = nb::none(),
     nb::arg("device") = nb::none(), nb::arg("requires_grad") = false, nb::arg("layout") = nb::none(),
     nb::arg("memory_format") = nb::none());

  // arange(end), arange(start, end), arange(start, end, step)
  m.def("arange", [](const Scalar& a, std::optional<Scalar> b, std::optional<Scalar> step, std::optional<DType> dtype,
                     nb::handle device, bool requires_grad, nb::handle, bool, nb::handle out) {
    check_no_out(out, "arange");
    Scalar start = b ? a : Scalar(int64_t(0));
    Scalar end = b ? *b : a;
    return arange(start, end, step.value_or(Scalar(int64_t(1))), make_options(dtype, device, requires_grad));
  }, nb::arg("start"), nb::arg("end") = nb::none(), nb::arg("step") = nb::none(), EMBER_FACTORY_KWARGS);
  m.def("linspace", [](const Scalar& start, const Scalar& end, int64_t steps, std::optional<DType> dtype,
                       nb::handle device, bool requires_grad, nb::handle, bool, nb::handle out) {
    check_no_out(out, "linspace");
    return linspace(start, end, steps, make_options(dtype, device, requires_grad));
  }, nb::arg("start"), nb::arg("end"), nb::arg("steps"), EMBER_FACTORY_KWARGS);
  m.def("logspace", [](const Scalar& start, const Scalar& end, int64_t steps, double base,
                       std::optional<DType> dtype, nb::handle device, bool requires_grad, nb::handle, bool,
                       nb::handle out) {
    check_no_out(out, "logspace");
    return logspace(start, end, steps, base, make_options(dtype, device, requires_grad));
  }, nb::arg("start"), nb::arg("end"), nb::arg("steps"), nb::arg("base") = 10.0, EMBER_FACTORY_KWARGS);
  m.def("eye", [](int64_t n, std::optional<int64_t> mm, std::optional<DType> dtype, nb::handle device,
                  bool requires_grad, nb::handle, bool, nb::handle out) {
    check_no_out(out, "eye");
    // An explicit m=-1 is an error in Python, not C++'s "square" default.
    EMBER_CHECK(!mm || *mm >= 0, RuntimeError, "[eye] m must be greater or equal to 0, got ", *mm);
    return eye(n, mm.value_or(n), make_options(dtype, device, requires_grad));
  }, nb::arg("n"), nb::arg("m") = nb::none(), EMBER_FACTORY_KWARGS);
}

static BindingRegistrar reg(20, &bind_creation);

}  // namespace ember::py
