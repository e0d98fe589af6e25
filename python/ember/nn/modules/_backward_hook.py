"""Module backward hooks (`register_full_backward_hook`,
`register_full_backward_pre_hook`), as PyTorch's `torch.utils.hooks.BackwardHook`.

Note [Module backward hooks]
A call of a module with backward hooks passes its positional tensor inputs
through one identity autograd Function and its tensor outputs through
another. In backward, the outputs' identity node sees the gradients with
respect to the module's outputs first: it runs the pre-hooks (which may
replace them) and keeps them. The inputs' identity node then sees the
gradients with respect to the module's inputs, runs the full hooks with both
(they may replace the input gradients) and passes them on. When no input
requires grad, the full hooks run from the outputs' node with all-None input
gradients, as in PyTorch.
"""
import ember
from ember.autograd.function import Function


class _Identity(Function):
    """Returns its tensor arguments unchanged; its backward calls `on_grads`."""

    @staticmethod
    def forward(ctx, on_grads, *tensors):
        ctx.on_grads = on_grads
        ctx.set_materialize_grads(False)
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.on_grads(grads))


def _pack(indices, values, n):
    """Spreads values (one per tensor position in indices) over n slots."""
    out = [None] * n
    for i, v in zip(indices, values):
        out[i] = v
    return tuple(out)


class BackwardHook:
    """The per-call state shared by a module call's two identity nodes."""

    def __init__(self, module, hooks, pre_hooks):
        self.module = module
        self.hooks = hooks
        self.pre_hooks = pre_hooks
        self.grad_outputs = None
        self.n_inputs = 0
        self.input_index = None
        self.n_outputs = 0
        self.output_index = None

    @staticmethod
    def _wrap(args, on_grads):
        """(args with their tensors replaced by identity outputs, the tensors'
        positions), or (args, None) when no tensor requires grad."""
        index = [i for i, a in enumerate(args) if isinstance(a, ember.Tensor)]
        tensors = [args[i] for i in index]
        if not (ember.is_grad_enabled() and any(t.requires_grad for t in tensors)):
            return args, None
        new = _Identity.apply(on_grads, *tensors)
        out = list(args)
        for i, t in zip(index, new):
            out[i] = t
        return tuple(out), index

    def setup_input_hook(self, args):
        self.n_inputs = len(args)
        args, self.input_index = self._wrap(args, self._on_input_grads)
        return args

    def setup_output_hook(self, result):
        is_tuple = isinstance(result, tuple)
        outputs = result if is_tuple else (result,)
        self.n_outputs = len(outputs)
        outputs, self.output_index = self._wrap(outputs, self._on_output_grads)
        return outputs if is_tuple else outputs[0]

    def _on_output_grads(self, grads):
        self.grad_outputs = _pack(self.output_index, grads, self.n_outputs)
        for hook in self.pre_hooks:
            new = hook(self.module, self.grad_outputs)
            if new is None:
                continue
            new = new if isinstance(new, tuple) else (new,)
            if len(new) != len(self.grad_outputs):
                raise RuntimeError("Backward pre hook returned an invalid number of grad_output, "
                                   f"got {len(new)}, but expected {len(self.grad_outputs)}")
            self.grad_outputs = new
        local = self.grad_outputs
        if self.input_index is None:
            # No input requires grad: the input node never runs.
            none_inputs = (None,) * self.n_inputs
            for hook in self.hooks:
                res = hook(self.module, none_inputs, self.grad_outputs)
                if res is not None and not (isinstance(res, tuple) and all(r is None for r in res)):
                    raise RuntimeError("Backward hook for Modules where no input requires gradient should "
                                       "always return None or None for all gradients.")
            self.grad_outputs = None
        return tuple(local[i] for i in self.output_index)

    def _on_input_grads(self, grads):
        if self.grad_outputs is None:
            # The gradient reached the inputs without passing through the
            # outputs (e.g. a second backward): nothing to report.
            return grads
        res = _pack(self.input_index, grads, self.n_inputs)
        for hook in self.hooks:
            out = hook(self.module, res, self.grad_outputs)
            if out is None:
                continue
            out = out if isinstance(out, tuple) else (out,)
            if len(out) != len(res):
                raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                   f"got {len(out)}, but expected {len(res)}")
            res = out
        self.grad_outputs = None
        return tuple(res[i] for i in self.input_index)
