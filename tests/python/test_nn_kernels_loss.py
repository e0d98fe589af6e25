"""Fused cross entropy (class indices and probabilities, weights,
ignore_index, label smoothing, every reduction) and nll_loss against NumPy;
backwards against directional finite differences in float64."""
import numpy as np
import pytest

import ember
from test_nn_kernels_util import N, T, check_directional, log_softmax_ref, nn, noncontig

RNG = np.random.default_rng(3)
RED = {"none": 0, "mean": 1, "sum": 2}


def ce_ref(x, target, weight, reduction, ignore_index, ls):
    """PyTorch's cross_entropy written out with log_softmax over dim 1."""
    if x.ndim == 1:
        x = x[None]
        target = target[None] if target.ndim == 1 else np.asarray(target)[None]
    C = x.shape[1]
    logp = log_softmax_ref(x, 1)
    w = np.ones(C) if weight is None else weight
    wshape = (1, C) + (1,) * (x.ndim - 2)
    if target.dtype.kind == "f":
        t = target * (1 - ls) + ls / C
        per = -(logp * t * w.reshape(wshape)).sum(1)
        if reduction == "none":
            return per
        return per.sum() if reduction == "sum" else per.sum() / (x.size / C)
    valid = target != ignore_index
    tc = np.where(valid, target, 0)
    picked = np.take_along_axis(logp, tc[:, None], 1)[:, 0]
    wt = w[tc] * valid
    nll = -picked * wt
    smooth = -(logp * w.reshape(wshape)).sum(1) * valid
    per = (1 - ls) * nll + ls / C * smooth
    if reduction == "none":
        return per
    if reduction == "sum":
        return per.sum()
    return per.sum() / wt.sum()


CASES = [
    ((5, 4), "mean", None, -100, 0.0),
    ((5, 4), "sum", "w", -100, 0.0),
    ((5, 4), "none", "w", 2, 0.1),
    ((6, 3), "mean", "w", 1, 0.2),
    ((2, 4, 3, 2), "mean", None, -100, 0.3),
    ((2, 4, 3), "none", "w", 0, 0.0),
    ((4,), "sum", None, -100, 0.1),
]


@pytest.mark.parametrize("shape,reduction,weighted,ignore_index,ls", CASES)
def test_cross_entropy_class_targets(shape, reduction, weighted, ignore_index, ls):
    x = RNG.standard_normal(shape) * 2
    C = shape[0] if len(shape) == 1 else shape[1]
    tshape = () if len(shape) == 1 else (shape[0],) + shape[2:]
    target = RNG.integers(0, C, size=tshape)
    if target.ndim and ignore_index >= 0:
        target.flat[0] = ignore_index
    w = RNG.random(C) + 0.5 if weighted else None
    ref = ce_ref(x, np.asarray(target), w, reduction, ignore_index, ls)
    if len(shape) == 1:
        ref = ref[0] if reduction == "none" else ref
    for dtype, tol in ((ember.float64, 1e-12), (ember.float32, 1e-5)):
        out = nn.cross_entropy_loss(noncontig(x, dtype), T(target), T(w, dtype) if weighted else None,
                                    RED[reduction], ignore_index, ls)
        assert out.dtype == dtype
        np.testing.assert_allclose(N(out), ref, rtol=tol, atol=tol)

    def fwd(a):
        return N(nn.cross_entropy_loss(T(a[0]), T(target), T(w) if weighted else None, RED[reduction], ignore_index,
                                       ls))

    def bwd(g, a):
        return [N(nn.cross_entropy_loss_backward(T(g), T(a[0]), T(target), T(w) if weighted else None,
                                                 RED[reduction], ignore_index, ls))]

    check_directional(fwd, bwd, [x], RNG)


@pytest.mark.parametrize("shape,reduction,weighted,ls", [((5, 4), "mean", False, 0.0), ((3, 4, 2), "sum", True, 0.2),
                                                         ((4, 3), "none", True, 0.0), ((3,), "mean", False, 0.1)])
def test_cross_entropy_probability_targets(shape, reduction, weighted, ls):
    x = RNG.standard_normal(shape)
    axis = 0 if len(shape) == 1 else 1
    p = np.exp(RNG.standard_normal(shape))
    p /= p.sum(axis=axis, keepdims=True)
    C = shape[axis]
    w = RNG.random(C) + 0.5 if weighted else None
    ref = ce_ref(x, p, w, reduction, -100, ls)
    if len(shape) == 1 and reduction == "none":
        ref = ref[0]
    out = nn.cross_entropy_loss(T(x), T(p), T(w) if weighted else None, reduction, -100, ls)
    np.testing.assert_allclose(N(out), ref, rtol=1e-12, atol=1e-12)

    def fwd(a):
        return N(nn.cross_entropy_loss(T(a[0]), T(p), T(w) if weighted else None, reduction, -100, ls))

    def bwd(g, a):
        return [N(nn.cross_entropy_loss_backward(T(g), T(a[0]), T(p), T(w) if weighted else None, reduction, -100,
                                                 ls))]

    check_directional(fwd, bwd, [x], RNG)


def test_cross_entropy_is_stable_for_large_logits_and_all_ignored_is_nan():
    x = np.array([[1000.0, 0.0, -1000.0]])
    out = nn.cross_entropy_loss(T(x), T(np.array([1])), None, 1, -100, 0.0)
    np.testing.assert_allclose(N(out), 1000.0)
    out = nn.cross_entropy_loss(T(x), T(np.array([-100])), None, 1, -100, 0.0)
    assert np.isnan(N(out))


@pytest.mark.parametrize("shape,reduction,weighted,ignore_index", [((5, 4), "mean", True, 2), ((5, 4), "none", False, -100),
                                                                   ((2, 3, 4), "sum", True, 0), ((3,), "mean", False, -100)])
def test_nll_loss(shape, reduction, weighted, ignore_index):
    x = log_softmax_ref(RNG.standard_normal(shape), 0 if len(shape) == 1 else 1)
    C = shape[0] if len(shape) == 1 else shape[1]
    tshape = () if len(shape) == 1 else (shape[0],) + shape[2:]
    target = np.asarray(RNG.integers(0, C, size=tshape))
    w = RNG.random(C) + 0.5 if weighted else None
    ref = ce_ref(x, target, w, reduction, ignore_index, 0.0)  # log_softmax of log-probs is a no-op
    if len(shape) == 1 and reduction == "none":
        ref = ref[0]
    out, total = nn.nll_loss_forward(T(x), T(target), T(w) if weighted else None, RED[reduction], ignore_index)
    np.testing.assert_allclose(N(out), ref, rtol=1e-10, atol=1e-12)

    def fwd(a):
        return N(nn.nll_loss(T(a[0]), T(target), T(w) if weighted else None, RED[reduction], ignore_index))

    def bwd(g, a):
        return [N(nn.nll_loss_backward(T(g), T(a[0]), T(target), T(w) if weighted else None, RED[reduction],
                                       ignore_index, total))]

    check_directional(fwd, bwd, [x], RNG)


def test_loss_errors():
    x = T(RNG.standard_normal((3, 5)))
    with pytest.raises(IndexError, match=r"^Target 10 is out of bounds\.$"):
        nn.cross_entropy_loss(x, T(np.array([0, 10, 1])))
    with pytest.raises(IndexError, match="Target -3 is out of bounds."):
        nn.nll_loss(x, T(np.array([0, -3, 1])))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)"):
        nn.cross_entropy_loss(x, T(np.array([0, 1])))
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 5 classes"):
        nn.cross_entropy_loss(x, T(np.array([0, 1, 2])), T(np.ones(3)))
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0"):
        nn.cross_entropy_loss(x, T(np.array([0, 1, 2])), None, 1, -100, 1.5)
    with pytest.raises(RuntimeError, match="Expected floating point type for target with class probabilities"):
        nn.cross_entropy_loss(x, T(np.zeros((3, 5), dtype=np.int64)))
    with pytest.raises(RuntimeError, match="int64"):
        nn.nll_loss(x, T(np.array([0.0, 1.0, 2.0])))
    with pytest.raises(RuntimeError, match=r"Expected target size \[2, 4\], got \[2, 3\]"):
        nn.cross_entropy_loss(T(np.zeros((2, 5, 4))), T(np.zeros((2, 3), dtype=np.int64)))
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        nn.cross_entropy_loss(x, T(np.array([0, 1, 2])), None, "avg")
