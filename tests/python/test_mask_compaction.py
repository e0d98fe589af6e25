"""x[mask], masked_select and nonzero through Note [Mask compaction]
(include/ember/core/index_kernels.h): per-chunk counts of the mask (chunks of
65536 elements), prefix sums, then a branch-free compaction per chunk in
parallel. Results are compared with NumPy on masks whose true elements sit
at and around the chunk boundaries, on every element size, on one and two
threads, and on the layouts that take the direct copy as well as those that
fall back to index tensors."""
import numpy as np
import pytest

import ember

CHUNK = 1 << 16


@pytest.fixture(autouse=True, params=[1, 2], ids=["1thread", "2threads"])
def threads(request):
    before = ember.get_num_threads()
    ember.set_num_threads(request.param)
    yield request.param
    ember.set_num_threads(before)


def masks(n, seed=0):
    """Masks of length n that stress the chunk edges: random densities, all
    false, all true, a single true element at each chunk's first and last
    position, and trues only in some chunks."""
    rng = np.random.default_rng(seed)
    out = [rng.random(n) < p for p in (0.5, 0.01, 0.99)]
    out += [np.zeros(n, bool), np.ones(n, bool)]
    edges = np.zeros(n, bool)
    for c in range(0, n, CHUNK):
        edges[c] = True
        edges[min(n, c + CHUNK) - 1] = True
    out.append(edges)
    last_only = np.zeros(n, bool)
    last_only[-1] = True
    out.append(last_only)
    blocks = np.zeros(n, bool)
    blocks[CHUNK // 2: CHUNK + 7] = True  # the second chunk ends its trues early, the rest have none
    out.append(blocks)
    return out


SIZES = [1, 7, 8, 9, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5]


@pytest.mark.parametrize("n", SIZES)
def test_boolean_mask_1d_matches_numpy(n):
    a = np.arange(n, dtype=np.float32) * 0.5 - 3
    t = ember.from_numpy(a)
    for m in masks(n):
        got = t[ember.from_numpy(m)]
        assert got.shape == (int(m.sum()),)
        np.testing.assert_array_equal(got.numpy(), a[m])
        np.testing.assert_array_equal(ember.masked_select(t, ember.from_numpy(m)).numpy(), a[m])


@pytest.mark.parametrize("dtype", [np.bool_, np.uint8, np.int16, np.float32, np.int64, np.complex64,
                                   np.complex128])
def test_every_element_size(dtype):
    n = 2 * CHUNK + 3
    rng = np.random.default_rng(1)
    a = (rng.standard_normal(n) * 100).astype(dtype)
    if np.issubdtype(dtype, np.complexfloating):
        a = a + 1j * np.arange(n).astype(dtype)
    t = ember.from_numpy(a)
    for m in masks(n, seed=2):
        np.testing.assert_array_equal(t[ember.from_numpy(m)].numpy(), a[m])


def test_rows_selected_by_a_leading_mask():
    # The mask covers the first dims; every true element copies a contiguous row.
    a = np.arange(3 * 50000 * 5, dtype=np.float64).reshape(3, 50000, 5)
    m = np.random.default_rng(3).random((3, 50000)) < 0.3
    got = ember.from_numpy(a)[ember.from_numpy(m)]
    assert got.shape == (int(m.sum()), 5)
    np.testing.assert_array_equal(got.numpy(), a[m])
    m1 = np.random.default_rng(4).random(3) < 0.7
    np.testing.assert_array_equal(ember.from_numpy(a)[ember.from_numpy(m1)].numpy(), a[m1])


def test_mask_after_basic_indices_and_size_one_dims():
    a = np.arange(2 * 1 * 300 * 4, dtype=np.int32).reshape(2, 1, 300, 4)
    m = (np.arange(300 * 4) % 3 == 1).reshape(300, 4)
    t = ember.from_numpy(a)
    # t[1] leaves a size-1 dim before the masked ones. t[1, :, mask] is the same
    # in PyTorch (the integer is a basic index: Note [Advanced indexing]), where
    # NumPy would move the masked dim to the front.
    np.testing.assert_array_equal(t[1][:, ember.from_numpy(m)].numpy(), a[1][:, m])
    np.testing.assert_array_equal(t[1, :, ember.from_numpy(m)].numpy(), a[1][:, m])
    # a mask over dims preceded by a dim of size > 1 takes the index-tensor path
    np.testing.assert_array_equal(t[:, 0][:, ember.from_numpy(m)].numpy(), a[:, 0][:, m])


def test_strided_and_transposed_inputs():
    a = np.arange(400 * 300, dtype=np.float32).reshape(400, 300)
    t = ember.from_numpy(a)
    m = np.random.default_rng(5).random((300, 400)) < 0.5
    # transposed: the masked dims do not collapse, so the index-tensor path runs
    np.testing.assert_array_equal(t.t()[ember.from_numpy(m)].numpy(), a.T[m])
    # every other column: one stride for the 1-d mask, element stride 8 bytes
    m1 = np.random.default_rng(6).random(150) < 0.5
    np.testing.assert_array_equal(t[7, ::2][ember.from_numpy(m1)].numpy(), a[7, ::2][m1])
    # a mask over the rows of a column slice: rows are not contiguous, so blocks are per element
    m2 = np.random.default_rng(7).random(400) < 0.5
    np.testing.assert_array_equal(t[:, 3:5][ember.from_numpy(m2)].numpy(), a[:, 3:5][m2])
    # broadcast self in masked_select (stride 0)
    row = np.arange(5, dtype=np.float32)
    mm = np.random.default_rng(8).random((4, 5)) < 0.5
    got = ember.masked_select(ember.from_numpy(row), ember.from_numpy(mm))
    np.testing.assert_array_equal(got.numpy(), np.broadcast_to(row, (4, 5))[mm])


def test_uint8_mask_and_empty_results():
    a = np.arange(10, dtype=np.int64)
    t = ember.from_numpy(a)
    m8 = np.array([0, 2, 0, 1, 0, 0, 255, 0, 0, 3], dtype=np.uint8)  # non-zero bytes are true
    np.testing.assert_array_equal(t[ember.from_numpy(m8)].numpy(), a[m8 != 0])
    assert t[ember.zeros(10, dtype=ember.bool)].shape == (0,)
    e = ember.zeros(0, 3)
    assert e[ember.zeros(0, dtype=ember.bool)].shape == (0, 3)
    assert ember.zeros(4, 0)[ember.ones(4, dtype=ember.bool)].shape == (4, 0)


def test_result_is_a_copy_and_gradient_flows():
    a = ember.arange(2 * CHUNK + 1, dtype=ember.float32)
    m = (a % 3) == 0
    s = a[m]
    s.add_(1)  # a fresh tensor, not a view
    assert a[3].item() == 3.0
    x = ember.arange(10, dtype=ember.float64).requires_grad_()
    mx = ember.tensor([True, False] * 5)
    (x[mx] * ember.arange(5, dtype=ember.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 0, 1, 0, 2, 0, 3, 0, 4, 0])


@pytest.mark.parametrize("shape", [(3 * CHUNK + 5,), (700, 300), (40, 90, 37), (2, 1, 3, 1, 20000)])
def test_nonzero_matches_numpy(shape):
    n = int(np.prod(shape))
    for m in masks(n, seed=9):
        m = m.reshape(shape)
        got = ember.nonzero(ember.from_numpy(m)).numpy()
        np.testing.assert_array_equal(got, np.argwhere(m))
        tup = ember.nonzero(ember.from_numpy(m), as_tuple=True)
        for g, w in zip(tup, np.nonzero(m)):
            np.testing.assert_array_equal(g.numpy(), w)


def test_nonzero_of_numbers_and_zero_dim():
    a = np.array([[0.0, -0.0, 2.5], [np.nan, 0.0, 1e-45]], dtype=np.float32)
    np.testing.assert_array_equal(ember.nonzero(ember.from_numpy(a)).numpy(), np.argwhere(a))
    assert ember.nonzero(ember.tensor(3.0)).shape == (1, 0)
    assert ember.nonzero(ember.tensor(0.0)).shape == (0, 0)
