"""Gradients through ember.nn once the autograd engine is present: backward
fills Parameter.grad, zero_grad/clip_grad_norm_ act on real gradients, and
the composed functions pass float64 finite-difference checks (gradcheck).
On a branch without the engine these tests are skipped."""
import numpy as np
import pytest

import ember
import ember.nn as nn
import ember.nn.functional as F

if not hasattr(ember.Tensor, "backward"):
    pytest.skip("the autograd engine (Tensor.backward) is not in this build", allow_module_level=True)

from ember.autograd import gradcheck  # noqa: E402


def R(*shape):
    return ember.randn(*shape, dtype=ember.float64, requires_grad=True)


def test_backward_fills_parameter_grads_of_a_linear_layer():
    ember.manual_seed(0)
    lin = nn.Linear(3, 2).double()
    x = ember.randn(4, 3, dtype=ember.float64)
    target = ember.randn(4, 2, dtype=ember.float64)
    F.mse_loss(lin(x), target, reduction="sum").backward()
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    resid = x.numpy() @ w.T + b - target.numpy()
    np.testing.assert_allclose(lin.weight.grad.numpy(), 2 * resid.T @ x.numpy(), rtol=1e-10)
    np.testing.assert_allclose(lin.bias.grad.numpy(), 2 * resid.sum(0), rtol=1e-10)
    total = nn.utils.clip_grad_norm_(lin.parameters(), 1e-3)
    expected = np.linalg.norm(np.concatenate([(2 * resid.T @ x.numpy()).ravel(), 2 * resid.sum(0)]))
    assert total.item() == pytest.approx(expected, rel=1e-10)
    grads = np.concatenate([lin.weight.grad.numpy().ravel(), lin.bias.grad.numpy()])
    assert np.linalg.norm(grads) == pytest.approx(1e-3, rel=1e-5)
    lin.zero_grad()
    assert lin.weight.grad is None and lin.bias.grad is None


def test_shared_parameter_accumulates_both_uses():
    lin = nn.Linear(2, 2, bias=False).double()
    seq = nn.Sequential(lin, lin)
    x = ember.randn(1, 2, dtype=ember.float64)
    seq(x).sum().backward()
    w = lin.weight.detach().numpy()
    # d/dW sum(W W x) = 1 (W x)^T + W^T 1 x^T
    ones = np.ones((2, 1))
    expected = ones @ (w @ x.numpy().T).T + (w.T @ ones) @ x.numpy()
    np.testing.assert_allclose(lin.weight.grad.numpy(), expected, rtol=1e-10)


def test_init_and_load_state_dict_work_on_parameters_requiring_grad():
    lin = nn.Linear(2, 2)
    nn.init.zeros_(lin.weight)  # in place on a leaf that requires grad: runs under no_grad
    lin.load_state_dict({"weight": ember.ones(2, 2), "bias": ember.zeros(2)})
    assert lin.weight.requires_grad and lin.weight.grad_fn is None
    assert lin.weight.tolist() == [[1.0, 1.0], [1.0, 1.0]]


@pytest.mark.parametrize("name,fn,inputs", [
    ("linear", F.linear, lambda: (R(3, 4), R(2, 4), R(2))),
    ("bilinear", F.bilinear, lambda: (R(3, 2), R(3, 4), R(5, 2, 4), R(5))),
    ("mse_loss", lambda x, t: F.mse_loss(x, t), lambda: (R(3, 4), R(3, 4))),
    ("pad_constant", lambda x: F.pad(x, (1, 2, -1, 1), value=0.5), lambda: (R(3, 4),)),
    ("pixel_shuffle", lambda x: F.pixel_shuffle(x, 2), lambda: (R(1, 8, 2, 3),)),
    ("pixel_unshuffle", lambda x: F.pixel_unshuffle(x, 2), lambda: (R(1, 2, 4, 6),)),
    ("softmax", lambda x: F.softmax(x, 1), lambda: (R(3, 4),)),
    ("log_softmax", lambda x: F.log_softmax(x, 0), lambda: (R(3, 4),)),
])
def test_gradcheck_compositions(name, fn, inputs):
    ember.manual_seed(1)
    assert gradcheck(fn, inputs())
