// Tensor.__getitem__ / __setitem__, and the index/mask ops (index_select,
// masked_fill, take, nonzero, ...). The Python index is read straight into
// TensorIndex values (no intermediate Python objects, no allocation for up
// to kInlineIndices entries), then ember::index does the work (Note [Basic
// indexing], Note [Advanced indexing]).
#include <array>

#include <nanobind/stl/optional.h>
#include <nanobind/stl/vector.h>

#include "bind.h"
#include "numpy_interop.h"

namespace ember::py {

namespace {

constexpr size_t kInlineIndices = 8;

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
  if (t.dim() != 0) return TensorIndex(t);
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
  if (PySequence_Check(o) && !PyUnicode_Check(o) && !PyBytes_Check(o)) {
    // A list of indices is an index tensor; an empty list indexes nothing
    // (int64, as PyTorch makes it).
    Tensor t = tensor_from_data(h, std::nullopt, std::nullopt);
    if (t.numel() == 0 && t.dtype() != DType::Bool) t = t.to(DType::Int64);
    EMBER_CHECK(!is_floating_point(t.dtype()) && !is_complex(t.dtype()), IndexError,
                "[index] tensors used as indices must be long, int, byte or bool tensors (got a list of ",
                dtype_name(t.dtype()), ")");
    return TensorIndex(t);
  }
  EMBER_THROW(IndexError,
              "[index] only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
              "valid indices (got ",
              type_name(o), ")");
}

// PyTorch (like old NumPy) reads a short non-tuple sequence holding a
// tensor, a sequence, a slice, Ellipsis or None as a tuple of indices:
// t[[0, slice(None)]] is t[0, :], and t[[[0, 1], [1, 2]]] is t[[0, 1], [1, 2]].
bool sequence_as_tuple(PyObject* o) {
  if (PyTuple_Check(o)) return true;
  if (!PyList_Check(o)) return false;  // NumPy arrays and tensors are data
  Py_ssize_t n = PyList_GET_SIZE(o);
  if (n >= 32) return false;
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* x = PyList_GET_ITEM(o, i);
    if (nb::isinstance<Tensor>(x) || PySlice_Check(x) || x == Py_Ellipsis || x == Py_None) return true;
    if (PySequence_Check(x) && !PyUnicode_Check(x) && !PyBytes_Check(x)) return true;
  }
  return false;
}

// The entries of a Python index: a tuple's items, or the object itself.
class ParsedIndex {
 public:
  explicit ParsedIndex(nb::handle obj) {
    nb::object tuple_holder;
    if (PyList_Check(obj.ptr()) && sequence_as_tuple(obj.ptr())) {
      tuple_holder = nb::steal(PyList_AsTuple(obj.ptr()));
      obj = tuple_holder;
    }
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

// The indices of index_put_: a tuple or list of tensors (None: the whole dim).
std::vector<TensorIndex> put_indices(nb::handle indices) {
  PyObject* o = indices.ptr();
  EMBER_CHECK(PyTuple_Check(o) || PyList_Check(o), TypeError,
              "[index_put_] indices must be a tuple or list of tensors (got ", type_name(o), ")");
  std::vector<TensorIndex> out;
  for (nb::handle h : indices) {
    if (h.is_none()) {
      out.emplace_back(Slice());
    } else if (nb::isinstance<Tensor>(h)) {
      out.emplace_back(nb::cast<Tensor>(h));
    } else {
      out.emplace_back(tensor_from_data(h, std::nullopt, std::nullopt));
    }
  }
  return out;
}

DimVector dims_from_python(nb::handle dim) {
  if (dim.is_none()) return {};
  if (PyLong_Check(dim.ptr())) return {nb::cast<int64_t>(dim)};
  DimVector out;
  for (nb::handle h : dim) out.push_back(nb::cast<int64_t>(h));
  return out;
}

nb::object nonzero_py(const Tensor& self, nb::handle out, bool as_tuple) {
  if (!as_tuple) return nb::cast(write_out("nonzero", nonzero(self), out));
  std::vector<Tensor> parts = nonzero_tuple(self);
  nb::list l;
  for (Tensor& t : parts) l.append(nb::cast(std::move(t)));
  return nb::tuple(l);
}

}  // namespace

static void bind_index_ops(nb::module_& m, nb::class_<Tensor>& cls) {
  using nb::arg;
  // index_put
  cls.def("index_put_", [](Tensor& self, nb::handle indices, const Tensor& values, bool accumulate) -> Tensor& {
        return index_put_(self, put_indices(indices), values, accumulate);
      }, arg("indices"), arg("values"), arg("accumulate") = false, nb::rv_policy::reference);
  auto index_put_fn = [](const Tensor& self, nb::handle indices, const Tensor& values, bool accumulate) {
    return index_put(self, put_indices(indices), values, accumulate);
  };
  cls.def("index_put", index_put_fn, arg("indices"), arg("values"), arg("accumulate") = false);
  m.def("index_put", index_put_fn, arg("input"), arg("indices"), arg("values"), arg("accumulate") = false);

  // along one dim
  m.def("index_select", [](const Tensor& self, int64_t dim, const Tensor& index, nb::handle out) {
        return write_out("index_select", index_select(self, dim, index), out);
      }, arg("input"), arg("dim"), arg("index"), nb::kw_only(), arg("out") = nb::none());
  cls.def("index_select", &index_select, arg("dim"), arg("index"));
  m.def("index_add", [](const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                        const Scalar& alpha, nb::handle out) {
        return write_out("index_add", index_add(self, dim, index, source, alpha), out);
      }, arg("input"), arg("dim"), arg("index"), arg("source"), nb::kw_only(), arg("alpha") = Scalar(int64_t(1)),
        arg("out") = nb::none());
  cls.def("index_add", &index_add, arg("dim"), arg("index"), arg("source"), nb::kw_only(),
          arg("alpha") = Scalar(int64_t(1)));
  cls.def("index_add_", &index_add_, arg("dim"), arg("index"), arg("source"), nb::kw_only(),
          arg("alpha") = Scalar(int64_t(1)), nb::rv_policy::reference);
  m.def("index_copy", &index_copy, arg("input"), arg("dim"), arg("index"), arg("source"));
  cls.def("index_copy", &index_copy, arg("dim"), arg("index"), arg("source"));
  cls.def("index_copy_", &index_copy_, arg("dim"), arg("index"), arg("source"), nb::rv_policy::reference);
  using FillT = Tensor (*)(const Tensor&, int64_t, const Tensor&, const Tensor&);
  using FillS = Tensor (*)(const Tensor&, int64_t, const Tensor&, const Scalar&);
  using FillT_ = Tensor& (*)(Tensor&, int64_t, const Tensor&, const Tensor&);
  using FillS_ = Tensor& (*)(Tensor&, int64_t, const Tensor&, const Scalar&);
  m.def("index_fill", FillT(&index_fill), arg("input"), arg("dim"), arg("index"), arg("value"));
  m.def("index_fill", FillS(&index_fill), arg("input"), arg("dim"), arg("index"), arg("value"));
  cls.def("index_fill", FillT(&index_fill), arg("dim"), arg("index"), arg("value"));
  cls.def("index_fill", FillS(&index_fill), arg("dim"), arg("index"), arg("value"));
  cls.def("index_fill_", FillT_(&index_fill_), arg("dim"), arg("index"), arg("value"), nb::rv_policy::reference);
  cls.def("index_fill_", FillS_(&index_fill_), arg("dim"), arg("index"), arg("value"), nb::rv_policy::reference);

  // masks
  using MaskT = Tensor (*)(const Tensor&, const Tensor&, const Tensor&);
  using MaskS = Tensor (*)(const Tensor&, const Tensor&, const Scalar&);
  using MaskT_ = Tensor& (*)(Tensor&, const Tensor&, const Tensor&);
  using MaskS_ = Tensor& (*)(Tensor&, const Tensor&, const Scalar&);
  m.def("masked_fill", MaskT(&masked_fill), arg("input"), arg("mask"), arg("value"));
  m.def("masked_fill", MaskS(&masked_fill), arg("input"), arg("mask"), arg("value"));
  cls.def("masked_fill", MaskT(&masked_fill), arg("mask"), arg("value"));
  cls.def("masked_fill", MaskS(&masked_fill), arg("mask"), arg("value"));
  cls.def("masked_fill_", MaskT_(&masked_fill_), arg("mask"), arg("value"), nb::rv_policy::reference);
  cls.def("masked_fill_", MaskS_(&masked_fill_), arg("mask"), arg("value"), nb::rv_policy::reference);
  m.def("masked_select", [](const Tensor& self, const Tensor& mask, nb::handle out) {
        return write_out("masked_select", masked_select(self, mask), out);
      }, arg("input"), arg("mask"), nb::kw_only(), arg("out") = nb::none());
  cls.def("masked_select", &masked_select, arg("mask"));
  m.def("masked_scatter", &masked_scatter, arg("input"), arg("mask"), arg("source"));
  cls.def("masked_scatter", &masked_scatter, arg("mask"), arg("source"));
  cls.def("masked_scatter_", &masked_scatter_, arg("mask"), arg("source"), nb::rv_policy::reference);

  // flat gathers
  m.def("take", [](const Tensor& self, const Tensor& index, nb::handle out) {
        return write_out("take", take(self, index), out);
      }, arg("input"), arg("index"), nb::kw_only(), arg("out") = nb::none());
  cls.def("take", &take, arg("index"));
  cls.def("put_", &put_, arg("index"), arg("source"), arg("accumulate") = false, nb::rv_policy::reference);
  cls.def("put", &put, arg("index"), arg("source"), arg("accumulate") = false);
  m.def("put", &put, arg("input"), arg("index"), arg("source"), arg("accumulate") = false);
  m.def("take_along_dim", [](const Tensor& self, const Tensor& indices, std::optional<int64_t> dim, nb::handle out) {
        return write_out("take_along_dim", take_along_dim(self, indices, dim), out);
      }, arg("input"), arg("indices"), arg("dim") = nb::none(), nb::kw_only(), arg("out") = nb::none());
  cls.def("take_along_dim", &take_along_dim, arg("indices"), arg("dim") = nb::none());

  // nonzero
  m.def("nonzero", &nonzero_py, arg("input"), nb::kw_only(), arg("out") = nb::none(), arg("as_tuple") = false);
  cls.def("nonzero", [](const Tensor& self, bool as_tuple) { return nonzero_py(self, nb::none(), as_tuple); },
          nb::kw_only(), arg("as_tuple") = false);
  m.def("argwhere", &argwhere, arg("input"));
  cls.def("argwhere", &argwhere);
}

static BindingRegistrar reg_ops(31, &bind_index_ops);

static void bind_indexing(nb::module_&, nb::class_<Tensor>& cls) {
  cls.def("__getitem__", &getitem, nb::arg("index").none())
      .def("__setitem__", &setitem, nb::arg("index").none(), nb::arg("value").none());
}

static BindingRegistrar reg(30, &bind_indexing);

}  // namespace ember::py
