"""sort, topk, kthvalue, unique, searchsorted, bucketize, bincount and histc
beyond the op table: NaN order, stability, ties, large (parallel) inputs,
named tuples, out=, and PyTorch's errors."""
import math

import numpy as np
import pytest

import ember

NAN = float("nan")
INF = float("inf")


def test_sort_nan_order():
    x = ember.tensor([3.0, NAN, -INF, 1.0, INF, NAN, -2.0])
    v, i = ember.sort(x)
    np.testing.assert_array_equal(v.numpy(), [-INF, -2, 1, 3, INF, NAN, NAN])
    assert i.tolist() == [2, 6, 3, 0, 4, 1, 5]
    v, i = ember.sort(x, descending=True)
    np.testing.assert_array_equal(v.numpy(), [NAN, NAN, INF, 3, 1, -2, -INF])
    assert i.tolist() == [1, 5, 4, 0, 3, 6, 2]
    assert ember.argsort(x, descending=True).tolist() == [1, 5, 4, 0, 3, 6, 2]


@pytest.mark.parametrize("dtype", [ember.float16, ember.bfloat16])
def test_sort_reduced_float_nan(dtype):
    x = ember.tensor([2.0, NAN, -1.0, 0.5], dtype=dtype)
    v, i = x.sort()
    assert i.tolist() == [2, 3, 0, 1] and v.dtype == dtype
    assert math.isnan(v[3].item())


def test_sort_stable_ties():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 4, size=(5, 200))
    x = ember.tensor(a)
    _, i = ember.sort(x, dim=1, stable=True)
    np.testing.assert_array_equal(i.numpy(), np.argsort(a, axis=1, kind="stable"))
    _, i = ember.sort(x, dim=1, descending=True, stable=True)
    # Descending keeps equal keys in their original order, as PyTorch.
    np.testing.assert_array_equal(i.numpy(), np.argsort(-a, axis=1, kind="stable"))


def test_sort_large_parallel_and_strided():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((300, 700)).astype(np.float32)
    x = ember.tensor(a)
    v, i = ember.sort(x, dim=0)  # rows along a strided dim, in parallel
    np.testing.assert_array_equal(v.numpy(), np.sort(a, axis=0))
    np.testing.assert_array_equal(i.numpy(), np.argsort(a, axis=0, kind="stable"))
    v, _ = ember.sort(x.t(), dim=1, descending=True)
    np.testing.assert_array_equal(v.numpy(), -np.sort(-a.T, axis=1))
    big = rng.integers(-1000, 1000, size=100_000)
    np.testing.assert_array_equal(ember.sort(ember.tensor(big)).values.numpy(), np.sort(big))


def test_sort_return_type_and_out():
    x = ember.tensor([[3, 1, 2]])
    r = ember.sort(x)
    assert isinstance(r, ember.return_types.sort) and r._fields == ("values", "indices")
    values, indices = r
    assert values.tolist() == [[1, 2, 3]] and r.indices.tolist() == [[1, 2, 0]]
    ov, oi = ember.empty(1, 3, dtype=ember.int64), ember.empty(1, 3, dtype=ember.int64)
    r2 = ember.sort(x, descending=True, out=(ov, oi))
    assert ov.tolist() == [[3, 2, 1]] and oi.tolist() == [[0, 2, 1]] and r2.values is ov
    assert ember.msort(ember.tensor([[2, 1], [1, 3]])).tolist() == [[1, 1], [2, 3]]


def test_sort_errors():
    with pytest.raises(TypeError, match=r"\[sort\].*complex64"):
        ember.sort(ember.ones(3, dtype=ember.complex64))
    with pytest.raises(IndexError):
        ember.sort(ember.ones(2, 3), dim=2)
    z = ember.tensor(5.0)
    assert ember.sort(z).values.item() == 5.0 and ember.sort(z).indices.item() == 0


def test_topk_nan_ties_and_errors():
    x = ember.tensor([1.0, NAN, 5.0, 5.0, -1.0])
    v, i = ember.topk(x, 2)
    assert math.isnan(v[0].item()) and v[1].item() == 5.0 and i[0].item() == 1
    v, i = ember.topk(x, 2, largest=False)
    assert v.tolist() == [-1.0, 1.0] and i.tolist() == [4, 0]
    # Ties: indices point at equal values and are distinct.
    e = ember.full((6,), 7)
    v, i = e.topk(4)
    assert v.tolist() == [7] * 4 and len(set(i.tolist())) == 4
    r = ember.topk(ember.tensor([[1, 9, 3]]), 1)
    assert isinstance(r, ember.return_types.topk) and r.values.tolist() == [[9]] and r.indices.tolist() == [[1]]
    with pytest.raises(RuntimeError, match=r"\[topk\] selected index k out of range"):
        ember.topk(x, 6)
    with pytest.raises(RuntimeError, match=r"\[topk\]"):
        ember.topk(x, -1)
    assert ember.topk(x, 0).values.shape == (0,)


def test_kthvalue_ties_nan_and_errors():
    x = ember.tensor([[4, 2, 2, 9], [1, 1, 1, 0]])
    r = ember.kthvalue(x, 2, 1)
    assert isinstance(r, ember.return_types.kthvalue)
    assert r.values.tolist() == [2, 1]
    assert x.gather(1, r.indices.unsqueeze(1)).squeeze(1).tolist() == [2, 1]
    r = x.kthvalue(1, 0, keepdim=True)
    assert r.values.tolist() == [[1, 1, 1, 0]] and r.indices.tolist() == [[1, 1, 1, 1]]
    y = ember.tensor([2.0, NAN, 1.0])
    assert math.isnan(ember.kthvalue(y, 3).values.item()) and ember.kthvalue(y, 3).indices.item() == 1
    with pytest.raises(IndexError, match=r"\[kthvalue\] selected number k out of range"):
        ember.kthvalue(y, 4)
    with pytest.raises(IndexError, match=r"\[kthvalue\]"):
        ember.kthvalue(y, 0)


def test_unique_forms():
    x = ember.tensor([[2, 1], [2, 3]])
    u = ember.unique(x)
    assert isinstance(u, ember.Tensor) and u.tolist() == [1, 2, 3]
    u, c = ember.unique(x, return_counts=True)
    assert c.tolist() == [1, 2, 1]
    u, inv = x.unique(sorted=False, return_inverse=True)
    assert u.tolist() == [1, 2, 3] and inv.tolist() == [[1, 0], [1, 2]]
    # NaN equals nothing: each NaN stays (PyTorch, unlike NumPy's equal_nan).
    n = ember.unique(ember.tensor([NAN, 1.0, NAN, 1.0]))
    assert n.shape == (3,) and n[0].item() == 1.0 and math.isnan(n[1].item()) and math.isnan(n[2].item())
    d = ember.unique(ember.tensor([[1, 2], [0, 5], [1, 2]]), dim=0, return_counts=True)
    assert d[0].tolist() == [[0, 5], [1, 2]] and d[1].tolist() == [1, 2]
    uc = ember.unique_consecutive(ember.tensor([1, 1, 2, 1]), return_inverse=True, return_counts=True)
    assert [t.tolist() for t in uc] == [[1, 2, 1], [0, 0, 1, 2], [2, 1, 1]]
    with pytest.raises(TypeError, match=r"\[unique\]"):
        ember.unique(ember.ones(2, dtype=ember.complex64))
    with pytest.raises(IndexError):
        ember.unique(ember.tensor([1, 2]), dim=1)


def test_unique_large():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 500, size=50_000)
    u, inv, c = ember.unique(ember.tensor(a), return_inverse=True, return_counts=True)
    nu, ninv, nc = np.unique(a, return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(u.numpy(), nu)
    np.testing.assert_array_equal(inv.numpy(), ninv)
    np.testing.assert_array_equal(c.numpy(), nc)


def test_searchsorted_options():
    s = ember.tensor([1, 3, 5, 7, 9])
    v = ember.tensor([[3, 6, 9], [0, 10, 5]])
    assert ember.searchsorted(s, v).tolist() == [[1, 3, 4], [0, 5, 2]]
    assert ember.searchsorted(s, v, right=True).tolist() == [[2, 3, 5], [0, 5, 3]]
    assert ember.searchsorted(s, v, side="right").tolist() == [[2, 3, 5], [0, 5, 3]]
    r = ember.searchsorted(s, v, out_int32=True)
    assert r.dtype == ember.int32 and r.tolist() == [[1, 3, 4], [0, 5, 2]]
    assert ember.searchsorted(s, 6).item() == 3 and ember.searchsorted(s, 6).dim() == 0
    # Mixed dtypes promote: int boundaries, float values.
    assert ember.searchsorted(s, ember.tensor([2.5, 3.0])).tolist() == [1, 1]
    f = ember.tensor([1.0, 2.0, NAN])
    assert ember.searchsorted(f, ember.tensor([NAN, 3.0])).tolist() == [2, 2]
    u = ember.tensor([5, 1, 3])
    assert ember.searchsorted(u, ember.tensor([2, 4]), sorter=ember.tensor([1, 2, 0])).tolist() == [1, 2]
    big = np.sort(np.random.default_rng(4).standard_normal(1000))
    vals = np.random.default_rng(5).standard_normal(100_000)
    np.testing.assert_array_equal(ember.searchsorted(ember.tensor(big), ember.tensor(vals)).numpy(),
                                  np.searchsorted(big, vals))


def test_searchsorted_errors():
    s = ember.tensor([1, 3, 5])
    with pytest.raises(RuntimeError, match="side can only be 'left' or 'right'"):
        ember.searchsorted(s, s, side="middle")
    with pytest.raises(RuntimeError, match="side and right can't be set to opposites"):
        ember.searchsorted(s, s, side="left", right=True)
    with pytest.raises(RuntimeError, match="first N-1 dimensions"):
        ember.searchsorted(ember.ones(2, 3), ember.ones(3, 3))
    with pytest.raises(RuntimeError, match="sorter must be a tensor of long dtype"):
        ember.searchsorted(s, s, sorter=ember.tensor([0, 1, 2], dtype=ember.int32))
    with pytest.raises(RuntimeError, match="boundary and sorter must have the same size"):
        ember.searchsorted(s, s, sorter=ember.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="sorter index out of range"):
        ember.searchsorted(s, s, sorter=ember.tensor([0, 1, 7]))
    with pytest.raises(RuntimeError, match="scalar only when boundaries tensor dimension is 1"):
        ember.searchsorted(ember.ones(2, 2), 1.0)


def test_bucketize():
    b = ember.tensor([1, 3, 5, 7, 9])
    x = ember.tensor([[3, 6, 9], [3, 6, 9]])
    assert ember.bucketize(x, b).tolist() == [[1, 3, 4], [1, 3, 4]]
    assert ember.bucketize(x, b, right=True).tolist() == [[2, 3, 5], [2, 3, 5]]
    assert ember.bucketize(4, b).item() == 2
    assert ember.bucketize(x, b, out_int32=True).dtype == ember.int32
    with pytest.raises(RuntimeError, match=r"\[bucketize\] boundaries tensor must be 1 dimension"):
        ember.bucketize(x, ember.ones(2, 2))


def test_bincount():
    x = ember.tensor([4, 1, 1, 0])
    assert ember.bincount(x).tolist() == [1, 2, 0, 0, 1] and ember.bincount(x).dtype == ember.int64
    w = ember.tensor([0.5, 1.0, 2.0, 4.0], dtype=ember.float32)
    r = x.bincount(w, minlength=7)
    assert r.dtype == ember.float32 and r.tolist() == [4.0, 3.0, 0, 0, 0.5, 0, 0]
    assert ember.bincount(x, ember.tensor([1, 1, 1, 1])).dtype == ember.float64
    assert ember.bincount(ember.tensor([], dtype=ember.int64)).shape == (0,)
    with pytest.raises(RuntimeError, match="bincount only supports 1-d non-negative integral inputs"):
        ember.bincount(ember.tensor([1, -1]))
    with pytest.raises(RuntimeError, match="bincount only supports 1-d non-negative integral inputs"):
        ember.bincount(ember.tensor([[1]]))
    with pytest.raises(RuntimeError, match="bincount only supports 1-d non-negative integral inputs"):
        ember.bincount(ember.tensor([1.0]))
    with pytest.raises(RuntimeError, match="weights should be 1-d and have the same length as input"):
        ember.bincount(x, ember.ones(3))
    with pytest.raises(RuntimeError, match="minlength should be >= 0"):
        ember.bincount(x, minlength=-1)


def test_histc():
    x = ember.tensor([1.0, 2, 1])
    assert ember.histc(x, bins=4, min=0, max=3).tolist() == [0, 2, 1, 0]
    # min == max: the data range [1, 2]; the maximum lands in the last bin.
    assert x.histc(4).tolist() == [2, 0, 0, 1]
    # All values equal: range widened to [v - 1, v + 1].
    assert ember.histc(ember.tensor([3.0, 3.0]), bins=2).tolist() == [0, 2]
    # Out-of-range values and NaN are ignored when a range is given.
    y = ember.tensor([-5.0, 0.0, NAN, 0.5, 1.0, 7.0])
    assert ember.histc(y, bins=2, min=0, max=1).tolist() == [1, 2]
    assert ember.histc(x.to(ember.float64), 2).dtype == ember.float64
    with pytest.raises(RuntimeError, match="bins must be > 0"):
        ember.histc(x, bins=0)
    with pytest.raises(RuntimeError, match="max must be larger than min"):
        ember.histc(x, bins=2, min=3, max=1)
    with pytest.raises(RuntimeError, match="is not finite"):
        ember.histc(y, bins=2)
    with pytest.raises(TypeError, match=r"\[histc\].*int64"):
        ember.histc(ember.tensor([1, 2]))


def test_histogram_forms_and_errors():
    x = ember.tensor([1.0, 2.0, 1.0, 2.5], dtype=ember.float64)
    r = ember.histogram(x, 3)
    assert isinstance(r, ember.return_types.histogram) and r._fields == ("hist", "bin_edges")
    assert r.hist.tolist() == [2, 0, 2] and r.bin_edges.tolist() == [1.0, 1.5, 2.0, 2.5]
    hist, edges = x.histogram(ember.tensor([0.0, 2.0, 3.0], dtype=ember.float64))
    assert hist.tolist() == [2, 2] and edges.tolist() == [0, 2, 3]
    # Equal data range widens by 0.5 each way, as NumPy.
    assert ember.histogram(ember.tensor([3.0, 3.0]), 2).bin_edges.tolist() == [2.5, 3.0, 3.5]
    with pytest.raises(RuntimeError, match="bins must be > 0"):
        ember.histogram(x, 0)
    with pytest.raises(RuntimeError, match="same dtype"):
        ember.histogram(x, ember.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="min should not exceed max"):
        ember.histogram(x, 2, range=(3.0, 1.0))
    with pytest.raises(RuntimeError, match="is not finite"):
        ember.histogram(ember.tensor([1.0, NAN]), 2)
    with pytest.raises(RuntimeError, match="weight tensor should have the same shape"):
        ember.histogram(x, 2, weight=ember.ones(3, dtype=ember.float64))
    with pytest.raises(TypeError, match=r"\[histogram\].*int64"):
        ember.histogram(ember.tensor([1, 2]), 2)
