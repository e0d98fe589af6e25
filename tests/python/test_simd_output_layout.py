"""Elementwise results follow the inputs' memory layout (Note [Output layout]
in tensor_iterator.h), as in PyTorch: the strides below are PyTorch's for the
same expressions, and values are checked against NumPy."""
import numpy as np
import pytest

import ember


def t(a):
    return ember.from_numpy(np.ascontiguousarray(a))


@pytest.fixture
def mats():
    rng = np.random.default_rng(0)
    return rng.standard_normal((5, 7)).astype(np.float32), rng.standard_normal((5, 7)).astype(np.float32)


def test_transposed_inputs_give_a_transposed_output(mats):
    a, b = mats
    out = t(a).t() + t(b).t()
    assert tuple(out.shape) == (7, 5)
    assert tuple(out.stride()) == (1, 7)
    np.testing.assert_array_equal(out.numpy(), a.T + b.T)


def test_first_input_decides_when_layouts_differ(mats):
    a, b = mats
    x, y = t(a.T), t(b).t()  # x row-major (7, 5), y transposed
    assert tuple((x + y).stride()) == (5, 1)
    assert tuple((y + x).stride()) == (1, 7)
    np.testing.assert_array_equal((y + x).numpy(), b.T + a.T)


def test_contiguous_and_broadcast_inputs_give_contiguous_outputs(mats):
    a, _ = mats
    col, row = t(a[:, :1]), t(a[:1, :])
    out = col + row
    assert out.is_contiguous()
    np.testing.assert_array_equal(out.numpy(), a[:, :1] + a[:1, :])
    # A transposed input with a broadcast one: the transposed one decides.
    out = t(a).t() + t(a[:1, :1])
    assert tuple(out.stride()) == (1, 7)
    np.testing.assert_array_equal(out.numpy(), a.T + a[:1, :1])


def test_unary_and_comparison_outputs_follow_the_input(mats):
    a, _ = mats
    x = t(a).t()
    assert tuple(ember.exp(x).stride()) == (1, 7)
    assert tuple(ember.neg(x).stride()) == (1, 7)
    assert tuple((x > 0).stride()) == (1, 7)
    assert tuple((x + 1.5).stride()) == (1, 7)
    np.testing.assert_allclose(ember.exp(x).numpy(), np.exp(a.T), rtol=1e-6)
    np.testing.assert_array_equal((x > 0).numpy(), a.T > 0)


def test_permuted_3d_and_sliced_inputs():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((2, 3, 4))
    x = t(a).permute(2, 0, 1)  # strides (1, 12, 4)
    out = x * x
    assert tuple(out.stride()) == (1, 12, 4)
    np.testing.assert_array_equal(out.numpy(), a.transpose(2, 0, 1) ** 2)
    # Not dense (every other column): the output is dense in the same order.
    big = rng.standard_normal((6, 8))
    s = t(big)[:, ::2].t()  # shape (4, 6), strides (2, 8)
    out = s + s
    assert tuple(out.stride()) == (1, 4)
    np.testing.assert_array_equal(out.numpy(), 2 * big[:, ::2].T)


def test_size_one_and_empty_dims():
    a = np.arange(6.0).reshape(1, 6)
    x = t(a).t()  # (6, 1): contiguous either way
    assert (x + x).is_contiguous()
    e = ember.from_numpy(np.zeros((0, 3))).t()
    out = e + e
    assert tuple(out.shape) == (3, 0)
    assert out.numpy().shape == (3, 0)


def test_in_place_and_out_keep_their_own_layout(mats):
    a, b = mats
    x = t(a.copy())  # from_numpy shares memory: keep a intact
    x.add_(t(b.T).t())
    assert x.is_contiguous()
    np.testing.assert_array_equal(x.numpy(), a + b)
