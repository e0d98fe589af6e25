"""ember.optim.Adagrad (torch.optim.Adagrad); the update runs in C++ (adagrad_update)."""
import ember
from ember._C import _optim as _kernels

from .optimizer import Optimizer, _call_closure, _check, _check_common, _check_impl_flags, _increment_step

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad; its state is created with the optimizer, as in PyTorch."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check_common(lr=lr)
        _check(0.0 <= lr_decay, f"Invalid lr_decay value: {lr_decay}")
        _check_common(weight_decay=weight_decay)
        _check(0.0 <= initial_accumulator_value,
               f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        _check_common(eps=eps)
        _check_impl_flags("Adagrad", differentiable=differentiable)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)  # add_param_group creates the state

    def _init_state(self, p, group):
        state = self.state[p]
        state["step"] = ember.tensor(0.0)
        state["sum"] = ember.full(tuple(p.shape), group["initial_accumulator_value"], dtype=p.dtype)

    def add_param_group(self, param_group):
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        for p in group["params"]:
            if p not in self.state:
                self._init_state(p, group)

    def step(self, closure=None):
        loss = None if closure is None else _call_closure(closure)
        for group in self.param_groups:
            for p in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    self._init_state(p, group)
                step = _increment_step(state)
                _kernels.adagrad_update(p, p.grad, state["sum"], step, group["lr"], group["lr_decay"],
                                        group["weight_decay"], group["eps"], group.get("maximize", False))
        return loss
