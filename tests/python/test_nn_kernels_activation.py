"""Activations and their backward ops against NumPy formulas and float64
finite differences; in-place forms, float16/bfloat16, top-level names."""
import math

import numpy as np
import pytest

import ember
from test_nn_kernels_util import N, T, check_directional, nn, noncontig

RNG = np.random.default_rng(4)
erf = np.vectorize(math.erf)
SELU_A, SELU_S = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def softplus_ref(x, beta=1.0, th=20.0):
    return np.where(x * beta > th, x, np.log1p(np.exp(x * beta)) / beta)


def sig(x):
    return 1 / (1 + np.exp(-x))


# name -> (forward, backward or None, NumPy reference, in-place forward or None)
ACTS = {
    "relu": (nn.relu, lambda g, x: nn.threshold_backward(g, x, 0.0), lambda x: np.maximum(x, 0), nn.relu_),
    "relu6": (nn.relu6, lambda g, x: nn.hardtanh_backward(g, x, 0.0, 6.0), lambda x: np.clip(x, 0, 6), nn.relu6_),
    "threshold": (lambda x: nn.threshold(x, 0.5, -2.0), lambda g, x: nn.threshold_backward(g, x, 0.5),
                  lambda x: np.where(x <= 0.5, -2.0, x), lambda x: nn.threshold_(x, 0.5, -2.0)),
    "hardtanh": (lambda x: nn.hardtanh(x, -0.5, 1.5), lambda g, x: nn.hardtanh_backward(g, x, -0.5, 1.5),
                 lambda x: np.clip(x, -0.5, 1.5), lambda x: nn.hardtanh_(x, -0.5, 1.5)),
    "leaky_relu": (lambda x: nn.leaky_relu(x, 0.2), lambda g, x: nn.leaky_relu_backward(g, x, 0.2, False),
                   lambda x: np.where(x > 0, x, 0.2 * x), lambda x: nn.leaky_relu_(x, 0.2)),
    "elu": (lambda x: nn.elu(x, 0.7, 1.3, 0.9), lambda g, x: nn.elu_backward(g, 0.7, 1.3, 0.9, False, x),
            lambda x: np.where(x > 0, 1.3 * x, 0.7 * 1.3 * np.expm1(0.9 * x)), lambda x: nn.elu_(x, 0.7, 1.3, 0.9)),
    "selu": (nn.selu, lambda g, x: nn.elu_backward(g, SELU_A, SELU_S, 1.0, False, x),
             lambda x: SELU_S * np.where(x > 0, x, SELU_A * np.expm1(x)), nn.selu_),
    "celu": (lambda x: nn.celu(x, 1.5), lambda g, x: nn.elu_backward(g, 1.5, 1.0, 1 / 1.5, False, x),
             lambda x: np.maximum(x, 0) + np.minimum(0, 1.5 * np.expm1(x / 1.5)), lambda x: nn.celu_(x, 1.5)),
    "gelu": (nn.gelu, lambda g, x: nn.gelu_backward(g, x), lambda x: 0.5 * x * (1 + erf(x / np.sqrt(2))), None),
    "gelu_tanh": (lambda x: nn.gelu(x, "tanh"), lambda g, x: nn.gelu_backward(g, x, "tanh"),
                  lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3))), None),
    "silu": (nn.silu, nn.silu_backward, lambda x: x * sig(x), nn.silu_),
    "mish": (nn.mish, nn.mish_backward, lambda x: x * np.tanh(np.log1p(np.exp(x))), nn.mish_),
    "softplus": (lambda x: nn.softplus(x, 2.0, 3.0), lambda g, x: nn.softplus_backward(g, x, 2.0, 3.0),
                 lambda x: softplus_ref(x, 2.0, 3.0), None),
    "hardsigmoid": (nn.hardsigmoid, nn.hardsigmoid_backward, lambda x: np.clip(x + 3, 0, 6) / 6, nn.hardsigmoid_),
    "hardswish": (nn.hardswish, nn.hardswish_backward, lambda x: x * np.clip(x + 3, 0, 6) / 6, nn.hardswish_),
    "softsign": (nn.softsign, nn.softsign_backward, lambda x: x / (1 + np.abs(x)), None),
    "hardshrink": (lambda x: nn.hardshrink(x, 1.5), lambda g, x: nn.hardshrink_backward(g, x, 1.5),
                   lambda x: np.where(np.abs(x) <= 1.5, 0.0, x), None),
    "softshrink": (lambda x: nn.softshrink(x, 1.5), lambda g, x: nn.softshrink_backward(g, x, 1.5),
                   lambda x: np.sign(x) * np.maximum(np.abs(x) - 1.5, 0.0), None),
    "log_sigmoid": (nn.log_sigmoid, nn.log_sigmoid_backward, lambda x: -np.logaddexp(0, -x), None),
}


def sample(shape=(4, 7)):
    # Values away from the kinks (0, +-3, thresholds) so finite differences are smooth.
    x = RNG.uniform(-5, 5, size=shape)
    for kink in (0.0, 0.5, -0.5, 1.5, -1.5, 3.0, -3.0, 6.0):
        x = np.where(np.abs(x - kink) < 1e-3, x + 0.01, x)
    return x


@pytest.mark.parametrize("name", sorted(ACTS))
def test_activation_forward(name):
    fwd, _, ref, _ = ACTS[name]
    x = sample()
    np.testing.assert_allclose(N(fwd(T(x))), ref(x), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(N(fwd(noncontig(x, ember.float32))), ref(x), rtol=2e-6, atol=1e-6)
    for dt, tol in ((ember.float16, 2e-3), (ember.bfloat16, 1.6e-2)):
        xs = T(x, dt)
        y = fwd(xs)
        assert y.dtype == dt
        np.testing.assert_allclose(N(y), ref(N(xs)), rtol=tol, atol=tol)


@pytest.mark.parametrize("name", sorted(ACTS))
def test_activation_backward(name):
    fwd, bwd, _, _ = ACTS[name]
    x = sample((3, 5))
    check_directional(lambda a: N(fwd(T(a[0]))), lambda g, a: [N(bwd(T(g), T(a[0])))], [x], RNG)
    g32 = bwd(T(np.ones((3, 5)), ember.float32), T(x, ember.float32))
    assert g32.dtype == ember.float32


@pytest.mark.parametrize("name", sorted(n for n in ACTS if ACTS[n][3] is not None))
def test_activation_inplace(name):
    fwd, _, ref, inplace = ACTS[name]
    x = sample()
    t = T(x)
    v = t.view(-1)
    r = inplace(t)
    assert r is t or r.data_ptr() == t.data_ptr()
    np.testing.assert_allclose(N(v).reshape(x.shape), ref(x), rtol=1e-12, atol=1e-14)


def test_backward_from_result():
    x = sample()
    g = RNG.standard_normal(x.shape)
    y = nn.elu(T(x), 0.7, 1.3, 0.9)
    np.testing.assert_allclose(N(nn.elu_backward(T(g), 0.7, 1.3, 0.9, True, y)),
                               N(nn.elu_backward(T(g), 0.7, 1.3, 0.9, False, T(x))), rtol=1e-12)
    y = nn.leaky_relu(T(x), 0.2)
    np.testing.assert_allclose(N(nn.leaky_relu_backward(T(g), y, 0.2, True)),
                               N(nn.leaky_relu_backward(T(g), T(x), 0.2, False)))


def test_nan_passes_through_and_relu_takes_integers():
    x = T(np.array([np.nan, -1.0, 2.0]))
    for f in (nn.relu, nn.relu6, nn.hardtanh, nn.leaky_relu, nn.gelu, nn.silu):
        assert np.isnan(N(f(x))[0])
    r = ember.relu(T(np.array([-2, 3]), ember.int32))
    assert r.dtype == ember.int32 and r.tolist() == [0, 3]


def test_top_level_names_and_methods():
    x = sample()
    np.testing.assert_allclose(N(ember.relu(T(x))), np.maximum(x, 0))
    np.testing.assert_allclose(N(T(x).relu()), np.maximum(x, 0))
    t = T(x)
    t.relu_()
    np.testing.assert_allclose(N(t), np.maximum(x, 0))
    np.testing.assert_allclose(N(ember.selu(T(x))), ACTS["selu"][2](x), rtol=1e-12)
    np.testing.assert_allclose(N(ember.celu(T(x), 1.5)), ACTS["celu"][2](x), rtol=1e-12)
    np.testing.assert_allclose(N(ember.threshold(T(x), 0.5, -2.0)), ACTS["threshold"][2](x))


def test_activation_errors():
    with pytest.raises(TypeError, match=r"\[gelu\] expected a floating point input"):
        nn.gelu(T(np.array([1, 2])))
    with pytest.raises(ValueError, match="approximate argument must be either none or tanh"):
        nn.gelu(T(np.array([1.0])), "fast")
    with pytest.raises(TypeError, match="relu"):
        ember.relu(ember.tensor([True, False]))
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        nn.hardtanh(T(np.array([1.0])), 2.0, 1.0)
    with pytest.raises(RuntimeError, match="lambda must be greater or equal to 0, but found to be -1"):
        nn.softshrink(T(np.array([1.0])), -1.0)
    big = N(nn.log_sigmoid(T(np.array([-800.0, 800.0]))))
    np.testing.assert_allclose(big, [-800.0, 0.0])
    with pytest.raises(RuntimeError, match="does not match"):
        nn.silu_backward(T(np.ones(3)), T(np.ones(4)))
    with pytest.raises(RuntimeError, match="negative slope"):
        nn.leaky_relu_backward(T(np.ones(3)), T(np.ones(3)), -0.1, True)
    with pytest.raises(TypeError, match=r"\[silu_\] expected a floating point input, but got dtype int64"):
        nn.silu_(T(np.array([1, -2])))
