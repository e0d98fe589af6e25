"""ember.optim.RMSprop (torch.optim.RMSprop); the update runs in C++ (rmsprop_update)."""
from ember._C import _optim as _kernels

from .optimizer import (Optimizer, _call_closure, _check, _check_common, _check_impl_flags,
                        _increment_step, _new_step, _zeros_like)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop, optionally centered and with momentum."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _check_common(lr=lr, eps=eps)
        _check(0.0 <= momentum, f"Invalid momentum value: {momentum}")
        _check_common(weight_decay=weight_decay)
        _check(0.0 <= alpha, f"Invalid alpha value: {alpha}")
        _check_impl_flags("RMSprop", capturable, differentiable)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach, maximize=maximize,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = None if closure is None else _call_closure(closure)
        for group in self.param_groups:
            momentum, centered = group["momentum"], group["centered"]
            for p in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step()
                    state["square_avg"] = _zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = _zeros_like(p)
                    if centered:
                        state["grad_avg"] = _zeros_like(p)
                if momentum > 0 and "momentum_buffer" not in state:
                    state["momentum_buffer"] = _zeros_like(p)
                if centered and "grad_avg" not in state:
                    state["grad_avg"] = _zeros_like(p)
                _increment_step(state)
                _kernels.rmsprop_update(p, p.grad, state["square_avg"], state.get("grad_avg"),
                                        state.get("momentum_buffer"), group["lr"], group["alpha"], group["eps"],
                                        group["weight_decay"], momentum, centered, group.get("maximize", False))
        return loss
