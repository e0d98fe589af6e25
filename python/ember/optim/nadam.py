"""ember.optim.NAdam (torch.optim.NAdam); the update runs in C++ (nadam_update)."""
import ember
from ember._C import _optim as _kernels

from .optimizer import (Optimizer, _call_closure, _check, _check_common, _check_impl_flags,
                        _increment_step, _new_step, _zeros_like)

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """Adam with Nesterov momentum and a momentum schedule (momentum_decay)."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _check_common(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        _check(0.0 <= momentum_decay, f"Invalid momentum_decay value: {momentum_decay}")
        _check_impl_flags("NAdam", capturable, differentiable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = None if closure is None else _call_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step()
                    # The running product of the momentum schedule (float64
                    # here; PyTorch keeps a float32 tensor).
                    state["mu_product"] = ember.tensor(1.0, dtype=ember.float64)
                    state["exp_avg"] = _zeros_like(p)
                    state["exp_avg_sq"] = _zeros_like(p)
                step = _increment_step(state)
                mu_product = _kernels.nadam_update(
                    p, p.grad, state["exp_avg"], state["exp_avg_sq"], step, float(state["mu_product"]),
                    group["lr"], beta1, beta2, group["eps"], group["weight_decay"], group["momentum_decay"],
                    group.get("decoupled_weight_decay", False), group.get("maximize", False))
                state["mu_product"].fill_(mu_product)
        return loss
