#pragma once
// Shared by every binding file: nanobind, the type casters that turn
// Python dtypes, devices, sizes and scalars into Ember's C++ types, and the
// registry through which each file adds its part of the module
// (Note [Binding registry]).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <functional>

#include "ember/ember.h"

namespace nb = nanobind;

namespace ember::py {

// Note [Binding registry]
// Each binding file registers a function that receives the module and the
// Tensor class; module.cpp runs them in `order`. Adding an area of the API
// means adding a file, not editing a shared one.
using BindFn = void (*)(nb::module_& m, nb::class_<Tensor>& tensor_cls);
struct BindingRegistrar {
  BindingRegistrar(int order, BindFn fn);
};
void run_bindings(nb::module_& m, nb::class_<Tensor>& cls);

// Python objects for the dtypes (ember.float32 ...), created in dtype.cpp.
nb::handle dtype_object(DType t);
bool dtype_from_python(nb::handle h, DType& out);
// ember.Size(...) from sizes.
nb::object make_size(const DimVector& sizes);
// Python scalar -> Scalar (bool, int, float, complex, NumPy scalars,
// one-element tensors).
bool scalar_from_python(nb::handle h, Scalar& out);
nb::object scalar_to_python(const Scalar& s);
// Sizes from either varargs of ints or a single sequence: view(2, 3) and
// view((2, 3)) both work.
DimVector sizes_from_args(const nb::args& args, const char* op);
DimVector sizes_from_sequence(nb::handle seq, const char* op);
// None -> nullopt; str, int or ember.device -> Device; raises RuntimeError on
// a malformed device string.
std::optional<Device> device_from_python(nb::handle h);
// The dtype=, device=, requires_grad= keywords of factory functions.
TensorOptions make_options(std::optional<DType> dtype, nb::handle device, bool requires_grad);
// A tensor copied from arbitrary Python data: nested lists/tuples of
// numbers, NumPy arrays, tensors (defined in tensor_data.cpp).
Tensor tensor_from_data(nb::handle data, std::optional<DType> dtype, std::optional<Device> device);
// ember.return_types.<name>(*outputs): the named tuple an op with several
// outputs returns (values/indices ...); see python/ember/return_types.py.
nb::object return_type(const char* name, std::initializer_list<Tensor> outputs);
// out= of module functions: copies result into `out` (same shape, dtype it
// can hold) and returns that same Python object; returns result when out is
// None.
nb::object write_out(const char* op, const Tensor& result, nb::handle out);
nb::object write_out(const char* op, Tensor&& result, nb::handle out);  // moves a new result into Python

}  // namespace ember::py

namespace nanobind::detail {

template <>
struct type_caster<ember::DType> {
  NB_TYPE_CASTER(ember::DType, const_name("ember.dtype"))
  bool from_python(handle src, uint8_t, cleanup_list*) noexcept {
    return ember::py::dtype_from_python(src, value);
  }
  static handle from_cpp(ember::DType t, rv_policy, cleanup_list*) noexcept {
    return ember::py::dtype_object(t).inc_ref();
  }
};

template <>
struct type_caster<ember::Device> {
  NB_TYPE_CASTER(ember::Device, const_name("ember.device"))
  bool from_python(handle src, uint8_t, cleanup_list*) noexcept;
  static handle from_cpp(const ember::Device& d, rv_policy, cleanup_list*) noexcept;
};

template <>
struct type_caster<ember::DimVector> {
  NB_TYPE_CASTER(ember::DimVector, const_name("ember.Size"))
  bool from_python(handle src, uint8_t, cleanup_list*) noexcept;
  static handle from_cpp(const ember::DimVector& v, rv_policy, cleanup_list*) noexcept {
    try {
      return ember::py::make_size(v).release();
    } catch (...) {
      return handle();
    }
  }
};

template <>
struct type_caster<ember::Scalar> {
  NB_TYPE_CASTER(ember::Scalar, const_name("Number"))
  bool from_python(handle src, uint8_t, cleanup_list*) noexcept {
    return ember::py::scalar_from_python(src, value);
  }
  static handle from_cpp(const ember::Scalar& s, rv_policy, cleanup_list*) noexcept {
    try {
      return ember::py::scalar_to_python(s).release();
    } catch (...) {
      return handle();
    }
  }
};

}  // namespace nanobind::detail
