"""Gradients of the shape ops worked by hand: node names, which input
elements each output element came from, empty and legacy-empty inputs,
double backward, and that the forwards' internal copies are not recorded.
(test_gradients.py checks every op of the table against finite differences.)"""
import numpy as np
import pytest

import ember
from ember.autograd import grad, gradcheck, gradgradcheck


def f64(values, requires_grad=True):
    return ember.tensor(values, dtype=ember.float64, requires_grad=requires_grad)


def weights(*shape):
    """Distinct weights, so that every output element's gradient is visible."""
    return ember.arange(1.0, float(np.prod(shape)) + 1, dtype=ember.float64).reshape(*shape)


def grad_of(out, *inputs):
    """Gradients of sum(out * weights) with respect to inputs."""
    return grad((out * weights(*out.shape)).sum(), inputs, allow_unused=True)


def np_of(t):
    return None if t is None else t.detach().numpy()


# ---- joining

def test_cat_gradient_is_each_inputs_slice():
    a, b = f64([[1.0, 2.0]]), f64([[3.0, 4.0], [5.0, 6.0]])
    out = ember.cat([a, b])
    assert out.grad_fn.name() == "CatBackward0"
    # No node for the copies into the result: the cat node feeds the leaves directly.
    assert [fn.name() for fn, _ in out.grad_fn.next_functions] == ["AccumulateGrad", "AccumulateGrad"]
    ga, gb = grad_of(out, a, b)
    np.testing.assert_array_equal(np_of(ga), [[1, 2]])
    np.testing.assert_array_equal(np_of(gb), [[3, 4], [5, 6]])


def test_cat_along_dim_1_with_mixed_dtypes_and_legacy_empty():
    a = f64([[1.0], [2.0]])
    b = ember.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=ember.float32, requires_grad=True)
    e = f64([])  # 1-D size 0: skipped by cat, still gets an (empty) gradient
    out = ember.cat([a, e, b], dim=1)
    assert out.dtype == ember.float64
    ga, ge, gb = grad_of(out, a, e, b)
    np.testing.assert_array_equal(np_of(ga), [[1], [4]])
    assert tuple(ge.shape) == (0,)
    assert gb.dtype == ember.float32  # the engine casts to the input's dtype
    np.testing.assert_array_equal(np_of(gb), [[2, 3], [5, 6]])


def test_cat_input_without_grad_gets_none():
    a, b = f64([1.0, 2.0]), f64([3.0], requires_grad=False)
    out = ember.cat([a, b])
    (ga,) = grad_of(out, a)
    np.testing.assert_array_equal(np_of(ga), [1, 2])


def test_stack_hstack_vstack():
    a, b = f64([1.0, 2.0]), f64([3.0, 4.0])
    out = ember.stack([a, b], dim=1)
    assert out.grad_fn.name() == "StackBackward0"
    ga, gb = grad_of(out, a, b)  # weights [[1, 2], [3, 4]]
    np.testing.assert_array_equal(np_of(ga), [1, 3])
    np.testing.assert_array_equal(np_of(gb), [2, 4])
    ga, gb = grad_of(ember.vstack([a, b]), a, b)
    np.testing.assert_array_equal(np_of(ga), [1, 2])
    np.testing.assert_array_equal(np_of(gb), [3, 4])
    ga, gb = grad_of(ember.hstack([a, b]), a, b)
    np.testing.assert_array_equal(np_of(gb), [3, 4])


def test_no_graph_without_grad():
    a = f64([1.0, 2.0])
    with ember.no_grad():
        out = ember.cat([a, a])
    assert out.grad_fn is None and not out.requires_grad
    out = ember.flip(f64([1.0, 2.0], requires_grad=False), [0])
    assert out.grad_fn is None and not out.requires_grad


# ---- splitting: every part is a view of the input

def test_split_parts_are_views_with_their_own_gradients():
    x = f64([1.0, 2.0, 3.0, 4.0, 5.0])
    parts = ember.split(x, 2)
    assert [p.grad_fn.name() for p in parts] == ["SliceBackward0"] * 3
    loss = parts[0].sum() * 1 + parts[2].sum() * 10  # parts[1] unused
    (g,) = grad(loss, [x])
    np.testing.assert_array_equal(np_of(g), [1, 1, 0, 0, 10])


def test_chunk_and_tensor_split_gradients():
    x = f64([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    a, b = ember.chunk(x, 2, dim=1)  # sizes 2 and 1
    (g,) = grad((a * 2).sum() + (b * 3).sum(), [x])
    np.testing.assert_array_equal(np_of(g), [[2, 2, 3], [2, 2, 3]])
    p = ember.tensor_split(x, [1], dim=0)
    (g,) = grad(p[1].sum(), [x])
    np.testing.assert_array_equal(np_of(g), [[0, 0, 0], [1, 1, 1]])


# ---- flip, roll, rot90

def test_flip_gradient_is_flipped():
    x = f64([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    out = ember.flip(x, [1])
    assert out.grad_fn.name() == "FlipBackward0"
    (g,) = grad_of(out, x)
    np.testing.assert_array_equal(np_of(g), [[3, 2, 1], [6, 5, 4]])


def test_roll_gradient_rolls_back():
    x = f64([1.0, 2.0, 3.0, 4.0])
    out = ember.roll(x, 1)  # out = [4, 1, 2, 3]: out[i] = x[i - 1]
    assert out.grad_fn.name() == "RollBackward0"
    (g,) = grad_of(out, x)  # weights [1, 2, 3, 4]
    np.testing.assert_array_equal(np_of(g), [2, 3, 4, 1])
    x2 = f64([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (g,) = grad_of(ember.roll(x2, (-1, 7), (0, 1)), x2)  # 7 % 3 == 1
    np.testing.assert_array_equal(np_of(g), [[5, 6, 4], [2, 3, 1]])
    (g,) = grad_of(ember.roll(x2, 2), x2)  # no dims: the flattened tensor rolls
    np.testing.assert_array_equal(np_of(g), [[3, 4, 5], [6, 1, 2]])


def test_rot90_gradient():
    x = f64([[1.0, 2.0], [3.0, 4.0]])
    (g,) = grad_of(ember.rot90(x), x)  # rot90 [[2, 4], [1, 3]]; weights [[1, 2], [3, 4]]
    np.testing.assert_array_equal(np_of(g), [[3, 1], [4, 2]])


# ---- repeating

def test_repeat_gradient_sums_the_copies():
    x = f64([1.0, 2.0])
    out = x.repeat(2, 3)  # shape (2, 6); x[j] sits at columns j, j + 2, j + 4
    assert out.grad_fn.name() == "RepeatBackward0"
    (g,) = grad_of(out, x)  # weights 1..12 in rows [1..6], [7..12]
    np.testing.assert_array_equal(np_of(g), [1 + 3 + 5 + 7 + 9 + 11, 2 + 4 + 6 + 8 + 10 + 12])


def test_repeat_with_zero_repeats_and_tile():
    x = f64([[1.0, 2.0]])
    (g,) = grad(x.repeat(0, 1).sum(), [x])
    np.testing.assert_array_equal(np_of(g), [[0, 0]])
    (g,) = grad(ember.tile(x, (3,)).sum(), [x])
    np.testing.assert_array_equal(np_of(g), [[3, 3]])


def test_repeat_interleave_gradients():
    x = f64([[1.0, 2.0], [3.0, 4.0]])
    out = ember.repeat_interleave(x, 2, dim=0)  # rows 0, 0, 1, 1
    assert out.grad_fn.name() == "RepeatInterleaveBackward0"
    (g,) = grad_of(out, x)  # weights rows [1, 2], [3, 4], [5, 6], [7, 8]
    np.testing.assert_array_equal(np_of(g), [[4, 6], [12, 14]])
    out = ember.repeat_interleave(x, ember.tensor([0, 3]), dim=1)  # columns 1, 1, 1
    (g,) = grad_of(out, x)  # weights [[1, 2, 3], [4, 5, 6]]
    np.testing.assert_array_equal(np_of(g), [[0, 6], [0, 15]])
    (g,) = grad_of(ember.repeat_interleave(x, 2), x)  # no dim: flattened
    np.testing.assert_array_equal(np_of(g), [[3, 7], [11, 15]])


# ---- triangles and diagonals

def test_tril_triu_gradients_keep_the_triangle():
    x = f64(np.ones((3, 3)))
    (g,) = grad(ember.tril(x, -1).sum(), [x])
    np.testing.assert_array_equal(np_of(g), np.tril(np.ones((3, 3)), -1))
    out = ember.triu(x, 1)
    assert out.grad_fn.name() == "TriuBackward0"
    (g,) = grad(out.sum(), [x])
    np.testing.assert_array_equal(np_of(g), np.triu(np.ones((3, 3)), 1))


def test_diag_and_diag_embed_gradients():
    v = f64([1.0, 2.0])
    out = ember.diag(v, 1)  # 3x3 with v on the first superdiagonal
    assert out.grad_fn.name() == "DiagEmbedBackward0"
    (g,) = grad_of(out, v)  # weights 1..9: (0, 1) -> 2, (1, 2) -> 6
    np.testing.assert_array_equal(np_of(g), [2, 6])
    m = f64([[1.0, 2.0], [3.0, 4.0]])
    (g,) = grad_of(ember.diag(m), m)  # a matrix's diag is a diagonal copy
    np.testing.assert_array_equal(np_of(g), [[1, 0], [0, 2]])
    b = f64([[1.0, 2.0], [3.0, 4.0]])
    out = ember.diag_embed(b, -1, 0, 2)  # shape (3, 2, 3)
    (g,) = grad_of(out, b)
    w = weights(3, 2, 3).numpy()
    np.testing.assert_array_equal(np_of(g), [[w[1, 0, 0], w[2, 0, 1]], [w[1, 1, 0], w[2, 1, 1]]])


# ---- views and composites

def test_movedim_meshgrid_broadcast_gradients():
    x = f64(np.arange(6.0).reshape(1, 2, 3))
    (g,) = grad_of(ember.movedim(x, 0, 2), x)  # out shape (2, 3, 1)
    np.testing.assert_array_equal(np_of(g), weights(2, 3, 1).numpy().reshape(1, 2, 3))
    a, b = f64([1.0, 2.0]), f64([3.0, 4.0, 5.0])
    ga_, gb_ = ember.meshgrid(a, b, indexing="ij")
    ga, gb = grad((ga_ * weights(2, 3)).sum() + gb_.sum(), [a, b])
    np.testing.assert_array_equal(np_of(ga), [6, 15])
    np.testing.assert_array_equal(np_of(gb), [2, 2, 2])
    (g,) = grad_of(ember.broadcast_to(a, (3, 2)), a)
    np.testing.assert_array_equal(np_of(g), [1 + 3 + 5, 2 + 4 + 6])
    p = ember.cartesian_prod(a, b)  # rows (a_i, b_j)
    ga, gb = grad(p[:, 0].sum() + 10 * p[:, 1].sum(), [a, b])
    np.testing.assert_array_equal(np_of(ga), [3, 3])
    np.testing.assert_array_equal(np_of(gb), [20, 20, 20])


# ---- double backward and complex

def test_double_backward_through_shape_ops():
    x = f64([1.0, 2.0, 3.0])
    y = ember.cat([x * x, ember.flip(x, [0]).repeat(2)])
    (g,) = grad(y.sum(), [x], create_graph=True)  # 2x + 2
    np.testing.assert_array_equal(np_of(g), [4, 6, 8])
    (gg,) = grad(g.sum(), [x])
    np.testing.assert_array_equal(np_of(gg), [2, 2, 2])


@pytest.mark.parametrize("fn", [
    lambda t: ember.roll(t, 1, 0),
    lambda t: ember.tril(t),
    lambda t: ember.diag_embed(t),
    lambda t: ember.repeat_interleave(t, ember.tensor([2, 0, 1]), dim=1),
    lambda t: ember.stack([t, t * 2], dim=-1),
])
def test_complex_gradcheck(fn):
    x = ember.tensor(np.arange(6).reshape(2, 3) + 1j * np.arange(6, 12).reshape(2, 3), dtype=ember.complex128,
                     requires_grad=True)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))
