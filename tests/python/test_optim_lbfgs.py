"""ember.optim.LBFGS (the algorithm runs in C++ and calls back into the
closure): iterates against a NumPy transcription of PyTorch's L-BFGS, and
convergence to known minima with and without the strong Wolfe line search.
Gradients are written by hand in the closures."""
import numpy as np
import pytest

import ember
import ember.optim as optim

A = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
B = np.array([1.0, -2.0, 0.5])
X_STAR = np.linalg.solve(A, B)


def quadratic(x):
    """f(x) = x.A.x / 2 - b.x and its gradient."""
    return 0.5 * x @ A @ x - B @ x, A @ x - B


def rosenbrock(x):
    a, b = x
    f = (1 - a) ** 2 + 100 * (b - a * a) ** 2
    return f, np.array([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])


def closure_for(p, fn, counter=None):
    def closure():
        if counter is not None:
            counter.append(1)
        f, g = fn(p.numpy().astype(np.float64).reshape(-1))
        p.grad = ember.tensor(g.reshape(tuple(p.shape)), dtype=p.dtype)
        return ember.tensor(f, dtype=ember.float64)
    return closure


def ref_lbfgs_step(x, fn, state, lr=1.0, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                   tolerance_change=1e-9, history_size=100):
    """PyTorch's LBFGS.step without line search, in NumPy."""
    max_eval = max_iter * 5 // 4 if max_eval is None else max_eval
    f, g = fn(x)
    evals = 1
    if np.abs(g).max() <= tolerance_grad:
        return
    s_ = state
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        s_["n_iter"] = s_.get("n_iter", 0) + 1
        if s_["n_iter"] == 1:
            d = -g
            s_["dirs"], s_["stps"], s_["ro"], s_["H"] = [], [], [], 1.0
        else:
            y = g - s_["prev_g"]
            s = s_["d"] * s_["t"]
            ys = y @ s
            if ys > 1e-10:
                if len(s_["dirs"]) == history_size:
                    s_["dirs"].pop(0), s_["stps"].pop(0), s_["ro"].pop(0)
                s_["dirs"].append(y), s_["stps"].append(s), s_["ro"].append(1.0 / ys)
                s_["H"] = ys / (y @ y)
            q = -g
            al = [0.0] * len(s_["dirs"])
            for i in reversed(range(len(s_["dirs"]))):
                al[i] = s_["stps"][i] @ q * s_["ro"][i]
                q = q - al[i] * s_["dirs"][i]
            r = q * s_["H"]
            for i in range(len(s_["dirs"])):
                be = s_["dirs"][i] @ r * s_["ro"][i]
                r = r + s_["stps"][i] * (al[i] - be)
            d = r
        s_["d"] = d
        s_["prev_g"], prev_f = g.copy(), f
        t = min(1.0, 1.0 / np.abs(g).sum()) * lr if s_["n_iter"] == 1 else lr
        s_["t"] = t
        if g @ d > -tolerance_change:
            break
        x += t * d
        ls = 0
        if n_iter != max_iter:
            f, g = fn(x)
            ls = 1
        evals += ls
        if n_iter == max_iter or evals >= max_eval or np.abs(g).max() <= tolerance_grad:
            break
        if np.abs(d * t).max() <= tolerance_change or abs(f - prev_f) < tolerance_change:
            break


@pytest.mark.parametrize("opts", [dict(max_iter=3), dict(max_iter=4, history_size=2), dict(max_iter=5, lr=0.5)])
def test_iterates_match_reference(opts):
    x0 = np.array([2.0, -1.0, 0.5])
    p = ember.tensor(x0, dtype=ember.float64)
    opt = optim.LBFGS([p], **opts)
    ref_x, ref_state = x0.copy(), {}
    for _ in range(3):
        opt.step(closure_for(p, quadratic))
        ref_lbfgs_step(ref_x, quadratic, ref_state, **opts)
        np.testing.assert_allclose(p.numpy(), ref_x, rtol=1e-12, atol=1e-14)
    assert opt.state[p]["n_iter"] == ref_state["n_iter"]


def test_hand_worked_first_iteration():
    # One iteration from x0 = 0: g = -b, t = min(1, 1/|b|_1) * lr, x1 = t * b.
    p = ember.zeros(3, dtype=ember.float64)
    optim.LBFGS([p], lr=1.0, max_iter=1).step(closure_for(p, quadratic))
    np.testing.assert_allclose(p.numpy(), B / np.abs(B).sum(), rtol=1e-15)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_quadratic_converges_to_the_minimum(line_search_fn):
    p = ember.tensor([2.0, -1.0, 0.5], dtype=ember.float64)
    opt = optim.LBFGS([p], max_iter=50, tolerance_grad=1e-12, tolerance_change=1e-14,
                      line_search_fn=line_search_fn)
    for _ in range(5):
        opt.step(closure_for(p, quadratic))
    np.testing.assert_allclose(p.numpy(), X_STAR, rtol=0, atol=1e-8)


def test_rosenbrock_with_strong_wolfe():
    p = ember.tensor([-1.5, 2.0], dtype=ember.float64)
    opt = optim.LBFGS([p], lr=1.0, max_iter=100, line_search_fn="strong_wolfe", tolerance_grad=1e-10,
                      tolerance_change=1e-14)
    for _ in range(5):
        opt.step(closure_for(p, rosenbrock))
    np.testing.assert_allclose(p.numpy(), [1.0, 1.0], atol=1e-6)


def test_strong_wolfe_accepts_a_step_meeting_the_conditions():
    # On a quadratic, the first line search must return a step satisfying
    # the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9) along d = -g.
    x0 = np.array([2.0, -1.0, 0.5])
    p = ember.tensor(x0, dtype=ember.float64)
    optim.LBFGS([p], max_iter=1, line_search_fn="strong_wolfe").step(closure_for(p, quadratic))
    f0, g0 = quadratic(x0)
    step = p.numpy() - x0
    d = -g0
    t = step @ d / (d @ d)
    np.testing.assert_allclose(step, t * d, rtol=1e-12)
    f1, g1 = quadratic(p.numpy())
    assert f1 <= f0 + 1e-4 * t * (g0 @ d)
    assert abs(g1 @ d) <= 0.9 * abs(g0 @ d)


def test_returns_first_loss_counts_evaluations_and_respects_max_eval():
    p = ember.tensor([2.0, -1.0, 0.5], dtype=ember.float64)
    calls = []
    opt = optim.LBFGS([p], max_iter=10, max_eval=4)
    loss = opt.step(closure_for(p, quadratic, calls))
    assert loss.item() == pytest.approx(quadratic(np.array([2.0, -1.0, 0.5]))[0])
    assert len(calls) == 4 and opt.state[p]["func_evals"] == 4


def test_stops_at_once_when_the_gradient_is_small():
    p = ember.tensor(X_STAR, dtype=ember.float64)
    calls = []
    optim.LBFGS([p]).step(closure_for(p, quadratic, calls))
    assert len(calls) == 1
    np.testing.assert_array_equal(p.numpy(), X_STAR)


def test_several_parameters_of_mixed_shapes_and_float32():
    # The flat vector spans a (2, 2) float32 matrix and a float32 vector.
    a = ember.tensor([[1.0, 0.0], [0.0, 0.0]], dtype=ember.float32)
    b = ember.tensor([0.0, 0.0], dtype=ember.float32)
    target = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])

    def closure():
        x = np.concatenate([a.numpy().reshape(-1), b.numpy()]).astype(np.float64)
        g = 2 * (x - target)
        a.grad = ember.tensor(g[:4].reshape(2, 2), dtype=ember.float32)
        b.grad = ember.tensor(g[4:], dtype=ember.float32)
        return ember.tensor(((x - target) ** 2).sum())

    opt = optim.LBFGS([a, b], line_search_fn="strong_wolfe")
    for _ in range(3):
        opt.step(closure)
    np.testing.assert_allclose(a.numpy().reshape(-1), target[:4], atol=1e-5)
    np.testing.assert_allclose(b.numpy(), target[4:], atol=1e-5)


def test_state_dict_round_trip():
    x0 = np.array([2.0, -1.0, 0.5])
    straight = ember.tensor(x0, dtype=ember.float64)
    opt = optim.LBFGS([straight], max_iter=2)
    for _ in range(4):
        opt.step(closure_for(straight, quadratic))

    first = ember.tensor(x0, dtype=ember.float64)
    opt1 = optim.LBFGS([first], max_iter=2)
    for _ in range(2):
        opt1.step(closure_for(first, quadratic))
    sd = opt1.state_dict()
    assert set(sd["state"][0]) >= {"func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag",
                                   "prev_flat_grad", "prev_loss"}
    resumed = first.clone()
    opt2 = optim.LBFGS([resumed], max_iter=2)
    opt2.load_state_dict(sd)
    for _ in range(2):
        opt2.step(closure_for(resumed, quadratic))
    np.testing.assert_array_equal(resumed.numpy(), straight.numpy())


def test_errors():
    p = ember.tensor([1.0], dtype=ember.float64)
    with pytest.raises(ValueError, match="line_search_fn must be None or 'strong_wolfe'"):
        optim.LBFGS([p], line_search_fn="armijo")
    with pytest.raises(ValueError, match="requires a closure"):
        optim.LBFGS([p]).step(None)

    def bad_closure():
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        optim.LBFGS([p]).step(bad_closure)
    np.testing.assert_array_equal(p.numpy(), [1.0])
