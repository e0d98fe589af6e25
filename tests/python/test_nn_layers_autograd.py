"""Autograd through the layer kernels (ember.nn.functional) and the layer
modules: gradients against finite differences in float64, node names,
double backward values, running statistics against NumPy, state_dict keys
and reprs."""
import math

import numpy as np
import pytest

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.autograd import gradcheck, gradgradcheck


def _elementwise_ops_differentiable():
    x = ember.ones(1, dtype=ember.float64, requires_grad=True)
    return all(t.grad_fn is not None for t in (ember.exp(x), ember.sigmoid(x), ember.where(x > 0, x, x)))


# Second derivatives of the smooth activations and gradients of functions
# composed of exp/sigmoid/where (prelu) need the elementwise backward
# formulas of branch gradelem; with them merged these run (and pass).
needs_elementwise_grad = pytest.mark.skipif(not _elementwise_ops_differentiable(),
                                            reason="elementwise ops do not record gradients yet (branch gradelem)")


def rand(*shape, seed=0, requires_grad=True):
    rng = np.random.default_rng(seed + sum(shape))
    return ember.tensor(rng.standard_normal(shape), dtype=ember.float64, requires_grad=requires_grad)


def conv2d_ref(x, w, b, stride, padding, dilation, groups):
    """Direct NumPy loops over (N, C, H, W) with zero padding."""
    x = np.pad(x, ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1])))
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh = (h - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, o, oh, ow))
    opg = o // groups
    for oc in range(o):
        g = oc // opg
        for i in range(oh):
            for j in range(ow):
                patch = x[:, g * cg:(g + 1) * cg, i * stride[0]:i * stride[0] + dilation[0] * (kh - 1) + 1:dilation[0],
                          j * stride[1]:j * stride[1] + dilation[1] * (kw - 1) + 1:dilation[1]]
                out[:, oc, i, j] = (patch * w[oc]).sum(axis=(1, 2, 3))
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


# ---- convolution -----------------------------------------------------------------


@pytest.mark.parametrize("stride,padding,dilation,groups", [(1, 0, 1, 1), (2, 1, 1, 1), (1, 2, 2, 1), (2, 1, 1, 2),
                                                            (1, (1, 0), (2, 1), 4)])
def test_conv2d_gradcheck(stride, padding, dilation, groups):
    x = rand(2, 4, 6, 5)
    w = rand(4, 4 // groups, 3, 2, seed=1)
    b = rand(4, seed=2)
    assert gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups), (x, w, b))


def test_conv2d_values_and_node_name():
    x, w, b = rand(2, 4, 6, 5), rand(6, 2, 3, 3, seed=1), rand(6, seed=2)
    y = F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2)
    ref = conv2d_ref(x.detach().numpy(), w.detach().numpy(), b.detach().numpy(), (2, 1), (1, 1), (1, 2), 2)
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=1e-10, atol=1e-12)
    assert y.grad_fn.name() == "ConvolutionBackward0"


def test_conv_same_padding_even_kernel():
    # An even kernel pads one more on the right, as PyTorch does.
    x, w = rand(1, 2, 5, 6), rand(3, 2, 2, 4, seed=1)
    y = F.conv2d(x, w, padding="same")
    assert y.shape == (1, 3, 5, 6)
    xp = np.pad(x.detach().numpy(), ((0, 0), (0, 0), (0, 1), (1, 2)))
    ref = conv2d_ref(xp, w.detach().numpy(), None, (1, 1), (0, 0), (1, 1), 1)
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=1e-10, atol=1e-12)
    assert gradcheck(lambda x, w: F.conv2d(x, w, padding="same", dilation=(1, 2)), (x, w))
    assert F.conv2d(x, w, padding="valid").shape == (1, 3, 4, 3)


def test_conv1d_conv3d_and_unbatched_gradcheck():
    assert gradcheck(lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2),
                     (rand(2, 3, 9), rand(4, 3, 3, seed=1), rand(4, seed=2)))
    assert gradcheck(lambda x, w: F.conv3d(x, w, stride=(1, 2, 1), padding=(0, 1, 1), groups=2),
                     (rand(1, 2, 3, 4, 3), rand(2, 1, 2, 2, 2, seed=1)))
    x, w = rand(3, 9), rand(4, 3, 3, seed=1)
    y = F.conv1d(x, w)
    assert y.shape == (4, 7)
    np.testing.assert_allclose(y.detach().numpy(), F.conv1d(x.unsqueeze(0), w).squeeze(0).detach().numpy())


def test_conv_transpose_gradcheck():
    assert gradcheck(lambda x, w, b: F.conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1),
                     (rand(2, 4, 5), rand(4, 3, 3, seed=1), rand(3, seed=2)))
    assert gradcheck(lambda x, w, b: F.conv_transpose2d(x, w, b, stride=(2, 1), padding=(1, 0), output_padding=(1, 0),
                                                        groups=2, dilation=(1, 2)),
                     (rand(1, 4, 3, 4), rand(4, 1, 3, 2, seed=1), rand(2, seed=2)))


def test_conv_transpose_is_adjoint_of_conv():
    # <conv(x, w), y> = <x, conv_transpose(y, w)> for matching geometry.
    x, w, y = rand(1, 2, 7, 6), rand(3, 2, 3, 3, seed=1), rand(1, 3, 4, 3, seed=2)
    lhs = (F.conv2d(x, w, stride=2, padding=1) * y).sum().item()
    rhs = (x * F.conv_transpose2d(y, w, stride=2, padding=1, output_padding=(0, 1))).sum().item()
    assert lhs == pytest.approx(rhs, rel=1e-10)


def test_conv_double_backward_values():
    # gx = conv_transpose(ones, w) is linear in w, so d/dw sum(gx^2) is the
    # weight gradient of conv at input 2 gx (test_nn_layers_gradgrad.py checks
    # every option with gradgradcheck).
    x, w = rand(1, 2, 5, 5), rand(3, 2, 3, 3, seed=1)
    (gx,) = ember.autograd.grad(F.conv2d(x, w).sum(), x, create_graph=True)
    np.testing.assert_allclose(gx.detach().numpy(), F.conv_transpose2d(ember.ones(1, 3, 3, 3, dtype=ember.float64),
                                                                       w).detach().numpy(), rtol=1e-12)
    (gx * gx).sum().backward()
    xp = 2 * gx.detach().numpy()[0]
    ref = np.zeros((3, 2, 3, 3))
    for i in range(3):
        for j in range(3):
            ref[:, :, i, j] = xp[:, i:i + 3, j:j + 3].sum(axis=(1, 2))[None, :]
    np.testing.assert_allclose(w.grad.numpy(), ref, rtol=1e-10)


def test_conv_errors():
    x, w = rand(2, 3, 5, 5), rand(4, 3, 3, 3)
    with pytest.raises(RuntimeError, match=r"\[conv2d\] Expected 3D \(unbatched\) or 4D \(batched\) input"):
        F.conv2d(rand(5, 5), w)
    with pytest.raises(ValueError, match="padding='same' is not supported for strided convolutions"):
        F.conv2d(x, w, stride=2, padding="same")
    with pytest.raises(ValueError, match="Invalid padding string 'full'"):
        F.conv2d(x, w, padding="full")
    with pytest.raises(RuntimeError):
        F.conv2d(rand(2, 5, 5, 5), w)  # channel mismatch, reported by the kernel


def test_unfold_fold_gradients():
    x = rand(2, 3, 5, 4)
    assert gradcheck(lambda x: F.unfold(x, (2, 3), dilation=1, padding=1, stride=(2, 1)), (x,))
    cols = F.unfold(x, 2, padding=1)
    assert gradcheck(lambda c: F.fold(c, (5, 4), 2, padding=1), (cols.detach().requires_grad_(),))
    assert gradgradcheck(lambda x: F.unfold(x, 2), (rand(1, 2, 3, 3),))
    # fold(unfold(x)) counts each pixel once per window covering it.
    ones = ember.ones(1, 1, 4, 4, dtype=ember.float64)
    counts = F.fold(F.unfold(ones, 2), (4, 4), 2).numpy()[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])


# ---- pooling ---------------------------------------------------------------------


@pytest.mark.parametrize("ceil_mode", [False, True])
def test_max_pool_gradcheck(ceil_mode):
    assert gradcheck(lambda x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=ceil_mode), (rand(2, 2, 6, 7),))
    assert gradcheck(lambda x: F.max_pool2d(x, (2, 3), stride=(2, 2), dilation=(1, 2), ceil_mode=ceil_mode),
                     (rand(1, 2, 5, 8),))
    assert gradcheck(lambda x: F.max_pool1d(x, 2, ceil_mode=ceil_mode), (rand(2, 3, 7),))


def test_max_pool_values_indices_and_node_name():
    x = ember.tensor([[[[1.0, 5.0, 2.0], [4.0, 3.0, 9.0], [0.0, 8.0, 7.0]]]], dtype=ember.float64,
                     requires_grad=True)
    y, idx = F.max_pool2d(x, 2, stride=2, ceil_mode=True, return_indices=True)
    np.testing.assert_array_equal(y.detach().numpy()[0, 0], [[5.0, 9.0], [8.0, 7.0]])
    np.testing.assert_array_equal(idx.numpy()[0, 0], [[1, 5], [7, 8]])
    assert y.grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], [[0, 1, 0], [0, 0, 1], [0, 1, 1]])


@pytest.mark.parametrize("ceil_mode,count_include_pad", [(False, True), (True, False), (True, True)])
def test_avg_pool_gradcheck(ceil_mode, count_include_pad):
    assert gradcheck(lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode, count_include_pad), (rand(1, 2, 6, 5),))
    assert gradcheck(lambda x: F.avg_pool1d(x, 3, 2, 1, ceil_mode, count_include_pad), (rand(2, 2, 8),))
    assert gradcheck(lambda x: F.avg_pool2d(x, 2, divisor_override=3), (rand(1, 1, 4, 4),))


def test_adaptive_pool_gradcheck_and_values():
    x = rand(2, 3, 7, 5)
    assert gradcheck(lambda x: F.adaptive_avg_pool2d(x, (3, 2)), (x,))
    assert gradcheck(lambda x: F.adaptive_avg_pool1d(x, 3), (rand(2, 2, 7),))
    assert gradcheck(lambda x: F.adaptive_max_pool2d(x, (2, None)), (x,))
    y = F.adaptive_avg_pool2d(x, 1)
    np.testing.assert_allclose(y.detach().numpy()[..., 0, 0], x.detach().numpy().mean(axis=(2, 3)), rtol=1e-12)
    m, idx = F.adaptive_max_pool2d(x, 1, return_indices=True)
    np.testing.assert_allclose(m.detach().numpy()[..., 0, 0], x.detach().numpy().max(axis=(2, 3)))
    assert idx.dtype == ember.int64


# ---- normalisation ---------------------------------------------------------------


def test_batch_norm_training_gradcheck_and_values():
    x, w, b = rand(4, 3, 2, 2), rand(3, seed=1), rand(3, seed=2)
    assert gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), (x, w, b))
    y = F.batch_norm(x, None, None, w, b, training=True, eps=1e-5)
    xn = x.detach().numpy()
    mean, var = xn.mean(axis=(0, 2, 3), keepdims=True), xn.var(axis=(0, 2, 3), keepdims=True)
    ref = (xn - mean) / np.sqrt(var + 1e-5) * w.detach().numpy().reshape(1, 3, 1, 1) + b.detach().numpy().reshape(
        1, 3, 1, 1)
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=1e-10, atol=1e-12)
    assert y.grad_fn.name() == "NativeBatchNormBackward0"


def test_batch_norm_eval_gradcheck():
    rm = ember.tensor([0.1, -0.2, 0.3], dtype=ember.float64)
    rv = ember.tensor([1.5, 0.5, 2.0], dtype=ember.float64)
    assert gradcheck(lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False),
                     (rand(3, 3, 4), rand(3, seed=1), rand(3, seed=2)))


def test_layer_group_rms_norm_gradcheck():
    x = rand(2, 4, 3)
    assert gradcheck(lambda x, w, b: F.layer_norm(x, (4, 3), w, b), (x, rand(4, 3, seed=1), rand(4, 3, seed=2)))
    assert gradcheck(lambda x: F.layer_norm(x, 3), (x,))
    assert gradcheck(lambda x, w, b: F.group_norm(x, 2, w, b), (rand(2, 4, 3, 2), rand(4, seed=1), rand(4, seed=2)))
    assert gradcheck(lambda x, w: F.rms_norm(x, (3,), w, eps=1e-6), (x, rand(3, seed=1)))
    assert gradcheck(lambda x: F.instance_norm(x), (rand(2, 3, 5),))
    y = F.rms_norm(x, (3,), eps=1e-6)
    xn = x.detach().numpy()
    np.testing.assert_allclose(y.detach().numpy(), xn / np.sqrt((xn ** 2).mean(-1, keepdims=True) + 1e-6), rtol=1e-10)


def test_norm_errors():
    with pytest.raises(RuntimeError, match="divisible by num_groups"):
        F.group_norm(rand(2, 3, 4), 2)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        F.batch_norm(rand(1, 3), None, None, training=True)
    with pytest.raises(ValueError, match="num_channels must be divisible by num_groups"):
        nn.GroupNorm(3, 4)


# ---- activations -----------------------------------------------------------------

# (name, function, node name); every one has differentiable second
# derivatives. MASK_ONLY formulas use only mul/compare ops and so need no
# elementwise gradients.
ACTIVATIONS = [
    ("relu", F.relu, "ReluBackward0"),
    ("relu6", F.relu6, "HardtanhBackward0"),
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.2), "LeakyReluBackward0"),
    ("elu", lambda x: F.elu(x, 0.7), "EluBackward0"),
    ("selu", F.selu, "EluBackward0"),
    ("celu", lambda x: F.celu(x, 1.5), "EluBackward0"),
    ("gelu", F.gelu, "GeluBackward0"),
    ("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), "GeluBackward0"),
    ("silu", F.silu, "SiluBackward0"),
    ("mish", F.mish, "MishBackward0"),
    ("softplus", lambda x: F.softplus(x, beta=2.0, threshold=3.0), "SoftplusBackward0"),
    ("hardtanh", lambda x: F.hardtanh(x, -0.5, 0.8), "HardtanhBackward0"),
    ("hardsigmoid", F.hardsigmoid, "HardsigmoidBackward0"),
    ("hardswish", F.hardswish, "HardswishBackward0"),
    ("softsign", F.softsign, "SoftsignBackward0"),
    ("threshold", lambda x: F.threshold(x, 0.3, -2.0), "ThresholdBackward0"),
    ("hardshrink", lambda x: F.hardshrink(x, 0.3), "HardshrinkBackward0"),
    ("softshrink", lambda x: F.softshrink(x, 0.3), "SoftshrinkBackward0"),
    ("logsigmoid", F.logsigmoid, "LogSigmoidBackward0"),
]
MASK_ONLY = {"relu", "relu6", "hardtanh", "hardsigmoid", "threshold", "hardshrink", "softshrink"}


def act_input():
    # Values kept away from the kinks (0, +-3, thresholds) so finite differences are smooth.
    vals = np.array([-4.1, -2.6, -1.3, -0.45, -0.2, 0.15, 0.35, 0.9, 1.7, 2.4, 3.6, 6.5])
    return ember.tensor(vals.reshape(3, 4), dtype=ember.float64, requires_grad=True)


@pytest.mark.parametrize("name,fn,node", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_gradients(name, fn, node):
    x = act_input()
    assert gradcheck(fn, (x,))
    assert fn(x).grad_fn.name() == node
    if name in MASK_ONLY:
        assert gradgradcheck(fn, (x,))


@needs_elementwise_grad
@pytest.mark.parametrize("name,fn", [(a[0], a[1]) for a in ACTIVATIONS if a[0] not in MASK_ONLY])
def test_activation_second_derivatives(name, fn):
    assert gradgradcheck(fn, (act_input(),))


def test_activation_inplace_records_and_top_level_functions():
    x = act_input()
    y = x * 1.0
    F.relu(y, inplace=True)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), (x.detach().numpy() > 0).astype(float))
    x.grad = None
    y = x * 1.0
    out = F.elu(y, alpha=0.5, inplace=True)
    assert out is y
    out.sum().backward()
    xn = x.detach().numpy()
    np.testing.assert_allclose(x.grad.numpy(), np.where(xn > 0, 1.0, 0.5 * np.exp(xn)), rtol=1e-12)
    assert ember.relu(x).grad_fn.name() == "ReluBackward0"
    assert x.relu().grad_fn.name() == "ReluBackward0"
    assert ember.selu(x).grad_fn.name() == "EluBackward0"
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        F.relu(x, inplace=True)


@needs_elementwise_grad
def test_prelu_gradcheck():
    x = act_input().reshape(2, 3, 2).detach().requires_grad_()
    w = ember.tensor([0.25, -0.5, 1.5], dtype=ember.float64, requires_grad=True)
    assert gradcheck(F.prelu, (x, w))
    assert gradcheck(F.prelu, (x, ember.tensor([0.1], dtype=ember.float64, requires_grad=True)))
    xn = x.detach().numpy()
    np.testing.assert_allclose(F.prelu(x, w).detach().numpy(),
                               np.where(xn > 0, xn, xn * np.array([0.25, -0.5, 1.5]).reshape(1, 3, 1)))
    with pytest.raises(RuntimeError, match="Mismatch of parameter numbers and input channel size"):
        F.prelu(x, ember.ones(4, dtype=ember.float64))


# ---- losses ----------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_indices_gradcheck(reduction):
    x = rand(5, 4)
    t = ember.tensor([0, 3, 1, 3, 2])
    w = ember.tensor([1.0, 2.0, 0.5, 1.5], dtype=ember.float64)
    assert gradcheck(lambda x: F.cross_entropy(x, t, weight=w, ignore_index=1, reduction=reduction,
                                               label_smoothing=0.1), (x,))
    x4 = rand(2, 3, 2, 2)
    t4 = ember.tensor([[[0, 1], [2, 1]], [[2, 2], [0, 1]]])
    assert gradcheck(lambda x: F.cross_entropy(x, t4, reduction=reduction), (x4,))


def test_cross_entropy_values_and_node_name():
    x = rand(3, 4)
    t = ember.tensor([2, 0, 3])
    y = F.cross_entropy(x, t)
    xn = x.detach().numpy()
    logp = xn - np.log(np.exp(xn).sum(1, keepdims=True))
    assert y.item() == pytest.approx(-logp[np.arange(3), [2, 0, 3]].mean(), rel=1e-12)
    assert y.grad_fn.name() == "CrossEntropyLossBackward0"


def test_cross_entropy_probabilities_gradcheck_in_both_arguments():
    x = rand(3, 4)
    p = ember.softmax(rand(3, 4, seed=5, requires_grad=False), 1).requires_grad_()
    w = ember.tensor([1.0, 2.0, 0.5, 1.5], dtype=ember.float64)
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(lambda x, p: F.cross_entropy(x, p, weight=w, reduction=reduction, label_smoothing=0.2),
                         (x, p))
    xn, pn = x.detach().numpy(), p.detach().numpy()
    logp = xn - np.log(np.exp(xn).sum(1, keepdims=True))
    assert F.cross_entropy(x, p).item() == pytest.approx(-(pn * logp).sum(1).mean(), rel=1e-12)


def test_nll_loss_gradcheck():
    x = rand(4, 3)
    t = ember.tensor([2, 0, 1, 2])
    w = ember.tensor([0.5, 1.0, 2.0], dtype=ember.float64)
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(lambda x: F.nll_loss(x, t, weight=w, ignore_index=0, reduction=reduction), (x,))
    y = F.nll_loss(x, t, weight=w)
    xn = x.detach().numpy()
    ref = -(xn[np.arange(4), [2, 0, 1, 2]] * [2.0, 0.5, 1.0, 2.0]).sum() / 5.5
    assert y.item() == pytest.approx(ref, rel=1e-12)
    assert y.grad_fn.name() == "NllLossBackward0"


def test_loss_errors():
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        F.cross_entropy(rand(2, 3), ember.tensor([0, 1]), reduction="foo")
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0"):
        F.cross_entropy(rand(2, 3), ember.tensor([0, 1]), label_smoothing=1.5)


# ---- dropout2d -------------------------------------------------------------------


def test_dropout2d_zeroes_whole_channels():
    ember.manual_seed(0)
    x = ember.ones(8, 16, 3, 3, dtype=ember.float64, requires_grad=True)
    y = F.dropout2d(x, p=0.5)
    yn = y.detach().numpy()
    per_channel = yn.reshape(8, 16, 9)
    assert set(np.unique(per_channel)) <= {0.0, 2.0}
    assert (per_channel.min(-1) == per_channel.max(-1)).all()  # a channel is kept or dropped whole
    assert 0 < (per_channel[..., 0] == 0).sum() < 128
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), yn)
    assert F.dropout2d(x, 0.5, training=False) is x
    m = nn.Dropout2d(0.3)
    assert repr(m) == "Dropout2d(p=0.3, inplace=False)"


# ---- modules ---------------------------------------------------------------------


def test_conv_module_shapes_init_and_repr():
    m = nn.Conv2d(1, 8, 3, padding=1)
    assert repr(m) == "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"
    assert m.weight.shape == (8, 1, 3, 3) and m.bias.shape == (8,)
    bound = 1 / math.sqrt(9)
    assert m.weight.abs().max().item() <= bound and m.bias.abs().max().item() <= bound
    assert [k for k, _ in m.named_parameters()] == ["weight", "bias"]
    m = nn.Conv2d(4, 6, (3, 2), stride=2, padding="same" if False else 0, dilation=2, groups=2, bias=False,
                  padding_mode="zeros")
    assert repr(m) == "Conv2d(4, 6, kernel_size=(3, 2), stride=(2, 2), dilation=(2, 2), groups=2, bias=False)"
    assert m.weight.shape == (6, 2, 3, 2)
    t = nn.ConvTranspose2d(4, 6, 3, stride=2, groups=2)
    assert t.weight.shape == (4, 3, 3, 3)
    assert repr(t) == "ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), groups=2)"
    assert repr(nn.Conv1d(2, 3, 5, padding="same")) == \
        "Conv1d(2, 3, kernel_size=(5,), stride=(1,), padding=same)"
    assert nn.Conv3d(2, 4, 3).weight.shape == (4, 2, 3, 3, 3)
    assert nn.ConvTranspose1d(2, 4, 3).weight.shape == (2, 4, 3)


def test_conv_module_padding_modes_and_forward():
    m = nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="reflect").double()
    assert repr(m).endswith("padding=(1, 2), padding_mode=reflect)")
    x = rand(1, 2, 5, 6, requires_grad=False)
    ref = F.conv2d(F.pad(x, [2, 2, 1, 1], mode="reflect"), m.weight, m.bias)
    np.testing.assert_allclose(m(x).detach().numpy(), ref.detach().numpy(), rtol=1e-12)
    c = nn.Conv1d(2, 2, 3, padding=1, padding_mode="circular").double()
    x1 = rand(1, 2, 5, requires_grad=False)
    xp = ember.cat([x1[..., -1:], x1, x1[..., :1]], -1)
    np.testing.assert_allclose(c(x1).detach().numpy(), F.conv1d(xp, c.weight, c.bias).detach().numpy(), rtol=1e-12)
    m(x).sum().backward()
    assert m.weight.grad.shape == m.weight.shape and m.bias.grad.shape == (3,)
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn.Conv2d(1, 1, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match='Only "zeros" padding mode is supported for ConvTranspose2d'):
        nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")


def test_conv_transpose_output_size():
    t = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1).double()
    x = rand(1, 2, 4, 4, requires_grad=False)
    assert t(x).shape == (1, 3, 7, 7)
    assert t(x, output_size=(8, 8)).shape == (1, 3, 8, 8)
    with pytest.raises(ValueError, match="requested an output size of"):
        t(x, output_size=(10, 10))


def test_batch_norm_module_state_and_running_stats():
    bn = nn.BatchNorm2d(3).double()
    assert repr(bn) == "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"
    assert list(bn.state_dict().keys()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    seq = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3))
    assert "1.running_mean" in seq.state_dict() and "1.num_batches_tracked" in seq.state_dict()
    rm, rv = np.zeros(3), np.ones(3)
    for step in range(3):
        x = rand(4, 3, 2, 3, seed=step, requires_grad=False)
        bn(x)
        xn = x.numpy()
        n = xn.size // 3
        rm = 0.9 * rm + 0.1 * xn.mean(axis=(0, 2, 3))
        rv = 0.9 * rv + 0.1 * xn.var(axis=(0, 2, 3)) * n / (n - 1)  # unbiased, as PyTorch
    np.testing.assert_allclose(bn.running_mean.numpy(), rm, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), rv, rtol=1e-12)
    assert bn.num_batches_tracked.item() == 3 and bn.num_batches_tracked.dtype == ember.int64
    bn.eval()
    x = rand(2, 3, 2, 2, seed=9, requires_grad=False)
    ref = (x.numpy() - rm.reshape(1, 3, 1, 1)) / np.sqrt(rv.reshape(1, 3, 1, 1) + 1e-5)
    np.testing.assert_allclose(bn(x).detach().numpy(), ref, rtol=1e-10)
    assert bn.num_batches_tracked.item() == 3


def test_batch_norm_cumulative_average_and_no_tracking():
    bn = nn.BatchNorm1d(2, momentum=None).double()
    xs = [rand(5, 2, seed=s, requires_grad=False) for s in range(3)]
    for x in xs:
        bn(x)
    np.testing.assert_allclose(bn.running_mean.numpy(), np.mean([x.numpy().mean(0) for x in xs], axis=0), rtol=1e-12)
    bn = nn.BatchNorm1d(2, affine=False, track_running_stats=False).double()
    assert repr(bn) == "BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)"
    assert bn.running_mean is None and list(bn.state_dict().keys()) == []
    bn.eval()
    x = rand(6, 2, 3, requires_grad=False)
    xn = x.numpy()
    ref = (xn - xn.mean(axis=(0, 2), keepdims=True)) / np.sqrt(xn.var(axis=(0, 2), keepdims=True) + 1e-5)
    np.testing.assert_allclose(bn(x).numpy(), ref, rtol=1e-10)
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        bn(rand(2, 2, 2, 2))


def test_batch_norm_module_gradients_in_training():
    bn = nn.BatchNorm1d(3).double()
    x = rand(5, 3, 2)
    assert gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, True), (x, bn.weight, bn.bias))
    y = bn(x)
    (y * y).sum().backward()
    assert bn.weight.grad is not None and bn.bias.grad is not None and x.grad is not None


def test_norm_and_pool_module_reprs():
    assert repr(nn.LayerNorm(4)) == "LayerNorm((4,), eps=1e-05, elementwise_affine=True)"
    assert repr(nn.GroupNorm(2, 4)) == "GroupNorm(2, 4, eps=1e-05, affine=True)"
    assert repr(nn.RMSNorm([2, 3])) == "RMSNorm((2, 3), eps=None, elementwise_affine=True)"
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.MaxPool1d(3, 1, 1)) == "MaxPool1d(kernel_size=3, stride=1, padding=1, dilation=1, ceil_mode=False)"
    assert repr(nn.AvgPool2d(2)) == "AvgPool2d(kernel_size=2, stride=2, padding=0)"
    assert repr(nn.AvgPool1d(3)) == "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"
    assert repr(nn.AdaptiveAvgPool2d((1, 1))) == "AdaptiveAvgPool2d(output_size=(1, 1))"
    assert repr(nn.AdaptiveMaxPool2d(2)) == "AdaptiveMaxPool2d(output_size=2)"
    assert repr(nn.AdaptiveAvgPool1d(4)) == "AdaptiveAvgPool1d(output_size=4)"
    ln = nn.LayerNorm((2, 3))
    assert ln.weight.shape == (2, 3) and list(ln.state_dict()) == ["weight", "bias"]


def test_activation_module_reprs_and_forward():
    cases = [
        (nn.ReLU(), "ReLU()"), (nn.ReLU(inplace=True), "ReLU(inplace=True)"), (nn.ReLU6(), "ReLU6()"),
        (nn.LeakyReLU(0.2), "LeakyReLU(negative_slope=0.2)"), (nn.PReLU(3), "PReLU(num_parameters=3)"),
        (nn.ELU(), "ELU(alpha=1.0)"), (nn.SELU(), "SELU()"), (nn.CELU(0.5), "CELU(alpha=0.5)"),
        (nn.GELU(), "GELU(approximate='none')"), (nn.GELU("tanh"), "GELU(approximate='tanh')"), (nn.SiLU(), "SiLU()"),
        (nn.Mish(), "Mish()"), (nn.Softplus(), "Softplus(beta=1.0, threshold=20.0)"),
        (nn.Hardtanh(-2.0, 2.0), "Hardtanh(min_val=-2.0, max_val=2.0)"), (nn.Hardsigmoid(), "Hardsigmoid()"),
        (nn.Hardswish(), "Hardswish()"), (nn.Softsign(), "Softsign()"),
        (nn.Threshold(0.1, 20.0), "Threshold(threshold=0.1, value=20.0)"), (nn.Hardshrink(), "Hardshrink(0.5)"),
        (nn.Softshrink(0.2), "Softshrink(0.2)"), (nn.LogSigmoid(), "LogSigmoid()"),
    ]
    for m, text in cases:
        assert repr(m) == text
    x = act_input()
    xn = x.detach().numpy()
    np.testing.assert_allclose(nn.ReLU6()(x).detach().numpy(), np.clip(xn, 0, 6))
    np.testing.assert_allclose(nn.SiLU()(x).detach().numpy(), xn / (1 + np.exp(-xn)), rtol=1e-12)
    np.testing.assert_allclose(nn.Hardswish()(x).detach().numpy(), xn * np.clip(xn + 3, 0, 6) / 6, rtol=1e-12)
    p = nn.PReLU()
    assert p.weight.shape == (1,) and p.weight.item() == pytest.approx(0.25)
    np.testing.assert_allclose(p.double()(x).detach().numpy(), np.where(xn > 0, xn, 0.25 * xn), rtol=1e-12)


@needs_elementwise_grad
def test_prelu_module_gradient():
    x = act_input()
    p = nn.PReLU().double()
    p(x).sum().backward()
    xn = x.detach().numpy()
    assert p.weight.grad.item() == pytest.approx(xn[xn < 0].sum(), rel=1e-12)


def test_loss_modules():
    x = rand(4, 3)
    t = ember.tensor([2, 0, 1, 2])
    w = ember.tensor([0.5, 1.0, 2.0], dtype=ember.float64)
    ce = nn.CrossEntropyLoss(weight=w, label_smoothing=0.1)
    assert "weight" in dict(ce.named_buffers())
    assert ce(x, t).item() == pytest.approx(F.cross_entropy(x, t, w, label_smoothing=0.1).item())
    assert nn.NLLLoss(reduction="sum")(x, t).item() == pytest.approx(F.nll_loss(x, t, reduction="sum").item())
    ce(x, t).backward()
    assert x.grad.shape == (4, 3)


def test_small_cnn_trains():
    # A few SGD steps of conv -> bn -> relu -> pool -> linear reduce the loss.
    ember.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(4 * 2 * 2, 3)).double()
    x = rand(6, 1, 4, 4, requires_grad=False)
    t = ember.tensor([0, 1, 2, 0, 1, 2])
    losses = []
    for _ in range(5):
        loss = F.cross_entropy(model(x), t)
        losses.append(loss.item())
        for p in model.parameters():
            p.grad = None
        loss.backward()
        with ember.no_grad():
            for p in model.parameters():
                p.sub_(0.1 * p.grad)
    assert losses[-1] < losses[0]


def test_readme_layers_example_runs():
    import pathlib
    import re

    text = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = text.split("## Neural networks", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    namespace = {}
    for code in blocks:
        exec(compile(code, "README nn", "exec"), namespace)  # noqa: S102
    cnn = namespace["cnn"]
    assert cnn[0].weight.grad.shape == (8, 1, 3, 3) and cnn[1].weight.grad.shape == (8,)
    # Two forwards in training mode: the loss and the gradient-penalty example.
    assert cnn[1].num_batches_tracked.item() == 2 and cnn[1].running_mean.abs().sum().item() > 0
    assert namespace["penalty"].grad_fn is not None and namespace["gx"].shape == (4, 1, 8, 8)
