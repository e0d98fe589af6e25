"""Op table entries for sorting, selection, uniqueness, searching, counting,
gather and scatter (collected by op_db.py). Each op sees size-0 and size-1
dims, negative dims, ties, NaN (floating dtypes) and non-contiguous inputs
(the `strided` keyword of the wrappers below), against NumPy references."""
import numpy as np

import ember
from op_db import ALL_DTYPES, FLOATING, INTEGRAL, OpInfo, Raw, Sample

ORDERED = [d for d in ALL_DTYPES if "complex" not in d]  # every dtype with an order


def _values(shape, dtype, rng, nan=True):
    from test_ops import make_values  # noqa: PLC0415  (shared value maker)
    v = make_values(shape, dtype, rng)
    if nan and dtype in FLOATING and v.size > 2:
        v.flat[1] = np.nan  # NaN orders last ascending, first descending
    return v


def _strided(t):
    """The same values seen through a non-contiguous view."""
    if t.dim() == 0:
        return t
    base = ember.zeros(*t.shape, 2, dtype=t.dtype)
    view = base.select(-1, 0)
    view.copy_(t)
    return view


def _maybe_strided(x, strided):
    return _strided(x) if strided else x


# ---- sort family -----------------------------------------------------------

def ref_sort(x, dim=-1, descending=False):
    """Stable sort along dim, NaN largest; descending keeps ties in order."""
    x = np.asarray(x)
    if x.ndim == 0:
        return x.copy(), np.zeros((), np.int64)
    a = np.moveaxis(x, dim, -1)
    n = a.shape[-1]
    if descending:
        idx = n - 1 - np.argsort(a[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    else:
        idx = np.argsort(a, axis=-1, kind="stable")
    vals = np.take_along_axis(a, idx, axis=-1)
    return np.moveaxis(vals, -1, dim), np.moveaxis(idx.astype(np.int64), -1, dim)


SORT_CASES = [((7,), -1), ((3, 5), 0), ((3, 5), 1), ((2, 0, 3), 1), ((2, 0, 3), -1), ((1, 6, 1), 1),
              ((4, 1, 3), -2), ((), 0), ((40,), 0)]


def _sort_samples(dtype, rng):
    out = []
    for i, (shape, dim) in enumerate(SORT_CASES):
        x = _values(shape, dtype, rng)
        out.append(Sample((x, dim), {"descending": i % 2 == 1, "strided": i % 3 == 0},
                          {"descending": i % 2 == 1}))
    return out


def _sort(x, dim, descending=False, strided=False):
    r = ember.sort(_maybe_strided(x, strided), dim, descending=descending, stable=True)
    assert isinstance(r, ember.return_types.sort)
    return tuple(r)


def _argsort(x, dim, descending=False, strided=False):
    return ember.argsort(_maybe_strided(x, strided), dim, descending=descending, stable=True)


def _msort(x, dim, descending=False, strided=False):
    return ember.msort(_maybe_strided(x, strided))


def _msort_samples(dtype, rng):
    return [Sample((_values(shape, dtype, rng), 0), {"strided": s}, {})
            for shape, s in [((5,), False), ((4, 3), True), ((0, 2), False), ((1, 3), True)]]


# ---- topk / kthvalue: values against NumPy, indices checked by gathering -----

def _topk(x, k, dim, largest=True, sorted=True, strided=False):
    x = _maybe_strided(x, strided)
    v, i = ember.topk(x, k, dim, largest=largest, sorted=sorted)
    if not sorted:  # any order: compare as sorted
        v, i = ember.sort(v, dim, descending=largest).values, ember.gather(i, dim, ember.sort(v, dim, descending=largest).indices)
    return v, ember.gather(x, dim, i)


def ref_topk(x, k, dim, largest=True, sorted=True):
    v = np.take(ref_sort(x, dim, descending=largest)[0], np.arange(k), axis=dim)
    return v, v


def _topk_samples(dtype, rng):
    cases = [((7,), 3, -1, True, True), ((3, 5), 2, 0, False, True), ((3, 5), 5, 1, True, False),
             ((2, 0, 3), 0, 1, True, True), ((2, 4, 3), 0, 1, False, True), ((1, 6, 1), 1, 1, True, True),
             ((4, 6), 6, -1, False, False), ((40,), 7, 0, True, True)]
    return [Sample((_values(s, dtype, rng), k, d), {"largest": lg, "sorted": so, "strided": n % 2 == 0},
                   {"largest": lg, "sorted": so})
            for n, (s, k, d, lg, so) in enumerate(cases)]


def _kthvalue(x, k, dim, keepdim=False, strided=False):
    x = _maybe_strided(x, strided)
    r = ember.kthvalue(x, k, dim, keepdim=keepdim)
    assert isinstance(r, ember.return_types.kthvalue)
    i = r.indices if keepdim or x.dim() == 0 else r.indices.unsqueeze(dim)
    g = ember.gather(x, dim, i)
    return r.values, g if keepdim or x.dim() == 0 else g.squeeze(dim)


def ref_kthvalue(x, k, dim, keepdim=False):
    v = np.take(ref_sort(x, dim)[0], [k - 1], axis=dim) if np.ndim(x) else np.asarray(x)
    if not keepdim and np.ndim(x):
        v = v.squeeze(dim)
    return v, v


def _kthvalue_samples(dtype, rng):
    cases = [((7,), 3, -1, False), ((3, 5), 2, 0, True), ((3, 5), 5, 1, False), ((2, 1, 0), 1, 1, False),
             ((1, 6, 1), 6, 1, True), ((), 1, 0, False), ((41,), 20, 0, False)]
    return [Sample((_values(s, dtype, rng), k, d), {"keepdim": kd, "strided": n % 2 == 1}, {"keepdim": kd})
            for n, (s, k, d, kd) in enumerate(cases)]


# ---- unique ------------------------------------------------------------------

def _unique(x, dim=None, strided=False):
    return ember.unique(_maybe_strided(x, strided), return_inverse=True, return_counts=True, dim=dim)


def ref_unique(x, dim=None):
    u, inv, counts = np.unique(x, return_inverse=True, return_counts=True, axis=dim)
    return u, inv.reshape(x.shape if dim is None else (-1,)).astype(np.int64), counts.astype(np.int64)


def _unique_samples(dtype, rng):
    def small(shape):  # few distinct values so that groups form
        return _values(shape, dtype, rng, nan=False) if dtype == "bool" else \
            np.asarray(np.round(_values(shape, dtype, rng, nan=False) / 4))
    return [Sample((small((9,)),), {}), Sample((small((3, 4)),), {"strided": True}, {}),
            Sample((small((0,)),), {}), Sample((small(()),), {}),
            Sample((small((6, 2)), 0), {"strided": True}, {}), Sample((small((2, 5)), 1), {}),
            Sample((small((3, 2, 2)), -3), {}), Sample((small((4, 0)), 1), {})]


def _unique_consecutive(x, dim=None, strided=False):
    return ember.unique_consecutive(_maybe_strided(x, strided), return_inverse=True,
                                    return_counts=True, dim=dim)


def ref_unique_consecutive(x, dim=None):
    a = x.reshape(-1, 1) if dim is None else np.moveaxis(x, dim, 0).reshape(x.shape[dim], -1)
    keep, inv, counts = [], [], []
    for r in range(a.shape[0]):
        if r == 0 or not np.array_equal(a[r], a[r - 1]):
            keep.append(r)
            counts.append(0)
        counts[-1] += 1
        inv.append(len(keep) - 1)
    if dim is None:
        u = x.reshape(-1)[keep]
        inv = np.array(inv, np.int64).reshape(x.shape)
    else:
        u = np.take(x, keep, axis=dim)
        inv = np.array(inv, np.int64)
    return u, inv, np.array(counts, np.int64)


def _unique_consecutive_samples(dtype, rng):
    def runs(n):
        return np.repeat(_values((n,), dtype, rng, nan=False), rng.integers(1, 3, size=n))
    return [Sample((runs(6),), {}), Sample((runs(5).reshape(1, -1),), {"strided": True}, {}),
            Sample((runs(0),), {}),
            Sample((np.repeat(_values((3, 2), dtype, rng, nan=False), 2, axis=0), 0), {"strided": True}, {}),
            Sample((np.repeat(_values((2, 3), dtype, rng, nan=False), [2, 1, 1], axis=1), 1), {})]


# ---- searchsorted / bucketize --------------------------------------------------

def _searchsorted(seq, values, side="left", sorter=None, strided=False):
    return ember.searchsorted(_maybe_strided(seq, strided), _maybe_strided(values, strided),
                              side=side, sorter=sorter)


def ref_searchsorted(seq, values, side="left", sorter=None):
    if seq.ndim == 1:
        return np.searchsorted(seq, values, side=side, sorter=sorter).astype(np.int64)
    out = np.empty(values.shape, np.int64)
    for idx in np.ndindex(*seq.shape[:-1]):
        out[idx] = np.searchsorted(seq[idx], values[idx], side=side)
    return out


def _searchsorted_samples(dtype, rng):
    def seq(shape):
        return np.sort(_values(shape, dtype, rng, nan=False), axis=-1)
    unsorted = _values((6,), dtype, rng, nan=False)
    return [Sample((seq((8,)), _values((5,), dtype, rng, nan=False)), {}),
            Sample((seq((8,)), _values((2, 3), dtype, rng, nan=False)), {"side": "right"}),
            Sample((seq((3, 6)), _values((3, 4), dtype, rng, nan=False)), {"side": "right", "strided": True},
                   {"side": "right"}),
            Sample((seq((2, 2, 5)), _values((2, 2, 3), dtype, rng, nan=False)), {"strided": True}, {}),
            Sample((seq((0,)), _values((3,), dtype, rng, nan=False)), {}),
            Sample((seq((4,)), _values((0,), dtype, rng, nan=False)), {}),
            Sample((unsorted, _values((5,), dtype, rng, nan=False)),
                   {"sorter": ember.tensor(np.argsort(unsorted, kind="stable"))},
                   {"sorter": np.argsort(unsorted, kind="stable")})]


def _bucketize(x, boundaries, right=False, strided=False):
    return ember.bucketize(_maybe_strided(x, strided), boundaries, right=right)


def ref_bucketize(x, boundaries, right=False):
    return np.searchsorted(boundaries, x, side="right" if right else "left").astype(np.int64)


def _bucketize_samples(dtype, rng):
    b = np.sort(_values((6,), dtype, rng, nan=False))
    return [Sample((_values((7,), dtype, rng, nan=False), b), {}),
            Sample((_values((3, 4), dtype, rng, nan=False), b), {"right": True, "strided": True}, {"right": True}),
            Sample((_values((0, 2), dtype, rng, nan=False), b), {}),
            Sample((_values((), dtype, rng, nan=False), b), {"right": True})]


# ---- bincount / histc ------------------------------------------------------------

def _bincount(x, weights=None, minlength=0, strided=False):
    return ember.bincount(_maybe_strided(x, strided), weights, minlength=minlength)


def ref_bincount(x, weights=None, minlength=0):
    return np.bincount(x.astype(np.int64), weights, minlength=minlength)


def _bincount_samples(dtype, rng):
    def ints(n, high=8):
        return rng.integers(0, 2 if dtype == "bool" else high, size=n).astype(np.int64)
    w = Raw(rng.uniform(-2, 2, size=9))
    w32 = Raw(rng.uniform(-2, 2, size=5).astype(np.float32))
    return [Sample((ints(10),), {}), Sample((ints(9), w), {"strided": True}, {}), Sample((ints(0),), {}),
            Sample((ints(0),), {"minlength": 4}), Sample((ints(5), w32), {"minlength": 12}),
            Sample((ints(1),), {"minlength": 1})]


def _histc(x, bins=100, min=0, max=0, strided=False):
    return ember.histc(_maybe_strided(x, strided), bins, min, max)


def ref_histc(x, bins=100, min=0, max=0):
    x = x.reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    return np.histogram(x, bins, range=(lo, hi))[0].astype(np.float64)


def _histc_samples(dtype, rng):
    return [Sample((_values((50,), dtype, rng, nan=False),), {"bins": 7}),
            Sample((_values((6, 5), dtype, rng, nan=False),), {"bins": 4, "min": -3, "max": 5, "strided": True},
                   {"bins": 4, "min": -3, "max": 5}),
            Sample((_values((0,), dtype, rng, nan=False),), {"bins": 3}),
            Sample((np.full((4,), 2.0),), {"bins": 4}),
            Sample((_values((1, 9), dtype, rng, nan=False),), {"bins": 1, "min": -20, "max": 20}),
            Sample((np.array([0.0, 1, 2, 3, 4]),), {"bins": 4, "min": 0, "max": 4})]


def _histogram(x, bins, weight=None, range=None, density=False, strided=False):
    r = ember.histogram(_maybe_strided(x, strided), bins, range=range, weight=weight, density=density)
    assert isinstance(r, ember.return_types.histogram)
    return tuple(r)


def ref_histogram(x, bins, weight=None, range=None, density=False):
    if x.size == 0 and range is None and not isinstance(bins, np.ndarray):
        range = (0, 1)
    h, e = np.histogram(x.reshape(-1), bins, range=range, density=density,
                        weights=None if weight is None else weight.reshape(-1))
    return h.astype(np.float64), e


def _histogram_samples(dtype, rng):
    edges = np.sort(_values((5,), dtype, rng, nan=False))
    edges = np.unique(edges) if np.unique(edges).size > 1 else np.array([-1.0, 1.0])
    x = _values((6, 5), dtype, rng, nan=False)
    return [Sample((_values((40,), dtype, rng, nan=False), 6), {}),
            Sample((x, 4, x), {"range": (-3, 5), "strided": True}, {"range": (-3, 5)}),
            Sample((x, edges), {"density": True}),
            Sample((x, edges, x), {"strided": True}, {}),
            Sample((_values((0,), dtype, rng, nan=False), 3), {}),
            Sample((np.full((4,), 2.0), 2), {}),
            Sample((_values((1, 9), dtype, rng, nan=False), 3), {"density": True})]


# ---- gather / scatter -----------------------------------------------------------------

def ref_gather(x, dim, index):
    sl = tuple(slice(None) if d == dim % x.ndim else slice(0, index.shape[d]) for d in range(x.ndim))
    return np.take_along_axis(x[sl], index, axis=dim) if x.ndim else x[()] + np.zeros(index.shape, x.dtype)


def _gather(x, dim, index, strided=False):
    return ember.gather(_maybe_strided(x, strided), dim, index)


def _index(shape, high, rng):
    return Raw(rng.integers(0, max(high, 1), size=shape).astype(np.int64))


def _gather_samples(dtype, rng):
    cases = [((4, 5), 0, (3, 5)), ((4, 5), 1, (4, 7)), ((4, 5), -1, (2, 3)), ((3, 0), 0, (2, 0)),
             ((2, 3, 4), 1, (2, 2, 4)), ((6,), 0, (0,)), ((1, 3), 0, (4, 1)), ((), 0, ())]
    # No NaN: gather moves values without comparing them, and finite differences need finite values.
    return [Sample((_values(s, dtype, rng, nan=False), d, _index(i, s[d] if s else 1, rng)), {"strided": n % 2 == 0}, {})
            for n, (s, d, i) in enumerate(cases)]


def ref_scatter(x, dim, index, src, reduce="assign", include_self=True):
    """The scatter family by hand: index positions in row-major order, so
    duplicate indices land in the order the kernel applies them."""
    out = x.astype(np.float64 if x.dtype.kind == "f" else x.dtype, copy=True)
    if x.ndim == 0:
        out, index, src = out.reshape(1), index.reshape(1), np.reshape(src, (1,)) if np.ndim(src) == 0 else src.reshape(1)
        dim = 0
    dim %= out.ndim
    count = {}
    for pos in np.ndindex(*index.shape):
        tgt = list(pos)
        tgt[dim] = index[pos]
        tgt = tuple(tgt)
        v = src[pos] if isinstance(src, np.ndarray) and src.ndim else src
        first = tgt not in count
        count[tgt] = count.get(tgt, 0) + 1
        if reduce == "assign" or (first and not include_self):
            out[tgt] = v
        elif reduce in ("sum", "mean"):
            out[tgt] = out[tgt] + v if out.dtype != bool else out[tgt] or v
        elif reduce == "prod":
            out[tgt] = out[tgt] * v if out.dtype != bool else out[tgt] and v
        elif reduce == "amax":
            out[tgt] = max(out[tgt], v)
        elif reduce == "amin":
            out[tgt] = min(out[tgt], v)
    if reduce == "mean":
        for tgt, c in count.items():
            c += int(include_self)
            out[tgt] = out[tgt] // c if out.dtype.kind in "iu" else out[tgt] / c
    return out.reshape(x.shape)


def _scatter_cases(dtype, rng, reduce=None, include_self=True):
    cases = [((4, 5), 0, (6, 5), (6, 5)), ((4, 5), 1, (4, 8), (4, 9)), ((4, 5), -1, (2, 3), (3, 3)),
             ((3, 0), 0, (2, 0), (2, 0)), ((2, 3, 4), 1, (2, 5, 3), (2, 5, 4)), ((6,), 0, (0,), (2,)),
             ((1, 3), 0, (3, 2), (3, 3)), ((), 0, (), ())]
    out = []
    for n, (s, d, i, src) in enumerate(cases):
        kw = {} if reduce is None else {"reduce": reduce}
        if reduce is not None and not include_self:
            kw["include_self"] = False
        ref_kw = {"reduce": reduce or "assign", "include_self": include_self}
        out.append(Sample((_values(s, dtype, rng, nan=False), d, _index(i, s[d] if s else 1, rng),
                           _values(src, dtype, rng, nan=False)), {**kw, "strided": n % 2 == 1}, ref_kw))
    return out


def _scatter(x, dim, index, src, strided=False):
    return ember.scatter(_maybe_strided(x, strided), dim, index, _maybe_strided(src, strided))


def _scatter_value(x, dim, index, value, strided=False):
    return ember.scatter(_maybe_strided(x, strided), dim, index, value=value)


def _scatter_value_samples(dtype, rng):
    value = True if dtype == "bool" else 3
    return [Sample((s.args[0], s.args[1], s.args[2], value), {"strided": s.kwargs["strided"]},
                   {"reduce": "assign"}) for s in _scatter_cases(dtype, rng)]


def _scatter_add(x, dim, index, src, strided=False, reduce=None, include_self=True):
    y = _maybe_strided(x, strided).clone()
    r = y.scatter_add_(dim, index, _maybe_strided(src, strided))
    assert r is y
    return y


def _scatter_reduce(x, dim, index, src, reduce, include_self=True, strided=False):
    return ember.scatter_reduce(_maybe_strided(x, strided), dim, index, _maybe_strided(src, strided),
                                reduce, include_self=include_self)


def _scatter_reduce_samples(dtype, rng):
    out = []
    for reduce in ["sum", "prod", "mean", "amax", "amin"]:
        if (reduce == "mean" and dtype == "bool") or (reduce in ("amax", "amin") and "complex" in dtype):
            continue
        for include_self in (True, False):
            out += _scatter_cases(dtype, rng, reduce, include_self)[:5]
    return out


NO_COMPLEX = ORDERED
REDUCED_TOL = {"float16": 1e-2, "bfloat16": 3e-2}

OPS = [
    OpInfo("sort", _sort, ref_sort, ORDERED, sample_inputs=_sort_samples),
    OpInfo("argsort", _argsort, lambda x, d, descending=False: ref_sort(x, d, descending)[1], ORDERED,
           sample_inputs=_sort_samples, differentiable=False),
    OpInfo("msort", _msort, lambda x, d: ref_sort(x, 0)[0], ORDERED, sample_inputs=_msort_samples),
    OpInfo("topk", _topk, ref_topk, ORDERED, sample_inputs=_topk_samples),
    OpInfo("kthvalue", _kthvalue, ref_kthvalue, ORDERED, sample_inputs=_kthvalue_samples),
    OpInfo("unique", _unique, ref_unique, ORDERED, sample_inputs=_unique_samples, differentiable=False),
    OpInfo("unique_consecutive", _unique_consecutive, ref_unique_consecutive, ORDERED,
           sample_inputs=_unique_consecutive_samples, differentiable=False),
    OpInfo("searchsorted", _searchsorted, ref_searchsorted, ORDERED, sample_inputs=_searchsorted_samples,
           differentiable=False),
    OpInfo("bucketize", _bucketize, ref_bucketize, ORDERED, sample_inputs=_bucketize_samples,
           differentiable=False),
    OpInfo("bincount", _bincount, ref_bincount, ["bool"] + INTEGRAL, sample_inputs=_bincount_samples,
           differentiable=False),
    OpInfo("histc", _histc, ref_histc, FLOATING, sample_inputs=_histc_samples, differentiable=False),
    OpInfo("histogram", _histogram, ref_histogram, FLOATING, sample_inputs=_histogram_samples,
           differentiable=False, rtol=REDUCED_TOL),
    OpInfo("gather", _gather, ref_gather, ALL_DTYPES, sample_inputs=_gather_samples),
    OpInfo("scatter", _scatter, ref_scatter, ALL_DTYPES,
           sample_inputs=lambda d, r: _scatter_cases(d, r)),
    OpInfo("scatter_value", _scatter_value, ref_scatter, ALL_DTYPES, sample_inputs=_scatter_value_samples),
    OpInfo("scatter_add", _scatter_add, ref_scatter, ALL_DTYPES,
           sample_inputs=lambda d, r: _scatter_cases(d, r, "sum"), rtol=REDUCED_TOL),
    OpInfo("scatter_reduce", _scatter_reduce, ref_scatter, ALL_DTYPES,
           sample_inputs=_scatter_reduce_samples, rtol=REDUCED_TOL),
]
