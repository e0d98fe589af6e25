"""ember.nn.functional, the parts built from existing ops: losses against
NumPy references for every reduction, pad against numpy.pad, one_hot,
normalize, linear/bilinear, dropout, embedding, distances."""
import math

import numpy as np
import pytest

import ember
import ember.nn.functional as F

rng = np.random.default_rng(0)


def T(a):
    return ember.tensor(np.asarray(a, dtype=np.float64))


def _red(loss, reduction):
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def _check(out, ref):
    np.testing.assert_allclose(np.asarray(out.numpy()), ref, rtol=1e-10, atol=1e-12)


REDUCTIONS = ["none", "mean", "sum"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_l1(reduction):
    x, y = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    _check(F.mse_loss(T(x), T(y), reduction=reduction), _red((x - y) ** 2, reduction))
    _check(F.l1_loss(T(x), T(y), reduction=reduction), _red(np.abs(x - y), reduction))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("beta", [0.0, 0.5, 1.0])
def test_smooth_l1(reduction, beta):
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    z = np.abs(x - y)
    ref = z if beta == 0 else np.where(z < beta, 0.5 * z**2 / beta, z - 0.5 * beta)
    _check(F.smooth_l1_loss(T(x), T(y), reduction=reduction, beta=beta), _red(ref, reduction))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("delta", [0.3, 1.0, 2.0])
def test_huber(reduction, delta):
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    z = np.abs(x - y)
    ref = np.where(z < delta, 0.5 * z**2, delta * (z - 0.5 * delta))
    _check(F.huber_loss(T(x), T(y), reduction=reduction, delta=delta), _red(ref, reduction))


def test_smooth_l1_huber_hand_values():
    # z = 0.5 and 3: smooth_l1 (beta 1) gives 0.125 and 2.5; huber (delta 2) gives 0.125 and 4.
    x, y = ember.tensor([0.5, 3.0]), ember.tensor([0.0, 0.0])
    assert F.smooth_l1_loss(x, y, reduction="none").tolist() == [0.125, 2.5]
    assert F.huber_loss(x, y, reduction="none", delta=2.0).tolist() == [0.125, 4.0]


@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    logits = rng.normal(size=(4, 5))
    inp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    p = rng.dirichlet(np.ones(5), size=4)
    if not log_target:
        p[0, 0] = 0.0  # 0 * log 0 counts as 0 (with log targets, -inf gives NaN in PyTorch too)
    target = np.log(p) if log_target else p
    with np.errstate(divide="ignore", invalid="ignore"):
        pointwise = np.where(p > 0, p * (np.log(p) - inp), 0.0)
    ref = pointwise.sum() / 4 if reduction == "batchmean" else _red(pointwise, reduction)
    if reduction == "mean":
        with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
            out = F.kl_div(T(inp), T(target), reduction=reduction, log_target=log_target)
    else:
        out = F.kl_div(T(inp), T(target), reduction=reduction, log_target=log_target)
    _check(out, ref)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy(reduction):
    x = rng.uniform(0.01, 0.99, size=(4, 3))
    t = rng.uniform(size=(4, 3))
    w = rng.uniform(size=(3,))
    ref = -(t * np.log(x) + (1 - t) * np.log(1 - x)) * w
    _check(F.binary_cross_entropy(T(x), T(t), weight=T(w), reduction=reduction), _red(ref, reduction))


def test_binary_cross_entropy_clamps_log_and_validates():
    out = F.binary_cross_entropy(ember.tensor([0.0, 1.0]), ember.tensor([1.0, 1.0]), reduction="none")
    assert out.tolist() == [100.0, 0.0]  # log(0) clamped to -100, as in PyTorch
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(ember.tensor([1.5]), ember.tensor([1.0]))
    with pytest.raises(ValueError, match=r"Using a target size \(ember.Size\(\[2\]\)\) that is different to the "
                                         r"input size \(ember.Size\(\[1\]\)\) is deprecated"):
        F.binary_cross_entropy(ember.tensor([0.5]), ember.tensor([1.0, 0.0]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_logits(reduction):
    x = rng.normal(scale=30, size=(4, 3))  # large logits: must stay finite
    t = rng.uniform(size=(4, 3))
    pw = rng.uniform(0.5, 2, size=(3,))
    log_sig = -np.logaddexp(0, -x)  # log(sigmoid(x))
    log_one_minus = -np.logaddexp(0, x)
    ref = -(pw * t * log_sig + (1 - t) * log_one_minus)
    _check(F.binary_cross_entropy_with_logits(T(x), T(t), pos_weight=T(pw), reduction=reduction),
           _red(ref, reduction))
    with pytest.raises(ValueError, match="must be the same as input size"):
        F.binary_cross_entropy_with_logits(T(x), T(t[0]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cosine_embedding(reduction):
    a, b = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    y = np.array([1, -1, 1, -1, -1, 1], dtype=np.float64)
    margin = 0.1
    eps = 1e-12
    cos = (a * b).sum(1) / np.sqrt(((a * a).sum(1) + eps) * ((b * b).sum(1) + eps))
    ref = np.where(y == 1, 1 - cos, np.maximum(0, cos - margin))
    _check(F.cosine_embedding_loss(T(a), T(b), T(y), margin=margin, reduction=reduction), _red(ref, reduction))
    one = F.cosine_embedding_loss(T(a[0]), T(b[0]), T(1.0))  # 1-D inputs with a 0-D target
    np.testing.assert_allclose(one.item(), 1 - cos[0], rtol=1e-10)
    with pytest.raises(RuntimeError, match="1D target tensor expects 2D input tensors"):
        F.cosine_embedding_loss(T(a[0]), T(b[0]), T(y))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_ranking(reduction):
    a, b = rng.normal(size=7), rng.normal(size=7)
    y = np.sign(rng.normal(size=7))
    ref = np.maximum(0, -y * (a - b) + 0.3)
    _check(F.margin_ranking_loss(T(a), T(b), T(y), margin=0.3, reduction=reduction), _red(ref, reduction))
    with pytest.raises(RuntimeError, match="All input tensors should have same dimension"):
        F.margin_ranking_loss(T(a), T(b), T(y[None]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin(reduction, swap):
    a, p, n = (rng.normal(size=(5, 3)) for _ in range(3))
    eps, margin = 1e-6, 1.0
    d = lambda u, v: np.sqrt(((u - v + eps) ** 2).sum(1))  # noqa: E731
    d_neg = np.minimum(d(a, n), d(p, n)) if swap else d(a, n)
    ref = np.maximum(0, margin + d(a, p) - d_neg)
    _check(F.triplet_margin_loss(T(a), T(p), T(n), swap=swap, reduction=reduction), _red(ref, reduction))
    l1 = F.triplet_margin_loss(T(a), T(p), T(n), p=1, reduction="none")
    d1 = lambda u, v: np.abs(u - v + eps).sum(1)  # noqa: E731
    _check(l1, np.maximum(0, margin + d1(a, p) - d1(a, n)))


def test_loss_validation():
    x = ember.zeros(3)
    with pytest.raises(ValueError, match="elementwise is not a valid value for reduction"):
        F.mse_loss(x, x, reduction="elementwise")
    with pytest.raises(RuntimeError, match="smooth_l1_loss does not support negative values for beta."):
        F.smooth_l1_loss(x, x, beta=-1)
    with pytest.raises(RuntimeError, match="huber_loss does not support non-positive values for delta."):
        F.huber_loss(x, x, delta=0)
    with pytest.raises(ValueError, match="sometimes is not a valid value for reduction"):
        F.kl_div(x, x, reduction="sometimes")
    with pytest.raises(RuntimeError, match="The anchor, positive, and negative tensors are expected to have the same "
                                           "number of dimensions, but got: anchor 1D, positive 1D, and negative 2D"):
        F.triplet_margin_loss(x, x, ember.zeros(1, 3))
    with pytest.warns(UserWarning, match=r"Using a target size \(ember.Size\(\[3, 1\]\)\) that is different"):
        out = F.mse_loss(ember.tensor([1.0, 2.0, 3.0]), ember.tensor([[1.0], [2.0], [3.0]]), reduction="sum")
    assert out.item() == 12.0  # broadcast to 3x3: (0+1+4)+(1+0+1)+(4+1+0)
    with pytest.raises(RuntimeError, match=r"\[l1_loss\] The size of input \[3\] and target \[2\] cannot be "
                                           "broadcast"), pytest.warns(UserWarning, match="target size"):
        F.l1_loss(x, ember.zeros(2))
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        assert F.l1_loss(ember.ones(2), ember.zeros(2), reduce=False).tolist() == [1.0, 1.0]


def test_loss_keeps_float32():
    x, y = ember.randn(3), ember.randn(3)
    for fn in (F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss):
        assert fn(x, y).dtype == ember.float32


# ---- layers ------------------------------------------------------------------------


def test_linear_and_bilinear_functional():
    x, w, b = rng.normal(size=(2, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    _check(F.linear(T(x), T(w), T(b)), x @ w.T + b)
    _check(F.linear(T(x), T(w)), x @ w.T)
    _check(F.linear(T(x), T(w[0])), x @ w[0])  # 1-D weight
    x2, wb = rng.normal(size=(2, 5)), rng.normal(size=(4, 3, 5))
    _check(F.bilinear(T(x), T(x2), T(wb), T(b)), np.einsum("bi,oij,bj->bo", x, wb, x2) + b)


@pytest.mark.parametrize("x_shape,b_shape", [((4, 3), (5,)), ((2, 4, 3), (5,)), ((3,), (5,)), ((4, 3), (1,)),
                                              ((4, 3), ()), ((4, 3), None), ((0, 3), (5,)), ((4, 0), (5,))])
def test_linear_gradients_and_weight_grad_layout(x_shape, b_shape):
    # The one-node linear (src/ops/nn_linear.cpp): values and all three
    # gradients against NumPy, and the weight's gradient contiguous in the
    # weight's own layout (Note [Linear weight gradient]).
    x = rng.normal(size=x_shape)
    w = rng.normal(size=(5, x_shape[-1]))
    b = None if b_shape is None else rng.normal(size=b_shape)
    tx, tw = T(x).requires_grad_(), T(w).requires_grad_()
    tb = None if b is None else T(b).requires_grad_()
    y = F.linear(tx, tw, tb)
    ref = x @ w.T + (0 if b is None else b)
    _check(y.detach(), ref)
    g = rng.normal(size=ref.shape)
    y.backward(T(g))
    g2, x2 = g.reshape(-1, 5), x.reshape(int(np.prod(x_shape[:-1])), x_shape[-1])
    _check(tx.grad, g @ w)
    _check(tw.grad, g2.T @ x2)
    assert tw.grad.is_contiguous()
    if b is not None:
        _check(tb.grad, g2.sum(0).reshape(b.shape) if b.size == 5 else np.full(b.shape, g2.sum()))


def test_linear_double_backward_and_fallbacks():
    x = T(rng.normal(size=(3, 4))).requires_grad_()
    w = T(rng.normal(size=(2, 4))).requires_grad_()
    b = T(rng.normal(size=2)).requires_grad_()
    fn = lambda x, w, b: F.linear(x, w, b).tanh()  # noqa: E731
    assert ember.autograd.gradcheck(fn, (x, w, b))
    assert ember.autograd.gradgradcheck(fn, (x, w, b))
    w.grad = None
    # Only the weight asks for a gradient: the input's is not computed.
    y = F.linear(x.detach(), w, None)
    y.sum().backward()
    _check(w.grad, np.ones((3, 2)).T @ x.detach().numpy())
    # A bias of another dtype or of 2 dims takes the matmul + add path (broadcasting, promotion).
    b2 = ember.tensor(rng.normal(size=(3, 2)))
    _check(F.linear(x.detach(), w.detach(), b2), x.detach().numpy() @ w.detach().numpy().T + b2.numpy())
    y32 = F.linear(x.detach().float(), w.detach().float(), b.detach())
    assert y32.dtype == ember.float64
    with pytest.raises(RuntimeError, match=r"\[linear\]"):
        ember._C._nn.linear(x, w.float())


def test_softmax_functional():
    x = rng.normal(size=(2, 3, 4))
    e = np.exp(x - x.max(2, keepdims=True))
    _check(F.softmax(T(x), dim=-1), e / e.sum(2, keepdims=True))
    _check(F.log_softmax(T(x), dim=2), np.log(e / e.sum(2, keepdims=True)))
    assert F.softmax(T(x), dim=1, dtype=ember.float32).dtype == ember.float32
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        out = F.log_softmax(T(x))  # 3-D: implicit dim 0
    e0 = np.exp(x - x.max(0, keepdims=True))
    _check(out, np.log(e0 / e0.sum(0, keepdims=True)))


def test_dropout_functional():
    x = ember.ones(1000)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    ember.manual_seed(5)
    y = F.dropout(x, 0.5).numpy()
    assert set(np.unique(y).tolist()) == {0.0, 2.0}
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got -0.1"):
        F.dropout(x, -0.1)


def test_one_hot():
    out = F.one_hot(ember.tensor([[0, 2], [1, 0]]))
    assert out.dtype == ember.int64
    assert out.tolist() == [[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, 0]]]
    assert F.one_hot(ember.tensor([1]), num_classes=4).tolist() == [[0, 1, 0, 0]]
    assert F.one_hot(ember.tensor([], dtype=ember.int64), num_classes=3).shape == (0, 3)
    with pytest.raises(RuntimeError, match="one_hot is only applicable to index tensor of type LongTensor."):
        F.one_hot(ember.tensor([1.0]))
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes."):
        F.one_hot(ember.tensor([3]), num_classes=3)
    with pytest.raises(RuntimeError, match="Class values must be non-negative."):
        F.one_hot(ember.tensor([-1]), num_classes=3)
    with pytest.raises(RuntimeError, match="Can not infer total number of classes from empty tensor."):
        F.one_hot(ember.tensor([], dtype=ember.int64))


def test_normalize():
    x = rng.normal(size=(3, 4))
    _check(F.normalize(T(x)), x / np.linalg.norm(x, axis=1, keepdims=True))
    _check(F.normalize(T(x), p=1, dim=0), x / np.abs(x).sum(0, keepdims=True))
    z = F.normalize(ember.zeros(2, 3))  # eps keeps zero rows at zero instead of NaN
    assert z.tolist() == [[0.0] * 3] * 2


def test_distances():
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    _check(F.pairwise_distance(T(a), T(b)), np.sqrt(((a - b + 1e-6) ** 2).sum(1)))
    cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    _check(F.cosine_similarity(T(a), T(b)), cos)


@pytest.mark.parametrize("pad", [(1, 2), (0, 0, 2, 1), (1, 1, 1, 1, 1, 1), (3, 0)])
def test_pad_constant(pad):
    x = rng.normal(size=(2, 3, 4))
    widths = [(0, 0)] * (3 - len(pad) // 2) + [(pad[2 * i], pad[2 * i + 1]) for i in reversed(range(len(pad) // 2))]
    _check(F.pad(T(x), pad), np.pad(x, widths))
    _check(F.pad(T(x), pad, value=2.5), np.pad(x, widths, constant_values=2.5))


def test_pad_negative_crops_and_errors():
    x = rng.normal(size=(3, 5))
    _check(F.pad(T(x), (-1, 2, 1, -2)), np.pad(x[:-2, 1:], [(1, 0), (0, 2)]))
    assert F.pad(ember.ones(2, 2, dtype=ember.int64), (1, 1), value=7).tolist() == [[7, 1, 1, 7], [7, 1, 1, 7]]
    with pytest.raises(RuntimeError, match="Padding length must be divisible by 2"):
        F.pad(T(x), (1, 2, 3))
    with pytest.raises(RuntimeError, match="Padding length should be less than or equal to two times the input "
                                           "dimension but got padding length 6 and input of dimension 2"):
        F.pad(T(x), (1,) * 6)
    with pytest.raises(RuntimeError, match="resulted in a negative output size"):
        F.pad(T(x), (-3, -3))
    with pytest.raises(NotImplementedError, match="Unrecognised padding mode wrap"):
        F.pad(T(x), (1, 1), mode="wrap")


@pytest.mark.parametrize("mode,np_mode", [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")])
@pytest.mark.parametrize("pad", [(2, 1), (1, 2, 0, 1), (1, 0, 2, 2, 1, 1)])
def test_pad_reflect_replicate_circular(mode, np_mode, pad):
    x = rng.normal(size=(2, 3, 4, 5))
    widths = [(0, 0)] * (4 - len(pad) // 2) + [(pad[2 * i], pad[2 * i + 1]) for i in reversed(range(len(pad) // 2))]
    _check(F.pad(T(x), pad, mode=mode), np.pad(x, widths, mode=np_mode))


def test_pad_mode_errors():
    x = ember.zeros(1, 1, 3)
    with pytest.raises(RuntimeError, match=r"Padding size should be less than the corresponding input dimension, "
                                           r"but got: padding \(3, 3\) at dimension 2 of input \[1, 1, 3\]"):
        F.pad(x, (3, 3), mode="reflect")
    with pytest.raises(RuntimeError, match="Padding value causes wrapping around more than once."):
        F.pad(x, (4, 0), mode="circular")
    with pytest.raises(NotImplementedError, match="reflect padding of 1 dims needs a 2-D or 3-D input"):
        F.pad(ember.zeros(3), (1, 1), mode="reflect")
    with pytest.raises(ValueError, match="doesn't take in value argument"):
        F.pad(x, (1, 1), mode="replicate", value=3.0)


def test_pixel_shuffle_functional_roundtrip():
    x = ember.randn(3, 18, 2, 2)
    y = F.pixel_shuffle(x, 3)
    assert y.shape == (3, 2, 6, 6)
    np.testing.assert_array_equal(F.pixel_unshuffle(y, 3).numpy(), x.numpy())


def test_embedding_functional():
    w = T(rng.normal(size=(5, 2)))
    idx = ember.tensor([[4, 0, 4]], dtype=ember.int32)
    out = F.embedding(idx, w)
    assert out.shape == (1, 3, 2)
    np.testing.assert_array_equal(out.numpy()[0], w.numpy()[[4, 0, 4]])
    with pytest.raises(IndexError, match="index -1 is out of range"):
        F.embedding(ember.tensor([-1]), w)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        F.embedding(ember.tensor([1]), w, padding_idx=-6)
    assert math.isclose(float(F.embedding(ember.tensor([1]), w, max_norm=0.1).norm()), 0.1, rel_tol=1e-5)
