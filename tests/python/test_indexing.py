"""Basic indexing (t[...]) and assignment (t[...] = v) against NumPy.

Every basic index gives a view: the tests check values and shapes against
NumPy, that the result shares the base's storage, and that writes through
it land where NumPy's do."""
import enum

import numpy as np
import pytest

import ember

SHAPE = (2, 3, 4, 5)


def make(shape=SHAPE, dtype=None):
    n = int(np.prod(shape))
    t = ember.arange(n).view(*shape)
    a = np.arange(n).reshape(shape)
    if dtype is not None:
        t = t.to(dtype)
        a = a.astype(np.dtype(str(dtype).split(".")[1]))
    return t, a


def check_view(t, a, idx):
    """t[idx] equals a[idx], shares t's storage, and writes go through."""
    r = t[idx]
    expected = a[idx]
    assert tuple(r.shape) == expected.shape
    np.testing.assert_array_equal(np.asarray(r), expected)
    assert r._base_data_ptr == t._base_data_ptr
    # Writes through the view land where NumPy's basic-index writes do.
    r.fill_(-7)
    a = a.copy()
    a[idx] = -7
    np.testing.assert_array_equal(np.asarray(t), a)


# Indices on which PyTorch and NumPy agree (basic indexing, at most one
# boolean or booleans without ints between them).
INDICES = [
    0, 1, -1, -2,
    slice(None), slice(1, None), slice(None, 1), slice(0, 2), slice(-1, None), slice(None, -1),
    slice(None, None, 2), slice(1, None, 3), slice(5, 1), slice(-100, 100), slice(100, None),
    slice(None, None, 100), slice(-3, -1, 2),
    None, Ellipsis, True, False,
    (), (0,), (0, 1), (0, 1, 2), (0, 1, 2, 3), (-1, -1, -1, -1),
    (0, slice(1, 3)), (slice(None), 0), (slice(None), slice(None), 2), (Ellipsis, 0), (Ellipsis, -1, 1),
    (0, Ellipsis), (0, Ellipsis, 4), (1, Ellipsis, slice(None, None, 2)), (Ellipsis, None), (None, Ellipsis),
    (None, 0, None, slice(1, None), None), (slice(None), None, slice(None), None, 1),
    (Ellipsis, None, slice(1, 4, 2)), (None, None, None), (0, 1, 2, 3, None),
    (slice(1, 2), slice(0, 3, 2), slice(1, 4, 2), slice(4, None)),
    (slice(0, 0), 1), (1, slice(3, 3)),
    (True, 0), (0, True), (1, 2, True), (True, Ellipsis), (Ellipsis, False), (None, True), (True, None, 1),
    (True, True), (True, False), (slice(None), True, True), (True, Ellipsis, True), (True, 1, True),
]


@pytest.mark.parametrize("idx", INDICES, ids=repr)
def test_index_matches_numpy(idx):
    t, a = make()
    check_view(t, a, idx)


@pytest.mark.parametrize("idx", [0, -1, slice(1, None, 2), (None, 1), (Ellipsis, 2), True, (2, False, None)], ids=repr)
@pytest.mark.parametrize("dtype_name", ["float32", "float64", "int32", "int16", "uint8", "bool", "complex64"])
def test_index_dtypes(idx, dtype_name):
    # Parameters hold names, not ember objects: objects that pytest keeps
    # alive until exit would show up in nanobind's leak report.
    dtype = getattr(ember, dtype_name)
    t, a = make((3, 4), dtype)
    r = t[idx]
    assert r.dtype == dtype
    np.testing.assert_array_equal(np.asarray(r), a[idx])
    assert r._base_data_ptr == t._base_data_ptr


def test_index_of_a_non_contiguous_view():
    t, a = make()
    tv, av = t.permute(3, 1, 0, 2), a.transpose(3, 1, 0, 2)
    for idx in [1, (slice(None, None, 2), 0), (Ellipsis, 1, slice(1, None)), (None, -1, True, 2)]:
        r = tv[idx]
        np.testing.assert_array_equal(np.asarray(r), av[idx])
        assert r._base_data_ptr == t._base_data_ptr


def test_chained_indexing():
    t, a = make()
    r = t[1][None][..., 2][0, :, ::2]
    np.testing.assert_array_equal(np.asarray(r), a[1][None][..., 2][0, :, ::2])
    r.fill_(100)
    a[1, :, ::2, 2] = 100
    np.testing.assert_array_equal(np.asarray(t), a)


def test_data_ptr_and_strides_of_results():
    t, _ = make()
    item = t.element_size()
    assert t[1].data_ptr() == t.data_ptr() + 60 * item
    assert t[1, 2].data_ptr() == t.data_ptr() + (60 + 2 * 20) * item
    assert t[:, 1:].data_ptr() == t.data_ptr() + 20 * item
    assert t[..., 3].data_ptr() == t.data_ptr() + 3 * item
    assert t[:, :, ::2].stride() == (60, 20, 10, 1)
    assert t[1, None].stride() == (60, 20, 5, 1)  # as unsqueeze gives
    assert t[1, None].is_contiguous()
    assert tuple(t[..., None].stride()) == (60, 20, 5, 1, 1)
    # An empty slice keeps the offset at the dim's start.
    assert t[:, 5:].data_ptr() == t.data_ptr()
    assert t[:, 5:].numel() == 0


def test_empty_tuple_and_ellipsis_alias():
    t, _ = make()
    for idx in [(), Ellipsis]:
        r = t[idx]
        assert r is not t
        assert r.shape == t.shape and r.data_ptr() == t.data_ptr()


def test_zero_dim_tensor():
    t = ember.tensor(5.0)
    assert t[()].shape == () and t[()].item() == 5.0
    assert t[...].shape == ()
    assert t[None].shape == (1,) and t[None, None].shape == (1, 1)
    assert t[True].shape == (1,) and t[False].shape == (0,)
    a = np.array(5.0)
    np.testing.assert_array_equal(np.asarray(t[..., None]), a[..., None])


def test_empty_tensor():
    t, a = make((0, 3))
    for idx in [slice(None), (slice(None), 1), (Ellipsis, None), (slice(1, 5), slice(None, None, 2)), True]:
        r = t[idx]
        assert tuple(r.shape) == a[idx].shape
    with pytest.raises(IndexError, match="index 0 is out of bounds for dimension 0 with size 0"):
        t[0]


def test_integer_like_indices():
    t, a = make((4, 5))

    class Color(enum.IntEnum):
        RED = 2

    for idx, expect in [
        (ember.tensor(2), 2), (ember.tensor(-1, dtype=ember.int32), -1), (np.int64(3), 3), (np.int8(-2), -2),
        (np.array(1), 1), (Color.RED, 2), (ember.tensor(3, dtype=ember.uint8), 3),
    ]:
        r = t[idx]
        np.testing.assert_array_equal(np.asarray(r), a[expect])
        assert r._base_data_ptr == t._base_data_ptr
    np.testing.assert_array_equal(np.asarray(t[ember.tensor(1), np.int16(4)]), a[1, 4])


def test_bool_like_indices():
    t, a = make((4, 5))
    assert t[ember.tensor(True)].shape == (1, 4, 5)
    assert t[ember.tensor(False)].shape == (0, 4, 5)
    assert t[np.True_].shape == (1, 4, 5)
    assert t[np.bool_(False), 1].shape == (0, 5)
    assert t[np.array(True)].shape == (1, 4, 5)


def test_slice_bounds_of_other_types():
    t, a = make((6,))
    np.testing.assert_array_equal(np.asarray(t[ember.tensor(1):ember.tensor(5):ember.tensor(2)]), a[1:5:2])
    np.testing.assert_array_equal(np.asarray(t[np.int32(-4):np.int64(6)]), a[-4:6])
    # Bounds beyond int64 clamp as Python's do.
    np.testing.assert_array_equal(np.asarray(t[-2**70:2**70]), a)
    assert t[2**70:].shape == (0,)
    np.testing.assert_array_equal(np.asarray(t[::2**70]), a[:1])
    np.testing.assert_array_equal(np.asarray(t[::2**63 - 1]), a[:1])


def test_booleans_follow_pytorch_where_numpy_differs():
    # PyTorch selects with ints before treating booleans as advanced
    # indices, so a bool separated from an int by a slice stays in place
    # (NumPy would move the broadcast dim to the front).
    t, a = make((3, 4, 5))
    r = t[:, True, :, 0]
    assert r.shape == (3, 1, 4)
    np.testing.assert_array_equal(np.asarray(r), a[:, None, :, 0])
    # Booleans separated by a slice merge into one dim at the front.
    r = t[True, :, False]
    assert r.shape == (0, 3, 4, 5)
    r = t[True, :, True, 1]
    assert r.shape == (1, 3, 5)
    np.testing.assert_array_equal(np.asarray(r), a[None, :, 1])
    # An int and a bool separated by None: the bool's dim stays after None.
    r = t[2, None, False]
    assert r.shape == (1, 0, 4, 5)


# ---- errors


def test_errors_out_of_bounds():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"^\[index\] index 5 is out of bounds for dimension 0 with size 3$"):
        t[5]
    with pytest.raises(IndexError, match=r"index -4 is out of bounds for dimension 0 with size 3"):
        t[-4]
    with pytest.raises(IndexError, match=r"index 4 is out of bounds for dimension 1 with size 4"):
        t[0, 4]
    with pytest.raises(IndexError, match=r"index -5 is out of bounds for dimension 1 with size 4"):
        t[None, 1, -5]
    with pytest.raises(IndexError, match=r"index 4 is out of bounds for dimension 1 with size 4"):
        t[..., 4]
    with pytest.raises(IndexError, match=r"index 2\*\*70|index 1180591620717411303424 is out of range"):
        t[2**70]


def test_errors_too_many_indices():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"^\[index\] too many indices for tensor of dimension 2$"):
        t[0, 0, 0]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        t[:, :, :]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        t[0, ..., 0, 0]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 0"):
        ember.tensor(1)[None, 0]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 0"):
        ember.tensor(1)[:]


def test_errors_zero_dim_int():
    msg = (r"invalid index of a 0-dim tensor\. Use `tensor\.item\(\)` in Python or `tensor\.item<T>\(\)` in C\+\+ "
           r"to convert a 0-dim tensor to a number")
    with pytest.raises(IndexError, match=msg):
        ember.tensor(3)[0]
    with pytest.raises(IndexError, match=msg):
        ember.tensor(3.5)[ember.tensor(0)]


def test_errors_ellipsis_and_step():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"an index can only have a single ellipsis \('\.\.\.'\)"):
        t[..., ...]
    with pytest.raises(IndexError, match="single ellipsis"):
        t[..., 0, ...]
    for step in (-1, 0, -2**70):
        with pytest.raises(ValueError, match="step must be greater than zero"):
            t[::step]
    with pytest.raises(ValueError, match="step must be greater than zero"):
        t[0, 3:0:-1]


# Indices that were once rejected as advanced: now they index as NumPy does
# (the second lambda spells the same index for NumPy; [[0]] is read as a
# tuple, as PyTorch does).
@pytest.mark.parametrize("make_idx, np_idx", [
    (lambda: [0, 1], [0, 1]), (lambda: [0], [0]), (lambda: [], np.array([], dtype=np.int64)),
    (lambda: [[0]], ([0],)), (lambda: ember.tensor([0, 1]), [0, 1]),
    (lambda: ember.tensor([True, False, True]), np.array([True, False, True])), (lambda: ember.tensor([[1]]), [[1]]),
    (lambda: np.array([0, 2]), [0, 2]),
    (lambda: (0, [1, 2]), (0, [1, 2])), (lambda: ((0, 1),), ([0, 1],)), (lambda: (slice(None), [0]), (slice(None), [0])),
])
def test_former_advanced_indices_now_work(make_idx, np_idx):
    t, a = make((3, 4))
    got = t[make_idx()]
    want = a[np_idx]
    np.testing.assert_array_equal(got.numpy(), want)
    t[make_idx()] = 1
    a[np_idx] = 1
    np.testing.assert_array_equal(t.numpy(), a)


def test_mask_shape_mismatch_numpy_mask():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"^\[index\] The shape of the mask \[1, 1\] at index 0 does not match "
                                         r"the shape of the indexed tensor \[3, 4\] at index 0$"):
        t[np.array([[True]])]


@pytest.mark.parametrize("idx, name", [(1.0, "float"), ("a", "str"), (1j, "complex"), (object(), "object")])
def test_errors_invalid_index_types(idx, name):
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"only integers, slices \(`:`\), ellipsis \(`\.\.\.`\), None and long or "
                                         rf"byte Variables are valid indices \(got {name}\)"):
        t[idx]


def test_errors_float_tensor_index_and_slice_bounds():
    t, _ = make((3, 4))
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool tensors"):
        t[ember.tensor(1.0)]
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool tensors"):
        t[np.array([0.5, 1.5])]
    with pytest.raises(TypeError, match="slice indices must be integers or None or have an __index__ method"):
        t[1.5:]
    with pytest.raises(TypeError, match="slice indices must be integers"):
        t[:, :"x"]


# ---- __setitem__


def test_setitem_scalars():
    t, a = make((3, 4))
    for idx, v in [(0, 9), ((slice(None), 1), -3), ((Ellipsis, slice(None, None, 2)), True), ((1, 2), 7.9),
                   ((None, 2), np.int16(4)), ((), 11), (False, 100), ((True, 1, 1), np.float64(-2.5))]:
        t[idx] = v
        a[idx] = v
        np.testing.assert_array_equal(np.asarray(t), a)


def test_setitem_dtype_conversion():
    f = ember.zeros(4)
    f[1] = 3
    f[2] = True
    f[3] = 2.5
    np.testing.assert_array_equal(np.asarray(f), np.array([0, 3, 1, 2.5], np.float32))
    i = ember.zeros(3, dtype=ember.int32)
    i[0] = 2.9
    i[1] = -2.9
    i[2:] = ember.tensor([7.6])
    np.testing.assert_array_equal(np.asarray(i), np.array([2, -2, 7], np.int32))
    b = ember.zeros(3, dtype=ember.bool)
    b[0] = 5
    b[1:] = ember.tensor([0.0, 0.5])
    np.testing.assert_array_equal(np.asarray(b), np.array([True, False, True]))
    c = ember.zeros(2, dtype=ember.complex64)
    c[0] = 1 + 2j
    c[1] = 3
    np.testing.assert_array_equal(np.asarray(c), np.array([1 + 2j, 3], np.complex64))
    assert i.dtype == ember.int32 and b.dtype == ember.bool


def test_setitem_tensor_broadcast():
    t, a = make((3, 4, 2))
    cases = [
        (0, ember.tensor([[1, 2]] * 4), np.array([[1, 2]] * 4)),
        ((slice(None), 1), ember.tensor([5, 6]), np.array([5, 6])),
        ((Ellipsis, 0), ember.tensor([[7], [8], [9]]), np.array([[7], [8], [9]])),
        ((slice(None), slice(1, 3)), ember.tensor([10]), np.array([10])),
        (1, ember.tensor(-4), np.array(-4)),
    ]
    for idx, v, va in cases:
        before = t._version
        t[idx] = v
        a[idx] = va
        np.testing.assert_array_equal(np.asarray(t), a)
        assert t._version == before + 1


def test_setitem_drops_leading_ones_of_value():
    t, a = make((3, 4))
    t[0] = ember.full((1, 1, 4), 42)
    a[0] = np.full((1, 1, 4), 42)
    t[1:, 2] = ember.tensor([[-1, -2]])
    a[1:, 2] = np.array([[-1, -2]])
    np.testing.assert_array_equal(np.asarray(t), a)


def test_setitem_numpy_and_lists():
    t, a = make((3, 4))
    t[..., 0] = np.array([1.7, 2.2, 3.9])  # converted to int64 like copy_
    a[..., 0] = np.array([1.7, 2.2, 3.9])
    t[1:] = [[1, 2, 3, 4]]
    a[1:] = [[1, 2, 3, 4]]
    t[0, 1:3] = (8, 9)
    a[0, 1:3] = (8, 9)
    t[2, ::3] = np.array([5, 6], dtype=np.int8)
    a[2, ::3] = np.array([5, 6], dtype=np.int8)
    np.testing.assert_array_equal(np.asarray(t), a)
    assert t.dtype == ember.int64


def test_setitem_from_overlapping_view_of_itself():
    t, a = make((6,))
    t[1:] = t[:-1]
    a[1:] = a[:-1].copy()
    np.testing.assert_array_equal(np.asarray(t), a)
    t2, a2 = make((3, 3))
    t2[...] = t2.t()
    a2[...] = a2.T.copy()
    np.testing.assert_array_equal(np.asarray(t2), a2)


def test_setitem_bumps_shared_version_once():
    t, _ = make((3, 4))
    v = t[1]
    w = t.view(12)
    unrelated = t.clone()
    other_start = unrelated._version
    start = t._version
    t[0] = 1
    assert t._version == start + 1
    assert v._version == start + 1 and w._version == start + 1
    v[2] = ember.tensor(5)
    assert t._version == start + 2
    t[0, 0] = np.float32(3)
    t[:, 0] = [1, 2, 3]
    assert w._version == start + 4
    assert unrelated._version == other_start


def test_setitem_errors():
    t, _ = make((3, 4))
    version = t._version
    with pytest.raises(RuntimeError, match=r"^\[index_put_\] shape mismatch: value tensor of shape \[2\] cannot be "
                                           r"broadcast to indexing result of shape \[4\]$"):
        t[0] = ember.tensor([1, 2])
    with pytest.raises(RuntimeError, match=r"value tensor of shape \[2, 1, 4\] cannot be broadcast to indexing "
                                           r"result of shape \[4\]"):
        t[0] = ember.ones(2, 1, 4)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        t[:, 0] = [1, 2]
    with pytest.raises(IndexError, match="index 3 is out of bounds for dimension 0 with size 3"):
        t[3] = 0
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        t[0, 0, 0] = 0
    with pytest.raises(ValueError, match="step must be greater than zero"):
        t[::-1] = 0
    with pytest.raises(TypeError, match=r"\[index_put_\] can't assign a str to a tensor of dtype int64"):
        t[0] = "x"
    with pytest.raises(TypeError, match=r"can't assign a NoneType to a tensor of dtype int64"):
        t[0] = None
    with pytest.raises(TypeError, match="cannot fill a tensor of dtype int64 with the complex value"):
        t[0] = 1 + 2j
    # Writing through an expanded view would write one element twice.
    e = ember.zeros(1, 3).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        e[...] = ember.ones(2, 3)
    # Failed writes leave the data and the version alone.
    np.testing.assert_array_equal(np.asarray(t), np.arange(12).reshape(3, 4))
    assert t._version == version
