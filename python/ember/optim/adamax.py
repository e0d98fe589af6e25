"""ember.optim.Adamax (torch.optim.Adamax); the update runs in C++ (adamax_update)."""
from ember._C import _optim as _kernels

from .optimizer import (Optimizer, _call_closure, _check_common, _check_impl_flags, _increment_step,
                        _new_step, _zeros_like)

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adam with the infinity norm of the gradients."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        _check_common(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        _check_impl_flags("Adamax", capturable, differentiable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
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
                    state["exp_inf"] = _zeros_like(p)
                step = _increment_step(state)
                _kernels.adamax_update(p, p.grad, state["exp_avg"], state["exp_inf"], step, group["lr"],
                                       beta1, beta2, group["eps"], group["weight_decay"],
                                       group.get("maximize", False))
        return loss
