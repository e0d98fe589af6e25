"""Advanced indexing (tensor, list, array and mask indices) and the index/
mask ops, against NumPy or hand-worked values (Note [Advanced indexing])."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import ember

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16",
          "float32", "float64", "complex64", "complex128"]


def make(shape, dtype="int64"):
    n = int(np.prod(shape))
    a = np.arange(n).reshape(shape)
    t = ember.arange(n).view(*shape) if n else ember.zeros(*shape, dtype=ember.int64)
    if dtype != "int64":
        t = t.to(getattr(ember, dtype))
        a = t.to(ember.complex128 if "complex" in dtype else ember.float64).numpy() if dtype in (
            "float16", "bfloat16") or "complex" in dtype else a.astype(dtype)
    return t, a


def to_np(t):
    if t.dtype in (ember.float16, ember.bfloat16):
        return t.to(ember.float64).numpy()
    return t.numpy()


def as_ember(idx):
    """NumPy index -> the same index for ember (arrays become tensors)."""
    if isinstance(idx, tuple):
        return tuple(as_ember(i) for i in idx)
    if isinstance(idx, np.ndarray):
        return ember.tensor(idx)
    return idx


# Each case: shape, index (NumPy spelling; arrays become ember tensors), and
# what it exercises. Integers are kept out of advanced groups here, where
# NumPy and PyTorch agree (see test_integer_next_to_tensor_is_basic).
CASES = [
    ((5,), (np.array([0, 4, -1, 2]),), "1-D gather, negative"),
    ((4, 3), (np.array([[0, 1], [3, -4]]),), "2-D index tensor"),
    ((4, 3), (np.array([0, 2]), np.array([1, 2])), "two indices, adjacent, front"),
    ((2, 3, 4), (slice(None), np.array([0, 2]), np.array([1, 3])), "adjacent group in the middle"),
    ((2, 3, 4), (np.array([0, 1]), slice(None), np.array([1, 3])), "separated by a slice: front"),
    ((2, 3, 4, 5), (slice(None), np.array([[0], [2]]), slice(1, 3), np.array([1, 3, 4])), "separated, broadcast"),
    ((2, 3, 4), (Ellipsis, np.array([3, 0])), "after Ellipsis"),
    ((2, 3, 4), (np.array([1]), Ellipsis, np.array([2])), "separated by Ellipsis"),
    ((2, 3, 4), (None, np.array([1, 0]), None), "None around"),
    ((2, 3, 4), (np.array([1, 0]), None, np.array([0, 0])), "separated by None: front"),
    ((2, 3, 4), (slice(None, None, 2), np.array([2, 1]), slice(1, None, 2)), "strided slices around"),
    ((3, 4), (np.array([], dtype=np.int64),), "empty index"),
    ((3, 4), (slice(None), np.array([], dtype=np.int64)), "empty index on dim 1"),
    ((0, 4), (slice(None), np.array([1, 3])), "size-0 dim kept"),
    ((1, 4), (np.array([0, 0, 0]),), "size-1 dim repeated"),
    ((3, 4), (np.array(1),), "0-d index array selects"),
    ((3, 4), (np.array([True, False, True]),), "1-D mask"),
    ((3, 4), (np.arange(12).reshape(3, 4) % 3 == 0,), "2-D mask consumes two dims"),
    ((2, 3, 4), (slice(None), np.arange(12).reshape(3, 4) % 5 == 1), "2-D mask after a slice"),
    ((2, 3, 4), (np.array([True, False]), slice(None), np.array([0, 3])), "mask and index separated"),
    ((2, 3, 4), (np.arange(6).reshape(2, 3) > 2, np.array([1])), "mask then index broadcast"),
    ((3, 4), (np.zeros((3, 4), bool),), "all-false mask"),
    ((2, 3, 4), (Ellipsis, np.array([False, True, True, False])), "mask after Ellipsis"),
]


@pytest.mark.parametrize("shape, idx, what", CASES, ids=[c[2] for c in CASES])
def test_getitem_matches_numpy(shape, idx, what):
    t, a = make(shape)
    got = t[as_ember(idx)]
    want = a[idx]
    assert tuple(got.shape) == want.shape, what
    np.testing.assert_array_equal(got.numpy(), want)


@pytest.mark.parametrize("shape, idx, what", CASES, ids=[c[2] for c in CASES])
def test_setitem_matches_numpy(shape, idx, what):
    t, a = make(shape)
    want_shape = a[idx].shape
    values = np.arange(int(np.prod(want_shape))).reshape(want_shape) + 100
    t[as_ember(idx)] = ember.tensor(values)
    a[idx] = values
    np.testing.assert_array_equal(t.numpy(), a)
    # A scalar and a broadcast row.
    t[as_ember(idx)] = -1
    a[idx] = -1
    np.testing.assert_array_equal(t.numpy(), a)


def test_landing_position_of_advanced_dims():
    t, _ = make((2, 3, 4, 5))
    i = ember.tensor([[0, 1, 1]])  # shape (1, 3)
    assert t[:, i, i].shape == (2, 1, 3, 5)       # adjacent: where they are
    assert t[:, i, :, i].shape == (1, 3, 2, 4)    # separated: in front
    assert t[i, :, :, i].shape == (1, 3, 3, 4)
    assert t[..., i].shape == (2, 3, 4, 1, 3)


def test_integer_next_to_tensor_is_basic():
    # PyTorch selects with integers first; NumPy would count the 0 as
    # advanced and put the [0, 1] dim in front: shape (2, 3).
    t, a = make((2, 3, 4))
    got = t[0, :, [0, 1]]
    assert got.shape == (3, 2)
    np.testing.assert_array_equal(got.numpy(), a[0][:, [0, 1]])
    got = t[[1], :, 0]  # NumPy: the same values, since the group [1], 0 is split
    np.testing.assert_array_equal(got.numpy(), a[:, :, 0][[1], :])
    assert t[:, [1, 0], 2].shape == (2, 2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_gather_and_scatter(dtype):
    t, a = make((4, 5), dtype)
    idx = (np.array([3, 0, 0]), slice(1, None, 2))
    np.testing.assert_array_equal(to_np(t[as_ember(idx)]), a[idx])
    t[as_ember(idx)] = t[0, 0]
    a[idx] = a[0, 0]
    np.testing.assert_array_equal(to_np(t), a)


@pytest.mark.parametrize("index_dtype", ["int64", "int32", "int16", "int8"])
def test_integer_index_dtypes(index_dtype):
    t, a = make((5, 2))
    idx = ember.tensor([4, -5, 1], dtype=getattr(ember, index_dtype))
    np.testing.assert_array_equal(t[idx].numpy(), a[[4, -5, 1]])


def test_uint8_tensor_is_a_mask():
    # Deprecated in PyTorch (it warns), but still a mask, not indices.
    t, a = make((3, 2))
    m = ember.tensor([1, 0, 1], dtype=ember.uint8)
    np.testing.assert_array_equal(t[m].numpy(), a[[True, False, True]])


def test_lists_and_arrays_as_indices():
    t, a = make((4, 3))
    np.testing.assert_array_equal(t[[3, 1]].numpy(), a[[3, 1]])
    np.testing.assert_array_equal(t[[True, False, True, True]].numpy(), a[[True, False, True, True]])
    np.testing.assert_array_equal(t[np.array([[0], [2]]), np.array([0, 2])].numpy(), a[[[0], [2]], [0, 2]])
    np.testing.assert_array_equal(t[[]].numpy(), a[np.array([], np.int64)])
    # PyTorch reads a list holding a sequence or slice as a tuple of indices.
    np.testing.assert_array_equal(t[[[0, 1], [1, 2]]].numpy(), a[[0, 1], [1, 2]])
    np.testing.assert_array_equal(t[[slice(None), [0]]].numpy(), a[:, [0]])


def test_result_is_a_copy():
    t, _ = make((3, 3))
    r = t[[0, 1]]
    r[0, 0] = 99
    assert t[0, 0].item() == 0


def test_non_contiguous_self_and_index():
    t, a = make((4, 6))
    tt, at = t.t(), a.T
    idx = ember.tensor([0, 9, 3, 9, 1, 9, 2, 9])[::2]  # non-contiguous index view
    assert not idx.is_contiguous()
    np.testing.assert_array_equal(tt[idx, 1:3].numpy(), at[[0, 3, 1, 2], 1:3])
    tt[idx, 0] = ember.tensor([7, 8, 9, 10])
    at[[0, 3, 1, 2], 0] = [7, 8, 9, 10]
    np.testing.assert_array_equal(t.numpy(), a)


def test_large_gather_is_exact():
    # Crosses the parallel grain size.
    a = np.arange(300_000, dtype=np.float32)
    idx = np.random.default_rng(0).integers(-300_000, 300_000, size=100_000)
    t = ember.tensor(a)
    np.testing.assert_array_equal(t[ember.tensor(idx)].numpy(), a[idx])
    m = (np.arange(300_000) % 7) == 3
    np.testing.assert_array_equal(t[ember.tensor(m)].numpy(), a[m])


def test_setitem_broadcast_value_and_leading_ones():
    t, a = make((3, 4, 2))
    t[[0, 2]] = ember.tensor([5, 6])
    a[[0, 2]] = [5, 6]
    np.testing.assert_array_equal(t.numpy(), a)
    t[[1], 1:3] = ember.ones(1, 1, 1, 2, dtype=ember.int64) * 7  # leading size-1 dims dropped
    a[[1], 1:3] = 7
    np.testing.assert_array_equal(t.numpy(), a)
    mask = np.arange(24).reshape(3, 4, 2) % 4 == 0
    t[mask] = 0
    a[mask] = 0
    np.testing.assert_array_equal(t.numpy(), a)
    t2, a2 = make((3, 4))
    m = a2 % 3 == 0
    t2[ember.tensor(m)] = ember.tensor([-1])
    a2[m] = -1
    np.testing.assert_array_equal(t2.numpy(), a2)


def test_setitem_converts_dtype_and_bumps_version():
    t = ember.zeros(4)
    v = t._version
    t[[1, 3]] = ember.tensor([2, 3])  # int64 value into float32
    assert t.tolist() == [0.0, 2.0, 0.0, 3.0]
    assert t._version > v


def test_setitem_value_aliasing_self():
    t = ember.arange(5)
    t[[1, 2, 3, 4]] = t[0:4]
    assert t.tolist() == [0, 0, 1, 2, 3]


def test_setitem_duplicates_last_write_wins():
    t = ember.zeros(3)
    t[[0, 0, 0]] = ember.tensor([1.0, 2.0, 3.0])
    assert t.tolist() == [3.0, 0.0, 0.0]


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != "bool"])
def test_index_put_accumulate_duplicates(dtype):
    t = ember.zeros(4, 2, dtype=getattr(ember, dtype))
    idx = (ember.tensor([0, 2, 0, 0, -1]),)
    vals = ember.tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]).to(getattr(ember, dtype))
    r = t.index_put_(idx, vals, accumulate=True)
    assert r is t
    np.testing.assert_array_equal(to_np(t), [[13, 16], [0, 0], [3, 4], [9, 10]])


def test_index_put_accumulate_bool_is_or():
    t = ember.tensor([False, False, True])
    t.index_put_((ember.tensor([0, 0, 1]),), ember.tensor([False, True, False]), accumulate=True)
    assert t.tolist() == [True, False, True]


def test_index_put_functional_and_none_entries():
    t, a = make((3, 4))
    out = ember.index_put(t, (None, ember.tensor([1, 1])), ember.tensor(10), accumulate=True)
    a2 = a.copy()
    np.add.at(a2, (slice(None), [1, 1]), 10)
    np.testing.assert_array_equal(out.numpy(), a2)
    np.testing.assert_array_equal(t.numpy(), a)  # unchanged
    out = t.index_put((ember.tensor([2]), ember.tensor([0])), ember.tensor(-5))
    assert out[2, 0].item() == -5 and t[2, 0].item() == 8


def test_index_put_basic_accumulate():
    t = ember.ones(2, 3)
    t.index_put_((ember.tensor(0),), ember.tensor([1.0, 2.0, 3.0]), accumulate=True)
    assert t.tolist() == [[2.0, 3.0, 4.0], [1.0, 1.0, 1.0]]


# ---- errors

def test_error_out_of_bounds():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"^\[index\] index 7 is out of bounds for dimension 0 with size 3$"):
        t[[0, 7]]
    with pytest.raises(IndexError, match=r"index -5 is out of bounds for dimension 1 with size 4$"):
        t[:, [-5]]
    with pytest.raises(IndexError, match=r"index 3 is out of bounds for dimension 0 with size 3"):
        t[[3]] = 1
    with pytest.raises(IndexError, match=r"index 0 is out of bounds for dimension 0 with size 0"):
        ember.zeros(0)[[0]]


def test_error_mask_shape():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"^\[index\] The shape of the mask \[2\] at index 0 does not match the "
                                         r"shape of the indexed tensor \[3, 4\] at index 0$"):
        t[ember.tensor([True, False])]
    with pytest.raises(IndexError, match=r"The shape of the mask \[3\] at index 0 does not match the shape of the "
                                         r"indexed tensor \[3, 4\] at index 1"):
        t[:, ember.tensor([True, False, True])]


def test_error_indices_do_not_broadcast():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"shape mismatch: indexing tensors could not be broadcast together with "
                                         r"shapes \[2\], \[3\]"):
        t[[0, 1], [0, 1, 2]]


def test_error_bad_index_dtype_and_too_many():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool tensors"):
        t[ember.tensor([0.0, 1.0])]
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool tensors"):
        t[[0.5]]
    with pytest.raises(IndexError, match=r"too many indices for tensor of dimension 2"):
        t[[0], [0], [0]]
    with pytest.raises(IndexError, match=r"too many indices for tensor of dimension 2"):
        t[0, ember.ones(3, 4, dtype=ember.bool)]


def test_error_value_shape():
    t, _ = make((3, 4))
    with pytest.raises(RuntimeError, match=r"^\[index_put_\] shape mismatch: value tensor of shape \[3\] cannot be "
                                           r"broadcast to indexing result of shape \[2, 4\]$"):
        t[[0, 1]] = ember.tensor([1, 2, 3])


# ---- ops along one dim

def test_index_select():
    t, a = make((3, 4))
    np.testing.assert_array_equal(ember.index_select(t, 1, ember.tensor([3, 0])).numpy(), a[:, [3, 0]])
    np.testing.assert_array_equal(t.index_select(0, ember.tensor([2, 2], dtype=ember.int32)).numpy(), a[[2, 2]])
    out = ember.empty(1, 4, dtype=ember.int64)
    ember.index_select(t, 0, ember.tensor([1]), out=out)
    np.testing.assert_array_equal(out.numpy(), a[[1]])
    assert ember.index_select(ember.tensor(5), 0, ember.tensor(0)).shape == ()
    with pytest.raises(IndexError, match=r"index_select\(\): Expected dtype int32/int64 for index"):
        t.index_select(0, ember.tensor([0.0]))
    with pytest.raises(IndexError, match=r"Index is supposed to be a vector"):
        t.index_select(0, ember.tensor([[0]]))
    with pytest.raises(IndexError, match=r"index 3 is out of bounds for dimension 0 with size 3"):
        t.index_select(0, ember.tensor([3]))
    with pytest.raises(IndexError, match=r"Dimension out of range|dim"):
        t.index_select(2, ember.tensor([0]))


def test_index_add_copy_fill():
    t = ember.zeros(3, 2)
    src = ember.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    r = t.index_add_(0, ember.tensor([2, 0, 2]), src, alpha=2)
    assert r is t
    assert t.tolist() == [[6.0, 8.0], [0.0, 0.0], [12.0, 16.0]]
    out = ember.index_add(ember.ones(2, 3), 1, ember.tensor([1]), ember.tensor([[5.0], [6.0]]))
    assert out.tolist() == [[1.0, 6.0, 1.0], [1.0, 7.0, 1.0]]
    c = ember.zeros(3, 2).index_copy_(0, ember.tensor([2, 0]), src[:2])
    assert c.tolist() == [[3.0, 4.0], [0.0, 0.0], [1.0, 2.0]]
    assert ember.index_copy(ember.zeros(2), 0, ember.tensor([1]), ember.tensor([4.0])).tolist() == [0.0, 4.0]
    f = ember.zeros(2, 3).index_fill_(1, ember.tensor([0, 2]), -1)
    assert f.tolist() == [[-1.0, 0.0, -1.0], [-1.0, 0.0, -1.0]]
    f = ember.zeros(2, 3).index_fill(0, ember.tensor([1]), ember.tensor(2.5))
    assert f.tolist() == [[0.0, 0.0, 0.0], [2.5, 2.5, 2.5]]
    with pytest.raises(RuntimeError, match=r"self \(float32\) and source \(float64\) must have the same scalar type"):
        ember.zeros(3).index_add_(0, ember.tensor([0]), ember.tensor([1.0], dtype=ember.float64))
    with pytest.raises(RuntimeError, match=r"index_copy\(\): source of shape \[2, 2\] does not match"):
        ember.zeros(3, 2).index_copy_(0, ember.tensor([0]), ember.zeros(2, 2))
    with pytest.raises(RuntimeError, match=r"only supports a 0-dimensional value tensor"):
        ember.zeros(3).index_fill_(0, ember.tensor([0]), ember.tensor([1.0]))


# ---- masks

def test_masked_fill():
    t = ember.arange(6).view(2, 3)
    m = ember.tensor([True, False, True])
    assert t.masked_fill(m, -1).tolist() == [[-1, 1, -1], [-1, 4, -1]]
    assert ember.masked_fill(t, m, ember.tensor(9)).tolist() == [[9, 1, 9], [9, 4, 9]]
    r = t.masked_fill_(ember.tensor([[False], [True]]), 0)
    assert r is t and t.tolist() == [[0, 1, 2], [0, 0, 0]]
    # Out of place, self broadcasts to the mask too.
    assert ember.zeros(1, 2).masked_fill(ember.tensor([[True], [False]]), 1.0).tolist() == [[1.0, 1.0], [0.0, 0.0]]
    with pytest.raises(TypeError, match=r"masked_fill_ only supports boolean masks, but got mask with dtype uint8"):
        t.masked_fill_(ember.tensor([1, 0, 1], dtype=ember.uint8), 0)
    with pytest.raises(RuntimeError, match=r"only supports a 0-dimensional value tensor, but got tensor with 1"):
        t.masked_fill_(m, ember.tensor([1]))
    with pytest.raises(RuntimeError, match=r"masked_fill_"):
        ember.zeros(3).masked_fill_(ember.ones(2, 3, dtype=ember.bool), 1.0)


def test_masked_select_and_scatter():
    t = ember.arange(6).view(2, 3)
    assert ember.masked_select(t, t > 2).tolist() == [3, 4, 5]
    assert t.masked_select(ember.tensor([False, True, False])).tolist() == [1, 4]
    s = ember.zeros(2, 3).masked_scatter_(ember.tensor([[True, False, True], [False, True, False]]),
                                          ember.arange(10.0).view(2, 5))
    assert s.tolist() == [[0.0, 0.0, 1.0], [0.0, 2.0, 0.0]]
    out = ember.masked_scatter(ember.zeros(2, 2), ember.tensor([True, False]), ember.tensor([7.0, 8.0, 9.0]))
    assert out.tolist() == [[7.0, 0.0], [8.0, 0.0]]
    with pytest.raises(RuntimeError, match=r"Number of elements of source < number of ones in mask"):
        ember.zeros(3).masked_scatter_(ember.tensor([True, True, True]), ember.zeros(2))
    with pytest.raises(TypeError, match=r"masked_select only supports boolean masks"):
        t.masked_select(ember.ones(3, dtype=ember.int64))


# ---- flat gathers

def test_take_put_take_along_dim():
    t, a = make((3, 4))
    np.testing.assert_array_equal(ember.take(t, ember.tensor([[0, -1], [5, 5]])).numpy(), [[0, 11], [5, 5]])
    with pytest.raises(IndexError, match=r"^\[take\] out of range: tried to access index 12 on a tensor of 12 "
                                         r"elements\.$"):
        t.take(ember.tensor([12]))
    with pytest.raises(IndexError, match=r"Expected a long tensor for index"):
        t.take(ember.tensor([1], dtype=ember.int32))
    p = ember.zeros(2, 2).put_(ember.tensor([3, 0, 3]), ember.tensor([1.0, 2.0, 3.0]), accumulate=True)
    assert p.tolist() == [[2.0, 0.0], [0.0, 4.0]]
    nc = ember.zeros(3, 2).t()  # non-contiguous self
    nc.put_(ember.tensor([1, 5]), ember.tensor([1.0, 2.0]))
    assert nc.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]
    idx = np.array([[1, 0], [3, 3], [-1, 2]])
    np.testing.assert_array_equal(ember.take_along_dim(t, ember.tensor(idx), 1).numpy(),
                                  np.take_along_axis(a, idx % 4, 1))
    np.testing.assert_array_equal(t.take_along_dim(ember.tensor([[2, 0]])).numpy(), [2, 0])
    with pytest.raises(RuntimeError, match=r"input and indices should have the same number of dimensions"):
        ember.take_along_dim(t, ember.tensor([0]), 0)


# ---- nonzero

def test_nonzero_argwhere_count():
    t = ember.tensor([[0, 2, 0], [3, 0, 4]])
    assert ember.nonzero(t).tolist() == [[0, 1], [1, 0], [1, 2]]
    assert ember.nonzero(t).dtype == ember.int64
    rows, cols = t.nonzero(as_tuple=True)
    assert rows.tolist() == [0, 1, 1] and cols.tolist() == [1, 0, 2]
    assert ember.argwhere(t).tolist() == [[0, 1], [1, 0], [1, 2]]
    assert ember.nonzero(ember.tensor(3.0)).shape == (1, 0)
    assert ember.nonzero(ember.tensor(0.0)).shape == (0, 0)
    (only,) = ember.nonzero(ember.tensor(3.0), as_tuple=True)
    assert only.tolist() == [0]
    assert ember.count_nonzero(t).item() == 3
    assert ember.count_nonzero(t, dim=0).tolist() == [1, 1, 1]
    assert t.count_nonzero(dim=(0, 1)).item() == 3
    assert ember.count_nonzero(t, dim=-1).tolist() == [1, 2]
    assert ember.nonzero(ember.tensor([0.0, -0.0, float("nan"), 1j], dtype=ember.complex64)).tolist() == [[2], [3]]


# ---- property: mixed basic and advanced indices vs NumPy

def _torch_rule_reference(a, idx):
    """NumPy's result under PyTorch's rule: integers select first, then the
    rest of the index applies (NumPy agrees once no integer is left). 0-d
    integer arrays are integers too."""
    idx = tuple(int(i) if isinstance(i, np.ndarray) and i.ndim == 0 and i.dtype != bool else i for i in idx)
    n_consumed = sum(1 if not isinstance(i, np.ndarray) or i.dtype != bool else i.ndim
                     for i in idx if i is not None and i is not Ellipsis)
    full = []
    for i in idx:
        if i is Ellipsis:
            full.extend([slice(None)] * (a.ndim - n_consumed))
        else:
            full.append(i)
    dims, d = [], 0
    for i in full:
        if i is None:
            continue
        if isinstance(i, int):
            dims.append((d, i))
        d += i.ndim if isinstance(i, np.ndarray) and i.dtype == bool else 1
    for dim, i in reversed(dims):
        a = np.take(a, i, axis=dim)
    return a[tuple(i for i in full if not isinstance(i, int))]


@st.composite
def mixed_index(draw):
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=1, max_size=4)))
    idx, d = [], 0
    ellipsis_used = False
    for _ in range(draw(st.integers(1, 4))):
        if d >= len(shape):
            break
        size = shape[d]
        kind = draw(st.sampled_from(["slice", "int", "array", "array", "mask", "none", "ellipsis"]))
        if kind == "int" and size > 0:
            idx.append(draw(st.integers(-size, size - 1)))
            d += 1
        elif kind == "array" and size > 0:
            ishape = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
            vals = draw(st.lists(st.integers(-size, size - 1), min_size=int(np.prod(ishape)),
                                 max_size=int(np.prod(ishape))))
            idx.append(np.array(vals, dtype=np.int64).reshape(ishape))
            d += 1
        elif kind == "mask":
            k = draw(st.integers(1, min(2, len(shape) - d)))
            mshape = shape[d:d + k]
            vals = draw(st.lists(st.booleans(), min_size=int(np.prod(mshape)), max_size=int(np.prod(mshape))))
            idx.append(np.array(vals, dtype=bool).reshape(mshape))
            d += k
        elif kind == "none":
            idx.append(None)
        elif kind == "ellipsis" and not ellipsis_used:
            ellipsis_used = True
            idx.append(Ellipsis)
            d = len(shape)  # the ellipsis covers the rest from here on
        else:
            idx.append(slice(draw(st.none() | st.integers(-5, 5)), draw(st.none() | st.integers(-5, 5)),
                             draw(st.none() | st.integers(1, 3))))
            d += 1
    return shape, tuple(idx)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # shared, loaded machines
@given(mixed_index())
def test_property_mixed_indices_vs_numpy(case):
    shape, idx = case
    a = np.arange(int(np.prod(shape))).reshape(shape)
    t = ember.tensor(a)
    try:
        want = _torch_rule_reference(a, idx)
    except (IndexError, ValueError):  # e.g. arrays that do not broadcast together
        with pytest.raises(IndexError):
            t[as_ember(idx)]
        return
    got = t[as_ember(idx)]
    assert tuple(got.shape) == want.shape, (shape, idx)
    np.testing.assert_array_equal(got.numpy(), want)
    # setitem through the same index writes the same places.
    vals = np.arange(want.size).reshape(want.shape) + 1000
    b = a.copy()
    ref_t = ember.tensor(a)
    ref_t[as_ember(idx)] = ember.tensor(vals)
    # Writes are checked by reading back where there are no duplicate indices.
    flat = _torch_rule_reference(np.arange(a.size).reshape(shape), idx).reshape(-1)
    if len(set(flat.tolist())) == flat.size:
        b.reshape(-1)[flat] = vals.reshape(-1)
        np.testing.assert_array_equal(ref_t.numpy(), b)


def test_setitem_index_aliasing_self():
    # The indices are read before any write: without that, t[1] = 10 would
    # turn the second index into 10 and write out of bounds.
    t = ember.tensor([1, 2, 0, 3])
    t[t] = ember.tensor([10, 11, 12, 13])
    assert t.tolist() == [12, 10, 11, 13]


def test_python_bools_next_to_tensors():
    # As in PyTorch: True is a new size-1 dim indexed by [0], False by [].
    t, a = make((2, 3, 4))
    got = t[True, [0, 1]]
    np.testing.assert_array_equal(got.numpy(), a[True, [0, 1]])
    assert t[:, True, [2]].shape == (2, 1, 4)
    with pytest.raises(IndexError, match=r"could not be broadcast together with shapes \[0\], \[2\]"):
        t[False, [0, 1]]
    # 0-d bool and uint8 tensors act as Python bools.
    assert t[ember.tensor(True), [1]].shape == (1, 3, 4)
    assert ember.tensor(5)[ember.tensor(True)].tolist() == [5]
    assert ember.tensor(5)[ember.tensor(False)].shape == (0,)


def test_index_add_rejects_float_alpha_for_integers():
    with pytest.raises(RuntimeError, match=r"For integral input tensors, argument alpha must not be a floating"):
        ember.zeros(3, dtype=ember.int64).index_add_(0, ember.tensor([0]), ember.tensor([1]), alpha=0.5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_masked_fill_large_strided_every_dtype(dtype):
    # Crosses the parallel grain; self is a transposed (non-contiguous) view.
    a = (np.arange(400 * 300) % 5).reshape(400, 300)
    m = (np.arange(400 * 300) % 3 == 0).reshape(300, 400).T
    t = ember.tensor(a).to(getattr(ember, dtype)).t().contiguous().t()
    assert not t.is_contiguous()
    v = t._version
    t.masked_fill_(ember.tensor(m), True if dtype == "bool" else 7)
    assert t._version > v
    want = np.where(m, True if dtype == "bool" else 7, a.astype(bool) if dtype == "bool" else a)
    np.testing.assert_array_equal(to_np(t), want)


def test_zero_dim_integer_tensor_selects():
    # PyTorch: a 0-d integer tensor is an integer, not an advanced index, so
    # it does not move the [] group to the front (NumPy would give (0, 1)).
    t = ember.zeros(1, 1, 1)
    assert t[ember.tensor(0), :, ember.tensor([], dtype=ember.int64)].shape == (1, 0)
    assert ember.index_put(t, (ember.tensor(0), None, ember.tensor([0])), ember.tensor(2.0))[0, 0, 0].item() == 2.0


def test_only_zero_dim_integer_tensors_give_a_view():
    t = ember.arange(6).view(2, 3)
    v = t[ember.tensor(1), ember.tensor(2)]
    assert v.item() == 5
    r = t[ember.tensor(1)]
    r[0] = 50  # a view, as t[1] is
    assert t[1, 0].item() == 50
    t.index_put_((ember.tensor(0), ember.tensor(1)), ember.tensor(7), accumulate=True)
    assert t[0, 1].item() == 8
