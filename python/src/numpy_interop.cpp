#include "numpy_interop.h"

#include <algorithm>
#include <string>

namespace ember::py {

namespace {

std::string numpy_type_name(nb::handle array) {
  try {
    return "numpy." + nb::cast<std::string>(array.attr("dtype").attr("type").attr("__name__"));
  } catch (...) {
    return "unknown";
  }
}

// NumPy typestr ("<f4": byte order, kind, bytes) -> DType.
DType dtype_from_typestr(const std::string& ts, nb::handle array) {
  char order = ts.empty() ? '|' : ts[0];
  char kind = ts.size() > 1 ? ts[1] : '?';
  int size = 0;
  for (size_t i = 2; i < ts.size() && ts[i] >= '0' && ts[i] <= '9' && size < 1000; ++i) {
    size = size * 10 + (ts[i] - '0');
  }
  EMBER_CHECK(order != '>' || size <= 1, ValueError,
              "[from_numpy] given numpy array has byte order different from the native byte order. "
              "Conversion between byte orders is currently not supported.");
  switch (kind) {
    case 'b': if (size == 1) return DType::Bool; break;
    case 'u': if (size == 1) return DType::UInt8; break;
    case 'i':
      if (size == 1) return DType::Int8;
      if (size == 2) return DType::Int16;
      if (size == 4) return DType::Int32;
      if (size == 8) return DType::Int64;
      break;
    case 'f':
      if (size == 2) return DType::Float16;
      if (size == 4) return DType::Float32;
      if (size == 8) return DType::Float64;
      break;
    case 'c':
      if (size == 8) return DType::Complex64;
      if (size == 16) return DType::Complex128;
      break;
  }
  EMBER_THROW(TypeError, "[from_numpy] can't convert np.ndarray of type ", numpy_type_name(array),
              ". The only supported types are: float64, float32, float16, complex64, complex128, int64, "
              "int32, int16, int8, uint8, and bool.");
}

const char* typestr(DType t) {
  switch (t) {
    case DType::Bool: return "|b1";
    case DType::UInt8: return "|u1";
    case DType::Int8: return "|i1";
    case DType::Int16: return "<i2";
    case DType::Int32: return "<i4";
    case DType::Int64: return "<i8";
    case DType::Float16: return "<f2";
    case DType::Float32: return "<f4";
    case DType::Float64: return "<f8";
    case DType::Complex64: return "<c8";
    case DType::Complex128: return "<c16";
    case DType::BFloat16:
      EMBER_THROW(TypeError, "[numpy] Got unsupported ScalarType BFloat16");
    default:
      EMBER_THROW(TypeError, "[numpy] Got unsupported ScalarType ", dtype_name(t));
  }
}

void release_pyobject(void*, void* ctx) {
  // Storage may die on any thread: take the GIL before touching Python.
  if (!Py_IsInitialized()) return;
  PyGILState_STATE s = PyGILState_Ensure();
  Py_DECREF(static_cast<PyObject*>(ctx));
  PyGILState_Release(s);
}

// What Tensor.numpy() hands to numpy.asarray: it owns a Tensor (so the
// storage lives as long as the array, which keeps the holder as its base)
// and describes it through __array_interface__.
struct ArrayHolder {
  Tensor t;
};

nb::dict array_interface(const ArrayHolder& h) {
  const Tensor& t = h.t;
  nb::list shape, strides;
  for (int64_t s : t.sizes()) shape.append(s);
  for (int64_t s : t.strides()) {
    // Only an empty tensor can have strides whose byte size overflows; NumPy
    // addresses nothing through them, so 0 serves.
    int64_t bytes = 0;
    if (__builtin_mul_overflow(s, t.element_size(), &bytes)) bytes = 0;
    strides.append(bytes);
  }
  nb::dict d;
  d["shape"] = nb::tuple(shape);
  d["strides"] = nb::tuple(strides);
  d["typestr"] = typestr(t.dtype());
  // A read-only source (a non-writeable NumPy array) stays read-only.
  d["data"] = nb::make_tuple(reinterpret_cast<uintptr_t>(t.data_ptr()), !t.storage()->writeable);
  d["version"] = 3;
  return d;
}

}  // namespace

bool is_numpy_array(nb::handle h) {
  // Without numpy imported nothing can be an ndarray; never import it here.
  PyObject* np = PyImport_GetModule(nb::str("numpy").ptr());
  if (!np) {
    PyErr_Clear();
    return false;
  }
  nb::object numpy = nb::steal(np);
  int r = PyObject_IsInstance(h.ptr(), numpy.attr("ndarray").ptr());
  if (r < 0) throw nb::python_error();
  return r == 1;
}

Tensor from_numpy_array(nb::handle array, bool warn_readonly) {
  EMBER_CHECK(is_numpy_array(array), TypeError, "[from_numpy] expected np.ndarray (got ",
              nb::cast<std::string>(nb::str(array.type().attr("__name__"))), ")");
  nb::dict iface = nb::cast<nb::dict>(array.attr("__array_interface__"));
  DType dt = dtype_from_typestr(nb::cast<std::string>(iface["typestr"]), array);
  nb::tuple data = nb::cast<nb::tuple>(iface["data"]);
  auto ptr = reinterpret_cast<void*>(nb::cast<uintptr_t>(data[0]));
  bool readonly = nb::cast<bool>(data[1]);
  DimVector sizes = sizes_from_sequence(iface["shape"], "from_numpy");
  const int64_t isz = itemsize(dt);
  DimVector strides = contiguous_strides(sizes);
  nb::handle st = iface.contains("strides") ? nb::handle(iface["strides"]) : nb::none();
  int64_t numel = 1;
  for (int64_t s : sizes) numel *= s;
  if (!st.is_none() && numel != 0) {
    DimVector byte_strides = sizes_from_sequence(st, "from_numpy");
    for (size_t i = 0; i < byte_strides.size(); ++i) {
      // A size-1 dim's stride never moves the pointer: keep the row-major one.
      if (sizes[i] <= 1) continue;
      int64_t b = byte_strides[i];
      EMBER_CHECK(b >= 0, ValueError,
                  "[from_numpy] At least one stride in the given numpy array is negative, and tensors with "
                  "negative strides are not currently supported. (You can probably work around this by "
                  "making a copy of your array  with array.copy().) ");
      EMBER_CHECK(b % isz == 0, ValueError,
                  "[from_numpy] given numpy array strides not a multiple of the element byte size. "
                  "Copy the numpy array to reallocate the memory.");
      strides[i] = b / isz;
    }
  }
  if (readonly && warn_readonly) {
    // PyTorch's wording; Python's default filter shows it once per location.
    if (PyErr_WarnEx(PyExc_UserWarning,
                     "The given NumPy array is not writable, and Ember does not support non-writable tensors. "
                     "This means writing to this tensor will result in undefined behavior. You may want to "
                     "copy the array to protect its data or make it writable before converting it to a "
                     "tensor. This type of warning will be suppressed for the rest of this program.",
                     1) < 0) {
      throw nb::python_error();  // warnings turned into errors
    }
  }
  // Bytes the view can reach from the data pointer.
  int64_t extent = 0;
  for (size_t i = 0; i < sizes.size(); ++i) extent += (sizes[i] - 1) * strides[i];
  size_t nbytes = numel == 0 ? 0 : static_cast<size_t>((extent + 1) * isz);
  nb::object owner = nb::borrow(array);
  Storage storage =
      borrow_storage(ptr, nbytes, Device(DeviceType::CPU), owner.ptr(), &release_pyobject);
  owner.release();  // the storage holds the reference now
  storage->writeable = !readonly;
  return Tensor(make_intrusive<TensorImpl>(std::move(storage), dt, std::move(sizes), std::move(strides), 0));
}

nb::object tensor_to_numpy(const Tensor& t, bool force) {
  Tensor src = t;
  if (force) {
    src = t.detach().cpu();
  } else {
    EMBER_CHECK(t.is_cpu(), TypeError, "[numpy] can't convert ", t.device().str(),
                " device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.");
    EMBER_CHECK(!t.requires_grad(), RuntimeError,
                "[numpy] Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
  }
  typestr(src.dtype());  // raises for bfloat16
  nb::object holder = nb::cast(ArrayHolder{src});
  nb::object np = nb::module_::import_("numpy");
  return np.attr("asarray")(holder);
}

Tensor as_tensor(nb::handle data, std::optional<DType> dtype, std::optional<Device> device) {
  if (nb::isinstance<Tensor>(data)) {
    const Tensor& t = nb::cast<const Tensor&>(data);
    return t.to(device.value_or(t.device()), dtype.value_or(t.dtype()), /*copy=*/false);
  }
  if (is_numpy_array(data)) {
    Tensor t = from_numpy_array(data, /*warn_readonly=*/true);
    return t.to(device.value_or(t.device()), dtype.value_or(t.dtype()), /*copy=*/false);
  }
  return tensor_from_data(data, dtype, device);  // Python sequences and scalars: always a copy
}

static void bind_numpy(nb::module_& m, nb::class_<Tensor>& cls) {
  nb::class_<ArrayHolder>(m, "_ArrayHolder").def_prop_ro("__array_interface__", &array_interface);
  cls.def("numpy", &tensor_to_numpy, nb::kw_only(), nb::arg("force") = false);
  m.def("from_numpy", [](nb::handle a) { return from_numpy_array(a, true); }, nb::arg("ndarray"));
  m.def("as_tensor", [](nb::handle data, std::optional<DType> dtype, nb::handle device) -> nb::object {
    Tensor t = as_tensor(data, dtype, device_from_python(device));
    // Nothing to convert: hand back the very object (`as_tensor(t) is t`).
    if (nb::isinstance<Tensor>(data) && t.is_same(nb::cast<const Tensor&>(data))) return nb::borrow(data);
    return nb::cast(std::move(t));
  }, nb::arg("data"), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none());
}

static BindingRegistrar reg(30, &bind_numpy);

}  // namespace ember::py
