"""Max, average and adaptive pooling (1-D and 2-D) against NumPy loops;
backwards against directional finite differences in float64."""
import numpy as np
import pytest

import ember
from test_nn_kernels_util import (N, T, adaptive_windows, avg_pool2d_ref, check_directional, max_pool2d_ref, nn,
                                  noncontig)

RNG = np.random.default_rng(1)

# (input shape, kernel, stride, padding, dilation, ceil_mode)
MAX_CASES = [
    ((2, 3, 7, 8), [2, 2], [2, 2], [0, 0], [1, 1], False),
    ((2, 3, 7, 8), [3, 2], [2, 3], [1, 1], [1, 1], True),
    ((1, 2, 9, 9), [3, 3], [1, 2], [1, 0], [2, 3], False),
    ((3, 6, 5), [2, 3], [1, 1], [1, 1], [1, 1], True),   # unbatched
    ((1, 1, 5, 5), [2, 2], [3, 3], [1, 1], [1, 1], True),  # ceil_mode drops a window starting in the padding
]


@pytest.mark.parametrize("shape,k,s,p,d,ceil_mode", MAX_CASES)
@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
def test_max_pool2d(shape, k, s, p, d, ceil_mode, dtype):
    x = RNG.standard_normal(shape)
    y, idx = nn.max_pool2d_with_indices(T(x, dtype), k, s, p, d, ceil_mode)
    planes = x.reshape(-1, *shape[-2:]).astype(np.float32 if dtype == ember.float32 else np.float64)
    ref, ref_idx = max_pool2d_ref(planes, k, s, p, d, ceil_mode)
    assert y.dtype == dtype and idx.dtype == ember.int64
    np.testing.assert_array_equal(N(y).reshape(ref.shape), ref)
    np.testing.assert_array_equal(idx.numpy().reshape(ref.shape), ref_idx)
    assert y.shape == shape[:-2] + ref.shape[-2:]


def test_max_pool2d_noncontiguous_default_stride_and_nan():
    x = RNG.standard_normal((2, 2, 6, 6))
    y, _ = nn.max_pool2d_with_indices(noncontig(x), 3)
    ref, _ = max_pool2d_ref(x.reshape(-1, 6, 6), [3, 3], [3, 3], [0, 0], [1, 1], False)
    np.testing.assert_array_equal(N(y).reshape(ref.shape), ref)
    x[0, 0, 0, 1] = x[0, 0, 1, 1] = np.nan  # the window's last NaN is reported, as PyTorch
    y, idx = nn.max_pool2d_with_indices(T(x), 2)
    assert np.isnan(N(y)[0, 0, 0, 0]) and idx.numpy()[0, 0, 0, 0] == 7


def max_pool_scan_ref(x, k, s, p):
    """PyTorch's scan of each window in row-major order: the first valid element,
    then an element replaces the best when greater or NaN (ties keep the first
    maximum, the last NaN wins). x (P, H, W) -> (values, flat indices)."""
    P, H, W = x.shape
    oh, ow = (H + 2 * p[0] - k[0]) // s[0] + 1, (W + 2 * p[1] - k[1]) // s[1] + 1
    out, idx = np.full((P, oh, ow), -np.inf, dtype=x.dtype), np.full((P, oh, ow), -1, dtype=np.int64)
    for q in range(P):
        for i in range(oh):
            for j in range(ow):
                for a in range(k[0]):
                    for b in range(k[1]):
                        h, w = i * s[0] - p[0] + a, j * s[1] - p[1] + b
                        if 0 <= h < H and 0 <= w < W:
                            v = x[q, h, w]
                            if idx[q, i, j] < 0 or v > out[q, i, j] or np.isnan(v):
                                out[q, i, j], idx[q, i, j] = v, h * W + w
    return out, idx


@pytest.mark.parametrize("width", [2, 5, 8, 9, 11, 18])
@pytest.mark.parametrize("k,s,p", [([2, 2], [2, 2], [0, 0]), ([3, 3], [2, 2], [1, 1])])
@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
def test_max_pool2d_ties_nans_and_infinities(width, k, s, p, dtype):
    # Small integers make ties common; NaN and -inf at random places. Widths
    # cover the vectorized 2x2 path (4 floats or 2 doubles at a time) and its
    # scalar tail, and the general path.
    npt = np.float32 if dtype == ember.float32 else np.float64
    x = RNG.integers(-2, 3, (3, 2, 6, width)).astype(npt)
    x.flat[RNG.choice(x.size, x.size // 6, replace=False)] = np.nan
    x.flat[RNG.choice(x.size, x.size // 6, replace=False)] = -np.inf
    x[0, 0] = -np.inf  # a plane of -inf only: the first element of each window wins
    y, idx = nn.max_pool2d_with_indices(T(x, dtype), k, s, p, [1, 1], False)
    ref, ref_idx = max_pool_scan_ref(x.reshape(-1, 6, width), k, s, p)
    np.testing.assert_array_equal(y.numpy().reshape(ref.shape), ref)
    np.testing.assert_array_equal(idx.numpy().reshape(ref.shape), ref_idx)


@pytest.mark.parametrize("shape,k,s,p,d,ceil_mode", MAX_CASES)
def test_max_pool2d_backward(shape, k, s, p, d, ceil_mode):
    x = RNG.standard_normal(shape)
    _, idx = nn.max_pool2d_with_indices(T(x), k, s, p, d, ceil_mode)

    def fwd(a):
        return N(nn.max_pool2d_with_indices(T(a[0]), k, s, p, d, ceil_mode)[0])

    def bwd(g, a):
        return [N(nn.max_pool2d_with_indices_backward(T(g), T(a[0]), k, s, p, d, ceil_mode, idx))]

    check_directional(fwd, bwd, [x], RNG)


@pytest.mark.parametrize("shape,k,s,p,d,ceil_mode", [((2, 3, 11), 3, 2, 1, 2, True), ((3, 10), 2, None, 0, 1, False)])
def test_max_pool1d_and_backward(shape, k, s, p, d, ceil_mode):
    x = RNG.standard_normal(shape)
    y, idx = nn.max_pool1d_with_indices(T(x), k, s, p, d, ceil_mode)
    ss = k if s is None else s
    ref, ref_idx = max_pool2d_ref(x.reshape(-1, 1, shape[-1]), [1, k], [1, ss], [0, p], [1, d], ceil_mode)
    np.testing.assert_array_equal(N(y).reshape(ref.shape), ref)
    np.testing.assert_array_equal(idx.numpy().reshape(ref.shape), ref_idx)
    check_directional(lambda a: N(nn.max_pool1d_with_indices(T(a[0]), k, s, p, d, ceil_mode)[0]),
                      lambda g, a: [N(nn.max_pool1d_with_indices_backward(T(g), T(a[0]), k, s, p, d, ceil_mode, idx))],
                      [x], RNG)


# (input shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
AVG_CASES = [
    ((2, 3, 7, 8), [2, 2], [2, 2], [0, 0], False, True, None),
    ((2, 3, 7, 8), [3, 3], [2, 2], [1, 1], True, True, None),
    ((2, 3, 7, 8), [3, 3], [2, 2], [1, 1], True, False, None),
    ((1, 2, 6, 5), [3, 2], [1, 2], [1, 1], False, False, 5),
    ((3, 5, 5), [2, 2], [3, 3], [1, 1], True, True, None),
]


@pytest.mark.parametrize("shape,k,s,p,ceil_mode,cip,div", AVG_CASES)
def test_avg_pool2d_forward_backward(shape, k, s, p, ceil_mode, cip, div):
    x = RNG.standard_normal(shape)
    y = nn.avg_pool2d(T(x), k, s, p, ceil_mode, cip, div)
    ref = avg_pool2d_ref(x.reshape(-1, *shape[-2:]), k, s, p, ceil_mode, cip, div)
    np.testing.assert_allclose(N(y).reshape(ref.shape), ref, rtol=1e-12)
    y32 = nn.avg_pool2d(noncontig(x, ember.float32), k, s, p, ceil_mode, cip, div)
    np.testing.assert_allclose(N(y32).reshape(ref.shape), ref, rtol=1e-5, atol=1e-6)
    check_directional(lambda a: N(nn.avg_pool2d(T(a[0]), k, s, p, ceil_mode, cip, div)),
                      lambda g, a: [N(nn.avg_pool2d_backward(T(g), T(a[0]), k, s, p, ceil_mode, cip, div))], [x], RNG)


def test_avg_pool1d_forward_backward():
    x = RNG.standard_normal((2, 3, 9))
    y = nn.avg_pool1d(T(x), 3, 2, 1, True, False)
    ref = avg_pool2d_ref(x.reshape(-1, 1, 9), [1, 3], [1, 2], [0, 1], True, False, None)
    np.testing.assert_allclose(N(y).reshape(ref.shape), ref, rtol=1e-12)
    check_directional(lambda a: N(nn.avg_pool1d(T(a[0]), 3, 2, 1, True, False)),
                      lambda g, a: [N(nn.avg_pool1d_backward(T(g), T(a[0]), 3, 2, 1, True, False))], [x], RNG)


def adaptive_ref(x, oh, ow, fn):
    H, W = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + (oh, ow))
    for i, (h0, h1) in enumerate(adaptive_windows(H, oh)):
        for j, (w0, w1) in enumerate(adaptive_windows(W, ow)):
            out[..., i, j] = fn(x[..., h0:h1, w0:w1], axis=(-2, -1))
    return out


@pytest.mark.parametrize("shape,os", [((2, 3, 7, 9), [3, 4]), ((3, 5, 5), [5, 2]), ((1, 2, 4, 6), [7, 1])])
def test_adaptive_pool2d(shape, os):
    x = RNG.standard_normal(shape)
    np.testing.assert_allclose(N(nn.adaptive_avg_pool2d(T(x), os)), adaptive_ref(x, *os, np.mean), rtol=1e-12)
    y, idx = nn.adaptive_max_pool2d(noncontig(x), os)
    np.testing.assert_array_equal(N(y), adaptive_ref(x, *os, np.max))
    flat = x.reshape(x.shape[:-2] + (-1,))
    np.testing.assert_array_equal(np.take_along_axis(flat, idx.numpy().reshape(flat.shape[:-1] + (-1,)), -1),
                                  N(y).reshape(flat.shape[:-1] + (-1,)))
    check_directional(lambda a: N(nn.adaptive_avg_pool2d(T(a[0]), os)),
                      lambda g, a: [N(nn.adaptive_avg_pool2d_backward(T(g), T(a[0])))], [x], RNG)
    check_directional(lambda a: N(nn.adaptive_max_pool2d(T(a[0]), os)[0]),
                      lambda g, a: [N(nn.adaptive_max_pool2d_backward(T(g), T(a[0]), idx))], [x], RNG)


def test_adaptive_pool1d():
    x = RNG.standard_normal((2, 3, 10))
    ref = adaptive_ref(x[..., None, :], 1, 4, np.mean)[..., 0, :]
    np.testing.assert_allclose(N(nn.adaptive_avg_pool1d(T(x), 4)), ref, rtol=1e-12)
    y, idx = nn.adaptive_max_pool1d(T(x), [3])
    np.testing.assert_array_equal(N(y), adaptive_ref(x[..., None, :], 1, 3, np.max)[..., 0, :])
    check_directional(lambda a: N(nn.adaptive_avg_pool1d(T(a[0]), 4)),
                      lambda g, a: [N(nn.adaptive_avg_pool1d_backward(T(g), T(a[0])))], [x], RNG)
    check_directional(lambda a: N(nn.adaptive_max_pool1d(T(a[0]), 3)[0]),
                      lambda g, a: [N(nn.adaptive_max_pool1d_backward(T(g), T(a[0]), idx))], [x], RNG)


def test_pool_errors():
    x = T(np.zeros((1, 1, 2, 2)))
    with pytest.raises(RuntimeError, match=r"Output size is too small"):
        nn.max_pool2d_with_indices(x, 3, 1, 0, 1, False)
    with pytest.raises(RuntimeError, match="pad should be at most half of effective kernel size"):
        nn.max_pool2d_with_indices(x, 2, 1, 2, 1, False)
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input"):
        nn.max_pool2d_with_indices(T(np.zeros((2, 2))), 2)
    with pytest.raises(RuntimeError, match="divisor must be not zero"):
        nn.avg_pool2d(x, 2, 2, 0, False, True, 0)
    with pytest.raises(RuntimeError, match="kernel_size must be greater than zero"):
        nn.avg_pool2d(x, 0)
    with pytest.raises(RuntimeError, match="output_size must be non-negative"):
        nn.adaptive_avg_pool2d(x, [-1, 2])
    with pytest.raises(TypeError, match="floating point"):
        nn.max_pool2d_with_indices(T(np.zeros((1, 1, 2, 2), dtype=np.int64)), 2)
    y, idx = nn.max_pool2d_with_indices(T(np.ones((1, 1, 4, 4))), 2)
    with pytest.raises(RuntimeError, match="expected grad_output of size"):
        nn.max_pool2d_with_indices_backward(T(np.ones((1, 1, 3, 3))), T(np.ones((1, 1, 4, 4))), 2, None, 0, 1, False,
                                            idx)
    bad = T(np.full((1, 1, 2, 2), 99))
    with pytest.raises(IndexError, match="out of bounds"):
        nn.adaptive_max_pool2d_backward(y, T(np.ones((1, 1, 4, 4))), bad)


def test_empty_batches():
    x = T(np.zeros((0, 3, 4, 4)))
    y, idx = nn.max_pool2d_with_indices(x, 2)
    assert y.shape == idx.shape == (0, 3, 2, 2)
    assert nn.avg_pool2d(x, 2).shape == (0, 3, 2, 2)
    assert nn.adaptive_avg_pool2d(x, [3, 1]).shape == (0, 3, 3, 1)
    assert nn.max_pool2d_with_indices_backward(T(np.zeros((0, 3, 2, 2))), x, 2, None, 0, 1, False, idx).shape == x.shape
    assert nn.adaptive_avg_pool2d_backward(T(np.zeros((0, 3, 2, 2))), x).shape == x.shape
