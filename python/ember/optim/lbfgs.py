"""ember.optim.LBFGS (torch.optim.LBFGS). The whole algorithm, line search
included, runs in C++ (ember._C._optim.lbfgs_step), which calls back into
the closure to re-evaluate the model."""
import ember
from ember._C import Tensor
from ember._C import _optim as _kernels

from .optimizer import Optimizer, _call_closure, _check_common

__all__ = ["LBFGS"]

# The state fields, in PyTorch's names; flat vectors are float64 tensors.
_STATE_FIELDS = ("func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag",
                 "prev_flat_grad", "prev_loss")


def _as_flat(v):
    return v.to(ember.float64).contiguous() if isinstance(v, Tensor) else v


def _as_float(v):
    return float(v) if isinstance(v, Tensor) else v


class LBFGS(Optimizer):
    """L-BFGS with an optional strong Wolfe line search. Takes one parameter
    group; ``step(closure)`` needs a closure that recomputes the loss and the
    gradients (after zeroing them) and returns the loss."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9,
                 history_size=100, line_search_fn=None):
        _check_common(lr=lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        if line_search_fn is not None and line_search_fn != "strong_wolfe":
            raise ValueError(f"LBFGS: line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}")
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
                        tolerance_change=tolerance_change, history_size=history_size,
                        line_search_fn=line_search_fn)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def step(self, closure):
        if closure is None:
            raise ValueError("LBFGS.step() requires a closure that reevaluates the model and returns the loss")
        group = self.param_groups[0]
        params = group["params"]
        state = self.state[params[0]]
        cstate = _kernels.LBFGSState()
        for key in _STATE_FIELDS:
            if state.get(key) is None:
                continue
            value = state[key]
            if key in ("d", "prev_flat_grad"):
                value = _as_flat(value)
            elif key in ("old_dirs", "old_stps"):
                value = [_as_flat(v) for v in value]
            elif key == "ro":
                value = [_as_float(v) for v in value]
            elif key in ("t", "H_diag", "prev_loss"):
                value = _as_float(value)
            setattr(cstate, key, value)

        first_loss = []

        def evaluate():
            loss = _call_closure(closure)
            if not first_loss:
                first_loss.append(loss)
            return float(loss)

        try:
            _kernels.lbfgs_step(params, cstate, evaluate, group["lr"], group["max_iter"], group["max_eval"],
                                group["tolerance_grad"], group["tolerance_change"], group["history_size"],
                                group["line_search_fn"])
        finally:
            # Keep whatever progress was made, even when the closure raised.
            for key in _STATE_FIELDS:
                state[key] = getattr(cstate, key)
        return first_loss[0]
