"""ember.optim.lr_scheduler against hand-computed learning-rate sequences."""
import math
import warnings

import pytest

import ember
import ember.optim as optim
from ember.optim import lr_scheduler as sched


def make_opt(lr=1.0, cls=optim.SGD, groups=1, **kw):
    params = [{"params": [ember.zeros(2, dtype=ember.float64)]} for _ in range(groups)]
    return cls(params, lr=lr, **kw)


def lrs(opt, scheduler, n, metric=None):
    """The lr before each of n epochs (optimizer.step, then scheduler.step)."""
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return out


def approx(seq):
    return pytest.approx(seq, rel=1e-12, abs=1e-15)


def test_step_lr():
    opt = make_opt(0.1)
    s = sched.StepLR(opt, step_size=3, gamma=0.5)
    assert lrs(opt, s, 8) == approx([0.1] * 3 + [0.05] * 3 + [0.025] * 2)
    assert s.get_last_lr() == approx([0.025])  # epoch 8; the next halving is at 9


def test_multi_step_lr_with_repeated_milestone():
    opt = make_opt(1.0)
    s = sched.MultiStepLR(opt, milestones=[2, 5, 5], gamma=0.1)
    assert lrs(opt, s, 7) == approx([1, 1, 0.1, 0.1, 0.1, 0.001, 0.001])


def test_exponential_lr():
    opt = make_opt(2.0)
    s = sched.ExponentialLR(opt, gamma=0.9)
    assert lrs(opt, s, 5) == approx([2 * 0.9 ** k for k in range(5)])


def test_cosine_annealing_lr_matches_the_closed_form_and_continues_past_t_max():
    opt = make_opt(1.0)
    s = sched.CosineAnnealingLR(opt, T_max=4, eta_min=0.1)
    got = lrs(opt, s, 13)
    want = [0.1 + 0.9 * (1 + math.cos(math.pi * k / 4)) / 2 for k in range(13)]
    assert got == pytest.approx(want, abs=1e-12)
    assert got[4] == pytest.approx(0.1) and got[8] == pytest.approx(1.0)


def test_cosine_annealing_warm_restarts():
    opt = make_opt(1.0)
    s = sched.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.0)
    # Periods of 2, then 4, then 8 epochs: T_cur restarts at 0 each time.
    t_cur_t_i = [(0, 2), (1, 2), (0, 4), (1, 4), (2, 4), (3, 4), (0, 8), (1, 8)]
    want = [(1 + math.cos(math.pi * c / i)) / 2 for c, i in t_cur_t_i]
    assert lrs(opt, s, 8) == approx(want)


def test_cosine_annealing_warm_restarts_explicit_epoch():
    opt = make_opt(1.0)
    s = sched.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
    s.step(5)  # 5 = 2 + 3: the second period (T_i = 4), T_cur = 3
    assert s.T_i == 4 and s.T_cur == 3
    assert s.get_last_lr() == approx([(1 + math.cos(math.pi * 3 / 4)) / 2])
    with pytest.raises(ValueError, match="Expected positive integer T_0"):
        sched.CosineAnnealingWarmRestarts(opt, T_0=0)
    with pytest.raises(ValueError, match="Expected integer T_mult >= 1"):
        sched.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=0)


def test_linear_lr():
    opt = make_opt(1.0)
    s = sched.LinearLR(opt, start_factor=0.25, end_factor=1.0, total_iters=3)
    assert lrs(opt, s, 6) == approx([0.25, 0.5, 0.75, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="Starting multiplicative factor"):
        sched.LinearLR(opt, start_factor=0)
    with pytest.raises(ValueError, match="Ending multiplicative factor"):
        sched.LinearLR(opt, end_factor=1.5)


def test_lambda_lr_per_group():
    opt = make_opt(1.0, groups=2)
    opt.param_groups[1]["lr"] = 2.0
    s = sched.LambdaLR(opt, [lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
    got = []
    for _ in range(4):
        got.append([g["lr"] for g in opt.param_groups])
        opt.step()
        s.step()
    assert [g[0] for g in got] == approx([1, 0.5, 0.25, 0.125])
    assert [g[1] for g in got] == approx([2, 1, 2 / 3, 0.5])
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        sched.LambdaLR(opt, [lambda e: 1.0])


def test_one_cycle_lr_cos_with_momentum():
    opt = make_opt(0.1, momentum=0.9)
    s = sched.OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.3, div_factor=10.0, final_div_factor=100.0)
    # Phases: warm-up over steps 0..2 (end_step 2), anneal over 2..9.
    initial, peak, final = 0.1, 1.0, 0.1 / 100

    def cos_anneal(start, end, pct):
        return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)

    want_lr = [cos_anneal(initial, peak, k / 2) for k in range(3)] + \
              [cos_anneal(peak, final, (k - 2) / 7) for k in range(3, 10)]
    want_mom = [cos_anneal(0.95, 0.85, k / 2) for k in range(3)] + \
               [cos_anneal(0.85, 0.95, (k - 2) / 7) for k in range(3, 10)]
    got_lr, got_mom = [], []
    for _ in range(10):
        got_lr.append(opt.param_groups[0]["lr"])
        got_mom.append(opt.param_groups[0]["momentum"])
        opt.step()
        if len(got_lr) < 10:
            s.step()
    assert got_lr == approx(want_lr)
    assert got_mom == approx(want_mom)
    s.step()  # step 10 == total_steps is allowed
    with pytest.raises(ValueError, match="Tried to step 11 times. The specified number of total steps is 10"):
        s.step()


def test_one_cycle_lr_linear_three_phase_with_adam_betas():
    opt = make_opt(0.1, cls=optim.Adam)
    s = sched.OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.25, anneal_strategy="linear",
                         three_phase=True, div_factor=4.0, final_div_factor=10.0)
    # Phases end at steps 1.5, 3 and 9.
    initial, peak, minimum = 0.25, 1.0, 0.025
    want = []
    for k in range(10):
        if k <= 1.5:
            want.append(initial + (peak - initial) * k / 1.5)
        elif k <= 3:
            want.append(peak + (initial - peak) * (k - 1.5) / 1.5)
        else:
            want.append(initial + (minimum - initial) * (k - 3) / 6)
    assert lrs(opt, s, 9) == approx(want[:9])
    assert opt.param_groups[0]["betas"][0] == pytest.approx(0.95)  # back at max_momentum in phase 3
    with pytest.raises(ValueError, match="You must define either total_steps OR"):
        sched.OneCycleLR(opt, max_lr=1.0)
    with pytest.raises(ValueError, match="anneal_strategy must be one of 'cos' or 'linear'"):
        sched.OneCycleLR(opt, max_lr=1.0, total_steps=5, anneal_strategy="exp")


def test_reduce_lr_on_plateau():
    opt = make_opt(1.0)
    s = sched.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, cooldown=1, min_lr=0.2)
    metrics = [10, 9, 9, 9, 9, 9, 9, 9, 9]
    got = []
    for m in metrics:
        s.step(m)
        got.append(opt.param_groups[0]["lr"])
    # Bad epochs at indices 2, 3 -> halve at 3; cooldown 1 swallows 4;
    # bad 5, 6 -> halve at 6 (0.25); then clamped at min_lr 0.2 at 8.
    assert got == approx([1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25])
    s.step(9)
    s.step(9)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.2)
    assert s.get_last_lr() == approx([0.2])


def test_reduce_lr_on_plateau_max_mode_abs_threshold():
    opt = make_opt(1.0)
    s = sched.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=0, threshold=0.5, threshold_mode="abs")
    s.step(1.0)       # best = 1
    s.step(1.4)       # not better by 0.5 -> reduce
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1)
    s.step(2.0)       # better
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="Factor should be < 1.0."):
        sched.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode avg is unknown!"):
        sched.ReduceLROnPlateau(opt, mode="avg")


def test_sequential_lr():
    opt = make_opt(1.0)
    warm = sched.LinearLR(opt, start_factor=0.5, total_iters=2)
    decay = sched.ExponentialLR(opt, gamma=0.5)
    s = sched.SequentialLR(opt, schedulers=[warm, decay], milestones=[3])
    assert lrs(opt, s, 7) == approx([0.5, 0.75, 1.0, 1.0, 0.5, 0.25, 0.125])
    with pytest.raises(ValueError, match="expects number of schedulers provided to be one more"):
        sched.SequentialLR(opt, schedulers=[warm, decay], milestones=[1, 2])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        sched.SequentialLR(opt, schedulers=[warm, sched.ReduceLROnPlateau(opt)], milestones=[1])


def test_state_dict_round_trip_and_resume():
    opt = make_opt(1.0)
    s = sched.StepLR(opt, step_size=2, gamma=0.5)
    lrs(opt, s, 3)
    sd = s.state_dict()
    assert "optimizer" not in sd and sd["last_epoch"] == 3 and sd["base_lrs"] == [1.0]
    assert sd["_last_lr"] == approx([0.5])

    opt2 = make_opt(1.0)
    s2 = sched.StepLR(opt2, step_size=2, gamma=0.5)
    s2.load_state_dict(sd)
    opt2.param_groups[0]["lr"] = opt.param_groups[0]["lr"]
    assert lrs(opt2, s2, 3) == lrs(opt, s, 3)


def test_resuming_needs_initial_lr_and_explicit_epochs_use_the_closed_form():
    opt = make_opt(1.0)
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\]"):
        sched.StepLR(opt, step_size=2, last_epoch=4)
    s = sched.StepLR(opt, step_size=2, gamma=0.5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s.step(5)
    assert any("epoch parameter" in str(w.message) for w in caught)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.25)


def test_lr_reaches_the_optimizer_step():
    # A scheduled lr is what the next optimizer step uses.
    p = ember.tensor([1.0], dtype=ember.float64)
    opt = optim.SGD([p], lr=1.0)
    s = sched.StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        p.grad = ember.tensor([1.0], dtype=ember.float64)
        opt.step()
        s.step()
    assert p.item() == pytest.approx(1.0 - 1.0 - 0.5 - 0.25)


def test_scheduler_needs_an_optimizer():
    with pytest.raises(TypeError, match="is not an Optimizer"):
        sched.StepLR(object(), step_size=1)
