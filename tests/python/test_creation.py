"""Tensor creation: tensor() and its dtype inference, the factories (zeros,
ones, full, empty, arange, linspace, logspace, eye, *_like) and the default
dtype. References are NumPy or values worked out by hand."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember


@pytest.fixture(autouse=True)
def restore_default_dtype():
    saved = ember.get_default_dtype()
    yield
    ember.set_default_dtype(saved)


def np_of(t):
    return np.asarray(t.tolist())


# ---------------------------------------------------------------- tensor()


@pytest.mark.parametrize("data,dtype,shape", [
    (3, "int64", ()),
    (3.5, "float32", ()),
    (True, "bool", ()),
    (1 + 2j, "complex64", ()),
    ([1, 2, 3], "int64", (3,)),
    ([1, 2.5], "float32", (2,)),       # int with float -> default float
    ([True, 2], "int64", (2,)),        # bool with int -> int64
    ([True, False], "bool", (2,)),
    ([1, 2j], "complex64", (2,)),
    ([[1, 2], [3, 4], [5, 6]], "int64", (3, 2)),
    (((1, 2), [3, 4]), "int64", (2, 2)),  # tuples and lists mix
    ([[[1.0]], [[2.0]]], "float32", (2, 1, 1)),
    ([], "float32", (0,)),
    ([[], []], "float32", (2, 0)),
    (range(4), "int64", (4,)),
])
def test_tensor_infers_dtype_and_shape(data, dtype, shape):
    t = ember.tensor(data)
    assert t.dtype == getattr(ember, dtype)
    assert t.shape == shape
    ref = np.array(data if not isinstance(data, range) else list(data))
    np.testing.assert_array_equal(np_of(t).reshape(shape), ref)


def test_tensor_values_round_trip():
    data = [[1.5, -2.25, 0.0], [1e-3, 3e4, -7.0]]
    t = ember.tensor(data)
    np.testing.assert_array_equal(t.numpy(), np.array(data, dtype=np.float32))
    assert t.tolist() == [[1.5, -2.25, 0.0], [np.float32(1e-3).item(), 30000.0, -7.0]]


@pytest.mark.parametrize("np_dtype", [np.bool_, np.uint8, np.int8, np.int16, np.int32, np.int64,
                                      np.float16, np.float32, np.float64, np.complex64, np.complex128])
def test_tensor_from_numpy_array_keeps_dtype_and_copies(np_dtype):
    a = (np.arange(6).reshape(2, 3) % 3).astype(np_dtype)
    t = ember.tensor(a)
    assert t.dtype == getattr(ember, np.dtype(np_dtype).name if np_dtype is not np.bool_ else "bool")
    np.testing.assert_array_equal(t.numpy(), a)
    a[0, 0] = 1  # a copy: later writes to the array do not show
    assert t.tolist()[0][0] == 0


def test_tensor_from_strided_numpy_array():
    a = np.arange(12, dtype=np.float64).reshape(3, 4)[:, ::2].T
    t = ember.tensor(a)
    np.testing.assert_array_equal(t.numpy(), a)


@pytest.mark.parametrize("scalar,dtype", [
    (np.float64(2.5), "float64"), (np.float32(2.5), "float32"), (np.float16(2.5), "float16"),
    (np.int32(4), "int32"), (np.int8(-4), "int8"), (np.uint8(200), "uint8"),
    (np.bool_(True), "bool"), (np.complex128(1j), "complex128"),
])
def test_tensor_from_numpy_scalar_keeps_its_dtype(scalar, dtype):
    # As PyTorch: NumPy scalars carry their dtype (torch.tensor(np.float64(1)) is float64).
    t = ember.tensor(scalar)
    assert t.dtype == getattr(ember, dtype)
    assert t.shape == ()
    assert t.item() == scalar.item()


def test_tensor_promotes_over_all_elements():
    # PyTorch's inference promotes the dtype of every element.
    assert ember.tensor([np.float64(1), 2.0]).dtype == ember.float64
    assert ember.tensor([np.int8(1), np.int8(2)]).dtype == ember.int8
    assert ember.tensor([np.int8(1), np.int16(2)]).dtype == ember.int16
    assert ember.tensor([np.uint8(1), np.int8(2)]).dtype == ember.int16
    assert ember.tensor([np.int32(1), 2.5]).dtype == ember.float32
    assert ember.tensor([np.float64(1), 1j]).dtype == ember.complex128


def test_tensor_from_tensors():
    src = ember.tensor([1, 2, 3], dtype=ember.int32)
    t = ember.tensor(src)
    assert t.dtype == ember.int32
    assert t._base_data_ptr != src._base_data_ptr  # a copy
    assert t.tolist() == [1, 2, 3]
    stacked = ember.tensor([ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0])])
    assert stacked.shape == (2, 2) and stacked.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert ember.tensor([ember.tensor(1, dtype=ember.int16), ember.tensor(2, dtype=ember.int16)]).dtype == ember.int16
    assert ember.tensor(src, dtype=ember.float64).tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("data,dtype,want", [
    ([1.7, -1.7, 0.2], "int32", [1, -1, 0]),           # truncation toward zero
    ([300, -1], "uint8", [44, 255]),                    # wraps modulo 256
    ([0, 2, -0.5], "bool", [False, True, True]),
    ([True, False], "float64", [1.0, 0.0]),
    ([1, 2], "complex128", [1 + 0j, 2 + 0j]),
    ([0.1], "float16", [float(np.float16(0.1))]),
    ([1.00390625], "bfloat16", [1.0]),                   # tie rounds to even
    ([1.01171875], "bfloat16", [1.015625]),
])
def test_tensor_with_dtype_converts(data, dtype, want):
    dtype = getattr(ember, dtype)
    t = ember.tensor(data, dtype=dtype)
    assert t.dtype == dtype
    assert t.tolist() == want


def test_tensor_complex_into_real_dtype_is_an_error():
    with pytest.raises(TypeError, match=r"\[tensor\].*complex"):
        ember.tensor([1 + 1j], dtype=ember.float32)
    assert ember.tensor([2 + 0j], dtype=ember.float32).tolist() == [2.0]


def test_tensor_device_and_requires_grad():
    t = ember.tensor([1.0, 2.0], device="cpu", requires_grad=True)
    assert t.requires_grad
    assert t.device == ember.device("cpu")
    assert not ember.tensor([1.0]).requires_grad
    assert ember.tensor([1.0], device=ember.device("cpu")).device.type == "cpu"
    with pytest.raises(RuntimeError, match="floating point and complex"):
        ember.tensor([1, 2], requires_grad=True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=0, max_size=4).flatmap(
    lambda shape: st.tuples(st.just(shape), st.lists(
        st.one_of(st.integers(-1000, 1000), st.floats(-1e6, 1e6, allow_nan=False)),
        min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))))
def test_tensor_matches_numpy_on_random_nested_lists(case):
    shape, flat = case
    # Nested Python lists of Python ints and floats (object arrays keep the types).
    data = np.array(flat, dtype=object).reshape(shape).tolist() if shape else flat[0]
    has_float = any(isinstance(v, float) for v in flat)
    t = ember.tensor(data)
    assert t.dtype == (ember.float32 if has_float else ember.int64)
    assert t.shape == tuple(shape)
    want = np.array(data, dtype=np.float32 if has_float else np.int64)
    np.testing.assert_array_equal(np_of(t), want)


# ---------------------------------------------------------------- zeros, ones, full, empty


@pytest.mark.parametrize("factory,fill", [("zeros", 0), ("ones", 1)])
@pytest.mark.parametrize("args", [(2, 3), ((2, 3),), ([2, 3],), (ember.Size([2, 3]),)])
def test_zeros_ones_sizes_as_varargs_or_sequence(factory, fill, args):
    t = getattr(ember, factory)(*args)
    assert t.shape == (2, 3)
    assert t.dtype == ember.float32
    np.testing.assert_array_equal(t.numpy(), np.full((2, 3), fill, dtype=np.float32))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_zero_dim_and_empty_shapes(name):
    factory = getattr(ember, name)
    assert factory(()).shape == ()
    assert factory().shape == ()
    assert factory(()).numel() == 1
    assert factory(0).shape == (0,)
    assert factory(3, 0, 2).numel() == 0


@pytest.mark.parametrize("name", ["bool", "uint8", "int8", "int16", "int32", "int64", "float16",
                                  "bfloat16", "float32", "float64", "complex64", "complex128"])
def test_factories_with_every_dtype(name):
    dt = getattr(ember, name)
    z, o, e = ember.zeros(2, 2, dtype=dt), ember.ones((2, 2), dtype=dt), ember.empty(2, 2, dtype=dt)
    assert z.dtype == o.dtype == e.dtype == dt
    assert e.shape == (2, 2)
    one = True if name == "bool" else 1
    assert z.tolist() == [[0 * one] * 2] * 2 if name != "bool" else z.tolist() == [[False] * 2] * 2
    assert o.tolist() == [[one] * 2] * 2
    f = ember.full((3,), 7 if name != "bool" else True, dtype=dt)
    assert f.tolist() == [7 if name != "bool" else True] * 3


@pytest.mark.parametrize("value,dtype", [(3, "int64"), (3.5, "float32"), (True, "bool"), (1 + 1j, "complex64")])
def test_full_infers_dtype_from_value(value, dtype):
    t = ember.full((2, 2), value)
    assert t.dtype == getattr(ember, dtype)
    assert t.tolist() == [[value] * 2] * 2


def test_full_converts_to_dtype():
    assert ember.full((2,), 2.9, dtype=ember.int32).tolist() == [2, 2]
    assert ember.full([3], -1, dtype=ember.uint8).tolist() == [255] * 3
    with pytest.raises(TypeError, match="complex"):
        ember.full((2,), 1 + 2j, dtype=ember.float32)


def test_factory_requires_grad_and_device():
    t = ember.zeros(2, requires_grad=True)
    assert t.requires_grad
    assert ember.ones(2, device="cpu").device == ember.device("cpu")
    assert ember.empty(2, device=ember.device("cpu")).is_cpu
    with pytest.raises(RuntimeError, match="floating point"):
        ember.zeros(2, dtype=ember.int64, requires_grad=True)
    with pytest.raises(NotImplementedError, match="out="):
        ember.zeros(2, out=ember.zeros(2))


def test_empty_strided():
    t = ember.empty_strided((2, 3), (1, 2))
    assert t.shape == (2, 3) and t.stride() == (1, 2)
    assert not t.is_contiguous()


# ---------------------------------------------------------------- arange


@pytest.mark.parametrize("args,want", [
    ((5,), [0, 1, 2, 3, 4]),
    ((2, 7), [2, 3, 4, 5, 6]),
    ((2, 7, 2), [2, 4, 6]),
    ((10, 0, -3), [10, 7, 4, 1]),
    ((-3, 3, 3), [-3, 0]),
    ((3, 3), []),
])
def test_arange_integers(args, want):
    t = ember.arange(*args)
    assert t.dtype == ember.int64
    assert t.tolist() == want
    np.testing.assert_array_equal(t.numpy(), np.arange(*args))


@pytest.mark.parametrize("start,end,step,length", [
    (0, 1, 0.1, 10),
    (1, 2.5, 0.5, 3),
    (1, 1.3, 0.1, 4),       # (1.3 - 1) / 0.1 = 3.0000000000000004: ceil gives 4, as PyTorch
    (0.0, 5, 1, 5),
    (-1, 1, 0.25, 8),
    (1, 0, -0.3, 4),
    (0, 0.9999, 0.3333, 3),
])
def test_arange_float_steps(start, end, step, length):
    t = ember.arange(start, end, step)
    assert t.dtype == ember.float32
    assert t.numel() == length
    # PyTorch computes start + i * step in double, then rounds to the dtype.
    want = (np.float64(start) + np.arange(length) * np.float64(step)).astype(np.float32)
    np.testing.assert_array_equal(t.numpy(), want)


def test_arange_dtype_and_default_dtype():
    assert ember.arange(5, dtype=ember.float64).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert ember.arange(0, 2.5, 0.5, dtype=ember.float64).dtype == ember.float64
    assert ember.arange(0.5, 3, dtype=ember.int32).tolist() == [0, 1, 2]
    ember.set_default_dtype(ember.float64)
    t = ember.arange(0, 1, 0.1)
    assert t.dtype == ember.float64
    np.testing.assert_array_equal(t.numpy(), np.arange(10) * 0.1)
    assert ember.arange(3).dtype == ember.int64  # integers stay int64


def test_arange_errors():
    with pytest.raises(RuntimeError, match=r"\[arange\].*nonzero"):
        ember.arange(0, 5, 0)
    with pytest.raises(RuntimeError, match=r"\[arange\].*step sign"):
        ember.arange(0, -10, 3)
    with pytest.raises(RuntimeError, match=r"\[arange\]"):
        ember.arange(float("inf"))
    with pytest.raises(RuntimeError, match=r"\[arange\]"):
        ember.arange(float("nan"))
    with pytest.raises(RuntimeError, match="overflow"):
        ember.arange(-2**63, 2**63 - 1)
    with pytest.raises(TypeError, match="complex"):
        ember.arange(1j)


# ---------------------------------------------------------------- linspace / logspace


@pytest.mark.parametrize("start,end,steps", [(0, 1, 5), (-3.5, 7.25, 11), (10, -10, 7), (0, 1, 2),
                                             (1e-3, 1e3, 100), (0.1, 0.7, 1001)])
def test_linspace_matches_numpy_with_exact_endpoints(start, end, steps):
    t = ember.linspace(start, end, steps)
    assert t.dtype == ember.float32
    a = t.numpy()
    ref = np.linspace(start, end, steps)
    np.testing.assert_allclose(a, ref.astype(np.float32), rtol=1e-6, atol=1e-6 * abs(end - start))
    assert a[0] == np.float32(start)
    assert a[-1] == np.float32(end)


def test_linspace_small_and_int_cases():
    assert ember.linspace(2, 5, 1).tolist() == [2.0]  # one step is start, as PyTorch
    assert ember.linspace(0, 1, 0).shape == (0,)
    assert ember.linspace(3, 10, steps=5, dtype=ember.int64).tolist() == [3, 4, 6, 8, 10]
    t = ember.linspace(0, 1, 3, dtype=ember.float64)
    assert t.tolist() == [0.0, 0.5, 1.0]
    c = ember.linspace(0, 2 + 2j, 3)
    assert c.dtype == ember.complex64
    assert c.tolist() == [0j, 1 + 1j, 2 + 2j]
    with pytest.raises(RuntimeError, match=r"\[linspace\].*non-negative"):
        ember.linspace(0, 1, -1)


def test_logspace():
    np.testing.assert_allclose(ember.logspace(0, 3, 4).numpy(), [1, 10, 100, 1000], rtol=1e-6)
    assert ember.logspace(0, 4, 5, base=2).tolist() == [1.0, 2.0, 4.0, 8.0, 16.0]
    t = ember.logspace(-2, 2, 9, dtype=ember.float64)
    np.testing.assert_allclose(t.numpy(), np.logspace(-2, 2, 9), rtol=1e-14)
    assert ember.logspace(0, 2, 3, dtype=ember.int64).tolist() == [1, 10, 100]


# ---------------------------------------------------------------- eye


@pytest.mark.parametrize("n,m", [(3, None), (2, 4), (4, 2), (0, None), (1, 1), (3, 0)])
def test_eye_matches_numpy(n, m):
    t = ember.eye(n) if m is None else ember.eye(n, m)
    np.testing.assert_array_equal(t.numpy(), np.eye(n, m, dtype=np.float32))
    assert t.dtype == ember.float32


def test_eye_dtype_and_errors():
    assert ember.eye(2, dtype=ember.bool).tolist() == [[True, False], [False, True]]
    assert ember.eye(2, 3, dtype=ember.int8).tolist() == [[1, 0, 0], [0, 1, 0]]
    with pytest.raises(RuntimeError, match=r"\[eye\] n must be greater or equal to 0, got -1"):
        ember.eye(-1)
    with pytest.raises(RuntimeError, match=r"\[eye\] m must be greater or equal to 0, got -3"):
        ember.eye(2, -3)


# ---------------------------------------------------------------- *_like


def test_like_factories_inherit_and_override():
    src = ember.tensor([[1, 2, 3]], dtype=ember.int16)
    for fn, val in [(ember.zeros_like, 0), (ember.ones_like, 1)]:
        t = fn(src)
        assert t.dtype == ember.int16 and t.shape == (1, 3) and t.device == src.device
        assert t.tolist() == [[val] * 3]
    e = ember.empty_like(src)
    assert e.dtype == ember.int16 and e.shape == (1, 3)
    assert e._base_data_ptr != src._base_data_ptr
    assert ember.ones_like(src, dtype=ember.float64).tolist() == [[1.0, 1.0, 1.0]]
    assert ember.full_like(src, 7).tolist() == [[7, 7, 7]]
    assert ember.full_like(src, 2.7).tolist() == [[2, 2, 2]]  # converted to int16
    f = ember.full_like(src, 2.5, dtype=ember.float32, requires_grad=True)
    assert f.requires_grad and f.tolist() == [[2.5] * 3]
    # Strided input: the result is a new contiguous tensor of the same shape.
    z = ember.zeros_like(ember.zeros(3, 4).t())
    assert z.shape == (4, 3) and z.is_contiguous()


# ---------------------------------------------------------------- default dtype


def test_default_dtype_drives_tensor_and_factories():
    assert ember.get_default_dtype() == ember.float32
    ember.set_default_dtype(ember.float64)
    assert ember.get_default_dtype() == ember.float64
    assert ember.tensor([1.5]).dtype == ember.float64
    assert ember.tensor([1, 2.5]).dtype == ember.float64
    assert ember.tensor([1 + 1j]).dtype == ember.complex128
    assert ember.tensor([]).dtype == ember.float64
    assert ember.tensor([1, 2]).dtype == ember.int64  # ints are not affected
    for t in [ember.zeros(2), ember.ones(2), ember.empty(2), ember.full((2,), 1.5), ember.linspace(0, 1, 3),
              ember.logspace(0, 1, 3), ember.eye(2), ember.arange(0.0, 2.0)]:
        assert t.dtype == ember.float64
    assert ember.tensor([0.1]).tolist() == [0.1]  # no float32 rounding
    ember.set_default_dtype(ember.float32)
    assert ember.zeros(2).dtype == ember.float32
    assert ember.tensor([0.1]).tolist() == [float(np.float32(0.1))]


def test_set_default_dtype_rejects_non_floating():
    for dt in [ember.int64, ember.bool, ember.complex64]:
        with pytest.raises(TypeError, match="floating-point"):
            ember.set_default_dtype(dt)
    assert ember.get_default_dtype() == ember.float32


def test_new_tensors_start_at_version_zero():
    # As PyTorch: the writes that build a tensor do not count as in-place ops.
    src = ember.ones(2, 2)
    for t in [ember.zeros(2), ember.ones(2), ember.full((2,), 3.0), ember.eye(3), ember.arange(4),
              ember.linspace(0, 1, 4), ember.logspace(0, 1, 4), ember.tensor([1, 2]),
              ember.tensor(np.ones(3)), ember.tensor(src), ember.zeros_like(src), ember.full_like(src, 2),
              src.clone(), src.t().contiguous(), src.to(ember.float64), src.double()]:
        assert t._version == 0
    src.fill_(2)
    assert src._version == 1
