"""ember.optim.RAdam (torch.optim.RAdam); the update runs in C++ (radam_update)."""
from ember._C import _optim as _kernels

from .optimizer import (Optimizer, _call_closure, _check_common, _check_impl_flags, _increment_step,
                        _new_step, _zeros_like)

__all__ = ["RAdam"]


class RAdam(Optimizer):
    """Adam with a rectified adaptive learning rate."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _check_common(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        _check_impl_flags("RAdam", capturable, differentiable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = None if closure is None else _call_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step()
                    state["exp_avg"] = _zeros_like(p)
                    state["exp_avg_sq"] = _zeros_like(p)
                step = _increment_step(state)
                _kernels.radam_update(p, p.grad, state["exp_avg"], state["exp_avg_sq"], step, group["lr"],
                                      beta1, beta2, group["eps"], group["weight_decay"],
                                      group.get("decoupled_weight_decay", False), group.get("maximize", False))
        return loss
