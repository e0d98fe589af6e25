"""Op table entries for the shape and data-movement ops (include/ember/ops/shape.h),
checked against NumPy by test_ops.py. Every sample runs for every dtype; a
sample with strided=True sees its tensors through non-contiguous views."""
import numpy as np

import ember
from op_db import ALL_DTYPES, OpInfo, Raw, Sample


def _vals(shape, dtype, rng):
    from test_ops import make_values  # noqa: PLC0415  (shared value maker)
    return make_values(shape, dtype, rng)


def _strided(x):
    """The same values seen through a view that skips every other element."""
    if isinstance(x, (list, tuple)):
        return type(x)(_strided(t) for t in x)
    if not isinstance(x, ember.Tensor) or x.dim() == 0:
        return x
    base = ember.zeros(*x.shape, 2, dtype=x.dtype)
    view = base.select(-1, 0)
    view.copy_(x)
    return view


def _nc(fn):
    """fn that also accepts strided=True (its tensors then become strided views)."""
    def wrapped(*args, strided=False, **kwargs):
        if strided:
            args = tuple(_strided(a) for a in args)
        return fn(*args, **kwargs)
    return wrapped


def _s(args, kwargs=None, strided=False):
    """A sample; a list as args is the one tensor-list argument of cat and friends."""
    if isinstance(args, list):
        args = (args,)
    kwargs = dict(kwargs or {})
    if strided:
        return Sample(args, dict(kwargs, strided=True), ref_kwargs=kwargs)
    return Sample(args, kwargs)


def _both(args, kwargs=None):
    return [_s(args, kwargs), _s(args, kwargs, strided=True)]


# ---- joining

def _cat_ref(ts, dim=0):
    kept = [a for a in ts if not (a.ndim == 1 and a.size == 0)]  # PyTorch's legacy skip
    return np.concatenate(kept or [ts[0]], axis=dim)


def _cat_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both([v(2, 3), v(4, 3)]) + _both([v(2, 3), v(2, 0), v(2, 1)], {"dim": 1})
            + _both([v(2, 3), v(0)]) + [_s([v(0), v(0)])] + _both([v(1, 1, 2), v(1, 1, 3)], {"dim": -1})
            + [_s([v(0, 3), v(0, 3)]), _s([v(5)]), _s(((v(3), v(4), v(1)),), {"dim": 0})]
            + _both([v(2, 70000), v(2, 5)], {"dim": 1}))


def _stack_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    out = []
    for d in (0, 1, 2, -1):
        out += _both([v(2, 3), v(2, 3), v(2, 3)], {"dim": d})
    return out + [_s([v(), v()]), _s([v(0, 2), v(0, 2)], {"dim": 1}), _s([v(1)])]


def _joiner_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return [
        _s([v(2, 3), v(2, 3)]), _s([v(2, 3, 4), v(2, 3, 4)]), _s([v(), v()]), _s([v(1, 1), v(1, 1)]),
        _s([v(2, 3), v(2, 3)], strided=True)]


def _hstack_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _joiner_samples(dtype, rng) + [_s([v(3), v(2)]), _s([v(2, 1), v(2, 4)]), _s([v(0), v(3)])]


def _vstack_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _joiner_samples(dtype, rng) + [_s([v(3), v(3)]), _s([v(1, 4), v(3, 4)]), _s([v(0, 2), v(2)])]


def _dstack_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _joiner_samples(dtype, rng) + [_s([v(3), v(3)]), _s([v(2, 2, 1), v(2, 2, 3)])]


def _column_stack_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return [_s([v(3), v(3)]), _s([v(3), v(3, 2)]), _s([v(), v()]), _s([v(0), v(0, 2)]),
            _s([v(4, 2), v(4)], strided=True)]


# ---- splitting

def _split_indices(n, sizes):
    return list(np.cumsum(sizes)[:-1])


def _split_ref(a, size, dim=0):
    n = a.shape[dim]
    if isinstance(size, int):
        if size == 0:
            return (a,)
        return tuple(np.split(a, list(range(size, n, size)), axis=dim))
    return tuple(np.split(a, _split_indices(n, size), axis=dim))


def _split_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(7, 3), 2)) + _both((v(7, 3), [3, 0, 4])) + _both((v(4, 6), 4, 1)) + _both((v(4, 6), 7, -1))
            + [_s((v(0, 2), 0)), _s((v(0, 2), 3)), _s((v(1), 1)), _s((v(5), [5])), _s((v(2, 5), [1, 1, 3], 1))])


def _chunk_ref(a, chunks, dim=0):
    n = a.shape[dim]
    size = -(-n // chunks)  # ceil: every chunk but the last has this size
    return _split_ref(a, size, dim)


def _chunk_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(6, 2), 4)) + _both((v(6, 5), 2, 1)) + _both((v(3, 5), 5, -1))
            + [_s((v(0, 3), 2)), _s((v(1), 3)), _s((v(5), 1))])


def _tensor_split_ref(a, sections, dim=0):
    if isinstance(sections, np.ndarray):
        sections = sections.tolist()
    return tuple(np.array_split(a, sections, axis=dim))


def _tensor_split_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(7, 3), 3)) + _both((v(3, 8), [1, 5], 1)) + _both((v(6,), [-2, 3, 10]))
            + [_s((v(2), 5)), _s((v(0, 3), 2)), _s((v(5), [4, 2])), _s((v(4, 4), (2,), -1)),
               _s((v(6), Raw(np.array([1, 4])))), _s((v(6), Raw(np.array(4))))])


def _hsplit_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(3, 4), 2)) + [_s((v(6), 3)), _s((v(2, 6), [1, 4])), _s((v(2, 0), 1))]


def _vsplit_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(4, 3), 2)) + [_s((v(6, 1), [1, 4])), _s((v(0, 2), 3))]


def _dsplit_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(2, 2, 4), 2)) + [_s((v(1, 2, 6), [2, 3]))]


# ---- flipping, rolling, rotating

def _flip_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(3, 4), (0,))) + _both((v(3, 4), (1,))) + _both((v(2, 3, 4), (0, 2)))
            + _both((v(2, 3, 4), (0, 1, 2))) + _both((v(1000, 3), (0,)))
            + [_s((v(5), (0,))), _s((v(0, 3), (1,))), _s((v(1, 1), (-1,))), _s((v(), ())), _s((v(3, 4), ())),
               _s((v(70000, 2), (0, 1)))])


def _fliplr_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(3, 4),)) + [_s((v(2, 5, 3),)), _s((v(0, 2),))]


def _flipud_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(3, 4),)) + [_s((v(5),)), _s((v(0, 2),))]


def _roll_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(3, 4), 1)) + _both((v(3, 4), -5, 1)) + _both((v(3, 4, 2), (1, 2), (0, 2)))
            + [_s((v(5), 7)), _s((v(0, 3), 1, 1)), _s((v(4), 0)), _s((v(2, 3), 3, 1)), _s((v(1,), -1)),
               _s((v(2, 3), 4))])


def _roll_ref(a, shifts, dims=None):
    return np.roll(a, shifts, axis=dims)


def _rot90_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    out = []
    for k in (0, 1, 2, 3, -1, 5):
        out += _both((v(3, 4), k))
    return out + [_s((v(2, 3, 4), 1, (1, 2))), _s((v(2, 3, 4), 1, (2, 0))), _s((v(0, 3), 1)),
                  _s((v(2, 3), -3, (-1, -2)))]


def _rot90_ref(a, k=1, dims=(0, 1)):
    return np.rot90(a, k, axes=dims)


# ---- repeating

def _repeat_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(2, 3), 2, 1)) + _both((v(2, 3), 2, 2, 3)) + _both((v(3,), (1, 4, 2)))
            + [_s((v(), 3)), _s((v(), (2, 2))), _s((v(0, 2), 2, 2)), _s((v(2, 3), 0, 1)), _s((v(1, 1), 1, 1))])


def _tile_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(2, 3), (2,))) + _both((v(2, 3), (2, 1, 2)))
            + [_s((v(3,), (2, 2))), _s((v(), (3,))), _s((v(0, 2), (2, 2))), _s((v(2, 2, 2), (1, 3)))])


def _repeat_interleave_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(2, 3), 2)) + _both((v(2, 3), 3, 1)) + _both((v(3, 2), Raw(np.array([1, 0, 3])), 0))
            + _both((v(2, 3), Raw(np.array([2, 1, 0])), -1))
            + [_s((v(4), Raw(np.array([2, 0, 1, 3])))), _s((v(2, 2), Raw(np.array([3])), 1)), _s((v(), 3)),
               _s((v(0, 2), 2, 0)), _s((v(3), 0)), Sample((v(2, 3), 2, 0), {"output_size": 4}, ref_kwargs={})])


def _repeat_interleave_ref(a, repeats, dim=None):
    return np.repeat(a, repeats, axis=dim)


# ---- triangles and diagonals

def _triangle_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    out = []
    for k in (0, 1, -1, 3, -4, 100, -100):
        out += [_s((v(3, 4), k))]
    return out + _both((v(2, 4, 3),)) + _both((v(4, 5), 2)) + [
        _s((v(0, 3),)), _s((v(2, 0, 3), 1)), _s((v(1, 1),)), _s((v(2, 1, 3, 3), -1)), _s((v(300, 200), 5))]


def _diag_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    out = []
    for k in (0, 2, -1):
        out += _both((v(4,), k)) + _both((v(3, 5), k))
    return out + [_s((v(0,),)), _s((v(0,), 2)), _s((v(1,),)), _s((v(2, 3), 5)), _s((v(0, 3),))]


def _diag_embed_ref(a, offset=0, dim1=-2, dim2=-1):
    n = a.shape[-1] + abs(offset)
    out = np.zeros(a.shape[:-1] + (n, n), dtype=a.dtype)
    idx = np.arange(a.shape[-1])
    rows, cols = (idx, idx + offset) if offset >= 0 else (idx - offset, idx)
    out[..., rows, cols] = a
    nd = out.ndim
    # Built with the diagonal in the last two dims; move them to dim1/dim2.
    d1, d2 = dim1 % nd, dim2 % nd
    return np.moveaxis(out, (nd - 2, nd - 1), (d1, d2))


def _diag_embed_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(3,),)) + _both((v(2, 3), 1)) + _both((v(2, 3), -2, 0, 2))
            + [_s((v(2, 3), 0, 2, 0)), _s((v(2, 2, 3), 1, 1, 3)), _s((v(0,),)), _s((v(2, 0), 1))])


def _diagflat_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(2, 2),)) + _both((v(3,), 1)) + [_s((v(), -1)), _s((v(0, 3),)), _s((v(2, 3), -2))]


# ---- dims, grids and broadcasting

def _movedim_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(2, 3, 4), 0, 2)) + _both((v(2, 3, 4), (0, 1), (2, 0))) + _both((v(2, 3, 4), -1, 0))
            + [_s((v(0, 3, 1), (0,), (-1,))), _s((v(2, 3), (), ()))])


def _meshgrid_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    out = []
    for ix in ("ij", "xy"):
        out += _both((v(3), v(2)), {"indexing": ix}) + [
            _s((v(2), v(3), v(4)), {"indexing": ix}), _s((v(4),), {"indexing": ix}),
            _s((v(0), v(2)), {"indexing": ix}), _s((v(), v(3)), {"indexing": ix})]
    return out


def _meshgrid_ref(*arrays, indexing="ij"):
    return tuple(np.meshgrid(*arrays, indexing=indexing))


def _cartesian_prod_ref(*arrays):
    if len(arrays) == 1:
        return arrays[0]
    grids = np.meshgrid(*arrays, indexing="ij")
    return np.stack([g.reshape(-1) for g in grids], axis=1)


def _cartesian_prod_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(3), v(2))) + [_s((v(2), v(2), v(3))), _s((v(4),)), _s((v(0), v(3)))]


def _broadcast_to_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return (_both((v(3, 1), (2, 3, 4))) + _both((v(4,), (3, 4)))
            + [_s((v(), (2, 2))), _s((v(1, 0), (3, 0))), _s((v(2, 3), (2, 3)))])


def _broadcast_tensors_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(3, 1), v(1, 4), v(4))) + [_s((v(), v(2))), _s((v(0, 1), v(3))), _s((v(5),))]


def _atleast_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return ([_s((v(),)), _s((v(3),)), _s((v(2, 3),)), _s((v(2, 3, 4),)), _s((v(0),)),
             _s((v(2, 3),), strided=True), _s((v(), v(3), v(2, 2)))])


def _atleast_ref(fn):
    def ref(*arrays):
        out = fn(*arrays)
        return tuple(out) if len(arrays) > 1 else out
    return ref


def _ravel_samples(dtype, rng):
    v = lambda *s: _vals(s, dtype, rng)  # noqa: E731
    return _both((v(2, 3),)) + [_s((v(),)), _s((v(0, 4),)), _s((v(3, 1, 2),))]


def _method(name):
    return lambda t, *a, **k: getattr(t, name)(*a, **k)


def _info(name, op, ref, samples):
    return OpInfo(name, _nc(op), ref, ALL_DTYPES, sample_inputs=samples, differentiable=True)


OPS = [
    _info("cat", ember.cat, _cat_ref, _cat_samples),
    _info("stack", ember.stack, lambda ts, dim=0: np.stack(ts, axis=dim), _stack_samples),
    _info("hstack", ember.hstack, np.hstack, _hstack_samples),
    _info("vstack", ember.vstack, np.vstack, _vstack_samples),
    _info("dstack", ember.dstack, np.dstack, _dstack_samples),
    _info("column_stack", ember.column_stack, np.column_stack, _column_stack_samples),
    _info("split", ember.split, _split_ref, _split_samples),
    _info("chunk", ember.chunk, _chunk_ref, _chunk_samples),
    _info("tensor_split", ember.tensor_split, _tensor_split_ref, _tensor_split_samples),
    _info("hsplit", ember.hsplit, lambda a, s: tuple(np.hsplit(a, s)), _hsplit_samples),
    _info("vsplit", ember.vsplit, lambda a, s: tuple(np.vsplit(a, s)), _vsplit_samples),
    _info("dsplit", ember.dsplit, lambda a, s: tuple(np.dsplit(a, s)), _dsplit_samples),
    _info("flip", ember.flip, lambda a, dims: np.flip(a, axis=dims), _flip_samples),
    _info("fliplr", ember.fliplr, np.fliplr, _fliplr_samples),
    _info("flipud", ember.flipud, np.flipud, _flipud_samples),
    _info("roll", ember.roll, _roll_ref, _roll_samples),
    _info("rot90", ember.rot90, _rot90_ref, _rot90_samples),
    _info("repeat", _method("repeat"), lambda a, *reps: np.tile(a, reps[0] if len(reps) == 1 and
                                                                 isinstance(reps[0], tuple) else reps),
          _repeat_samples),
    _info("tile", ember.tile, np.tile, _tile_samples),
    _info("repeat_interleave", ember.repeat_interleave, _repeat_interleave_ref, _repeat_interleave_samples),
    _info("tril", ember.tril, np.tril, _triangle_samples),
    _info("triu", ember.triu, np.triu, _triangle_samples),
    _info("diag", ember.diag, np.diag, _diag_samples),
    _info("diag_embed", ember.diag_embed, _diag_embed_ref, _diag_embed_samples),
    _info("diagflat", ember.diagflat, np.diagflat, _diagflat_samples),
    _info("movedim", ember.movedim, np.moveaxis, _movedim_samples),
    _info("meshgrid", ember.meshgrid, _meshgrid_ref, _meshgrid_samples),
    _info("cartesian_prod", ember.cartesian_prod, _cartesian_prod_ref, _cartesian_prod_samples),
    _info("broadcast_to", ember.broadcast_to, np.broadcast_to, _broadcast_to_samples),
    _info("broadcast_tensors", ember.broadcast_tensors, lambda *a: tuple(np.broadcast_arrays(*a)),
          _broadcast_tensors_samples),
    _info("atleast_1d", ember.atleast_1d, _atleast_ref(np.atleast_1d), _atleast_samples),
    _info("atleast_2d", ember.atleast_2d, _atleast_ref(np.atleast_2d), _atleast_samples),
    _info("atleast_3d", ember.atleast_3d, _atleast_ref(np.atleast_3d), _atleast_samples),
    _info("ravel", ember.ravel, np.ravel, _ravel_samples),
]
