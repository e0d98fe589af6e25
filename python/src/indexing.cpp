// Tensor.__getitem__ / __setitem__ for basic indexing. The Python index is
// read straight into TensorIndex values (no intermediate Python objects, no
// allocation for up to kInlineIndices entries), then ember::index does the
// work (Note [Basic indexing]).
#include <array>

#include "bind.h"
#include "numpy_interop.h"

namespace ember::py {

namespace {

constexpr size_t kInlineIndices = 8;

[[noreturn]] void throw_advanced() {
  EMBER_THROW(NotImplementedError,
              "[index] advanced indexing (lists, tensors, boolean masks) is not supported yet");
}

std::string type_name(PyObject* o) { return Py_TYPE(o)->tp_name; }

// numpy.bool_, or null while NumPy has not been imported (then no object
// can be one). np.bool_ has no working __index__, so it is checked first.
PyObject* numpy_bool_type() {
  static PyObject* tp = nullptr;
  if (!tp) {
    PyObject* np = PyImport_GetModule(nb::str("numpy").ptr());
    if (!np) {
      PyErr_Clear();
      return nullptr;
    }
    tp = PyObject_GetAttrString(np, "bool_");  // kept for the process's life
    Py_DECREF(np);
    if (!tp) PyErr_Clear();
  }
  return tp;
}

// A Python int (already exact) as an index.
int64_t int_from_pylong(PyObject* o) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (overflow) {
    nb::str s = nb::steal<nb::str>(PyObject_Str(o));
    EMBER_THROW(IndexError, "[index] index ", s.c_str(), " is out of range for a 64-bit integer");
  }
  if (v == -1 && PyErr_Occurred()) throw nb::python_error();
  return v;
}

// A slice bound: None, an int, or anything with __index__ (NumPy integers,
// 0-d integer tensors). Out-of-range bounds clamp, as Python's slices do.
std::optional<int64_t> slice_bound(PyObject* o) {
  if (o == Py_None) return std::nullopt;
  nb::object i;
  if (!PyLong_Check(o)) {
    if (!PyIndex_Check(o)) {
      EMBER_THROW(TypeError, "[index] slice indices must be integers or None or have an __index__ method (got ",
                  type_name(o), ")");
    }
    i = nb::steal(PyNumber_Index(o));
    if (!i.is_valid()) throw nb::python_error();
    o = i.ptr();
  }
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (overflow) return overflow > 0 ? INT64_MAX : INT64_MIN;
  if (v == -1 && PyErr_Occurred()) throw nb::python_error();
  return v;
}

Slice slice_from_python(PyObject* o) {
  auto* s = reinterpret_cast<PySliceObject*>(o);
  std::optional<int64_t> step = slice_bound(s->step);
  return Slice(slice_bound(s->start), slice_bound(s->stop), step.value_or(1));
}

// A tensor used as an index: 0-d integer tensors act as ints and 0-d bool
// tensors as bools; anything else is advanced indexing.
TensorIndex index_from_tensor(const Tensor& t) {
  EMBER_CHECK(!is_floating_point(t.dtype()) && !is_complex(t.dtype()), IndexError,
              "[index] tensors used as indices must be long, int, byte or bool tensors (got ",
              dtype_name(t.dtype()), ")");
  if (t.dim() != 0) throw_advanced();
  Scalar v = t.item();
  if (t.dtype() == DType::Bool) return TensorIndex(v.to_bool());
  return TensorIndex(v.to_int());
}

// One entry of an index. Checks run from the most common kind down.
TensorIndex index_from_python(nb::handle h) {
  PyObject* o = h.ptr();
  if (PyLong_CheckExact(o)) return TensorIndex(int_from_pylong(o));
  if (PySlice_Check(o)) return TensorIndex(slice_from_python(o));
  if (o == Py_None) return TensorIndex(indexing::None);
  if (o == Py_Ellipsis) return TensorIndex(indexing::Ellipsis);
  if (PyBool_Check(o)) return TensorIndex(o == Py_True);
  if (nb::isinstance<Tensor>(h)) return index_from_tensor(nb::cast<const Tensor&>(h));
  if (PyLong_Check(o)) return TensorIndex(int_from_pylong(o));  // int subclasses
  if (is_numpy_array(h)) return index_from_tensor(from_numpy_array(h, /*warn_readonly=*/false));
  PyObject* np_bool = numpy_bool_type();
  if (np_bool && PyObject_TypeCheck(o, reinterpret_cast<PyTypeObject*>(np_bool))) {
    return TensorIndex(PyObject_IsTrue(o) == 1);
  }
  if (PyIndex_Check(o)) {  // NumPy integers and other __index__ types
    nb::object i = nb::steal(PyNumber_Index(o));
    if (!i.is_valid()) throw nb::python_error();
    return TensorIndex(int_from_pylong(i.ptr()));
  }
  if (PySequence_Check(o) && !PyUnicode_Check(o) && !PyBytes_Check(o)) throw_advanced();
  EMBER_THROW(IndexError,
              "[index] only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
              "valid indices (got ",
              type_name(o), ")");
}

// The entries of a Python index: a tuple's items, or the object itself.
class ParsedIndex {
 public:
  explicit ParsedIndex(nb::handle obj) {
    PyObject* o = obj.ptr();
    if (!PyTuple_Check(o)) {
      inline_[0] = index_from_python(obj);
      size_ = 1;
      return;
    }
    size_ = static_cast<size_t>(PyTuple_GET_SIZE(o));
    TensorIndex* out = inline_.data();
    if (size_ > kInlineIndices) {
      heap_.resize(size_);
      out = heap_.data();
    }
    for (size_t i = 0; i < size_; ++i) out[i] = index_from_python(PyTuple_GET_ITEM(o, i));
  }
  const TensorIndex* data() const { return size_ > kInlineIndices ? heap_.data() : inline_.data(); }
  size_t size() const { return size_; }

 private:
  std::array<TensorIndex, kInlineIndices> inline_;
  std::vector<TensorIndex> heap_;
  size_t size_ = 0;
};

Tensor getitem(const Tensor& self, nb::handle idx) {
  ParsedIndex p(idx);
  return index(self, p.data(), p.size());
}

// t[idx] = value. Python numbers fill; tensors copy with broadcasting; other
// data (lists, NumPy arrays) becomes a tensor of self's dtype first.
void setitem(Tensor& self, nb::handle idx, nb::handle value) {
  ParsedIndex p(idx);
  PyObject* v = value.ptr();
  Scalar s;
  if (PyFloat_Check(v) || PyLong_Check(v) || PyComplex_Check(v)) {  // bool is an int subclass
    EMBER_CHECK(scalar_from_python(value, s), TypeError, "[index_put_] cannot convert the value to a number");
    index_put_(self, p.data(), p.size(), s);
  } else if (nb::isinstance<Tensor>(value)) {
    index_put_(self, p.data(), p.size(), nb::cast<const Tensor&>(value));
  } else if (!is_numpy_array(value) && scalar_from_python(value, s)) {  // NumPy scalars
    index_put_(self, p.data(), p.size(), s);
  } else {
    bool data_like = is_numpy_array(value) || (PySequence_Check(v) && !PyUnicode_Check(v) && !PyBytes_Check(v));
    EMBER_CHECK(data_like, TypeError, "[index_put_] can't assign a ", type_name(v), " to a tensor of dtype ",
                dtype_name(self.dtype()));
    index_put_(self, p.data(), p.size(), tensor_from_data(value, self.dtype(), self.device()));
  }
}

}  // namespace

static void bind_indexing(nb::module_&, nb::class_<Tensor>& cls) {
  cls.def("__getitem__", &getitem, nb::arg("index").none())
      .def("__setitem__", &setitem, nb::arg("index").none(), nb::arg("value").none());
}

static BindingRegistrar reg(30, &bind_indexing);

}  // namespace ember::py
