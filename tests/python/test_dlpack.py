"""DLPack from Python: Tensor.__dlpack__ / __dlpack_device__, ember.from_dlpack,
ember.utils.dlpack, and exchange with NumPy both ways."""
import ctypes
import gc
import sys
import weakref

import numpy as np
import pytest

import ember
from ember.utils import dlpack as ember_dlpack

PAIRS = [
    (np.bool_, ember.bool), (np.uint8, ember.uint8), (np.int8, ember.int8), (np.int16, ember.int16),
    (np.int32, ember.int32), (np.int64, ember.int64), (np.float16, ember.float16),
    (np.float32, ember.float32), (np.float64, ember.float64), (np.complex64, ember.complex64),
    (np.complex128, ember.complex128),
]

_get_name = ctypes.pythonapi.PyCapsule_GetName
_get_name.restype = ctypes.c_char_p
_get_name.argtypes = [ctypes.py_object]


def capsule_name(cap):
    return _get_name(cap).decode()


def allocated():
    # Collect first: tensors from earlier tests that die in a later cycle
    # collection would otherwise change the count in the middle of a test.
    gc.collect()
    return ember._C._allocator_stats()["allocated_bytes"]


def sample(np_dtype, shape=(2, 3)):
    vals = np.arange(int(np.prod(shape))) - 2
    if np_dtype == np.bool_:
        vals = vals % 2 == 0
    elif np.issubdtype(np_dtype, np.complexfloating):
        vals = vals + 1j * (vals + 10)
    elif np_dtype == np.uint8:
        vals = vals + 2
    return np.asarray(vals).astype(np_dtype).reshape(shape)


# ------------------------------------------------------- every dtype, both ways

@pytest.mark.parametrize("np_dtype,dtype", PAIRS)
def test_numpy_to_ember_every_dtype(np_dtype, dtype):
    a = sample(np_dtype)
    t = ember.from_dlpack(a)
    assert t.dtype == dtype
    assert t.shape == (2, 3) and t.stride() == (3, 1)
    assert t.data_ptr() == a.ctypes.data
    np.testing.assert_array_equal(t.numpy(), a)


@pytest.mark.parametrize("np_dtype,dtype", PAIRS)
def test_ember_to_numpy_every_dtype(np_dtype, dtype):
    t = ember.tensor(sample(np_dtype).tolist(), dtype=dtype)
    a = np.from_dlpack(t)
    assert a.dtype == np.dtype(np_dtype)
    assert a.ctypes.data == t.data_ptr()
    np.testing.assert_array_equal(a, sample(np_dtype))


def test_bfloat16_round_trips_ember_to_ember():
    t = ember.tensor([1.5, -2.0, 3.25], dtype=ember.bfloat16)
    for cap in (t.__dlpack__(), t.__dlpack__(max_version=(1, 0))):
        u = ember.from_dlpack(cap)
        assert u.dtype == ember.bfloat16
        assert u.data_ptr() == t.data_ptr()
        np.testing.assert_array_equal(u.float().numpy(), [1.5, -2.0, 3.25])
    assert ember.from_dlpack(t).dtype == ember.bfloat16


def test_dtypes_ember_cannot_hold_are_refused():
    a = np.arange(3, dtype=np.uint16)
    with pytest.raises(TypeError, match=r"\[from_dlpack\] Unsupported DLPack dtype \(code=1, bits=16\)"):
        ember.from_dlpack(a)


# ------------------------------------------------------------ memory sharing

def test_sharing_numpy_to_ember_through_a_view():
    base = np.arange(20, dtype=np.float32).reshape(4, 5)
    view = base[::2, 1:4]  # shape (2, 3), element strides (10, 1)
    t = ember.from_dlpack(view)
    assert t.stride() == (10, 1)
    np.testing.assert_array_equal(t.numpy(), view)
    t.select(1, 0).fill_(-1.0)  # view[:, 0] is base[::2, 1]
    np.testing.assert_array_equal(base[:, 1], [-1, 6, -1, 16])
    base[2, 3] = 99.0  # view[1, 2]
    assert t.select(0, 1).select(0, 2).item() == 99.0


def test_sharing_ember_to_numpy_through_a_view():
    base = ember.arange(12, dtype=ember.int32).view(3, 4)
    view = base.t().narrow(1, 1, 2)  # base[1:3, :].T, shape (4, 2)
    a = np.from_dlpack(view)
    assert a.shape == (4, 2) and a.strides == (4, 16)
    np.testing.assert_array_equal(a, [[4, 8], [5, 9], [6, 10], [7, 11]])
    a[3, 1] = -5
    np.testing.assert_array_equal(base.numpy()[2], [8, 9, 10, -5])
    view.select(0, 0).fill_(0)
    np.testing.assert_array_equal(a[0], [0, 0])


def test_zero_dim_and_empty():
    z = ember.from_dlpack(np.array(3.5))
    assert z.shape == () and z.item() == 3.5
    assert np.from_dlpack(ember.full((), 4, dtype=ember.int16)).item() == 4
    assert ember.from_dlpack(np.zeros((0, 3))).shape == (0, 3)
    e = np.from_dlpack(ember.zeros(2, 0))
    assert e.shape == (2, 0) and e.dtype == np.float32


# -------------------------------------------------------------- the protocol

def test_dlpack_device():
    assert ember.zeros(2).__dlpack_device__() == (1, 0)
    assert ember_dlpack.DLDeviceType.kDLCPU == 1


def test_capsule_names_follow_max_version():
    t = ember.arange(3)
    assert capsule_name(t.__dlpack__()) == "dltensor"
    assert capsule_name(t.__dlpack__(max_version=(0, 8))) == "dltensor"
    assert capsule_name(t.__dlpack__(max_version=(1, 0))) == "dltensor_versioned"
    assert capsule_name(t.__dlpack__(max_version=(1, 3))) == "dltensor_versioned"
    assert capsule_name(ember_dlpack.to_dlpack(t)) == "dltensor"


@pytest.mark.parametrize("max_version", [None, (1, 0)])
def test_consumed_capsule_is_renamed_and_refused_twice(max_version):
    t = ember.arange(4)
    cap = t.__dlpack__(max_version=max_version)
    u = ember.from_dlpack(cap)
    assert capsule_name(cap) == ("used_dltensor" if max_version is None else "used_dltensor_versioned")
    with pytest.raises(RuntimeError, match="DLTensor capsules can be consumed only once"):
        ember.from_dlpack(cap)
    np.testing.assert_array_equal(u.numpy(), [0, 1, 2, 3])


def test_unconsumed_capsules_are_freed():
    start = allocated()
    for _ in range(200):
        t = ember.zeros(1000)
        c1 = t.__dlpack__()
        c2 = t.__dlpack__(max_version=(1, 0))
        del t
        assert allocated() >= start + 4000  # the capsules hold the storage
        del c1, c2
    gc.collect()
    assert allocated() == start


def test_dlpack_arguments():
    t = ember.arange(3)
    with pytest.raises(ValueError, match="stream should be None on cpu"):
        t.__dlpack__(stream=5)
    with pytest.raises(TypeError, match="stream must be"):
        t.__dlpack__(stream="x")
    assert capsule_name(t.__dlpack__(stream=-1)) == "dltensor"
    assert capsule_name(t.__dlpack__(dl_device=(1, 0))) == "dltensor"
    with pytest.raises(BufferError, match="without a copy"):
        t.__dlpack__(dl_device=(2, 0), copy=False)
    with pytest.raises(BufferError, match="Unsupported device_type: 4"):
        t.__dlpack__(dl_device=(4, 0))
    with pytest.raises(BufferError, match=r"can't export to DLPack device \(3, 0\)"):
        t.__dlpack__(dl_device=(3, 0))
    with pytest.raises(TypeError, match="max_version must be None or a"):
        t.__dlpack__(max_version=5)
    with pytest.raises(TypeError, match="max_version must hold 32-bit ints"):
        t.__dlpack__(max_version="ab")
    with pytest.raises(TypeError, match="dl_device must hold 32-bit ints"):
        t.__dlpack__(dl_device=(1, 2**40))
    with pytest.raises(TypeError, match=r"dl_device must be a \(device_type, device_id\) tuple"):
        t.__dlpack__(dl_device=(1,))
    with pytest.raises(TypeError, match="copy must be None, True or False"):
        t.__dlpack__(copy=1)


def test_copy_argument():
    t = ember.arange(4)
    copied = ember.from_dlpack(t.__dlpack__(max_version=(1, 0), copy=True))
    assert copied.data_ptr() != t.data_ptr()
    t.fill_(7)
    np.testing.assert_array_equal(copied.numpy(), [0, 1, 2, 3])
    assert ember.from_dlpack(t, copy=False).data_ptr() == t.data_ptr()
    assert ember.from_dlpack(t, copy=True).data_ptr() != t.data_ptr()
    a = np.from_dlpack(t, copy=True)  # NumPy passes copy= through
    a[0] = -1
    assert t.select(0, 0).item() == 7
    assert np.from_dlpack(t, copy=False).ctypes.data == t.data_ptr()


def test_requires_grad_is_refused():
    t = ember.zeros(3)
    t.requires_grad_()
    with pytest.raises(RuntimeError, match="Can't export tensors that require gradient, use tensor.detach()"):
        t.__dlpack__()
    with pytest.raises(RuntimeError, match="require gradient"):
        np.from_dlpack(t)
    np.testing.assert_array_equal(np.from_dlpack(t.detach()), [0, 0, 0])


def test_read_only_memory_stays_read_only():
    a = np.arange(4.0)
    a.flags.writeable = False
    t = ember.from_dlpack(a)  # NumPy exports a versioned capsule flagged read-only
    np.testing.assert_array_equal(t.numpy(), [0, 1, 2, 3])
    assert not np.from_dlpack(t).flags.writeable


def test_from_dlpack_accepts_legacy_producers_and_capsules():
    class LegacyProducer:  # knows nothing of max_version
        def __init__(self, t):
            self.t = t

        def __dlpack__(self, stream=None):
            return self.t.__dlpack__()

        def __dlpack_device__(self):
            return self.t.__dlpack_device__()

    t = ember.arange(5)
    u = ember.from_dlpack(LegacyProducer(t))
    assert u.data_ptr() == t.data_ptr()
    v = ember_dlpack.from_dlpack(ember_dlpack.to_dlpack(t))
    assert v.data_ptr() == t.data_ptr()
    w = ember.from_dlpack(np.from_dlpack(t).__dlpack__())  # a raw NumPy capsule
    assert w.data_ptr() == t.data_ptr()


def test_from_dlpack_errors():
    with pytest.raises(TypeError, match=r"expected an object with a __dlpack__ method or a DLPack capsule \(got list\)"):
        ember.from_dlpack([1, 2])

    class BadProducer:
        def __dlpack__(self, **kw):
            return 42

    with pytest.raises(TypeError, match="returned int, not a PyCapsule"):
        ember.from_dlpack(BadProducer())


def test_negative_strides_refused_and_capsule_freed():
    a = np.arange(5.0)
    ref = weakref.ref(a)
    with pytest.raises(ValueError, match=r"\[from_dlpack\] negative strides are not supported"):
        ember.from_dlpack(a[::-1])
    del a
    gc.collect()
    assert ref() is None  # NumPy's unconsumed capsule released its array


# ----------------------------------------------------------------- lifetime

def test_numpy_from_dlpack_outlives_the_tensor():
    start = allocated()
    t = ember.arange(1000, dtype=ember.float64)
    a = np.from_dlpack(t)
    b = np.from_dlpack(t.narrow(0, 500, 3))
    del t
    gc.collect()
    np.testing.assert_array_equal(a[-3:], [997, 998, 999])
    np.testing.assert_array_equal(b, [500, 501, 502])
    assert allocated() >= start + 8000
    del a, b
    gc.collect()
    assert allocated() == start


def test_ember_from_dlpack_outlives_the_array():
    a = np.arange(1000, dtype=np.int64) * 3
    ref = weakref.ref(a)
    t = ember.from_dlpack(a)
    view = t.narrow(0, 10, 2)
    del a, t
    gc.collect()
    assert ref() is not None
    np.testing.assert_array_equal(view.numpy(), [30, 33])
    del view
    gc.collect()
    assert ref() is None


def test_no_leak_over_many_round_trips():
    a = np.arange(128, dtype=np.float32)
    ref = weakref.ref(a)
    rc = sys.getrefcount(a)
    start = allocated()
    for _ in range(10_000):
        t = ember.from_dlpack(a)           # NumPy -> Ember
        b = np.from_dlpack(t)              # back to NumPy
        owned = ember.zeros(32)
        c = np.from_dlpack(owned)          # Ember memory into NumPy
        d = ember.from_dlpack(c)           # and back again
        e = ember.from_dlpack(owned.__dlpack__(max_version=(1, 0)))
        del t, b, owned, c, d, e
    gc.collect()
    assert sys.getrefcount(a) == rc
    assert allocated() == start
    del a
    gc.collect()
    assert ref() is None
