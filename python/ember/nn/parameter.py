"""``nn.Parameter``: a Tensor that a Module registers as a learnable parameter."""
import ember
from ember import Tensor


class Parameter(Tensor):
    """A Tensor subclass marking a module's learnable parameters.

    ``Parameter(data)`` shares ``data``'s memory but has its own autograd
    flags (it wraps ``data.detach()``), and requires grad by default. Ops on a
    Parameter return plain Tensors, as in PyTorch.
    """

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = ember.empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"[Parameter] data must be a Tensor, got {type(data).__name__}")
        super().__init__(data)
        self.requires_grad_(requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__  # Tensor's C++ __str__ would skip the header

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.detach().clone(), self.requires_grad)
        if self.grad is not None:
            result.grad = self.grad.detach().clone()
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto):
        raise TypeError("[Parameter] pickling is not supported; use ember.save on a state_dict")
