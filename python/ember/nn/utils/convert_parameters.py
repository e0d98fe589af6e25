"""Flatten parameters into one vector and back."""
import ember

from .._grad_mode import _no_grad
from ..modules.module import _typename

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_same_device(param, old_device):
    if old_device is not None and param.device != old_device:
        raise TypeError("Found two parameters on different devices, this is currently not supported.")
    return param.device


def parameters_to_vector(parameters):
    """One 1-D tensor: the parameters flattened and concatenated."""
    device = None
    vec = []
    for param in parameters:
        device = _check_same_device(param, device)
        vec.append(param.reshape(-1))
    return ember.cat(vec)


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of vec into the parameters (in place: Ember has
    no `param.data = ...`, so the parameters keep their own memory)."""
    if not isinstance(vec, ember.Tensor):
        raise TypeError(f"expected ember.Tensor, but got: {_typename(vec)}")
    if vec.dim() != 1:
        raise ValueError(f"[vector_to_parameters] expected a 1-D vector, got shape {list(vec.shape)}")
    parameters = list(parameters)
    needed = sum(p.numel() for p in parameters)
    if vec.numel() != needed:
        raise ValueError(f"[vector_to_parameters] the vector has {vec.numel()} elements but the parameters need "
                         f"{needed}")
    device = None
    pointer = 0
    with _no_grad():
        for param in parameters:
            device = _check_same_device(param, device)
            num = param.numel()
            param.copy_(vec[pointer:pointer + num].view_as(param))
            pointer += num
