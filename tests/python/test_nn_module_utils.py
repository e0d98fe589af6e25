"""ember.nn.utils: clip_grad_norm_, clip_grad_value_, parameters_to_vector,
vector_to_parameters, with gradients set by hand."""
import math

import numpy as np
import pytest

import ember
import ember.nn as nn
from ember.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters


def _params_with_grads(*grads):
    params = []
    for g in grads:
        p = nn.Parameter(ember.zeros(len(g), dtype=ember.float64))
        p.grad = ember.tensor(g, dtype=ember.float64)
        params.append(p)
    return params


def test_clip_grad_norm_scales_to_max_norm():
    params = _params_with_grads([3.0, 0.0], [0.0, 4.0])  # total 2-norm 5
    total = clip_grad_norm_(params, max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(params[0].grad.numpy(), [3 * coef, 0.0], rtol=1e-12)
    np.testing.assert_allclose(params[1].grad.numpy(), [0.0, 4 * coef], rtol=1e-12)


def test_clip_grad_norm_leaves_small_gradients():
    params = _params_with_grads([0.3, 0.4])
    total = clip_grad_norm_(params, 1.0)
    assert total.item() == pytest.approx(0.5)
    np.testing.assert_allclose(params[0].grad.numpy(), [0.3, 0.4], rtol=1e-15)  # coefficient clamped to 1


@pytest.mark.parametrize("norm_type,expected", [(1, 10.0), (3, (1 + 8 + 27 + 64) ** (1 / 3)), ("inf", 4.0),
                                                (float("inf"), 4.0)])
def test_clip_grad_norm_types(norm_type, expected):
    params = _params_with_grads([1.0, -2.0], [3.0, -4.0])
    total = clip_grad_norm_(params, 2.0, norm_type=norm_type)
    assert total.item() == pytest.approx(expected)
    np.testing.assert_allclose(params[1].grad.numpy(), np.array([3.0, -4.0]) * 2.0 / (expected + 1e-6),
                               rtol=1e-12)


def test_clip_grad_norm_skips_missing_grads_and_accepts_generators():
    lin = nn.Linear(2, 1)
    lin.weight.grad = ember.tensor([[6.0, 8.0]])
    total = clip_grad_norm_(lin.parameters(), 5.0)  # bias has no grad
    assert total.item() == pytest.approx(10.0)
    np.testing.assert_allclose(lin.weight.grad.numpy(), [[3.0, 4.0]], rtol=1e-5)
    assert lin.bias.grad is None
    assert clip_grad_norm_([], 1.0).item() == 0.0
    single = nn.Parameter(ember.zeros(1))
    single.grad = ember.tensor([2.0])
    assert clip_grad_norm_(single, 1.0, foreach=True).item() == 2.0  # a single tensor is accepted


def test_clip_grad_norm_nonfinite():
    params = _params_with_grads([math.inf, 1.0])
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 for gradients from `parameters` is "
                                           "non-finite, so it cannot be clipped"):
        clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    total = clip_grad_norm_(params, 1.0)
    assert math.isinf(total.item())


def test_clip_grad_value():
    params = _params_with_grads([-3.0, 0.5, 2.0])
    clip_grad_value_(params, 1.0)
    assert params[0].grad.tolist() == [-1.0, 0.5, 1.0]


def test_parameters_to_vector_and_back():
    lin = nn.Linear(3, 2)
    vec = parameters_to_vector(lin.parameters())
    assert vec.shape == (8,)
    np.testing.assert_array_equal(vec.detach().numpy(), np.concatenate([lin.weight.detach().numpy().ravel(),
                                                               lin.bias.detach().numpy()]))
    w = lin.weight
    vector_to_parameters(ember.arange(8, dtype=ember.float32), lin.parameters())
    assert lin.weight is w  # written in place
    assert lin.weight.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert lin.bias.tolist() == [6.0, 7.0]
    with pytest.raises(TypeError, match="expected ember.Tensor, but got: list"):
        vector_to_parameters([1.0], lin.parameters())
    with pytest.raises(ValueError, match=r"\[vector_to_parameters\] the vector has 7 elements but the parameters "
                                         "need 8"):
        vector_to_parameters(ember.zeros(7), lin.parameters())
