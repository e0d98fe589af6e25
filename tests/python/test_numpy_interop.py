"""Zero-copy exchange with NumPy: ember.from_numpy, Tensor.numpy(),
Tensor.__array__ (np.asarray) and ember.as_tensor."""
import gc
import sys
import warnings
import weakref

import numpy as np
import pytest

import ember

# Every Ember dtype NumPy can hold, with its NumPy twin.
PAIRS = [
    (np.bool_, ember.bool), (np.uint8, ember.uint8), (np.int8, ember.int8), (np.int16, ember.int16),
    (np.int32, ember.int32), (np.int64, ember.int64), (np.float16, ember.float16),
    (np.float32, ember.float32), (np.float64, ember.float64), (np.complex64, ember.complex64),
    (np.complex128, ember.complex128),
]

REQUIRES_GRAD_MSG = "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."


def sample(np_dtype, shape=(2, 3)):
    n = int(np.prod(shape))
    vals = np.arange(n) - 2
    if np_dtype == np.bool_:
        vals = vals % 2 == 0
    elif np.issubdtype(np_dtype, np.complexfloating):
        vals = vals + 1j * (vals + 10)
    elif np_dtype == np.uint8:
        vals = vals + 2
    return np.asarray(vals).astype(np_dtype).reshape(shape)


def allocated():
    # Collect first: tensors from earlier tests that die in a later cycle
    # collection would otherwise change the count in the middle of a test.
    gc.collect()
    return ember._C._allocator_stats()["allocated_bytes"]


# ---------------------------------------------------------------- from_numpy

@pytest.mark.parametrize("np_dtype,dtype", PAIRS)
def test_from_numpy_every_dtype(np_dtype, dtype):
    a = sample(np_dtype)
    t = ember.from_numpy(a)
    assert t.dtype == dtype
    assert t.shape == (2, 3)
    assert t.stride() == (3, 1)
    assert t.data_ptr() == a.ctypes.data
    assert t.select(0, 1).select(0, 2).item() == a[1, 2].item()
    np.testing.assert_array_equal(t.numpy(), a)


@pytest.mark.parametrize("np_dtype,dtype", PAIRS)
def test_numpy_every_dtype(np_dtype, dtype):
    t = ember.tensor(sample(np_dtype).tolist(), dtype=dtype)
    n = t.numpy()
    assert n.dtype == np.dtype(np_dtype)
    assert n.ctypes.data == t.data_ptr()
    np.testing.assert_array_equal(n, sample(np_dtype))


def test_bfloat16_has_no_numpy_twin():
    t = ember.ones(3, dtype=ember.bfloat16)
    with pytest.raises(TypeError, match="Got unsupported ScalarType BFloat16"):
        t.numpy()
    with pytest.raises(TypeError, match="Got unsupported ScalarType BFloat16"):
        np.asarray(t)
    np.testing.assert_array_equal(t.float().numpy(), [1.0, 1.0, 1.0])


def test_from_numpy_writes_are_shared_both_ways():
    a = np.zeros((3, 4), dtype=np.float32)
    t = ember.from_numpy(a)
    a[1, 2] = 5.0
    assert t.select(0, 1).select(0, 2).item() == 5.0
    t.select(0, 2).fill_(-1.0)
    np.testing.assert_array_equal(a[2], [-1.0] * 4)


def test_from_numpy_non_contiguous_views_share():
    base = np.arange(24, dtype=np.int64).reshape(4, 6)
    view = base[1:, ::2].T  # shape (3, 3), byte strides (16, 48)
    t = ember.from_numpy(view)
    assert t.shape == (3, 3)
    assert t.stride() == (2, 6)
    np.testing.assert_array_equal(t.numpy(), view)
    t.select(0, 1).fill_(-7)  # view[1, :] is base[1:, 2]
    np.testing.assert_array_equal(base[1:, 2], [-7, -7, -7])
    assert base[0, 2] == 2
    base[3, 4] = 100  # view[2, 2]
    assert t.select(0, 2).select(0, 2).item() == 100


def test_numpy_writes_are_shared_both_ways():
    t = ember.zeros(2, 3, dtype=ember.float64)
    n = t.numpy()
    n[0, 1] = 4.5
    assert t.select(0, 0).select(0, 1).item() == 4.5
    t.select(0, 1).fill_(2.0)
    np.testing.assert_array_equal(n, [[0, 4.5, 0], [2, 2, 2]])


def test_numpy_of_non_contiguous_view_shares():
    base = ember.arange(12).view(3, 4)
    view = base.t().narrow(0, 1, 2)  # columns 1 and 2, as rows
    n = view.numpy()
    assert n.strides == (8, 32)
    np.testing.assert_array_equal(n, [[1, 5, 9], [2, 6, 10]])
    n[1, 2] = -1
    np.testing.assert_array_equal(base.numpy()[2], [8, 9, -1, 11])
    assert not n.flags.c_contiguous


def test_zero_dim_and_empty():
    z = ember.from_numpy(np.array(2.5))
    assert z.shape == () and z.dim() == 0
    assert z.item() == 2.5
    n = ember.full((), 7, dtype=ember.int32).numpy()
    assert n.shape == () and n.dtype == np.int32 and n.item() == 7

    e = ember.from_numpy(np.zeros((0, 3), dtype=np.float32))
    assert e.shape == (0, 3) and e.numel() == 0
    # Empty arrays with odd strides are still accepted (nothing is addressed).
    e2 = ember.from_numpy(np.zeros((4, 0))[::-1])
    assert e2.shape == (4, 0)
    assert ember.zeros(0).numpy().shape == (0,)
    assert ember.zeros(2, 0, dtype=ember.int8).numpy().dtype == np.int8


def test_size_one_and_zero_strides():
    # A size-1 dim's stride never matters, even when negative.
    a = np.arange(3.0).reshape(1, 3)[::-1]
    t = ember.from_numpy(a)
    np.testing.assert_array_equal(t.numpy(), [[0, 1, 2]])
    b = np.broadcast_to(np.arange(3), (2, 3))  # stride 0 and read-only
    with pytest.warns(UserWarning, match="not writable"):
        tb = ember.from_numpy(b)
    assert tb.stride() == (0, 1)
    np.testing.assert_array_equal(tb.numpy(), [[0, 1, 2], [0, 1, 2]])


def test_ndarray_subclass_is_accepted():
    class Sub(np.ndarray):
        pass
    a = np.arange(4, dtype=np.int16).view(Sub)
    t = ember.from_numpy(a)
    a[0] = 9
    np.testing.assert_array_equal(t.numpy(), [9, 1, 2, 3])


# ------------------------------------------------------------------ errors

def test_negative_strides_error():
    with pytest.raises(ValueError, match="At least one stride in the given numpy array is negative"):
        ember.from_numpy(np.arange(5)[::-1])
    with pytest.raises(ValueError, match="negative"):
        ember.from_numpy(np.arange(12).reshape(3, 4)[:, ::-2])


def test_unsupported_arrays():
    with pytest.raises(TypeError, match=r"can't convert np.ndarray of type numpy.object_"):
        ember.from_numpy(np.array([None, 1]))
    with pytest.raises(TypeError, match=r"numpy.uint16"):
        ember.from_numpy(np.arange(3, dtype=np.uint16))
    with pytest.raises(ValueError, match="byte order"):
        ember.from_numpy(np.arange(3, dtype=">i4"))
    with pytest.raises(TypeError, match=r"expected np.ndarray \(got list\)"):
        ember.from_numpy([1, 2])
    with pytest.raises(ValueError, match="not a multiple of the element byte size"):
        ember.from_numpy(np.ndarray((2,), np.int16, np.zeros(8, np.uint8), 0, (3,)))  # 3-byte stride


def test_requires_grad_error_has_pytorch_message():
    t = ember.zeros(3)
    t.requires_grad_()
    with pytest.raises(RuntimeError) as info:
        t.numpy()
    assert str(info.value).endswith(REQUIRES_GRAD_MSG)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\)"):
        np.asarray(t)
    np.testing.assert_array_equal(t.detach().numpy(), [0, 0, 0])
    np.testing.assert_array_equal(t.numpy(force=True), [0, 0, 0])


def test_read_only_array_warns_and_stays_read_only():
    a = np.arange(4.0)
    a.flags.writeable = False
    with pytest.warns(UserWarning, match="The given NumPy array is not writable"):
        t = ember.from_numpy(a)
    np.testing.assert_array_equal(t.numpy(), [0, 1, 2, 3])
    # Handing the memory back to NumPy keeps it read-only.
    assert not t.numpy().flags.writeable
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.from_numpy(np.arange(3.0))  # writable: no warning


# ----------------------------------------------------------------- lifetime

def test_from_numpy_outlives_the_array_name():
    a = np.arange(1000, dtype=np.float64) * 2
    ref = weakref.ref(a)
    t = ember.from_numpy(a)
    del a
    gc.collect()
    assert ref() is not None  # the tensor keeps it alive
    np.testing.assert_array_equal(t.numpy(), np.arange(1000) * 2.0)
    del t
    gc.collect()
    assert ref() is None  # and lets it go


def test_numpy_outlives_the_tensor():
    start = allocated()
    t = ember.arange(1000, dtype=ember.float64)
    n = t.numpy()
    view = t.narrow(0, 10, 5).numpy()
    del t
    gc.collect()
    assert allocated() >= start + 8000
    np.testing.assert_array_equal(n[995:], [995, 996, 997, 998, 999])
    np.testing.assert_array_equal(view, [10, 11, 12, 13, 14])
    del n, view
    gc.collect()
    assert allocated() == start


def test_no_leak_over_many_round_trips():
    a = np.arange(256, dtype=np.float32)
    ref = weakref.ref(a)
    rc = sys.getrefcount(a)
    start = allocated()
    for i in range(10_000):
        t = ember.from_numpy(a)        # borrows a
        n = t.numpy()                  # NumPy view of the borrowed memory
        owned = ember.zeros(64)        # Ember memory
        m = owned.numpy()
        back = ember.from_numpy(m)
        if i == 0:
            assert sys.getrefcount(a) > rc
        del t, n, owned, m, back
    gc.collect()
    assert sys.getrefcount(a) == rc
    assert allocated() == start
    del a
    gc.collect()
    assert ref() is None


# ---------------------------------------------------------------- __array__

def test_array_protocol_shares_and_copies_on_request():
    t = ember.zeros(3, dtype=ember.float32)
    a = np.asarray(t)
    a[0] = 1.0
    assert t.select(0, 0).item() == 1.0
    c = np.array(t, copy=True)
    c[1] = 5.0
    assert t.select(0, 1).item() == 0.0
    f = np.asarray(t, dtype=np.float64)
    assert f.dtype == np.float64
    f[2] = 9.0
    assert t.select(0, 2).item() == 0.0
    assert np.asarray(t, dtype=np.float32, copy=False).ctypes.data == t.data_ptr()
    with pytest.raises(ValueError, match="needs a copy"):
        np.asarray(t, dtype=np.float64, copy=False)


# ---------------------------------------------------------------- as_tensor

def test_as_tensor_shares_ndarray_when_dtype_matches():
    a = np.arange(6, dtype=np.float64)
    t = ember.as_tensor(a)
    assert t.dtype == ember.float64  # keeps the array's dtype, as PyTorch does
    a[0] = 42
    assert t.select(0, 0).item() == 42
    t2 = ember.as_tensor(a, dtype=ember.float64, device="cpu")
    assert t2.data_ptr() == a.ctypes.data


def test_as_tensor_copies_ndarray_on_dtype_change():
    a = np.arange(4, dtype=np.int64)
    t = ember.as_tensor(a, dtype=ember.float32)
    assert t.dtype == ember.float32
    a[0] = 100
    np.testing.assert_array_equal(t.numpy(), [0, 1, 2, 3])


def test_as_tensor_of_tensor():
    t = ember.arange(4)
    assert ember.as_tensor(t) is t
    assert ember.as_tensor(t, dtype=ember.int64, device="cpu") is t
    f = ember.as_tensor(t, dtype=ember.float64)
    assert f.dtype == ember.float64
    t.fill_(3)
    np.testing.assert_array_equal(f.numpy(), [0, 1, 2, 3])


def test_as_tensor_copies_lists_and_scalars():
    data = [[1, 2], [3, 4]]
    t = ember.as_tensor(data)
    assert t.dtype == ember.int64
    data[0][0] = 10
    np.testing.assert_array_equal(t.numpy(), [[1, 2], [3, 4]])
    assert ember.as_tensor([1.5, 2.0]).dtype == ember.get_default_dtype()
    assert ember.as_tensor([1, 2], dtype=ember.float64).dtype == ember.float64
    s = ember.as_tensor(3)
    assert s.shape == () and s.item() == 3


def test_as_tensor_keeps_from_numpy_rules():
    a = np.arange(3.0)
    a.flags.writeable = False
    with pytest.warns(UserWarning, match="not writable"):
        ember.as_tensor(a)
    with pytest.raises(ValueError, match="negative"):
        ember.as_tensor(np.arange(3)[::-1])
