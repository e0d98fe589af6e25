"""Layer kernels: conv2d forward and backward (3x3, 64 -> 64 channels,
56x56, batch 8, float32) in Ember beside PyTorch (when installed); NumPy's
column is an im2col + tensordot forward written with sliding windows.

    python benchmarks/bench_nn.py [--threads 1,2] [--filter backward]
"""
import numpy as np

import ember
from harness import Case, main, torch

nn = ember._C._nn
SHAPE_X, SHAPE_W = (8, 64, 56, 56), (64, 64, 3, 3)


def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE_X).astype(np.float32)
    w = (rng.standard_normal(SHAPE_W) * 0.05).astype(np.float32)
    b = rng.standard_normal(SHAPE_W[0]).astype(np.float32)
    g = rng.standard_normal(SHAPE_X).astype(np.float32)  # padding 1 keeps 56x56
    return x, w, b, g


def numpy_conv(x, w, b):
    xp = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)])
    win = np.lib.stride_tricks.sliding_window_view(xp, (3, 3), axis=(2, 3))  # n c h w kh kw
    return np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2) + b[None, :, None, None]


def forward_case():
    x, w, b, _ = data()
    ex, ew, eb = ember.tensor(x), ember.tensor(w), ember.tensor(b)
    fns = {
        "ember": lambda: nn.convolution(ex, ew, eb, 1, 1, 1, False, 0, 1),
        "numpy": lambda: numpy_conv(x, w, b),
    }
    if torch is not None:
        tx, tw, tb = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)
        fns["torch"] = lambda: torch.nn.functional.conv2d(tx, tw, tb, padding=1)
    return fns


def backward_case():
    x, w, _, g = data()
    ex, ew, eg = ember.tensor(x), ember.tensor(w), ember.tensor(g)
    fns = {"ember": lambda: nn.convolution_backward(eg, ex, ew, 1, 1, 1, False, 0, 1, [True, True, True])}
    if torch is not None:
        tx, tw, tg = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(g)
        fns["torch"] = lambda: torch.ops.aten.convolution_backward(
            tg, tx, tw, [SHAPE_W[0]], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [True, True, True])
    return fns


CASES = [
    Case("conv2d", "forward 3x3 64ch 56x56 batch 8 f32", forward_case),
    Case("conv2d", "backward (input, weight, bias) same", backward_case),
]

if __name__ == "__main__":
    main(CASES)
