"""embedding_dense_backward and 2-D nearest/bilinear upsampling against
NumPy loops; backwards against directional finite differences."""
import numpy as np
import pytest

import ember
from test_nn_kernels_util import N, T, check_directional, nn, noncontig

RNG = np.random.default_rng(5)


@pytest.mark.parametrize("padding_idx,scale", [(-1, False), (2, False), (1, True)])
def test_embedding_dense_backward(padding_idx, scale):
    idx = np.array([[0, 2, 1], [2, 2, 4]])
    g = RNG.standard_normal((2, 3, 5))
    out = nn.embedding_dense_backward(T(g), T(idx), 6, padding_idx, scale)
    ref = np.zeros((6, 5))
    counts = np.bincount(idx.ravel(), minlength=6)
    for i, row in zip(idx.ravel(), g.reshape(-1, 5)):
        if i != padding_idx:
            ref[i] += row / (counts[i] if scale else 1)
    np.testing.assert_allclose(N(out), ref, rtol=1e-12)
    out32 = nn.embedding_dense_backward(T(g, ember.float32), T(idx).to(ember.int32), 6, padding_idx, scale)
    assert out32.dtype == ember.float32
    np.testing.assert_allclose(N(out32), ref, rtol=1e-5, atol=1e-6)


def test_embedding_backward_errors():
    with pytest.raises(IndexError, match="out of range"):
        nn.embedding_dense_backward(T(np.ones((2, 3))), T(np.array([0, 7])), 4)
    with pytest.raises(RuntimeError, match="indices"):
        nn.embedding_dense_backward(T(np.ones((2, 3))), T(np.array([0.0, 1.0])), 4)


def nearest_ref(x, oh, ow, sh=None, sw=None):
    H, W = x.shape[-2:]
    fh = np.float32(1 / sh) if sh else np.float32(H / oh)
    fw = np.float32(1 / sw) if sw else np.float32(W / ow)
    hi = np.minimum(np.floor(np.arange(oh, dtype=np.float32) * fh).astype(int), H - 1)
    wi = np.minimum(np.floor(np.arange(ow, dtype=np.float32) * fw).astype(int), W - 1)
    return x[..., hi[:, None], wi[None, :]]


def linear_weights(n_in, n_out, align, scale=None):
    """(n_out, n_in) interpolation matrix as PyTorch's bilinear computes it."""
    if align:
        s = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    else:
        s = 1 / scale if scale else n_in / n_out
    m = np.zeros((n_out, n_in))
    for o in range(n_out):
        src = s * o if align else max(s * (o + 0.5) - 0.5, 0.0)
        i0 = min(int(src), n_in - 1)
        i1 = i0 + (1 if i0 < n_in - 1 else 0)
        l1 = src - i0
        m[o, i0] += 1 - l1
        m[o, i1] += l1
    return m


@pytest.mark.parametrize("shape,os,scales", [((2, 3, 4, 5), (8, 10), None), ((1, 2, 5, 3), (7, 4), None),
                                             ((1, 1, 3, 4), (7, 9), (2.5, 2.3)), ((2, 1, 6, 6), (3, 2), None)])
def test_upsample_nearest2d(shape, os, scales):
    x = RNG.standard_normal(shape)
    sh, sw = scales or (None, None)
    y = nn.upsample_nearest2d(noncontig(x), list(os), sh, sw)
    np.testing.assert_array_equal(N(y), nearest_ref(x, *os, sh, sw))
    check_directional(lambda a: N(nn.upsample_nearest2d(T(a[0]), list(os), sh, sw)),
                      lambda g, a: [N(nn.upsample_nearest2d_backward(T(g), list(os), list(shape), sh, sw))], [x], RNG)


@pytest.mark.parametrize("align", [False, True])
@pytest.mark.parametrize("shape,os", [((2, 3, 4, 5), (8, 7)), ((1, 2, 6, 3), (3, 5)), ((1, 1, 1, 4), (3, 1))])
def test_upsample_bilinear2d(shape, os, align):
    x = RNG.standard_normal(shape)
    y = nn.upsample_bilinear2d(T(x), list(os), align)
    mh, mw = linear_weights(shape[2], os[0], align), linear_weights(shape[3], os[1], align)
    ref = np.einsum("ah,nchw,bw->ncab", mh, x, mw)
    np.testing.assert_allclose(N(y), ref, rtol=1e-12, atol=1e-14)
    y32 = nn.upsample_bilinear2d(T(x, ember.float32), list(os), align)
    np.testing.assert_allclose(N(y32), ref, rtol=1e-5, atol=1e-6)
    check_directional(lambda a: N(nn.upsample_bilinear2d(T(a[0]), list(os), align)),
                      lambda g, a: [N(nn.upsample_bilinear2d_backward(T(g), list(os), list(shape), align))], [x], RNG)


def test_upsample_bilinear2d_scale_factor():
    x = RNG.standard_normal((1, 1, 3, 4))
    y = nn.upsample_bilinear2d(T(x), [7, 9], False, 2.5, 2.3)
    ref = np.einsum("ah,nchw,bw->ncab", linear_weights(3, 7, False, 2.5), x, linear_weights(4, 9, False, 2.3))
    np.testing.assert_allclose(N(y), ref, rtol=1e-12)


def test_upsample_errors():
    with pytest.raises(RuntimeError, match="Expected 4D input"):
        nn.upsample_nearest2d(T(np.ones((2, 3, 4))), [4, 4])
    with pytest.raises(RuntimeError, match="should be greater than 0"):
        nn.upsample_bilinear2d(T(np.ones((1, 1, 2, 2))), [0, 4], False)
    with pytest.raises(RuntimeError, match="expected grad_output of size"):
        nn.upsample_nearest2d_backward(T(np.ones((1, 1, 3, 3))), [4, 4], [1, 1, 2, 2])
