"""Second (and third) derivatives through the layer ops (Note [NN double
backward]): gradgradcheck in float64 over the options of convolution,
pooling, normalisation, the fused losses, upsampling and embedding; the
gradient computed with a graph (create_graph) equals the kernels' one; and
a Hessian-vector product of a small CNN against finite differences of its
gradient."""
import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember.autograd import gradcheck, gradgradcheck

_nn = ember._C._nn


def rand(*shape, seed=0, requires_grad=True, scale=1.0):
    rng = np.random.default_rng(seed + 7 * sum(shape))
    return ember.tensor(scale * rng.standard_normal(shape), dtype=ember.float64, requires_grad=requires_grad)


def _grads(fn, inputs, create_graph):
    """First derivatives of <fn(*inputs), v> for a fixed random v."""
    out = fn(*inputs)
    v = ember.tensor(np.random.default_rng(1).standard_normal(tuple(out.shape)), dtype=ember.float64)
    diff = [t for t in inputs if t.requires_grad]
    return ember.autograd.grad(out, diff, v, create_graph=create_graph, allow_unused=True)


def check(fn, *inputs, atol=1e-5, rtol=1e-3):
    """gradgradcheck, and the gradient built as a graph equals the kernels' gradient."""
    plain = _grads(fn, inputs, False)
    graphed = _grads(fn, inputs, True)
    for a, b in zip(plain, graphed):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(b.detach().numpy(), a.numpy(), rtol=1e-10, atol=1e-12)
    assert gradgradcheck(fn, inputs, atol=atol, rtol=rtol)


# ---- convolution -----------------------------------------------------------------


@pytest.mark.parametrize("stride,padding,dilation,groups", [(1, 0, 1, 1), (2, 1, 1, 1), (1, 2, 2, 1), (2, 1, 1, 2),
                                                            (1, (1, 0), (2, 1), 4)])
def test_conv2d_gradgrad(stride, padding, dilation, groups):
    x, w, b = rand(1, 4, 5, 5), rand(4, 4 // groups, 3, 2, seed=1), rand(4, seed=2)
    check(lambda x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups), x, w, b)


def test_conv1d_conv3d_unbatched_gradgrad():
    check(lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2), rand(2, 3, 7), rand(2, 3, 3, seed=1),
          rand(2, seed=2))
    check(lambda x, w: F.conv3d(x, w, stride=(1, 2, 1), padding=(0, 1, 1), groups=2), rand(1, 2, 3, 4, 3),
          rand(2, 1, 2, 2, 2, seed=1))
    check(lambda x, w, b: F.conv2d(x, w, b, padding=1), rand(2, 3, 3), rand(2, 2, 2, 2, seed=1), rand(2, seed=2))


def test_conv_transpose_gradgrad():
    check(lambda x, w, b: F.conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1), rand(1, 2, 4),
          rand(2, 3, 3, seed=1), rand(3, seed=2))
    check(lambda x, w, b: F.conv_transpose2d(x, w, b, stride=(2, 1), padding=(1, 0), output_padding=(1, 0), groups=2,
                                             dilation=(1, 2)), rand(1, 4, 3, 3), rand(4, 1, 2, 2, seed=1),
          rand(2, seed=2))
    check(lambda x, w: _nn.convolution(x, w, None, 2, 1, 1, True, 1, 1), rand(1, 2, 2, 2, 2),
          rand(2, 1, 2, 2, 2, seed=1))


def test_conv_gradient_penalty_values():
    # d/dw of |d conv(x, w) . v / dx|^2 by hand: gx = conv_transpose(v, w) is
    # linear in w, so the penalty is a quadratic form in w whose gradient is
    # 2 * (weight gradient of conv at input gx, grad_out v).
    x, w = rand(1, 2, 5, 5), rand(3, 2, 3, 3, seed=1)
    v = rand(1, 3, 3, 3, seed=2, requires_grad=False)
    (gx,) = ember.autograd.grad(F.conv2d(x, w), x, v, create_graph=True)
    (gw,) = ember.autograd.grad((gx * gx).sum(), w)
    ref = _nn.convolution_backward(v, 2 * gx.detach(), w.detach(), [1, 1], [0, 0], [1, 1], False, [0, 0], 1,
                                   [False, True, False])[1]
    np.testing.assert_allclose(gw.numpy(), ref.numpy(), rtol=1e-10, atol=1e-12)
    assert gx.grad_fn.name() == "ConvolutionBackwardBackward0"


def test_conv_third_derivative():
    # The gradient of conv(x, w)^2 is itself differentiated twice.
    def first(x, w):
        (gx,) = ember.autograd.grad((F.conv2d(x, w, padding=1) ** 2).sum(), x, create_graph=True)
        return gx

    assert gradgradcheck(first, (rand(1, 2, 3, 3), rand(2, 2, 2, 2, seed=1)))


def test_unfold_fold_gradgrad():
    check(lambda x: F.unfold(x, 2, padding=1, stride=(2, 1)), rand(1, 2, 3, 3))
    check(lambda c: F.fold(c, (3, 3), 2), rand(1, 8, 4))


# ---- pooling ---------------------------------------------------------------------


@pytest.mark.parametrize("ceil_mode", [False, True])
def test_max_pool_gradgrad(ceil_mode):
    check(lambda x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=ceil_mode), rand(1, 2, 5, 6))
    check(lambda x: F.max_pool2d(x, (2, 3), stride=(2, 2), dilation=(1, 2), ceil_mode=ceil_mode), rand(1, 1, 5, 7))
    check(lambda x: F.max_pool1d(x, 2, ceil_mode=ceil_mode), rand(2, 2, 7))
    check(lambda x: F.max_pool1d(x, 3, 1, padding=1), rand(2, 5))  # unbatched, overlapping windows


def test_max_pool_double_backward_is_a_gather():
    x = rand(1, 1, 4, 4)
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    (gx,) = ember.autograd.grad(y.sum(), x, create_graph=True)
    # As in PyTorch, the gradient's node lists x, with a zero derivative.
    assert gx.grad_fn.name() == "MaxPool2DWithIndicesBackwardBackward0"
    (gx * gx).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((1, 1, 4, 4)))
    g = rand(1, 1, 2, 2, seed=3)
    (gx,) = ember.autograd.grad(y, x, g, create_graph=True)
    assert gx.grad_fn.name() == "MaxPool2DWithIndicesBackwardBackward0"
    u = rand(1, 1, 4, 4, seed=4, requires_grad=False)
    (gg,) = ember.autograd.grad((gx * u).sum(), g)
    flat = u.numpy().reshape(-1)
    np.testing.assert_array_equal(gg.numpy(), flat[idx.numpy()])


@pytest.mark.parametrize("ceil_mode,count_include_pad", [(False, True), (True, False), (True, True)])
def test_avg_pool_gradgrad(ceil_mode, count_include_pad):
    check(lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode, count_include_pad), rand(1, 2, 5, 4))
    check(lambda x: F.avg_pool1d(x, 3, 2, 1, ceil_mode, count_include_pad), rand(2, 2, 6))
    check(lambda x: F.avg_pool2d(x, 2, divisor_override=3), rand(1, 1, 4, 4))


def test_adaptive_pool_gradgrad():
    check(lambda x: F.adaptive_avg_pool2d(x, (3, 2)), rand(1, 2, 5, 4))
    check(lambda x: F.adaptive_avg_pool1d(x, 3), rand(2, 2, 7))
    check(lambda x: F.adaptive_max_pool2d(x, (2, 3)), rand(1, 2, 5, 4))
    check(lambda x: F.adaptive_max_pool1d(x, 3), rand(2, 7))


# ---- normalisation ---------------------------------------------------------------


@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_training_gradgrad(affine):
    w, b = (rand(3, seed=1), rand(3, seed=2)) if affine else (None, None)
    args = (rand(4, 3, 2), w, b) if affine else (rand(4, 3, 2),)
    check(lambda x, w=None, b=None: F.batch_norm(x, None, None, w, b, training=True), *args)
    rm, rv = ember.zeros(3, dtype=ember.float64), ember.ones(3, dtype=ember.float64)
    check(lambda x: F.batch_norm(x, rm, rv, training=True), rand(5, 3))  # running stats updated, not differentiated


@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_eval_gradgrad(affine):
    rm = ember.tensor([0.1, -0.2, 0.3], dtype=ember.float64)
    rv = ember.tensor([1.5, 0.5, 2.0], dtype=ember.float64)
    if affine:
        check(lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False), rand(3, 3, 2, 2), rand(3, seed=1),
              rand(3, seed=2))
    else:
        check(lambda x: F.batch_norm(x, rm, rv, training=False), rand(3, 3, 4))


def test_layer_group_rms_instance_norm_gradgrad():
    check(lambda x, w, b: F.layer_norm(x, (3, 2), w, b), rand(2, 3, 2), rand(3, 2, seed=1), rand(3, 2, seed=2))
    check(lambda x: F.layer_norm(x, 4), rand(3, 4))
    check(lambda x: F.layer_norm(x, (2, 3)), rand(2, 3))  # no leading dims
    check(lambda x, w, b: F.group_norm(x, 2, w, b), rand(2, 4, 3), rand(4, seed=1), rand(4, seed=2))
    check(lambda x: F.group_norm(x, 3), rand(2, 3, 2, 2))
    check(lambda x, w: F.rms_norm(x, (3,), w, eps=1e-6), rand(2, 2, 3), rand(3, seed=1))
    check(lambda x: F.rms_norm(x, (2, 3)), rand(2, 2, 3))  # default eps
    check(lambda x: F.instance_norm(x), rand(2, 2, 4))


def test_layer_norm_third_derivative():
    def first(x, w):
        (gx,) = ember.autograd.grad((F.layer_norm(x, 3, w) ** 3).sum(), x, create_graph=True)
        return gx

    assert gradgradcheck(first, (rand(2, 3), rand(3, seed=1)))


@pytest.mark.parametrize("dtype", ["float32", "bfloat16", "float16"])
def test_norm_and_loss_gradients_as_ops_compute_in_float32(dtype):
    # The graph-building formulas compute half types in float32, as the kernels do.
    dt = getattr(ember, dtype)
    x = rand(4, 3, 5, requires_grad=False).to(dt).requires_grad_()
    w = rand(3, seed=1, requires_grad=False).to(dt).requires_grad_()
    t = ember.tensor([[0, 1, 2, 1, 0], [2, 2, 1, 0, 1], [1, 1, 1, 1, 1], [0, 0, 2, 2, 1]])
    fns = [lambda x, w: F.batch_norm(x, None, None, w, w, training=True),
           lambda x, w: F.group_norm(x, 3, w, w),
           lambda x, w: F.layer_norm(x.transpose(1, 2), 3, w, w),
           lambda x, w: F.rms_norm(x.transpose(1, 2), 3, w, eps=1e-5),
           lambda x, w: F.cross_entropy(x * w.reshape(1, 3, 1), t, label_smoothing=0.1)]
    tol = 1e-5 if dtype == "float32" else 2e-2
    for fn in fns:
        plain = _grads(fn, (x, w), False)
        graphed = _grads(fn, (x, w), True)
        for a, b in zip(plain, graphed):
            assert b.dtype == a.dtype == dt
            np.testing.assert_allclose(b.detach().float().numpy(), a.float().numpy(), rtol=tol, atol=tol)


# ---- losses ----------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_indices_gradgrad(reduction):
    t = ember.tensor([0, 3, 1, 3, 2])
    w = ember.tensor([1.0, 2.0, 0.5, 1.5], dtype=ember.float64)
    check(lambda x: F.cross_entropy(x, t, reduction=reduction), rand(5, 4))
    check(lambda x: F.cross_entropy(x, t, weight=w, ignore_index=1, reduction=reduction, label_smoothing=0.1),
          rand(5, 4))
    t4 = ember.tensor([[[0, 1], [2, -100]], [[2, 2], [0, 1]]])
    check(lambda x: F.cross_entropy(x, t4, weight=w[:3], reduction=reduction, label_smoothing=0.3), rand(2, 3, 2, 2))
    check(lambda x: F.cross_entropy(x, ember.tensor(2), reduction=reduction, label_smoothing=0.2), rand(4))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_probabilities_gradgrad(reduction):
    w = ember.tensor([1.0, 2.0, 0.5, 1.5], dtype=ember.float64)
    p = ember.softmax(rand(3, 4, seed=5, requires_grad=False), 1).requires_grad_()
    check(lambda x, p: F.cross_entropy(x, p, weight=w, reduction=reduction, label_smoothing=0.2), rand(3, 4), p)
    p4 = ember.softmax(rand(2, 3, 2, seed=6, requires_grad=False), 1).requires_grad_()
    check(lambda x, p: F.cross_entropy(x, p, reduction=reduction), rand(2, 3, 2), p4)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_gradgrad(reduction):
    t = ember.tensor([2, 0, 1, 2])
    w = ember.tensor([0.5, 1.0, 2.0], dtype=ember.float64)
    check(lambda x: F.nll_loss(x, t, weight=w, ignore_index=0, reduction=reduction), rand(4, 3))
    check(lambda x: F.nll_loss(x, ember.tensor([[1, 0], [2, 2]]), reduction=reduction), rand(2, 3, 2))


def test_cross_entropy_hessian_values():
    # The Hessian of mean cross entropy in the logits of one sample is
    # (diag(p) - p p^T) / N.
    x = rand(2, 3)
    t = ember.tensor([1, 2])
    h = ember.autograd.functional.hessian(lambda x: F.cross_entropy(x, t), x)
    p = np.exp(x.detach().numpy())
    p /= p.sum(1, keepdims=True)
    ref = np.zeros((2, 3, 2, 3))
    for n in range(2):
        ref[n, :, n, :] = (np.diag(p[n]) - np.outer(p[n], p[n])) / 2
    np.testing.assert_allclose(h.numpy(), ref, rtol=1e-10, atol=1e-12)


# ---- upsampling, embedding, activations ------------------------------------------


def test_upsample_kernels_gradgrad():
    check(lambda x: _nn.upsample_nearest2d(x, [5, 3]), rand(1, 2, 3, 2))
    check(lambda x: _nn.upsample_nearest2d(x, [4, 4], 2.0, 2.0), rand(1, 1, 2, 2))
    check(lambda x: _nn.upsample_bilinear2d(x, [5, 3], True), rand(1, 2, 3, 2))
    check(lambda x: _nn.upsample_bilinear2d(x, [4, 5], False), rand(1, 1, 3, 2))
    check(lambda x: F.interpolate(x, scale_factor=2, mode="bilinear"), rand(1, 1, 2, 3))


def test_embedding_gradgrad():
    idx = ember.tensor([[0, 2, 2], [3, 0, 1]])
    check(lambda w: F.embedding(idx, w), rand(4, 3))
    check(lambda w: F.embedding(idx, w, padding_idx=2), rand(4, 3))


def test_mish_gradgrad():
    x = ember.tensor(np.linspace(-4, 4, 12).reshape(3, 4), dtype=ember.float64, requires_grad=True)
    check(F.mish, x)


# ---- a Hessian-vector product through a small CNN --------------------------------


def _cnn_loss(params, x, t):
    w1, b1, w2, b2 = params
    h = F.softplus(F.conv2d(x, w1, b1, padding=1))
    h = F.max_pool2d(h, 2)
    h = F.batch_norm(h, None, None, training=True)
    return F.cross_entropy(h.flatten(1) @ w2.t() + b2, t, label_smoothing=0.1)


def test_small_cnn_hessian_vector_product_matches_finite_differences():
    x = rand(3, 1, 4, 4, seed=10, requires_grad=False)
    t = ember.tensor([0, 2, 1])
    shapes = [(2, 1, 3, 3), (2,), (3, 8), (3,)]
    params = [rand(*s, seed=20 + i, scale=0.7) for i, s in enumerate(shapes)]
    vs = [rand(*s, seed=30 + i, requires_grad=False) for i, s in enumerate(shapes)]

    grads = ember.autograd.grad(_cnn_loss(params, x, t), params, create_graph=True)
    dot = sum((g * v).sum() for g, v in zip(grads, vs))
    hv = ember.autograd.grad(dot, params)

    def grad_at(step):
        shifted = [(p.detach() + step * v).requires_grad_() for p, v in zip(params, vs)]
        return [g.numpy() for g in ember.autograd.grad(_cnn_loss(shifted, x, t), shifted)]

    eps = 1e-5
    plus, minus = grad_at(eps), grad_at(-eps)
    for h, gp, gm in zip(hv, plus, minus):
        np.testing.assert_allclose(h.numpy(), (gp - gm) / (2 * eps), rtol=1e-5, atol=1e-7)
    # The same product through ember.autograd.functional.hvp.
    _, hv2 = ember.autograd.functional.hvp(lambda *ps: _cnn_loss(ps, x, t), tuple(p.detach() for p in params),
                                           tuple(vs))
    for a, b in zip(hv, hv2):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-12, atol=1e-14)


def test_small_cnn_gradient_penalty_trains_weight():
    # A WGAN-GP style penalty on |d out / d x| reaches the conv weights.
    x = rand(2, 1, 4, 4, seed=11)
    w = rand(2, 1, 3, 3, seed=12)
    g = rand(2, 2, 4, 4, seed=13)

    def penalty(w):
        h = F.group_norm(F.conv2d(x, w, padding=1), 1)
        out = F.avg_pool2d(F.softplus(h) * g, 2).sum()
        (gx,) = ember.autograd.grad(out, x, create_graph=True)
        return ((gx.flatten(1).norm(dim=1) - 1) ** 2).mean()

    assert gradcheck(penalty, (w,))
