// Python <-> C++ conversion for dtypes, devices, sizes and scalars, and the
// ember.dtype / ember.device classes.
#include <nanobind/operators.h>

#include "bind.h"

namespace ember::py {

namespace {

struct DTypeObj {
  DType t;
};
struct DeviceObj {
  Device d;
};

nb::handle g_dtype_objects[kNumDTypes];
nb::handle g_size_cls;
nb::handle g_device_cls;

}  // namespace

nb::handle dtype_object(DType t) { return g_dtype_objects[static_cast<int>(t)]; }

bool dtype_from_python(nb::handle h, DType& out) {
  if (nb::isinstance<DTypeObj>(h)) {
    out = nb::cast<DTypeObj&>(h).t;
    return true;
  }
  // Python's own types, as PyTorch accepts them: float -> float64 ...
  if (h.ptr() == (PyObject*)&PyFloat_Type) { out = DType::Float64; return true; }
  if (h.ptr() == (PyObject*)&PyLong_Type) { out = DType::Int64; return true; }
  if (h.ptr() == (PyObject*)&PyBool_Type) { out = DType::Bool; return true; }
  if (h.ptr() == (PyObject*)&PyComplex_Type) { out = DType::Complex128; return true; }
  // NumPy dtypes and scalar types (np.float32, np.dtype('int64')).
  try {
    nb::handle tp = h.type();
    std::string mod = nb::cast<std::string>(tp.attr("__module__"));
    bool numpy_like = mod.rfind("numpy", 0) == 0 ||
                      (PyType_Check(h.ptr()) &&
                       nb::cast<std::string>(h.attr("__module__")).rfind("numpy", 0) == 0);
    if (!numpy_like) return false;
    nb::object np = nb::module_::import_("numpy");
    std::string name = nb::cast<std::string>(np.attr("dtype")(h).attr("name"));
    out = dtype_from_name(name == "bool" ? "bool" : name);
    return true;
  } catch (...) {
    PyErr_Clear();
    return false;
  }
}

nb::object make_size(const DimVector& sizes) {
  nb::tuple t = nb::steal<nb::tuple>(PyTuple_New(static_cast<Py_ssize_t>(sizes.size())));
  for (size_t i = 0; i < sizes.size(); ++i) {
    PyTuple_SET_ITEM(t.ptr(), i, PyLong_FromLongLong(sizes[i]));
  }
  if (!g_size_cls) {
    g_size_cls = nb::object(nb::module_::import_("ember._size").attr("Size")).release();
  }
  return g_size_cls(t);
}

bool scalar_from_python(nb::handle h, Scalar& out) {
  PyObject* o = h.ptr();
  if (PyBool_Check(o)) {
    out = Scalar(o == Py_True);
    return true;
  }
  if (PyLong_Check(o)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow) {
      // Too large for int64: keep it as a float, as NumPy would.
      out = Scalar(PyLong_AsDouble(o));
      if (PyErr_Occurred()) { PyErr_Clear(); return false; }
      return true;
    }
    out = Scalar(static_cast<int64_t>(v));
    return true;
  }
  if (PyFloat_Check(o)) {
    out = Scalar(PyFloat_AS_DOUBLE(o));
    return true;
  }
  if (PyComplex_Check(o)) {
    out = Scalar(std::complex<double>(PyComplex_RealAsDouble(o), PyComplex_ImagAsDouble(o)));
    return true;
  }
  if (nb::isinstance<Tensor>(h)) return false;
  // NumPy scalars: np.bool_, integers (have __index__), floats, complex.
  try {
    std::string tname = nb::cast<std::string>(h.type().attr("__name__"));
    if (tname == "bool" || tname == "bool_") {
      out = Scalar(PyObject_IsTrue(o) == 1);
      return true;
    }
    if (PyIndex_Check(o)) {
      nb::object i = nb::steal(PyNumber_Index(o));
      if (!i.is_valid()) { PyErr_Clear(); return false; }
      return scalar_from_python(i, out);
    }
    if (tname.rfind("complex", 0) == 0 && nb::hasattr(h, "imag")) {
      out = Scalar(std::complex<double>(nb::cast<double>(h.attr("real")), nb::cast<double>(h.attr("imag"))));
      return true;
    }
    if (nb::hasattr(h, "__float__") && nb::hasattr(h, "dtype")) {
      out = Scalar(PyFloat_AsDouble(o));
      if (PyErr_Occurred()) { PyErr_Clear(); return false; }
      return true;
    }
  } catch (...) {
    PyErr_Clear();
  }
  return false;
}

nb::object scalar_to_python(const Scalar& s) {
  switch (s.kind()) {
    case Scalar::Kind::Bool: return nb::bool_(s.to_bool());
    case Scalar::Kind::Int: return nb::int_(s.to_int());
    case Scalar::Kind::Float: return nb::float_(s.to_double());
    default: {
      auto c = s.to_complex();
      return nb::steal(PyComplex_FromDoubles(c.real(), c.imag()));
    }
  }
}

std::optional<Device> device_from_python(nb::handle h) {
  if (h.is_none()) return std::nullopt;
  if (PyUnicode_Check(h.ptr())) return Device(nb::cast<std::string>(h));
  nb::detail::type_caster<Device> c;
  EMBER_CHECK(c.from_python(h, 0, nullptr), TypeError, "expected a device (str, int or ember.device), got ",
              nb::cast<std::string>(h.type().attr("__name__")));
  return c.value;
}

TensorOptions make_options(std::optional<DType> dtype, nb::handle device, bool requires_grad) {
  TensorOptions o;
  o.dtype_ = dtype;
  if (auto d = device_from_python(device)) o.device_ = *d;
  o.requires_grad_ = requires_grad;
  return o;
}

static int64_t index_from_python(nb::handle h, const char* op, size_t pos) {
  if (PyIndex_Check(h.ptr()) && !PyBool_Check(h.ptr())) {
    long long v = PyLong_AsLongLong(nb::steal(PyNumber_Index(h.ptr())).ptr());
    if (!PyErr_Occurred()) return v;
    bool overflow = PyErr_ExceptionMatches(PyExc_OverflowError);
    PyErr_Clear();
    EMBER_CHECK(!overflow, RuntimeError, "[", op, "] Overflow when unpacking long: size ",
                nb::cast<std::string>(nb::str(h)), " at pos ", pos, " does not fit in int64");
  }
  if (nb::isinstance<Tensor>(h)) {
    Tensor& t = nb::cast<Tensor&>(h);
    if (t.numel() == 1 && is_integral(t.dtype(), false)) return t.item().to_int();
  }
  EMBER_THROW(TypeError, op, "(): argument 'size' must be tuple of ints, but found element of type ",
              nb::cast<std::string>(h.type().attr("__name__")), " at pos ", pos);
}

DimVector sizes_from_sequence(nb::handle seq, const char* op) {
  EMBER_CHECK(PySequence_Check(seq.ptr()) && !PyUnicode_Check(seq.ptr()), TypeError, op,
              "(): argument 'size' must be tuple of ints, but found ",
              nb::cast<std::string>(seq.type().attr("__name__")));
  nb::sequence s = nb::borrow<nb::sequence>(seq);
  DimVector out;
  size_t n = nb::len(s);
  for (size_t i = 0; i < n; ++i) out.push_back(index_from_python(s[i], op, i));
  return out;
}

DimVector sizes_from_args(const nb::args& args, const char* op) {
  if (args.size() == 1 && !PyIndex_Check(args[0].ptr()) && !nb::isinstance<Tensor>(args[0])) {
    return sizes_from_sequence(args[0], op);
  }
  DimVector out;
  for (size_t i = 0; i < args.size(); ++i) out.push_back(index_from_python(args[i], op, i));
  return out;
}

static void bind_casters(nb::module_& m, nb::class_<Tensor>&) {
  nb::class_<DTypeObj> dt(m, "dtype");
  dt.def_prop_ro("itemsize", [](const DTypeObj& d) { return itemsize(d.t); })
      .def_prop_ro("is_floating_point", [](const DTypeObj& d) { return is_floating_point(d.t); })
      .def_prop_ro("is_complex", [](const DTypeObj& d) { return is_complex(d.t); })
      .def_prop_ro("is_signed", [](const DTypeObj& d) { return is_signed(d.t); })
      .def("to_real", [](const DTypeObj& d) { return to_real(d.t); })
      .def("to_complex", [](const DTypeObj& d) {
        EMBER_CHECK(!is_integral(d.t, true), RuntimeError, "[to_complex] ", dtype_name(d.t),
                    " has no complex counterpart");
        return d.t == DType::Float16 || d.t == DType::BFloat16 ? DType::Complex64 : to_complex(d.t);
      })
      .def("__repr__", [](const DTypeObj& d) { return "ember." + std::string(dtype_name(d.t)); })
      .def("__reduce__", [](const DTypeObj& d) { return std::string(dtype_name(d.t)); })
      .def("__hash__", [](const DTypeObj& d) { return static_cast<int>(d.t) + 0x5eed; });
  for (int i = 0; i < kNumDTypes; ++i) {
    DType t = static_cast<DType>(i);
    nb::object o = nb::cast(DTypeObj{t});
    g_dtype_objects[i] = o.inc_ref();
    m.attr(std::string(dtype_name(t)).c_str()) = o;
  }

  nb::class_<DeviceObj> dev(m, "device");
  dev.def("__init__", [](DeviceObj* self, const std::string& spec) { new (self) DeviceObj{Device(spec)}; })
      .def("__init__", [](DeviceObj* self, const DeviceObj& other) { new (self) DeviceObj{other.d}; })
      .def("__init__",
           [](DeviceObj* self, const std::string& type, int index) {
             Device d(type);
             EMBER_CHECK(d.index < 0, RuntimeError, "type (string) must not include an index because index was passed explicitly: ", type);
             EMBER_CHECK(index >= 0, RuntimeError, "Device index must not be negative");
             d.index = static_cast<int8_t>(index);
             new (self) DeviceObj{d};
           })
      .def_prop_ro("type", [](const DeviceObj& d) { return std::string(device_type_name(d.d.type)); })
      .def_prop_ro("index", [](const DeviceObj& d) -> std::optional<int> {
        if (d.d.index < 0) return std::nullopt;
        return d.d.index;
      })
      .def("__str__", [](const DeviceObj& d) { return d.d.str(); })
      .def("__repr__", [](const DeviceObj& d) {
        std::string s = "device(type='" + std::string(device_type_name(d.d.type)) + "'";
        if (d.d.index >= 0) s += ", index=" + std::to_string(d.d.index);
        return s + ")";
      })
      .def("__eq__", [](const DeviceObj& a, nb::handle b) {
        Device other;
        nb::detail::type_caster<Device> c;
        if (!c.from_python(b, 0, nullptr)) return false;
        return a.d == c.value;
      })
      .def("__hash__", [](const DeviceObj& d) { return static_cast<int>(d.d.type) * 256 + d.d.index; });
  g_device_cls = dev;

  // The dtype singletons and the cached Size class hold references that
  // must go before the interpreter shuts down (else nanobind reports leaks).
  m.def("_release_singletons", [] {
    for (auto& h : g_dtype_objects) {
      h.dec_ref();
      h = nb::handle();
    }
    if (g_size_cls) g_size_cls.dec_ref();
    g_size_cls = nb::handle();
  });
}

static BindingRegistrar reg(0, &bind_casters);

}  // namespace ember::py

namespace nanobind::detail {

bool type_caster<ember::Device>::from_python(handle src, uint8_t, cleanup_list*) noexcept {
  using ember::py::DeviceObj;
  try {
    if (nb::isinstance<DeviceObj>(src)) {
      value = nb::cast<DeviceObj&>(src).d;
      return true;
    }
    if (PyUnicode_Check(src.ptr())) {
      value = ember::Device(nb::cast<std::string>(src));
      return true;
    }
    if (PyLong_Check(src.ptr()) && !PyBool_Check(src.ptr())) {
      value = ember::Device(ember::DeviceType::CUDA, nb::cast<int>(src));
      return true;
    }
  } catch (...) {
    // An invalid device string fails the overload; the Python wrappers pass
    // strings through ember.device() first, which raises the clear error.
  }
  PyErr_Clear();
  return false;
}

handle type_caster<ember::Device>::from_cpp(const ember::Device& d, rv_policy, cleanup_list*) noexcept {
  try {
    return nb::cast(ember::py::DeviceObj{d}).release();
  } catch (...) {
    return handle();
  }
}

bool type_caster<ember::DimVector>::from_python(handle src, uint8_t, cleanup_list*) noexcept {
  if (!PyTuple_Check(src.ptr()) && !PyList_Check(src.ptr())) return false;
  try {
    value = ember::py::sizes_from_sequence(src, "size");
    return true;
  } catch (...) {
    PyErr_Clear();
    return false;
  }
}

}  // namespace nanobind::detail
