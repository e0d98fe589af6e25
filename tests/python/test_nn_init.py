"""ember.nn.init: gains, fans, and the distributions of every initialiser,
checked with fixed seeds against tolerances derived from the sample size."""
import math

import numpy as np
import pytest

import ember
import ember.nn as nn
from ember.nn import init


def _np(t):
    return t.detach().numpy().astype(np.float64).ravel()


def _check_moments(values, mean, std, z=5.0):
    """Sample mean within z standard errors; sample std within 2% (n >= 1e4)."""
    n = values.size
    assert abs(values.mean() - mean) < z * std / math.sqrt(n), (values.mean(), mean)
    assert abs(values.std() - std) < 0.02 * std, (values.std(), std)


def test_calculate_gain():
    assert init.calculate_gain("linear") == 1
    assert init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("leaky_relu", 1) == pytest.approx(1.0)
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        init.calculate_gain("gelu")


def test_fan_in_and_fan_out():
    assert init._calculate_fan_in_and_fan_out(ember.empty(5, 3)) == (3, 5)
    assert init._calculate_fan_in_and_fan_out(ember.empty(8, 4, 3, 2)) == (24, 48)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(ember.empty(3))
    with pytest.raises(ValueError, match=r"Mode fan_avg not supported, please use one of \['fan_in', 'fan_out'\]"):
        init.kaiming_uniform_(ember.empty(3, 3), mode="fan_avg")


def test_uniform_and_normal():
    ember.manual_seed(0)
    t = ember.empty(200, 100)
    assert init.uniform_(t, -2.0, 3.0) is t
    v = _np(t)
    assert v.min() >= -2.0 and v.max() <= 3.0
    _check_moments(v, 0.5, 5 / math.sqrt(12))
    init.normal_(t, 1.5, 0.5)
    _check_moments(_np(t), 1.5, 0.5)


def test_generator_makes_draws_reproducible():
    a, b = ember.empty(100), ember.empty(100)
    init.normal_(a, generator=ember.Generator().manual_seed(7))
    init.normal_(b, generator=ember.Generator().manual_seed(7))
    np.testing.assert_array_equal(_np(a), _np(b))


def test_constant_ones_zeros_eye():
    t = ember.empty(2, 3)
    assert init.constant_(t, 2.5).tolist() == [[2.5] * 3] * 2
    assert init.ones_(t).tolist() == [[1.0] * 3] * 2
    assert init.zeros_(t).tolist() == [[0.0] * 3] * 2
    np.testing.assert_array_equal(_np(init.eye_(t)), np.eye(2, 3).ravel())
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.eye_(ember.empty(2, 2, 2))


def test_init_on_parameters_keeps_identity_and_requires_grad():
    p = nn.Parameter(ember.empty(3, 4))
    assert init.ones_(p) is p and p.requires_grad
    assert init.kaiming_normal_(p) is p and isinstance(p, nn.Parameter)


def test_dirac():
    w = ember.empty(4, 2, 3, 3)
    init.dirac_(w)
    ref = np.zeros((4, 2, 3, 3))
    ref[0, 0, 1, 1] = ref[1, 1, 1, 1] = 1
    np.testing.assert_array_equal(w.numpy(), ref)
    w = ember.empty(4, 2, 5)
    init.dirac_(w, groups=2)
    ref = np.zeros((4, 2, 5))
    ref[0, 0, 2] = ref[1, 1, 2] = ref[2, 0, 2] = ref[3, 1, 2] = 1
    np.testing.assert_array_equal(w.numpy(), ref)
    with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions are supported"):
        init.dirac_(ember.empty(3, 3))
    with pytest.raises(ValueError, match="dim 0 must be divisible by groups"):
        init.dirac_(ember.empty(3, 3, 3), groups=2)


def test_xavier():
    ember.manual_seed(1)
    t = ember.empty(300, 200)
    std = 2.0 * math.sqrt(2.0 / (300 + 200))
    init.xavier_uniform_(t, gain=2.0)
    v = _np(t)
    bound = math.sqrt(3) * std
    assert v.min() >= -bound and v.max() <= bound and v.max() > 0.99 * bound
    _check_moments(v, 0.0, std)
    init.xavier_normal_(t)
    _check_moments(_np(t), 0.0, math.sqrt(2.0 / 500))


def test_kaiming():
    ember.manual_seed(2)
    t = ember.empty(100, 50, 3, 3)  # fan_in 450, fan_out 900
    init.kaiming_uniform_(t, nonlinearity="relu")
    std = math.sqrt(2) / math.sqrt(450)
    v = _np(t)
    assert np.abs(v).max() <= math.sqrt(3) * std
    _check_moments(v, 0.0, std)
    init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu")
    _check_moments(_np(t), 0.0, math.sqrt(2) / math.sqrt(900))
    init.kaiming_normal_(t, a=0.1)  # leaky_relu with slope 0.1
    _check_moments(_np(t), 0.0, math.sqrt(2 / 1.01) / math.sqrt(450))
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        init.kaiming_uniform_(ember.empty(0, 3))


def test_trunc_normal():
    ember.manual_seed(3)
    t = ember.empty(100_000)
    init.trunc_normal_(t, mean=1.0, std=2.0, a=0.0, b=3.0)
    v = _np(t)
    assert v.min() >= 0.0 and v.max() <= 3.0
    # Moments of N(1, 2^2) truncated to [0, 3]: alpha = -0.5, beta = 1.
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2  # noqa: E731
    al, be = -0.5, 1.0
    z = cdf(be) - cdf(al)
    mean = 1.0 + 2.0 * (phi(al) - phi(be)) / z
    var = 4.0 * (1 + (al * phi(al) - be * phi(be)) / z - ((phi(al) - phi(be)) / z) ** 2)
    _check_moments(v, mean, math.sqrt(var))
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        init.trunc_normal_(ember.empty(10), mean=10.0)


def test_orthogonal():
    ember.manual_seed(4)
    for rows, cols in ((6, 4), (4, 6), (5, 5)):
        t = ember.empty(rows, cols, dtype=ember.float64)
        init.orthogonal_(t, gain=1.5)
        w = t.numpy()
        if rows >= cols:
            np.testing.assert_allclose(w.T @ w, 2.25 * np.eye(cols), atol=1e-10)
        else:
            np.testing.assert_allclose(w @ w.T, 2.25 * np.eye(rows), atol=1e-10)
    conv = ember.empty(4, 2, 2, 2)
    init.orthogonal_(conv)
    flat = conv.numpy().reshape(4, 8).astype(np.float64)
    np.testing.assert_allclose(flat @ flat.T, np.eye(4), atol=1e-5)
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        init.orthogonal_(ember.empty(3))
