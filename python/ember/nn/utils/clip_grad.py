"""Gradient clipping by total norm or by value (PyTorch's
torch/nn/utils/clip_grad.py). `foreach` is accepted and ignored: each
gradient is scaled by one in-place op already."""
import ember

from .._grad_mode import _no_grad

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm"]


def _as_list(tensors):
    return [tensors] if isinstance(tensors, ember.Tensor) else list(tensors)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of the norms of the tensors: the norm of their concatenation."""
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return ember.tensor(0.0)
    with _no_grad():
        norms = [ember.linalg.vector_norm(t, norm_type) for t in tensors]
        total = ember.linalg.vector_norm(ember.stack([n.to(norms[0].dtype) for n in norms]), norm_type)
    if error_if_nonfinite and bool(total.isnan() | total.isinf()):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it "
                           "cannot be clipped. To disable this error and scale the gradients by the non-finite norm "
                           "anyway, set `error_if_nonfinite=False`")
    return total


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale the gradients in place so their total norm is at most max_norm;
    returns the total norm before clipping."""
    parameters = _as_list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    if not grads:
        return total_norm
    # The 1e-6 keeps the coefficient finite for zero gradients, as in PyTorch.
    clip_coef = ember.clamp(float(max_norm) / (total_norm + 1e-6), max=1.0)
    with _no_grad():
        for g in grads:
            g.mul_(clip_coef.to(g.dtype))
    return total_norm


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element into [-clip_value, clip_value] in place."""
    clip_value = float(clip_value)
    with _no_grad():
        for p in _as_list(parameters):
            if p.grad is not None:
                p.grad.clamp_(min=-clip_value, max=clip_value)
