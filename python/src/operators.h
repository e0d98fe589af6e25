#pragma once
// Tensor's Python operators as C type slots (Note [Operator slots] in
// operators.cpp), and the operand conversion shared with the named binary
// methods and functions of math.cpp.
#include "bind.h"
#include "ember/ops/elementwise.h"

namespace ember::py {

// The slots module.cpp passes to nb::class_<Tensor> (nb::type_slots):
// arithmetic, bitwise, in-place and comparison operators and __hash__.
extern PyType_Slot tensor_operator_slots[];
// The Tensor type object, recorded when the bindings run.
void set_tensor_type(nb::handle type);

// A tensor, a Python number, or a NumPy array as the other operand; false
// for anything else (operators then return NotImplemented).
bool operand_from_python(nb::handle h, std::optional<Operand>& out);
// The same, raising TypeError ("[op] expected a Tensor or a number, got
// list") for anything else.
Operand to_operand(nb::handle h, const char* op);

// Ember's C++ errors to the Python exceptions of the same names (registered
// with nanobind in module.cpp, used by the slots too).
void translate_exception(const std::exception_ptr& p, void*);

}  // namespace ember::py
