"""ember.autograd: reverse-mode automatic differentiation on a dynamic graph.

The engine, graph nodes and every op's backward formula are C++
(src/autograd/, src/ops/); this package holds the Python entry points."""
from .. import _C
from . import functional, graph
from .function import Function, FunctionCtx, once_differentiable
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                        set_grad_enabled)
from .gradcheck import gradcheck, gradgradcheck

__all__ = ["Function", "FunctionCtx", "backward", "grad", "no_grad", "enable_grad", "set_grad_enabled",
           "inference_mode", "gradcheck", "gradgradcheck", "functional", "once_differentiable"]

_Tensor = _C.Tensor


def _as_list(x):
    if x is None:
        return None
    if isinstance(x, _Tensor):
        return [x]
    return list(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """Accumulates the gradients of `tensors` into the .grad of the leaves
    (or only of `inputs`)."""
    if grad_variables is not None:
        grad_tensors = grad_variables
    tensors = _as_list(tensors)
    grads = _as_list(grad_tensors) or [None] * len(tensors)
    if len(grads) != len(tensors):
        raise RuntimeError(f"grad_tensors has {len(grads)} elements but tensors has {len(tensors)}")
    inputs = _as_list(inputs)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    _C._autograd.backward(tensors, grads, retain_graph, create_graph, inputs)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Returns the gradients of outputs with respect to inputs (a tuple, one
    per input), without touching .grad."""
    if is_grads_batched:
        raise NotImplementedError("[grad] is_grads_batched=True is not supported")
    single = isinstance(inputs, _Tensor)
    outputs = _as_list(outputs)
    inputs = _as_list(inputs)
    grads = _as_list(grad_outputs) or [None] * len(outputs)
    if len(grads) != len(outputs):
        raise RuntimeError(f"grad requires one grad_output per output: got {len(grads)} grad_outputs and "
                           f"{len(outputs)} outputs")
    if allow_unused is None:
        allow_unused = materialize_grads
    result = _C._autograd.grad(outputs, inputs, grads, retain_graph, create_graph, allow_unused)
    if materialize_grads:
        from .. import zeros_like
        result = tuple(r if r is not None else zeros_like(i) for r, i in zip(result, inputs))
    return result
