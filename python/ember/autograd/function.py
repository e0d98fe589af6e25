"""Custom differentiable functions: subclass Function, write static forward
and backward, call apply (Note [Python Function nodes] in
python/src/autograd.cpp)."""
import functools

from .. import _C
from .grad_mode import no_grad

__all__ = ["Function", "FunctionCtx", "once_differentiable"]

_Tensor = _C.Tensor


class FunctionCtx:
    """The `ctx` passed to forward and backward."""

    def __init__(self):
        self.to_save = ()
        self.dirty_tensors = ()
        self.non_differentiable = ()
        self.materialize_grads = True
        self.needs_input_grad = ()
        self._saved = None
        self._node = None

    def save_for_backward(self, *tensors):
        for t in tensors:
            if t is not None and not isinstance(t, _Tensor):
                raise TypeError("save_for_backward can only save variables, but argument "
                                f"{tensors.index(t)} is of type {type(t).__name__}")
        self.to_save = tensors

    def mark_dirty(self, *tensors):
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)

    @property
    def saved_tensors(self):
        if self._saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved tensors after "
                "they have already been freed). Saved intermediate values of the graph are freed when you call "
                ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
                "graph a second time or if you need to access saved tensors after calling backward.")
        out = []
        for kind, t, version, index in self._saved:
            if t is None:
                out.append(None)
                continue
            if t._version != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an inplace "
                    f"operation: [{t.type()} {list(t.shape)}], which is output {index} of "
                    f"{self._name}, is at version {t._version}; expected version {version} instead. Hint: "
                    "the backtrace further above can help you find the operation that failed to compute its "
                    "gradient. The variable in question was changed in there or anywhere later. Good luck!")
            if kind == "output" and self._node is not None:
                t = _C._autograd._with_grad_fn(t, self._node, index)
            out.append(t)
        return tuple(out)

    @property
    def saved_variables(self):
        return self.saved_tensors


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_name = name + "Backward"


class Function(metaclass=_FunctionMeta):
    """Base class of custom autograd functions.

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * y
    """

    def __init__(self, *args, **kwargs):
        raise RuntimeError("Function instances are not callable: use the class method apply(), as in "
                           f"{type(self).__name__}.apply(...)")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        ctx._name = cls._backward_name
        tensor_inputs = [a if isinstance(a, _Tensor) else None for a in args]
        ctx.needs_input_grad = tuple(t is not None and t.requires_grad for t in tensor_inputs)
        uses_setup_context = cls.setup_context is not Function.setup_context
        with no_grad():
            if uses_setup_context:
                output = cls.forward(*args, **kwargs)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        if uses_setup_context:
            cls.setup_context(ctx, args, output)
        is_tuple = isinstance(output, tuple)
        outputs = output if is_tuple else (output,)
        record = _C.is_grad_enabled() and any(ctx.needs_input_grad)
        if record:
            non_diff = {id(t) for t in ctx.non_differentiable}
            # A non-differentiable output and an output returned as is from
            # the input (not marked dirty) must not get this node as grad_fn.
            dirty = {id(t) for t in ctx.dirty_tensors}
            diff_outputs = []
            fresh = []
            for o in outputs:
                if not isinstance(o, _Tensor) or id(o) in non_diff:
                    diff_outputs.append(None)
                    continue
                if any(o is i for i in tensor_inputs if i is not None) and id(o) not in dirty:
                    o = o.view_as(o)  # an input returned as is: give the output its own identity
                fresh.append(o)
                diff_outputs.append(o)
            outputs = tuple(d if d is not None else o for d, o in zip(diff_outputs, outputs))
            backward = cls.backward if cls.backward is not Function.backward else cls.vjp
            n_inputs = len(args)

            def call_backward(node, grads):
                ctx._node = node
                try:
                    result = backward(ctx, *grads)
                finally:
                    ctx._node = None
                if not isinstance(result, tuple):
                    result = (result,)
                if len(result) < n_inputs:
                    raise RuntimeError(f"function {cls._backward_name} returned an incorrect number of "
                                       f"gradients (expected {n_inputs}, got {len(result)})")
                extra = result[n_inputs:]
                if any(e is not None for e in extra):
                    raise RuntimeError(f"function {cls._backward_name} returned an incorrect number of "
                                       f"gradients (expected {n_inputs}, got {len(result)})")
                return tuple(r if isinstance(r, _Tensor) else None for r in result[:n_inputs])

            node = _C._autograd._make_function_node(cls._backward_name, call_backward, tensor_inputs,
                                                    list(diff_outputs), list(ctx.dirty_tensors),
                                                    ctx.materialize_grads)
            _save(ctx, outputs, node)
        else:
            _save(ctx, outputs, None)
        return outputs if is_tuple else outputs[0]


def _save(ctx, outputs, node):
    saved = []
    for t in ctx.to_save:
        if t is None:
            saved.append(("input", None, 0, 0))
            continue
        index = next((i for i, o in enumerate(outputs) if o is t), None)
        if index is not None and node is not None:
            # Note [Saved outputs]: keep a bare alias, not the output itself.
            saved.append(("output", t.detach(), t._version, index))
        else:
            saved.append(("input", t, t._version, 0))
    ctx._saved = saved
    ctx.to_save = ()


def once_differentiable(fn):
    """Marks a backward that is not itself differentiable: it runs under
    no_grad, and a double backward through it raises."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not _C.is_grad_enabled():
            return outputs
        requires_grad = any(isinstance(a, _Tensor) and a.requires_grad for a in args)
        if not requires_grad:
            return outputs
        if not isinstance(outputs, tuple):
            outputs = (outputs,)
        err = "trying to differentiate twice a function that was marked with @once_differentiable"

        class _Err(Function):
            @staticmethod
            def forward(ctx2, *xs):
                return tuple(x.clone() if x is not None else None for x in xs)

            @staticmethod
            def backward(ctx2, *gs):
                raise RuntimeError(err)

        result = _Err.apply(*[o for o in outputs])
        return result if len(result) > 1 else result[0]

    return wrapper
