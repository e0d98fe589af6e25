"""ember.optim with real gradients from autograd: least squares trained by
SGD, Adam and LBFGS reaches NumPy's lstsq solution. Needs the autograd
layer (ember.enable_grad and Tensor.backward); on a branch without it this
file is skipped as a whole."""
import numpy as np
import pytest

import ember
import ember.optim as optim

pytestmark = pytest.mark.skipif(not hasattr(ember, "enable_grad"), reason="needs the autograd layer")

RNG = np.random.default_rng(7)
X = RNG.standard_normal((32, 3))
Y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.01 * RNG.standard_normal(32)
SOLUTION = np.linalg.lstsq(np.c_[X, np.ones(32)], Y, rcond=None)[0]


def model():
    w = ember.zeros(3, dtype=ember.float64, requires_grad=True)
    b = ember.zeros(1, dtype=ember.float64, requires_grad=True)
    x, y = ember.tensor(X), ember.tensor(Y)

    def loss_fn():
        r = x @ w + b - y
        return (r * r).mean()

    return w, b, loss_fn


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: optim.Adam(ps, lr=0.05)])
def test_first_order_optimizers_fit_least_squares(make):
    w, b, loss_fn = model()
    opt = make([w, b])
    for _ in range(600):
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        opt.step()
    assert w.grad_fn is None and w.is_leaf and w.requires_grad
    np.testing.assert_allclose(np.r_[w.detach().numpy(), b.detach().numpy()], SOLUTION, atol=1e-3)


def test_lbfgs_fits_least_squares():
    w, b, loss_fn = model()
    opt = optim.LBFGS([w, b], max_iter=100, tolerance_grad=1e-12, tolerance_change=1e-15,
                      line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
    np.testing.assert_allclose(np.r_[w.detach().numpy(), b.detach().numpy()], SOLUTION, atol=1e-6)
