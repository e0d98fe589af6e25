"""Layer kernels: conv2d forward and backward (3x3, 64 -> 64 channels,
56x56, batch 8, float32: Ember's Winograd path) and the same on the digits
CNN's second layer (16 -> 32 channels, 8x8, batch 64: its im2col path) in
Ember beside PyTorch (when installed); NumPy's column is an im2col +
tensordot forward written with sliding windows.

    python benchmarks/bench_nn.py [--threads 1,2] [--filter backward]
"""
import numpy as np

import ember
from harness import Case, main, torch

nn = ember._C._nn
SHAPE_X, SHAPE_W = (8, 64, 56, 56), (64, 64, 3, 3)
SMALL_X, SMALL_W = (64, 16, 8, 8), (32, 16, 3, 3)


def data(shape_x=SHAPE_X, shape_w=SHAPE_W):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape_x).astype(np.float32)
    w = (rng.standard_normal(shape_w) * 0.05).astype(np.float32)
    b = rng.standard_normal(shape_w[0]).astype(np.float32)
    g = rng.standard_normal((shape_x[0], shape_w[0]) + shape_x[2:]).astype(np.float32)  # padding 1 keeps H, W
    return x, w, b, g


def numpy_conv(x, w, b):
    xp = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)])
    win = np.lib.stride_tricks.sliding_window_view(xp, (3, 3), axis=(2, 3))  # n c h w kh kw
    return np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2) + b[None, :, None, None]


def forward_case(shape_x=SHAPE_X, shape_w=SHAPE_W):
    x, w, b, _ = data(shape_x, shape_w)
    ex, ew, eb = ember.tensor(x), ember.tensor(w), ember.tensor(b)
    fns = {
        "ember": lambda: nn.convolution(ex, ew, eb, 1, 1, 1, False, 0, 1),
        "numpy": lambda: numpy_conv(x, w, b),
    }
    if torch is not None:
        tx, tw, tb = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)
        fns["torch"] = lambda: torch.nn.functional.conv2d(tx, tw, tb, padding=1)
    return fns


def backward_case(shape_x=SHAPE_X, shape_w=SHAPE_W):
    x, w, _, g = data(shape_x, shape_w)
    ex, ew, eg = ember.tensor(x), ember.tensor(w), ember.tensor(g)
    fns = {"ember": lambda: nn.convolution_backward(eg, ex, ew, 1, 1, 1, False, 0, 1, [True, True, True])}
    if torch is not None:
        tx, tw, tg = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(g)
        fns["torch"] = lambda: torch.ops.aten.convolution_backward(
            tg, tx, tw, [shape_w[0]], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [True, True, True])
    return fns


CASES = [
    Case("conv2d", "forward 3x3 64ch 56x56 batch 8 f32", forward_case),
    Case("conv2d", "backward (input, weight, bias) same", backward_case),
    Case("conv2d", "forward 3x3 16->32ch 8x8 batch 64 f32", lambda: forward_case(SMALL_X, SMALL_W)),
    Case("conv2d", "backward (input, weight, bias) same", lambda: backward_case(SMALL_X, SMALL_W)),
]

if __name__ == "__main__":
    main(CASES)
