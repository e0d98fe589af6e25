"""F.interpolate / nn.Upsample (nearest, nearest-exact, linear, bilinear,
trilinear, align_corners) and nn.EmbeddingBag against NumPy references
and hand-worked values."""
import math

import numpy as np
import pytest

import ember
from ember import nn
import ember.nn.functional as F
from ember.autograd import gradcheck


def _np_linear_1d(x, axis, n_out, align_corners, scale=None):
    """PyTorch's linear resampling of one axis, written out per output index."""
    n_in = x.shape[axis]
    out = []
    for i in range(n_out):
        if align_corners:
            src = i * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        else:
            step = n_in / n_out if scale is None else 1 / scale
            src = max((i + 0.5) * step - 0.5, 0.0)
        i0 = min(int(np.floor(src)), n_in - 1)
        i1 = min(i0 + 1, n_in - 1)
        lam = src - i0
        out.append((1 - lam) * np.take(x, i0, axis) + lam * np.take(x, i1, axis))
    return np.stack(out, axis)


def test_nearest_hand_worked():
    x = ember.tensor([[[1.0, 2.0, 3.0]]])
    np.testing.assert_array_equal(F.interpolate(x, scale_factor=2).detach().numpy(), [[[1, 1, 2, 2, 3, 3]]])
    np.testing.assert_array_equal(F.interpolate(x, size=5).detach().numpy(), [[[1, 1, 2, 2, 3]]])
    np.testing.assert_array_equal(F.interpolate(x, size=2).detach().numpy(), [[[1, 2]]])
    # nearest-exact samples at (i + 0.5) * 3/5 = 0.3, 0.9, 1.5, 2.1, 2.7
    np.testing.assert_array_equal(F.interpolate(x, size=5, mode="nearest-exact").detach().numpy(),
                                  [[[1, 1, 2, 3, 3]]])
    x2 = ember.arange(6.0).reshape(1, 1, 2, 3)
    out = nn.Upsample(size=(4, 3))(x2).detach().numpy()
    np.testing.assert_array_equal(out[0, 0], [[0, 1, 2], [0, 1, 2], [3, 4, 5], [3, 4, 5]])


def test_nearest_scale_factor_uses_the_given_scale():
    # size 5 * 1.5 -> 7 outputs; PyTorch maps with 1/1.5, not 5/7.
    x = ember.arange(5.0).reshape(1, 1, 5)
    out = F.interpolate(x, scale_factor=1.5).detach().numpy()[0, 0]
    np.testing.assert_array_equal(out, [math.floor(i / 1.5) for i in range(7)])
    out = F.interpolate(x, scale_factor=1.5, recompute_scale_factor=True).detach().numpy()[0, 0]
    np.testing.assert_array_equal(out, [math.floor(i * 5 / 7) for i in range(7)])


def test_linear_hand_worked():
    x = ember.tensor([[[0.0, 10.0]]])
    np.testing.assert_allclose(F.interpolate(x, size=4, mode="linear", align_corners=True).detach().numpy(),
                               [[[0, 10 / 3, 20 / 3, 10]]], rtol=1e-6)
    # align_corners=False: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped index)
    np.testing.assert_allclose(F.interpolate(x, size=4, mode="linear").detach().numpy(), [[[0, 2.5, 7.5, 10]]],
                               rtol=1e-6)


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size,scale", [((5, 7), None), ((2, 3), None), (None, 2.0), (None, (1.5, 0.5))])
def test_bilinear_matches_numpy(align_corners, size, scale):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 6))
    out = F.interpolate(ember.tensor(x), size=size, scale_factor=scale, mode="bilinear",
                        align_corners=align_corners).detach().numpy()
    if size is None:
        s = scale if isinstance(scale, tuple) else (scale, scale)
        size, per = (int(4 * s[0]), int(6 * s[1])), s
    else:
        per = (None, None)
    ref = _np_linear_1d(x, 2, size[0], align_corners, None if align_corners else per[0])
    ref = _np_linear_1d(ref, 3, size[1], align_corners, None if align_corners else per[1])
    assert out.shape == ref.shape
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode,align_corners", [("nearest", None), ("bilinear", False), ("bilinear", True)])
@pytest.mark.parametrize("size,scale", [((5, 7), None), ((3, 2), None), (None, (1.5, 0.5)), (None, 3.0)])
def test_2d_kernels_agree_with_the_composition(mode, align_corners, size, scale):
    from ember.nn.functional import _interp_sizes, _interpolate_composite
    x = ember.randn(2, 3, 4, 6, dtype=ember.float64)
    out = F.interpolate(x, size=size, scale_factor=scale, mode=mode, align_corners=align_corners)
    sizes, scales = _interp_sizes(x, size, scale, None)
    ref = _interpolate_composite(x, sizes, scales, mode, bool(align_corners))
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-14)
    # float32 goes through the kernel too
    out32 = F.interpolate(x.float(), size=size, scale_factor=scale, mode=mode, align_corners=align_corners)
    np.testing.assert_allclose(out32.detach().numpy(), ref.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_trilinear_and_nearest_3d():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 2, 3, 2, 4))
    out = F.interpolate(ember.tensor(x), size=(4, 3, 2), mode="trilinear", align_corners=True).detach().numpy()
    ref = x
    for axis, n in zip((2, 3, 4), (4, 3, 2)):
        ref = _np_linear_1d(ref, axis, n, True)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    out = F.interpolate(ember.tensor(x), scale_factor=2).detach().numpy()
    np.testing.assert_array_equal(out, x.repeat(2, 2).repeat(2, 3).repeat(2, 4))


def test_upsample_modules_and_repr():
    assert repr(nn.Upsample(scale_factor=2, mode="bilinear")) == "Upsample(scale_factor=2.0, mode='bilinear')"
    assert repr(nn.Upsample(size=(3, 4))) == "Upsample(size=(3, 4), mode='nearest')"
    x = ember.randn(1, 2, 3, 3, dtype=ember.float64)
    np.testing.assert_allclose(nn.UpsamplingBilinear2d(scale_factor=2)(x).detach().numpy(),
                               F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True).detach().numpy())
    np.testing.assert_array_equal(nn.UpsamplingNearest2d(size=6)(x).detach().numpy(),
                                  F.interpolate(x, size=6).detach().numpy())
    assert nn.Upsample(scale_factor=2)(ember.randn(1, 1, 2, 2)).dtype == ember.float32


def test_interpolate_errors():
    x = ember.randn(1, 2, 3, 3)
    with pytest.raises(ValueError, match="only one of size or scale_factor should be defined"):
        F.interpolate(x, size=4, scale_factor=2)
    with pytest.raises(ValueError, match="either size or scale_factor should be defined"):
        F.interpolate(x)
    with pytest.raises(ValueError, match="align_corners option can only be set with the interpolating modes"):
        F.interpolate(x, scale_factor=2, align_corners=True)
    with pytest.raises(NotImplementedError, match="Got 4D input, but linear mode needs 3D input"):
        F.interpolate(x, scale_factor=2, mode="linear")
    with pytest.raises(NotImplementedError, match="Got 4D input, but trilinear mode needs 5D input"):
        F.interpolate(x, scale_factor=2, mode="trilinear")
    with pytest.raises(NotImplementedError, match=r"Only 3D, 4D and 5D input Tensors supported \(got 2D\)"):
        F.interpolate(ember.randn(2, 3), scale_factor=2)
    with pytest.raises(ValueError, match="Input and output must have the same number of spatial dimensions"):
        F.interpolate(x, size=(2, 3, 4))
    with pytest.raises(ValueError, match="Input and scale_factor must have the same number of spatial dimensions"):
        F.interpolate(x, scale_factor=(2, 3, 4))
    with pytest.raises(NotImplementedError, match="mode 'bicubic' is not supported"):
        F.interpolate(x, scale_factor=2, mode="bicubic")
    with pytest.raises(RuntimeError, match="output size must be positive"):
        F.interpolate(x, scale_factor=0.1)


def test_gradcheck_interpolate():
    x = ember.randn(1, 2, 3, 4, dtype=ember.float64, requires_grad=True)
    assert gradcheck(lambda x: F.interpolate(x, size=(5, 3), mode="bilinear"), (x,))
    assert gradcheck(lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True), (x,))
    assert gradcheck(lambda x: F.interpolate(x, scale_factor=2), (x,))


# ---- EmbeddingBag ----


def _np_bags(w, idx, offsets, mode, psw=None, padding_idx=None):
    ends = list(offsets[1:]) + [len(idx)]
    out = []
    for s, e in zip(offsets, ends):
        keep = [i for i in range(s, e) if idx[i] != padding_idx]
        if not keep:
            out.append(np.zeros(w.shape[1]))
            continue
        rows = w[[idx[i] for i in keep]]
        if psw is not None:
            rows = rows * np.asarray(psw)[keep, None]
        out.append({"sum": rows.sum(0), "mean": rows.mean(0), "max": rows.max(0)}[mode])
    return np.stack(out)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_offsets(mode):
    ember.manual_seed(0)
    bag = nn.EmbeddingBag(10, 3, mode=mode).double()
    w = bag.weight.detach().numpy()
    idx, offsets = [1, 2, 4, 5, 4, 3, 2, 9], [0, 4, 4, 6]  # the bag at 4:4 is empty
    out = bag(ember.tensor(idx), ember.tensor(offsets)).detach().numpy()
    np.testing.assert_allclose(out, _np_bags(w, idx, offsets, mode), rtol=1e-12)
    np.testing.assert_array_equal(out[1], np.zeros(3))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_2d_input_and_padding(mode):
    ember.manual_seed(0)
    bag = nn.EmbeddingBag(6, 4, mode=mode, padding_idx=0).double()
    w = bag.weight.detach().numpy()
    np.testing.assert_array_equal(w[0], np.zeros(4))
    idx = np.array([[1, 0, 3], [0, 0, 0], [5, 5, 2]])
    out = bag(ember.tensor(idx)).detach().numpy()
    ref = _np_bags(w, idx.ravel().tolist(), [0, 3, 6], mode, padding_idx=0)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    if mode == "mean":  # padding entries are not counted
        np.testing.assert_allclose(out[0], (w[1] + w[3]) / 2, rtol=1e-12)


def test_embedding_bag_per_sample_weights_and_last_offset():
    ember.manual_seed(0)
    bag = nn.EmbeddingBag(5, 2, mode="sum", include_last_offset=True).double()
    w = bag.weight.detach().numpy()
    idx, offsets, psw = [0, 2, 4, 1, 3], [0, 2, 5], [0.5, 2.0, -1.0, 1.0, 3.0]
    out = bag(ember.tensor(idx), ember.tensor(offsets), ember.tensor(psw, dtype=ember.float64)).detach().numpy()
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out[0], 0.5 * w[0] + 2 * w[2], rtol=1e-12)
    np.testing.assert_allclose(out[1], -w[4] + w[1] + 3 * w[3], rtol=1e-12)
    pre = nn.EmbeddingBag.from_pretrained(ember.tensor([[1.0, 2.0], [3.0, 5.0]]), mode="max")
    np.testing.assert_array_equal(pre(ember.tensor([[0, 1]])).detach().numpy(), [[3.0, 5.0]])
    assert not pre.weight.requires_grad
    assert repr(nn.EmbeddingBag(5, 2, mode="sum")) == "EmbeddingBag(5, 2, mode=sum)"


def test_embedding_bag_errors():
    bag = nn.EmbeddingBag(5, 2)
    with pytest.raises(ValueError, match="if input is 2D, then offsets has to be None"):
        bag(ember.tensor([[0, 1]]), ember.tensor([0]))
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor but got None"):
        bag(ember.tensor([0, 1]))
    with pytest.raises(ValueError, match="input has to be 1D or 2D Tensor, but got Tensor of dimension 3"):
        bag(ember.zeros(1, 1, 1, dtype=ember.int64))
    with pytest.raises(NotImplementedError, match="per_sample_weights is only supported for mode='sum'"):
        bag(ember.tensor([0, 1]), ember.tensor([0]), ember.tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match="must have the same shape as the input"):
        nn.EmbeddingBag(5, 2, mode="sum")(ember.tensor([0, 1]), ember.tensor([0]), ember.tensor([1.0]))
    with pytest.raises(RuntimeError, match="offsets\\[0\\] has to be 0"):
        bag(ember.tensor([0, 1]), ember.tensor([1]))
    with pytest.raises(IndexError, match="index 7 is out of range for an embedding with 5 rows"):
        bag(ember.tensor([0, 7]), ember.tensor([0]))
    with pytest.raises(NotImplementedError, match="scale_grad_by_freq=True is not supported"):
        nn.EmbeddingBag(5, 2, scale_grad_by_freq=True)(ember.tensor([0]), ember.tensor([0]))
    with pytest.raises(ValueError, match="mode has to be one of sum, mean or max"):
        nn.EmbeddingBag(5, 2, mode="min")(ember.tensor([0]), ember.tensor([0]))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_gradcheck_embedding_bag(mode):
    w = ember.randn(6, 3, dtype=ember.float64, requires_grad=True)
    idx, offsets = ember.tensor([1, 2, 2, 5, 0]), ember.tensor([0, 3, 3])
    psw = ember.randn(5, dtype=ember.float64, requires_grad=True) if mode == "sum" else None
    if psw is None:
        assert gradcheck(lambda w: F.embedding_bag(idx, w, offsets, mode=mode), (w,))
        assert gradcheck(lambda w: F.embedding_bag(idx, w, offsets, mode=mode, padding_idx=2), (w,))
    else:
        assert gradcheck(lambda w, p: F.embedding_bag(idx, w, offsets, mode=mode, per_sample_weights=p), (w, psw))
        assert gradcheck(lambda w, p: F.embedding_bag(idx, w, offsets, mode=mode, per_sample_weights=p,
                                                      padding_idx=2), (w, psw))
