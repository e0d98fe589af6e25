"""The basic layers: Linear, Bilinear, Identity, Flatten, Unflatten,
Embedding, Dropout, Softmax/LogSoftmax/Sigmoid/Tanh, PixelShuffle and the
loss modules, against NumPy and PyTorch's reprs."""
import math

import numpy as np
import pytest

import ember
import ember.nn as nn
import ember.nn.functional as F


def _np(t):
    return t.detach().numpy()


def test_linear_values_shapes_and_repr():
    lin = nn.Linear(3, 2)
    assert lin.weight.shape == (2, 3) and lin.bias.shape == (2,)
    x = ember.randn(4, 5, 3)
    np.testing.assert_allclose(_np(lin(x)), _np(x) @ _np(lin.weight).T + _np(lin.bias), rtol=1e-5, atol=1e-6)
    assert repr(lin) == "Linear(in_features=3, out_features=2, bias=True)"
    nob = nn.Linear(3, 2, bias=False, dtype=ember.float64)
    assert nob.bias is None and nob.weight.dtype == ember.float64
    assert repr(nob) == "Linear(in_features=3, out_features=2, bias=False)"
    with pytest.raises(RuntimeError, match=r"\[linear\].*\[4, 5\].*expects 3"):
        lin(ember.randn(4, 5))


def test_linear_default_init_distribution():
    # kaiming_uniform_(a=sqrt(5)) is U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the bias uses the same bound.
    ember.manual_seed(0)
    fan_in = 64
    lin = nn.Linear(fan_in, 512)
    bound = 1 / math.sqrt(fan_in)
    w = _np(lin.weight).ravel()
    n = w.size
    assert w.min() >= -bound and w.max() <= bound
    assert w.min() < -0.99 * bound and w.max() > 0.99 * bound
    sd = bound / math.sqrt(3)  # std of U(-b, b)
    assert abs(w.mean()) < 5 * sd / math.sqrt(n)
    assert abs(w.std() - sd) < 0.02 * sd
    b = _np(lin.bias)
    assert b.min() >= -bound and b.max() <= bound and b.std() > 0.4 * sd


def test_bilinear():
    ember.manual_seed(1)
    bil = nn.Bilinear(3, 4, 2)
    x1, x2 = ember.randn(5, 3), ember.randn(5, 4)
    expected = np.einsum("bi,oij,bj->bo", _np(x1), _np(bil.weight), _np(x2)) + _np(bil.bias)
    np.testing.assert_allclose(_np(bil(x1, x2)), expected, rtol=1e-5, atol=1e-6)
    bound = 1 / math.sqrt(3)
    assert np.abs(_np(bil.weight)).max() <= bound
    assert repr(bil) == "Bilinear(in1_features=3, in2_features=4, out_features=2, bias=True)"
    y = bil(ember.randn(2, 6, 3), ember.randn(2, 6, 4))  # extra batch dims
    assert y.shape == (2, 6, 2)
    with pytest.raises(RuntimeError, match=r"\[bilinear\] input batch dimensions must match"):
        bil(ember.randn(5, 3), ember.randn(4, 4))


def test_identity_flatten_unflatten():
    x = ember.randn(2, 3, 4)
    assert nn.Identity(54, unused="x")(x) is x
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"
    un = nn.Unflatten(1, (3, 4))
    y = un(nn.Flatten()(x))
    np.testing.assert_array_equal(_np(y), _np(x))
    assert repr(un) == "Unflatten(dim=1, unflattened_size=(3, 4))"
    assert nn.Unflatten(-1, [2, -1])(x).shape == (2, 3, 2, 2)
    with pytest.raises(TypeError, match="unflattened_size must be tuple of ints, but found element of type float "
                                        "at pos 1"):
        nn.Unflatten(1, (3, 4.0))
    with pytest.raises(TypeError, match="unflattened_size must be a tuple of ints, but found type int"):
        nn.Unflatten(1, 3)


def test_embedding_lookup_padding_and_repr():
    ember.manual_seed(2)
    emb = nn.Embedding(10, 3, padding_idx=0)
    assert emb.weight.shape == (10, 3)
    assert _np(emb.weight)[0].tolist() == [0.0, 0.0, 0.0]
    idx = ember.tensor([[1, 0], [9, 1]])
    out = emb(idx)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(_np(out), _np(emb.weight)[_np(idx)])
    assert repr(emb) == "Embedding(10, 3, padding_idx=0)"
    assert nn.Embedding(5, 2, padding_idx=-1).padding_idx == 4
    assert repr(nn.Embedding(5, 2, max_norm=1.0, norm_type=1.0)) == "Embedding(5, 2, max_norm=1.0, norm_type=1.0)"
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(5, 2, padding_idx=5)
    with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices' to have one of the following "
                                           "scalar types: Long, Int; but got ember.FloatTensor"):
        emb(ember.tensor([1.0]))
    with pytest.raises(IndexError, match=r"\[embedding\] index 10 is out of range for an embedding with 10 rows"):
        emb(ember.tensor([10]))


def test_embedding_weight_distribution_is_standard_normal():
    ember.manual_seed(3)
    w = _np(nn.Embedding(1000, 50).weight).ravel()
    n = w.size
    assert abs(w.mean()) < 5 / math.sqrt(n)
    assert abs(w.std() - 1) < 0.02


def test_embedding_from_pretrained_and_max_norm():
    pre = ember.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    emb = nn.Embedding.from_pretrained(pre)
    assert not emb.weight.requires_grad
    assert nn.Embedding.from_pretrained(pre, freeze=False).weight.requires_grad
    assert emb(ember.tensor([2])).tolist() == [[6.0, 8.0]]
    with pytest.raises(AssertionError, match="Embeddings parameter is expected to be 2-dimensional"):
        nn.Embedding.from_pretrained(ember.ones(3))
    renorm = nn.Embedding.from_pretrained(pre.clone(), max_norm=1.0)
    out = _np(renorm(ember.tensor([0, 1])))
    # row 0 has norm 5 and is scaled to norm 1 (PyTorch's 1e-7 guard); row 1 (norm 0.5) is untouched;
    # row 2 was not looked up and keeps norm 10.
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    np.testing.assert_allclose(_np(renorm.weight)[2], [6.0, 8.0])
    np.testing.assert_allclose(_np(renorm.weight)[0], [3.0 / (5 + 1e-7), 4.0 / (5 + 1e-7)], rtol=1e-6)


def test_dropout_train_eval_statistics():
    ember.manual_seed(4)
    drop = nn.Dropout(p=0.25)
    x = ember.ones(100_000)
    y = _np(drop(x))
    n = y.size
    zeros = np.mean(y == 0)
    assert abs(zeros - 0.25) < 5 * math.sqrt(0.25 * 0.75 / n)
    np.testing.assert_allclose(y[y != 0], 1 / 0.75, rtol=1e-6)  # survivors are scaled by 1/(1-p)
    drop.eval()
    assert drop(x) is x
    assert repr(drop) == "Dropout(p=0.25, inplace=False)"
    assert float(nn.Dropout(p=1.0)(x).abs().sum()) == 0.0
    z = ember.ones(10)
    out = nn.Dropout(p=0.5, inplace=True)(z)
    assert out.data_ptr() == z.data_ptr()
    assert set(_np(z).tolist()) <= {0.0, 2.0}
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)


def test_softmax_family_modules():
    x = ember.randn(3, 4)
    e = np.exp(_np(x) - _np(x).max(1, keepdims=True))
    sm = e / e.sum(1, keepdims=True)
    np.testing.assert_allclose(_np(nn.Softmax(dim=1)(x)), sm, rtol=1e-5)
    np.testing.assert_allclose(_np(nn.LogSoftmax(dim=1)(x)), np.log(sm), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(nn.Sigmoid()(x)), 1 / (1 + np.exp(-_np(x))), rtol=1e-5)
    np.testing.assert_allclose(_np(nn.Tanh()(x)), np.tanh(_np(x)), rtol=1e-5, atol=1e-7)
    assert repr(nn.Softmax(dim=-1)) == "Softmax(dim=-1)"
    assert repr(nn.LogSoftmax()) == "LogSoftmax(dim=None)"
    assert repr(nn.Sigmoid()) == "Sigmoid()"
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been deprecated"):
        np.testing.assert_allclose(_np(nn.Softmax()(x)), sm, rtol=1e-5)  # implicit dim 1 for 2-D


def test_pixel_shuffle_and_unshuffle():
    x = ember.arange(2 * 8 * 2 * 3, dtype=ember.float32).reshape(2, 8, 2, 3)
    r = 2
    ref = _np(x).reshape(2, 2, r, r, 2, 3).transpose(0, 1, 4, 2, 5, 3).reshape(2, 2, 4, 6)
    ps = nn.PixelShuffle(r)
    y = ps(x)
    np.testing.assert_array_equal(_np(y), ref)
    np.testing.assert_array_equal(_np(nn.PixelUnshuffle(r)(y)), _np(x))
    assert nn.PixelShuffle(2)(ember.zeros(4, 1, 1)).shape == (1, 2, 2)  # no batch dim
    assert nn.PixelShuffle(2)(ember.zeros(2, 3, 8, 1, 1)).shape == (2, 3, 2, 2, 2)
    assert repr(ps) == "PixelShuffle(upscale_factor=2)"
    assert repr(nn.PixelUnshuffle(3)) == "PixelUnshuffle(downscale_factor=3)"
    with pytest.raises(RuntimeError, match=r"input.size\(-3\)=7 is not divisible by 4"):
        ps(ember.zeros(1, 7, 2, 2))
    with pytest.raises(RuntimeError, match="at least 3 dimensions, but got input with 2 dimension"):
        ps(ember.zeros(4, 4))
    with pytest.raises(RuntimeError, match=r"input.size\(-2\)=5 is not divisible by 2"):
        nn.PixelUnshuffle(2)(ember.zeros(1, 1, 5, 4))


def test_loss_modules_match_functional():
    x, t = ember.randn(4, 3), ember.randn(4, 3)
    d = _np(x) - _np(t)
    np.testing.assert_allclose(nn.MSELoss()(x, t).item(), np.mean(d**2), rtol=1e-5)
    np.testing.assert_allclose(nn.L1Loss(reduction="sum")(x, t).item(), np.abs(d).sum(), rtol=1e-5)
    assert nn.SmoothL1Loss(reduction="none")(x, t).shape == (4, 3)
    assert nn.HuberLoss(delta=0.5).delta == 0.5
    assert repr(nn.MSELoss()) == "MSELoss()"
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        assert nn.MSELoss(size_average=False).reduction == "sum"
    p = ember.sigmoid(x)
    target = (ember.rand(4, 3) > 0.5).float()
    np.testing.assert_allclose(nn.BCELoss()(p, target).item(), nn.BCEWithLogitsLoss()(x, target).item(),
                               rtol=1e-5)
    w = ember.tensor([1.0, 2.0, 3.0])
    bce = nn.BCELoss(weight=w)
    assert list(bce.state_dict()) == ["weight"]
    np.testing.assert_allclose(bce(p, target).item(),
                               (nn.BCELoss(reduction="none")(p, target) * w).mean().item(), rtol=1e-6)
    with pytest.raises(ValueError, match="TripletMarginLoss: expected margin to be greater than 0, got 0"):
        nn.TripletMarginLoss(margin=0)
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        nn.L1Loss(reduction="avg")(x, t)


def test_embedding_padding_row_gets_no_gradient():
    # PyTorch: the gradient of the padding_idx row is zero, the others sum
    # the output gradients of their occurrences.
    emb = nn.Embedding(4, 2, padding_idx=1)
    idx = ember.tensor([[1, 2], [2, 1], [3, 0]])
    g = ember.arange(12.0).reshape(3, 2, 2)
    (emb(idx) * g).sum().backward()
    expected = np.zeros((4, 2))
    for (i, j), k in np.ndenumerate(idx.numpy()):
        if k != 1:
            expected[k] += g.numpy()[i, j]
    np.testing.assert_array_equal(_np(emb.weight.grad), expected)
    w = ember.randn(4, 2, requires_grad=True)
    F.embedding(ember.tensor([3, 3, 0]), w, padding_idx=-1).sum().backward()
    np.testing.assert_array_equal(_np(w.grad), [[1, 1], [0, 0], [0, 0], [0, 0]])
