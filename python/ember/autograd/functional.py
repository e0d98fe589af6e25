"""ember.autograd.functional: vjp, jvp, jacobian, hessian, hvp, vhp.

jvp uses the double-backward trick: with u a dummy cotangent that requires
grad, g(u) = J^T u is linear in u, so d<g(u), v>/du = J v."""
from .. import _C

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]

_Tensor = _C.Tensor


def _tuple(x, name):
    is_tuple = isinstance(x, (tuple, list))
    xs = tuple(x) if is_tuple else (x,)
    for i, t in enumerate(xs):
        if not isinstance(t, _Tensor):
            raise TypeError(f"The {name} given to the function must be either a Tensor or a tuple of Tensors but "
                            f"the value at index {i} has type {type(t).__name__}.")
    return is_tuple, xs


def _prepare(inputs, create_graph):
    # Fresh leaves, so that gradients flow only to what the function computes.
    out = []
    for t in inputs:
        if create_graph and t.requires_grad:
            out.append(t.view_as(t))
        else:
            out.append(t.detach().requires_grad_(True))
    return tuple(out)


def _grad(outputs, inputs, grad_outputs, create_graph, retain_graph=None):
    from . import grad
    outs, gos = [], []
    for o, g in zip(outputs, grad_outputs):
        if o.requires_grad:
            outs.append(o)
            gos.append(g)
    if not outs:
        return (None,) * len(inputs)
    return grad(outs, inputs, gos, create_graph=create_graph, retain_graph=retain_graph, allow_unused=True)


def _fill_none(grads, like):
    from .. import zeros_like
    return tuple(g if g is not None else zeros_like(t) for g, t in zip(grads, like))


def _detach(ts, create_graph):
    return tuple(t if create_graph else t.detach() for t in ts)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J)."""
    from .. import ones_like
    is_tuple, inputs = _tuple(inputs, "inputs")
    with _C_enable_grad():
        ins = _prepare(inputs, create_graph)
        out = func(*ins)
        out_tuple, outs = _tuple(out, "outputs of the user-provided function")
        if v is None:
            if any(o.numel() != 1 for o in outs):
                raise RuntimeError("The vector v can only be None if the user-provided function returns a single "
                                   "Tensor with a single element.")
            vs = tuple(ones_like(o) for o in outs)
        else:
            _, vs = _tuple(v, "v")
        grads = _fill_none(_grad(outs, ins, vs, create_graph), ins)
    outs = _detach(outs, create_graph)
    grads = _detach(grads, create_graph)
    return (outs if out_tuple else outs[0]), (grads if is_tuple else grads[0])


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v), by the double-backward trick."""
    from .. import ones_like, zeros_like
    is_tuple, inputs = _tuple(inputs, "inputs")
    if v is None:
        if len(inputs) != 1 or inputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the input to the user-provided function is a "
                               "single Tensor with a single element.")
        vs = (ones_like(inputs[0]),)
    else:
        _, vs = _tuple(v, "v")
    with _C_enable_grad():
        ins = _prepare(inputs, create_graph)
        out = func(*ins)
        out_tuple, outs = _tuple(out, "outputs of the user-provided function")
        dummies = tuple(zeros_like(o).requires_grad_(True) for o in outs)
        g = _grad(outs, ins, dummies, create_graph=True)
        pairs = [(gi, vi) for gi, vi in zip(g, vs) if gi is not None and gi.requires_grad]
        if pairs:
            from . import grad
            jv = grad([p[0] for p in pairs], list(dummies), [p[1] for p in pairs], create_graph=create_graph,
                      allow_unused=True)
        else:
            jv = (None,) * len(outs)
        jv = _fill_none(jv, outs)
    outs = _detach(outs, create_graph)
    jv = _detach(jv, create_graph)
    return (outs if out_tuple else outs[0]), (jv if out_tuple else jv[0])


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """The Jacobian: for one input and one output, a tensor of shape
    output.shape + input.shape; tuples of those otherwise."""
    from .. import stack, zeros, zeros_like
    is_tuple, inputs = _tuple(inputs, "inputs")
    with _C_enable_grad():
        ins = _prepare(inputs, create_graph)
        out = func(*ins)
        out_tuple, outs = _tuple(out, "outputs of the user-provided function")
        result = []
        for o in outs:
            per_input = [[] for _ in ins]
            flat = o.reshape(-1)
            for k in range(flat.numel()):
                if o.requires_grad:
                    go = zeros_like(o)
                    go.view(-1)[k] = 1
                    gs = _grad([o], ins, [go], create_graph=create_graph, retain_graph=True)
                else:
                    gs = (None,) * len(ins)
                for j, (g, x) in enumerate(zip(gs, ins)):
                    per_input[j].append(g if g is not None else zeros_like(x))
            row = []
            for j, x in enumerate(ins):
                if per_input[j]:
                    J = stack(per_input[j]).reshape(tuple(o.shape) + tuple(x.shape))
                else:
                    J = zeros(tuple(o.shape) + tuple(x.shape), dtype=x.dtype)
                row.append(J if create_graph else J.detach())
            result.append(tuple(row))
    if not out_tuple and not is_tuple:
        return result[0][0]
    if not out_tuple:
        return result[0]
    if not is_tuple:
        return tuple(r[0] for r in result)
    return tuple(result)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar function."""
    is_tuple, inputs = _tuple(inputs, "inputs")

    def grad_func(*ins):
        out = func(*ins)
        _, outs = _tuple(out, "outputs of the user-provided function")
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor containing a single "
                               "element.")
        from . import grad
        gs = grad(outs[0], ins, create_graph=True, allow_unused=True)
        gs = _fill_none(gs, ins)
        return gs if is_tuple else gs[0]

    return jacobian(grad_func, inputs if is_tuple else inputs[0], create_graph=create_graph)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H)."""
    return _hessian_vector(func, inputs, v, create_graph)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v); H is symmetric for smooth functions, so this is v^T H."""
    return _hessian_vector(func, inputs, v, create_graph)


def _hessian_vector(func, inputs, v, create_graph):
    from . import grad
    is_tuple, inputs = _tuple(inputs, "inputs")
    _, vs = _tuple(v, "v") if v is not None else (False, None)
    with _C_enable_grad():
        ins = _prepare(inputs, create_graph)
        out = func(*ins)
        if not isinstance(out, _Tensor) or out.numel() != 1:
            raise RuntimeError("The function given to hvp should return a single Tensor containing a single "
                               "element.")
        if vs is None:
            if len(ins) != 1 or ins[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the input to the user-provided function is "
                                   "a single Tensor with a single element.")
            from .. import ones_like
            vs = (ones_like(ins[0]),)
        gs = grad(out, ins, create_graph=True, allow_unused=True)
        pairs = [(g, vv) for g, vv in zip(gs, vs) if g is not None and g.requires_grad]
        if pairs:
            hv = grad([p[0] for p in pairs], ins, [p[1] for p in pairs], create_graph=create_graph,
                      allow_unused=True)
        else:
            hv = (None,) * len(ins)
        hv = _fill_none(hv, ins)
    out = out if create_graph else out.detach()
    hv = _detach(hv, create_graph)
    return out, (hv if is_tuple else hv[0])


class _C_enable_grad:
    def __enter__(self):
        self._prev = _C.is_grad_enabled()
        _C._set_grad_enabled(True)

    def __exit__(self, *exc):
        _C._set_grad_enabled(self._prev)
