#pragma once
// Zero-copy exchange with NumPy through __array_interface__: from_numpy
// borrows the array's memory (keeping the array alive), Tensor.numpy()
// hands NumPy an object that keeps the tensor alive. as_tensor shares when it
// can and copies when it must.
#include "bind.h"

namespace ember::py {

bool is_numpy_array(nb::handle h);
// Shares memory with the array; raises ValueError on negative strides and
// TypeError on unsupported dtypes. Warns for read-only arrays
// (UserWarning, PyTorch's text) unless warn_readonly is false.
Tensor from_numpy_array(nb::handle array, bool warn_readonly = true);
// A NumPy array over t's memory (t must be on the CPU and not require grad).
// force=True detaches and copies to the CPU first, as PyTorch does.
nb::object tensor_to_numpy(const Tensor& t, bool force);
// torch.as_tensor: a tensor or ndarray already of the requested dtype and
// device is shared (the same tensor, or a view of the array's memory); else
// it is converted with a copy. Python sequences and scalars are copied.
Tensor as_tensor(nb::handle data, std::optional<DType> dtype, std::optional<Device> device);

}  // namespace ember::py
