"""Op table entries for reductions, scans and softmax (see op_db.py). Each
sample reduces over int / tuple / negative dims, with and without keepdim,
over shapes with size-0 and size-1 dims; `flip=True` samples hand the op a
non-contiguous view (the wrappers below transpose back), with the reference
seeing the same values."""
import warnings

import numpy as np

import ember
from op_db import ALL_DTYPES, COMPLEX, FLOATING, INTEGRAL, REAL, OpInfo, Sample

NUMERIC = [d for d in ALL_DTYPES if d != "bool"]
ORDERED = INTEGRAL + FLOATING  # what max/median/cummax accept (bool too where noted)

# (shape, dims) pairs. Multi-dim reductions use tuples; () reduces a 0-d tensor.
# Sums of a few hundred float32 values lose ~1e-5 to cancellation relative to the result.
ACC_RTOL = {"float32": 1e-4, "complex64": 1e-4}
MULTI_CASES = [((), None), ((), 0), ((5,), 0), ((5,), -1), ((3, 4), None), ((3, 4), 1), ((3, 4), (0, 1)),
               ((3, 4), (-1, 0)), ((2, 3, 4), (0, 2)), ((2, 3, 4), -2), ((1, 7, 1), 1), ((1, 7, 1), (0, 2)),
               ((0, 3), 0), ((0, 3), 1), ((2, 0, 3), (0, 2)), ((4, 1, 6), (1,)), ((3, 300), 1), ((300, 3), 0)]
# Single-dim cases; EMPTY_OK marks those whose reduced dim is empty.
SINGLE_CASES = [((), 0), ((5,), 0), ((5,), -1), ((3, 4), 0), ((3, 4), 1), ((2, 3, 4), -2), ((1, 7, 1), 1),
                ((1, 7, 1), 0), ((0, 3), 1), ((300, 3), 0), ((3, 300), -1)]
EMPTY_SINGLE = [((0, 3), 0), ((2, 0), 1)]


def _values(shape, dtype, rng, domain=None):
    from test_ops import make_values  # noqa: PLC0415  (shared value maker)
    return make_values(shape, dtype, rng, domain)


def _flip(x):
    return np.ascontiguousarray(np.swapaxes(x, 0, -1)) if x.ndim >= 2 else x


def _unflip_ember(x, flip):
    return x.transpose(0, -1) if flip else x


def _unflip_np(x, flip):
    return np.swapaxes(x, 0, -1) if flip else x


def _multi_samples(domain=None, empty=True, shapes=MULTI_CASES):
    def make(dtype, rng):
        out = []
        for i, (shape, dims) in enumerate(shapes):
            if not empty and 0 in shape:
                continue
            x = _values(shape, dtype, rng, domain)
            out.append(Sample((x,), {"dim": dims, "keepdim": i % 2 == 1}))
            if len(shape) >= 2 and 0 not in shape:  # the same values through a strided view
                out.append(Sample((_flip(x),), {"dim": dims, "keepdim": i % 2 == 0, "flip": True}))
        return out
    return make


def _single_samples(domain=None, empty=False, extra=()):
    def make(dtype, rng):
        out = []
        cases = SINGLE_CASES + (EMPTY_SINGLE if empty else []) + list(extra)
        for i, (shape, dim) in enumerate(cases):
            x = _values(shape, dtype, rng, domain)
            out.append(Sample((x,), {"dim": dim, "keepdim": i % 2 == 0}))
            if len(shape) >= 2 and 0 not in shape:
                out.append(Sample((_flip(x),), {"dim": dim, "keepdim": i % 2 == 1, "flip": True}))
        return out
    return make


def _axis(dim, ndim):
    if dim is None or dim == ():
        return None
    if ndim == 0:
        return None
    return dim if isinstance(dim, int) else tuple(dim)


def _wrap(fn, *, takes_keepdim=True, takes_dim=True):
    """ember op taking (x, dim=, keepdim=, flip=)."""
    def op(x, dim=None, keepdim=False, flip=False, **kw):
        x = _unflip_ember(x, flip)
        args = {}
        if takes_dim:
            args["dim"] = dim
        if takes_keepdim:
            args["keepdim"] = keepdim
        return fn(x, **args, **kw)
    return op


def _np_reduce(np_fn, int_result=None):
    def ref(x, dim=None, keepdim=False, flip=False):
        x = _unflip_np(x, flip)
        if int_result and x.dtype.kind in "biu":
            x = x.astype(np.int64)
        r = np_fn(x, axis=_axis(dim, x.ndim), keepdims=keepdim)
        return np.asarray(r)
    return ref


def _ref_single(values_fn, index_fn=None):
    """Reference of an op along one dim returning values (and indices)."""
    def ref(x, dim=None, keepdim=False, flip=False):
        x = _unflip_np(x, flip)
        if x.ndim == 0:
            v = np.asarray(values_fn(x.reshape(1), axis=0))
            return (v, np.asarray(0)) if index_fn else v
        v = values_fn(x, axis=dim)
        if keepdim:
            v = np.expand_dims(v, dim)
        if index_fn is None:
            return np.asarray(v)
        i = index_fn(x, axis=dim)
        if keepdim:
            i = np.expand_dims(i, dim)
        return np.asarray(v), np.asarray(i)
    return ref


def _mean_ref(x, dim=None, keepdim=False, flip=False):
    x = _unflip_np(x, flip)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's "Mean of empty slice"
        return np.asarray(np.mean(x, axis=_axis(dim, x.ndim), keepdims=keepdim))


def _var_ref(sqrt=False, with_mean=False):
    def ref(x, dim=None, keepdim=False, flip=False, correction=1):
        x = _unflip_np(x, flip)
        ax = _axis(dim, x.ndim)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's "Degrees of freedom <= 0"
            v = np.var(x, axis=ax, keepdims=keepdim, ddof=correction) if x.size > correction else \
                np.full(np.mean(x, axis=ax, keepdims=keepdim).shape, np.nan)
            v = np.sqrt(v) if sqrt else v
            return (np.asarray(v), np.asarray(np.mean(x, axis=ax, keepdims=keepdim))) if with_mean else np.asarray(v)
    return ref


def _var_samples(dtype, rng):
    samples = _multi_samples(empty=False)(dtype, rng)
    x = _values((4, 5), dtype, rng)
    samples += [Sample((x,), {"dim": 1, "correction": 0}), Sample((x,), {"dim": (0, 1), "correction": 2})]
    return samples


def _logsumexp_ref(x, dim=None, keepdim=False, flip=False):
    x = _unflip_np(x, flip).astype(np.float64)
    ax = _axis(dim, x.ndim)
    with np.errstate(all="ignore"):
        return np.asarray(np.log(np.sum(np.exp(x), axis=ax, keepdims=keepdim)))


def _logsumexp_samples(dtype, rng):
    return [s for s in _multi_samples(empty=False)(dtype, rng) if s.kwargs["dim"] is not None]


def _norm_ref(x, p=2.0, dim=None, keepdim=False, flip=False):
    x = np.abs(_unflip_np(x, flip))
    ax = _axis(dim, x.ndim)
    if p == "fro" or p == 2:
        r = np.sqrt(np.sum(x * x, axis=ax, keepdims=keepdim))
    elif p == float("inf"):
        r = np.max(x, axis=ax, keepdims=keepdim)
    elif p == -float("inf"):
        r = np.min(x, axis=ax, keepdims=keepdim)
    elif p == 0:
        r = np.sum(x != 0, axis=ax, keepdims=keepdim).astype(np.float64)
    else:
        r = np.sum(x ** p, axis=ax, keepdims=keepdim) ** (1.0 / p)
    return np.asarray(r)


def _norm_samples(dtype, rng):
    out = []
    for i, p in enumerate([2, "fro", float("inf"), -float("inf"), 0, 1, 3, 0.5]):
        x = _values((3, 4), dtype, rng)
        out.append(Sample((x,), {"p": p, "dim": [None, 1, (0, 1), -1][i % 4], "keepdim": i % 3 == 0}))
    out.append(Sample((_flip(_values((2, 5), dtype, rng)),), {"p": 2, "dim": 0, "flip": True}))
    out.append(Sample((_values((0, 3), dtype, rng),), {"p": 2, "dim": 0}))
    return out


def _norm_op(x, p=2.0, dim=None, keepdim=False, flip=False):
    return ember.norm(_unflip_ember(x, flip), p, dim, keepdim)


def _mode_ref_1d(v):
    vals, counts = np.unique(v, return_counts=True)
    return vals[np.argmax(counts)]  # unique is sorted: argmax picks the smallest on ties


def _mode_values(x, axis):
    if x.size == 0:
        return np.zeros(np.delete(x.shape, axis), dtype=x.dtype)
    return np.apply_along_axis(_mode_ref_1d, axis, x)


def _lower_median(x, axis):
    n = x.shape[axis]
    return np.take(np.sort(x, axis=axis), (n - 1) // 2, axis=axis)


def _values_only(fn):
    def op(*a, **k):
        return fn(*a, **k).values
    return op


def _quantile_samples(dtype, rng):
    out = []
    q1 = np.array([0.0, 0.25, 0.5, 0.9, 1.0])
    for i, interp in enumerate(["linear", "lower", "higher", "midpoint", "nearest"]):
        x = _values((4, 7), dtype, rng)
        out.append(Sample((x, 0.3 + 0.1 * i), {"dim": 1, "keepdim": i % 2 == 0, "interpolation": interp}))
        out.append(Sample((x, ember.tensor(q1, dtype=getattr(ember, dtype))),
                          {"dim": [None, 0, -1][i % 3], "interpolation": interp},
                          ref_kwargs={"dim": [None, 0, -1][i % 3], "interpolation": interp, "q1": q1}))
    x = _values((5,), dtype, rng)
    out.append(Sample((x, 0.5), {}))
    out.append(Sample((_flip(_values((3, 6), dtype, rng)), 0.75), {"dim": 1, "flip": True}))
    return out


def _quantile_op(fn):
    def op(x, q, dim=None, keepdim=False, flip=False, interpolation="linear"):
        return fn(_unflip_ember(x, flip), q, dim=dim, keepdim=keepdim, interpolation=interpolation)
    return op


def _quantile_ref(np_fn):
    def ref(x, q, dim=None, keepdim=False, flip=False, interpolation="linear", q1=None):
        x = _unflip_np(x, flip)
        qq = q1 if q1 is not None else q
        return np.asarray(np_fn(x, qq, axis=dim, keepdims=keepdim, method=interpolation))
    return ref


def _scan_ref(np_fn, int_result=True):
    def ref(x, dim=0, flip=False, keepdim=None):
        x = _unflip_np(x, flip)
        if int_result and x.dtype.kind in "biu":
            x = x.astype(np.int64)
        if x.ndim == 0:
            return np.asarray(x)
        return np_fn(x, axis=dim)
    return ref


def _scan_op(fn):
    def op(x, dim=0, flip=False, keepdim=None):
        return fn(_unflip_ember(x, flip), dim)
    return op


def _cum_extreme_ref(is_max):
    def ref(x, dim=0, flip=False, keepdim=None):
        x = _unflip_np(x, flip)
        if x.ndim == 0:
            return np.asarray(x), np.asarray(0)
        xm = np.moveaxis(x, dim, -1)
        vals = np.maximum.accumulate(xm, axis=-1) if is_max else np.minimum.accumulate(xm, axis=-1)
        idx = np.zeros(xm.shape, dtype=np.int64)
        for k in range(1, xm.shape[-1]):
            better = xm[..., k] >= vals[..., k - 1] if is_max else xm[..., k] <= vals[..., k - 1]
            idx[..., k] = np.where(better, k, idx[..., k - 1])
        return np.moveaxis(vals, -1, dim), np.moveaxis(idx, -1, dim)
    return ref


def _softmax_ref(log):
    def ref(x, dim=0, flip=False, keepdim=None):
        x = _unflip_np(x, flip).astype(np.float64)
        if x.ndim == 0:
            return np.asarray(0.0 if log else 1.0)
        m = np.max(x, axis=dim, keepdims=True) if x.shape[dim] else 0
        e = np.exp(x - m)
        s = np.sum(e, axis=dim, keepdims=True)
        return (x - m - np.log(s)) if log else e / s
    return ref


def _scan_samples(dtype, rng):
    # Complex products of 300 values with |z| up to 2.8 overflow complex64: keep |z| < 1.
    domain = (-0.7, 0.7) if dtype in COMPLEX else (-2, 2)
    return [Sample(s.args, {k: v for k, v in s.kwargs.items() if k != "keepdim"})
            for s in _single_samples(domain=domain, empty=True)(dtype, rng)]


def _prod_samples(dtype, rng):
    return _multi_samples(domain=(-0.7, 0.7) if dtype in COMPLEX else (-2, 2))(dtype, rng)


def _max_dim_op(fn):
    def op(x, dim=None, keepdim=False, flip=False):
        r = fn(_unflip_ember(x, flip), dim, keepdim)
        return (r.values, r.indices)
    return op


def _aminmax_op(x, dim=None, keepdim=False, flip=False):
    r = ember.aminmax(_unflip_ember(x, flip), dim=dim, keepdim=keepdim)
    return (r.min, r.max)


def _aminmax_ref(x, dim=None, keepdim=False, flip=False):
    x = _unflip_np(x, flip)
    return (np.asarray(np.min(x, axis=dim, keepdims=keepdim)), np.asarray(np.max(x, axis=dim, keepdims=keepdim)))


def _argmax_samples(dtype, rng):
    out = _single_samples()(dtype, rng)
    out.append(Sample((_values((3, 4), dtype, rng),), {"dim": None}))
    out.append(Sample((_values((2, 3, 2), dtype, rng),), {"dim": None, "keepdim": True}))
    return out


def _argext_ref(np_fn):
    def ref(x, dim=None, keepdim=False, flip=False):
        x = _unflip_np(x, flip)
        if dim is None:
            r = np_fn(x.reshape(-1))
            return np.asarray(r).reshape((1,) * x.ndim if keepdim else ())
        if x.ndim == 0:
            return np.asarray(0)
        return np.asarray(np_fn(x, axis=dim, keepdims=keepdim))
    return ref


def _overall_samples(dtype, rng):
    return [Sample((_values(s, dtype, rng),), {}) for s in [(), (5,), (3, 4), (1, 7, 1)]] + \
        [Sample((_flip(_values((3, 4), dtype, rng)),), {"flip": True})]


def _sum_dtype_samples(dtype, rng):
    x = _values((3, 4), dtype, rng)
    return [Sample((x,), {"dim": 1, "dtype": ember.float64}, ref_kwargs={"dim": 1}),
            Sample((x,), {"dtype": ember.float64}, ref_kwargs={})]


def _sum_dtype_op(x, dim=None, dtype=None, flip=False):
    return ember.sum(x, dim=dim, dtype=dtype)


def _sum_dtype_ref(x, dim=None):
    # Casting complex to float64 drops the imaginary part, as PyTorch does.
    return np.asarray(np.sum(np.real(x).astype(np.float64), axis=dim))


OPS = [
    OpInfo("sum", _wrap(ember.sum), _np_reduce(np.sum, True), ALL_DTYPES, rtol=ACC_RTOL, sample_inputs=_multi_samples()),
    OpInfo("sum_dtype", _sum_dtype_op, _sum_dtype_ref, ALL_DTYPES, sample_inputs=_sum_dtype_samples),
    OpInfo("nansum", _wrap(ember.nansum), _np_reduce(np.nansum, True), REAL, rtol=ACC_RTOL, sample_inputs=_multi_samples()),
    OpInfo("prod", _wrap(ember.prod), _np_reduce(np.prod, True), ALL_DTYPES,
           rtol=ACC_RTOL, sample_inputs=_prod_samples),
    OpInfo("mean", _wrap(ember.mean), _mean_ref, FLOATING + COMPLEX, rtol=ACC_RTOL, sample_inputs=_multi_samples()),
    OpInfo("nanmean", _wrap(ember.nanmean), _mean_ref, FLOATING, rtol=ACC_RTOL, sample_inputs=_multi_samples()),
    OpInfo("amax", _wrap(ember.amax), _np_reduce(np.max), REAL, sample_inputs=_multi_samples(empty=False)),
    OpInfo("amin", _wrap(ember.amin), _np_reduce(np.min), REAL, sample_inputs=_multi_samples(empty=False)),
    OpInfo("max", _wrap(ember.max, takes_keepdim=False, takes_dim=False), _np_reduce(np.max), REAL,
           sample_inputs=_overall_samples),
    OpInfo("min", _wrap(ember.min, takes_keepdim=False, takes_dim=False), _np_reduce(np.min), REAL,
           sample_inputs=_overall_samples),
    OpInfo("max_dim", _max_dim_op(ember.max), _ref_single(np.max, np.argmax), REAL,
           sample_inputs=_single_samples(), differentiable=True),
    OpInfo("min_dim", _max_dim_op(ember.min), _ref_single(np.min, np.argmin), REAL,
           sample_inputs=_single_samples()),
    OpInfo("aminmax", _aminmax_op, _aminmax_ref, REAL, sample_inputs=_single_samples(), differentiable=False),
    OpInfo("argmax", _wrap(ember.argmax), _argext_ref(np.argmax), REAL, sample_inputs=_argmax_samples,
           differentiable=False),
    OpInfo("argmin", _wrap(ember.argmin), _argext_ref(np.argmin), REAL, sample_inputs=_argmax_samples,
           differentiable=False),
    OpInfo("all", _wrap(ember.all), _np_reduce(np.all), ALL_DTYPES, sample_inputs=_multi_samples(domain=(0, 2)),
           differentiable=False),
    OpInfo("any", _wrap(ember.any), _np_reduce(np.any), ALL_DTYPES, sample_inputs=_multi_samples(domain=(-1, 1)),
           differentiable=False),
    OpInfo("count_nonzero", _wrap(ember.count_nonzero, takes_keepdim=False),
           lambda x, dim=None, keepdim=False, flip=False: np.asarray(
               np.count_nonzero(_unflip_np(x, flip), axis=_axis(dim, x.ndim))).astype(np.int64),
           ALL_DTYPES, sample_inputs=_multi_samples(domain=(-1, 1)), differentiable=False),
    OpInfo("var", _wrap(ember.var), _var_ref(), FLOATING + COMPLEX, sample_inputs=_var_samples,
           rtol=ACC_RTOL),
    OpInfo("std", _wrap(ember.std), _var_ref(sqrt=True), FLOATING + COMPLEX, sample_inputs=_var_samples,
           rtol=ACC_RTOL),
    OpInfo("var_mean", _wrap(ember.var_mean), _var_ref(with_mean=True), FLOATING + COMPLEX,
           sample_inputs=_var_samples, rtol=ACC_RTOL),
    OpInfo("std_mean", _wrap(ember.std_mean), _var_ref(sqrt=True, with_mean=True), FLOATING + COMPLEX,
           sample_inputs=_var_samples, rtol=ACC_RTOL),
    OpInfo("logsumexp", _wrap(ember.logsumexp), _logsumexp_ref, REAL, sample_inputs=_logsumexp_samples,
           rtol=ACC_RTOL),
    OpInfo("norm", _norm_op, _norm_ref, FLOATING + COMPLEX, sample_inputs=_norm_samples,
           rtol=ACC_RTOL),
    OpInfo("median", _values_only(_wrap(ember.median)), _ref_single(_lower_median), ORDERED,
           sample_inputs=_single_samples()),
    OpInfo("median_all", _wrap(ember.median, takes_keepdim=False, takes_dim=False),
           lambda x, flip=False: np.asarray(_lower_median(_unflip_np(x, flip).reshape(-1), 0)), ORDERED,
           sample_inputs=_overall_samples),
    OpInfo("nanmedian", _values_only(_wrap(ember.nanmedian)), _ref_single(_lower_median), ORDERED,
           sample_inputs=_single_samples()),
    OpInfo("mode", _values_only(_wrap(ember.mode)), _ref_single(_mode_values), REAL,
           sample_inputs=_single_samples(domain=(-2, 2)), differentiable=False),
    OpInfo("quantile", _quantile_op(ember.quantile), _quantile_ref(np.quantile), ["float32", "float64"],
           sample_inputs=_quantile_samples, rtol=ACC_RTOL),
    OpInfo("nanquantile", _quantile_op(ember.nanquantile), _quantile_ref(np.nanquantile), ["float32", "float64"],
           sample_inputs=_quantile_samples, rtol=ACC_RTOL),
    OpInfo("cumsum", _scan_op(ember.cumsum), _scan_ref(np.cumsum), ALL_DTYPES, rtol=ACC_RTOL, sample_inputs=_scan_samples),
    OpInfo("cumprod", _scan_op(ember.cumprod), _scan_ref(np.cumprod), ALL_DTYPES, rtol=ACC_RTOL, sample_inputs=_scan_samples),
    OpInfo("cummax", _scan_op(lambda x, d: tuple(ember.cummax(x, d))), _cum_extreme_ref(True), REAL,
           sample_inputs=_scan_samples),
    OpInfo("cummin", _scan_op(lambda x, d: tuple(ember.cummin(x, d))), _cum_extreme_ref(False), REAL,
           sample_inputs=_scan_samples),
    OpInfo("softmax", _scan_op(ember.softmax), _softmax_ref(False), FLOATING, sample_inputs=_scan_samples,
           rtol=ACC_RTOL),
    OpInfo("log_softmax", _scan_op(ember.log_softmax), _softmax_ref(True), FLOATING, sample_inputs=_scan_samples,
           rtol=ACC_RTOL),
]
