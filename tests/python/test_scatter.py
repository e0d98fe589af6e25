"""gather and the scatter family beyond the op table: PyTorch's errors,
in-place forms returning self, duplicate indices on large (parallel)
inputs against NumPy's ufunc.at, and include_self."""
import numpy as np
import pytest

import ember

I64 = ember.int64


def test_gather_values_and_forms():
    x = ember.tensor([[1, 2], [3, 4]])
    i = ember.tensor([[0, 0], [1, 0]])
    assert ember.gather(x, 1, i).tolist() == [[1, 1], [4, 3]]
    assert x.gather(0, i, sparse_grad=False).tolist() == [[1, 2], [3, 2]]
    out = ember.empty(2, 2, dtype=I64)
    ember.gather(x, 1, i, out=out)
    assert out.tolist() == [[1, 1], [4, 3]]
    # Index smaller than input in the other dims.
    assert ember.gather(ember.arange(12).view(3, 4), 1, ember.tensor([[3], [0]])).tolist() == [[3], [4]]


def test_gather_errors():
    x = ember.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"gather\(\): Expected dtype int64 for index"):
        ember.gather(x, 0, ember.tensor([[0]], dtype=ember.int32))
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions as input tensor"):
        ember.gather(x, 0, ember.tensor([0]))
    with pytest.raises(RuntimeError, match=r"Size does not match at dimension 1 expected index \[1, 4\]"):
        ember.gather(x, 0, ember.zeros(1, 4, dtype=I64))
    with pytest.raises(RuntimeError, match="index 3 is out of bounds for dimension 1 with size 3"):
        ember.gather(x, 1, ember.tensor([[3]]))
    with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 0 with size 2"):
        ember.gather(x, 0, ember.tensor([[-1]]))
    with pytest.raises(IndexError):
        ember.gather(x, 2, ember.tensor([[0]]))


def test_scatter_inplace_returns_self_and_bumps_version():
    x = ember.zeros(3, 4)
    v0 = x._version
    r = x.scatter_(0, ember.tensor([[2, 0, 1, 2]]), ember.tensor([[1.0, 2, 3, 4]]))
    assert r is x and x._version > v0
    assert x.tolist() == [[0, 2, 0, 0], [0, 0, 3, 0], [1, 0, 0, 4]]
    r = x.scatter_(1, ember.tensor([[0], [1], [3]]), 9.0)
    assert r is x and x[:, 0].tolist() == [9, 0, 1] and x[2, 3].item() == 9
    y = x.scatter_(1, ember.tensor([[0]]), 1.0, reduce="add")
    assert y is x and x[0, 0].item() == 10
    x.scatter_(1, ember.tensor([[0]]), value=2.0, reduce="multiply")
    assert x[0, 0].item() == 20
    z = ember.zeros(2)
    assert z.scatter_add_(0, ember.tensor([1, 1, 1]), ember.ones(3)) is z and z.tolist() == [0, 3]
    w = ember.ones(2)
    assert w.scatter_reduce_(0, ember.tensor([0, 0]), ember.tensor([4.0, 5.0]), "amax",
                             include_self=False) is w and w.tolist() == [5, 1]


def test_scatter_out_of_place_leaves_input():
    x = ember.zeros(2, 2)
    y = ember.scatter(x, 0, ember.tensor([[1, 0]]), ember.tensor([[5.0, 6.0]]))
    assert x.tolist() == [[0, 0], [0, 0]] and y.tolist() == [[0, 6], [5, 0]]
    assert x.scatter(0, ember.tensor([[1]]), 7).tolist() == [[0, 0], [7, 0]]


def test_scatter_errors():
    x = ember.zeros(2, 3)
    idx = ember.tensor([[0, 1]])
    with pytest.raises(RuntimeError, match=r"scatter\(\): Expected dtype int64 for index"):
        x.scatter(0, idx.to(ember.int32), ember.ones(1, 2))
    with pytest.raises(RuntimeError, match=r"scatter\(\): Expected self.dtype to be equal to src.dtype"):
        x.scatter(0, idx, ember.ones(1, 2, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions as self tensor"):
        x.scatter(0, ember.tensor([0]), ember.ones(1))
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions as src tensor"):
        x.scatter(0, idx, ember.ones(2))
    with pytest.raises(RuntimeError, match="to be smaller size than src"):
        x.scatter(0, idx, ember.ones(1, 1))
    with pytest.raises(RuntimeError, match="to be smaller than self"):
        x.scatter(0, ember.zeros(1, 4, dtype=I64), ember.ones(1, 4))
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 0 with size 2"):
        x.scatter(0, ember.tensor([[5]]), 1.0)
    with pytest.raises(RuntimeError, match="out of bounds"):
        x.scatter_add(1, ember.tensor([[-1]]), ember.ones(1, 1))
    with pytest.raises(RuntimeError, match="reduce argument must be either add or multiply"):
        x.scatter(0, idx, ember.ones(1, 2), reduce="sum")
    with pytest.raises(RuntimeError, match="reduce argument must be either sum, prod, mean, amax or amin"):
        x.scatter_reduce(0, idx, ember.ones(1, 2), "max")
    with pytest.raises(TypeError, match=r"\[scatter_reduce\].*complex64"):
        ember.zeros(2, dtype=ember.complex64).scatter_reduce(0, ember.tensor([0]), ember.ones(1, dtype=ember.complex64), "amax")
    with pytest.raises(TypeError, match=r"\[scatter_reduce\].*bool"):
        ember.zeros(2, dtype=ember.bool).scatter_reduce(0, ember.tensor([0]), ember.ones(1, dtype=ember.bool), "mean")
    with pytest.raises(TypeError, match=r"\[scatter\]"):
        x.scatter(0, idx)
    with pytest.raises(RuntimeError, match="refers to a single memory location"):
        ember.zeros(1, 3).expand(4, 3).scatter_add_(0, ember.tensor([[0, 1, 2]]), ember.ones(1, 3))


def test_scatter_add_duplicates_large():
    rng = np.random.default_rng(0)
    n, m = 200, 3000
    idx = rng.integers(0, 50, size=(n, m))
    src = rng.integers(-5, 5, size=(n, m))
    ref = np.zeros((n, 50), np.int64)
    np.add.at(ref, (np.arange(n)[:, None], idx), src)
    got = ember.zeros(n, 50, dtype=I64).scatter_add_(1, ember.tensor(idx), ember.tensor(src))
    np.testing.assert_array_equal(got.numpy(), ref)
    # Along dim 0 the collisions cross rows of index: the slices are columns.
    ref0 = np.zeros((50, m), np.int64)
    np.add.at(ref0, (idx, np.arange(m)[None, :]), src)
    got0 = ember.zeros(50, m, dtype=I64).scatter_add(0, ember.tensor(idx), ember.tensor(src))
    np.testing.assert_array_equal(got0.numpy(), ref0)


def test_scatter_reduce_include_self_and_mean():
    x = ember.tensor([10.0, 20.0, 30.0])
    idx = ember.tensor([0, 0, 2])
    src = ember.tensor([1.0, 3.0, 5.0])
    assert x.scatter_reduce(0, idx, src, "sum").tolist() == [14, 20, 35]
    assert x.scatter_reduce(0, idx, src, "sum", include_self=False).tolist() == [4, 20, 5]
    assert x.scatter_reduce(0, idx, src, "prod", include_self=False).tolist() == [3, 20, 5]
    assert x.scatter_reduce(0, idx, src, "mean").tolist() == pytest.approx([14 / 3, 20, 17.5], rel=1e-6)
    assert x.scatter_reduce(0, idx, src, "mean", include_self=False).tolist() == [2, 20, 5]
    assert x.scatter_reduce(0, idx, src, "amin").tolist() == [1, 20, 5]
    assert x.scatter_reduce(0, idx, src, "amax", include_self=False).tolist() == [3, 20, 5]
    # Integer mean rounds toward -inf, as PyTorch's floor division.
    xi = ember.tensor([0, 0])
    assert xi.scatter_reduce(0, ember.tensor([0, 0, 1]), ember.tensor([-3, 0, 7]), "mean").tolist() == [-1, 3]
    # amax propagates NaN.
    nan = float("nan")
    r = ember.tensor([0.0]).scatter_reduce(0, ember.tensor([0, 0]), ember.tensor([nan, 1.0]), "amax")
    assert np.isnan(r.item())
    # An empty index changes nothing.
    assert x.scatter_reduce(0, ember.tensor([], dtype=I64), ember.tensor([]), "sum").tolist() == [10, 20, 30]
