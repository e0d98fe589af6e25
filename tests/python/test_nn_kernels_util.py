"""Shared helpers of the test_nn_kernels_*.py files (no tests here): tensor
conversion, NumPy reference layers written as direct loops, and the
directional finite-difference check every backward is tested with."""
import itertools

import numpy as np

import ember

nn = ember._C._nn


def T(a, dtype=None):
    """A NumPy array as an ember tensor (float64 unless told)."""
    a = np.asarray(a)
    if dtype is None:
        dtype = ember.float64 if a.dtype.kind == "f" else ember.int64
    return ember.tensor(a, dtype=dtype)


def N(t):
    """An ember tensor as a float64 (or int64) NumPy array."""
    if t.is_floating_point():
        return t.to(ember.float64).numpy()
    return t.numpy()


def noncontig(a, dtype=ember.float64):
    """The same values as a non-contiguous ember tensor (a transposed copy, transposed back)."""
    a = np.asarray(a)
    if a.ndim < 2:
        return T(a, dtype)
    t = T(np.ascontiguousarray(np.swapaxes(a, -1, -2)), dtype).transpose(-1, -2)
    assert not t.is_contiguous()
    return t


def check_directional(forward, backward, inputs, rng, eps=1e-6, rtol=1e-6, atol=1e-8):
    """For each differentiable input x_i: compare <g, J_i v> (central
    differences of `forward`) with <backward(g)_i, v>. forward: list of
    float64 arrays -> array; backward: (g, list of arrays) -> list of
    arrays or None (no gradient for that input)."""
    y = np.asarray(forward(inputs))
    g = rng.standard_normal(y.shape)
    grads = backward(g, inputs)
    checked = 0
    for i, gi in enumerate(grads):
        if gi is None:
            continue
        v = rng.standard_normal(np.shape(inputs[i]))
        plus = list(inputs)
        minus = list(inputs)
        plus[i] = inputs[i] + eps * v
        minus[i] = inputs[i] - eps * v
        fd = (np.asarray(forward(plus)) - np.asarray(forward(minus))) / (2 * eps)
        lhs = float(np.sum(g * fd))
        rhs = float(np.sum(np.asarray(gi) * v))
        assert np.isclose(lhs, rhs, rtol=rtol, atol=atol), f"input {i}: finite differences {lhs} vs backward {rhs}"
        checked += 1
    assert checked > 0


# ---- reference layers (direct loops)

def conv_ref(x, w, b, stride, padding, dilation, groups):
    """N-d convolution (cross-correlation) of x (N, C, *s) with w (O, C/g, *k)."""
    k = x.ndim - 2
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding])
    ks = w.shape[2:]
    out_sp = [(xp.shape[2 + i] - dilation[i] * (ks[i] - 1) - 1) // stride[i] + 1 for i in range(k)]
    O = w.shape[0]
    cin_g, cout_g = x.shape[1] // groups, O // groups
    out = np.zeros((x.shape[0], O, *out_sp))
    for g in range(groups):
        xg = xp[:, g * cin_g:(g + 1) * cin_g]
        wg = w[g * cout_g:(g + 1) * cout_g]
        for off in itertools.product(*[range(s) for s in ks]):
            sl = tuple(slice(off[i] * dilation[i], off[i] * dilation[i] + stride[i] * (out_sp[i] - 1) + 1, stride[i])
                       for i in range(k))
            patch = xg[(slice(None), slice(None)) + sl]
            out[:, g * cout_g:(g + 1) * cout_g] += np.einsum("nc...,oc->no...", patch, wg[(Ellipsis,) + off])
    if b is not None:
        out += b.reshape((1, -1) + (1,) * k)
    return out


def conv_transpose_ref(x, w, b, stride, padding, output_padding, dilation, groups):
    """N-d transposed convolution of x (N, Cin, *s) with w (Cin, Cout/g, *k): each
    input element scatters w times itself."""
    k = x.ndim - 2
    ks = w.shape[2:]
    cin_g, cout_g = x.shape[1] // groups, w.shape[1]
    full = [(x.shape[2 + i] - 1) * stride[i] + dilation[i] * (ks[i] - 1) + 1 + output_padding[i] for i in range(k)]
    buf = np.zeros((x.shape[0], cout_g * groups, *full))
    for g in range(groups):
        xg = x[:, g * cin_g:(g + 1) * cin_g]
        wg = w[g * cin_g:(g + 1) * cin_g]
        for off in itertools.product(*[range(s) for s in ks]):
            sl = tuple(slice(off[i] * dilation[i], off[i] * dilation[i] + stride[i] * (x.shape[2 + i] - 1) + 1,
                             stride[i]) for i in range(k))
            buf[(slice(None), slice(g * cout_g, (g + 1) * cout_g)) + sl] += np.einsum(
                "nc...,co->no...", xg, wg[(Ellipsis,) + off])
    out_sp = [full[i] - output_padding[i] - 2 * padding[i] + output_padding[i] for i in range(k)]
    crop = tuple(slice(padding[i], padding[i] + out_sp[i]) for i in range(k))
    out = buf[(slice(None), slice(None)) + crop]
    if b is not None:
        out = out + b.reshape((1, -1) + (1,) * k)
    return out


def pool_out_size(n, k, s, p, d, ceil_mode):
    num = n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)
    o = num // s + 1
    if ceil_mode and (o - 1) * s >= n + p:
        o -= 1
    return o


def max_pool2d_ref(x, k, s, p, d, ceil_mode):
    """x (P, H, W) -> (values, flat indices)."""
    P, H, W = x.shape
    oh, ow = pool_out_size(H, k[0], s[0], p[0], d[0], ceil_mode), pool_out_size(W, k[1], s[1], p[1], d[1], ceil_mode)
    out = np.full((P, oh, ow), -np.inf)
    idx = np.full((P, oh, ow), -1, dtype=np.int64)
    for i in range(oh):
        for j in range(ow):
            for a in range(k[0]):
                for b in range(k[1]):
                    h, w = i * s[0] - p[0] + a * d[0], j * s[1] - p[1] + b * d[1]
                    if 0 <= h < H and 0 <= w < W:
                        better = x[:, h, w] > out[:, i, j]
                        out[:, i, j] = np.where(better, x[:, h, w], out[:, i, j])
                        idx[:, i, j] = np.where(better, h * W + w, idx[:, i, j])
    return out, idx


def avg_pool2d_ref(x, k, s, p, ceil_mode, count_include_pad, divisor_override):
    P, H, W = x.shape
    oh, ow = pool_out_size(H, k[0], s[0], p[0], 1, ceil_mode), pool_out_size(W, k[1], s[1], p[1], 1, ceil_mode)
    out = np.zeros((P, oh, ow))
    for i in range(oh):
        for j in range(ow):
            h0, w0 = i * s[0] - p[0], j * s[1] - p[1]
            h1, w1 = min(h0 + k[0], H + p[0]), min(w0 + k[1], W + p[1])
            pool = (h1 - h0) * (w1 - w0)
            h0, w0, h1, w1 = max(h0, 0), max(w0, 0), min(h1, H), min(w1, W)
            div = divisor_override or (pool if count_include_pad else (h1 - h0) * (w1 - w0))
            out[:, i, j] = x[:, h0:h1, w0:w1].sum(axis=(1, 2)) / div
    return out


def adaptive_windows(n_in, n_out):
    return [(o * n_in // n_out, -(-(o + 1) * n_in // n_out)) for o in range(n_out)]


def log_softmax_ref(x, axis=1):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
