"""ember.optim's Optimizer machinery: parameter groups, zero_grad,
add_param_group, state_dict/load_state_dict in PyTorch's format, and
PyTorch's argument errors."""
import numpy as np
import pytest

import ember
import ember.optim as optim

F64 = ember.float64


def t64(values):
    return ember.tensor(values, dtype=F64)


def grads_for(step, params):
    """Deterministic gradients that depend on the step and the parameter."""
    return [t64(np.sin(np.arange(p.numel()) + 3.0 * step + i).reshape(tuple(p.shape)))
            for i, p in enumerate(params)]


def make_params():
    return [t64([[1.0, -2.0], [0.5, 3.0]]), t64([0.1, 0.2, -0.3])]


ALL_OPTIMIZERS = [
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    (optim.Adam, dict(lr=0.05, amsgrad=True)),
    (optim.AdamW, dict(lr=0.05)),
    (optim.Adamax, dict(lr=0.05)),
    (optim.NAdam, dict(lr=0.05)),
    (optim.RAdam, dict(lr=0.05)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
    (optim.Adagrad, dict(lr=0.1)),
    (optim.Adadelta, dict(lr=0.5)),
]


def run_steps(opt, params, steps, first=0):
    for s in range(first, first + steps):
        for p, g in zip(params, grads_for(s, params)):
            p.grad = g
        opt.step()


@pytest.mark.parametrize("cls,opts", ALL_OPTIMIZERS, ids=lambda x: getattr(x, "__name__", ""))
def test_state_dict_round_trip_continues_identically(cls, opts):
    # Uninterrupted: 6 steps.
    straight = make_params()
    opt = cls(straight, **opts)
    run_steps(opt, straight, 6)

    # Interrupted: 3 steps, save, a new optimizer over copies, load, 3 more.
    first = make_params()
    opt1 = cls(first, **opts)
    run_steps(opt1, first, 3)
    saved = opt1.state_dict()
    resumed = [p.clone() for p in first]
    opt2 = cls(resumed, **opts)
    opt2.load_state_dict(saved)
    run_steps(opt2, resumed, 3, first=3)
    for a, b in zip(straight, resumed):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # The loaded state is a copy: stepping opt2 left opt1's state alone.
    run_steps(opt1, first, 3, first=3)
    for a, b in zip(straight, first):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_state_dict_format_is_pytorchs():
    a, b = make_params()
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    for p, g in zip((a, b), grads_for(0, (a, b))):
        p.grad = g
    opt.step()
    sd = opt.state_dict()
    assert set(sd) == {"state", "param_groups"}
    assert sorted(sd["state"]) == [0, 1]
    assert set(sd["state"][0]) == {"momentum_buffer"}
    np.testing.assert_allclose(sd["state"][1]["momentum_buffer"].numpy(), grads_for(0, (a, b))[1].numpy())
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1]]
    assert sd["param_groups"][0]["lr"] == 0.1 and sd["param_groups"][1]["lr"] == 0.5
    assert set(sd["param_groups"][0]) == {"lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize",
                                          "foreach", "differentiable", "fused", "params"}


def test_plain_sgd_keeps_no_state():
    p = make_params()
    opt = optim.SGD(p, lr=0.1)
    run_steps(opt, p, 2)
    assert opt.state_dict()["state"] == {}


def test_adam_state_keys_and_step_count():
    a, b = make_params()
    opt = optim.Adam([a, b], lr=0.1, amsgrad=True)
    run_steps(opt, [a, b], 2)
    st = opt.state[a]
    assert set(st) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert st["step"].item() == 2.0
    assert st["exp_avg"].dtype == F64 and tuple(st["exp_avg"].shape) == (2, 2)


def test_load_state_dict_casts_to_parameter_dtype():
    p64 = make_params()
    opt = optim.Adam(p64, lr=0.1)
    run_steps(opt, p64, 2)
    p32 = [p.to(ember.float32) for p in make_params()]
    opt32 = optim.Adam(p32, lr=0.1)
    opt32.load_state_dict(opt.state_dict())
    assert opt32.state[p32[0]]["exp_avg"].dtype == ember.float32
    assert opt32.state[p32[0]]["step"].dtype == ember.float32  # step is not cast
    np.testing.assert_allclose(opt32.state[p32[1]]["exp_avg_sq"].numpy(),
                               opt.state[p64[1]]["exp_avg_sq"].numpy(), rtol=1e-6)


def test_load_state_dict_errors():
    a, b = make_params()
    opt = optim.SGD([a, b], lr=0.1)
    other = optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict(other.state_dict())
    small = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        opt.load_state_dict(small.state_dict())


def test_load_state_dict_restores_group_options():
    a, b = make_params()
    opt = optim.SGD([a, b], lr=0.1, momentum=0.5)
    sd = opt.state_dict()
    sd["param_groups"][0]["lr"] = 0.01
    opt2 = optim.SGD(make_params(), lr=1.0)
    opt2.load_state_dict(sd)
    assert opt2.param_groups[0]["lr"] == 0.01 and opt2.param_groups[0]["momentum"] == 0.5
    assert sd["param_groups"][0]["params"] == [0, 1]  # the caller's dict is untouched


def test_groups_with_different_options():
    a = t64([1.0, 2.0])
    b = t64([3.0])
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "weight_decay": 0.1}], lr=0.1)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[0]["weight_decay"] == 0
    assert opt.param_groups[1]["lr"] == 0.5 and opt.param_groups[1]["weight_decay"] == 0.1
    assert len(opt.param_groups[1]["params"]) == 1 and opt.param_groups[1]["params"][0] is b
    a.grad = t64([1.0, 1.0])
    b.grad = t64([1.0])
    opt.step()
    np.testing.assert_allclose(a.numpy(), [0.9, 1.9], rtol=1e-15)
    assert b.item() == pytest.approx(3.0 - 0.5 * (1.0 + 0.1 * 3.0), abs=1e-15)
    # Changing a group's lr takes effect on the next step.
    opt.param_groups[0]["lr"] = 1.0
    opt.step()
    np.testing.assert_allclose(a.numpy(), [-0.1, 0.9], rtol=1e-14)


def test_add_param_group():
    a, b = make_params()
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": [b], "betas": (0.5, 0.6)})
    assert len(opt.param_groups) == 2
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[1]["betas"] == (0.5, 0.6)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors"):
        opt.add_param_group({"params": [1.0]})
    with pytest.raises(TypeError, match="ordering of tensors in sets"):
        opt.add_param_group({"params": {t64([1.0])}})
    with pytest.raises(TypeError, match="param_group must be a dict"):
        opt.add_param_group([t64([1.0])])


def test_adagrad_state_exists_before_the_first_step():
    a, b = make_params()
    opt = optim.Adagrad([a], lr=0.1, initial_accumulator_value=0.25)
    np.testing.assert_array_equal(opt.state[a]["sum"].numpy(), np.full((2, 2), 0.25))
    assert opt.state[a]["step"].item() == 0
    opt.add_param_group({"params": [b]})
    np.testing.assert_array_equal(opt.state[b]["sum"].numpy(), np.full(3, 0.25))


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad(set_to_none):
    a, b = make_params()
    c = t64([5.0])
    opt = optim.SGD([a, b, c], lr=0.1)
    a.grad = t64([[1.0, 2.0], [3.0, 4.0]])
    b.grad = t64([1.0, 1.0, 1.0])
    opt.zero_grad(set_to_none=set_to_none)
    if set_to_none:
        assert a.grad is None and b.grad is None
    else:
        np.testing.assert_array_equal(a.grad.numpy(), np.zeros((2, 2)))
        np.testing.assert_array_equal(b.grad.numpy(), np.zeros(3))
    assert c.grad is None
    opt.zero_grad()
    assert a.grad is None


def test_constructor_errors():
    p = make_params()
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts"):
        optim.SGD(p[0], lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate: -0.1"):
        optim.Adam(p, lr=-0.1)
    with pytest.raises(ValueError, match="Invalid epsilon value: -1"):
        optim.Adam(p, eps=-1)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 0: 1.0"):
        optim.AdamW(p, betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1: -0.1"):
        optim.NAdam(p, betas=(0.9, -0.1))
    with pytest.raises(ValueError, match="Invalid weight_decay value: -0.5"):
        optim.RAdam(p, weight_decay=-0.5)
    with pytest.raises(ValueError, match="Invalid momentum value: -0.5"):
        optim.SGD(p, lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        optim.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid alpha value: -1"):
        optim.RMSprop(p, alpha=-1)
    with pytest.raises(ValueError, match="Invalid lr_decay value: -1"):
        optim.Adagrad(p, lr_decay=-1)
    with pytest.raises(ValueError, match="Invalid initial_accumulator_value value: -1"):
        optim.Adagrad(p, initial_accumulator_value=-1)
    with pytest.raises(ValueError, match="Invalid rho value: 1.5"):
        optim.Adadelta(p, rho=1.5)
    with pytest.raises(ValueError, match="Invalid momentum_decay value: -1"):
        optim.NAdam(p, momentum_decay=-1)
    with pytest.raises(NotImplementedError, match="differentiable"):
        optim.Adam(p, differentiable=True)
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        optim.LBFGS([{"params": [p[0]]}, {"params": [p[1]]}])


def test_kernel_errors_are_typed():
    p = t64([1.0, 2.0])
    k = ember._C._optim
    with pytest.raises(RuntimeError, match=r"\[sgd\] gradient of shape \[3\] does not match the parameter's shape \[2\]"):
        k.sgd_update(p, t64([1.0, 2.0, 3.0]), None, True, 0.1, 0.0, 0.0, 0.0, False, False)
    with pytest.raises(TypeError, match=r"\[adam\] parameters must be floating point"):
        k.adam_update(ember.tensor([1, 2]), ember.tensor([1, 2]), ember.tensor([0, 0]), ember.tensor([0, 0]),
                      None, 1, 0.1, 0.9, 0.999, 1e-8, 0.0, False, False, False)
    with pytest.raises(RuntimeError, match=r"\[adam\] state buffers must be contiguous"):
        k.adam_update(p, t64([1.0, 1.0]), ember.zeros(3, dtype=F64), ember.zeros(2, dtype=F64), None, 1, 0.1,
                      0.9, 0.999, 1e-8, 0.0, False, False, False)
    with pytest.raises(RuntimeError, match=r"\[rmsprop\] state buffers"):
        k.rmsprop_update(p, t64([1.0, 1.0]), ember.zeros(2, dtype=ember.float32), None, None, 0.1, 0.9, 1e-8,
                         0.0, 0.0, False, False)
    with pytest.raises(ValueError, match=r"\[adam\] step must be at least 1"):
        k.adam_update(p, t64([1.0, 1.0]), ember.zeros(2, dtype=F64), ember.zeros(2, dtype=F64), None, 0, 0.1,
                      0.9, 0.999, 1e-8, 0.0, False, False, False)
    # A state buffer that the option needs but that is missing.
    with pytest.raises((ValueError, TypeError)):
        k.sgd_update(p, t64([1.0, 1.0]), None, False, 0.1, 0.9, 0.0, 0.0, False, False)
    np.testing.assert_array_equal(p.numpy(), [1.0, 2.0])  # nothing was written


def test_gradient_of_another_dtype_is_cast():
    p = t64([1.0, 2.0])
    k = ember._C._optim
    k.sgd_update(p, ember.tensor([1.0, 1.0], dtype=ember.float32), None, True, 0.5, 0.0, 0.0, 0.0, False, False)
    np.testing.assert_array_equal(p.numpy(), [0.5, 1.5])


def test_repr_lists_group_options():
    opt = optim.SGD(make_params(), lr=0.1)
    text = repr(opt)
    assert text.startswith("SGD (\nParameter Group 0\n")
    assert "    lr: 0.1\n" in text and "    momentum: 0\n" in text and text.endswith(")")


def test_empty_parameter_is_fine():
    p = ember.zeros(0, dtype=F64)
    p.grad = ember.zeros(0, dtype=F64)
    opt = optim.Adam([p], lr=0.1)
    opt.step()
    assert p.numel() == 0 and opt.state[p]["step"].item() == 1


def test_large_parameter_uses_the_parallel_path():
    n = 200_003  # more than one grain, odd so chunks are uneven
    rng = np.random.default_rng(3)
    start, g = rng.standard_normal(n), rng.standard_normal(n)
    p = t64(start)
    p.grad = t64(g)
    optim.Adam([p], lr=0.01).step()
    np.testing.assert_allclose(p.numpy(), start - 0.01 * g / (np.abs(g) + 1e-8), rtol=1e-12, atol=1e-15)


def test_step_counts_from_older_state_dicts_and_bad_step_state():
    # PyTorch before 1.12 saved "step" as a Python int; it keeps counting.
    p = make_params()
    opt = optim.Adam(p, lr=0.1)
    run_steps(opt, p, 2)
    sd = opt.state_dict()
    for st in sd["state"].values():
        st["step"] = 2
    opt2 = optim.Adam([q.clone() for q in p], lr=0.1)
    opt2.load_state_dict(sd)
    run_steps(opt2, opt2.param_groups[0]["params"], 1, first=2)
    run_steps(opt, p, 1, first=2)
    for a, b in zip(p, opt2.param_groups[0]["params"]):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert opt2.state[opt2.param_groups[0]["params"][0]]["step"].item() == 3
    with pytest.raises(ValueError, match=r"\[optim\] state\['step'\] must have one element"):
        ember._C._optim.increment_step(ember.zeros(2))
