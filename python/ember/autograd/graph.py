"""Graph nodes as seen from Python: `tensor.grad_fn` is a Node with name(),
next_functions, register_hook and register_prehook."""
from .. import _C

Node = _C._autograd.Node

__all__ = ["Node"]
