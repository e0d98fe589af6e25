"""ember.optim.Adam and AdamW (torch.optim.Adam/AdamW); the update runs in
C++ (adam_update; AdamW decouples the weight decay)."""
from ember._C import _optim as _kernels

from .optimizer import (Optimizer, _call_closure, _check_common, _check_impl_flags, _increment_step,
                        _new_step, _zeros_like)

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam; ``decoupled_weight_decay=True`` makes it AdamW."""

    _always_decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        _check_common(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        _check_impl_flags(type(self).__name__, capturable, differentiable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = None if closure is None else _call_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            amsgrad = group["amsgrad"]
            for p in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step()
                    state["exp_avg"] = _zeros_like(p)
                    state["exp_avg_sq"] = _zeros_like(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = _zeros_like(p)
                if amsgrad and "max_exp_avg_sq" not in state:
                    state["max_exp_avg_sq"] = _zeros_like(p)
                step = _increment_step(state)
                _kernels.adam_update(p, p.grad, state["exp_avg"], state["exp_avg_sq"],
                                     state.get("max_exp_avg_sq"), step, group["lr"], beta1, beta2,
                                     group["eps"], group["weight_decay"], amsgrad,
                                     group.get("maximize", False),
                                     self._always_decoupled or group.get("decoupled_weight_decay", False))
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay (default 1e-2)."""

    # State dicts from PyTorch before 2.6 have no decoupled_weight_decay key.
    _always_decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
