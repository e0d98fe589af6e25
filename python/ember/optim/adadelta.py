"""ember.optim.Adadelta (torch.optim.Adadelta); the update runs in C++ (adadelta_update)."""
from ember._C import _optim as _kernels

from .optimizer import (Optimizer, _call_closure, _check, _check_common, _check_impl_flags,
                        _increment_step, _new_step, _zeros_like)

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta: per-element step sizes from running averages of squared
    gradients and squared updates."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        _check_common(lr=lr)
        _check(0.0 <= rho <= 1.0, f"Invalid rho value: {rho}")
        _check_common(eps=eps, weight_decay=weight_decay)
        _check_impl_flags("Adadelta", capturable, differentiable)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = None if closure is None else _call_closure(closure)
        for group in self.param_groups:
            for p in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step()
                    state["square_avg"] = _zeros_like(p)
                    state["acc_delta"] = _zeros_like(p)
                _increment_step(state)
                _kernels.adadelta_update(p, p.grad, state["square_avg"], state["acc_delta"], group["lr"],
                                         group["rho"], group["eps"], group["weight_decay"],
                                         group.get("maximize", False))
        return loss
