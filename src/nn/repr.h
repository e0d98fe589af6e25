#pragma once
// How the C++ layers print their settings: as Python prints them, so that a
// module's repr() reads the same in C++ and in Python (PyTorch's extra_repr).
#include <string>

#include "ember/core/dim_vector.h"

namespace ember::nn::detail {

// Python's repr(float): the shortest digits that round-trip, in fixed
// notation for exponents -4..15 and "1e-05" style otherwise.
std::string py_float(double v);
inline const char* py_bool(bool b) { return b ? "True" : "False"; }
// Python's tuple repr: "(3, 3)", "(3,)".
std::string py_tuple(const DimVector& v);

}  // namespace ember::nn::detail
