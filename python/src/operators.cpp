// Note [Operator slots]
// `a + b` on tensors costs what NumPy's costs only if Python reaches the op
// directly: a method bound with .def("__add__") makes CPython look the name
// up on every call (slot_nb_add), bind it, and run nanobind's overload
// dispatch and argument casters before the op starts. Tensor instead fills
// the type slots themselves (nb_add ..., nb_inplace_add ..., tp_richcompare,
// tp_hash) through nb::type_slots when the class is created; CPython then
// makes the __add__/__radd__... wrappers from them, so the methods still
// exist and Python subclasses (nn.Parameter) inherit the slots. A slot
// reads the Tensor stored in the nanobind instance, converts the other
// operand (Tensor, Python number, NumPy array; NotImplemented for anything
// else, so reflected operators of other types still run), calls the same
// op as the named method, and puts the result into a new instance taken
// from nanobind's instance pool (nb::pooled in module.cpp). Errors go
// through the same translation as nanobind's (translate_exception).
// No binding file may .def() one of these dunders: setting the attribute
// on the type would replace the slot with CPython's slow generic one.
#include "operators.h"

#include "numpy_interop.h"

namespace ember::py {

namespace {

PyTypeObject* g_tensor_type = nullptr;

// The Tensor held by `o`, or nullptr when `o` is no (initialised) Tensor.
const Tensor* tensor_or_null(PyObject* o) {
  PyTypeObject* tp = Py_TYPE(o);
  if (tp != g_tensor_type && !PyType_IsSubtype(tp, g_tensor_type)) return nullptr;
  if (!nb::inst_ready(o)) return nullptr;
  return nb::inst_ptr<Tensor>(o);
}

// A new Python Tensor owning t (what nb::cast(Tensor&&) makes, without the
// type lookup and the instance-map search).
PyObject* to_python(Tensor&& t) {
  nb::object o = nb::inst_alloc(nb::handle(reinterpret_cast<PyObject*>(g_tensor_type)));
  new (nb::inst_ptr<Tensor>(o)) Tensor(std::move(t));
  nb::inst_mark_ready(o);
  return o.release().ptr();
}

PyObject* not_implemented() { return Py_NewRef(Py_NotImplemented); }

// Sets the Python error for the exception being handled, as nanobind does
// for a bound function (nanobind errors, Ember's errors, then the standard
// library's).
void set_error_from_current_exception() noexcept {
  try {
    throw;
  } catch (nb::python_error& e) {
    e.restore();
  } catch (const nb::builtin_exception& e) {
    PyObject* type = PyExc_TypeError;
    switch (e.type()) {
      case nb::exception_type::runtime_error: type = PyExc_RuntimeError; break;
      case nb::exception_type::stop_iteration: type = PyExc_StopIteration; break;
      case nb::exception_type::index_error: type = PyExc_IndexError; break;
      case nb::exception_type::key_error: type = PyExc_KeyError; break;
      case nb::exception_type::value_error: type = PyExc_ValueError; break;
      case nb::exception_type::buffer_error: type = PyExc_BufferError; break;
      case nb::exception_type::import_error: type = PyExc_ImportError; break;
      case nb::exception_type::attribute_error: type = PyExc_AttributeError; break;
      default: break;
    }
    PyErr_SetString(type, e.what());
  } catch (const Error&) {
    translate_exception(std::current_exception(), nullptr);
  } catch (const std::bad_alloc& e) {
    PyErr_SetString(PyExc_MemoryError, e.what());
  } catch (const std::out_of_range& e) {
    PyErr_SetString(PyExc_IndexError, e.what());
  } catch (const std::overflow_error& e) {
    PyErr_SetString(PyExc_OverflowError, e.what());
  } catch (const std::domain_error& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::invalid_argument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::length_error& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::range_error& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  } catch (...) {
    PyErr_SetString(PyExc_SystemError, "[ember] unknown C++ exception in a Tensor operator");
  }
}

using BinaryFn = Tensor (*)(const Operand&, const Operand&);
using InplaceFn = Tensor& (*)(Tensor&, const Operand&);

Tensor add2(const Operand& a, const Operand& b) { return add(a, b); }
Tensor sub2(const Operand& a, const Operand& b) { return sub(a, b); }
Tensor div2(const Operand& a, const Operand& b) { return div(a, b); }
Tensor& floor_divide_inplace(Tensor& t, const Operand& o) { return div_(t, o, "floor"); }
Tensor& add_inplace(Tensor& t, const Operand& o) { return add_(t, o); }
Tensor& sub_inplace(Tensor& t, const Operand& o) { return sub_(t, o); }
Tensor& div_inplace(Tensor& t, const Operand& o) { return div_(t, o); }

// a OP b: called with the Tensor on either side (b's slot runs when a's
// type gave NotImplemented: 1.0 + t, or ndarray + t).
template <BinaryFn F>
PyObject* binary_slot(PyObject* a, PyObject* b) noexcept {
  try {
    if (const Tensor* ta = tensor_or_null(a)) {
      if (const Tensor* tb = tensor_or_null(b)) return to_python(F(*ta, *tb));
      std::optional<Operand> o;
      if (!operand_from_python(b, o)) return not_implemented();
      return to_python(F(*ta, *o));
    }
    const Tensor* tb = tensor_or_null(b);
    std::optional<Operand> o;
    if (!tb || !operand_from_python(a, o)) return not_implemented();
    return to_python(F(*o, *tb));
  } catch (...) {
    set_error_from_current_exception();
    return nullptr;
  }
}

// pow(a, b, mod) exists only without mod.
PyObject* power_slot(PyObject* a, PyObject* b, PyObject* mod) noexcept {
  if (mod != Py_None) return not_implemented();
  return binary_slot<&pow>(a, b);
}

// self OP= other: self's type has the slot, so self is a Tensor; other
// must convert (TypeError naming the in-place op otherwise).
template <InplaceFn F>
PyObject* inplace_slot_impl(PyObject* self, PyObject* other, const char* name) noexcept {
  try {
    const Tensor* t = tensor_or_null(self);
    if (!t) return not_implemented();
    F(*const_cast<Tensor*>(t), to_operand(other, name));
    return Py_NewRef(self);
  } catch (...) {
    set_error_from_current_exception();
    return nullptr;
  }
}
#define EMBER_INPLACE_SLOT(fn, name) \
  [](PyObject* s, PyObject* o) noexcept -> PyObject* { return inplace_slot_impl<fn>(s, o, name); }

PyObject* inplace_power_slot(PyObject* self, PyObject* other, PyObject* mod) noexcept {
  if (mod != Py_None) return not_implemented();
  return inplace_slot_impl<&pow_>(self, other, "pow_");
}

// self OP other for ==, !=, <, <=, >, >=: CPython passes the Tensor first
// (with the operator mirrored when it is the right operand).
PyObject* richcompare_slot(PyObject* self, PyObject* other, int op) noexcept {
  try {
    const Tensor* t = tensor_or_null(self);
    std::optional<Operand> o;
    if (!t || !operand_from_python(other, o)) return not_implemented();
    switch (op) {
      case Py_EQ: return to_python(eq(*t, *o));
      case Py_NE: return to_python(ne(*t, *o));
      case Py_LT: return to_python(lt(*t, *o));
      case Py_LE: return to_python(le(*t, *o));
      case Py_GT: return to_python(gt(*t, *o));
      case Py_GE: return to_python(ge(*t, *o));
      default: return not_implemented();
    }
  } catch (...) {
    set_error_from_current_exception();
    return nullptr;
  }
}

// Identity hash (tensors compare elementwise, so hashing by value is
// impossible): the object's address, the value id() gives.
Py_hash_t hash_slot(PyObject* self) noexcept { return static_cast<Py_hash_t>(reinterpret_cast<intptr_t>(self)); }

}  // namespace

PyType_Slot tensor_operator_slots[] = {
    {Py_nb_add, reinterpret_cast<void*>(&binary_slot<&add2>)},
    {Py_nb_subtract, reinterpret_cast<void*>(&binary_slot<&sub2>)},
    {Py_nb_multiply, reinterpret_cast<void*>(&binary_slot<&mul>)},
    {Py_nb_true_divide, reinterpret_cast<void*>(&binary_slot<&div2>)},
    {Py_nb_floor_divide, reinterpret_cast<void*>(&binary_slot<&floor_divide>)},
    {Py_nb_remainder, reinterpret_cast<void*>(&binary_slot<&remainder>)},
    {Py_nb_power, reinterpret_cast<void*>(&power_slot)},
    {Py_nb_and, reinterpret_cast<void*>(&binary_slot<&bitwise_and>)},
    {Py_nb_or, reinterpret_cast<void*>(&binary_slot<&bitwise_or>)},
    {Py_nb_xor, reinterpret_cast<void*>(&binary_slot<&bitwise_xor>)},
    {Py_nb_lshift, reinterpret_cast<void*>(&binary_slot<&bitwise_left_shift>)},
    {Py_nb_rshift, reinterpret_cast<void*>(&binary_slot<&bitwise_right_shift>)},
    {Py_nb_inplace_add, reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&add_inplace, "add_"))},
    {Py_nb_inplace_subtract, reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&sub_inplace, "sub_"))},
    {Py_nb_inplace_multiply, reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&mul_, "mul_"))},
    {Py_nb_inplace_true_divide, reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&div_inplace, "div_"))},
    {Py_nb_inplace_floor_divide,
     reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&floor_divide_inplace, "floor_divide_"))},
    {Py_nb_inplace_remainder, reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&remainder_, "remainder_"))},
    {Py_nb_inplace_power, reinterpret_cast<void*>(&inplace_power_slot)},
    {Py_nb_inplace_and, reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&bitwise_and_, "bitwise_and_"))},
    {Py_nb_inplace_or, reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&bitwise_or_, "bitwise_or_"))},
    {Py_nb_inplace_xor, reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&bitwise_xor_, "bitwise_xor_"))},
    {Py_nb_inplace_lshift,
     reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&bitwise_left_shift_, "bitwise_left_shift_"))},
    {Py_nb_inplace_rshift,
     reinterpret_cast<void*>(+EMBER_INPLACE_SLOT(&bitwise_right_shift_, "bitwise_right_shift_"))},
    {Py_tp_richcompare, reinterpret_cast<void*>(&richcompare_slot)},
    {Py_tp_hash, reinterpret_cast<void*>(&hash_slot)},
    {0, nullptr},
};

void set_tensor_type(nb::handle type) { g_tensor_type = reinterpret_cast<PyTypeObject*>(type.ptr()); }

bool operand_from_python(nb::handle h, std::optional<Operand>& out) {
  if (const Tensor* t = tensor_or_null(h.ptr())) {
    out.emplace(*t);
    return true;
  }
  Scalar s;
  if (scalar_from_python(h, s)) {
    out.emplace(s);
    return true;
  }
  if (is_numpy_array(h)) {
    out.emplace(tensor_from_data(h, std::nullopt, std::nullopt));
    return true;
  }
  return false;
}

Operand to_operand(nb::handle h, const char* op) {
  std::optional<Operand> o;
  EMBER_CHECK(operand_from_python(h, o), TypeError, "[", op, "] expected a Tensor or a number, got ",
              nb::cast<std::string>(h.type().attr("__name__")));
  return *o;
}

}  // namespace ember::py
