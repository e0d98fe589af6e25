"""Op table entries for the index/mask ops (index_select, masked_fill,
masked_select, take, take_along_dim, nonzero, index_add). Samples cover
size-0 and size-1 dims, broadcasting masks, negative indices, duplicates
and non-contiguous inputs (the `strided` kwarg makes the op see its first
input through a strided view holding the same values)."""
import numpy as np

import ember
from op_db import ALL_DTYPES, OpInfo, Raw, Sample


def _values(shape, dtype, rng):
    from test_ops import make_values  # noqa: PLC0415  (shared value maker)
    return make_values(shape, dtype, rng)


def _strided(t):
    """The values of t through a non-contiguous view."""
    if t.dim() == 0:
        return t
    base = ember.zeros(*t.shape, 2, dtype=t.dtype)
    v = base[..., 0]
    v.copy_(t)
    assert not v.is_contiguous() or t.numel() <= 1
    return v


def _wrap(fn):
    def op(x, *args, strided=False, **kwargs):
        return fn(_strided(x) if strided else x, *args, **kwargs)
    return op


def _idx(values):
    return Raw(np.asarray(values, dtype=np.int64))


def _mask(values):
    return Raw(np.asarray(values, dtype=bool))


def _with_strided(samples):
    """Each sample twice: contiguous, then through a strided view."""
    out = []
    for s in samples:
        out.append(s)
        out.append(Sample(s.args, {**s.kwargs, "strided": True}, ref_kwargs=s.kwargs))
    return out


# ---- index_select

def _index_select_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(4, 3), 0, _idx([3, 0, 0, -1]))),
        Sample((v(4, 3), 1, _idx([2]))),
        Sample((v(2, 3, 4), -1, _idx([1, 3]))),
        Sample((v(4, 3), 0, _idx([]))),
        Sample((v(0, 3), 1, _idx([0, 2]))),
        Sample((v(1, 5), 0, _idx([0, 0, 0]))),
        Sample((v(5), 0, _idx(2))),  # 0-d index: one element kept as a dim
    ])


def _index_select_ref(x, dim, index):
    return np.take(x, np.atleast_1d(index), axis=dim)


# ---- masked_fill

def _masked_fill_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    m = lambda *shape: _mask(rng.integers(0, 2, size=shape).astype(bool))  # noqa: E731
    fill = True if dtype == "bool" else (3 if dtype in ("uint8", "int8", "int16", "int32", "int64") else -2.5)
    return _with_strided([
        Sample((v(3, 4), m(3, 4), fill)),
        Sample((v(3, 4), m(4), fill)),        # mask broadcast to self
        Sample((v(3, 1), m(1, 5), fill)),     # self broadcast too (out of place)
        Sample((v(0, 4), m(4), fill)),
        Sample((v(), m(), fill)),
        Sample((v(1, 1), m(1, 1), fill)),
    ])


def _masked_fill_ref(x, mask, value):
    shape = np.broadcast_shapes(x.shape, mask.shape)
    return np.where(np.broadcast_to(mask, shape), value, np.broadcast_to(x, shape))


# ---- masked_select

def _masked_select_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    m = lambda *shape: _mask(rng.integers(0, 2, size=shape).astype(bool))  # noqa: E731
    return _with_strided([
        Sample((v(3, 4), m(3, 4))),
        Sample((v(3, 4), m(4))),
        Sample((v(3, 1), m(2, 1, 5))),
        Sample((v(0, 2), m(2))),
        Sample((v(5), _mask(np.zeros(5, bool)))),
        Sample((v(), m())),
    ])


def _masked_select_ref(x, mask):
    shape = np.broadcast_shapes(x.shape, mask.shape)
    return np.broadcast_to(x, shape)[np.broadcast_to(mask, shape)]


# ---- take

def _take_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(3, 4), _idx([[0, 11], [-1, 5]]))),
        Sample((v(6), _idx([5, 5, 0]))),
        Sample((v(2, 3), _idx([]))),
        Sample((v(), _idx(0))),
        Sample((v(1, 1), _idx([0, -1]))),
    ])


# ---- take_along_dim

def _take_along_dim_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(3, 4), _idx(rng.integers(-4, 4, size=(3, 2))), 1)),
        Sample((v(3, 4), _idx(rng.integers(0, 3, size=(5, 4))), 0)),
        Sample((v(3, 4), _idx(rng.integers(0, 4, size=(1, 6))), -1)),   # indices broadcast over dim 0
        Sample((v(1, 4), _idx(rng.integers(0, 4, size=(3, 2))), 1)),     # self broadcast over dim 0
        Sample((v(2, 3, 4), _idx(rng.integers(0, 3, size=(2, 0, 4))), 1)),
        Sample((v(3, 4), _idx([[0, 11, -12]]))),                         # no dim: flattened
    ])


def _take_along_dim_ref(x, indices, dim=None):
    if dim is None:
        return np.take(x.reshape(-1), indices.reshape(-1))
    xs, ixs = list(x.shape), list(indices.shape)
    xs[dim] = ixs[dim] = 1
    b = list(np.broadcast_shapes(tuple(xs), tuple(ixs)))
    bx, bi = list(b), list(b)
    bx[dim], bi[dim] = x.shape[dim], indices.shape[dim]
    return np.take_along_axis(np.broadcast_to(x, bx), np.broadcast_to(indices, bi), axis=dim)


# ---- nonzero

def _nonzero_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(3, 4),)),
        Sample((v(7),)),
        Sample((v(2, 0, 3),)),
        Sample((v(2, 1, 3),)),
        Sample((v(),)),
        Sample((np.zeros((2, 2)),)),
    ])


def _nonzero_ref(x):
    return np.argwhere(x).astype(np.int64)


# ---- index_add

def _index_add_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    alpha = 2 if dtype not in ("bool",) else True
    return _with_strided([
        Sample((v(4, 3), 0, _idx([0, 2, 0]), v(3, 3))),            # duplicates accumulate
        Sample((v(4, 3), 1, _idx([-1, 1]), v(4, 2))),
        Sample((v(2, 3, 4), 2, _idx([3, 3, 3, 0]), v(2, 3, 4)), {"alpha": alpha}),
        Sample((v(4, 3), 0, _idx([]), v(0, 3))),
        Sample((v(0, 3), 1, _idx([0]), v(0, 1))),
        Sample((v(5), 0, _idx(3), v(1))),
    ])


def _index_add_ref(x, dim, index, source, alpha=1):
    out = np.array(x, copy=True)
    idx = np.atleast_1d(index) % max(x.shape[dim], 1) if x.shape[dim] else np.atleast_1d(index)
    moved = np.moveaxis(out, dim, 0)
    src = np.moveaxis(np.asarray(source), dim, 0)
    if out.dtype == bool:
        for i, j in enumerate(idx):
            moved[j] = moved[j] | (src[i] & bool(alpha))
    else:
        np.add.at(moved, idx, src * alpha)
    return out


OPS = [
    OpInfo("index_select", _wrap(ember.index_select), _index_select_ref, ALL_DTYPES,
           sample_inputs=_index_select_samples, differentiable=True),
    OpInfo("masked_fill", _wrap(ember.masked_fill), _masked_fill_ref, ALL_DTYPES,
           sample_inputs=_masked_fill_samples, differentiable=True),
    OpInfo("masked_select", _wrap(ember.masked_select), _masked_select_ref, ALL_DTYPES,
           sample_inputs=_masked_select_samples, differentiable=True),
    OpInfo("take", _wrap(ember.take), lambda x, i: np.take(x.reshape(-1), i), ALL_DTYPES,
           sample_inputs=_take_samples, differentiable=True),
    OpInfo("take_along_dim", _wrap(ember.take_along_dim), _take_along_dim_ref, ALL_DTYPES,
           sample_inputs=_take_along_dim_samples, differentiable=True),
    OpInfo("nonzero", _wrap(ember.nonzero), _nonzero_ref, ALL_DTYPES,
           sample_inputs=_nonzero_samples, differentiable=False),
    OpInfo("index_add", _wrap(ember.index_add), _index_add_ref, ALL_DTYPES,
           sample_inputs=_index_add_samples, differentiable=True,
           rtol={"float16": 1e-2, "bfloat16": 5e-2}),  # each duplicate's add rounds in the dtype
]
