"""Batch, layer, group and RMS norm against NumPy formulas; backwards
against directional finite differences in float64."""
import numpy as np
import pytest

import ember
from test_nn_kernels_util import N, T, check_directional, nn, noncontig

RNG = np.random.default_rng(2)


def bn_ref(x, w, b, mean, var, eps):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    if w is not None:
        y = y * w.reshape(shape)
    if b is not None:
        y = y + b.reshape(shape)
    return y


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 5), (2, 3, 4, 5)])
@pytest.mark.parametrize("dtype,tol", [(ember.float32, 1e-5), (ember.float64, 1e-12)])
def test_batch_norm_training_updates_running_stats(shape, dtype, tol):
    x = RNG.standard_normal(shape) * 2 + 1
    C = shape[1]
    w, b = RNG.standard_normal(C), RNG.standard_normal(C)
    rm0, rv0 = RNG.standard_normal(C), RNG.random(C) + 0.5
    rm, rv = T(rm0, dtype), T(rv0, dtype)
    axes = (0,) + tuple(range(2, len(shape)))
    y, save_mean, save_invstd = nn.native_batch_norm(noncontig(x, dtype), T(w, dtype), T(b, dtype), rm, rv, True,
                                                     0.1, 1e-5)
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    np.testing.assert_allclose(N(y), bn_ref(x, w, b, mean, var, 1e-5), rtol=tol, atol=tol)
    np.testing.assert_allclose(N(save_mean), mean, rtol=tol, atol=tol)
    np.testing.assert_allclose(N(save_invstd), 1 / np.sqrt(var + 1e-5), rtol=tol, atol=tol)
    n = x.size // C
    np.testing.assert_allclose(N(rm), 0.9 * rm0 + 0.1 * mean, rtol=tol, atol=tol)
    np.testing.assert_allclose(N(rv), 0.9 * rv0 + 0.1 * var * n / (n - 1), rtol=tol, atol=tol)


def test_batch_norm_eval_uses_running_stats():
    x = RNG.standard_normal((3, 4, 5))
    rm, rv = RNG.standard_normal(4), RNG.random(4) + 0.5
    y, sm, si = nn.native_batch_norm(T(x), None, None, T(rm), T(rv), False, 0.1, 1e-3)
    np.testing.assert_allclose(N(y), bn_ref(x, None, None, rm, rv, 1e-3), rtol=1e-12)
    assert sm.shape == (0,) and si.shape == (0,)
    np.testing.assert_array_equal(N(T(rm)), rm)  # untouched


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4, 2)])
def test_batch_norm_backward(train, shape):
    x = RNG.standard_normal(shape)
    C = shape[1]
    w, b = RNG.standard_normal(C), RNG.standard_normal(C)
    rm, rv = RNG.standard_normal(C), RNG.random(C) + 0.5
    eps = 1e-5

    def fwd(a):
        return N(nn.native_batch_norm(T(a[0]), T(a[1]), T(a[2]), T(rm), T(rv), train, 0.1, eps)[0])

    def bwd(g, a):
        _, sm, si = nn.native_batch_norm(T(a[0]), T(a[1]), T(a[2]), T(rm), T(rv), train, 0.1, eps)
        gi, gw, gb = nn.native_batch_norm_backward(T(g), T(a[0]), T(a[1]), T(rm), T(rv), sm if train else None,
                                                   si if train else None, train, eps, [True, True, True])
        return [N(gi), N(gw), N(gb)]

    check_directional(fwd, bwd, [x, w, b], RNG)


def ln_ref(x, k, w, b, eps):
    axes = tuple(range(x.ndim - k, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    return y, mean, 1 / np.sqrt(var + eps)


@pytest.mark.parametrize("shape,k", [((4, 6), 1), ((2, 3, 4), 2), ((5,), 1)])
@pytest.mark.parametrize("affine", [True, False])
def test_layer_norm(shape, k, affine):
    x = RNG.standard_normal(shape) * 3 + 2
    ns = list(shape[len(shape) - k:])
    w = RNG.standard_normal(ns) if affine else None
    b = RNG.standard_normal(ns) if affine else None
    y, mean, rstd = nn.native_layer_norm(noncontig(x), ns, T(w) if affine else None, T(b) if affine else None, 1e-5)
    ry, rmean, rrstd = ln_ref(x, k, w, b, 1e-5)
    np.testing.assert_allclose(N(y), ry, rtol=1e-10, atol=1e-12)
    assert mean.shape == rmean.shape and rstd.shape == rrstd.shape
    np.testing.assert_allclose(N(mean), rmean, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(N(rstd), rrstd, rtol=1e-12)
    y32 = nn.native_layer_norm(T(x, ember.float32), ns, T(w, ember.float32) if affine else None,
                               T(b, ember.float32) if affine else None, 1e-5)[0]
    np.testing.assert_allclose(N(y32), ry, rtol=1e-4, atol=1e-5)

    def fwd(a):
        return N(nn.native_layer_norm(T(a[0]), ns, T(a[1]) if affine else None, T(a[2]) if affine else None, 1e-5)[0])

    def bwd(g, a):
        _, m, r = nn.native_layer_norm(T(a[0]), ns, T(a[1]) if affine else None, T(a[2]) if affine else None, 1e-5)
        gi, gw, gb = nn.native_layer_norm_backward(T(g), T(a[0]), ns, m, r, T(a[1]) if affine else None,
                                                   T(a[2]) if affine else None, [True, True, True])
        return [N(gi), N(gw) if affine else None, N(gb) if affine else None]

    check_directional(fwd, bwd, [x, w if affine else np.zeros(0), b if affine else np.zeros(0)], RNG)


@pytest.mark.parametrize("shape,G", [((2, 6, 5), 3), ((3, 4, 2, 3), 2), ((2, 4), 4), ((2, 3, 4), 1)])
def test_group_norm(shape, G):
    x = RNG.standard_normal(shape) + 1
    Nb, C = shape[:2]
    HxW = int(np.prod(shape[2:]))
    w, b = RNG.standard_normal(C), RNG.standard_normal(C)
    y, mean, rstd = nn.native_group_norm(noncontig(x), T(w), T(b), Nb, C, HxW, G, 1e-5)
    xg = x.reshape(Nb, G, -1)
    m, v = xg.mean(-1), xg.var(-1)
    ref = ((xg - m[..., None]) / np.sqrt(v[..., None] + 1e-5)).reshape(shape)
    bshape = (1, C) + (1,) * (len(shape) - 2)
    ref = ref * w.reshape(bshape) + b.reshape(bshape)
    np.testing.assert_allclose(N(y), ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(N(mean), m, rtol=1e-12)
    np.testing.assert_allclose(N(rstd), 1 / np.sqrt(v + 1e-5), rtol=1e-12)

    def fwd(a):
        return N(nn.native_group_norm(T(a[0]), T(a[1]), T(a[2]), Nb, C, HxW, G, 1e-5)[0])

    def bwd(g, a):
        _, mm, rr = nn.native_group_norm(T(a[0]), T(a[1]), T(a[2]), Nb, C, HxW, G, 1e-5)
        return [N(t) for t in nn.native_group_norm_backward(T(g), T(a[0]), mm, rr, T(a[1]), Nb, C, HxW, G,
                                                             [True, True, True])]

    check_directional(fwd, bwd, [x, w, b], RNG)


@pytest.mark.parametrize("weighted", [True, False])
def test_rms_norm(weighted):
    x = RNG.standard_normal((3, 2, 5))
    w = RNG.standard_normal(5) if weighted else None
    y = nn.rms_norm(T(x), [5], T(w) if weighted else None, 1e-6)
    ref = x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-6) * (w if weighted else 1)
    np.testing.assert_allclose(N(y), ref, rtol=1e-12)
    # eps defaults to the dtype's machine epsilon.
    y32 = nn.rms_norm(T(x, ember.float32), [2, 5])
    ref32 = x / np.sqrt((x * x).mean((-2, -1), keepdims=True) + np.finfo(np.float32).eps)
    np.testing.assert_allclose(N(y32), ref32, rtol=1e-5)

    def fwd(a):
        return N(nn.rms_norm(T(a[0]), [5], T(a[1]) if weighted else None, 1e-6))

    def bwd(g, a):
        _, rstd = nn._fused_rms_norm(T(a[0]), [5], T(a[1]) if weighted else None, 1e-6)
        gi, gw = nn._fused_rms_norm_backward(T(g), T(a[0]), [5], rstd, T(a[1]) if weighted else None, [True, True])
        return [N(gi), N(gw) if weighted else None]

    check_directional(fwd, bwd, [x, w if weighted else np.zeros(0)], RNG)


def test_norm_errors():
    x = T(np.zeros((2, 3, 4)))
    with pytest.raises(RuntimeError, match="running_mean should contain 3 elements not 4"):
        nn.native_batch_norm(x, None, None, T(np.zeros(4)), T(np.ones(4)), True, 0.1, 1e-5)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.native_batch_norm(T(np.zeros((1, 3))), None, None, None, None, True, 0.1, 1e-5)
    with pytest.raises(RuntimeError, match="running_mean and running_var must be defined"):
        nn.native_batch_norm(x, None, None, None, None, False, 0.1, 1e-5)
    with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[5\], expected input with shape \[\*, 5\]"):
        nn.native_layer_norm(x, [5], None, None, 1e-5)
    with pytest.raises(RuntimeError, match="Expected weight to be of same shape as normalized_shape"):
        nn.native_layer_norm(x, [4], T(np.ones(3)), None, 1e-5)
    with pytest.raises(RuntimeError, match="Expected number of channels in input to be divisible by num_groups"):
        nn.native_group_norm(x, None, None, 2, 3, 4, 2, 1e-5)
    with pytest.raises(TypeError, match="floating point"):
        nn.native_layer_norm(T(np.zeros((2, 3), dtype=np.int64)), [3], None, None, 1e-5)


def test_empty_batches():
    rm, rv = T(np.array([1.0, 2.0, 3.0])), T(np.array([4.0, 5.0, 6.0]))
    y, sm, si = nn.native_batch_norm(T(np.zeros((0, 3, 2))), None, None, rm, rv, True, 0.1, 1e-5)
    assert y.shape == (0, 3, 2)
    np.testing.assert_array_equal(N(sm), 0)
    np.testing.assert_array_equal(N(si), 1)
    np.testing.assert_array_equal(N(rm), [1, 2, 3])  # untouched
    assert nn.native_layer_norm(T(np.zeros((0, 4))), [4], None, None, 1e-5)[0].shape == (0, 4)
    assert nn.native_group_norm(T(np.zeros((0, 4, 2))), None, None, 0, 4, 2, 2, 1e-5)[0].shape == (0, 4, 2)
