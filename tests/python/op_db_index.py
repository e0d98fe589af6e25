"""Op table entries for the index/mask ops (index_select, masked_fill,
masked_select, take, take_along_dim, nonzero, index_add, index_copy,
index_fill, masked_scatter, put, index_put, t[...] and t[...] = v). Samples cover
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


# ---- index_copy, index_fill (indices unique where a value is written, so
# that the written values' gradients are well defined)

def _fill_value(dtype):
    return True if dtype == "bool" else (3 if dtype in ("uint8", "int8", "int16", "int32", "int64") else -2.5)


def _index_copy_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(4, 3), 0, _idx([3, 0]), v(2, 3))),
        Sample((v(4, 3), 1, _idx([2, 0, 1]), v(4, 3))),
        Sample((v(2, 3, 4), -1, _idx([1]), v(2, 3, 1))),
        Sample((v(4, 3), 0, _idx([]), v(0, 3))),
        Sample((v(5), 0, _idx([4]), v(1))),
    ])


def _index_copy_ref(x, dim, index, source):
    out = np.array(x, copy=True)
    np.moveaxis(out, dim, 0)[np.atleast_1d(index)] = np.moveaxis(np.asarray(source), dim, 0)
    return out


def _index_fill_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    fill = _fill_value(dtype)
    return _with_strided([
        Sample((v(4, 3), 1, _idx([0, 2]), fill)),
        Sample((v(4, 3), 0, _idx([1, 1, -1]), fill)),
        Sample((v(2, 3, 4), 2, _idx([]), fill)),
        Sample((v(5), 0, _idx(3), fill)),
    ])


def _index_fill_tensor_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return [Sample((s.args[0], s.args[1], s.args[2], v()), s.kwargs, s.ref_kwargs)
            for s in _index_fill_samples(dtype, rng)]


def _index_fill_ref(x, dim, index, value):
    out = np.array(x, copy=True)
    np.moveaxis(out, dim, 0)[np.atleast_1d(index)] = value
    return out


def _masked_fill_tensor_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return [Sample((s.args[0], s.args[1], v()), s.kwargs, s.ref_kwargs) for s in _masked_fill_samples(dtype, rng)]


# ---- masked_scatter

def _masked_scatter_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    m = lambda *shape: _mask(rng.integers(0, 2, size=shape).astype(bool))  # noqa: E731
    return _with_strided([
        Sample((v(3, 4), m(3, 4), v(12))),
        Sample((v(3, 4), m(4), v(3, 5))),       # mask broadcast; source larger than needed
        Sample((v(2, 1), m(2, 3), v(6))),       # self broadcast (out of place)
        Sample((v(0, 2), m(2), v(1))),
        Sample((v(), _mask(True), v(1))),
    ])


def _masked_scatter_ref(x, mask, source):
    shape = np.broadcast_shapes(x.shape, mask.shape)
    out = np.array(np.broadcast_to(x, shape), copy=True)
    m = np.broadcast_to(mask, shape)
    out[m] = np.asarray(source).reshape(-1)[:int(m.sum())]
    return out


# ---- put

def _put_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(3, 4), _idx([0, 5, -2]), v(3))),
        Sample((v(3, 4), _idx([[1, 7], [2, 11]]), v(2, 2))),
        Sample((v(6), _idx([]), v(0))),
        Sample((v(3, 4), _idx([1, 1, 3]), v(3)), {"accumulate": True}),   # duplicates add up
    ])


def _put_ref(x, index, source, accumulate=False):
    out = np.array(x, copy=True)
    flat = out.reshape(-1)
    idx = np.asarray(index).reshape(-1) % max(flat.size, 1)
    if accumulate:
        np.add.at(flat, idx, np.asarray(source).reshape(-1))
    else:
        flat[idx] = np.asarray(source).reshape(-1)
    return out


# ---- index_put (a tuple of index tensors)

def _index_put_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(4, 3), (_idx([0, 2]),), v(2, 3))),
        Sample((v(4, 3), (_idx([0, 2]), _idx([1, 1])), v(2))),
        Sample((v(4, 3), (_idx([1]),), v(3))),                       # value broadcast
        Sample((v(4, 3), (_mask([True, False, True, False]),), v(1, 3))),
        Sample((v(4, 3), (_idx([0, 3, 0]),), v(3, 3)), {"accumulate": True}),
        Sample((v(4, 3), (_idx([2, 2]), _idx([0, 0])), v()), {"accumulate": True}),
    ])


def _index_put_ref(x, indices, values, accumulate=False):
    out = np.array(x, copy=True)
    idx = tuple(indices)
    if accumulate:
        np.add.at(out, idx, np.broadcast_to(values, out[idx].shape))
    else:
        out[idx] = values
    return out


# ---- t[key] and t[key] = value (the key's entries are the op's trailing
# arguments, so that index arrays become tensors)

def _getitem(x, *key, strided=False):
    return (_strided(x) if strided else x)[key]


def _getitem_ref(x, *key):
    return x[key]


def _getitem_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(4, 3), 1)),
        Sample((v(4, 3), slice(1, None), 0)),
        Sample((v(2, 3, 4), Ellipsis, None, slice(0, 4, 2))),
        Sample((v(4, 3), slice(None, None, 3), None)),
        Sample((v(4, 3), _idx([0, 2, 2]))),                          # duplicates add up
        Sample((v(4, 3), slice(None), _idx([[0], [2]]))),
        Sample((v(4, 3), _mask(np.arange(12).reshape(4, 3) % 3 == 0))),
        Sample((v(2, 3, 4), _idx([1, 0]), slice(None), _idx([3, 3]))),  # advanced dims separated
    ])


def _setitem(x, value, *key, strided=False):
    y = (_strided(x) if strided else x).clone()
    y[key] = value
    return y


def _setitem_ref(x, value, *key):
    out = np.array(x, copy=True)
    out[key] = value
    return out


def _setitem_samples(dtype, rng):
    v = lambda *shape: _values(shape, dtype, rng)  # noqa: E731
    return _with_strided([
        Sample((v(4, 3), v(3), 1)),
        Sample((v(4, 3), v(1, 2), slice(1, 3), 0)),                  # extra leading size-1 dim dropped
        Sample((v(4, 3), v(), Ellipsis, slice(0, 3, 2))),
        Sample((v(4, 3), v(2, 3), _idx([3, 0]))),
        Sample((v(4, 3), v(2), _idx([0, 2]), _idx([1, 1]))),
        Sample((v(4, 3), v(4), _mask(np.arange(12).reshape(4, 3) % 3 == 0))),
    ])


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
    OpInfo("index_copy", _wrap(ember.index_copy), _index_copy_ref, ALL_DTYPES,
           sample_inputs=_index_copy_samples, differentiable=True),
    OpInfo("index_fill", _wrap(ember.index_fill), _index_fill_ref, ALL_DTYPES,
           sample_inputs=_index_fill_samples, differentiable=True),
    OpInfo("index_fill_tensor_value", _wrap(ember.index_fill), _index_fill_ref, ALL_DTYPES,
           sample_inputs=_index_fill_tensor_samples, differentiable=True),
    OpInfo("masked_fill_tensor_value", _wrap(ember.masked_fill), _masked_fill_ref, ALL_DTYPES,
           sample_inputs=_masked_fill_tensor_samples, differentiable=True),
    OpInfo("masked_scatter", _wrap(ember.masked_scatter), _masked_scatter_ref, ALL_DTYPES,
           sample_inputs=_masked_scatter_samples, differentiable=True),
    OpInfo("put", _wrap(ember.put), _put_ref, ALL_DTYPES, sample_inputs=_put_samples, differentiable=True,
           rtol={"float16": 1e-2, "bfloat16": 5e-2}),
    OpInfo("index_put", _wrap(ember.index_put), _index_put_ref, ALL_DTYPES, sample_inputs=_index_put_samples,
           differentiable=True, rtol={"float16": 1e-2, "bfloat16": 5e-2}),
    OpInfo("getitem", _getitem, _getitem_ref, ALL_DTYPES, sample_inputs=_getitem_samples, differentiable=True),
    OpInfo("setitem", _setitem, _setitem_ref, ALL_DTYPES, sample_inputs=_setitem_samples, differentiable=True),
]
