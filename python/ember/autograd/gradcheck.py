"""gradcheck / gradgradcheck: compare the gradients backward computes with
central finite differences (use float64 inputs).

Complex numbers are checked as pairs of reals (Note [Complex gradcheck])."""
import numpy as np

from .. import _C

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]

_Tensor = _C.Tensor


class GradcheckError(RuntimeError):
    pass


# Note [Complex gradcheck]
# A function of complex tensors is seen as a real function F of the real and
# imaginary parts. Ember (like PyTorch) gives, for a real loss L, the
# gradient dL/dRe(z) + i dL/dIm(z), and an incoming gradient v of a complex
# output o stands for the loss Re(sum(conj(v) * o)). So the backward of F's
# output coordinate k (v = 1 for a real part, v = 1j for an imaginary part)
# returns row k of F's Jacobian, split the same way, and the numerical
# Jacobian of F is the finite differences of each real coordinate.

def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,) if not isinstance(x, list) else tuple(x)


def _is_diff(t):
    return isinstance(t, _Tensor) and (t.is_floating_point() or t.is_complex())


def _real_coords(t):
    """The real coordinates of a tensor's values as a float64 vector."""
    a = np.asarray(t.detach().numpy())
    if np.iscomplexobj(a):
        return np.stack([a.real, a.imag], axis=-1).reshape(-1).astype(np.float64)
    return a.reshape(-1).astype(np.float64)


def _numerical_jacobian(func, inputs, wrt, outputs_spec, eps):
    """Columns for each real coordinate of inputs[wrt]."""
    x = inputs[wrt]
    arr = x.detach().numpy()  # shares memory with x
    n_out = sum(n for _, n in outputs_spec)
    cplx = np.iscomplexobj(arr)
    cols = []
    for idx in np.ndindex(arr.shape):
        for part in ((1, 1j) if cplx else (1,)):
            orig = arr[idx]
            # Grad mode stays on: gradgradcheck's function differentiates inside.
            arr[idx] = orig + eps * part
            plus = [_real_coords(o) for o in _diff_outputs(func(*inputs))]
            arr[idx] = orig - eps * part
            minus = [_real_coords(o) for o in _diff_outputs(func(*inputs))]
            arr[idx] = orig
            col = np.concatenate([(p - m) / (2 * eps) for p, m in zip(plus, minus)]) if plus else np.zeros(n_out)
            cols.append(col)
    return np.stack(cols, axis=1) if cols else np.zeros((n_out, 0))


def _diff_outputs(out):
    return [o for o in _as_tuple(out) if _is_diff(o)]


def _analytical_jacobians(outputs, diff_inputs):
    from .. import zeros_like
    from . import grad as autograd_grad
    rows = {i: [] for i in range(len(diff_inputs))}
    for o in outputs:
        cplx = o.is_complex()
        flat = o.numel()
        for k in range(flat):
            for part in ((1, 1j) if cplx else (1,)):
                go = zeros_like(o)
                go.view(-1)[k] = part
                if not o.requires_grad:
                    gs = [None] * len(diff_inputs)
                else:
                    gs = autograd_grad([o], diff_inputs, [go], retain_graph=True, allow_unused=True)
                for i, (x, g) in enumerate(zip(diff_inputs, gs)):
                    rows[i].append(_real_coords(g) if g is not None else np.zeros(_n_real(x)))
    return [np.stack(rows[i], axis=0) if rows[i] else np.zeros((0, _n_real(x))) for i, x in enumerate(diff_inputs)]


def _n_real(t):
    return t.numel() * (2 if t.is_complex() else 1)


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True, fast_mode=False,
              masked=None):
    """True when the analytical gradients of func at inputs match finite
    differences; otherwise raises GradcheckError (or returns False)."""
    inputs = _as_tuple(inputs)
    diff_idx = [i for i, t in enumerate(inputs) if isinstance(t, _Tensor) and t.requires_grad]
    if not diff_idx:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of the them "
                         "have requires_grad=True.")
    for i in diff_idx:
        t = inputs[i]
        if t.dtype not in (_C.float64, _C.complex128):
            import warnings
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating "
                          "point or complex.")
    outputs = _diff_outputs(func(*inputs))
    spec = [(o, _n_real(o)) for o in outputs]
    diff_inputs = [inputs[i] for i in diff_idx]
    analytical = _analytical_jacobians(outputs, diff_inputs)
    for j, i in enumerate(diff_idx):
        numerical = _numerical_jacobian(func, inputs, i, spec, eps)
        a = analytical[j]
        if a.shape != numerical.shape or not np.allclose(a, numerical, rtol=rtol, atol=atol, equal_nan=True):
            msg = (f"Jacobian mismatch for output 0 with respect to input {i},\nnumerical:{numerical}\n"
                   f"analytical:{a}\n")
            if raise_exception:
                raise GradcheckError(msg)
            return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3, gen_non_contig_grad_outputs=False,
                  raise_exception=True, nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
                  check_batched_grad=False, check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """gradcheck of the backward itself (second derivatives)."""
    from .. import randn, float64
    from . import grad as autograd_grad
    inputs = _as_tuple(inputs)
    outputs = _diff_outputs(func(*inputs))
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = []
        for o in outputs:
            shape = tuple(o.shape)
            if o.is_complex():
                v = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
            else:
                v = rng.standard_normal(shape)
            grad_outputs.append(_C.tensor(np.asarray(v), dtype=o.dtype).requires_grad_(True))
    grad_outputs = list(_as_tuple(grad_outputs))
    n = len(inputs)

    def backward_of_func(*args):
        ins, gos = args[:n], args[n:]
        outs = _diff_outputs(func(*ins))
        diff_ins = [t for t in ins if isinstance(t, _Tensor) and t.requires_grad]
        grads = autograd_grad([o for o in outs if o.requires_grad], diff_ins,
                              [g for o, g in zip(outs, gos) if o.requires_grad], create_graph=True,
                              allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(backward_of_func, tuple(inputs) + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
