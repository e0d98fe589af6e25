"""ember.optim's update rules against NumPy implementations of PyTorch's
published algorithms (the pseudocode on each optimizer's docs page), a few
steps each, float64 parameters and hand-set gradients."""
import itertools

import numpy as np
import pytest

import ember
import ember.optim as optim

STEPS = 6


# ---- NumPy references: one step, updating p and the state dict in place.
def ref_sgd(p, g, st, t, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False):
    g = -g if maximize else g.copy()
    if weight_decay:
        g = g + weight_decay * p
    if momentum:
        st["b"] = g.copy() if t == 1 else momentum * st["b"] + (1 - dampening) * g
        g = g + momentum * st["b"] if nesterov else st["b"]
    p -= lr * g


def ref_adam(p, g, st, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
             maximize=False, decoupled=False):
    b1, b2 = betas
    g = -g if maximize else g.copy()
    if weight_decay:
        if decoupled:
            p *= 1 - lr * weight_decay
        else:
            g = g + weight_decay * p
    st.setdefault("m", np.zeros_like(p))
    st.setdefault("v", np.zeros_like(p))
    st["m"] = b1 * st["m"] + (1 - b1) * g
    st["v"] = b2 * st["v"] + (1 - b2) * g * g
    m_hat = st["m"] / (1 - b1 ** t)
    if amsgrad:
        st["vmax"] = np.maximum(st.get("vmax", np.zeros_like(p)), st["v"])
        v_hat = st["vmax"] / (1 - b2 ** t)
    else:
        v_hat = st["v"] / (1 - b2 ** t)
    p -= lr * m_hat / (np.sqrt(v_hat) + eps)


def ref_adamw(p, g, st, t, weight_decay=1e-2, **kw):
    ref_adam(p, g, st, t, weight_decay=weight_decay, decoupled=True, **kw)


def ref_adamax(p, g, st, t, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, maximize=False):
    b1, b2 = betas
    g = -g if maximize else g.copy()
    if weight_decay:
        g = g + weight_decay * p
    st["m"] = b1 * st.get("m", np.zeros_like(p)) + (1 - b1) * g
    st["u"] = np.maximum(b2 * st.get("u", np.zeros_like(p)), np.abs(g) + eps)
    p -= lr * st["m"] / ((1 - b1 ** t) * st["u"])


def ref_nadam(p, g, st, t, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
              decoupled_weight_decay=False, maximize=False):
    b1, b2 = betas
    g = -g if maximize else g.copy()
    if weight_decay:
        if decoupled_weight_decay:
            p *= 1 - lr * weight_decay
        else:
            g = g + weight_decay * p

    def mu(i):
        return b1 * (1 - 0.5 * 0.96 ** (i * momentum_decay))

    prod_t = np.prod([mu(i) for i in range(1, t + 1)])
    prod_next = prod_t * mu(t + 1)
    st["m"] = b1 * st.get("m", np.zeros_like(p)) + (1 - b1) * g
    st["v"] = b2 * st.get("v", np.zeros_like(p)) + (1 - b2) * g * g
    m_hat = mu(t + 1) * st["m"] / (1 - prod_next) + (1 - mu(t)) * g / (1 - prod_t)
    v_hat = st["v"] / (1 - b2 ** t)
    p -= lr * m_hat / (np.sqrt(v_hat) + eps)


def ref_radam(p, g, st, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
              decoupled_weight_decay=False, maximize=False):
    b1, b2 = betas
    g = -g if maximize else g.copy()
    if weight_decay:
        if decoupled_weight_decay:
            p *= 1 - lr * weight_decay
        else:
            g = g + weight_decay * p
    st["m"] = b1 * st.get("m", np.zeros_like(p)) + (1 - b1) * g
    st["v"] = b2 * st.get("v", np.zeros_like(p)) + (1 - b2) * g * g
    m_hat = st["m"] / (1 - b1 ** t)
    rho_inf = 2 / (1 - b2) - 1
    rho_t = rho_inf - 2 * t * b2 ** t / (1 - b2 ** t)
    st.setdefault("rectified", []).append(bool(rho_t > 5))
    if rho_t > 5:
        l_t = np.sqrt(1 - b2 ** t) / (np.sqrt(st["v"]) + eps)
        r_t = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        p -= lr * m_hat * r_t * l_t
    else:
        p -= lr * m_hat


def ref_rmsprop(p, g, st, t, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                maximize=False):
    g = -g if maximize else g.copy()
    if weight_decay:
        g = g + weight_decay * p
    st["v"] = alpha * st.get("v", np.zeros_like(p)) + (1 - alpha) * g * g
    v = st["v"]
    if centered:
        st["ga"] = alpha * st.get("ga", np.zeros_like(p)) + (1 - alpha) * g
        v = v - st["ga"] ** 2
    if momentum > 0:
        st["b"] = momentum * st.get("b", np.zeros_like(p)) + g / (np.sqrt(v) + eps)
        p -= lr * st["b"]
    else:
        p -= lr * g / (np.sqrt(v) + eps)


def ref_adagrad(p, g, st, t, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                maximize=False):
    g = -g if maximize else g.copy()
    clr = lr / (1 + (t - 1) * lr_decay)
    if weight_decay:
        g = g + weight_decay * p
    st["s"] = st.get("s", np.full_like(p, initial_accumulator_value)) + g * g
    p -= clr * g / (np.sqrt(st["s"]) + eps)


def ref_adadelta(p, g, st, t, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, maximize=False):
    g = -g if maximize else g.copy()
    if weight_decay:
        g = g + weight_decay * p
    st["v"] = rho * st.get("v", np.zeros_like(p)) + (1 - rho) * g * g
    u = st.get("u", np.zeros_like(p))
    dx = np.sqrt(u + eps) / np.sqrt(st["v"] + eps) * g
    st["u"] = rho * u + (1 - rho) * dx * dx
    p -= lr * dx


def combos(**options):
    """Every combination of the given option values, as dicts."""
    keys = list(options)
    return [dict(zip(keys, values)) for values in itertools.product(*options.values())]


CASES = (
    [(optim.SGD, ref_sgd, o) for o in combos(lr=[0.1], momentum=[0, 0.9], dampening=[0, 0.3],
                                             weight_decay=[0, 0.1], nesterov=[False, True], maximize=[False, True])
     if not (o["nesterov"] and (o["momentum"] == 0 or o["dampening"] != 0))]
    + [(optim.Adam, ref_adam, o) for o in combos(lr=[0.05], weight_decay=[0, 0.1], amsgrad=[False, True],
                                                 maximize=[False, True])]
    + [(optim.Adam, ref_adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-3))]
    + [(optim.AdamW, ref_adamw, o) for o in combos(lr=[0.05], weight_decay=[0, 0.1], amsgrad=[False, True],
                                                   maximize=[False, True])]
    + [(optim.Adamax, ref_adamax, o) for o in combos(lr=[0.05], weight_decay=[0, 0.1], maximize=[False, True])]
    + [(optim.Adamax, ref_adamax, dict(betas=(0.5, 0.6), eps=0.1))]
    + [(optim.NAdam, ref_nadam, o) for o in combos(lr=[0.05], weight_decay=[0, 0.1],
                                                   decoupled_weight_decay=[False, True], maximize=[False, True])]
    + [(optim.NAdam, ref_nadam, dict(momentum_decay=0.3, betas=(0.7, 0.9)))]
    + [(optim.RAdam, ref_radam, o) for o in combos(lr=[0.05], betas=[(0.9, 0.999), (0.9, 0.9)],
                                                   weight_decay=[0, 0.1], decoupled_weight_decay=[False, True],
                                                   maximize=[False, True])]
    + [(optim.RMSprop, ref_rmsprop, o) for o in combos(lr=[0.01], alpha=[0.99, 0.8], weight_decay=[0, 0.1],
                                                       momentum=[0, 0.9], centered=[False, True],
                                                       maximize=[False, True])]
    + [(optim.Adagrad, ref_adagrad, o) for o in combos(lr=[0.1], lr_decay=[0, 0.5], weight_decay=[0, 0.1],
                                                       initial_accumulator_value=[0, 0.3], maximize=[False, True])]
    + [(optim.Adagrad, ref_adagrad, dict(eps=1e-2))]
    + [(optim.Adadelta, ref_adadelta, o) for o in combos(lr=[1.0, 0.5], rho=[0.9, 0.5], weight_decay=[0, 0.1],
                                                         maximize=[False, True])]
    + [(optim.Adadelta, ref_adadelta, dict(eps=1e-2))]
)


def case_id(case):
    cls, _, opts = case
    return cls.__name__ + "-" + ",".join(f"{k}={v}" for k, v in opts.items())


def run_against_reference(cls, ref, opts, dtype=ember.float64, steps=STEPS, seed=0):
    """Steps an ember optimizer and the reference side by side on two
    parameters (a matrix and a vector); returns the final values of both."""
    rng = np.random.default_rng(seed)
    starts = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    params = [ember.tensor(a, dtype=dtype) for a in starts]
    refs = [a.copy() for a in starts]
    ref_states = [{}, {}]
    opt = cls(params, **opts)
    for t in range(1, steps + 1):
        for p, r, st in zip(params, refs, ref_states):
            g = rng.standard_normal(r.shape)
            p.grad = ember.tensor(g, dtype=dtype)
            ref(r, g, st, t, **opts)
        opt.step()
    return [p.to(ember.float64).numpy() for p in params], refs, ref_states


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_steps_match_reference_float64(case):
    cls, ref, opts = case
    got, want, _ = run_against_reference(cls, ref, opts)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("betas", [(0.9, 0.999), (0.9, 0.9)])
def test_radam_cases_cover_both_branches(betas):
    # The first steps are unrectified (rho_t <= 5), later ones rectified.
    _, _, states = run_against_reference(optim.RAdam, ref_radam, dict(lr=0.05, betas=betas))
    assert not states[0]["rectified"][0] and states[0]["rectified"][-1]


@pytest.mark.parametrize("case", [c for c in CASES if not c[2].get("maximize") and c[2].get("weight_decay", 0) == 0],
                         ids=case_id)
def test_float32_parameters(case):
    cls, ref, opts = case
    got, want, _ = run_against_reference(cls, ref, opts, dtype=ember.float32)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize("dtype", [ember.float16, ember.bfloat16])
@pytest.mark.parametrize("cls,ref,opts", [
    (optim.SGD, ref_sgd, dict(lr=0.1, momentum=0.9)),
    (optim.Adam, ref_adam, dict(lr=0.05)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01, centered=True)),
])
def test_half_parameters_compute_in_float32(cls, ref, opts, dtype):
    rng = np.random.default_rng(1)
    start = rng.standard_normal(8).astype(np.float32)
    p = ember.tensor(start, dtype=dtype)
    r = p.to(ember.float64).numpy().copy()  # start from the rounded values
    st = {}
    opt = cls([p], **opts)
    for t in range(1, 4):
        g = np.round(rng.standard_normal(8), 2)
        p.grad = ember.tensor(g, dtype=dtype)
        ref(r, p.grad.to(ember.float64).numpy(), st, t, **opts)
        opt.step()
        assert p.dtype == dtype
        assert opt.state[p][next(k for k in opt.state[p] if k != "step")].dtype == dtype
    tol = 2e-2 if dtype == ember.float16 else 1e-1
    np.testing.assert_allclose(p.to(ember.float64).numpy(), r, rtol=tol, atol=tol)


def test_sgd_hand_worked():
    # p = 1, g = 0.5, lr = 0.1, momentum 0.9: buf = 0.5 -> p = 0.95;
    # then g = 0.5 again: buf = 0.9*0.5 + 0.5 = 0.95 -> p = 0.95 - 0.095 = 0.855.
    p = ember.tensor([1.0], dtype=ember.float64)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    for _ in range(2):
        p.grad = ember.tensor([0.5], dtype=ember.float64)
        opt.step()
    assert p.item() == pytest.approx(0.855, abs=1e-15)
    assert opt.state[p]["momentum_buffer"].item() == pytest.approx(0.95, abs=1e-15)


def test_adam_first_step_moves_by_lr():
    # Bias correction makes Adam's first step exactly lr * sign(g) (up to eps).
    p = ember.tensor([1.0, -2.0, 3.0], dtype=ember.float64)
    p.grad = ember.tensor([0.3, -7.0, 1e-3], dtype=ember.float64)
    optim.Adam([p], lr=0.1, eps=0.0).step()
    np.testing.assert_allclose(p.numpy(), [0.9, -1.9, 2.9], rtol=0, atol=1e-15)


def test_params_without_grad_are_skipped():
    a = ember.tensor([1.0, 2.0], dtype=ember.float64)
    b = ember.tensor([3.0], dtype=ember.float64)
    a.grad = ember.tensor([1.0, 1.0], dtype=ember.float64)
    opt = optim.Adam([a, b], lr=0.1)
    opt.step()
    assert b.item() == 3.0
    assert b not in opt.state and a in opt.state


def test_update_is_in_place_and_bumps_version():
    p = ember.tensor([1.0, 2.0], dtype=ember.float64)
    view = p[0:1]
    v0 = p._version
    p.grad = ember.tensor([1.0, 1.0], dtype=ember.float64)
    optim.SGD([p], lr=0.5).step()
    assert p._version > v0
    assert view.item() == 0.5


def test_non_contiguous_parameter():
    base = ember.tensor(np.arange(6.0).reshape(2, 3), dtype=ember.float64)
    p = base.t()  # a transposed view
    assert not p.is_contiguous()
    g = np.arange(6.0).reshape(3, 2) * 0.1
    p.grad = ember.tensor(g, dtype=ember.float64)
    optim.Adagrad([p], lr=0.1).step()
    want = np.arange(6.0).reshape(2, 3).T - 0.1 * g / (np.sqrt(g * g) + 1e-10)
    np.testing.assert_allclose(base.numpy().T, want, rtol=1e-14)


def test_closure_is_called_and_its_loss_returned():
    p = ember.tensor([1.0], dtype=ember.float64)
    calls = []

    def closure():
        calls.append(1)
        p.grad = ember.tensor([2.0], dtype=ember.float64)
        return ember.tensor(5.0)

    loss = optim.SGD([p], lr=0.25).step(closure)
    assert loss.item() == 5.0 and len(calls) == 1
    assert p.item() == 0.5
    assert optim.SGD([p], lr=0.25).step() is None
