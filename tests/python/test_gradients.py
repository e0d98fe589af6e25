"""Gradient checks generated from the op table: every differentiable op is
checked against float64 finite differences (gradcheck), on contiguous
inputs and on inputs that are strided views of a leaf, with broadcasting
for binary ops; second derivatives (gradgradcheck) where the entry allows."""
import numpy as np
import pytest

import ember
from ember.autograd import gradcheck, gradgradcheck
from op_db import OP_DB, Raw
from test_ops import make_values

GRAD_UNARY_SHAPES = [(), (4,), (2, 3)]
GRAD_BINARY_SHAPES = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (3,))]
MAX_SAMPLE_NUMEL = 48  # finite differences cost one forward per element


def _grad_dtypes(info):
    out = []
    if "float64" in info.dtypes:
        out.append("float64")
    if info.grad_complex and "complex128" in info.dtypes:
        out.append("complex128")
    return out


def _small(a):
    """Small and finite: finite differences need both."""
    if isinstance(a, np.ndarray):
        return a.size <= MAX_SAMPLE_NUMEL and (a.dtype.kind not in "fc" or bool(np.isfinite(a).all()))
    if isinstance(a, (list, tuple)):
        return all(_small(x) for x in a)
    return True


def grad_samples(info, dtype, rng):
    """Lists of (args, kwargs) with NumPy arrays for differentiable inputs."""
    domain = info.grad_domain or info.domain
    make = info.grad_samples or info.sample_inputs
    if make is not None:
        return [(s.args, s.kwargs) for s in make(dtype, rng) if _small(s.args)]
    if info.arity == 1:
        return [((make_values(s, dtype, rng, domain),), {}) for s in GRAD_UNARY_SHAPES]
    if info.arity == 2:
        return [((make_values(a, dtype, rng, domain), make_values(b, dtype, rng, domain, nonzero=info.nonzero_rhs)), {})
                for a, b in GRAD_BINARY_SHAPES]
    shapes = [(2, 3)] * info.arity
    return [(tuple(make_values(s, dtype, rng, domain) for s in shapes), {})]


class _Leaves:
    """Turns the arrays of a sample into leaves that require grad, and
    rebuilds the op's arguments from them (as strided views if asked)."""

    def __init__(self, args, dtype, strided):
        self.leaves = []
        self.dtype = getattr(ember, dtype)
        self.strided = strided
        self.template = self._collect(args)

    def _collect(self, a):
        if isinstance(a, Raw):
            return ("raw", ember.tensor(a.array))
        if isinstance(a, np.ndarray):
            t = ember.tensor(a, dtype=self.dtype)
            if self.strided and t.dim() >= 1:
                base = ember.zeros(*t.shape, 2, dtype=self.dtype)
                base.select(-1, 0).copy_(t)
                t = base
            self.leaves.append(t.requires_grad_(True))
            return ("leaf", len(self.leaves) - 1, self.strided and t.dim() >= 2)
        if isinstance(a, (list, tuple)):
            return (type(a), [self._collect(x) for x in a])
        return ("value", a)

    def build(self, leaves, node=None):
        node = self.template if node is None else node
        kind = node[0]
        if kind == "raw" or kind == "value":
            return node[1]
        if kind == "leaf":
            t = leaves[node[1]]
            return t.select(-1, 0) if node[2] else t
        return node[0](self.build(leaves, x) for x in node[1])


def _finite_outputs(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    for o in outs:
        if isinstance(o, ember.Tensor) and (o.is_floating_point() or o.is_complex()):
            if not bool(np.isfinite(o.detach().numpy()).all()):
                return False
    return True


def _cases(gradgrad):
    for info in OP_DB:
        if not info.differentiable or (gradgrad and not info.check_gradgrad):
            continue
        for dtype in _grad_dtypes(info):
            for strided in ([False] if gradgrad else [False, True]):
                yield pytest.param(info, dtype, strided,
                                   id=f"{info.name}-{dtype}-{'strided' if strided else 'contig'}")


def _run(info, dtype, strided, check):
    rng = np.random.default_rng(0)
    samples = grad_samples(info, dtype, rng)
    checked = 0
    for args, kwargs in samples:
        leaves = _Leaves(args, dtype, strided)
        if not leaves.leaves:
            continue

        def func(*ls):
            return info.op(*leaves.build(ls), **kwargs)

        if not _finite_outputs(func(*leaves.leaves)):
            continue  # a NaN/inf output (var of one element ...) has no derivative to check
        assert check(func, tuple(leaves.leaves)), f"{info.name} {dtype}"
        checked += 1
    assert checked, f"{info.name}: no sample with a differentiable input"


@pytest.mark.parametrize("info,dtype,strided", list(_cases(gradgrad=False)))
def test_gradcheck(info, dtype, strided):
    _run(info, dtype, strided, lambda f, xs: gradcheck(f, xs, atol=1e-5, rtol=1e-3))


@pytest.mark.parametrize("info,dtype,strided", list(_cases(gradgrad=True)))
def test_gradgradcheck(info, dtype, strided):
    _run(info, dtype, strided, lambda f, xs: gradgradcheck(f, xs, atol=1e-5, rtol=1e-3))
