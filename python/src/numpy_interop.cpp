#include "numpy_interop.h"

#include <string>

namespace ember::py {

namespace {

// NumPy typestr ("<f4") -> DType.
DType dtype_from_typestr(const std::string& ts) {
  EMBER_CHECK(ts.size() >= 3, TypeError, "[from_numpy] unsupported array type '", ts, "'");
  char order = ts[0], kind = ts[1];
  int size = std::stoi(ts.substr(2));
  EMBER_CHECK(order != '>' || size == 1, TypeError,
              "[from_numpy] big-endian arrays are not supported (typestr '", ts, "'); use arr.astype(arr.dtype.newbyteorder('='))");
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
  EMBER_THROW(TypeError,
              "can't convert np.ndarray of type ", ts,
              ". The only supported types are: float64, float32, float16, complex64, complex128, int64, int32, "
              "int16, int8, uint8, and bool.");
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
    default:
      EMBER_THROW(TypeError, "Got unsupported ScalarType ", dtype_name(t) == "bfloat16" ? "BFloat16" : dtype_name(t));
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
// storage lives as long as the array) and describes it.
struct ArrayHolder {
  Tensor t;
};

}  // namespace

bool is_numpy_array(nb::handle h) {
  nb::handle tp = h.type();
  return nb::hasattr(tp, "__module__") && nb::cast<std::string>(tp.attr("__name__")) == "ndarray" &&
         nb::cast<std::string>(tp.attr("__module__")) == "numpy";
}

Tensor from_numpy_array(nb::handle array, bool warn_readonly) {
  EMBER_CHECK(is_numpy_array(array), TypeError, "expected np.ndarray (got ",
              nb::cast<std::string>(array.type().attr("__name__")), ")");
  nb::dict iface = nb::cast<nb::dict>(array.attr("__array_interface__"));
  DType dt = dtype_from_typestr(nb::cast<std::string>(iface["typestr"]));
  nb::tuple data = nb::cast<nb::tuple>(iface["data"]);
  auto ptr = reinterpret_cast<void*>(nb::cast<uintptr_t>(data[0]));
  bool readonly = nb::cast<bool>(data[1]);
  DimVector sizes = sizes_from_sequence(iface["shape"], "from_numpy");
  int64_t isz = itemsize(dt);
  DimVector strides;
  nb::handle st = iface.contains("strides") ? nb::handle(iface["strides"]) : nb::none();
  if (st.is_none()) {
    strides = contiguous_strides(sizes);
  } else {
    DimVector byte_strides = sizes_from_sequence(st, "from_numpy");
    for (size_t i = 0; i < byte_strides.size(); ++i) {
      int64_t b = byte_strides[i];
      EMBER_CHECK(b >= 0 || sizes[i] <= 1, ValueError,
                  "At least one stride in the given numpy array is negative, and tensors with negative "
                  "strides are not currently supported. (You can probably work around this by making a "
                  "copy of your array  with array.copy().) ");
      EMBER_CHECK(b % isz == 0, ValueError, "given numpy array strides not a multiple of the element byte size. "
                  "Copy the numpy array to reallocate the memory.");
      strides.push_back(sizes[i] <= 1 ? std::max<int64_t>(b, 0) / isz : b / isz);
    }
  }
  if (readonly && warn_readonly) {
    PyErr_WarnEx(PyExc_UserWarning,
                 "The given NumPy array is not writable, and Ember does not support non-writable tensors. "
                 "This means writing to this tensor will result in undefined behavior. You may want to copy "
                 "the array to protect its data or make it writable before converting it to a tensor. This "
                 "type of warning will be suppressed for the rest of this program.",
                 1);
  }
  // Bytes the view can reach, from the data pointer.
  int64_t extent = 0;
  bool empty = false;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0) empty = true;
    extent += (sizes[i] - 1) * strides[i];
  }
  size_t nbytes = empty ? 0 : static_cast<size_t>((extent + 1) * isz);
  PyObject* owner = array.ptr();
  Py_INCREF(owner);
  Storage storage = borrow_storage(ptr, nbytes, Device(DeviceType::CPU), owner, &release_pyobject);
  storage->writeable = !readonly;
  return Tensor(make_intrusive<TensorImpl>(std::move(storage), dt, sizes, strides, 0));
}

nb::object tensor_to_numpy(const Tensor& t, bool force) {
  if (force) {
    Tensor c = t.detach().cpu();
    return tensor_to_numpy(c, false);
  }
  EMBER_CHECK(!t.requires_grad(), RuntimeError,
              "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
  EMBER_CHECK(t.is_cpu(), TypeError, "can't convert ", t.device().str(),
              " device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.");
  typestr(t.dtype());  // raises for bfloat16
  nb::object holder = nb::cast(ArrayHolder{t});
  nb::object np = nb::module_::import_("numpy");
  return np.attr("asarray")(holder);
}

static void bind_numpy(nb::module_& m, nb::class_<Tensor>& cls) {
  nb::class_<ArrayHolder>(m, "_ArrayHolder")
      .def_prop_ro("__array_interface__", [](const ArrayHolder& h) {
        const Tensor& t = h.t;
        nb::dict d;
        nb::list shape, strides;
        for (int64_t s : t.sizes()) shape.append(s);
        for (int64_t s : t.strides()) strides.append(s * t.element_size());
        d["shape"] = nb::tuple(shape);
        d["strides"] = nb::tuple(strides);
        d["typestr"] = typestr(t.dtype());
        d["data"] = nb::make_tuple(reinterpret_cast<uintptr_t>(t.data_ptr()), false);
        d["version"] = 3;
        return d;
      });
  cls.def("numpy", &tensor_to_numpy, nb::kw_only(), nb::arg("force") = false);
  m.def("from_numpy", [](nb::handle a) { return from_numpy_array(a, true); }, nb::arg("ndarray"));
}

static BindingRegistrar reg(30, &bind_numpy);

}  // namespace ember::py
