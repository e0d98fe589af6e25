"""Gradients of indexing, the index/mask ops and the scatter family worked
by hand: node names, duplicates, overwritten positions, values that are
tensors, in-place forms, ties of amax/amin, zeros in prod, double backward
and errors. (test_gradients.py checks every op of the table against finite
differences.)"""
import numpy as np
import pytest

import ember
from ember.autograd import grad, gradcheck, gradgradcheck


def f64(values, requires_grad=True):
    return ember.tensor(values, dtype=ember.float64, requires_grad=requires_grad)


def idx(*values):
    return ember.tensor(list(values))


def weights(*shape):
    """Distinct weights, so that every output element's gradient is visible."""
    return ember.arange(1.0, float(np.prod(shape)) + 1, dtype=ember.float64).reshape(*shape)


def grad_of(out, *inputs):
    """Gradients of sum(out * weights) with respect to inputs."""
    return grad((out * weights(*out.shape)).sum(), inputs, allow_unused=True)


def np_of(t):
    return None if t is None else t.detach().numpy()


X = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
W = np.arange(1.0, 7.0).reshape(2, 3)  # weights(2, 3)


# ---- basic indexing: a recorded view

@pytest.mark.parametrize("key,name", [
    ((0,), "SelectBackward0"), ((slice(1, None),), "SliceBackward0"), ((slice(None), 1), "SelectBackward0"),
    ((Ellipsis,), "AliasBackward0"), ((None,), "UnsqueezeBackward0"), ((slice(None), None, slice(0, 2)), "SliceBackward0"),
])
def test_basic_index_node_names(key, name):
    x = f64(X)
    out = x[key]
    assert out.grad_fn.name() == name


def test_basic_index_gradient_lands_in_the_indexed_elements():
    x = f64(X)
    (g,) = grad_of(x[1, ::2], x)
    np.testing.assert_array_equal(np_of(g), [[0, 0, 0], [1, 0, 2]])
    (g,) = grad_of(x[None, ..., 1:], x)
    np.testing.assert_array_equal(np_of(g), [[0, 1, 2], [0, 3, 4]])


def test_inplace_write_into_a_basic_index_view_reaches_the_base():
    x = f64(X)
    y = x * 1
    y[0].mul_(10)
    (g,) = grad_of(y, x)
    np.testing.assert_array_equal(np_of(g), W * [[10], [1]])


# ---- advanced indexing

def test_advanced_index_duplicates_accumulate():
    x = f64(X)
    out = x[idx(1, 1, 0)]
    assert out.grad_fn.name() == "IndexBackward0"
    (g,) = grad_of(out, x)  # weights rows [1, 2, 3], [4, 5, 6], [7, 8, 9]
    np.testing.assert_array_equal(np_of(g), [[7, 8, 9], [5, 7, 9]])


def test_mask_and_mixed_advanced_indices():
    x = f64(X)
    (g,) = grad_of(x[x > 2.5], x)  # elements 3, 4, 5, 6 in row-major order
    np.testing.assert_array_equal(np_of(g), [[0, 0, 1], [2, 3, 4]])
    (g,) = grad_of(x[:, idx(2, 0)], x)  # out (2, 2): [[x02, x00], [x12, x10]]
    np.testing.assert_array_equal(np_of(g), [[2, 0, 1], [4, 0, 3]])
    (g,) = grad_of(x[ember.tensor(1)], x)  # a 0-d index selects (a view)
    np.testing.assert_array_equal(np_of(g), [[0, 0, 0], [1, 2, 3]])


# ---- t[key] = value and index_put

def test_setitem_basic_value_and_self_gradients():
    x, v = f64(X), f64([[10.0, 20.0]])  # extra leading size-1 dim
    y = x * 1
    y[0, 1:] = v
    (gx, gv) = grad_of(y, x, v)
    np.testing.assert_array_equal(np_of(gx), [[1, 0, 0], [4, 5, 6]])
    np.testing.assert_array_equal(np_of(gv), [[2, 3]])


def test_setitem_advanced_value_broadcast_and_duplicates():
    x, v = f64(X), f64(7.0)
    y = x * 1
    y[idx(0, 0, 1), idx(1, 1, 2)] = v
    gx, gv = grad_of(y, x, v)
    np.testing.assert_array_equal(np_of(gx), [[1, 0, 3], [4, 5, 0]])
    # PyTorch's rule: every listed position passes its gradient to the value.
    assert gv.item() == 2 + 2 + 6


def test_setitem_scalar_and_mask():
    x = f64(X)
    y = x * 1
    y[y > 4.5] = 0.0
    (g,) = grad_of(y, x)
    np.testing.assert_array_equal(np_of(g), [[1, 2, 3], [4, 0, 0]])


def test_setitem_on_a_leaf_that_requires_grad_raises():
    x = f64(X)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[idx(0)] = 1.0
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[0] = 1.0


def test_index_put_accumulate_and_not():
    x, v = f64(X), f64([1.0, 2.0, 3.0])
    out = ember.index_put(x, (idx(1, 1),), v, accumulate=True)
    assert out.grad_fn.name() == "IndexPutBackward0"
    gx, gv = grad_of(out, x, v)
    np.testing.assert_array_equal(np_of(gx), W)
    np.testing.assert_array_equal(np_of(gv), [8, 10, 12])
    gx, gv = grad_of(ember.index_put(x, (idx(1),), v), x, v)
    np.testing.assert_array_equal(np_of(gx), [[1, 2, 3], [0, 0, 0]])
    np.testing.assert_array_equal(np_of(gv), [4, 5, 6])


# ---- index ops and their in-place forms

def test_index_select_and_take_gradients():
    x = f64(X)
    out = ember.index_select(x, 1, idx(2, 2, 0))
    assert out.grad_fn.name() == "IndexSelectBackward0"
    (g,) = grad_of(out, x)  # weights [[1, 2, 3], [4, 5, 6]]
    np.testing.assert_array_equal(np_of(g), [[3, 0, 3], [6, 0, 9]])
    (g,) = grad_of(ember.take(x, ember.tensor([[5, 0], [5, -6]])), x)
    np.testing.assert_array_equal(np_of(g), [[6, 0, 0], [0, 0, 4]])
    (g,) = grad_of(ember.take_along_dim(x, ember.tensor([[2], [0]]), 1), x)
    np.testing.assert_array_equal(np_of(g), [[0, 0, 1], [2, 0, 0]])


def test_masked_fill_and_index_fill_with_tensor_values():
    x, v = f64(X), f64(9.0)
    out = ember.masked_fill(x, ember.tensor([True, False, True]), v)  # mask broadcast over rows
    assert out.grad_fn.name() == "MaskedFillBackward1"
    gx, gv = grad_of(out, x, v)
    np.testing.assert_array_equal(np_of(gx), [[0, 2, 0], [0, 5, 0]])
    assert gv.item() == 1 + 3 + 4 + 6
    out = ember.index_fill(x, 1, idx(1, 1), v)  # a repeated index fills once
    gx, gv = grad_of(out, x, v)
    np.testing.assert_array_equal(np_of(gx), [[1, 0, 3], [4, 0, 6]])
    assert gv.item() == 2 + 5


def test_masked_fill_broadcasting_self():
    x = f64([[1.0], [2.0]])
    (g,) = grad_of(ember.masked_fill(x, ember.tensor([False, True, False]), 0.0), x)
    np.testing.assert_array_equal(np_of(g), [[1 + 3], [4 + 6]])


def test_masked_select_and_masked_scatter():
    x = f64(X)
    (g,) = grad_of(ember.masked_select(x, ember.tensor([True, False, True])), x)
    np.testing.assert_array_equal(np_of(g), [[1, 0, 2], [3, 0, 4]])
    s = f64([10.0, 20.0, 30.0, 40.0])
    gx, gs = grad_of(ember.masked_scatter(x, ember.tensor([[True, False, False], [False, True, True]]), s), x, s)
    np.testing.assert_array_equal(np_of(gx), [[0, 2, 3], [4, 0, 0]])
    np.testing.assert_array_equal(np_of(gs), [1, 5, 6, 0])  # the unused source element gets 0


@pytest.mark.parametrize("name,fn,gx,gs,node", [
    ("index_add_", lambda y, s: y.index_add_(0, idx(1, 1), s, alpha=2),
     W, [[8, 10, 12], [8, 10, 12]], "IndexAddBackward0"),
    ("index_copy_", lambda y, s: y.index_copy_(0, idx(1), s[:1]),
     [[1, 2, 3], [0, 0, 0]], [[4, 5, 6], [0, 0, 0]], "IndexCopyBackward0"),
    ("index_fill_", lambda y, s: y.index_fill_(1, idx(0), 7.0), [[0, 2, 3], [0, 5, 6]], None, "IndexFillBackward0"),
    ("masked_fill_", lambda y, s: y.masked_fill_(y > 3, 0.0), [[1, 2, 3], [0, 0, 0]], None, "MaskedFillBackward0"),
    ("masked_scatter_", lambda y, s: y.masked_scatter_(y > 3, s),
     [[1, 2, 3], [0, 0, 0]], [[4, 5, 6], [0, 0, 0]], None),
    ("put_", lambda y, s: y.put_(idx(0, 5), s[0, :2]), [[0, 2, 3], [4, 5, 0]], [[1, 6, 0], [0, 0, 0]], None),
    ("index_put_", lambda y, s: y.index_put_((idx(0, 0),), s[0], accumulate=True),
     W, [[2, 4, 6], [0, 0, 0]], "IndexPutBackward0"),
])
def test_inplace_index_ops(name, fn, gx, gs, node):
    x = f64(X)
    s = f64([[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]])
    y = x * 1
    assert fn(y, s) is y
    if node:
        assert y.grad_fn.name() == node
    got_x, got_s = grad_of(y, x, s)
    np.testing.assert_array_equal(np_of(got_x), gx, err_msg=name)
    if gs is None:
        assert got_s is None
    else:
        np.testing.assert_array_equal(np_of(got_s), gs, err_msg=name)


def test_inplace_index_op_on_a_leaf_raises():
    x = f64(X)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.index_fill_(0, idx(0), 1.0)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.scatter_(0, ember.tensor([[0]]), 1.0)


# ---- gather and scatter

def test_gather_duplicates_accumulate():
    x = f64(X)
    out = ember.gather(x, 1, ember.tensor([[2, 2], [0, 1]]))
    assert out.grad_fn.name() == "GatherBackward0"
    (g,) = grad_of(out, x)  # weights [[1, 2], [3, 4]]
    np.testing.assert_array_equal(np_of(g), [[0, 0, 3], [3, 4, 0]])


def test_scatter_src_gradient_goes_to_the_last_write():
    x, s = f64(X), f64([[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]])
    index = ember.tensor([[1, 1, 0], [1, 0, 0]])  # column 0 and 2 written twice
    out = ember.scatter(x, 0, index, s)
    assert out.grad_fn.name() == "ScatterBackward0"
    np.testing.assert_array_equal(np_of(out), [[1, 50, 60], [40, 20, 6]])  # later rows win
    gx, gs = grad_of(out, x, s)
    np.testing.assert_array_equal(np_of(gx), [[1, 0, 0], [0, 0, 6]])
    np.testing.assert_array_equal(np_of(gs), [[0, 5, 0], [4, 2, 3]])


def test_scatter_src_larger_than_index_and_value_form():
    x, s = f64(X), f64([[10.0, 20.0, 30.0, 40.0]])
    gx, gs = grad_of(ember.scatter(x, 1, ember.tensor([[2]]), s), x, s)
    np.testing.assert_array_equal(np_of(gx), [[1, 2, 0], [4, 5, 6]])
    np.testing.assert_array_equal(np_of(gs), [[3, 0, 0, 0]])
    out = ember.scatter(x, 1, ember.tensor([[0], [2]]), 5.0)
    assert out.grad_fn.name() == "ScatterBackward1"
    (gx,) = grad_of(out, x)
    np.testing.assert_array_equal(np_of(gx), [[0, 2, 3], [4, 5, 0]])
    (gx,) = grad_of(ember.scatter(x, 1, ember.tensor([[0, 0]]), 3.0, reduce="multiply"), x)
    np.testing.assert_array_equal(np_of(gx), [[9, 2, 3], [4, 5, 6]])  # x00 * 3 * 3


def test_scatter_add_gradient():
    x, s = f64(X), f64([[10.0, 20.0], [30.0, 40.0]])
    out = ember.scatter_add(x, 1, ember.tensor([[0, 0], [2, 1]]), s)
    assert out.grad_fn.name() == "ScatterAddBackward0"
    gx, gs = grad_of(out, x, s)
    np.testing.assert_array_equal(np_of(gx), W)
    np.testing.assert_array_equal(np_of(gs), [[1, 1], [6, 5]])


def _scatter_reduce_grads(reduce, include_self, x, s, index):
    x, s = f64(x), f64(s)
    out = ember.scatter_reduce(x, 0, ember.tensor(index), s, reduce, include_self=include_self)
    assert out.grad_fn.name() == "ScatterReduceBackward0"
    gx, gs = grad(out.sum(), [x, s])
    return np_of(gx), np_of(gs)


def test_scatter_reduce_sum_and_mean():
    gx, gs = _scatter_reduce_grads("sum", False, [1.0, 2.0], [3.0, 4.0, 5.0], [0, 0, 0])
    np.testing.assert_array_equal(gx, [0, 1])  # self[0] is replaced, not included
    np.testing.assert_array_equal(gs, [1, 1, 1])
    gx, gs = _scatter_reduce_grads("mean", True, [1.0, 2.0], [3.0, 4.0, 5.0], [0, 0, 1])
    np.testing.assert_allclose(gx, [1 / 3, 1 / 2])
    np.testing.assert_allclose(gs, [1 / 3, 1 / 3, 1 / 2])
    gx, gs = _scatter_reduce_grads("mean", False, [1.0, 2.0], [3.0, 4.0, 5.0], [0, 0, 1])
    np.testing.assert_allclose(gx, [0, 0])
    np.testing.assert_allclose(gs, [1 / 2, 1 / 2, 1])


def test_scatter_reduce_prod_with_zeros():
    # target 0: 2 * 0 * 5 (one zero: only the zero gets a gradient, 2 * 5);
    # target 1: 0 * 0 * 3 (two zeros: every gradient is 0).
    gx, gs = _scatter_reduce_grads("prod", True, [2.0, 3.0], [0.0, 5.0, 0.0, 0.0], [0, 0, 1, 1])
    np.testing.assert_array_equal(gx, [0, 0])
    np.testing.assert_array_equal(gs, [10, 0, 0, 0])
    gx, gs = _scatter_reduce_grads("prod", True, [0.0, 3.0], [4.0, 5.0], [0, 1])
    np.testing.assert_array_equal(gx, [4, 5])  # a zero in self
    np.testing.assert_array_equal(gs, [0, 3])


def test_scatter_reduce_amax_ties_share_the_gradient():
    gx, gs = _scatter_reduce_grads("amax", True, [5.0, 1.0], [5.0, 2.0, 5.0, 0.0], [0, 0, 0, 1])
    np.testing.assert_allclose(gx, [1 / 3, 1])  # self[0], src[0], src[2] tie at 5
    np.testing.assert_allclose(gs, [1 / 3, 0, 1 / 3, 0])
    gx, gs = _scatter_reduce_grads("amin", False, [-9.0, 1.0], [5.0, 2.0, 2.0], [0, 0, 1])
    np.testing.assert_allclose(gx, [0, 0])  # self is not included where written
    np.testing.assert_allclose(gs, [0, 1, 1])


def test_scatter_reduce_inplace_form():
    x, s = f64([1.0, 2.0]), f64([3.0, 4.0])
    y = x * 1
    assert y.scatter_reduce_(0, ember.tensor([1, 1]), s, "prod") is y
    gx, gs = grad(y.sum(), [x, s])
    np.testing.assert_array_equal(np_of(gx), [1, 12])
    np.testing.assert_array_equal(np_of(gs), [8, 6])


# ---- double backward

def test_double_backward_through_indexing():
    x = f64([1.0, 2.0, 3.0])
    y = x[idx(0, 0, 2)] * x[idx(0, 0, 2)]
    (g,) = grad(y.sum(), [x], create_graph=True)  # 2 * 2x0, 0, 2x2
    np.testing.assert_array_equal(np_of(g), [4, 0, 6])
    (gg,) = grad(g.sum(), [x])
    np.testing.assert_array_equal(np_of(gg), [4, 0, 2])


@pytest.mark.parametrize("fn", [
    lambda t: ember.gather(t, 1, ember.tensor([[2, 2], [0, 1]])),
    lambda t: ember.scatter(t, 1, ember.tensor([[1], [0]]), t[:, :1] * 2),
    lambda t: ember.index_put(t, (idx(1, 0), idx(2, 2)), t[0, :2], accumulate=True),
    lambda t: t[:, idx(0, 0)],
    lambda t: ember.masked_fill(t, ember.tensor([[True, False, True], [False, False, True]]), 0.0),
    lambda t: ember.index_add(t, 1, idx(0, 0), t[:, 1:], alpha=2),
])
@pytest.mark.parametrize("dtype", [ember.float64, ember.complex128])
def test_gradcheck_and_gradgradcheck(fn, dtype):
    x = ember.tensor(np.arange(1.0, 7.0).reshape(2, 3), dtype=dtype)
    if dtype == ember.complex128:
        x = x + 1j * ember.tensor(np.arange(6.0, 0, -1).reshape(2, 3), dtype=dtype)
    x.requires_grad_(True)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


def test_saved_input_modified_in_place_is_detected():
    x, s = f64([1.0, 2.0]), f64([3.0, 4.0])
    base = x * 1
    out = ember.scatter_reduce(base, 0, ember.tensor([0, 1]), s, "prod")
    base.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
