"""ember.optim.SGD (torch.optim.SGD); the update runs in C++ (sgd_update)."""
from ember._C import _optim as _kernels

from .optimizer import Optimizer, _call_closure, _check, _check_common, _check_impl_flags, _zeros_like

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (heavy ball or
    Nesterov), weight decay (L2) and maximize."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        _check_common(lr=lr, weight_decay=weight_decay)
        _check(0.0 <= momentum, f"Invalid momentum value: {momentum}")
        _check_impl_flags("SGD", differentiable=differentiable)
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach,
                        differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = None if closure is None else _call_closure(closure)
        for group in self.param_groups:
            momentum = group["momentum"]
            for p in self._params_with_grad(group):
                buf, first_step = None, True
                if momentum != 0:  # as in PyTorch, plain SGD keeps no state
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    first_step = buf is None
                    if first_step:
                        buf = state["momentum_buffer"] = _zeros_like(p)
                _kernels.sgd_update(p, p.grad, buf, first_step, group["lr"], momentum, group["dampening"],
                                    group["weight_decay"], group["nesterov"], group.get("maximize", False))
        return loss
