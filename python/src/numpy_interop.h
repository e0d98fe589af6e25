#pragma once
// Zero-copy exchange with NumPy through __array_interface__: from_numpy
// borrows the array's memory (keeping the array alive), Tensor.numpy()
// hands NumPy an object that keeps the tensor alive.
#include "bind.h"

namespace ember::py {

bool is_numpy_array(nb::handle h);
// Shares memory with the array; raises ValueError on negative strides and
// TypeError on unsupported dtypes. Warns once for read-only arrays.
Tensor from_numpy_array(nb::handle array, bool warn_readonly = true);
// A NumPy array over t's memory (t must be on the CPU and not require grad).
nb::object tensor_to_numpy(const Tensor& t, bool force);

}  // namespace ember::py
