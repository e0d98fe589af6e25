// ember.tensor(data): nested Python sequences of numbers (or NumPy arrays, or
// tensors) to a new tensor, with PyTorch's dtype inference and errors for
// ragged input.
#include "bind.h"
#include "numpy_interop.h"

namespace ember::py {

namespace {

std::string py_type_name(nb::handle h) { return nb::cast<std::string>(h.type().attr("__name__")); }

bool is_sequence(nb::handle h) {
  return (PyList_Check(h.ptr()) || PyTuple_Check(h.ptr()) || PySequence_Check(h.ptr())) &&
         !PyUnicode_Check(h.ptr()) && !PyBytes_Check(h.ptr()) && !nb::isinstance<Tensor>(h);
}

// Walks the first element at each depth to find the shape.
void infer_shape(nb::handle h, DimVector& shape, int depth) {
  if (depth > 64) EMBER_THROW(ValueError, "[tensor] nesting deeper than 64 levels");
  if (nb::isinstance<Tensor>(h)) {
    for (int64_t s : nb::cast<Tensor&>(h).sizes()) shape.push_back(s);
    return;
  }
  if (!is_sequence(h)) return;
  Py_ssize_t n = PySequence_Size(h.ptr());
  if (n < 0) {
    PyErr_Clear();
    return;
  }
  shape.push_back(n);
  if (n > 0) {
    nb::object first = nb::steal(PySequence_GetItem(h.ptr(), 0));
    if (!first.is_valid()) throw nb::python_error();
    infer_shape(first, shape, depth + 1);
  }
}

// The dtype a leaf value brings to PyTorch's inference: NumPy scalars and
// tensors their own dtype, Python numbers bool/int64/default float/default
// complex. tensor() promotes these over all leaves, so [np.float64(1), 2.0]
// is float64 and [1, 2.5] is the default float dtype.
DType leaf_dtype(nb::handle h, const Scalar& s) {
  PyObject* o = h.ptr();
  if (!PyFloat_CheckExact(o) && !PyLong_CheckExact(o) && !PyBool_Check(o) && !PyComplex_CheckExact(o)) {
    DType t;
    std::string mod = nb::cast<std::string>(h.type().attr("__module__"));
    if (mod.rfind("numpy", 0) == 0 && nb::hasattr(h, "dtype") && dtype_from_python(h.attr("dtype"), t)) return t;
  }
  return s.default_dtype();
}

void promote_into(std::optional<DType>& inferred, DType t) {
  inferred = inferred ? promote_types(*inferred, t) : t;
}

void collect(nb::handle h, const DimVector& shape, size_t depth, std::vector<Scalar>& out,
             std::optional<DType>& inferred) {
  if (depth == shape.size()) {
    Scalar s;
    if (scalar_from_python(h, s)) {
      out.push_back(s);
      promote_into(inferred, leaf_dtype(h, s));
      return;
    }
    if (nb::isinstance<Tensor>(h)) {
      const Tensor& t = nb::cast<Tensor&>(h);
      EMBER_CHECK(t.numel() == 1, ValueError, "only one element tensors can be converted to Python scalars");
      out.push_back(t.item());
      promote_into(inferred, t.dtype());
      return;
    }
    if (is_sequence(h)) {
      EMBER_THROW(ValueError, "[tensor] expected a number at dim ", depth, " but got a sequence of length ",
                  PySequence_Size(h.ptr()), " (the input is ragged)");
    }
    EMBER_THROW(TypeError, "[tensor] new(): invalid data type '", py_type_name(h), "'");
  }
  if (nb::isinstance<Tensor>(h)) {
    // A tensor inside a list: take its elements in order.
    Tensor t = nb::cast<Tensor&>(h).contiguous();
    DimVector rest(shape.begin() + depth, shape.end());
    EMBER_CHECK(t.sizes() == rest, ValueError, "[tensor] expected a tensor of shape ", rest,
                " at dim ", depth, " but got ", t.sizes());
    Tensor flat = t.reshape({-1});
    for (int64_t i = 0; i < flat.numel(); ++i) out.push_back(flat.select(0, i).item());
    promote_into(inferred, t.dtype());
    return;
  }
  EMBER_CHECK(is_sequence(h), ValueError, "[tensor] expected sequence of length ", shape[depth], " at dim ",
              depth, " (got ", py_type_name(h), ")");
  Py_ssize_t n = PySequence_Size(h.ptr());
  EMBER_CHECK(n == shape[depth], ValueError, "[tensor] expected sequence of length ", shape[depth], " at dim ", depth,
              " (got ", n, ")");
  nb::object seq = nb::steal(PySequence_Fast(h.ptr(), "expected a sequence"));
  if (!seq.is_valid()) throw nb::python_error();
  PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
  for (Py_ssize_t i = 0; i < n; ++i) collect(items[i], shape, depth + 1, out, inferred);
}

}  // namespace

Tensor tensor_from_data(nb::handle data, std::optional<DType> dtype, std::optional<Device> device) {
  Device dev = device.value_or(Device(DeviceType::CPU));
  if (nb::isinstance<Tensor>(data)) {
    const Tensor& t = nb::cast<Tensor&>(data);
    return t.detach().to(dev, dtype.value_or(t.dtype()), /*copy=*/true);
  }
  if (is_numpy_array(data)) {
    Tensor t = from_numpy_array(data, /*warn_readonly=*/false);
    return t.to(dev, dtype.value_or(t.dtype()), /*copy=*/true);
  }
  DimVector shape;
  infer_shape(data, shape, 0);
  std::vector<Scalar> values;
  values.reserve(static_cast<size_t>(std::max<int64_t>(checked_numel(shape, "tensor"), 0)));
  std::optional<DType> inferred;
  collect(data, shape, 0, values, inferred);
  // No leaves (tensor([]), tensor([[]])): the default dtype, as PyTorch.
  return tensor_from_scalars(values, shape, dtype ? dtype : inferred, dev);
}

}  // namespace ember::py
