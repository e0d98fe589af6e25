"""A short tour of Ember, run as the README's main job until the training
example lands: tensors, dtypes, views, NumPy interop. Checks what it shows."""
import numpy as np

import ember as torch


def main():
    x = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    print("x =", x.tolist(), x.dtype, tuple(x.shape))
    xt = x.T
    print("x.T shares storage:", xt._base_data_ptr == x._base_data_ptr, "contiguous:", xt.is_contiguous())
    row = x.select(0, 1)
    row.fill_(-1)
    assert x.tolist()[1] == [-1.0] * 4, "a write through a view must land in the base"
    print("after x[1].fill_(-1):", x.tolist())

    a = np.linspace(0, 1, 5)
    t = torch.from_numpy(a)
    t.narrow(0, 0, 2).fill_(7)
    assert a[0] == 7 and a[1] == 7, "from_numpy must share memory"
    print("NumPy array seen through ember:", a)

    i = torch.tensor([1.7, -1.7, 300.5]).to(torch.uint8)
    print("float -> uint8 with C-like rounding:", i.tolist())
    print("default dtype:", torch.get_default_dtype(), " threads:", torch.get_num_threads())
    print("tour ok")


if __name__ == "__main__":
    main()
